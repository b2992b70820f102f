"""The learned question-type model: a linear model over embeddings, fitted on labelled questions and cached."""
from __future__ import annotations

import numpy as np

from assistant.learned import LinearTypeModel
from assistant.qtypes import TypeClassifier
from assistant.settings import ClassifierConfig


def _blobs(rng, n_types=3, per=20, dims=8):
    centres = np.eye(dims)[:n_types] * 3
    X = np.vstack([c + rng.normal(0, 0.3, (per, dims)) for c in centres])
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X.astype(np.float32), np.repeat(np.arange(n_types), per)


def test_fits_labelled_vectors_and_a_type_without_examples_never_wins(tmp_path):
    rng = np.random.default_rng(0)
    X, y = _blobs(rng)
    model = LinearTypeModel.fit(X, y, n_types=4, c=16.0, cache_dir=tmp_path)
    p = model.proba(X[0])
    assert abs(p.sum() - 1) < 1e-5 and p[3] == 0.0
    assert [int(model.proba(x).argmax()) for x in X] == list(y)


def test_the_fitted_weights_are_cached_and_reloaded(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    X, y = _blobs(rng)
    first = LinearTypeModel.fit(X, y, n_types=3, c=16.0, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("type-model-*.npz"))) == 1
    import sklearn.linear_model

    def refuse(*a, **k):
        raise AssertionError("fitted again instead of loading the cache")

    monkeypatch.setattr(sklearn.linear_model, "LogisticRegression", refuse)
    again = LinearTypeModel.fit(X, y, n_types=3, c=16.0, cache_dir=tmp_path)
    assert np.array_equal(first.weights, again.weights) and np.array_equal(first.bias, again.bias)


def test_labelled_examples_steer_the_type_and_leave_its_score_alone(embedder, tmp_path):
    """Questions labelled with a type pull a question phrased like them towards it; the returned score (which scope
    and confidence read) is the similarity-and-cue score, with or without the model."""
    question = "what about doing the gym stuff at lunch and the run after work, same day?"
    qv = np.asarray(embedder.embed_query(question), dtype=np.float32)
    plain = TypeClassifier(embedder, tmp_path, ClassifierConfig(learned_weight=0.0))
    base_type, base_score = plain.classify(question, qv)
    other = next(t.id for t in plain.types if t.id not in (base_type, "scheduling"))
    examples = [(q, other) for q in ("gym at lunch and a run after work on one day?", "lift midday, run in the evening?",
                                     "same day lifting and running, hours apart?", "lunchtime weights then an evening run")]
    steered = TypeClassifier(embedder, tmp_path, ClassifierConfig(learned_weight=5.0), examples=examples)
    qtype, _ = steered.classify(question, qv)
    assert qtype == other
    assert TypeClassifier(embedder, tmp_path, ClassifierConfig(learned_weight=0.0), examples=examples).classify(question, qv) \
        == (base_type, base_score)
