"""Optional LLM composition: numbered passages in, [n] citations out, verified in code.

The model only rewrites what the grounded composer retrieved.  Citations are mapped
back to the passages in code: an unknown [n] is dropped, a sentence left without a valid
citation is removed, and when too little survives (or the model times out or is
unreachable) the grounded answer is returned with a notice.
"""
from __future__ import annotations

import concurrent.futures as cf
import re
from functools import lru_cache
from pathlib import Path

from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage

from .compose import GroundedComposer
from .schema import Answer, Citation
from .errors import AssistantError
from .settings import Settings
from .text import split_sentences

PLACEHOLDERS = {"system.md": set(), "answer.md": {"question", "passages"}}
_MARK = re.compile(r"\[(\d+)\]")
_POOL = cf.ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")


@lru_cache(maxsize=8)
def load_prompt(prompts_dir: str, name: str) -> str:
    path = Path(prompts_dir) / name
    if not path.exists():
        raise AssistantError(f"prompt template {path} is missing — restore prompts/{name}")
    return path.read_text(encoding="utf-8")


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"(?<!\{)\{([a-z_]+)\}(?!\})", template))


def make_model(settings: Settings):
    """A LangChain chat model from ``ASSISTANT_LLM=provider:model`` (e.g. ollama:llama3.2, openai:gpt-4o-mini)."""
    spec = settings.llm
    if ":" not in spec:
        raise AssistantError(f"ASSISTANT_LLM={spec!r} — use provider:model, e.g. ollama:llama3.2")
    provider, model = spec.split(":", 1)
    from langchain.chat_models import init_chat_model

    kwargs: dict = {"timeout": settings.llm_timeout}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if provider == "openai":
        import os

        kwargs.setdefault("api_key", os.environ.get("OPENAI_API_KEY", "not-needed"))
        kwargs["max_retries"] = 0
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError as e:
        raise AssistantError(f"{provider} support is not installed ({e.name}) — run `pip install -e '.[llm]'`") from None
    except Exception as e:
        raise AssistantError(f"cannot set up the chat model {spec!r}: {e}") from None


class LLMComposer:
    """Compose with a chat model; fall back to the grounded composer on any doubt."""

    def __init__(self, grounded: GroundedComposer, settings: Settings, model=None, max_passages: int = 8,
                 min_sentences: int = 1):
        self.grounded = grounded
        self.settings = settings
        self._model = model
        self.max_passages = max_passages
        self.min_sentences = min_sentences
        self.system = load_prompt(str(settings.prompts_dir), "system.md")
        self.template = load_prompt(str(settings.prompts_dir), "answer.md")

    @property
    def model(self):
        if self._model is None:
            self._model = make_model(self.settings)
        return self._model

    def compose(self, question: str, docs: list[Document], context: str | None = None,
                min_similarity: float | None = None, qtype: str | None = None, about_article: bool = False,
                exclude: frozenset = frozenset(), max_sentences: int | None = None,
                groups: frozenset = frozenset()) -> Answer:
        fallback = self.grounded.compose(question, docs, context=context, min_similarity=min_similarity, qtype=qtype,
                                         about_article=about_article, exclude=exclude, max_sentences=max_sentences,
                                         groups=groups)
        if fallback.refused:
            return fallback
        passages = [c for c in self.grounded.candidates(question, docs, context, qtype, about_article)
                    if c.text not in exclude][: self.max_passages]
        numbered = "\n".join(f"[{i}] ({c.meta['title']}) {c.text}" for i, c in enumerate(passages, 1))
        prompt = self.template.format(question=question, passages=numbered)
        try:
            reply = _POOL.submit(self.model.invoke, [SystemMessage(self.system), HumanMessage(prompt)]) \
                .result(timeout=self.settings.llm_timeout)
        except cf.TimeoutError:
            return _notice(fallback, f"the language model did not answer within {self.settings.llm_timeout:g} s")
        except AssistantError as e:
            return _notice(fallback, str(e))
        except Exception as e:  # connection refused, HTTP errors, bad responses
            return _notice(fallback, f"the language model is unavailable ({e.__class__.__name__})")
        text = reply.content if isinstance(reply.content, str) else " ".join(
            p.get("text", "") for p in reply.content if isinstance(p, dict))
        ans = map_citations(question, text, passages)
        if ans is None or len(ans.citations) == 0 or _sentence_count(ans.answer) < self.min_sentences:
            return _notice(fallback, "the language model's answer could not be verified against the sources")
        return ans


def _notice(ans: Answer, why: str) -> Answer:
    ans.notice = f"Showing the grounded answer: {why}."
    return ans


def _sentence_count(text: str) -> int:
    return sum(len(split_sentences(line)) for line in text.splitlines() if line.strip())


def map_citations(question: str, text: str, passages) -> Answer | None:
    """Keep sentences with at least one valid [n]; renumber citations in order of first use."""
    kept, order = [], {}
    for line in text.splitlines():
        for sent in split_sentences(line.strip().lstrip("-* ").strip()):
            valid = [int(n) for n in _MARK.findall(sent) if 1 <= int(n) <= len(passages)]
            if not valid:
                continue  # no valid citation: the sentence goes
            for n in valid:
                order.setdefault(n, len(order) + 1)
            body = _MARK.sub("", sent).strip()
            body = re.sub(r"\s+([.,;:!?])", r"\1", body)
            marks = "".join(f"[{order[n]}]" for n in dict.fromkeys(valid))
            kept.append(f"{body} {marks}")
    if not kept:
        return None
    citations = []
    for n, new in sorted(order.items(), key=lambda kv: kv[1]):
        c = passages[n - 1]
        citations.append(Citation(new, c.meta["source_id"], c.meta["title"], c.text, c.meta.get("url") or None))
    return Answer(question=question, answer=" ".join(kept), citations=citations)
