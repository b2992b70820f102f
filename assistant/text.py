"""Text utilities shared by ingest, retrieval and composition: sentences and terms."""
from __future__ import annotations

import re
import unicodedata

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9])")
_ABBREV = {"al", "e.g", "i.e", "vs", "approx", "fig", "no", "dr", "st", "cf", "etc", "ca", "eq", "mr", "ms", "p"}
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves i'm i've i'd it's don't dont does doesn't im ive id get got really
much many also may might must shall let us one two lot lots anything something thing things
""".split())


def normalise(text: str) -> str:
    """NFKC, unify dashes and quotes, collapse whitespace: the form quotes are compared in."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\u2013", "–").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(paragraph: str) -> list[str]:
    """Sentences as exact substrings of ``paragraph`` (so they can be quoted verbatim)."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        before = paragraph[start:m.start()].rstrip("\"”’)")
        last = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.split() else ""
        # "et al.", "e.g.", initials ("Støren Ø."), decimals are not sentence ends
        if last in _ABBREV or (len(last) == 1 and last.isalpha()):
            continue
        piece = paragraph[start:m.start() + len(m.group(0).rstrip())].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


_IRREGULAR = {"found": "find", "ran": "run", "went": "go", "gave": "give", "grew": "grow", "shown": "show",
              "chose": "choose", "kept": "keep", "lost": "lose", "better": "good", "best": "good"}


def stem(word: str) -> str:
    """A deliberately small suffix stripper: lifting/lifts/lifted -> lift, injuries -> injury."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suf, rep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suf) and len(word) - len(suf) >= 3 and not word.endswith("ss"):
            word = word[: -len(suf)] + rep
            break
    return word


def terms(text: str) -> list[str]:
    """Content terms of ``text``: lower-cased, stop words dropped, stemmed."""
    words = _WORD.findall(normalise(text).lower().replace("–", " "))
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 1 or w.isdigit()]
