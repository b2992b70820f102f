"""The answer schema and the grounded composer (the default, LLM-free answer path).

The composer builds an answer from retrieved text by general logic: it scores every
sentence of the retrieved chunks (semantic similarity to the question, coverage of
the question's terms, the chunk's fused rank), picks the best as the direct answer,
adds supporting sentences with maximal-marginal-relevance de-duplication, and cites
each with its own verbatim text as the quote.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
from langchain_core.documents import Document

from .retrieve import Snapshot
from .text import terms


@dataclass
class Citation:
    n: int
    source_id: str
    title: str
    quote: str
    url: str | None


@dataclass
class Caveat:
    id: str
    text: str


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)
    refused: bool = False
    verdict: str | None = None
    timings_ms: dict = field(default_factory=dict)
    notice: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        if d.get("notice") is None:
            d.pop("notice")
        return d


@dataclass(frozen=True)
class ComposerConfig:
    max_sentences: int = 5
    min_similarity: float = 0.30
    per_source: int = 2
    duplicate_similarity: float = 0.88
    w_semantic: float = 0.60
    w_lexical: float = 0.25
    w_rank: float = 0.15
    quantity_bonus: float = 0.04
    keep_ratio: float = 0.70


@dataclass
class Candidate:
    idx: int
    text: str
    meta: dict
    score: float
    semantic: float


_QUANTITY = re.compile(r"\b(how (heavy|many|much|often|long|far|big)|what (weight|load|percent|percentage)|reps?|sets?|sessions?)\b", re.I)
_NUMBERISH = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once)\b", re.I)


def _clean_candidate(text: str) -> bool:
    words = text.split()
    return 6 <= len(words) <= 80 and not text.rstrip().endswith("?") and not text.startswith("“")


class GroundedComposer:
    """Compose an answer from retrieved chunks without a language model."""

    def __init__(self, snapshot: Snapshot, encoder, config: ComposerConfig | None = None,
                 refusal_text: str = "I can't answer that from my sources."):
        self.snapshot = snapshot
        self.encoder = encoder
        self.config = config or ComposerConfig()
        self.refusal_text = refusal_text

    def candidates(self, question: str, docs: list[Document]) -> list[Candidate]:
        snap, cfg = self.snapshot, self.config
        qv = self.encoder(question)
        q_terms = set(terms(question))
        q_weight = sum(snap.idf.get(t, 1.0) for t in q_terms) or 1.0
        max_rrf = max((d.metadata.get("rrf", 0.0) for d in docs), default=1.0) or 1.0
        wants_number = bool(_QUANTITY.search(question))
        out = []
        for d in docs:
            rank = d.metadata.get("rrf", 0.0) / max_rrf
            idxs = snap.sents_by_chunk.get(d.metadata["id"], [])
            if not idxs:
                continue
            sims = snap.sent_emb[idxs] @ qv
            for i, sim in zip(idxs, sims):
                text = snap.sent_texts[i]
                if not _clean_candidate(text):
                    continue
                s_terms = set(terms(text))
                lex = sum(snap.idf.get(t, 1.0) for t in q_terms & s_terms) / q_weight
                score = cfg.w_semantic * float(sim) + cfg.w_lexical * lex + cfg.w_rank * rank
                if wants_number and _NUMBERISH.search(text):
                    score += cfg.quantity_bonus
                out.append(Candidate(i, text, snap.sent_metas[i], score, float(sim)))
        out.sort(key=lambda c: -c.score)
        return out

    def select(self, cands: list[Candidate]) -> list[Candidate]:
        """Greedy MMR: high score, low redundancy, a few sources each contributing at most ``per_source``."""
        cfg, emb = self.config, self.snapshot.sent_emb
        chosen: list[Candidate] = []
        per_source: dict[str, int] = {}
        for c in cands:
            if len(chosen) >= cfg.max_sentences:
                break
            if chosen and c.score < cfg.keep_ratio * chosen[0].score:
                break
            src = c.meta["source_id"]
            if per_source.get(src, 0) >= cfg.per_source:
                continue
            if chosen and float(np.max(emb[[x.idx for x in chosen]] @ emb[c.idx])) > cfg.duplicate_similarity:
                continue
            chosen.append(c)
            per_source[src] = per_source.get(src, 0) + 1
        return chosen

    def compose(self, question: str, docs: list[Document]) -> Answer:
        cands = self.candidates(question, docs)
        if not cands or cands[0].semantic < self.config.min_similarity:
            return Answer(question=question, answer=self.refusal_text, refused=True)
        chosen = self.select(cands)
        return render(question, chosen)


def render(question: str, chosen: list[Candidate]) -> Answer:
    """Lay out the direct answer then the evidence, numbering citations in order of use."""
    citations: list[Citation] = []
    lines = []
    for n, c in enumerate(chosen, start=1):
        m = c.meta
        citations.append(Citation(n, m["source_id"], m["title"], c.text, m.get("url") or None))
        lines.append(f"{c.text} [{n}]")
    body = lines[0]
    if len(lines) > 1:
        body += "\n\n**Evidence**\n" + "\n".join(f"- {x}" for x in lines[1:])
    return Answer(question=question, answer=body, citations=citations)
