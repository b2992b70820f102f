"""Hybrid retrieval behind LangChain's retriever interface.

Dense search (the vector store) and lexical search (BM25 over the same chunks, from the
``Snapshot``) are fused with reciprocal rank fusion.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .embed import Embedder
from .snapshot import Snapshot
from .text import terms


class QueryEncoder:
    """Embeds queries through the embedder, caching recent ones (the chain embeds once per question)."""

    def __init__(self, embedder: Embedder, size: int = 256):
        self.embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size

    def __call__(self, text: str) -> np.ndarray:
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        v = self.embedder.embed_query(text)
        with self._lock:
            self._cache[text] = v
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return v


def rrf(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion: sum of 1/(k + rank) over the rankings an id appears in."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for r, key in enumerate(ranking):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + r + 1)
    return scores


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over the chunk collection, fused by RRF; scores go in metadata."""

    snapshot: Any
    encoder: Any
    fixer: Any = None  # optional spelling corrector (scope.SpellFixer)
    dense_k: int = 20
    lexical_k: int = 20
    rrf_k: int = 60
    top_k: int = 8

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None) -> list[Document]:
        snap: Snapshot = self.snapshot
        if self.fixer is not None:
            query = self.fixer.fix(query)[0]
        qv = self.encoder(query)
        chunk_hits = snap.chunk_store.query(qv, self.dense_k)
        dense_sim = {h.id: h.similarity for h in chunk_hits}
        rankings = [[h.id for h in chunk_hits]]
        best = self._best_sentences(snap, qv)  # a chunk also ranks by its best sentence
        rankings.append(sorted(best, key=lambda cid: -best[cid])[: self.dense_k])
        for cid, sim in best.items():
            dense_sim[cid] = max(dense_sim.get(cid, -1.0), sim)
        q_terms = terms(query)
        lex_scores = snap.bm25.get_scores(q_terms) if q_terms else np.zeros(len(snap.chunk_ids))
        lex_order = [snap.chunk_ids[i] for i in np.argsort(-lex_scores)[: self.lexical_k] if lex_scores[i] > 0]
        fused = rrf(rankings + [lex_order], self.rrf_k)
        docs = []
        for cid, score in sorted(fused.items(), key=lambda kv: -kv[1])[: self.top_k]:
            i = snap.chunk_pos[cid]
            meta = dict(snap.chunk_metas[i], id=cid, rrf=score, bm25=float(lex_scores[i]),
                        dense=dense_sim.get(cid, 0.0))
            docs.append(Document(page_content=snap.chunk_texts[i], metadata=meta, id=cid))
        return docs

    def _best_sentences(self, snap: Snapshot, qv: np.ndarray) -> dict[str, float]:
        """Chunk -> similarity of its best sentence among the nearest sentences (a paragraph answers a
        question when one of its sentences does).  Exact search over the sentence vectors the snapshot
        loaded from the store: one 1k x 384 product, far cheaper than a second store query."""
        if not len(snap.sent_ids):
            return {}
        sims = snap.sent_emb @ qv
        k = min(self.dense_k * 3, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        best: dict[str, float] = {}
        for i in top[np.argsort(-sims[top])]:
            cid = snap.sent_metas[i]["chunk_id"]
            best[cid] = max(best.get(cid, -1.0), float(sims[i]))
        return best
