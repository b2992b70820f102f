"""Spelling correction against the corpus vocabulary, scored by rapidfuzz.

A word that is not in the vocabulary is replaced by the most similar known word when
their similarity ``fuzz.ratio`` (the normalised indel similarity, 2·matches / total
length) reaches ``cutoff``.  Only plausible candidates are compared: words that start with
the typed word's first or second letter and whose length is within two of it.  Ties go to
the first candidate in a fixed order (first letter, then length, then alphabetical), so
every process corrects the same way.

A real English word is never "corrected" into a corpus word ("spring" is not a typo of "sprain"): the
embedding model's own WordPiece vocabulary, whole-word entries only, serves as the list of known words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MIN_LENGTH = 4        # shorter words are never corrected ("leg", "rep", "km")
LENGTH_SLACK = 2      # candidates differ in length by at most this much
_EPS = 1e-9           # a ratio that is exactly the cutoff still counts, whatever the float rounding


def _needs_doubling(stem: str) -> bool:
    """A short stem ending consonant-vowel-consonant doubles its last letter before -ing/-ed ("run" -> "running")."""
    v = "aeiou"
    return (len(stem) <= 4 and len(stem) >= 3 and stem[-1] not in v + "wxy" and stem[-2] in v and stem[-3] not in v)


class SpellFixer:
    """Corrects words missing from a vocabulary to the closest known word (ratio >= cutoff)."""

    def __init__(self, vocabulary: set[str], cutoff: float = 0.82, english: frozenset[str] = frozenset()):
        self.vocab = {w for w in vocabulary if len(w) >= 3}
        self.english = english
        self.cutoff = cutoff
        self._by_key: dict[tuple[str, int], list[str]] = {}
        for w in sorted(self.vocab):  # sorted: the same correction in every process (set order is hashed)
            self._by_key.setdefault((w[0], len(w)), []).append(w)
        self.fix_word = lru_cache(maxsize=4096)(self._fix_word)

    def candidates(self, w: str) -> list[str]:
        """Known words worth comparing with ``w`` (lower case), in tie-break order."""
        out: list[str] = []
        for first in dict.fromkeys((w[0], w[1] if len(w) > 1 else w[0])):
            for n in range(len(w) - LENGTH_SLACK, len(w) + LENGTH_SLACK + 1):
                out.extend(self._by_key.get((first, n), ()))
        return out

    def known(self, w: str) -> bool:
        """A known word, or a regular inflection of one ("spacing", "spaced", "boosts", "completely");
        "runing" is not one ("run" doubles its n)."""
        if self._is_word(w) or (len(w) >= 5 and self._is_word(w + "s")):
            return True  # (a singular whose plural is known: "marathoner" is not a typo of "marathoners")
        for suffix in ("ing", "ed", "es", "s", "ly"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                stem = w[: -len(suffix)]
                if suffix == "s" and len(stem) > 2 and stem[-1] == "y" and stem[-2] not in "aeiou":
                    continue  # "injurys": a y after a consonant becomes "ies"
                if suffix in ("ing", "ed") and self._is_word(stem + stem[-1] + suffix):
                    continue  # "runing" is "running" misspelt, not "rune" + ing
                forms = (stem + "e",) if suffix in ("ing", "ed") else ()
                if not (suffix in ("ing", "ed") and _needs_doubling(stem)):
                    forms += (stem,)
                if any(self._is_word(f) for f in forms):
                    return True
        return False

    def _compound(self, w: str) -> bool:
        """Two known words written as one ("supershoes", "legday")."""
        return any(self.known(w[:i]) and self.known(w[i:]) for i in range(3, len(w) - 2))

    def _is_word(self, w: str) -> bool:
        return w in self.vocab or w in self.english

    def _fix_word(self, word: str) -> str:
        w = word.lower()
        if len(w) < MIN_LENGTH or self.known(w) or re.search(r"['’](t|s|re|ve|ll|d|m)$", w) or self._compound(w):
            return word  # (a contraction is not a typo: "haven't" is not "haven"; nor is "supershoes" "supersets")
        best = process.extractOne(w, self.candidates(w), scorer=fuzz.ratio, processor=None,
                                  score_cutoff=self.cutoff * 100 - _EPS)
        return best[0] if best else word  # extractOne keeps the first of equally good candidates

    def fix(self, text: str) -> tuple[str, dict[str, str]]:
        fixes: dict[str, str] = {}

        def sub(m: re.Match) -> str:
            new = self.fix_word(m.group(0))
            if new.lower() != m.group(0).lower():
                fixes[m.group(0)] = new
            return new

        return _WORD.sub(sub, text), fixes


def english_words(model_path: str) -> frozenset[str]:
    """Whole words of the model's WordPiece vocabulary (``vocab.txt``): common English words, no typos."""
    from pathlib import Path

    try:
        lines = (Path(model_path) / "vocab.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()  # no vocabulary file: correct as before
    return frozenset(w for w in lines if w.isalpha() and w.isascii() and len(w) >= MIN_LENGTH)
