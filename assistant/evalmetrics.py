"""Metrics on one answer, for the eval suite.  Each is defined so that it can fail on the default path.

* ``lead_sentence`` / lead answers: the first sentence a reader sees must state the answer.
* ``article_framed``: a cited sentence written about the article rather than for a runner.
* ``parts_covered``: which parts of a multi-part message the answer covers.
* ``citation_support``: only for sentences that are *not* their own quote (on the grounded path most are,
  so it reports n/a there rather than a 100% that cannot fail).
"""
from __future__ import annotations

import math
import re

from .text import normalise, split_sentences, terms

K = 5
SUPPORT_THRESHOLD = 0.6
_NEGATION_CUES = re.compile(
    r"\b(no|not|never|nobody|no one|none|cannot|can't|won't|isn't|aren't|doesn't|don't|didn't|without|nor|"
    r"overselling|oversell\w*|overstat\w*|myth|false|unproven|unlikely|goes beyond|beyond the (data|evidence)|"
    r"not (shown|proven|established|supported)|no (trial|study|evidence)|contradict\w*|refut\w*|disput\w*)\b", re.I)
# A sentence framed on the article: meaningful only to someone who read it.
_ARTICLE_FRAMED = re.compile(r"\b(the|this|that) article\b|\barticle['’]s\b|\bthe author\b|\bthe article's\b", re.I)
# An explicit decline of an out-of-scope part of a message.
DECLINE = re.compile(r"outside (what|the scope|my)|can['’]t (help|answer|advise)|cannot (help|answer|advise)|"
                     r"(don['’]t|do not) (cover|speak to|address)|not something (i|my sources)|beyond (what|my)|"
                     r"no source here (covers|addresses)", re.I)
_MARKDOWN = re.compile(r"^\s*(#+\s*|[-*]\s+|>\s*)")
_TITLE = re.compile(r"^\s*\*\*[^*]+\*\*\s*$")


def asserted(pattern: str, text: str) -> list[str]:
    """Sentences of ``text`` that assert ``pattern``: a match in a sentence with no negation cue."""
    rx = re.compile(pattern, re.I)
    out = []
    for para in text.split("\n"):
        for sent in split_sentences(para):
            if rx.search(sent) and not _NEGATION_CUES.search(sent):
                out.append(sent)
    return out


def lead_sentence(answer_text: str) -> str:
    """The first sentence a reader sees: the first prose line after any section title, markers removed."""
    for line in answer_text.split("\n"):
        if not line.strip() or _TITLE.match(line):
            continue
        line = _MARKDOWN.sub("", line)
        line = re.sub(r"\*\*([^*]+)\*\*", r"\1", line)  # bold lead-ins ("**Verdict: …**") are part of the sentence
        sents = split_sentences(line.strip())
        if sents:
            return re.sub(r"\s*\[\d+\]", "", sents[0]).strip()
    return ""


def article_framed(quote: str) -> bool:
    return bool(_ARTICLE_FRAMED.search(quote))


def parts_covered(parts: list[dict], text: str) -> list[bool]:
    """For each expected part of a multi-part message, does the answer carry one of its facts?"""
    return [bool(re.search(p["facts"], text, re.I)) for p in parts]


def declines(text: str) -> bool:
    return any(DECLINE.search(s) for para in text.split("\n") for s in split_sentences(para))


def citation_validity(answer: dict, source_texts: dict[str, str]) -> tuple[bool, list[str]]:
    problems = []
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    numbers = [c["n"] for c in answer["citations"]]
    if markers - set(numbers):
        problems.append(f"unresolved markers {sorted(markers - set(numbers))}")
    if set(numbers) - markers:
        problems.append(f"unused citations {sorted(set(numbers) - markers)}")
    for c in answer["citations"]:
        src = source_texts.get(c["source_id"])
        if src is None:
            problems.append(f"[{c['n']}] unknown source {c['source_id']}")
        elif "..." in c["quote"] or "…" in c["quote"] or normalise(c["quote"]) not in src:
            problems.append(f"[{c['n']}] quote not verbatim in {c['source_id']}")
    return not problems, problems


def support_score(sentence: str, quote: str) -> float:
    """Share of the sentence's content terms (numbers included) that its cited quote contains.

    1.0 when the sentence is the quote; low when the sentence says things the quote does not."""
    s_terms = set(terms(re.sub(r"\[\d+\]", "", sentence)))
    if not s_terms:
        return 1.0
    return len(s_terms & set(terms(quote))) / len(s_terms)


def citation_support(answer: dict) -> list[float]:
    """Support score of every cited answer sentence that is not simply its own quote.

    A sentence that *is* its quote is supported by construction; scoring it could never fail,
    so only sentences written around or instead of the quote (an LLM's wording, a composed summary) count."""
    quotes = {c["n"]: c["quote"] for c in answer["citations"]}
    scores = []
    for line in answer["answer"].split("\n"):
        sents: list[str] = []
        for piece in split_sentences(_MARKDOWN.sub("", line)):
            if sents and re.fullmatch(r"(\[\d+\]\s*)+", piece):
                sents[-1] += " " + piece  # "… text. [1]": the marker belongs to the sentence before it
            else:
                sents.append(piece)
        for sent in sents:
            ns = [int(n) for n in re.findall(r"\[(\d+)\]", sent)]
            if not ns:
                continue
            bare = normalise(re.sub(r"\s*\[\d+\]", "", sent)).strip()
            if any(bare == normalise(quotes.get(n, "")) for n in ns):
                continue
            scores.append(support_score(sent, " ".join(quotes.get(n, "") for n in ns)))
    return scores


def rank_metrics(ranked: list[str], expected: set[str], k: int = K) -> tuple[float, float, float]:
    """(hit@k, recall@k, MRR) of a ranked source list against the expected sources."""
    if not expected:
        return math.nan, math.nan, math.nan
    top = ranked[:k]
    hit = 1.0 if expected & set(top) else 0.0
    recall = len(expected & set(top)) / len(expected)
    mrr = next((1.0 / (i + 1) for i, s in enumerate(ranked) if s in expected), 0.0)
    return hit, recall, mrr
