"""Ingest: corpus -> chunks and sentences -> embeddings -> Chroma, incrementally and atomically.

Each build is a *generation*: a pair of collections (chunks, sentences) named
``<collection>-g<N>``.  A small meta collection records which generation is current
and its manifest (model id, corpus hash, chunk and sentence ids with content hashes).
Ingest copies unchanged vectors from the current generation, embeds only what is new,
verifies the counts, then flips the pointer in one write.  Killing ingest at any point
leaves the current generation serving; a reader never sees a half-built index.
The same code runs on the embedded store and on a Chroma server.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .corpus import Chunk, Source, chunk_source, corpus_hash, files_hash, load_corpus
from .embed import Embedder, LazyEmbedder
from .claims import LedgerClaim, ledger_hash, load_ledger
from .errors import AssistantError, IndexDamagedError, IndexMissingError
from .settings import Settings
from .store import ChromaStore, chroma_client
from .text import split_sentences

MANIFEST_VERSION = 3  # bump when what ingest stores changes: older indexes are rebuilt
_ZERO = [0.0]


@dataclass
class IngestReport:
    sources: int = 0
    chunks: int = 0
    sentences: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    seconds: float = 0.0
    generation: int = 0
    changed: bool = False

    def summary(self) -> str:
        state = "rebuilt" if self.changed else "up to date"
        return (f"index {state}: {self.sources} sources, {self.chunks} chunks, {self.sentences} sentences; "
                f"added {self.added}, updated {self.updated}, removed {self.removed}, unchanged {self.unchanged}; "
                f"embedded {self.embedded} texts in {self.seconds:.2f} s")


@dataclass
class Unit:
    """Something we embed and store: a chunk or one of its sentences."""
    id: str
    text: str          # stored document (what is shown and quoted)
    embed_text: str    # what the embedder sees
    metadata: dict
    hash: str
    source_id: str = ""


def build_units(sources: list[Source], chunk_chars: int) -> tuple[list[Unit], list[Unit]]:
    chunks, sentences = [], []
    for src in sources:
        asks = [(a["sentence"], "\n".join(a["asks"])) for a in src.meta.get("asks") or []]
        for c in chunk_source(src, chunk_chars):
            chunks.append(Unit(c.id, c.text, c.embed_text, c.metadata, c.hash, c.source_id))
            for i, s in enumerate(_chunk_sentences(c)):
                h = hashlib.sha256(s.encode()).hexdigest()[:16]
                meta = dict(c.metadata, chunk_id=c.id, sentence=i, hash=h)
                meta.update({"asks": q for start, q in asks if s.startswith(start)})  # the questions it answers first
                sentences.append(Unit(f"{c.id}:{i}", s, s, meta, h, c.source_id))
    return chunks, sentences


def build_claim_units(claims: list[LedgerClaim]) -> list[Unit]:
    units = []
    for c in claims:
        for k, text in enumerate(c.texts):
            h = hashlib.sha256(text.encode()).hexdigest()[:16]
            units.append(Unit(f"{c.id}:{k}", text, text, {"claim_id": c.id, "k": k, "hash": h}, h))
    return units


def _chunk_sentences(c: Chunk) -> list[str]:
    return [s for p in c.text.split("\n\n") for s in split_sentences(p)]


class IndexManager:
    """Owns the collections of one Chroma client (embedded or server)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, client=None):
        self.settings = settings
        self._embedder = embedder
        self._client = client

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = LazyEmbedder(self.settings.embedder, self.settings.model_path)
        return self._embedder

    @property
    def store_path(self) -> Path:
        return Path(self.settings.data_dir) / "chroma"

    @property
    def client(self):
        if self._client is None:
            if not self.settings.chroma_url:
                self.store_path.mkdir(parents=True, exist_ok=True)
            with _guard("open"):
                self._client = chroma_client(self.store_path, self.settings.chroma_url)
        return self._client

    def quarantine(self) -> Path | None:
        """Move a damaged embedded store aside (kept for inspection, never deleted) so a fresh one can be built."""
        if self.settings.chroma_url or not self.store_path.exists():
            return None
        from chromadb.api.shared_system_client import SharedSystemClient

        self._client = None
        SharedSystemClient.clear_system_cache()
        dest = self.store_path.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        os.replace(self.store_path, dest)
        return dest

    def snapshot_key(self) -> dict | None:
        """What a saved snapshot of the embedded store is valid for: the store file exactly as it is now
        (any write — an ingest, damage — changes it), the model and the index format.  None for a Chroma
        server, whose changes cannot be seen from here: that is always read afresh."""
        if self.settings.chroma_url:
            return None
        try:
            st = (self.store_path / "chroma.sqlite3").stat()
        except OSError:
            return None
        return {"store": [st.st_size, st.st_mtime_ns, st.st_ino], "model_id": self.embedder.model_id,
                "version": MANIFEST_VERSION}

    # -- the pointer -------------------------------------------------------
    @property
    def _meta_name(self) -> str:
        return f"{self.settings.collection}-meta"

    def _meta(self, create: bool):
        from .store import embedding_function
        ef = embedding_function(self.embedder)
        if create:
            return self.client.get_or_create_collection(self._meta_name, embedding_function=ef)
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(self._meta_name, embedding_function=ef)
        except NotFoundError:
            return None

    def manifest(self) -> dict | None:
        """The current generation's manifest, or None when no index was ever built."""
        with _guard("read the manifest of"):
            return self._manifest()

    def _manifest(self) -> dict | None:
        meta = self._meta(create=False)
        if meta is None:
            return None
        current = (meta.metadata or {}).get("current")
        if current is None:
            return None
        got = meta.get(ids=[f"manifest-{current}"], include=["documents"])
        if not got["ids"]:  # a pointer to a manifest that is gone: the store lost rows
            raise IndexDamagedError(f"index damaged: the manifest of generation {current} is missing — "
                                    "run `strength-assistant ingest --rebuild`")
        return json.loads(got["documents"][0])

    def _names(self, gen: int) -> tuple[str, str, str]:
        base = f"{self.settings.collection}-g{gen}"
        return base, base + "-sentences", base + "-claims"

    def open_current(self) -> tuple[ChromaStore, ChromaStore, ChromaStore, dict]:
        """The serving collections, checked against their manifest."""
        man = self.manifest()
        if man is None:
            raise IndexMissingError("index not built — run `strength-assistant ingest`")
        if man.get("version") != MANIFEST_VERSION:
            raise AssistantError(f"the index format is out of date (v{man.get('version')}, need v{MANIFEST_VERSION}) — "
                                 "run `strength-assistant ingest --rebuild`")
        if man.get("model_id") != self.embedder.model_id:
            raise AssistantError(f"the index was built with {man.get('model_id')}, not {self.embedder.model_id} — "
                                 "run `strength-assistant ingest --rebuild`")
        with _guard("open"):
            stores = [ChromaStore(self.client, name, self.embedder) for name in self._names(man["generation"])]
            for store, key in zip(stores, ("chunks", "sentences", "claims")):
                if store.count() != len(man.get(key, {})):
                    raise IndexDamagedError(f"index damaged: {store.count()} {key} stored, the manifest expects "
                                            f"{len(man.get(key, {}))} — run `strength-assistant ingest --rebuild`")
        return (*stores, man)

    # -- ingest ------------------------------------------------------------
    def ingest(self, rebuild: bool = False, progress: Callable[[int, int], None] | None = None,
               sources: list[Source] | None = None) -> IngestReport:
        """Validate the corpus, then build a new generation beside the current one and switch to it.
        A store too damaged to open is moved aside (embedded) and rebuilt from scratch."""
        sources = load_corpus(self.settings.corpus_dir) if sources is None else sources  # fail before touching the index
        with self._ingest_lock():  # one ingest at a time on this machine: no lost generation swaps
            try:
                with _guard("update"):
                    return self._ingest(rebuild, progress, sources)
            except IndexDamagedError:
                if self.quarantine() is None:
                    raise
                with _guard("rebuild"):
                    return self._ingest(True, progress, sources)

    @contextlib.contextmanager
    def _ingest_lock(self):
        import fcntl

        data = Path(self.settings.data_dir)
        data.mkdir(parents=True, exist_ok=True)
        with open(data / ".ingest.lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print("waiting for another ingest to finish…", file=sys.stderr)
                fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _ingest(self, rebuild: bool, progress, sources: list[Source]) -> IngestReport:
        t0 = time.perf_counter()
        chunks, sentences = build_units(sources, self.settings.chunk_chars)
        claim_units = build_claim_units(load_ledger(self.settings.corpus_dir, {s.id for s in sources}))
        fingerprint = corpus_fingerprint(sources, self.settings.corpus_dir)
        rep = IngestReport(sources=len(sources), chunks=len(chunks), sentences=len(sentences))
        old = None if rebuild else self._usable_manifest()
        old_chunks = old["chunks"] if old else {}
        old_sources = {cid.split("#", 1)[0] for cid in old_chunks}
        new_ids = {u.id for u in chunks}
        for u in chunks:
            if u.id in old_chunks:
                rep.unchanged += 1
            elif u.source_id in old_sources:
                rep.updated += 1
            else:
                rep.added += 1
        rep.removed = sum(1 for cid in old_chunks if cid not in new_ids)
        if old and old.get("corpus_hash") == fingerprint and old.get("chunk_chars") == self.settings.chunk_chars:
            rep.generation = old["generation"]
            rep.seconds = time.perf_counter() - t0
            return rep

        gen = self._next_generation()
        reuse = self._reusable_vectors(old) if old else {}
        # sorted by length once, so every batch pads little
        todo = sorted((u for u in sentences + claim_units if u.hash not in reuse), key=lambda u: len(u.embed_text))
        rep.embedded = len(todo)
        vectors = dict(reuse)
        total, step = len(todo), 64
        if progress:
            progress(0, total)
        for s in range(0, total, step):
            batch = todo[s:s + step]
            for u, v in zip(batch, self.embedder.embed_documents([u.embed_text for u in batch])):
                vectors[u.hash] = v
            if progress:
                progress(min(s + step, total), total)
        # A chunk's vector is the normalised mean of its sentences' vectors: no second model pass.
        by_chunk: dict[str, list[np.ndarray]] = {}
        for u in sentences:
            by_chunk.setdefault(u.metadata["chunk_id"], []).append(vectors[u.hash])
        for u in chunks:
            m = np.mean(by_chunk[u.id], axis=0)
            vectors[u.hash] = m / max(float(np.linalg.norm(m)), 1e-12)
        names = self._names(gen)
        for name in names:
            self._drop(name)  # a leftover from a killed ingest
        for name, units in zip(names, (chunks, sentences, claim_units)):
            store = ChromaStore(self.client, name, self.embedder, create=True)
            store.upsert([u.id for u in units], np.array([vectors[u.hash] for u in units], dtype=np.float32),
                         [u.text for u in units], [u.metadata for u in units])
            if store.count() != len(units):
                raise AssistantError(f"ingest wrote {store.count()} of {len(units)} items to {name} — run `strength-assistant ingest --rebuild`")
        manifest = {
            "version": MANIFEST_VERSION, "generation": gen, "model_id": self.embedder.model_id,
            "corpus_hash": fingerprint, "chunk_chars": self.settings.chunk_chars,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "sources": {s.id: s.file_hash for s in sources},
            "chunks": {u.id: u.hash for u in chunks}, "sentences": {u.id: u.hash for u in sentences},
            "claims": {u.id: u.hash for u in claim_units},
        }
        meta = self._meta(create=True)
        meta.upsert(ids=[f"manifest-{gen}"], documents=[json.dumps(manifest)], embeddings=[_ZERO * 384])
        previous = (meta.metadata or {}).get("current")
        meta.modify(metadata={"current": gen})  # the swap: one metadata write
        self._collect_garbage(meta, keep={gen, previous})
        rep.generation, rep.changed = gen, True
        rep.seconds = time.perf_counter() - t0
        return rep

    def _generations(self) -> dict[str, int]:
        """Every collection of ours that belongs to a generation -> that generation's number."""
        prefix = self.settings.collection + "-g"
        out = {}
        for c in self.client.list_collections():
            name = c.name if hasattr(c, "name") else str(c)
            g = name[len(prefix):].split("-")[0] if name.startswith(prefix) else ""
            if g.isdigit():
                out[name] = int(g)
        return out

    def _next_generation(self) -> int:
        return max(self._generations().values(), default=0) + 1

    def _usable_manifest(self) -> dict | None:
        """The current manifest if its collections are intact and match the model; else None (full build)."""
        try:
            *_, man = self.open_current()
        except AssistantError:
            return None
        return man

    def _reusable_vectors(self, man: dict) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for name in self._names(man["generation"]):
            store = ChromaStore(self.client, name, self.embedder)
            _, _, metas, emb = store.get_all(with_embeddings=True)
            if emb is None:
                continue
            for m, v in zip(metas, emb):
                out[m["hash"]] = v
        return out

    def _drop(self, name: str) -> None:
        try:
            self.client.delete_collection(name)
        except Exception:
            pass

    def _collect_garbage(self, meta, keep: set) -> None:
        for name, g in self._generations().items():
            if g not in keep:
                self._drop(name)
                meta.delete(ids=[f"manifest-{g}"])


class _guard:
    """Turn any storage-layer failure into IndexDamagedError with the command that fixes it."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or isinstance(exc, (AssistantError, KeyboardInterrupt)):
            return False
        if isinstance(exc, Exception):
            detail = str(exc).splitlines()[0][:160] if str(exc) else exc.__class__.__name__
            raise IndexDamagedError(f"could not {self.what} the index ({detail}) — run "
                                    "`strength-assistant ingest --rebuild`") from exc
        return False


def corpus_fingerprint(sources: list[Source], corpus_dir: Path) -> str:
    """Hash of every note and of the claims ledger: changes when anything ingestible changes."""
    return hashlib.sha256((corpus_hash(sources) + ledger_hash(corpus_dir)).encode()).hexdigest()


def files_fingerprint(corpus_dir: Path) -> str:
    """``corpus_fingerprint`` from file bytes alone (no parsing): what start-up checks staleness with."""
    return hashlib.sha256((files_hash(corpus_dir) + ledger_hash(corpus_dir)).encode()).hexdigest()


def tqdm_progress(desc: str = "embedding"):
    """A progress callback: a tqdm bar on a terminal; otherwise (a log, CI) a plain line every tenth of the way."""
    if not sys.stderr.isatty():
        return plain_progress(desc)
    from tqdm import tqdm

    bar = {"b": None}

    def cb(done: int, total: int) -> None:
        if bar["b"] is None:
            bar["b"] = tqdm(total=total, desc=desc, unit="text", file=sys.stderr, leave=False, disable=total == 0)
        bar["b"].n = done
        bar["b"].refresh()
        if done >= total:
            bar["b"].close()

    return cb


def plain_progress(desc: str, steps: int = 10):
    """Occasional plain progress lines ("evaluating: 40/208") for logs, never carriage-return updates."""
    state = {"next": 0, "last": -1}

    def cb(done: int, total: int) -> None:
        if total <= 0 or done == state["last"] or (done < state["next"] and done < total):
            return
        state["last"] = done
        print(f"{desc}: {done}/{total}", file=sys.stderr, flush=True)
        state["next"] = done + max(1, -(-total // steps))

    return cb
