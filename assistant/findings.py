"""Judging a claim's part from the findings themselves, when no curated ledger claim fits it.

The direction of each finding (an effect, no change, harm — from a study's front matter ``re_result`` and the
sentence's own wording) is compared with the direction the claim points, on the claim's outcome; a claim about a
population is judged on that population's studies; a claim whose subject the corpus never mentions gets the nearest
evidence.  ``checker.py`` calls this after the ledger and the figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .claims import EVALUATIVE
from .claimtext import (ABSOLUTE, _COMPARE, _DOMAIN_WORD, _EFFECT, _HARM, _NULL, _ONLY, _OUTCOME_RX, negated, normalise_polarity,
                        numbers, outcomes, percents, populations)
from .compose import Candidate
from .corpus import ARTICLE_ID, ARTICLE_SECTION, GAPS, LIMITATIONS, WHAT_WAS_DONE
from .decompose import _first_verb, _words
from .text import STOPWORDS, named_sources

# "That's what heavy lifting does …", "This proves …": a part whose subject is elsewhere in the claim
_POINTS_ELSEWHERE = re.compile(r"^\W*(that|this|it|these|those|which)\b", re.I)
# "proof", "clearly", "always": certainty no single finding carries
_CERTAIN = re.compile(r"\b(proof|proves?|proven|clearly|definitely|obviously|undeniabl\w*|never|every (runner|study|trial))\b", re.I)
_NOT_FINDINGS = (GAPS, LIMITATIONS, WHAT_WAS_DONE, ARTICLE_SECTION)  # sections that say what was not found, or how
_INTERPRETS = re.compile(r"\b(interpret\w*|suggest\w*|propos\w*|speculat\w*|hypothes\w*|argue\w*|might|may)\b", re.I)
_RACE = re.compile(r"\b(marathon(?:ers?)?|half[- ]marathon|ultra\w*|5 ?k|10 ?k|parkrun|3000|1500|mile|long(er)? (race|distance)s?)\b", re.I)


def _races(text: str) -> set[str]:
    return {re.sub(r"[\s-]|(?<=marathon)ers?$", "", m.group(0).lower()) for m in _RACE.finditer(text)}  # marathoners


# the design a claim names, and the designs that can show it
_DESIGNS = ((re.compile(r"\b(randomi[sz]ed|RCT|controlled trial)\b", re.I), ("rct", "controlled-trial")),
            (re.compile(r"\b(meta-?analys\w*|pooled)\b", re.I), ("meta-analysis",)))
_CAUSES = re.compile(r"\b(caus\w*|prevents?|preventing|protects?|cuts?|reduces?|lowers?|stops?)\b", re.I)
_ASSOCIATES = re.compile(r"\b(associated|linked|link|risk factor|predict\w*|went with|correlat\w*|cohort|observational)\b", re.I)
_LIMITED = re.compile(r"\b(not (proven|shown|established|tested|measured|significant\w*)|no (running-specific|runner)|"
                      r"rather than|only in|did not|didn'?t|does not|doesn'?t|no (effect|change|difference|protection))\b", re.I)
_NO_CHANGE = re.compile(r"\b(the same|unchanged|no change|similar|no difference|stayed|held steady)\b", re.I)  # "kept the same VO2max"
_MORE_THAN = re.compile(r"\b(more|less) than\b(?!\s*(about |around |roughly )?([\d−-]|(one|two|three|four|five|six|"
                        r"seven|eight|nine|ten|a|an|half|double|twice)\b))", re.I)  # "more than 4 points" is a size
# "Some trials found ...", "a few studies showed ...": a claim that such a finding exists
_EXISTENTIAL = re.compile(r"^(some|a few|several|a couple of|at least one|one or two)\s+(\w+\s+){0,3}?(trials?|studies|study|"
                          r"experiments?|papers?|reviews?)\s+(have\s+)?(found|showed|shown|reported|saw|observed)\b", re.I)


@dataclass
class Judged:
    """One part of a claim with its verdict, the reason, and the evidence for, against and nearest to it."""
    part: str
    verdict: str
    reason: str
    for_sources: tuple = ()
    against_sources: tuple = ()
    pro: list = field(default_factory=list)     # Candidates for the claim as written
    con: list = field(default_factory=list)     # Candidates against it
    nearest: list = field(default_factory=list)  # Candidates on the nearest question (no-evidence)
    figure_note: str | None = None
    figure_sources: tuple = ()                           # the studies whose figures the note compares with
    figure_evidence: list = field(default_factory=list)  # ...and their sentences stating them
    article_claim: str | None = None
    how: str = "ledger"  # what decided it: ledger, figure, study (a named study's own findings), finding (it restates
    #                      one finding), evidence, nearest


# "…, while the control group didn't change": the comparison arm of a study the claim describes, not its direction
_CONTROL_ARM = re.compile(r",?\s*(while|whereas|but|and)?\s*(the |their |a )?(control|placebo|comparison|running[- ]only)"
                          r"( group| groups| runners)?s?\b[^,;]*$", re.I)


def claim_direction(part: str, only: bool = True) -> str:
    """Which way a claim points: "null" (no effect — negated, or "only X benefit"), "harm" or "effect"."""
    part = _CONTROL_ARM.sub("", part) or part
    # "the benefit didn't depend on level" says who gains, not that nothing changed (as _NULL reads findings)
    part = re.sub(r"\b(did not|didn't|does not|doesn't|do not|don't) depend\b", "was independent", part, flags=re.I)
    if negated(part) or (only and _ONLY.search(part)):
        return "null"
    return "harm" if _HARM.search(part) else "effect"


class Findings:
    """Reads findings for and against a claim's part with an Assistant's retriever and composer."""

    def __init__(self, assistant, meta):
        self.a = assistant
        self._meta_of = meta  # callable: the corpus notes' front matter by id, read once by the checker
        self._corpus_words: set[str] | None = None

    @property
    def meta(self) -> dict[str, dict]:
        return self._meta_of()

    def best(self, qv: np.ndarray, text: str, source_ids, limit: int, need: set[str] | None = None) -> list[Candidate]:
        """Per source, its sentence closest to the part, preferring findings over commentary; best ``limit``
        (with ``need``, only sentences on one of those outcomes)."""
        snap = self.a.composer.snapshot
        keep = (lambda i: bool(outcomes(snap.sent_texts[i]) & need)) if need else None
        return self.a.composer.best_from_sources(qv, text, [s for s in source_ids if s != ARTICLE_ID], limit,
                                                 keep=keep, penalise_commentary=True)

    def one_side(self, part: str, vec: np.ndarray, match, min_similarity: float, margin: float) -> Candidate | None:
        """A claim that says what one side of split evidence found ("the meta-analysis of runner trials found no
        significant reduction", where the ledger's injury claim is mixed): the finding of the claim's side, as written,
        that it restates — at least ``min_similarity`` alike, ``margin`` closer than anything on the other side, and
        pointing the claim's way. None when the claim is as close to both sides (it is about the split itself)."""
        if self._says_more_than_a_finding(part):
            return None
        snap = self.a.composer.snapshot

        def closest(sources) -> tuple[int | None, float]:
            idx = [i for sid in sources if sid != ARTICLE_ID for i in snap.sents_by_source.get(sid, [])
                   if snap.sent_metas[i].get("section") not in _NOT_FINDINGS]
            if not idx:
                return None, 0.0
            sims = snap.sent_emb[idx] @ vec
            k = int(sims.argmax())
            return idx[k], float(sims[k])
        i, near = closest(match.evidence_for)
        _, other = closest(match.evidence_against)
        if i is None or near < min_similarity or near - other < margin:
            return None
        c = Candidate(i, snap.sent_texts[i], snap.sent_metas[i], near, near)
        if not (numbers(part) <= numbers(c.text) and percents(part) <= percents(c.text) and _races(part) <= _races(c.text)):
            return None  # "…late in a long race" says more than a 90-minute run
        found = self.direction(c)  # a finding that points the claim's way ("…not proven for runners" is a limit)
        return c if found == claim_direction(part) and not (found == "effect" and _LIMITED.search(c.text)) else None

    @staticmethod
    def _says_more_than_a_finding(part: str) -> bool:
        """Certainty, an absolute, a comparison or a pointer back: more than any one finding says."""
        return bool(_POINTS_ELSEWHERE.match(part) or ABSOLUTE.search(part) or _CERTAIN.search(part)
                    or _COMPARE.search(part) or _MORE_THAN.search(part))

    def direction(self, c: Candidate) -> str | None:
        text = c.text
        meta = self.meta.get(c.meta["source_id"], {})
        if _OUTCOME_RX["economy"].search(text) and meta.get("re_result") in ("improved", "no-change"):
            own = "null" if _NULL.search(text) else "effect" if _EFFECT.search(text) else None
            if own is not None:
                return own
            return "effect" if meta["re_result"] == "improved" else "null"
        if _NULL.search(text):
            return "null"
        if _HARM.search(text):
            return "harm"
        if _EFFECT.search(text):
            return "effect"
        return None

    def sides_filter(self, part: str, part_out: set[str]):
        """A ledger source sits on one side of its claim, but one of its sentences can point the other way
        ("ran 2.5% faster" from a study listed against a speed claim): for a claim about an outcome, a sentence
        whose own wording points the claim's way is never listed against it, nor one pointing the other way for it."""
        if not (part_out - {"taper"}) or "taper" in part_out or _COMPARE.search(part):
            return lambda c, for_side: True  # (a comparison's side is not the direction of one finding)
        want = claim_direction(part, only=False)

        def keep(c, for_side: bool) -> bool:
            d = self.direction(c)
            return d is None or (d == want) == for_side
        return keep

    def from_evidence(self, part: str, vec: np.ndarray, part_out: set[str]) -> Judged:
        """No ledger claim fits: judge by the direction of the retrieved findings on the part's outcome."""
        a = self.a
        query = part if outcomes(part) or not part_out else f"{part} ({' '.join(sorted(part_out))})"  # its sentence's outcome
        if _EXISTENTIAL.match(part):
            query = normalise_polarity(part)
        docs = a.retriever.invoke(query)
        cands = [c for c in a.composer.candidates(query, docs) if c.meta["source_id"] != ARTICLE_ID
                 and c.meta.get("type") != "article"]
        on_topic = [c for c in cands if c.semantic >= 0.42 and (not part_out or outcomes(c.text) & part_out)]
        claim_dir = claim_direction(part)
        pro, con, seen = [], [], set()
        w_for = w_against = 0.0
        for c in on_topic[:12]:
            sid = c.meta["source_id"]
            if sid in seen:
                continue
            d = self.direction(c)
            if d is None:
                continue
            seen.add(sid)
            w = {"meta-analysis": 2.0, "systematic-review": 2.0, "rct": 1.5}.get(c.meta.get("design_class"), 1.0)
            agrees = (d == claim_dir) if claim_dir != "harm" else (d == "harm")
            if agrees:
                w_for += w
                pro.append(c)
            else:
                w_against += w
                con.append(c)
        total = w_for + w_against
        if pro and _EXISTENTIAL.match(part):  # "some trials found no change": one such finding is the claim
            return Judged(part, "supported", "At least one study here found what the claim says some found.",
                           pro=pro[:2], con=con[:2], how="evidence")
        if not part_out or total < 1.5 or _COMPARE.search(part):  # a comparison needs a trial that compared
            near = [c for c in cands if c.semantic >= 0.35][:3]
            near = _dedupe_sources(near, 2, self.a.composer)
            return Judged(part, "no-evidence", "No study here tested this directly; the nearest evidence is quoted below.",
                           nearest=near, how="nearest")
        if w_for >= 2 * w_against:
            v = "supported"
        elif w_against >= 2 * w_for:
            v = "not-supported"
        else:
            v = "mixed"
        reason = (f"No curated claim matches this wording, so it was judged from the closest findings: "
                  f"{len(pro)} point the claim's way and {len(con)} do not.")
        return Judged(part, v, reason, pro=pro[:2], con=con[:2], how="evidence")

    def restated(self, part: str, similarity: float) -> Judged | None:
        """A part that says what one finding says: the corpus sentence closest to it is at least ``similarity``
        alike, points the same way, is about the same group, and states every number the part states. Such a
        part is supported by that finding, whatever broader ledger claim its topic resembles ("the 2018
        meta-analysis found every 10% more strength training went with 4 points less injury risk" is not the
        claim that strength training cuts injuries to a third). None when no finding is that close."""
        if self._says_more_than_a_finding(part):  # (which of two is better needs the trial that compared them)
            return None
        cands = [c for c in self.a.composer.candidates(part, self.a.retriever.invoke(part))
                 if c.meta["source_id"] != ARTICLE_ID and c.meta.get("type") != "article"
                 and c.meta.get("section") not in _NOT_FINDINGS and not _INTERPRETS.search(c.text)]
        if not cands:
            return None
        if numbers(part):  # a part with numbers is matched by a sentence stating them all
            cands = [c for c in cands if numbers(part) <= numbers(c.text) and percents(part) <= percents(c.text)] or cands
        best = max(cands, key=lambda c: c.semantic)
        # the study's own sentence rather than a guide's or a review's summary of it, when it says it about as closely
        own = [c for c in cands if c.meta.get("type") == "study" and c.semantic >= best.semantic - 0.05]
        best = max(own, key=lambda c: c.semantic) if own else best
        # ...and a sentence saying what was found rather than how ("randomised 720 runners to …")
        found_it = [c for c in cands if self.direction(c) is not None and c.semantic >= best.semantic - 0.05]
        best = best if self.direction(best) is not None or not found_it else max(found_it, key=lambda c: c.semantic)
        if best.semantic < similarity:
            return None
        found, claimed = self.direction(best), claim_direction(part)
        same_way = found == claimed and negated(best.text) == negated(part) and not _LIMITED.search(best.text) \
            and bool(_NO_CHANGE.search(best.text)) == bool(_NO_CHANGE.search(part))
        # the same study, told by its numbers ("720 first-timers … a ten-minute routine"), said to point the other
        # way ("…nearly halved their injuries" where it found no difference): the claim misstates that finding
        told = {n for n in numbers(part) if n < 1900}  # its numbers, not its year
        opposite = found is not None and {found, claimed} == {"effect", "null"} \
            and (len(told) >= 2 or any(n >= 10 for n in told))
        if not (same_way or opposite):
            return None  # "stretching gave no protection", "not proven for runners": not a finding to restate
        group = populations(part)
        if group and not group <= populations(f"{best.text} {self.meta.get(best.meta['source_id'], {}).get('population', '')}",
                                              study=True):
            return None
        if not numbers(part) <= numbers(best.text) or not percents(part) <= percents(best.text) \
                or not _races(part) <= _races(best.text):
            return None  # "…late in a long race, where the marathon is won" says more than a 10-km finding
        design = self.meta.get(best.meta["source_id"], {}).get("design_class", "")
        if any(rx.search(part) and design not in kinds for rx, kinds in _DESIGNS):
            return None  # "a randomised trial showed …" is not what a cohort study found
        if _CAUSES.search(part) and not _ASSOCIATES.search(part) and _ASSOCIATES.search(best.text):
            return None  # "weak calves cause it" is more than "weak calves went with it"
        names = " and ".join(_short(n) for n in (sorted(named_sources(best.text, self.a.composer.names))
                                                   or [best.meta["source_id"]])[:2])
        if not same_way:
            return Judged(part, "not-supported", f"The claim misstates what {names} found: it points the other way.",
                          against_sources=(best.meta["source_id"],), con=[best], how="finding")
        return Judged(part, "supported", f"The claim says what {names} found.",
                      for_sources=(best.meta["source_id"],), pro=[best], how="finding")

    def from_population(self, part: str, vec: np.ndarray, part_out: set[str]) -> Judged | None:
        """A claim about a population (teenagers, masters runners, older women) judged on the studies of that
        population: the direction of their findings on the claim's outcome."""
        want = populations(part)
        if not part_out:
            return None  # (with no outcome named, a group's findings can't say which way the claim points)
        sids = [sid for sid, m in self.meta.items() if m.get("type") == "study"
                and want <= populations(f"{m.get('population', '')} {m.get('title', '')}", study=True)]
        if not sids:
            return None
        best = self.best(vec, part, sids, 4, need=part_out)
        if part_out and not best:  # the group was studied, but not for this outcome ("keeps older runners injury-free")
            return self.untested(part, vec, "No study here looked at this outcome in that group of runners, so the "
                                            "claim can't be judged for them; the nearest evidence is quoted below.")
        best = [c for c in best if c.semantic >= 0.45]
        claim_dir = claim_direction(part)
        pro, con = [], []
        for c in best:
            re_result = self.meta.get(c.meta["source_id"], {}).get("re_result")
            d = ({"improved": "effect", "no-change": "null"}.get(re_result) if part_out == {"economy"} else None) \
                or self.direction(c)  # on economy, the study's own result decides
            if d is None:
                continue
            (pro if (d == claim_dir) else con).append(c)
        if not pro and not con:
            return None
        v = "supported" if pro and not con else "not-supported" if con and not pro else "mixed"
        names = ", ".join(dict.fromkeys(_short(c.meta["source_id"]) for c in pro + con))
        reason = (f"The claim is about a particular group, so it was judged on the studies of that group ({names}): "
                  f"{len(pro)} finding(s) point the claim's way and {len(con)} do not; these are small studies.")
        return Judged(part, v, reason, pro=pro[:2], con=con[:2], how="evidence")

    def misstated(self, part: str, source_ids: set[str], findings: list) -> Judged:
        """A claim that reverses what the named studies found; their findings are the evidence against it."""
        names = "; ".join(_short(s) for s in sorted(source_ids))
        return Judged(part, "not-supported", f"The claim misstates what {names} found: it points the other way.",
                      con=findings, how="study")

    def from_study(self, part: str, vec: np.ndarray, part_out: set[str], source_ids: set[str]) -> Judged | None:
        """A claim about what a named study found ("the Vikmoen trial improved economy"), judged on that study's
        own findings for the claim's outcome (None when it has none on that outcome)."""
        sids = sorted(s for s in source_ids if self.meta.get(s, {}).get("type") == "study")
        if not sids or not part_out:
            return None
        best = [c for c in self.best(vec, part, sids, 4, need=part_out) if c.semantic >= 0.40]
        claim_dir = claim_direction(part)
        pro, con = [], []
        for c in best:
            re_result = self.meta.get(c.meta["source_id"], {}).get("re_result")
            on_economy = "economy" in part_out and bool(_OUTCOME_RX["economy"].search(c.text))
            d = ({"improved": "effect", "no-change": "null"}.get(re_result) if on_economy else None) or self.direction(c)
            if d is not None:
                (pro if d == claim_dir else con).append(c)
        if not pro and not con:
            return None
        v = "supported" if pro and not con else "not-supported" if con and not pro else "mixed"
        names = ", ".join(dict.fromkeys(_short(s) for s in sids))
        reason = (f"The claim says what {names} found, so it was judged on that study's own findings: "
                  + ("they match it." if v == "supported" else "they don't show it." if v == "not-supported"
                     else "they point both ways."))
        return Judged(part, v, reason, pro=pro[:2], con=con[:2], how="study")

    def untested(self, part: str, vec: np.ndarray, reason: str, query: str | None = None) -> Judged:
        """No study tested it: the sentences nearest the part (or ``query``, what the reason says is nearest)."""
        query = query or part
        cands = [c for c in self.a.composer.candidates(query, self.a.retriever.invoke(query))
                 if c.meta["source_id"] != ARTICLE_ID and c.meta.get("type") != "article" and c.semantic >= 0.35]
        return Judged(part, "no-evidence", reason, nearest=_dedupe_sources(cands, 2, self.a.composer), how="nearest")

    def outside_subject(self, part: str) -> str | None:
        """An out-of-scope subject the part names (a supplement, fasting, sleep) that no corpus sentence mentions."""
        from .scope import lexicons

        words = self._words_of_corpus()
        for rx in lexicons()["off_topic"]:
            for m in rx.finditer(part):
                w = m.group(0).lower()
                if not all(x in words or x.rstrip("s") in words for x in re.findall(r"[a-z]{3,}", w)):
                    return w
        return None

    def _words_of_corpus(self) -> set[str]:
        if self._corpus_words is None:
            snap = self.a.composer.snapshot
            self._corpus_words = {w.lower() for t in snap.sent_texts for w in re.findall(r"[A-Za-z]{3,}", t)}
        return self._corpus_words

    def unknown_agent(self, part: str) -> bool:
        """The part's subject names something the corpus never mentions ("creatine loading boosts ...")."""
        # "When researchers pooled the runner trials, exercise programmes did not …": the subject follows the clause
        ws = _words(re.sub(r"^(when|if|after|once|as|since|while|because|although|though)\b[^,]{3,160},\s*", "", part,
                           flags=re.I))
        v = _first_verb(ws)
        subject = " ".join(ws[:v]) if v else ""
        subject = subject.split(",")[0]  # "That's new muscle, and it's exactly why …": a subject stops at a comma
        if not subject or _DOMAIN_WORD.search(subject):
            return False
        corpus_words = self._words_of_corpus()
        words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", subject)
                 if not populations(w) and not w.lower().endswith("ly")} - STOPWORDS - EVALUATIVE  # "teenage" names who
        return any(w not in corpus_words and w.rstrip("s") not in corpus_words for w in words)



def _short(sid: str) -> str:
    m = re.match(r"([a-z-]+?)-(\d{4})", sid)
    return " ".join(w.capitalize() for w in m.group(1).split("-")) + " " + m.group(2) if m else sid

def _dedupe_sources(cands: list, per: int, composer) -> list:
    """At most ``per`` candidates, one per source, none saying what an earlier one says (a guide restating a study)."""
    out, n = [], {}
    for c in cands:
        sid = c.meta["source_id"]
        if n.get(sid, 0) < 1 and not composer._repeats(out, c):
            out.append(c)
            n[sid] = n.get(sid, 0) + 1
        if len(out) >= per:
            break
    return out
