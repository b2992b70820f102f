"""The optional LLM path, driven by scripted fake chat models; prompts and fallbacks."""
from __future__ import annotations

import re
import time

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.llm import PLACEHOLDERS, load_prompt, placeholders
from assistant.pipeline import Assistant
from assistant.settings import Settings
from test_retrieve_answer import assert_citations_valid


def test_prompt_templates_have_exactly_their_placeholders():
    d = str(Settings().prompts_dir)
    for name, expected in PLACEHOLDERS.items():
        assert placeholders(load_prompt(d, name)) == expected, name


def llm_assistant(built_settings, embedder, model, **overrides):
    s = built_settings.with_(llm="fake:scripted", **overrides)
    return Assistant(s, embedder=embedder, llm=model, progress=lambda m: None)


def scripted(*replies):
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def test_llm_answer_is_mapped_to_verbatim_citations(built_settings, embedder):
    a = llm_assistant(built_settings, embedder, scripted(
        "Lift heavy, about three to six hard reps [1]. Near-maximal loads look best for economy [2][1]."))
    ans = a.ask("How heavy should I lift?")
    assert ans.notice is None
    assert ans.answer.count("[") >= 3 and not ans.refused
    assert_citations_valid_llm(ans)


def assert_citations_valid_llm(ans):
    from assistant.corpus import load_corpus
    from assistant.text import normalise
    srcs = {s.id: normalise(s.text) for s in load_corpus(Settings().corpus_dir)}
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", ans.answer)}
    assert markers == {c.n for c in ans.citations}
    for c in ans.citations:
        assert normalise(c.quote) in srcs[c.source_id]


def test_invented_citations_are_dropped(built_settings, embedder):
    a = llm_assistant(built_settings, embedder, scripted(
        "Lift heavy for three to six reps [1][42]. Squats guarantee a marathon PB [9]. No citation here."))
    ans = a.ask("How heavy should I lift?")
    assert "guarantee" not in ans.answer and "No citation here" not in ans.answer
    assert "[42]" not in ans.answer and ans.citations and ans.notice is None
    assert_citations_valid_llm(ans)


def test_nothing_verifiable_falls_back_to_grounded(built_settings, embedder):
    a = llm_assistant(built_settings, embedder, scripted("Squats guarantee a marathon PB [17][18][99] trust me."))
    ans = a.ask("How heavy should I lift?")
    assert ans.notice and "could not be verified" in ans.notice
    assert_citations_valid(ans)


class SlowModel(GenericFakeChatModel):
    delay: float = 3.0

    def _generate(self, *args, **kwargs):
        time.sleep(self.delay)
        return super()._generate(*args, **kwargs)


def test_timeout_falls_back(built_settings, embedder):
    model = SlowModel(messages=iter([AIMessage(content="Too late [1].")]))
    a = llm_assistant(built_settings, embedder, model, llm_timeout=0.5)
    t = time.perf_counter()
    ans = a.ask("How heavy should I lift?")
    assert time.perf_counter() - t < 2.5
    assert ans.notice and "did not answer within" in ans.notice
    assert_citations_valid(ans)


@pytest.mark.parametrize("spec", ["openai:some-model", "ollama:llama3.2"])
def test_server_down_falls_back(built_settings, embedder, spec):
    s = built_settings.with_(llm=spec, llm_base_url="http://127.0.0.1:9", llm_timeout=5.0)
    a = Assistant(s, embedder=embedder, progress=lambda m: None)
    ans = a.ask("How heavy should I lift?")
    assert ans.notice and "unavailable" in ans.notice
    assert ans.citations and not ans.refused


def test_refusal_does_not_call_the_model(built_settings, embedder):
    model = scripted()  # no replies scripted: calling it would raise
    a = llm_assistant(built_settings, embedder, model)
    assert a.ask("What's the best marathon shoe?").refused
