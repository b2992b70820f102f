"""Question intent: is it in scope, is it about pain or a medical condition, which topics.

Lexicons live in ``data/intents.yaml``.  Misspelt words are corrected against the
corpus vocabulary first, so "do sqauts help my marthon" reads as it was meant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .spelling import SpellFixer  # noqa: F401 — moved; importers of scope.SpellFixer keep working

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def lexicons() -> dict:
    raw = yaml.safe_load((DATA / "intents.yaml").read_text(encoding="utf-8"))
    comp = lambda pats: [re.compile(p, re.I) for p in pats]  # noqa: E731
    return {
        "domain": comp(raw["domain"]),
        "related": comp(raw["related"]),
        "running": comp(raw["running"]),
        "off_topic": comp(raw["off_topic"]),
        "medical": comp(raw["medical"]),
        "condition": comp(raw["medical"][1:]),  # the medical lexicon without its first line, the pain words
        "person_condition": comp(raw["medical"][2:]),  # ...and without injuries: conditions a person has
        "injection": comp(raw["injection"]),
        "topics": {k: re.compile(v, re.I) for k, v in raw["topics"].items()},
        "words": _lexicon_words(raw),
        "answer_types": [(re.compile(t["ask"], re.I), re.compile(t["give"], re.I)) for t in raw.get("answer_types", [])],
        "gap_subjects": comp(raw.get("gap_subjects", [])),
        "untested_subjects": {k: re.compile(v, re.I) for k, v in (raw.get("untested_subjects") or {}).items()},
        "named_marathons": re.compile(raw["named_marathons"], re.I),
    }


def _lexicon_words(raw: dict) -> set[str]:
    text = " ".join(str(v) for v in raw.values())
    return {w.lower() for w in re.findall(r"[a-z]{4,}", text)}


@dataclass
class Intent:
    text: str                      # the question after spelling correction
    domain: bool = False           # names strength training itself
    related: bool = False          # names a topic the research covers (injury, economy, evidence…)
    running: bool = False
    off_topic: bool = False
    medical: bool = False
    condition: bool = False        # a medical condition or injury named (medical, without plain pain words)
    injection: bool = False
    topics: set[str] = field(default_factory=set)
    corrections: dict[str, str] = field(default_factory=dict)


def analyse(question: str, fixer: SpellFixer | None = None) -> Intent:
    lx = lexicons()
    text, fixes = fixer.fix(question) if fixer else (question, {})
    hit = lambda pats: any(p.search(text) for p in pats)  # noqa: E731
    return Intent(
        text=text,
        domain=hit(lx["domain"]),
        related=hit(lx["related"]),
        running=hit(lx["running"]),
        off_topic=hit(lx["off_topic"]),
        medical=hit(lx["medical"]),
        condition=hit(lx["condition"]),
        injection=any(p.search(question) for p in lx["injection"]),
        topics={name for name, p in lx["topics"].items() if p.search(text)}
        | ({"marathon"} if lx["named_marathons"].search(text) else set()),
        corrections=fixes,
    )


_INTERROGATIVE = re.compile(r"\?|(^|[.!;:,-]\s*|\b(and|but|so|then)\s+)(how|what|whats|what's|why|when|which|who|where|should|"
                            r"does|do|did|can|could|is|are|will|would|am|tell me|explain|describe|help me)\b", re.I)


def asks_something(text: str) -> bool:
    """True when the text contains a genuine question (a question mark or an interrogative clause)."""
    return bool(_INTERROGATIVE.search(text))


def vocabulary(texts) -> set[str]:
    words = set(lexicons()["words"])
    for t in texts:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", t))
    return words


# runs and plans are the runner's context in a strength question ("my interval day"), not subjects to decline
_RUNNING_SESSION = re.compile(r"intervals?|tempo( runs?)?|fartlek|splits|(training|marathon|running|race|mileage|workout) "
                              r"(plan|schedule|block)s?", re.I)

# "foot exercises (towel scrunches, toe yoga)": examples in brackets name what the words before them are about
EXAMPLES = re.compile(r"\([^()?]{3,200}\)")


def off_topic_first(text: str) -> bool:
    """Does an out-of-scope subject come before the first strength-training word ("creatine while lifting")?"""
    lx = lexicons()
    text = EXAMPLES.sub(lambda m: " " * len(m.group(0)), text)
    off = [m.start() for p in lx["off_topic"] for m in p.finditer(text) if not _RUNNING_SESSION.fullmatch(m.group(0))]
    dom = [m.start() for p in lx["domain"] for m in p.finditer(text)]
    return bool(off) and (not dom or min(off) < min(dom))


def off_topic_terms(text: str) -> list[str]:
    """The out-of-scope subjects a question names ("running shoes", "carbs"), in order, once each.
    Link targets and markup are not subjects."""
    text = re.sub(r"\]\([^)]*\)|\b(https?|javascript|data):\S*|<[^>]{0,200}>", " ", text)
    text = EXAMPLES.sub(" ", text)
    found = [m.group(0).lower() for p in lexicons()["off_topic"] for m in p.finditer(text)]
    return list(dict.fromkeys(f for f in found if not _RUNNING_SESSION.fullmatch(f)))
