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


def test_two_classes_give_the_probability_of_the_second(tmp_path):
    rng = np.random.default_rng(2)
    X, y = _blobs(rng, n_types=2)
    model = LinearTypeModel.fit(X, y, n_types=2, c=16.0, cache_dir=tmp_path)
    p = [model.proba(x)[1] for x in X]
    assert all(v < 0.5 for v in p[:20]) and all(v > 0.5 for v in p[20:])


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
    texts = ("gym at lunch and a run after work on one day?", "lift midday, run in the evening?",
             "same day lifting and running, hours apart?", "lunchtime weights then an evening run")
    examples = (np.asarray(embedder.embed_documents(list(texts)), dtype=np.float32), [other] * len(texts))
    steered = TypeClassifier(embedder, tmp_path, ClassifierConfig(learned_weight=5.0), examples=examples)
    qtype, _ = steered.classify(question, qv)
    assert qtype == other
    assert TypeClassifier(embedder, tmp_path, ClassifierConfig(learned_weight=0.0), examples=examples).classify(question, qv) \
        == (base_type, base_score)


def test_a_question_about_something_else_is_declined_despite_a_lifting_aside(assistant):
    """The learned off-topic model declines a message that asks about another subject and mentions the gym only in
    passing; questions about lifting, or what the evidence explains, are answered."""
    assert assistant.ask("Gym is going fine. Any tips for running in 35 degree heat for a summer half marathon?").refused
    assert assistant.ask("I lift twice a week, no questions there. What should my easy pace be if my 10k is 48 "
                         "minutes?").refused
    assert not assistant.ask("Is it worth doing strength training if I only run 20k a week?").refused
    assert not assistant.ask("What actually is running economy and why does it matter for a marathoner?").refused


def test_the_off_topic_threshold_is_a_setting(assistant):
    message = "Gym is going fine. Any tips for running in 35 degree heat for a summer half marathon?"
    u = assistant.understand(message)
    assert assistant._asks_elsewhere(u, message)
    from dataclasses import replace

    saved = assistant.settings
    try:
        assistant.settings = replace(saved, off_topic_probability=1.0)
        assert not assistant._asks_elsewhere(u, message) and not assistant.ask(message).refused  # the rule declined it
    finally:
        assistant.settings = saved


def test_an_off_topic_example_that_is_not_text_names_the_fix(tmp_path, monkeypatch):
    import pytest

    from assistant import qtypes
    from assistant.errors import CorpusError

    bad = tmp_path / "off_topic_examples.yaml"
    bad.write_text("- how many gels in a marathon?\n- my question is about gels: how many?\n", encoding="utf-8")
    monkeypatch.setattr(qtypes, "EXAMPLES", bad)
    qtypes.off_topic_examples.cache_clear()
    try:
        with pytest.raises(CorpusError, match="put a question that contains ': ' in quotes"):
            qtypes.off_topic_examples()
    finally:
        qtypes.off_topic_examples.cache_clear()
