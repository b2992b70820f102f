"""Claim checks and passage checks: judging each part of a claim.

A claim is split into atomic parts (``decompose.py``); each part is judged

* against the curated ledger (``claims.py``) when a ledger claim on the same outcome matches closely,
  with polarity read from the part as written (negation, opposite words);
* against the evidence's figures (``figures.py``, ``data/figures.yaml``) when the part states a number;
* otherwise from the retrieved evidence (``findings.py``): the direction of the findings (front matter
  ``re_result`` and the sentences' own wording) for the part's outcome.

"Evidence for" and "Evidence against" are always relative to the claim as written (``check_render.py``).
Every quoted line is a verbatim sentence of its source with ``[n]``; every other sentence is marked as the
assistant's summary of the cited sentences.  A passage is split into sentences (``passage.py``) and the
checkable ones are checked one by one.
"""
from __future__ import annotations

import re
import time
from dataclasses import asdict

import numpy as np

from . import caveats as caveat_rules
from .check_render import ClaimResult, Part, overall_verdict, render
from .citing import strip_citation
from .claims import EVALUATIVE, antonym_flips
from .claimtext import (_COMPARE, _DOMAIN_WORD, _FIRST_PERSON, _ONLY, _QUALIFIED, ABSOLUTE, DOSE_COMPARED, EXPERIENCED,
                        EVERY_STUDY, FIGURE, TIMING, TREATS, compares_populations, equal_for_better, negated, normalise_polarity,
                        other_doses, outcomes, populations, worse_for_better)
from .described import described_studies
from .decompose import _first_verb, _segments, _words, decompose, decompose_marked, split_figure_phrase
from .figures import compare_figure, figures
from .findings import Findings, Judged
from .passage import MAX_PASSAGE_CLAIMS, PassageResult, extract_claims, format_passage
from .scope import analyse, lexicons
from .text import (RACE_GAIN, STOPWORDS, named_sources, split_sentences, terms, without_social_marks,
                   without_weekly_dose)

__all__ = ["ClaimChecker", "ClaimResult", "Part", "PassageResult", "decompose", "extract_claims", "format_passage",
           "overall_verdict", "to_dict"]


# -- the checker ---------------------------------------------------------------------------------------------


class ClaimChecker:
    """Judges claims and passages with an Assistant's loaded services (retriever, encoder, composer, ledger)."""

    NO_OUTCOME_SIMILARITY = 0.70   # a part naming no outcome must match a ledger text this closely
    EXTRA_CLAUSE_GAP = 0.06        # ...and the part is this much closer to its first statement than to the rest
    PARAPHRASE_MARGIN = 0.07       # paraphrases this close to the best count as equally good readings

    def __init__(self, assistant):
        self.a = assistant
        self._meta: dict[str, dict] | None = None
        self.findings = Findings(assistant, lambda: self.meta)

    # -- data about the corpus ------------------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, dict]:
        if self._meta is None:
            from .corpus import load_corpus

            try:
                self._meta = {s.id: dict(s.meta) for s in load_corpus(self.a.settings.corpus_dir)}
            except Exception:  # noqa: BLE001 — front matter only refines judgements
                self._meta = {}
        return self._meta

    # -- public ------------------------------------------------------------------------------------------------
    def _fix(self, text: str) -> str:
        """Spelling correction of plain words only ("runing" -> "running"; "it's" and "high-load" stay)."""
        fixer = self.a.fixer  # an inflection of a known word ("boosts", "completely") is not a typo
        return re.sub(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])", lambda m: fixer.fix_word(m.group(0)), text)

    def check(self, claim: str, in_passage: bool = False, from_article: bool = False) -> ClaimResult:
        """Judge a claim; ``from_article``: it is the article's own claim (an "is the article right that…?" question)."""
        from .messages import INJECTION_NOTICE, NO_EVIDENCE, clean_question

        t0 = time.perf_counter()
        c = clean_question(claim, self.a.settings.max_question_chars)
        self.a.load()
        intent = analyse(c, self.a.fixer)
        intent.text = self._fix(c)
        notices = []
        # "Every study ever done on runners shows that X": X, claimed of every study
        text = _EVERY_LEAD.sub("", intent.text)
        if text != intent.text:
            text = f"{text.rstrip(' .!')}, in every study."
        body, cited = self._strip_citation(text)
        if cited:
            notices.append(cited)
        body = _HEDGE.sub("", body)  # "From what I've read, X": a hedge on X, not an anecdote
        body = without_social_marks(body) or body  # a caption: "…bulky 💪 Low-rep sets…  #runstrong"
        # an anecdote tells of the speaker's own experience; a first person only in a lead-in ("Three things I keep
        # hearing: …") or a remark ("…so that's what my group does") does not make one
        marked = decompose_marked(body)
        anecdote = any(_FIRST_PERSON.search(p) and EXPERIENCED.search(p) for p, _ in marked)
        docs = self.a.retriever.invoke(body)
        if self.out_of_scope(intent, c, body, in_passage):
            res = ClaimResult(question=c, answer=NO_EVIDENCE, verdict="no-evidence")
            res.parts = [Part(c, "no-evidence")]
        else:
            parts, concl = [], []
            if anecdote:
                marked = [(x, False) for x in self._general_parts(body, [p for p, _ in marked])]
            # the speaker's own practice ("Why I keep my squad to two gym days", "that's why I programme heavy") is
            # not a claim about the evidence: judged are the statements beside it
            marked = [(x, c) for x, c in marked if not _FIRST_PERSON.search(x)] or marked
            for p, is_concl in marked:
                p, cited = self._strip_citation(p)  # "…, and a 2019 study in Sports Medicine showed X": X
                if cited and cited not in notices:
                    notices.append(cited)
                # "…, this will knock minutes off your marathon": in a claim about lifting, "this" is the lifting
                if not _DOMAIN_WORD.search(p):
                    p = _THIS_LIFTING.sub("Strength training ", re.sub(r"^(it|this)['’]ll\b", r"\1 will", p, flags=re.I))
                pieces = split_figure_phrase(p)
                parts += pieces
                concl += [is_concl] * len(pieces)
            judged = [self.judge(p, whole=body if len(parts) > 1 else "", sentence=body) for p in parts]
            for k in range(1, len(judged)):
                if concl[k]:
                    _rests_on(judged[k], judged[k - 1])
            res = self._render(c, judged, notices, anecdote)
            claim_ids = {j.article_claim for j in judged if j.article_claim}
            # a claim needs the clinician caveat when it is about a condition a person has or about treating pain
            # or an injury ("heavy squats fix runner's knee"), not when it names injury rates as an outcome
            said = " ".join(parts)  # (its own words, not the names of the journals it cites)
            intent.medical = any(rx.search(said) for rx in lexicons()["person_condition"]) or bool(TREATS.search(said))
            if not RACE_GAIN.search(c):  # marathoners as the people studied, or race season, are not race times
                intent.topics = set(intent.topics) - {"marathon"}
            # what the article overstates is news only for a claim from the article: one that names it or repeats
            # its wording ("three to eight percent"); a coach's own claim gets the caveats of its topics
            about = from_article or bool(_NAMES_ARTICLE.search(c)) or caveat_rules.echoes_article(c)
            res.caveats = caveat_rules.select(intent, res.citations, claim_ids if about else set(), about_article=about)
        res.retrieved = [d.metadata["source_id"] for d in docs]
        res.contexts = [d.page_content for d in docs]
        if intent.injection:
            res.notice = INJECTION_NOTICE
        res.timings_ms["total"] = round((time.perf_counter() - t0) * 1000, 2)
        return res

    def check_passage(self, passage: str) -> PassageResult:
        from .errors import InputError

        t0 = time.perf_counter()
        if not isinstance(passage, str) or not passage.strip():
            raise InputError("the passage is empty — paste a paragraph or an article to check")
        if len(passage) > 200_000:
            raise InputError(f"the passage is {len(passage):,} characters; the limit is 200,000 — check it in parts")
        self.a.load()
        claims = extract_claims(passage)[:MAX_PASSAGE_CLAIMS]
        results = [self.check(cl, in_passage=True) for cl in claims]
        return PassageResult(passage, results, {"total": round((time.perf_counter() - t0) * 1000, 2)})

    # -- scope ---------------------------------------------------------------------------------------------
    def out_of_scope(self, intent, raw: str, body: str, in_passage: bool = False) -> bool:
        if in_passage:
            return False  # the passage sets the topic; its sentences were picked as checkable
        if self.a._out_of_scope(intent, raw):
            return True
        if not (intent.domain or intent.related or intent.running):
            vec = self.a.encoder(body)
            m = self.a.matcher.match(body, vec)
            return m is None
        # a subject the corpus never mentions ("barefoot running", "ice baths") puts the claim outside the sources
        ws = _words(decompose(body)[0])  # after any lead-in ("Worth knowing if you coach beginners: …")
        v = _first_verb(ws)
        subject = " ".join(ws[:v]) if v else ""
        if subject and self.unknown_subject(subject) and not intent.domain and not re.search(r"\btraining\b", body, re.I):
            m = self.a.matcher.match(body, self.a.encoder(body))
            return not (m and m.similarity >= self.a.settings.claim_similarity_unknown)
        return False

    def unknown_subject(self, text: str) -> bool:
        """True when the text names something the corpus never mentions (e.g. a supplement or a shoe type)."""
        fixer = self.a.fixer
        # a capitalised word after the first is a name ("that Finnish trial", "YouTube"), not a subject
        # (a word of a hyphenated compound, "first-timers", "run-only", modifies; it is not the subject named)
        found = re.findall(r"(?<![\w-])[A-Za-z]{4,}(?![\w-])", text)
        words = {w.lower() for i, w in enumerate(found) if i == 0 or not w[0].isupper()} - STOPWORDS - EVALUATIVE
        return any(w not in fixer.vocab and fixer.fix_word(w) == w for w in words)

    def _strip_citation(self, text: str) -> tuple[str, str | None]:
        body, note = strip_citation(text, self.meta)
        head = text[:max(len(text) - len(body), 0)]
        if body != text and (named_sources(head, self.a.composer.names) or described_studies(head, self.meta)):
            return text, None  # "The 2022 meta-analysis by Eihara … found X": a study my sources hold, judged as such
        return body, note

    # -- judging one part ----------------------------------------------------------------------------------
    def judge(self, part: str, whole: str = "", sentence: str = "") -> Judged:
        """Judge one part; ``whole``: the claim it is a part of; ``sentence``: the claim as written, where a study
        may be named in a lead-in the part was taken from ("That NYC Marathon trial proved it: X")."""
        a = self.a
        vec = a.encoder(part)
        if whole and whole != part and not outcomes(part) and not _DOMAIN_WORD.search(part):
            # a part keeps a little of its sentence's context ("you don't need to stop entirely" -> before a race)
            vec = vec + 0.3 * a.encoder(whole)
            vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        # what it is about, from its main clause ("…, nobody gets hurt if they can handle marathon training": injury)
        part_out = outcomes(_TRAILING_CONDITION.sub("", part)) or outcomes(part) or (outcomes(whole) if whole else set())
        # ("...and some trials found no change": the outcome of the sentence it came from)
        fig_hit = None
        for fig in figures():
            r = compare_figure(fig, part)
            if r:
                fig_hit = (fig, r)
                break
        # a dose figure ("twice a week") in a claim about an outcome is a detail: it is compared, not what decides
        # ...unless the dose itself is what the claim gets wrong ("you need a minimum of three a week")
        dose_detail = bool(fig_hit and fig_hit[0].quantity in ("sessions", "weeks") and part_out - {"strength"}
                           and fig_hit[1][0] != "not-supported")
        # (a part pointing back at it, "…gains double in that half of the month", is about it too)
        about = f"{part} {whole or sentence}" if _POINTS_BACK.search(part) else part
        if untested := next((k for k, rx in lexicons()["untested_subjects"].items() if rx.search(about)), None):
            # "…in pregnancy", "…faster in 100-mile ultras": no study here looked at it; the gap naming it comes first
            return self.findings.untested(part, vec, f"No study in my sources tested {untested}, so this can't be "
                                                     "judged here; the nearest evidence is quoted below.",
                                          query=f"No study here tested {untested}")
        outside = self.findings.outside_subject(part)
        if outside:  # "creatine doubles your gains", "lift fasted": a subject no source here covers
            return self.findings.untested(part, vec, f"No study in my sources looked at {outside}, so this can't be "
                                                     "judged here; the nearest evidence is quoted below.")
        studies = self._named_study(part, whole or sentence)
        # a figure we can compare, or a study named or described ("the 2022 update…"), is not an untested subject
        if not fig_hit and not studies and self.findings.unknown_agent(part):
            return self.findings.untested(part, vec, "The claim rests on something no study in my sources tested, so it can't be "
                                            "judged here; the nearest evidence is quoted below.")
        # a claim about what a named study found is judged on that study's findings, not on the topic at large
        j: Judged | None = self.findings.from_study(part, vec, part_out, studies)
        if j is not None and j.verdict == "supported" and studies <= named_sources(f"{whole} {part}", a.composer.names) \
                and (m := self.match_ledger(part, vec, part_out)) \
                and studies <= set(m.evidence_against) and not studies & set(m.evidence_for):
            # the curated ledger puts the study named on the other side of this claim ("Eihara found plyometrics
            # beat heavy lifting", where Eihara found the reverse): its finding is misstated (a study only described
            # is matched less surely, and keeps its own judgement)
            j = self.findings.misstated(part, studies, j.pro)
        # a part saying what one finding says, numbers and all, is judged on that finding — when a study is named,
        # on one of its own
        r = self.findings.restated(part, self.a.settings.claim_restate_similarity)
        if r is not None and (j is None or set(r.for_sources + r.against_sources) <= studies):
            j = r  # its figures are that finding's own: a comparison that agrees is still shown
            if fig_hit and fig_hit[1][0] == "supported":
                j.figure_note = fig_hit[1][1]
                j.figure_sources = (*fig_hit[0].sources, *fig_hit[0].against)
                j.figure_evidence = self.findings.best(a.encoder(fig_hit[0].query), fig_hit[0].query, j.figure_sources, 2)
            fig_hit = dose_detail = None
        # a figure that decides alone (rest between sets): no ledger claim is about it
        match = None if j is not None or (fig_hit and fig_hit[0].decides) else self.match_ledger(part, vec, part_out)
        if match is None and j is None and dose_detail and (bare := without_weekly_dose(part)) != part \
                and len(bare.split()) >= 3:
            # "Two heavy sessions a week won't make you bulky": the dose pulls the wording towards the dosing claims;
            # the claim is about bulk, judged without it (the dose is still compared with the trials' below)
            match = self.match_ledger(bare, bare_vec := a.encoder(bare), part_out)
            vec = bare_vec if match else vec  # ...and its evidence is quoted for what it is about
        if match:
            j = Judged(part, match.verdict, match.claim.reason, match.evidence_for, match.evidence_against,
                        article_claim=match.claim.article_claim, how="ledger")
            if j.verdict == "no-evidence":  # a curated "no study tested this": show what the nearest studies found
                j.nearest = self.findings.best(vec, part, (*match.claim.supporting, *match.claim.opposing), 3)
            if j.verdict == "supported" and EVERY_STUDY.search(part) and match.evidence_against:
                j.verdict = "not-supported"  # "every study shows X": the studies against X say otherwise
                j.reason = (f"Not every study found it: {j.reason[:1].lower() + j.reason[1:]}")
            elif j.verdict == "mixed" and ABSOLUTE.search(part):
                j.verdict = "not-supported"  # "wipes out completely": mixed evidence can't carry an absolute
                j.reason = (f"{j.reason.rstrip('.')}; the claim's absolute wording goes beyond that mixed evidence.")
            elif j.verdict == "mixed" and not fig_hit and (side := self.findings.one_side(
                    part, vec, match, a.settings.claim_one_side_similarity, a.settings.claim_one_side_margin)):
                j.verdict = "supported"  # it says what one side found, not that the evidence agrees
                j.reason = (f"It says what one side of the evidence found (quoted first below), though the wider "
                            f"evidence is mixed: {j.reason[:1].lower() + j.reason[1:]}")
                j.pro = [side]
        # a claim about a group ("for 16-18-year-olds…") is judged on that group's studies when the ledger text it
        # matched is about runners at large
        general_match = bool(match) and j is not None and j.how == "ledger" and not (
            populations(part) & populations(" ".join((match.claim.statement, *match.claim.paraphrases))))
        if populations(part) and (j is None or j.verdict == "mixed" or general_match) and (not fig_hit or dose_detail):
            pj = self.findings.from_population(part, vec, part_out)
            if pj is not None:
                j = pj
        if fig_hit:
            fig, (fv, note) = fig_hit
            # "doesn't lower body fat" reverses the figure's verdict; "went up 2 kg but it didn't matter" does not
            if fig.verdict in ("supported", "not-supported") and negated(re.split(r",?\s+but\s+", part)[0]):
                fv = "supported" if fv == "not-supported" else "not-supported"
            if j is None and dose_detail:
                j = self.findings.from_evidence(part, vec, part_out)
            if j is None:
                j = Judged(part, fv, note, how="figure")
            if dose_detail and not (fv == "supported" and j.verdict == "no-evidence"):
                pass  # (a dose the trials used does show the claim was tested)
            elif j.how == "study" and j.verdict == "not-supported":
                pass  # a named study that doesn't show it decides, whatever the evidence at large says of the figure
            elif fv == "supported" and j.verdict == "no-evidence" and j.how == "ledger" \
                    and (_COMPARE.search(part) or DOSE_COMPARED.search(part)):
                pass  # ...but not a comparison of doses ("two a week beats one"): no trial compared them
            elif fv in ("not-supported", "mixed") or j.how == "figure" or (fv == "supported" and j.verdict in ("mixed", "no-evidence")) \
                    or fig.verdict == "no-evidence":
                if j.verdict != fv or fig.verdict == "no-evidence":
                    j.reason = note  # the figure decides the verdict, so its comparison is the reason
                j.verdict = fv
            j.figure_note = note
            fs, fa = fig.sources, fig.against
            # the note cites the sentences that state the evidence's figures, not whatever the part quotes
            j.figure_sources = (*fs, *fa)
            j.figure_evidence = self.findings.best(a.encoder(fig.query), fig.query, j.figure_sources, 2)
            if j.verdict in ("supported", "mixed"):  # mixed: the figure's studies are the side it agrees with
                j.for_sources = tuple(dict.fromkeys((*j.for_sources, *fs)))
                j.against_sources = tuple(dict.fromkeys((*j.against_sources, *fa)))
            elif j.verdict == "no-evidence":
                j.nearest = self.findings.best(vec, fig.query, fs, 3)
            else:
                j.against_sources = tuple(dict.fromkeys((*fa, *fs, *j.against_sources)))
            if j.how == "figure":
                j.reason = note
        if j is None:
            j = self.findings.from_evidence(part, vec, part_out)
        ex = _EXCLUSIVE.search(part)
        if j.verdict == "supported" and ex and not _ONLY.search(part) and not FIGURE.search(part[ex.end():]) \
                and not (j.how == "study" or (j.how == "finding" and _ONLY_GROUP.search(part))):
            # ("only the heavy group improved" is what a study found)
            # "only light sets build size", "the only way to … is to lift heavy": the evidence shows the one thing
            # works; the claim adds that nothing else does, which no study here showed
            j.verdict = "not-supported"
            j.reason = ("The evidence backs it for that group, but not for them alone: runners of other levels "
                        "benefited too, so the claim goes beyond what was tested.") if ex.group(0).lower().endswith("for") \
                else ("The evidence backs it as one thing that works, not as the only one: no study here showed "
                      "that nothing else does, so the claim goes beyond what was tested.")
        if j.how not in ("evidence", "study") and j.verdict != "no-evidence":
            # a figure judged alone is quoted with the sentences about that figure, not those nearest the wording
            qv = a.encoder(fig_hit[0].query) if fig_hit and j.how == "figure" else vec
            # which side a sentence is on is about its direction; a figure compares sizes, so it keeps its lists
            keep = self.findings.sides_filter(part, part_out) if not fig_hit else (lambda c, for_side: True)
            # the sources' sentences on what the part is about ("body weight": not their economy results), or, when
            # none of them speaks of it, their closest sentences
            need = None if fig_hit and j.how == "figure" else (outcomes(part) - {"taper"}) or None
            pro, con = ((self.findings.best(qv, part, j.for_sources, 2, need=need) if not j.pro else j.pro),
                        (self.findings.best(qv, part, j.against_sources, 2, need=need) if not j.con else j.con))
            if need and not pro and not con:
                pro, con = ((self.findings.best(qv, part, j.for_sources, 2) if not j.pro else j.pro),
                            (self.findings.best(qv, part, j.against_sources, 2) if not j.con else j.con))
            j.pro, j.con = pro, con
            if fig_hit and j.verdict != "no-evidence":
                fq = a.encoder(fig_hit[0].query)
                agrees = j.verdict in ("supported", "mixed")
                extra = self.findings.best(fq, fig_hit[0].query, fig_hit[0].against if agrees
                                           else fig_hit[0].against + fig_hit[0].sources, 2)
                j.con = _merge(j.con, extra, 3) if not agrees or fig_hit[0].against else j.con
                if agrees:
                    j.pro = _merge(j.pro, self.findings.best(fq, fig_hit[0].query, fig_hit[0].sources, 1), 3)
            j.pro = [c for c in j.pro if keep(c, True)]
            j.con = [c for c in j.con if keep(c, False) and c.idx not in {p.idx for p in j.pro}]  # one side each
        return j

    def match_ledger(self, part: str, vec: np.ndarray, part_out: set[str] | None = None):
        """The closest ledger text on the same question: same outcome, a comparison only for a comparison,
        "only X benefit" only for such a claim, the same population; polarity read from the part as written
        (of near-equal paraphrases, the reading that needs no flip wins)."""
        from .claims import Match

        m = self.a.matcher
        if not m.keys:
            return None
        part = normalise_polarity(part)
        part_out = outcomes(part) if part_out is None else part_out
        sims = m.emb @ vec
        comp_part = bool(_COMPARE.search(part)) and not compares_populations(part)
        part_pop = populations(part)
        for i in np.argsort(-sims)[:12]:
            sim = float(sims[i])
            if sim < m.threshold:
                return None
            cid, k = m.keys[int(i)]
            claim = m.by_id[cid]
            ref = claim.texts[k]
            led_out = outcomes(" ".join(claim.texts))
            if part_out and led_out and not (part_out & led_out):
                continue  # on another outcome: "raises VO2max" is not the economy claim
            if not part_out and led_out and sim < self.NO_OUTCOME_SIMILARITY:
                continue  # "they need to lift heavier" names no outcome: only a close paraphrase may judge it
            if bool(_COMPARE.search(ref)) != comp_part:
                continue
            if _CERTAIN.search(ref) and not _CERTAIN.search(part):
                continue  # "lifting will take minutes off your marathon" is not "…will definitely…"
            if FIGURE.search(ref) and not FIGURE.search(part):
                continue  # "lifting helps economy" is not judged by "...by three to eight percent"
            if _BEYOND.search(ref) and not _BEYOND.search(part):
                continue  # "it only takes two sessions" says two suffice, not that a third is wasted
            if other_doses(part, " ".join(claim.texts)):
                continue  # "start at 8–12 reps" is not judged by "start with heavy sets of three to six reps"
            if self._says_more(ref, part):
                continue  # "two sessions are enough" is not "two sessions are the most that is useful; more is wasted"
            if TIMING.search(claim.statement) and not TIMING.search(part):
                continue  # "running wipes out strength gains" is not about lifting and running in the same session
            if bool(_ONLY.search(part)) != bool(_ONLY.search(ref)):
                continue
            if bool(_QUALIFIED.search(part)) != bool(_QUALIFIED.search(ref)):
                continue
            led_pop = populations(" ".join(claim.texts))
            if bool(part_pop) != bool(led_pop) or (part_pop and not (part_pop <= led_pop or led_pop <= part_pop)):
                continue  # a claim about teenagers is not judged by a claim about masters runners
            flips = lambda r: ((negated(part) != negated(r)) + antonym_flips(part, r)  # noqa: E731
                               + worse_for_better(part, r) + equal_for_better(part, r)) % 2
            near = [j for j, (c2, _) in enumerate(m.keys) if c2 == cid and float(sims[j]) >= sim - self.PARAPHRASE_MARGIN]
            readings = [flips(claim.texts[m.keys[j][1]]) for j in near]
            return Match(claim, sim, flips(ref) == 1 and 0 not in readings)
        return None

    def _named_study(self, part: str, whole: str) -> set[str]:
        """Studies the part names, or the sentence of the claim it came from ("Damasceno's study is the one: …")."""
        names = self.a.composer.names
        # named ("Damasceno's study"), or described ("the 40-week study on competitive runners")
        named = lambda text: named_sources(text, names) or described_studies(text, self.findings.meta)  # noqa: E731
        found = named(part)
        if found or not whole:
            return found
        words = set(terms(part))
        sentence = max(split_sentences(whole), key=lambda x: len(words & set(terms(x))), default="")
        # only a study named before the part: "Damasceno's study is the one: … (the part)" reports its finding;
        # "it's a myth that X (the part): in Lauersen's meta-analysis …" brings the study in as evidence about X
        head = " ".join(part.split()[:3]).lower()
        at = sentence.lower().find(head)
        return named(sentence[:at]) if at > 0 else set()

    def _says_more(self, ref: str, part: str) -> bool:
        """A compound ledger text ("X; Y") whose second statement the part does not make."""
        segs = [x for x in re.split(r"\s*;\s*|,\s+and\s+|,\s*so\s+", ref) if len(terms(x)) >= 2]
        if len(segs) < 2 or len(_segments(part)) > 1:
            return False
        pv = self.a.encoder(part)
        sims = [float(self.a.encoder(x) @ pv) for x in segs]
        return sims[0] - min(sims[1:]) > self.EXTRA_CLAUSE_GAP

    @staticmethod
    def _general_parts(body: str, parts: list[str]) -> list[str]:
        """An anecdote with a general conclusion ("I did X and Y happened, so runners should ...") is judged on its
        general statements; a bare anecdote is judged whole, on what the trials measured."""
        general = [p for p in parts if not _FIRST_PERSON.search(p)]
        return general or [body]

    def _render(self, claim: str, judged: list[Judged], notices: list[str], anecdote: bool) -> ClaimResult:
        return render(claim, judged, notices, anecdote)


# "only X works", "X ONLY changes economy", "the only way to …", "nothing but …" — not "only about 4%" (a size),
# "you only need two sessions" (a sufficiency) or "not only"
_EXCLUSIVE = re.compile(r"(?<!\bnot )(?<!\bif )\b(only|solely|exclusively)\b(?!\s+(about|around|roughly|approximately|"
                        r"an?|one|two|three|four|five|six|seven|eight|nine|ten|\d|if|just|slightly|modest\w*|small|"
                        r"marginal\w*|few|little|half|a bit|needs?|takes?|requires?|costs?|ha(ve|s) to|once|twice|after|"
                        r"in|among|within)\b)|"  # ("trials done only in runners" scopes a finding)
                        r"\b(is|are|'s|'re)\s+(really|mainly|mostly|just|strictly|reserved|meant)\s+(only\s+)?for\b|"
                        r"\bnothing (but|else)\b", re.I)
_ONLY_GROUP = re.compile(r"\bonly (the|their|one) ([\w-]+ ){0,3}(group|arm)\b", re.I)
# a ceiling: more than the dose adds nothing
_BEYOND = re.compile(r"\b(beyond|anything (over|above|more)|the most that|ceiling|wasted?|pointless|useless|"
                     r"no (extra|additional|further) (benefit|gain)s?)\b", re.I)
_NAMES_ARTICLE = re.compile(r"\b(the|this|that) (article|piece|post|blog)\b|\barticle\b", re.I)
_POINTS_BACK = re.compile(r"\b(that|this|those|these) (\w+ ){0,2}(phase|half|time|period|race|races|distance|stage|"
                          r"event|part)s?\b", re.I)
# a promise of certainty a claim has to make for a ledger text making it to judge it
_CERTAIN = re.compile(r"\b(definitely|guarantee\w*|certain(ly)?|assured|always|surely|without fail)\b", re.I)
_TRAILING_CONDITION = re.compile(r",?\s+(if|as long as|provided|unless|once)\b[^,;.]*[.!]?\s*$", re.I)
_EVERY_LEAD = re.compile(r"^\s*(every|all|each)( (the|of the|single|last|one))? (study|studies|trials?|papers?|research)\b"
                         r"[^,.;:]{0,60}?\b(shows?|showed|shown|finds?|found|proves?|proved|agrees?|says?)\s+(that\s+)?",
                         re.I)
_HEDGE = re.compile(r"^\s*(from what i'?ve (read|seen|heard)|i (think|believe|reckon|suspect|gather)( that)?|"
                    # reported speech: "Saw a coach on TikTok say that …", "Heard someone at parkrun claim …"
                    r"(i )?(saw|heard|read|watched|came across)\b[^.,;:]{0,60}?\b(say|says|saying|said|claim\w*|argu\w*|"
                    r"insist\w*|swear\w*|post\w*)( that)?|"
                    r"imo|imho|as far as i (know|can tell)|i'?ve (read|heard)( that)?|i'?m (pretty )?sure( that)?)[,:]?\s+",
                    re.I)
_THIS_LIFTING = re.compile(r"^(this|it)\s+(?=(will|would|can|could|does|makes?|helps?|improves?|knocks?|cuts?|takes?|"
                           r"gives?|builds?|buys?|adds?|keeps?|lowers?|raises?)\b)", re.I)


def _rests_on(j: Judged, premise: Judged) -> None:
    """A conclusion ("…, so every runner should take it") is no better supported than the statement it is drawn from."""
    if premise.verdict not in ("no-evidence", "not-supported") or j.verdict == premise.verdict:
        return
    j.verdict = premise.verdict
    j.reason = ("It is drawn from the statement before it, which "
                + ("no study here tested." if premise.verdict == "no-evidence" else "the evidence here does not back."))
    # its own quotes would read as evidence for or against it; it stands or falls with its premise
    j.pro, j.con, j.nearest = [], [], []


def _merge(a: list, b: list, limit: int) -> list:
    seen = {c.idx for c in a}
    return (a + [c for c in b if c.idx not in seen])[:limit]


def to_dict(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else asdict(obj)
