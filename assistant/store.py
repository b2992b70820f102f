"""Vector stores: one small interface, a Chroma implementation and an in-memory fake.

Chroma is always opened with our own embedding function (never its default, which
would try to download a model) and with telemetry off.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

from .embed import Embedder
from .errors import AssistantError, IndexMissingError


@dataclass
class Hit:
    id: str
    text: str
    metadata: dict
    similarity: float  # cosine similarity in [-1, 1]


class VectorStore(Protocol):
    def count(self) -> int: ...

    def get_all(self, with_embeddings: bool = False) -> tuple[list[str], list[str], list[dict], np.ndarray | None]: ...

    def upsert(self, ids: Sequence[str], embeddings: np.ndarray, texts: Sequence[str], metadatas: Sequence[dict]) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def query(self, embedding: np.ndarray, k: int) -> list[Hit]: ...


class MemoryStore:
    """Exact cosine search over arrays: the test fake, and a reference for Chroma."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[np.ndarray, str, dict]] = {}

    def count(self) -> int:
        return len(self._rows)

    def get_all(self, with_embeddings: bool = False):
        ids = list(self._rows)
        emb = np.array([self._rows[i][0] for i in ids], dtype=np.float32).reshape(len(ids), -1) if with_embeddings else None
        return ids, [self._rows[i][1] for i in ids], [dict(self._rows[i][2]) for i in ids], emb

    def upsert(self, ids, embeddings, texts, metadatas) -> None:
        for i, e, t, m in zip(ids, embeddings, texts, metadatas):
            self._rows[i] = (np.asarray(e, dtype=np.float32), t, dict(m))

    def delete(self, ids) -> None:
        for i in ids:
            self._rows.pop(i, None)

    def query(self, embedding, k: int) -> list[Hit]:
        if not self._rows:
            return []
        ids, texts, metas, emb = self.get_all(with_embeddings=True)
        sims = emb @ np.asarray(embedding, dtype=np.float32)
        order = np.argsort(-sims)[:k]
        return [Hit(ids[i], texts[i], metas[i], float(sims[i])) for i in order]


_READ_ONLY = "a loaded snapshot is read-only — change the corpus and run `strength-assistant ingest`"


class ArrayStore:
    """A read-only store over arrays already in memory: exact cosine search by one matrix product.
    What a loaded snapshot answers from, whichever store it was read out of."""

    def __init__(self, ids: list[str], texts: list[str], metas: list[dict], emb: np.ndarray):
        self.ids, self.texts, self.metas = ids, texts, metas
        self.emb = np.ascontiguousarray(emb, dtype=np.float32).reshape(len(ids), -1)

    def count(self) -> int:
        return len(self.ids)

    def get_all(self, with_embeddings: bool = False):
        return list(self.ids), list(self.texts), [dict(m) for m in self.metas], (self.emb if with_embeddings else None)

    def upsert(self, ids, embeddings, texts, metadatas) -> None:
        raise AssistantError(_READ_ONLY)

    def delete(self, ids) -> None:
        raise AssistantError(_READ_ONLY)

    def query(self, embedding, k: int) -> list[Hit]:
        if not self.ids:
            return []
        sims = self.emb @ np.asarray(embedding, dtype=np.float32)
        k = min(k, len(self.ids))
        top = np.argpartition(-sims, k - 1)[:k]
        order = top[np.argsort(-sims[top], kind="stable")]
        return [Hit(self.ids[i], self.texts[i], dict(self.metas[i]), float(sims[i])) for i in order]


def _chroma_ef_class():
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class AssistantEmbeddingFunction(EmbeddingFunction[Documents]):
        """Chroma adapter around our embedder; records the model id in the collection."""

        def __init__(self, embedder: Embedder | None = None, model_id: str = ""):
            self.embedder = embedder
            self.model_id = model_id or (embedder.model_id if embedder else "")

        def __call__(self, input: Documents) -> Embeddings:
            if self.embedder is None:
                raise AssistantError("embedding function has no model — open the store through assistant.store")
            return list(self.embedder.embed_documents(list(input)))

        @staticmethod
        def name() -> str:
            return "runner-strength-assistant"

        def get_config(self) -> dict[str, Any]:
            return {"model_id": self.model_id}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> "AssistantEmbeddingFunction":
            return AssistantEmbeddingFunction(None, config.get("model_id", ""))

        def default_space(self):
            return "cosine"

    return AssistantEmbeddingFunction


_EF = None


def embedding_function(embedder: Embedder):
    global _EF
    if _EF is None:
        _EF = _chroma_ef_class()
    return _EF(embedder)


def chroma_client(path: Path | None = None, url: str = ""):
    """A Chroma client: HTTP when ``url`` is given, else embedded at ``path``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    cs = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if url:
        from urllib.parse import urlparse

        u = urlparse(url)
        if not u.hostname:
            raise AssistantError(f"ASSISTANT_CHROMA_URL={url!r} is not a URL — use http://host:port")
        try:
            return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=cs)
        except Exception as e:  # connection refused, bad host, version mismatch
            raise AssistantError(f"cannot reach the Chroma server at {url} ({e.__class__.__name__}) — start it with "
                                 f"`chroma run --path DIR --port {u.port or 8000}` or unset ASSISTANT_CHROMA_URL") from None
    return chromadb.PersistentClient(path=str(path), settings=cs)


class ChromaStore:
    """A Chroma collection (embedded or server) behind the VectorStore interface."""

    def __init__(self, client, name: str, embedder: Embedder, create: bool = False):
        self.client = client
        self.name = name
        ef = embedding_function(embedder)
        if create:
            self.col = client.get_or_create_collection(name, embedding_function=ef, metadata={"hnsw:space": "cosine"})
        else:
            from chromadb.errors import NotFoundError

            try:
                self.col = client.get_collection(name, embedding_function=ef)
            except NotFoundError:
                raise IndexMissingError(f"index collection {name!r} not found — run `strength-assistant ingest`") from None
            stored = (self.col.configuration_json or {}).get("embedding_function") or {}
            stored_model = (stored.get("config") or {}).get("model_id")
            if stored_model and stored_model != embedder.model_id:
                raise AssistantError(f"the index was built with {stored_model}, not {embedder.model_id} — run `strength-assistant ingest --rebuild`")

    def count(self) -> int:
        return self.col.count()

    PAGE = 5000  # rows per read: one unbounded get() of a large collection fails with "too many SQL variables"

    def get_all(self, with_embeddings: bool = False):
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        ids, docs, metas, embs = [], [], [], []
        while True:
            got = self.col.get(include=include, limit=self.PAGE, offset=len(ids))
            ids += got["ids"]
            docs += got["documents"]
            metas += got["metadatas"]
            if with_embeddings and len(got["ids"]):
                embs.append(np.asarray(got["embeddings"], dtype=np.float32))
            if len(got["ids"]) < self.PAGE:
                break
        emb = np.concatenate(embs) if embs else None
        return ids, docs, metas, emb

    def upsert(self, ids, embeddings, texts, metadatas) -> None:
        step = 1000
        for s in range(0, len(ids), step):
            self.col.upsert(ids=list(ids[s:s + step]), embeddings=np.asarray(embeddings[s:s + step]),
                            documents=list(texts[s:s + step]), metadatas=list(metadatas[s:s + step]))

    def delete(self, ids) -> None:
        if ids:
            self.col.delete(ids=list(ids))

    def query(self, embedding, k: int) -> list[Hit]:
        n = min(k, self.col.count())
        if n == 0:
            return []
        r = self.col.query(query_embeddings=[np.asarray(embedding, dtype=np.float32)], n_results=n,
                           include=["documents", "metadatas", "distances"])
        return [Hit(i, d, m, 1.0 - float(dist)) for i, d, m, dist in
                zip(r["ids"][0], r["documents"][0], r["metadatas"][0], r["distances"][0])]
