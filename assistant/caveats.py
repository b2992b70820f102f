"""Caveats attached by general rules over question intent and the cited evidence.

The rules and texts are data (``data/caveats.yaml``); this module only evaluates them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .schema import Caveat, Citation
from .corpus import ARTICLE_ID
from .scope import Intent

DATA = Path(__file__).parent / "data" / "caveats.yaml"


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    sources: tuple[str, ...]
    topics: frozenset[str]
    article_claims: frozenset[str]
    medical: bool
    quotes: re.Pattern | None
    article_topics: frozenset[str]   # topics that fire it only when the question is about the article


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    out = []
    for r in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        w = r.get("when") or {}
        out.append(Rule(r["id"], " ".join(r["text"].split()), tuple(r.get("sources") or ()),
                        frozenset(w.get("topics") or ()), frozenset(w.get("article_claims") or ()),
                        bool(w.get("medical")), re.compile(w["quotes"], re.I) if w.get("quotes") else None,
                        frozenset(w.get("article_topics") or ())))
    return tuple(out)


def echoes_article(text: str) -> bool:
    """The text repeats one of the article's overstated wordings (the ``quotes`` a caveat rule watches for)."""
    return any(r.quotes is not None and r.quotes.search(text) for r in rules())


def caveat_text(caveat_id: str) -> str:
    return next(r.text for r in rules() if r.id == caveat_id)


def select(intent: Intent, citations: list[Citation], claim_ids: set[str] = frozenset(),
           about_article: bool = True) -> list[Caveat]:
    """Caveats for an answer: question topics, medical flags, the article's overstated quotes,
    and (for claim checks) the article claims the matched claim concerns.  ``about_article`` is False for
    ordinary questions, where caveats about what the article says would be noise to a runner."""
    article_quotes = [c.quote for c in citations if c.source_id == ARTICLE_ID]
    out = []
    for r in rules():
        topical = bool(r.topics & intent.topics) or (about_article and bool(r.article_topics & intent.topics))
        claimed = bool(r.article_claims & set(claim_ids)) and (about_article or not r.article_topics)
        fire = topical or (r.medical and intent.medical) or claimed
        if not fire and r.quotes is not None:
            fire = any(r.quotes.search(q) for q in article_quotes)
        if fire:
            out.append(Caveat(r.id, r.text))
    return out
