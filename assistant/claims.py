"""Claim checks against the curated ledger (``corpus/ledger/claims.yaml``).

Matching is general: the claim is embedded and compared with every ledger statement
and paraphrase; polarity is read from negation cues, so "lifting makes you bulky" and
"lifting won't make you bulky" match the same entry with opposite verdicts.  A claim
that matches nothing well enough gets ``no-evidence``: no guessing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .corpus import YAML_LOADER
from .errors import CorpusError

VERDICTS = ("supported", "mixed", "not-supported", "no-evidence")
VERDICT_LABEL = {"supported": "supported", "mixed": "mixed evidence", "not-supported": "not supported",
                 "no-evidence": "no evidence in my sources"}
FLIP = {"supported": "not-supported", "not-supported": "supported", "mixed": "mixed",
        "no-evidence": "no-evidence"}  # a claim no study tested: its opposite is untested too
_NEGATION = re.compile(
    r"\b(no|not|never|none|nothing|nobody|neither|nor|without|cannot|hardly|barely|myth|false|untrue|"
    r"\w+n['’]t|cant|wont|dont|doesnt|isnt|arent|wasnt|werent|shouldnt|wouldnt|couldnt|didnt|"
    r"fails? to|unlikely to|zero)\b", re.I)


@dataclass(frozen=True)
class LedgerClaim:
    id: str
    statement: str
    paraphrases: tuple[str, ...]
    verdict: str
    negated_verdict: str
    reason: str
    supporting: tuple[str, ...]
    opposing: tuple[str, ...]
    article_claim: str | None

    @property
    def texts(self) -> list[str]:
        return [self.statement, *self.paraphrases]


def ledger_path(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / "ledger" / "claims.yaml"


def load_ledger(corpus_dir: Path, known_sources: set[str] | None = None) -> list[LedgerClaim]:
    path = ledger_path(corpus_dir)
    if not path.exists():
        return []
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise CorpusError(f"{path}:{mark.line + 1 if mark else 1}: invalid YAML: {getattr(e, 'problem', e)}") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path}:1: not valid UTF-8 — save the file as UTF-8") from None
    out, seen = [], set()
    for i, c in enumerate(raw):
        where = f"{path}: claim {i + 1} ({c.get('id', '?') if isinstance(c, dict) else '?'})"
        if not isinstance(c, dict) or not c.get("id") or not c.get("statement") or c.get("verdict") not in FLIP:
            raise CorpusError(f"{where}: needs id, statement and verdict (supported / mixed / not-supported / no-evidence)")
        if c["id"] in seen:
            raise CorpusError(f"{where}: duplicate claim id")
        seen.add(c["id"])
        for sid in (c.get("for") or []) + (c.get("against") or []):
            if known_sources is not None and sid not in known_sources:
                raise CorpusError(f"{where}: unknown source id {sid!r} — add corpus/{sid}.md or fix the id")
        out.append(LedgerClaim(c["id"], c["statement"], tuple(c.get("paraphrases") or ()), c["verdict"],
                               c.get("negated_verdict") or FLIP[c["verdict"]], c.get("reason", ""),
                               tuple(c.get("for") or ()), tuple(c.get("against") or ()), c.get("article_claim")))
    return out


def ledger_hash(corpus_dir: Path) -> str:
    p = ledger_path(corpus_dir)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else ""


# Opposites: a claim using one side where the matched ledger text uses the other says the reverse.
OPPOSITES = [
    ({"heavy", "heavier", "heaviest", "high-load", "near-maximal", "maximal"}, {"light", "lighter", "lightest", "low-load", "submaximal", "moderate", "moderately"}),
    ({"more", "most"}, {"less", "least", "fewer"}),
    ({"increase", "increases", "raise", "raises", "higher"}, {"decrease", "decreases", "lower", "lowers", "reduce", "reduces"}),
    ({"improve", "improves", "better", "helps", "help", "useful", "worthwhile", "beneficial", "faster"},
     {"worsen", "worsens", "worse", "hurts", "harms", "useless", "pointless", "worthless", "slower", "impairs"}),
    ({"safe", "safer"}, {"dangerous", "risky", "unsafe"}),
    ({"keep", "keeping", "continue", "continuing"}, {"stop", "stopping", "drop", "dropping", "quit", "quitting"}),
]
_COMPARATIVE = {"than", "beats", "beat", "outperforms", "trumps"}   # "A beats B" orders its sides like "A more than B"
EVALUATIVE = frozenset().union(*(a | b for a, b in OPPOSITES))  # words that judge ("useless"); they name no subject
_WORDS = re.compile(r"[a-z][a-z-]*")


def antonym_flips(claim: str, reference: str) -> int:
    """How many opposite-word groups the claim uses on one side while the ledger text uses the other;
    in a comparison ("A more than B") naming both sides, swapping their order also says the reverse."""
    cl, rl = _WORDS.findall(claim.lower()), _WORDS.findall(reference.lower())
    cw, rw = set(cl), set(rl)
    flips = 0
    for a, b in OPPOSITES:
        if (cw & a and not cw & b and rw & b and not rw & a) or (cw & b and not cw & a and rw & a and not rw & b):
            flips += 1
        elif cw & a and cw & b and rw & a and rw & b and cw & _COMPARATIVE and rw & _COMPARATIVE:
            first = lambda words: min(i for i, w in enumerate(words) if w in a) < min(i for i, w in enumerate(words) if w in b)  # noqa: E731
            flips += first(cl) != first(rl)
    return flips


def is_negated(text: str) -> bool:
    """Odd number of negation cues: "won't make you bulky" is negated, "not true that it won't" is not."""
    return len(_NEGATION.findall(text)) % 2 == 1


@dataclass
class Match:
    claim: LedgerClaim
    similarity: float
    negated: bool

    @property
    def verdict(self) -> str:
        return self.claim.negated_verdict if self.negated else self.claim.verdict

    @property
    def evidence_for(self) -> tuple[str, ...]:
        return self.claim.opposing if self.negated else self.claim.supporting

    @property
    def evidence_against(self) -> tuple[str, ...]:
        return self.claim.supporting if self.negated else self.claim.opposing


class ClaimMatcher:
    """Nearest ledger entry by embedding similarity (max over statement and paraphrases)."""

    def __init__(self, claims: list[LedgerClaim], keys: list[tuple[str, int]], text_emb: np.ndarray, threshold: float):
        self.by_id = {c.id: c for c in claims}
        self.keys = [(cid, k) for cid, k in keys if cid in self.by_id]
        self.emb = text_emb[[i for i, (cid, _) in enumerate(keys) if cid in self.by_id]] if len(keys) else text_emb
        self.threshold = threshold

    def match(self, claim_text: str, vector: np.ndarray) -> Match | None:
        """The closest ledger claim, if close enough; ``negated`` when the claim says the opposite of
        the ledger text it matched (negation cues or opposite words differ in parity)."""
        if not self.keys:
            return None
        sims = self.emb @ vector
        best = int(np.argmax(sims))
        sim, (cid, k) = float(sims[best]), self.keys[best]
        if sim < self.threshold:
            return None
        claim = self.by_id[cid]
        ref = claim.texts[k]
        flips = (is_negated(claim_text) != is_negated(ref)) + antonym_flips(claim_text, ref)
        return Match(claim, sim, flips % 2 == 1)
