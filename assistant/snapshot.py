"""One index generation loaded for answering: chunks, sentences with their vectors, ledger vectors, BM25.

A ``Snapshot`` is immutable once built, so many threads can answer from it at once.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import bm25s

from .store import VectorStore
from .text import terms


@dataclass
class Snapshot:
    """One index generation, loaded for answering."""
    chunk_store: VectorStore
    chunk_ids: list[str]
    chunk_texts: list[str]
    chunk_metas: list[dict]
    sent_ids: list[str]
    sent_texts: list[str]
    sent_metas: list[dict]
    sent_emb: np.ndarray
    claim_keys: list[tuple[str, int]] = field(default_factory=list)  # (ledger claim id, text position) per vector
    claim_emb: np.ndarray | None = None
    generation: int = 0
    bm25: bm25s.BM25 = field(init=False)  # sparse-matrix BM25: scoring cost grows with matches, not corpus size
    idf: dict[str, float] = field(init=False)
    sents_by_chunk: dict[str, list[int]] = field(init=False)
    sents_by_source: dict[str, list[int]] = field(init=False)
    sent_terms: list[frozenset] = field(init=False)
    chunk_pos: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        tokenised = [terms(f"{m.get('title', '')} {m.get('section', '')} {t}") for t, m in zip(self.chunk_texts, self.chunk_metas)]
        self.bm25 = bm25s.BM25(k1=1.5, b=0.75)
        self.bm25.index(tokenised or [[""]], show_progress=False)
        n = max(len(tokenised), 1)
        df: dict[str, int] = {}
        for toks in tokenised:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.sents_by_chunk = {}
        for i, m in enumerate(self.sent_metas):
            self.sents_by_chunk.setdefault(m["chunk_id"], []).append(i)
        self.chunk_pos = {cid: i for i, cid in enumerate(self.chunk_ids)}
        self.sent_terms = [frozenset(terms(t)) for t in self.sent_texts]  # for lexical scoring at answer time
        self.sents_by_source: dict[str, list[int]] = {}
        for i, m in enumerate(self.sent_metas):
            self.sents_by_source.setdefault(m["source_id"], []).append(i)

    @classmethod
    def load(cls, chunk_store: VectorStore, sentence_store: VectorStore, claim_store: VectorStore | None = None,
             generation: int = 0) -> "Snapshot":
        cids, ctexts, cmetas, _ = chunk_store.get_all()
        sids, stexts, smetas, semb = sentence_store.get_all(with_embeddings=True)
        order = sorted(range(len(sids)), key=lambda i: (smetas[i]["chunk_id"], smetas[i]["sentence"]))
        semb = semb[order] if semb is not None else np.zeros((0, 384), dtype=np.float32)
        claim_keys, claim_emb = [], np.zeros((0, semb.shape[1] if semb.size else 384), dtype=np.float32)
        if claim_store is not None:
            _, _, kmetas, kemb = claim_store.get_all(with_embeddings=True)
            if kemb is not None:
                claim_keys, claim_emb = [(m["claim_id"], int(m["k"])) for m in kmetas], kemb
        return cls(chunk_store, cids, ctexts, cmetas, [sids[i] for i in order], [stexts[i] for i in order],
                   [smetas[i] for i in order], np.ascontiguousarray(semb), claim_keys, claim_emb, generation)

    def source_ids(self) -> set[str]:
        return {m["source_id"] for m in self.chunk_metas}
