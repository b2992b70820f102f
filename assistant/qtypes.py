"""Question types (``data/question_types.yaml``) and the classifier that recognises them in a question."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import yaml

from .embed import cached_vectors
from .errors import CorpusError
from .learned import LinearTypeModel
from .settings import ClassifierConfig
from .text import question_sentences

DATA = Path(__file__).parent / "data" / "question_types.yaml"
EXAMPLES = Path(__file__).parent / "data" / "off_topic_examples.yaml"
POPULATION_TYPES = {"older-women-bone", "beginners"}  # who is asking, rather than what about
OUTCOME_TYPES = {"running-economy", "race-performance", "injury", "muscle-mass", "soreness-interference"}
DOSE_TYPES = {"frequency", "reps-sets", "load-intensity", "rest"}  # how much, how often: details of an outcome question
_COMPARES = re.compile(r"\b(than|vs\.?|versus|instead of|compared)\b", re.I)  # "a 3rd session ... than 2": about the dose
# "my worry isn't bulking", "not bothered about muscle size": a subject the runner sets aside
_DENIED = re.compile(r"\b(isn'?t|is not|not|no|never|nothing to do with|don'?t care about)\s+(\w+\s+){0,2}$", re.I)
# "if I add 2 sessions a week, how many minutes could that be worth?": the dose is the premise, the outcome is asked
_IF_I_ADD = re.compile(r"^\W*(if|say|suppose)\s+(i|we|you|she|he|they)\s+(add|do|lift|start|train|keep)\b", re.I)
_YES_NO = re.compile(r"^\W*(will|would|does|do|did|can|could|is|are|should|might|may)\b", re.I)


@dataclass(frozen=True)
class QuestionType:
    id: str
    title: str
    description: str
    prototypes: tuple[str, ...]
    cues: re.Pattern
    caveat_topics: frozenset = frozenset()  # caveat topics (data/caveats.yaml) an answer of this type always carries


@lru_cache(maxsize=1)
def question_types() -> tuple[QuestionType, ...]:
    """The taxonomy in ``data/question_types.yaml``, in file order."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(QuestionType(t["id"], t["title"], t["description"], tuple(t.get("prototypes") or ()),
                              re.compile(t.get("cues") or r"(?!)", re.I), frozenset(t.get("caveat_topics") or ()))
                 for t in raw)


@lru_cache(maxsize=1)
def off_topic_examples() -> tuple[str, ...]:
    """Runners' questions about something other than lifting, from ``data/off_topic_examples.yaml`` (written from
    the scope of the assistant, never from eval cases): what the scope model learns as off topic."""
    raw = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")) or []
    bad = [q for q in (raw if isinstance(raw, list) else [raw]) if not isinstance(q, str)]
    if bad:
        raise CorpusError(f"{EXAMPLES}: every entry must be a question as text, not {bad[0]!r} — put a question "
                          "that contains ': ' in quotes")
    return tuple(raw)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, QuestionType]:
    return {t.id: t for t in question_types()}


def question_type(type_id: str | None) -> QuestionType | None:
    """One question type by id (None when unknown)."""
    return _by_id().get(type_id)


class TypeClassifier:
    """Question type by embedding similarity to each type's prototypes and description, plus its cue words, plus a
    linear model (``learned.py``) fitted on the prototypes and on ``examples``: the vectors of labelled questions,
    the guides' ``asks`` (the questions each guide sentence answers first), with their guides' types.

    Vectors and the fitted model are cached in ``cache_dir`` under a hash of the model and the texts,
    so only the first start after a change embeds and fits them."""

    def __init__(self, embedder, cache_dir: Path | None = None, config: ClassifierConfig | None = None,
                 examples: tuple[np.ndarray, Sequence[str]] | None = None):
        self.types = question_types()
        texts, owners = [], []
        for i, t in enumerate(self.types):
            for p in (*t.prototypes, t.description):
                texts.append(p)
                owners.append(i)
        self.vectors = cached_vectors(embedder, texts, cache_dir, "question-types")
        self.owners = np.asarray(owners)
        self.config = config or ClassifierConfig()
        index = {t.id: i for i, t in enumerate(self.types)}
        vectors, labels = examples if examples is not None else (np.zeros((0, self.vectors.shape[1])), [])
        known = [j for j, t in enumerate(labels) if t in index]  # (vectors, their type ids): already embedded
        X = np.vstack([self.vectors, np.asarray(vectors, dtype=np.float32).reshape(-1, self.vectors.shape[1])[known]])
        y = np.concatenate([self.owners, [index[labels[j]] for j in known]]).astype(np.int64)
        self.learned = LinearTypeModel.fit(X, y, len(self.types), self.config.learned_c, cache_dir)
        # apart from it, on the same questions against runners' questions about other things: is it about lifting?
        off = list(off_topic_examples())
        off_vectors = cached_vectors(embedder, off, cache_dir, "off-topic-examples") if off \
            else np.zeros((0, X.shape[1]), dtype=np.float32)
        self.scope_model = LinearTypeModel.fit(np.vstack([X, off_vectors]),
                                               np.repeat(np.array([0, 1], dtype=np.int64), [len(X), len(off_vectors)]),
                                               2, self.config.learned_c, cache_dir)

    def classify(self, text: str, qv: np.ndarray, context: str = "", prior: str | None = None) -> tuple[str | None, float]:
        """Best type for a question (``text``: what was asked, ``qv``: its vector); population cues may come from
        ``context`` (the question with the sentence before it)."""
        sims = self.vectors @ qv
        best = np.full(len(self.types), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owners, sims)
        # cue words count in the question sentence itself; the sentence it points back to ("Is that all nervous
        # system?" after "…4 weeks into a block…") counts only when the question names no cue of its own
        own = question_sentences(text)
        if own and own != text and any(t.cues.search(own) for t in self.types):
            text = own
        def count(t: QuestionType, where: str) -> int:
            return len({m.group(0).lower() for m in t.cues.finditer(where)
                        if not _DENIED.search(m.string[max(0, m.start() - 16):m.start()])})
        hits = [count(t, text) for t in self.types]
        # who is asking may be said in the backstory ("I coach a 58-year-old woman …") — but it makes a question
        # about that group only when the question's own words name no other subject ("…and whether once a
        # fortnight is enough" asks about frequency)
        if context and not any(h for h, t in zip(hits, self.types) if t.id not in POPULATION_TYPES):
            hits = [count(t, f"{context} {text}") if t.id in POPULATION_TYPES else h for h, t in zip(hits, self.types)]
        cued = [h > 0 for h in hits]
        if (_YES_NO.match(text) or _IF_I_ADD.match(text)) and not _COMPARES.search(text) \
                and any(c and t.id in OUTCOME_TYPES for c, t in zip(cued, self.types)):
            # "will two sessions a week put weight on me?" asks about the outcome; the dose is a detail of it
            hits = [0 if t.id in DOSE_TYPES else h for h, t in zip(hits, self.types)]
        # each distinct cue counts, up to two: "the whole block… a maintenance thing" outweighs one "heavy"
        scores = best + np.array([self.config.cue_bonus * min(h, 2) for h in hits])
        prior_hits = sum(h for h, t in zip(hits, self.types) if t.id == prior)
        other_hits = max((h for h, t in zip(hits, self.types) if t.id != prior), default=0)
        if prior and (other_hits == 0 or other_hits < prior_hits):
            # a follow-up continues the conversation's topic unless its own words name another as clearly
            # ("and rest between sets?" after a question about sets and reps)
            scores = scores + np.array([self.config.follow_up_bonus if t.id == prior else 0.0 for t in self.types])
        # the learned model helps pick the type; how surely the question fits the taxonomy at all (the score scope
        # and confidence read) stays that of the similarity-and-cue pick. It learned standalone questions, so a
        # follow-up is read with the conversation's topic alone.
        i = self._pick(scores, cued)
        if prior or not self.config.learned_weight:
            return self.types[i].id, float(scores[i])
        j = self._pick(scores + self.config.learned_weight * self.learned.proba(qv), cued)
        if self.types[j].id in POPULATION_TYPES and self.types[i].id in OUTCOME_TYPES:
            j = i  # "…her running economy at her age?" asks about the outcome, whoever is asking
        return self.types[j].id, float(scores[i])

    def off_topic(self, qv: np.ndarray) -> float:
        """The scope model's probability that a question (its vector ``qv``) is about something other than lifting."""
        return float(self.scope_model.proba(qv)[1])

    def _pick(self, scores: np.ndarray, cued: list[bool]) -> int:
        i = int(scores.argmax())
        if self.types[i].id in POPULATION_TYPES:  # "does lifting improve economy for women?" asks about economy
            others = [j for j, t in enumerate(self.types) if cued[j] and t.id in OUTCOME_TYPES
                      and scores[j] >= scores[i] - self.config.population_margin]
            if others:
                i = max(others, key=lambda j: scores[j])
        return i
