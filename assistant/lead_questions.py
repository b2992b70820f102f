"""The questions each guide sentence answers first (a guide's ``asks`` front matter, carried in the index as each
sentence's ``asks``), embedded once and cached: a runner's question is compared with questions, which the
embedding model matches far better than a question with a statement."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .embed import cached_vectors


class SentenceQuestions:
    def __init__(self, snapshot, embedder, cache_dir: Path | None = None):
        owners, texts = [], []
        for i, meta in enumerate(snapshot.sent_metas):
            for q in filter(None, (meta.get("asks") or "").split("\n")):
                owners.append(i)
                texts.append(q)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.vectors = cached_vectors(embedder, texts, cache_dir, "sentence-questions") if texts \
            else np.zeros((0, 1), dtype=np.float32)
        # each question labelled with its guide's first question type: training data for the type classifier
        self.types = [(snapshot.sent_metas[i].get("question_types") or "").split(",")[0] for i in owners]

    def similarity(self, qv: np.ndarray, idxs) -> dict[int, float]:
        """Per sentence in ``idxs`` that has questions, its closest question's similarity to ``qv``."""
        want = np.isin(self.owners, list(idxs))
        if not want.any():
            return {}
        sims = self.vectors[want] @ qv
        out: dict[int, float] = {}
        for i, s in zip(self.owners[want].tolist(), sims.tolist()):
            out[i] = max(out.get(i, -1.0), s)
        return out
