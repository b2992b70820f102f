"""The assistant: services wired into one LangChain runnable chain.

    question (+ history) -> retriever -> composer -> Answer

Services (embedder, index, composer) are passed in; missing ones come from settings,
loaded lazily and once.  ``Assistant`` is thread-safe for answering.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Callable

from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from .answer import Answer, ComposerConfig, GroundedComposer
from .embed import Embedder
from .errors import AssistantError, IndexMissingError, InputError
from .index import IndexManager, tqdm_progress
from .retrieve import HybridRetriever, QueryEncoder, Snapshot
from .settings import Settings


def clean_question(text, max_chars: int) -> str:
    if not isinstance(text, str):
        raise InputError("the question must be text")
    q = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    q = " ".join(q.split())
    if not q:
        raise InputError("the question is empty — type a question about strength training for running")
    if len(q) > max_chars:
        raise InputError(f"the question is {len(q):,} characters; the limit is {max_chars:,} — shorten it")
    return q


class Assistant:
    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None,
                 index: IndexManager | None = None, auto_ingest: bool = True,
                 progress: Callable[[str], None] | None = None):
        self.settings = settings or Settings.from_env()
        self.index = index or IndexManager(self.settings, embedder=embedder)
        self.auto_ingest = auto_ingest
        self.say = progress or (lambda msg: print(msg, file=sys.stderr))
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._chain: Runnable | None = None

    # -- loading -------------------------------------------------------------
    def load(self) -> Snapshot:
        """Open the current index (building it first when missing or stale) once."""
        if self._snapshot is not None:
            return self._snapshot
        with self._lock:
            if self._snapshot is None:
                self._snapshot = self._open()
                self._chain = self._build_chain(self._snapshot)
        return self._snapshot

    def _open(self) -> Snapshot:
        try:
            if self.auto_ingest and self._needs_ingest():
                self.say("building the index (first run or corpus changed)…")
                rep = self.index.ingest(progress=tqdm_progress())
                self.say(rep.summary())
            chunks, sents, man = self.index.open_current()
        except IndexMissingError:
            raise
        return Snapshot.load(chunks, sents, man["generation"])

    def _needs_ingest(self) -> bool:
        from .corpus import corpus_hash, load_corpus

        man = self.index.manifest()
        if man is None:
            return True
        try:
            self.index.open_current()
        except AssistantError:
            return True
        return man.get("corpus_hash") != corpus_hash(load_corpus(self.settings.corpus_dir))

    def reload(self) -> None:
        """Drop the loaded snapshot so the next question sees a new index generation."""
        with self._lock:
            self._snapshot, self._chain = None, None

    # -- the chain ---------------------------------------------------------
    def _build_chain(self, snap: Snapshot) -> Runnable:
        s = self.settings
        encoder = QueryEncoder(self.index.embedder)
        retriever = HybridRetriever(snapshot=snap, encoder=encoder, dense_k=s.dense_k,
                                    lexical_k=s.lexical_k, rrf_k=s.rrf_k, top_k=s.top_k)
        self.retriever = retriever
        self.composer = GroundedComposer(snap, encoder, ComposerConfig(max_sentences=s.max_sentences,
                                                                        min_similarity=s.min_similarity),
                                         refusal_text=REFUSAL)
        return (
            RunnablePassthrough.assign(docs=RunnableLambda(lambda x: x["query"]) | retriever)
            | RunnableLambda(self._timed_compose)
        )

    def _timed_compose(self, x: dict) -> Answer:
        t = time.perf_counter()
        ans = self.composer.compose(x["question"], x["docs"])
        ans.timings_ms["retrieve"] = round((t - x["t0"]) * 1000, 2)
        ans.timings_ms["compose"] = round((time.perf_counter() - t) * 1000, 2)
        return ans

    @property
    def chain(self) -> Runnable:
        self.load()
        return self._chain

    # -- public API ---------------------------------------------------------
    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        t0 = time.perf_counter()
        q = clean_question(question, self.settings.max_question_chars)
        self.load()
        ans = self.chain.invoke({"question": q, "query": q, "history": history or [], "t0": t0})
        ans.timings_ms["total"] = round((time.perf_counter() - t0) * 1000, 2)
        return ans


REFUSAL = ("I can't answer that from my sources. I answer questions about strength training for runners — "
           "how heavy to lift, how many reps and sessions, which exercises, what the research shows for running "
           "economy, race and marathon performance, muscle gain, injuries and tapering.")
