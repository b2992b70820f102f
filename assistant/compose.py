"""The grounded composer: the default, LLM-free way to turn retrieved text into a cited answer.

The composer builds an answer from retrieved text by general logic: it scores every
sentence of the retrieved chunks (semantic similarity to the question, coverage of
the question's terms, the chunk's fused rank), picks the best as the direct answer,
adds supporting sentences with maximal-marginal-relevance de-duplication, and cites
each with its own verbatim text as the quote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document

from .corpus import (ARTICLE_ID, ARTICLE_SECTION, GAPS, GUIDE_SECTIONS, KEY_FINDINGS, NOTE_SECTIONS, SHORT_ANSWER,
                     SUMMARY, WHAT_WAS_FOUND)
from .schema import Answer, Citation
from .settings import ComposerConfig
from .snapshot import Snapshot
from .lead import GENERIC, gap_subjects, type_lead
from .text import named_sources, source_names, strip_names, terms


@dataclass
class Candidate:
    idx: int
    text: str
    meta: dict
    score: float
    semantic: float


def _answer_types() -> list[tuple[re.Pattern, re.Pattern]]:
    from .scope import lexicons

    return lexicons()["answer_types"]


def _clean_candidate(text: str) -> bool:
    """A sentence fit to quote as evidence: a statement of sensible length, not a question, and not an
    instruction aimed at an assistant (a corpus document carrying one is treated as text, never obeyed)."""
    from .scope import lexicons

    words = text.split()
    if not 6 <= len(words) <= 80 or text.rstrip().endswith("?") or text.startswith("“"):
        return False
    return not any(p.search(text) for p in lexicons()["injection"])


_ARTICLE_FRAMED = re.compile(r"\b(the|this|that) article\b|\barticle['’]s\b|\bthe author\b", re.I)
_CLINICIAN = re.compile(r"\bsee a clinician\b", re.I)
SYNTHESIS = {"guide", "review-summary", "article"}  # supporting evidence prefers the primary studies


def article_framed(text: str, meta: dict) -> bool:
    """A sentence written about the article: noise to a runner who never read it."""
    return meta.get("section") == ARTICLE_SECTION or bool(_ARTICLE_FRAMED.search(text))


_QUOTED = re.compile(r"[\"“]([^\"”]{3,80})[\"”]")


def quotes_the_article(snapshot: Snapshot) -> list[bool]:
    """Per sentence: it puts the article's own words in quotation marks (does not show two sessions are "plenty"),
    so it is written about the article even without naming it."""
    article = " ".join(snapshot.sent_texts[i] for i in snapshot.sents_by_source.get(ARTICLE_ID, [])).lower()
    return [snapshot.sent_metas[i].get("source_id") != ARTICLE_ID and bool(article)
            and any(q.lower().strip(" .,") in article for q in _QUOTED.findall(t))
            for i, t in enumerate(snapshot.sent_texts)]


class GroundedComposer:
    """Compose an answer from retrieved chunks without a language model."""

    def __init__(self, snapshot: Snapshot, encoder, config: ComposerConfig | None = None,
                 refusal_text: str = "I can't answer that from my sources.", min_similarity: float = 0.30,
                 questions=None):
        self.snapshot = snapshot
        self.questions = questions  # SentenceQuestions: the questions each guide sentence answers first (or None)
        self.encoder = encoder
        self.config = config or ComposerConfig()
        self.min_similarity = min_similarity
        self.refusal_text = refusal_text
        self.names = source_names(sorted(snapshot.sents_by_source))
        self.quotable = [_clean_candidate(t) for t in snapshot.sent_texts]  # once per index, not per question
        self.framed = [article_framed(t, m) or q for t, m, q in
                       zip(snapshot.sent_texts, snapshot.sent_metas, quotes_the_article(snapshot))]
        self.gap_sentences = [i for i, m in enumerate(snapshot.sent_metas) if m.get("section") == GAPS]
        self.text_index = {t: i for i, t in enumerate(snapshot.sent_texts)}
        self.guides: dict[str, list[str]] = {}   # question type -> the guides written for it
        for sid, idxs in snapshot.sents_by_source.items():
            for qt in filter(None, (snapshot.sent_metas[idxs[0]].get("question_types") or "").split(",")):
                self.guides.setdefault(qt, []).append(sid)
        self._headings: dict[str, frozenset] = {}

    def _heading_terms(self, heading: str) -> frozenset:
        """Terms of a section heading ("Why heavy, and not light?"), skipping the notes' fixed headings."""
        if heading not in self._headings:
            generic = heading in {*NOTE_SECTIONS, *GUIDE_SECTIONS, "Overview", "Introduction"}
            self._headings[heading] = frozenset() if generic else frozenset(terms(heading))
        return self._headings[heading]

    def candidates(self, question: str, docs: list[Document], context: str | None = None, qtype: str | None = None,
                   about_article: bool = False) -> list[Candidate]:
        """Score every sentence of the retrieved chunks.  For a follow-up, ``context`` is the
        question merged with the turn it follows; similarity averages both.  ``qtype`` (a question type)
        lifts the guide written for it; unless ``about_article``, sentences framed on the article are left out."""
        snap, cfg = self.snapshot, self.config
        named = named_sources(question, self.names)
        # "What did Støren find?": a named study and nothing more specific -> its own summary answers best.
        overview = bool(named) and not (set(terms(strip_names(question, self.names))) - GENERIC)
        qv = self.encoder(question)
        if context:
            qv = qv + self.encoder(context)
            qv = qv / max(float(np.linalg.norm(qv)), 1e-12)
        q_terms = set(terms(question))
        q_weight = sum(snap.idf.get(t, 1.0) for t in q_terms) or 1.0
        max_rrf = max((d.metadata.get("rrf", 0.0) for d in docs), default=1.0) or 1.0
        wanted = [give for ask, give in _answer_types() if ask.search(question)]
        groups = [(d.metadata.get("rrf", 0.0) / max_rrf, snap.sents_by_chunk.get(d.metadata["id"], [])) for d in docs]
        seen_chunks = {d.metadata["id"] for d in docs}
        # a study the question names, and the guide written for its type, are always considered, retrieved or not
        always = set(named) | set(self.guides.get(qtype, ()))
        for sid in always:
            extra = [i for i in snap.sents_by_source.get(sid, []) if snap.sent_metas[i]["chunk_id"] not in seen_chunks]
            if extra:
                groups.append((0.0, extra))
                seen_chunks |= {snap.sent_metas[i]["chunk_id"] for i in extra}
        if qtype and gap_subjects(question):  # "does core work help?": every guide's gap that names core work
            gaps = [i for i in self.gap_sentences if snap.sent_metas[i]["chunk_id"] not in seen_chunks]
            if gaps:
                groups.append((0.0, gaps))
        out = []
        for rank, idxs in groups:
            if not idxs:
                continue
            sims = snap.sent_emb[idxs] @ qv
            for i, sim in zip(idxs, sims):
                if not self.quotable[i]:
                    continue
                if not about_article and self.framed[i]:
                    continue
                text, meta = snap.sent_texts[i], snap.sent_metas[i]
                lex = sum(snap.idf.get(t, 1.0) for t in q_terms & snap.sent_terms[i]) / q_weight
                score = cfg.w_semantic * float(sim) + cfg.w_lexical * lex + cfg.w_rank * rank + cfg.prior(snap.sent_metas[i])
                heading = self._heading_terms(snap.sent_metas[i].get("section", ""))
                if heading:
                    score += cfg.heading_bonus * sum(snap.idf.get(t, 1.0) for t in q_terms & heading) / q_weight
                if wanted and any(g.search(text) for g in wanted):
                    score += cfg.answer_type_bonus
                if qtype and qtype in (meta.get("question_types") or "").split(","):
                    score += cfg.type_bonus + (cfg.short_answer_bonus if meta.get("section") == SHORT_ANSWER else 0.0)
                elif meta.get("section") == KEY_FINDINGS:
                    score += cfg.runner_bonus
                if snap.sent_metas[i]["source_id"] in named:
                    score += cfg.named_source_bonus
                    if overview and snap.sent_metas[i].get("section") == "Summary":
                        score += cfg.overview_bonus / (1 + snap.sent_metas[i]["sentence"] + snap.sent_metas[i]["position"])
                out.append(Candidate(i, text, snap.sent_metas[i], score, float(sim)))
        out.sort(key=lambda c: -c.score)
        return out

    def select(self, cands: list[Candidate], after: Candidate | None = None,
               taken: list[Candidate] = ()) -> list[Candidate]:
        """Greedy MMR: high score, low redundancy, a few sources each contributing at most ``per_source``.
        Supporting sentences (all but the first, or all when ``after`` is the lead) prefer primary studies.
        ``taken``: sentences already placed after the lead (its named studies), which count towards the limits."""
        cfg = self.config
        chosen: list[Candidate] = [after, *taken] if after is not None else []
        per_source: dict[str, int] = {}
        for c in chosen:
            per_source[c.meta["source_id"]] = per_source.get(c.meta["source_id"], 0) + 1
        first = None if after is not None else (cands[0] if cands else None)
        pen = dict(cfg.lead_penalty)
        floor = cfg.support_ratio * max((c.semantic for c in cands), default=0.0)

        def support_score(c: Candidate) -> float:
            if c is first:
                return c.score
            return c.score - pen.get(c.meta.get("section"), 0.0) - (cfg.synthesis_penalty if c.meta.get("type") in SYNTHESIS else 0.0)

        for c in sorted(cands, key=lambda c: -support_score(c)):
            if len(chosen) >= cfg.max_sentences:
                break
            if chosen and c.score < cfg.keep_ratio * chosen[0].score:
                continue
            src = c.meta["source_id"]
            if c.semantic < floor:
                continue  # loosely related: better no bullet than padding
            if per_source.get(src, 0) >= cfg.per_source:
                continue
            if self._repeats(chosen, c):
                continue
            chosen.append(c)
            per_source[src] = per_source.get(src, 0) + 1
        return chosen[1 + len(taken):] if after is not None else chosen

    def compose(self, question: str, docs: list[Document], context: str | None = None,
                min_similarity: float | None = None, qtype: str | None = None, about_article: bool = False,
                exclude: frozenset = frozenset(), max_sentences: int | None = None,
                groups: frozenset = frozenset()) -> Answer:
        """``exclude``: sentences already quoted elsewhere in the answer; ``max_sentences`` caps this part;
        ``groups``: who is asking, said anywhere in the message ("I'm 52, perimenopausal, osteopenia…")."""
        cands = [c for c in self.candidates(question, docs, context, qtype, about_article) if c.text not in exclude]
        if exclude:  # another part quoted it, or a sentence saying the same thing: each finding once per answer
            quoted = [self.text_index[t] for t in exclude if t in self.text_index]
            cands = [c for c in cands if not self._repeats_idx(quoted, c)]
        limit = max_sentences or self.config.max_sentences
        floor = self.min_similarity if min_similarity is None else min_similarity
        if named_sources(question, self.names):
            floor = min(floor, self.min_similarity)  # naming a study in the corpus puts a question in scope
        if not cands or max(c.semantic for c in cands) < floor:
            return Answer(question=question, answer=self.refusal_text, refused=True)
        lead = self.type_lead(cands, qtype, question, groups) if qtype else None
        # support is a study's own words: guides lead but never pad, the article only for article questions
        support = [c for c in cands if c.meta.get("type") != "guide" and (about_article or c.meta["source_id"] != ARTICLE_ID)]
        if lead is not None:
            # the studies the lead names come first as its support, each in its own words
            closest = []
            if lead.meta.get("section") == GAPS:  # "no study tested that" — then what the evidence does say
                opening = self.type_lead([c for c in cands if c.meta.get("section") != GAPS], qtype, question, groups)
                closest = [opening] if opening is not None and opening.text not in exclude else []
            elif lead.meta.get("section") == SHORT_ANSWER:
                # the short answer goes on — from its opening when a later sentence led, else with its next
                # sentence — when that sentence is about the question too
                at = lambda c: (c.meta.get("position", 0), c.meta.get("sentence", 0))  # noqa: E731
                same = [c for c in cands if c.meta["source_id"] == lead.meta["source_id"] and c is not lead
                        and c.meta.get("section") == SHORT_ANSWER and c.text not in exclude
                        and c.semantic >= self.config.next_sentence_similarity]
                earlier, later = [c for c in same if at(c) < at(lead)], [c for c in same if at(c) > at(lead)]
                closest = [min(earlier or later, key=at)] if same else []
            named = [c for c in self.named_support(lead, question, about_article) if c.text not in exclude]
            taken = {c.idx for c in closest + named}
            rest = self.select([c for c in support if c is not lead and c.idx not in taken], after=lead,
                               taken=closest + named)
            return render(question, self._distinct([lead] + closest + named + rest)[:limit])
        if not support:
            # only guides were retrieved: for a message's only question (no per-part cap), the guide sentence
            # closest to it answers, with the studies it names; one part of several is left to the others
            guides = [c for c in cands if c.meta.get("type") == "guide"] if max_sentences is None else []
            if not guides:
                return Answer(question=question, answer=self.refusal_text, refused=True)  # nothing but the article
            lead = max(guides, key=lambda c: c.score)  # ...with the studies it names, in their own words
            named = [c for c in self.named_support(lead, question, about_article) if c.text not in exclude]
            return render(question, self._distinct([lead] + named)[:limit])
        chosen = self.select(support)
        runner = [c for c in cands if about_article or c.meta["source_id"] != ARTICLE_ID]
        return render(question, self._lead_first(chosen, runner)[:limit])

    def _repeats(self, chosen: list[Candidate], c: Candidate) -> bool:
        """Does ``c`` say what one of the ``chosen`` sentences already says?"""
        return self._repeats_idx([x.idx for x in chosen], c)

    def _repeats_idx(self, idxs: list[int], c: Candidate) -> bool:
        emb = self.snapshot.sent_emb
        return bool(idxs) and float(np.max(emb[idxs] @ emb[c.idx])) > self.config.duplicate_similarity

    def _distinct(self, chosen: list[Candidate]) -> list[Candidate]:
        """Each sentence once in substance: a later one saying what an earlier one says is dropped."""
        kept: list[Candidate] = []
        for c in chosen:
            if not self._repeats(kept, c):
                kept.append(c)
        return kept

    def named_support(self, lead: Candidate, question: str, about_article: bool, limit: int = 2) -> list[Candidate]:
        """For a synthesis lead ("… (Eihara 2022; Støren 2008)"), the named studies' own best sentences."""
        if lead.meta.get("type") not in SYNTHESIS:
            return []
        named = [sid for sid in named_sources(lead.text, self.names) if sid != lead.meta["source_id"]]
        if not named:
            return []
        qv = self.encoder(question)
        return self.best_from_sources(qv, question, named, limit, runner_facing=not about_article,
                                      sections=(KEY_FINDINGS, SUMMARY, WHAT_WAS_FOUND))

    def type_lead(self, cands: list[Candidate], qtype: str, question: str = "",
                  groups: frozenset = frozenset()) -> Candidate | None:
        """The direct answer for a question of a known type (``lead.py``)."""
        return type_lead(self, cands, qtype, question, groups)

    def _lead_first(self, chosen: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
        """Put the best *statement* first: commentary and method sentences make poor direct answers."""
        pen = dict(self.config.lead_penalty)
        pool = chosen + [c for c in cands[:10] if c not in chosen]
        lead = max(pool, key=lambda c: c.score - pen.get(c.meta.get("section"), 0.0))
        if lead is chosen[0]:
            return chosen
        rest = [c for c in chosen if c is not lead and not self._repeats([lead], c)]
        return [lead] + rest[: self.config.max_sentences - 1]

    def safety_sentence(self, message: str) -> Candidate | None:
        """The corpus sentence that best tells someone with pain or a condition to see a clinician first."""
        qv = self.encoder(message)
        snap = self.snapshot
        idxs = [i for i, t in enumerate(snap.sent_texts) if self.quotable[i] and _CLINICIAN.search(t)
                and not self.framed[i]]
        if not idxs:
            return None
        sims = snap.sent_emb[idxs] @ qv
        i = idxs[int(np.argmax(sims))]
        return Candidate(i, snap.sent_texts[i], snap.sent_metas[i], float(sims.max()), float(sims.max()))

    def best_from_sources(self, qv: np.ndarray, text: str, source_ids, limit: int, runner_facing: bool = False,
                          sections: tuple[str, ...] = (), keep=None, penalise_commentary: bool = False) -> list[Candidate]:
        """Per source, its sentence that best matches ``qv``; the best ``limit`` of those.  With ``runner_facing``,
        none written about the article; with ``sections``, from the first of them the source has; ``keep`` filters
        sentence indexes; ``penalise_commentary`` ranks limitations, methods and article commentary lower."""
        snap, cfg = self.snapshot, self.config
        pen = dict(cfg.lead_penalty) if penalise_commentary else {}
        q_terms = set(terms(text))
        q_weight = sum(snap.idf.get(t, 1.0) for t in q_terms) or 1.0
        best: list[Candidate] = []
        for sid in dict.fromkeys(source_ids):
            idxs = [i for i in snap.sents_by_source.get(sid, []) if self.quotable[i] and (keep is None or keep(i))
                    and not (runner_facing and self.framed[i])]
            for section in sections:  # in order of preference: the first the source has
                inside = [i for i in idxs if snap.sent_metas[i].get("section") == section]
                if inside:
                    idxs = inside
                    break
            if not idxs:
                continue
            sims = snap.sent_emb[idxs] @ qv
            scored = []
            for i, sim in zip(idxs, sims):
                lex = sum(snap.idf.get(t, 1.0) for t in q_terms & snap.sent_terms[i]) / q_weight
                score = cfg.w_semantic * float(sim) + cfg.w_lexical * lex + cfg.prior(snap.sent_metas[i])
                scored.append((score - pen.get(snap.sent_metas[i].get("section"), 0.0), i, float(sim)))
            score, i, sim = max(scored)
            best.append(Candidate(i, snap.sent_texts[i], snap.sent_metas[i], score, sim))
        best.sort(key=lambda c: -c.score)
        return self._distinct(best)[:limit]  # a synthesis restating a study's finding is that finding once

def render(question: str, chosen: list[Candidate]) -> Answer:
    """The direct answer (best sentence) first, then the supporting evidence."""
    return render_sections(question, None, [(None, chosen[:1]), ("Evidence", chosen[1:])])


def render_sections(question: str, lead: str | None, sections: list[tuple[str | None, list[Candidate]]]) -> Answer:
    """Lay out an optional lead line and titled lists of cited sentences, numbering citations in order."""
    citations: list[Citation] = []
    parts = [lead] if lead else []
    for title, cands in sections:
        if not cands:
            continue
        lines = []
        for c in cands:
            n = len(citations) + 1
            m = c.meta
            citations.append(Citation(n, m["source_id"], m["title"], c.text, m.get("url") or None))
            lines.append(f"{c.text} [{n}]")
        parts.append(lines[0] if title is None else f"**{title}**\n" + "\n".join(f"- {x}" for x in lines))
    return Answer(question=question, answer="\n\n".join(parts), citations=citations)
