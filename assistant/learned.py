"""A small linear model over sentence embeddings: which class a question's vector belongs to — a question type
(fitted on the taxonomy's prototypes and the guides' ``asks``), or, in the scope model, about lifting or not (the same
questions against ``data/off_topic_examples.yaml``).

Fitted once with scikit-learn's logistic regression; its weights are cached next to the embedding caches under a hash
of the training data, so a later start loads them instead of fitting again.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMAT = 2  # part of the cache key: a change to how the model is fitted must not load weights fitted the old way

@dataclass(frozen=True)
class LinearTypeModel:
    weights: np.ndarray   # (types, dims)
    bias: np.ndarray      # (types,)

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, n_types: int, c: float, cache_dir: Path | None = None) -> "LinearTypeModel":
        """Fit on vectors ``X`` labelled ``y`` (type indexes); a type with no example never wins (its bias is -inf)."""
        key = hashlib.sha256(np.ascontiguousarray(X).tobytes() + y.tobytes() + f"{FORMAT}:{n_types}:{c}".encode()).hexdigest()[:16]
        path = Path(cache_dir) / f"type-model-{key}.npz" if cache_dir else None
        if path and path.exists():
            try:
                with np.load(path) as saved:
                    return cls(saved["weights"], saved["bias"])
            except (OSError, ValueError, KeyError):
                pass
        weights = np.zeros((n_types, X.shape[1]), dtype=np.float32)
        bias = np.full(n_types, -np.inf, dtype=np.float32)
        present = np.unique(y)
        if len(present) >= 2:
            from sklearn.linear_model import LogisticRegression

            model = LogisticRegression(C=c, max_iter=3000).fit(X, y)
            if len(model.classes_) == 2:  # one row of weights for the second class: softmax(0, z) is its sigmoid
                bias[model.classes_] = (0.0, float(model.intercept_[0]))
                weights[model.classes_[1]] = model.coef_[0]
            else:
                weights[model.classes_] = model.coef_
                bias[model.classes_] = model.intercept_
        elif len(present) == 1:
            bias[present] = 0.0
        if path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
                np.savez(tmp, weights=weights, bias=bias)
                os.replace(tmp, path)
            except OSError:
                pass
        return cls(weights, bias)

    def proba(self, v: np.ndarray) -> np.ndarray:
        """Per type, the probability that ``v`` (a unit vector) is a question of that type."""
        z = self.weights @ v + self.bias
        z = np.exp(z - np.max(z))
        return z / z.sum()
