"""Which sentence answers a question of a known type: the lead of the answer.

The lead is the opening of the type's guide (``corpus/guide-*.md``, "The short answer"), unless the question is
about something more particular that another sentence of a guide names and the opening does not, tried in order:

1. a *facet* of the short answer ("every other week?" — a later short-answer sentence fits clearly better);
2. a *group* of runners ("for women too?" — the short answer of the guide written about that group);
3. a specific *measure* ("will my VO2max drop?" — a short answer that names it);
4. *progression* ("do I add 2.5 kg a week?" — a sentence saying how to add load, from any guide or else a study);
5. a *dose* ("is one session a week worth it?" — the short-answer or gap sentence naming most of the doses asked),
   or a *duration* ("is 8 weeks long enough?" — the short-answer sentence saying how many weeks it took, or else
   the gap sentence saying how long the shortest programme ran);
6. a *gap* ("what the evidence doesn't cover") that names what was asked, or fits clearly better — then the lead
   says plainly that no study tested it and names the closest evidence; or any guide's gap naming an untested
   subject the question names ("core work", "a smith machine");
7. after the rules, any sentence of the guide closer to the question on both signals at once: its own questions
   clearly closer, and the sentence itself closer ("how many days between legs and a workout?").

Every alternative must name its studies, as a lead does, and a facet or gap of the type's guide must answer
questions (the guide's ``asks``) at least as close to what was asked as the opening's. Margins are
``ComposerConfig`` fields.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .claimtext import outcomes, populations
from .corpus import GAPS, SHORT_ANSWER
from .runner import DAY, DAYS
from .text import (asks_duration, asks_how_often, asks_progression, named_sources, names_weeks, question_sentences,
                   says_progression, stem, terms, weekly_counts)

if TYPE_CHECKING:
    from .compose import Candidate, GroundedComposer

FREQUENCY_TYPE = "frequency"                      # the type whose guide says how many sessions a week
POPULATION_GUIDE_TYPES = ("older-women-bone",)   # guides written about a group of runners rather than a topic
SPECIFIC_MEASURES = {"vo2max", "bone", "fat"}     # measures a question can name that a topic's opening may not
_NOT_A_GROUP = {"beginners", "elite", "sprinters", "other-sport"}  # answered by their own types, not the group guide

# Words that ask for a summary rather than name a subject
GENERIC = set(terms("find found show showed do did does say said conclude concluded result results finding findings "
                    "study studies trial trials paper review meta-analysis meta analysis about tell summary summarise "
                    "summarize key main overall conclusion outcome outcomes look looked research author authors"))
# Words every question here shares: they say nothing about which gap in the evidence a question is about.
_DOMAIN_WORDS = set(terms("run runs runner runners running lift lifts lifting lifter strength training train gym weight "
                          "weights exercise exercises session sessions week weeks should would could need want help "
                          "race races racing marathon marathons half 5k 10k ultra km mile miles time times"))


# after a race rather than before it: the embedding model reads "before the race" and "after the race" alike
_AFTER_RACE = re.compile(r"\b(after|post|since|following)[- ](\w+[- ]){0,3}(races?|racing|marathons?|half(?![- ]?squats?)|10k|5k|"
                         r"ultras?)\b|"
                         r"\bpost-?race\b|\brecover\w* from (a|the|my) (race|marathon|half)", re.I)


# When in the week or the day a text is about. A gap ("No study here tested lifting the day before or the day after
# a hard session; …") is about the timing its first clause names; it does not answer a question about another
# timing ("does lifting on the same day as my tempo ruin it?"), however many words the two share.
_TIMINGS = {
    "adjacent days": re.compile(r"\bdays? (before|after)\b|\b(next|following|previous|prior) day\b|\btomorrow\b|"
                                r"\byesterday\b|\bback[- ]to[- ]back\b|\bconsecutive\b|\bin a row\b", re.I),
    "same day": re.compile(r"\bsame[- ](day|session|morning|evening|afternoon)\b|\bone session\b|\bboth in one\b|"
                           r"\bhours? (apart|between)\b|\b(straight|right|immediately|directly) (after|before)\b|\bpost[- ]run\b",
                           re.I),
    "order": re.compile(r"(?<!day )\b(before|after) (or (before|after) )?(a |my |the |your )?(run|running|runs|it)\b|"
                        r"\b(lift|gym|weights) (first|then)\b|\b(first|second) or (first|second)\b|\border\b", re.I),
    "time of day": re.compile(r"\b(morning|evening|time of day)\b|\d ?(am|pm)\b|\bin the (am|pm)\b", re.I),
    "spacing": re.compile(r"\bweekdays?\b|\bspac(e|ing)\b|\bspread\b", re.I),
}


def timings(text: str) -> set[str]:
    """The timings (``_TIMINGS``) a text speaks of; for a gap, only those its first clause names."""
    gap = text.startswith("No study")
    found = {k for k, p in _TIMINGS.items() if p.search(text.split(";")[0] if gap else text)}
    days = {DAYS.index(m.group(1).lower()) for m in re.finditer(rf"\b{DAY}\b", text, re.I)}
    if any((d + 1) % 7 in days for d in days):  # "squats on Saturday, long run on Sunday"
        found.add("adjacent days")
    return found - {"same day"} if gap and "order" in found else found  # which comes first, on the same day


def gap_subjects(text: str) -> set[str]:
    """Untested subjects a text names (data/intents.yaml ``gap_subjects``), as normalised stems."""
    from .scope import lexicons

    return {stem(w) for p in lexicons()["gap_subjects"] for m in p.finditer(text) for w in m.group(0).lower().split()}


def type_lead(composer: GroundedComposer, cands: list[Candidate], qtype: str, question: str = "",
              groups: frozenset = frozenset()) -> Candidate | None:
    """The lead for a question of type ``qtype`` among the scored candidate sentences (None: the type's guide
    was not retrieved); ``groups``: who is asking, when the message says so outside the question."""
    if not _AFTER_RACE.search(question):  # "how many weeks out should I drop the weights?" is before, not after
        cands = [c for c in cands if not _AFTER_RACE.search(c.text)]
    if asked_when := timings(question):  # a gap about another timing than the one asked about never leads
        cands = [c for c in cands if c.meta.get("section") != GAPS or not (when := timings(c.text)) or when & asked_when]
    lead = _rule_lead(composer, cands, qtype, question, groups)
    if lead is None or composer.questions is None or len(question.split()) < composer.config.asks_switch_words:
        return lead  # ("and near a race?" leans on the turn before it: its own words are too few to compare)
    return _closer_on_both(composer, cands, qtype, question, lead) or lead


def _closer_on_both(composer: GroundedComposer, cands: list[Candidate], qtype: str, question: str,
                    lead: Candidate) -> Candidate | None:
    """Another sentence of the type's guide that is closer to the question on both signals: its own questions
    (``asks``) clearly closer, and the sentence itself closer too. Two weak signals that agree outweigh the rules'
    pick ("how many days between legs and a workout?" is the gap on how long heavy legs take to clear)."""
    mine = [c for c in cands if c.meta["source_id"] in composer.guides.get(qtype, ())
            and c.meta.get("section") in (SHORT_ANSWER, GAPS)]
    if lead not in mine:
        return None  # a group's, a measure's or another guide's sentence: chosen for what it names
    cfg = composer.config
    sims = composer.questions.similarity(composer.encoder(question_sentences(question) or question), [c.idx for c in mine])
    if lead.idx not in sims:
        return None
    names = composer.names
    closer = [c for c in mine if c is not lead and c.idx in sims and named_sources(c.text, names)
              and sims[c.idx] >= sims[lead.idx] + cfg.asks_switch_margin
              and c.semantic >= lead.semantic + cfg.asks_switch_semantic]
    return max(closer, key=lambda c: sims[c.idx] + c.semantic, default=None)


def _rule_lead(composer: GroundedComposer, cands: list[Candidate], qtype: str, question: str,
               groups: frozenset = frozenset()) -> Candidate | None:
    mine = [c for c in cands if c.meta["source_id"] in composer.guides.get(qtype, ())]
    short = [c for c in mine if c.meta.get("section") == SHORT_ANSWER]
    if not short:
        return None
    cfg, names = composer.config, composer.names
    opening = min(short, key=lambda c: (c.meta.get("position", 0), c.meta.get("sentence", 0)))
    # what was asked, without examples in brackets ("plyos (box jumps, bounding)") or the runner's race
    asked = set(terms(re.sub(r"\([^)]*\)", " ", question))) - GENERIC - _DOMAIN_WORDS
    sent_terms = composer.snapshot.sent_terms
    named = lambda c: len(asked & sent_terms[c.idx])  # noqa: E731
    cites = lambda c: bool(named_sources(c.text, names))  # noqa: E731
    about_as_good = lambda c: c.semantic >= opening.semantic - cfg.gap_tolerance  # noqa: E731
    # guides' short-answer sentences that pass ``keep`` and name their studies (asked only when a rule needs them)
    short_answers = lambda keep: [c for c in cands if c.meta.get("section") == SHORT_ANSWER  # noqa: E731
                                  and c.meta.get("type") == "guide" and keep(c) and cites(c)]
    # the questions each of the guide's sentences answers first (its ``asks``): another sentence takes the lead from
    # the opening only when its own questions are at least as close to what was asked as the opening's
    # (compared only when a facet or gap would take the lead, which most questions never reach)
    sims: dict[int, float] = {}

    def asked_of(c: Candidate) -> bool:
        if composer.questions is None:
            return True
        if not sims:
            sims.update(composer.questions.similarity(composer.encoder(question_sentences(question) or question),
                                                      [x.idx for x in mine]) or {-1: 0.0})
        return opening.idx not in sims or c.idx not in sims or sims[c.idx] >= sims[opening.idx] + cfg.asks_margin

    # 1. a facet of the short answer
    facet = max((c for c in short if c is not opening and cites(c)), key=lambda c: c.semantic, default=None)
    if facet is not None and facet.semantic > opening.semantic + cfg.facet_margin and named(facet) > named(opening) \
            and asked_of(facet):
        opening = facet
    # 2. a group of runners the opening doesn't speak of, named in the question
    def group_lead(pop: set[str]) -> Candidate | None:
        if not pop or pop & populations(opening.text):
            return None
        written = short_answers(lambda c: bool(pop & populations(c.text)) and any(
            c.meta["source_id"] in composer.guides.get(t, ()) for t in POPULATION_GUIDE_TYPES))
        best = max(written, key=lambda c: c.semantic, default=None)
        # (in the guide written about groups of runners, the sentence about the asker's own group answers them, however
        # the wording compares: "is heavy lifting safe for someone my age?" from a 58-year-old man is not about bone)
        own_guide = best is not None and qtype in POPULATION_GUIDE_TYPES and best in mine
        return best if best is not None and (about_as_good(best) or own_guide) else None

    if lead := group_lead(populations(question) - _NOT_A_GROUP):
        return lead
    # 3. a specific measure the opening doesn't name
    measure = outcomes(question) & SPECIFIC_MEASURES
    if measure and not measure & outcomes(opening.text):
        naming = short_answers(lambda c: bool(measure & outcomes(c.text)))
        if naming and about_as_good(best := max(naming, key=lambda c: c.semantic)):
            return best
    # 4. how to progress the load ("do I add 2.5 kg a week?"), which the opening doesn't say: any guide's
    # short-answer sentence that says it, or else a study's own sentence
    if asks_progression(question) and not says_progression(opening.text):
        steps = short_answers(lambda c: says_progression(c.text)) or \
            [c for c in cands if c.meta.get("type") != "guide" and says_progression(c.text) and cites(c)]
        if steps:
            return max(steps, key=lambda c: c.semantic)
    gaps = [c for c in mine if c.meta.get("section") == GAPS]
    # 5. a dose the opening doesn't name
    asked_dose = weekly_counts(question)
    if asked_dose and not asked_dose & weekly_counts(opening.text):
        dosed = [c for c in short + gaps if asked_dose & weekly_counts(c.text) and cites(c)]
        if dosed:  # the sentence naming most of the doses asked about ("every 2 weeks, or once a week?")
            return max(dosed, key=lambda c: (len(asked_dose & weekly_counts(c.text)), c.semantic))
    # ...or how many a week, no dose named ("how many gym days can I fit in?"): the short-answer sentence naming one,
    # of the type's guide or else of the frequency guide
    if not asked_dose and asks_how_often(question) and not weekly_counts(opening.text):
        dosed = [c for c in short if weekly_counts(c.text) and cites(c)] or short_answers(
            lambda c: bool(weekly_counts(c.text)) and c.meta["source_id"] in composer.guides.get(FREQUENCY_TYPE, ()))
        if dosed and about_as_good(best := max(dosed, key=lambda c: c.semantic)):
            return best
    # ...or a duration ("is 8 weeks long enough?"): the short-answer sentence that says how many weeks it took
    if asks_duration(question) and not names_weeks(opening.text):  # ...or else the gap saying how long trials ran
        timed = [c for c in short if names_weeks(c.text) and cites(c)] or \
            [c for c in gaps if names_weeks(c.text) and cites(c) and about_as_good(c)]
        if timed:
            return max(timed, key=lambda c: c.semantic)
    # 6. what the evidence doesn't cover: a gap naming a distinctive word of the question that the opening lacks,
    # fitting about as well — or fitting clearly better and naming as much
    if gaps:
        best_gap = max(gaps, key=lambda c: (named(c), c.semantic))
        if named(best_gap) >= named(opening) + 2 and about_as_good(best_gap) and asked_of(best_gap):
            return best_gap
        best_gap = max(gaps, key=lambda c: c.semantic)
        if best_gap.semantic > opening.semantic + cfg.gap_margin and named(best_gap) >= max(named(opening), 1) \
                and asked_of(best_gap):
            return best_gap
        # the question names an untested subject ("core work", "a smith machine") and some guide says so
        subjects = gap_subjects(question) - gap_subjects(opening.text)
        others = [c for c in cands if c.meta.get("section") == GAPS and subjects & gap_subjects(c.text)
                  and c.semantic >= opening.semantic - cfg.gap_wide_tolerance]
        if others:
            return max(others, key=lambda c: (len(subjects & gap_subjects(c.text)), named(c), c.semantic))
    # ...or named only in the backstory ("I'm 52, perimenopausal…"): after the rules above, which follow what was asked
    return group_lead(set(groups) - _NOT_A_GROUP) or opening
