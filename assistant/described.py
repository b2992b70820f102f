"""Which study a claim describes without naming it: "the 11-week trial of well-trained women", "the 2022 update
across 43 studies", "the five-season study of track and field athletes".

A description is read for the attributes a study's front matter records — its length in weeks, months or seasons,
the number of studies pooled, its year, whether it pooled studies, and who took part — and matched against every
study note. It names a study only when one study matches at least two attributes better than any other and none
of its attributes contradicts the description (a claim about women never describes a study of men) — or when it
is the only study with a length or count the description gives ("the 40-week study").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .claimtext import _NUMERALS, outcomes, populations

_N = r"(\d+|" + "|".join(sorted(_NUMERALS, key=len, reverse=True)) + r")"  # a number, or one written as a word
# a study noun: without one the text describes no study
_STUDY_NOUN = re.compile(r"\b(stud(y|ies)|trials?|rct|meta-?analys[ie]s|reviews?|analys[ie]s|papers?|update|cohort)\b", re.I)
_SPANS = {  # a length, as the description says it and as the front matter records it
    "weeks": re.compile(rf"\b{_N}[- ]weeks?\b", re.I),
    "months": re.compile(rf"\b{_N}[- ]months?\b", re.I),
    "seasons": re.compile(rf"\b{_N}[- ]seasons?\b", re.I),
    "studies": re.compile(rf"\b{_N}[- ](?!weeks?\b|months?\b|seasons?\b|years?\b)(?:\w+[- ]){{0,2}}?(?:stud(?:y|ies)|trials)\b",
                          re.I),
}
_COUNT = r"(\d{1,3}(?:[, ]\d{3})+|\d+)"  # "26,000", "26 610"
_PEOPLE = re.compile(rf"\b{_COUNT}\s+(?:[\w-]+\s+){{0,3}}?(?:runners|athletes|men|women|triathletes|participants|people|"
                     r"players|cyclists|lifters)\b", re.I)
# the kind of training a study tested, as descriptions name it
_KINDS = {k: re.compile(v, re.I) for k, v in {
    "explosive": r"\bexplosive", "plyometric": r"\b(plyometric|jump(s|ing)? training|jumps?\b)", "heavy": r"\bheavy",
    "hip-and-core": r"\b(hip|core)\b", "isometric": r"\bisometric", "taper": r"\btaper",
}.items()}
_YEAR = re.compile(r"\b(19[89]\d|20[0-3]\d)\b")
_POOLED = re.compile(r"\b(meta-?analys[ie]s|systematic review|pooled|pooling|review)\b", re.I)
MIN_ATTRIBUTES = 2
# a name a description gives the study by ("the LIFTMOR trial", "that NYC Marathon study"): a word its record
# holds and no other study's does counts as two attributes
_ABBREVIATIONS = {"nyc": "new york city"}
_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")


def _names(text: str) -> set[str]:
    words = {w.lower() for w in _NAME.findall(text)}
    return {x for w in words for x in _ABBREVIATIONS.get(w, w).split()}


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMERALS[token.lower()]


def _count(token: str) -> int:
    return int(re.sub(r"[, ]", "", token))


def _attributes(text: str) -> dict[str, set[int]]:
    return {k: {_number(m.group(1)) for m in rx.finditer(text)} for k, rx in _SPANS.items()}


@dataclass(frozen=True)
class _Study:
    """What a study's front matter says that a description can match, read once per loaded corpus."""
    sid: str
    spans: dict            # lengths and counts (weeks, months, seasons, studies pooled)
    counted: frozenset     # how many took part
    kinds: frozenset       # the kinds of training its title or intervention names
    topics: frozenset      # the outcomes its title names
    year: object
    pooled: bool
    groups: frozenset      # who took part


_STUDIES: dict[tuple[int, int], tuple[tuple[_Study, ...], dict[str, str]]] = {}


def _studies(meta: dict[str, dict]) -> tuple[tuple[_Study, ...], dict[str, str]]:
    """The studies' records, and the words of their titles and populations only one study's record holds ("LIFTMOR",
    "York"), built once per loaded corpus: the same front matter is asked about for every part of every claim."""
    key = (id(meta), len(meta))
    if key not in _STUDIES:
        studies, seen = [], {}
        for sid, m in meta.items():
            if m.get("type") != "study":
                continue
            record = " ".join(str(m.get(k) or "") for k in ("design", "intervention", "population"))
            described = f"{m.get('title', '')} {m.get('intervention', '')}"
            studies.append(_Study(
                sid, _attributes(record), frozenset(_count(x) for x in re.findall(_COUNT, str(m.get("population") or ""))),
                frozenset(k for k, rx in _KINDS.items() if rx.search(described)), frozenset(outcomes(str(m.get("title", "")))),
                m.get("year"), m.get("design_class") in ("meta-analysis", "systematic-review"),
                frozenset(populations(f"{m.get('population', '')} {m.get('title', '')}", study=True))))
            for w in set(re.findall(r"[a-z]{3,}", f"{m.get('title', '')} {m.get('population', '')}".lower())):
                seen.setdefault(w, set()).add(sid)
        _STUDIES.clear()  # (one corpus at a time)
        _STUDIES[key] = (tuple(studies), {w: next(iter(ids)) for w, ids in seen.items() if len(ids) == 1})
    return _STUDIES[key]


def described_studies(text: str, meta: dict[str, dict]) -> set[str]:
    """The study (as a one-element set) that ``text`` describes by its attributes, or an empty set."""
    if not _STUDY_NOUN.search(text):
        return set()
    want = _attributes(text)
    years = {int(y) for y in _YEAR.findall(text)}
    pooled = bool(_POOLED.search(text))
    groups = populations(text)
    people = {_count(m.group(1)) for m in _PEOPLE.finditer(text)}
    kinds = {k for k, rx in _KINDS.items() if rx.search(text)}
    topics = outcomes(text)
    studies, unique = _studies(meta)
    named = {unique[w] for w in _names(text) if w in unique}
    scores: dict[str, int] = {}
    spans: dict[str, int] = {}  # how many of a study's points are lengths or counts only it may have
    for st in studies:
        score = span = 0
        for kind, numbers in want.items():
            if numbers:
                if numbers & st.spans[kind]:
                    score, span = score + 1, span + 1
                elif kind != "studies" or st.spans[kind]:
                    score = -99  # a length the study did not have
        if people and st.counted:  # how many took part, as a claim rounds it ("over 26,000 athletes")
            score += 1 if any(n == c or (c >= 100 and abs(n - c) <= 0.1 * c) for n in people for c in st.counted) else -99
        score += len(kinds & st.kinds)
        score += 1 if topics & st.topics else 0
        if years:
            score += 1 if st.year in years else -99
        if pooled:
            score += 1 if st.pooled else -99
        if groups:
            score += 1 if groups <= st.groups else -99
        score += MIN_ATTRIBUTES if st.sid in named else 0
        if score > 0:
            scores[st.sid], spans[st.sid] = score, span
    if not scores:
        return set()
    best = max(scores.values())
    top = [sid for sid, s in scores.items() if s == best]
    if len(top) != 1:
        return set()
    # two attributes, or one length or count that no other study shares ("the 40-week study")
    return set(top) if best >= MIN_ATTRIBUTES or (spans[top[0]] and len(scores) == 1) else set()
