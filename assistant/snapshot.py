"""One index generation loaded for answering: chunks and sentences with their vectors, ledger vectors, BM25.

A ``Snapshot`` is read out of the vector store once and is immutable afterwards, so many threads can answer
from it at once; dense search runs over its arrays (exact cosine).  It can be saved to one ``.npz`` file
and read back without the vector store — what lets a one-shot ``ask`` start without opening Chroma.
"""
from __future__ import annotations

import json
import math
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import bm25s

from .store import ArrayStore, VectorStore
from .text import terms

FORMAT = 1  # bump when what a saved snapshot holds changes


@dataclass
class Snapshot:
    """One index generation, loaded for answering."""
    chunk_store: VectorStore  # dense search over the chunks (an ArrayStore once loaded)
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
    corpus_hash: str = ""  # the manifest's fingerprint of the corpus files this generation was built from
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
             generation: int = 0, corpus_hash: str = "") -> "Snapshot":
        cids, ctexts, cmetas, cemb = chunk_store.get_all(with_embeddings=True)
        sids, stexts, smetas, semb = sentence_store.get_all(with_embeddings=True)
        order = sorted(range(len(sids)), key=lambda i: (smetas[i]["chunk_id"], smetas[i]["sentence"]))
        semb = semb[order] if semb is not None else np.zeros((0, 384), dtype=np.float32)
        claim_keys, claim_emb = [], np.zeros((0, semb.shape[1] if semb.size else 384), dtype=np.float32)
        if claim_store is not None:
            _, _, kmetas, kemb = claim_store.get_all(with_embeddings=True)
            if kemb is not None:
                claim_keys, claim_emb = [(m["claim_id"], int(m["k"])) for m in kmetas], kemb
        dim = semb.shape[1] if semb.size else 384
        chunks = ArrayStore(cids, ctexts, cmetas, cemb if cemb is not None else np.zeros((0, dim), dtype=np.float32))
        return cls(chunks, cids, ctexts, cmetas, [sids[i] for i in order], [stexts[i] for i in order],
                   [smetas[i] for i in order], np.ascontiguousarray(semb), claim_keys, claim_emb, generation, corpus_hash)

    # -- a copy on disk -------------------------------------------------------
    def save(self, path: Path, key: dict) -> None:
        """Write this snapshot to ``path`` (atomically) under ``key``: what must still hold for it to be reused."""
        chunk_emb = self.chunk_store.get_all(with_embeddings=True)[3]
        doc = {"format": FORMAT, "key": key, "generation": self.generation, "corpus_hash": self.corpus_hash,
               "chunks": [self.chunk_ids, self.chunk_texts, self.chunk_metas],
               "sentences": [self.sent_ids, self.sent_texts, self.sent_metas], "claim_keys": self.claim_keys}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            np.savez(f, doc=np.array(json.dumps(doc)), chunk_emb=chunk_emb, sent_emb=self.sent_emb,
                     claim_emb=self.claim_emb if self.claim_emb is not None else np.zeros((0, self.sent_emb.shape[1])))
        os.replace(tmp, path)

    @classmethod
    def read(cls, path: Path, key: dict) -> "Snapshot | None":
        """The snapshot saved at ``path`` if it was saved under ``key``; None when missing, unreadable or stale."""
        try:
            with np.load(path, allow_pickle=False) as z:
                doc = json.loads(str(z["doc"]))
                if doc.get("format") != FORMAT or doc.get("key") != key:
                    return None
                chunk_emb, sent_emb, claim_emb = z["chunk_emb"], z["sent_emb"], z["claim_emb"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # missing, truncated or from another version: read the store instead
            return None
        cids, ctexts, cmetas = doc["chunks"]
        sids, stexts, smetas = doc["sentences"]
        return cls(ArrayStore(cids, ctexts, cmetas, chunk_emb), cids, ctexts, cmetas, sids, stexts, smetas,
                   np.ascontiguousarray(sent_emb, dtype=np.float32), [tuple(k) for k in doc["claim_keys"]],
                   np.asarray(claim_emb, dtype=np.float32), doc["generation"], doc["corpus_hash"])

    def source_ids(self) -> set[str]:
        return {m["source_id"] for m in self.chunk_metas}
