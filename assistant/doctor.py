"""``strength-assistant doctor``: check every moving part and say what to fix."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError
from .settings import Settings


@dataclass
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str

    def line(self) -> str:
        mark = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}[self.status]
        return f"[{mark}] {self.name}: {self.detail}"


def run_checks(settings: Settings) -> list[Check]:
    out: list[Check] = []
    # 1. data folder
    data = Path(settings.data_dir)
    try:
        data.mkdir(parents=True, exist_ok=True)
        probe = data / f".doctor-{os.getpid()}"
        probe.write_text("ok")
        probe.unlink()
        out.append(Check("data folder", "ok", f"{data} is writable"))
    except OSError as e:
        out.append(Check("data folder", "fail", f"{data} is not writable ({e.strerror}) — set ASSISTANT_DATA_DIR to a writable folder"))
    # 2. model
    embedder = None
    try:
        from .embed import get_embedder

        embedder = get_embedder(settings.embedder, settings.model_path, Path(settings.data_dir) / "models")
        dim = len(embedder.embed_query("doctor check"))
        backend = getattr(embedder, "backend", settings.embedder)
        out.append(Check("embedding model", "ok", f"{embedder.model_id} on {backend} ({settings.embedder}, {dim} dims) "
                                                  f"at {settings.model_path}"))
    except AssistantError as e:
        out.append(Check("embedding model", "fail", str(e)))
    # 3. corpus
    sources = None
    try:
        from .claims import load_ledger
        from .corpus import load_corpus

        sources = load_corpus(settings.corpus_dir)
        ledger = load_ledger(settings.corpus_dir, {s.id for s in sources})
        out.append(Check("corpus", "ok", f"{len(sources)} notes, {len(ledger)} ledger claims in {settings.corpus_dir}"))
    except AssistantError as e:
        out.append(Check("corpus", "fail", str(e).splitlines()[0] + " — fix the file(s) named, then run `strength-assistant ingest`"))
    # 4. Chroma server
    if settings.chroma_url:
        try:
            from .store import chroma_client

            t = time.perf_counter()
            chroma_client(None, settings.chroma_url).heartbeat()
            out.append(Check("chroma server", "ok", f"{settings.chroma_url} answered in {1000 * (time.perf_counter() - t):.0f} ms"))
        except AssistantError as e:
            out.append(Check("chroma server", "fail", str(e)))
        except Exception as e:
            out.append(Check("chroma server", "fail", f"{settings.chroma_url} unreachable ({str(e).splitlines()[0][:120]}) — start it "
                             "with `chroma run --path DIR --port PORT` or unset ASSISTANT_CHROMA_URL"))
    # 5. index health and agreement with the corpus
    if embedder is not None:
        from .index import IndexManager, corpus_fingerprint

        mgr = IndexManager(settings, embedder=embedder)
        try:
            chunks, sents, claims, man = mgr.open_current()
            detail = (f"generation {man['generation']}, {chunks.count()} chunks, {sents.count()} sentences, "
                      f"{claims.count()} claim texts, built {man.get('built_at', '?')}")
            out.append(Check("index", "ok", detail))
            if sources is not None:
                if man.get("corpus_hash") == corpus_fingerprint(sources, settings.corpus_dir):
                    out.append(Check("corpus/index agreement", "ok", "the index matches the corpus"))
                else:
                    out.append(Check("corpus/index agreement", "warn", "the corpus changed since the last ingest — "
                                     "run `strength-assistant ingest` (the app and `ask` also do it automatically)"))
        except AssistantError as e:
            out.append(Check("index", "fail", str(e)))
    # 6. LLM backend
    if settings.llm:
        try:
            from .llm import make_model

            model = make_model(settings.with_(llm_timeout=min(settings.llm_timeout, 10.0)))
            t = time.perf_counter()
            model.invoke("Reply with OK.")
            out.append(Check("LLM backend", "ok", f"{settings.llm} answered in {time.perf_counter() - t:.1f} s"))
        except Exception as e:
            out.append(Check("LLM backend", "warn", f"{settings.llm} unreachable ({str(e).splitlines()[0][:120] if str(e) else e.__class__.__name__}); "
                             "answers fall back to the grounded composer — start the server or unset ASSISTANT_LLM"))
    else:
        out.append(Check("LLM backend", "ok", "not configured: the grounded composer answers (no LLM needed)"))
    return out
