"""Understanding a message: the question(s) it asks, the runner's context, scope and question type.

Real messages are long posts with the question at the end or only in the title, two or three
questions at once, casual spelling, loads and schedules.  This module turns one into an
``Understanding``: the parts to answer (each with a question type from ``data/question_types.yaml``
and whether it is in scope), the runner's stated context, and the whole-message intent that
safety and caveat rules read.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace

from .messages import FOLLOW_ON
from .qtypes import OUTCOME_TYPES, POPULATION_TYPES, TypeClassifier, question_type, question_types
from .runner import DAYS, RunnerContext, pain_now, runner_context
from .questions import ANAPHORIC, ENUMERATOR, Q_START, asked_sentences, question_texts
from .scope import EXAMPLES, Intent, analyse, lexicons, off_topic_first, off_topic_terms
from .text import casual_sentences, question_sentences

MAX_PARTS = 3
# numbers of loads, times and paces say nothing about the type — but one compared ("a 3rd session … than 2") does
_LOADS = re.compile(r"(?<!\bthan )(?<!\bvs )(?<!\bversus )\b\d+(?:[.,]\d+)?\s*(?:kg|kgs|kilos?|lbs?|pounds?)?\s*(?:x|×|for|@|at)?"
                    r"\s*\d*\s*(?:reps?|kg|lbs?)?\b", re.I)
_LOAD_WORDS = re.compile(r"\b(how (heavy|much weight|much should i (lift|squat|deadlift))|what (weight|load)|(heavy|light) enough|"
                         r"too (heavy|light)|go (heavier|lighter)|1 ?rm|one[- ]rep max|max\b|aim(ing)? for|target|"
                         r"working (weight|load)|percent|%|what should i (lift|use|squat|deadlift|bench|be lifting)|"
                         r"what next|next (step|week|month|session)|progress\w*|go up|add (weight|kg|lbs?))", re.I)
# "My worry isn't bulking, it's that lifting will eat into my fitness", "I'm not worried about size, more about
# fitness": what is set aside is not what is asked
_NOT_THIS = re.compile(r"\b(?:my|the|our)\s+(?:main\s+|real\s+|big\s+)?(?:worry|concern|question|issue|problem|fear|goal|"
                       r"point|aim)\s+(?:isn'?t|is not|'s not)\s+[^,.;:?!]{1,60}?[,;—–-]\s*(?:it'?s\s+|but\s+|rather\s+|more\s+)"
                       r"(?:that\s+|about\s+|whether\s+)?|"
                       r"\b(?:i'?m|im|i am)\s+not\s+(?:really\s+)?(?:worried|bothered|concerned|fussed|asking)\s+about\s+"
                       r"[^,.;:?!]{1,60}?[,;—–-]\s*(?:(?:it'?s\s+|but\s+|rather\s+|more\s+)(?:that\s+|about\s+|whether\s+)?)?",
                       re.I)
# 'that "Runners don't need to lift more." piece': a quoted title names what was read, not what is asked about
_TITLE = re.compile(r"[\"“][^\"”]{3,160}[\"”]\s*(?=(piece|post|article|blog|video|podcast|episode)\b)", re.I)
_ARTICLE = re.compile(r"[\"”]\s*(piece|post|article|blog)\b|\b(article|blog( post)?|the (piece|post|author|writer)|that (piece|post)|this (piece|post)|"
                      r"(it|they) (says?|claims?)|the claim that)\b", re.I)
@dataclass
class Part:
    text: str                    # the question as asked (spelling corrected)
    qtype: str | None            # a question-type id, or None when nothing fits
    type_score: float
    in_scope: bool
    off_topic: bool
    topics: set[str] = field(default_factory=set)   # the part's own topics (data/intents.yaml), for caveats
    named_domain: bool = False    # the part itself names strength training (so a low similarity still answers)
    off_terms: list[str] = field(default_factory=list)  # out-of-scope subjects it also asks about (shoes, carbs…)
    before: str = ""              # the sentence before the question in the message (context for a short question)
    off_first: bool = False       # an out-of-scope subject comes before any strength word: what the question is about


@dataclass
class Understanding:
    message: str
    intent: Intent               # whole-message intent: safety, injection, topics for caveats
    parts: list[Part]
    context: RunnerContext
    about_article: bool = False
    previous: str | None = None  # for a follow-up: the earlier user turn it builds on

    @property
    def answerable(self) -> list[Part]:
        return [p for p in self.parts if p.in_scope]

    @property
    def declined(self) -> list[Part]:
        return [p for p in self.parts if not p.in_scope]


# -- questions -------------------------------------------------------------------
_FULL_DAY = dict(zip(DAYS, calendar.day_name))
# "weds", "thurs", "sat am": written-short days, spelt out for the embedding model ("sat down" stays a verb)
_DAY_ABBREV = re.compile(r"\b(tues?|weds?|thu(?:rs?)?|fri)\b|\b(mon|sat|sun)\b(?=\s*(?:morning|am|pm|night|evening|"
                         r"afternoon|long|run|[,/&+-]|and\b|$))|(?<=\bon )(mon|sat|sun)\b", re.I)


def _day_names(text: str) -> str:
    return _DAY_ABBREV.sub(lambda m: _FULL_DAY[m.group(0)[:3].lower()], text)


def understand(message: str, fixer, encoder, classifier: TypeClassifier | None,
               previous: str | None = None) -> Understanding:
    """Read a message (already cleaned).  ``previous`` is the earlier user turn when this one follows it up."""
    whole = analyse(f"{previous} {message}" if previous else message, fixer)
    own = analyse(message, fixer)
    whole.medical = whole.medical or own.medical
    whole.injection = own.injection
    context = runner_context(whole.text, whole)
    raw_parts = question_texts(message)
    prior = None
    if previous and classifier:
        prev_type, prev_score = classifier.classify(asked_sentences(previous), encoder(previous), context=previous)
        prior = prev_type if prev_score >= 0.5 else None
    parts: list[Part] = []
    for i, (q, before) in enumerate(raw_parts):
        intent = analyse(q, fixer)
        text = intent.text
        if intent.off_topic and not any(p.search(EXAMPLES.sub(" ", text)) for p in lexicons()["off_topic"]):
            intent.off_topic = False  # "foot exercises (towel scrunches, toe yoga)": only the examples named it
        # an elliptical part ("and on run days?") borrows the words of the part before it; a short question
        # the sentence before it ("My marathon PB is 3:15. Will squats get me under 3 hours?")
        bare_part = not intent.topics and not intent.domain and not any(t.cues.search(text) for t in question_types())
        # "…what does the running-specific research say?": a part naming no subject of its own is about the one before
        probe = text if (len(text.split()) >= 5 and not bare_part) or i == 0 else f"{parts[-1].text} {text}"
        if before and i == 0 and (len(text.split()) < 8 or ANAPHORIC.search(q)):
            probe = f"{before} {probe}"  # only a short or back-referring question borrows its backstory
        if previous and (len(text.split()) < 8 or not intent.domain or FOLLOW_ON.match(text)):
            probe = f"{previous} {probe}"
        # "I squat 60 kg for 10": the numbers say nothing about the question type; "weds" is a day, not a wedding
        bare = _day_names(_LOADS.sub(" ", _TITLE.sub("the ", _NOT_THIS.sub("", probe))))
        # cue words count in what was asked ("…what happens to my leg size?"), not in the backstory around it —
        # except who is asking ("I have osteoporosis", "never lifted"), which backstory is where people say it
        qtype, score = (classifier.classify(_TITLE.sub("the ", _NOT_THIS.sub("", asked_sentences(text))), encoder(bare),
                                            context=probe, prior=prior)
                        if classifier else (None, 0.0))
        if classifier and previous and probe != text:
            # "and rest between sets?" after a question about sets: its own words, when they name a type's cue,
            # say what it asks better than the earlier turn read with it
            own, own_score = classifier.classify(asked_sentences(text), encoder(_LOADS.sub(" ", text)), context=text)
            kind = question_type(own)
            # ...but "for women too?" and "does that change it?" ask about the earlier topic
            if own != qtype and kind and own not in POPULATION_TYPES and kind.cues.search(asked_sentences(text)) \
                    and not _STILL_HOLDS.search(asked_sentences(text)) \
                    and not (_POINTS_BACK.search(asked_sentences(text)) and len(asked_sentences(text).split()) <= 8) \
                    and own_score >= score - classifier.config.own_words_margin:
                qtype, score = own, own_score
        asked_text = asked_sentences(text)  # what the question sentence itself names, without remarks around it
        asked = intent if asked_text == text else analyse(asked_text, fixer)
        off_terms = off_topic_terms(asked_text)
        # "should I have breakfast before the gym?": the lifting is only the setting when the question
        # names an outside subject and nothing any question type is about
        setting_only = bool(off_terms) and not any(t.cues.search(asked_text) for t in question_types())
        own_q, around = question_sentences(text), off_topic_terms(text)
        if own_q and own_q != text and around and _POINTS_BACK.search(own_q) and not off_topic_terms(own_q):
            # "…magnesium and an ice bath. Do those work for soreness?": it asks about what it points back to
            off_terms, setting_only = around, True
        if qtype in _OUTCOME_OR_LOAD and _weighs_plyos_against_lifting(f"{before} {asked_text}" if i == 0 else asked_text):
            qtype = "plyometrics"  # "box jumps or heavy squats — which does more for economy?" compares the two
        off = intent.off_topic and (not intent.domain or setting_only) and not intent.medical
        if off and whole.domain and not off_topic_terms(text) and _ANCHORED.search(text):
            off = False  # "what about the day before intervals?" in a talk about lifting: a time to lift around
        if bare_part and i and parts[-1].off_topic:
            off = True  # "…caffeine before lifting? how many mg?": a part naming nothing continues the one before
        parts.append(Part(text, qtype, score, not off, off, set(intent.topics), asked.domain or asked.medical,
                          off_terms, before, off_topic_first(asked.text)))
    if context.experience == "none":  # a new lifter asking how heavy, how many reps — or just "where do I start?"
        for p in parts:
            if p.qtype in OUTCOME_TYPES:
                continue  # "does a hip routine reduce injuries for beginners?" asks about injuries
            # (how often is answered by the frequency guide, with the progression caveat the context adds)
            # (which exercises is answered by its own guide; the context adds the progression caveat)
            if p.qtype in {"load-intensity", "reps-sets", "rest"} or p.type_score < 0.5 \
                    or re.search(r"\b(start|starting|begin|beginning)\b", p.text, re.I):
                p.qtype, p.type_score = "beginners", max(p.type_score, 0.5)
    if context.race_soon:  # lifting questions in the days before a race are race-week questions
        for p in parts:
            if p.qtype in {"frequency", "scheduling", "load-intensity", "reps-sets", "exercise-choice", "phases"}:
                p.qtype = "taper-race-week"
    if len(parts) > 1:  # a pain report ("my hip has been pinching since…") is met by the clinician lead, not answered
        parts = [p for p in parts if not (pain_now(p.text) and not Q_START.match(p.text))] or parts
    if context.lifts:  # stated lifts and a question about weight or reps: a load question, whatever lift it names
        for p in parts:
            if p.qtype not in ("load-intensity", "reps-sets", "beginners") and _LOAD_WORDS.search(p.text):
                p.qtype = "load-intensity"
    parts = _merge_same_type(_merge_unsure_followers(parts))[:MAX_PARTS]
    about = bool(_ARTICLE.search(message))
    return Understanding(message, whole, parts, context, about, previous)


_OUTCOME_OR_LOAD = {"running-economy", "race-performance", "load-intensity"}
_COMPARING = re.compile(r"\b(which|or|better|more|versus|vs\.?|instead|rather|compared?)\b", re.I)
_ALTERNATIVES = re.compile(r"\b(which|or|versus|vs\.?|instead|rather)\b", re.I)
_LIFT_WORDS = re.compile(r"\b(heavy|squats?|deadlifts?|barbell|weights?|lifting|lift)\b", re.I)


def _weighs_plyos_against_lifting(asked: str) -> bool:
    """The question weighs jumps against lifting: plyometric and lifting words offered as alternatives, and the
    question sentence compares them."""
    plyo = question_type("plyometrics")
    return bool(plyo and plyo.cues.search(asked) and _LIFT_WORDS.search(asked) and _ALTERNATIVES.search(asked)
                and _COMPARING.search(question_sentences(asked) or asked))


_POINTS_BACK = re.compile(r"\b(it|that|this|those|them)\b", re.I)
# "…3 sessions instead of 2, does that change it?": whether the earlier answer still holds, so its topic stays
_STILL_HOLDS = re.compile(r"\b(does|would|will|do|could) (that|this|it) (still )?(change|apply|hold|matter|differ)|"
                          r"\bstill (apply|applies|hold|holds|work|true)\b|\bchange (the|your) answer\b", re.I)


_ANCHORED = re.compile(r"\b(before|after|around|same day|day (before|after)|next to|between|the night before|"
                       r"the morning (of|after))\b", re.I)


_CLAIM_OF = re.compile(
    r"\b(?:article|piece|post|blog|author|writer|it)(?:['’]s)?\s+(?:claim|says|said|claims|claimed|argues|states|suggests|"
    r"tells (?:you|us|runners)|reckons|recommends)\s*(?:is\s+)?(?:that\s+)?[\"“']?(?P<claim>(?:(?!\.\s)[^?!\"”]){12,300}?)[\"”']?\s*"
    r"(?:[.?!]|,\s*[\"“]|,?\s*(?:is|are|does|do|can|should)\s+(?:that|this|it|they)\b|\s*hold(?:s)? up|$)", re.I)


def article_claim(message: str) -> str | None:
    """The claim a question about the article puts to the evidence ("the article says X — is that right?")."""
    m = _CLAIM_OF.search(message)
    if not m:
        return None
    claim = re.sub(r",?\s*(true|right|correct|really|legit)\s*$", "", m.group("claim").strip(" ,;:—-"), flags=re.I)
    if re.match(r"(about|regarding|on|re)\b", claim, re.I):
        return None  # "what it says about bulk": a topic, not a claim
    return claim if len(claim.split()) >= 4 else None


# a question that puts a claim to the evidence ("is that right?", "does it hold up?", "any science behind it?")
_ASKS_IF_TRUE = re.compile(r"\b(true|right|correct|accurate|legit\w*|hold(s)? up|really|actually (true|so|the case)|evidence|"
                           r"backed|proven|proof|myth|bs|bull\w*|science|scientific|research|studies|agree|trust|believe|"
                           r"overstat\w*|exaggerat\w*|overblown|hype\w*|fact|wrong)\b", re.I)


_WH_QUESTION = re.compile(r"^\W*((ok|so|and|but|like|then)\W+)*(how|what|which|when|where)\b", re.I)


def asks_if_true(message: str, claim: str) -> bool:
    """The message asks whether the article's ``claim`` is true — the claim is itself asked ("the article says X?"),
    or a question asks after its truth or speaks of the article — rather than asking something else with the article as backstory ("The
    article says go heavy 3-6 reps. What weight for sets of 3-5?")."""
    asked = question_sentences(message)
    if not asked or claim[:40].lower() in asked.lower() or _ASKS_IF_TRUE.search(asked) or _ARTICLE.search(asked):
        return True  # ("the article says X" with no question: a claim to check)
    # a yes-no question leans on the claim ("does that apply to me?"); "how heavy…?", "what weight…?" ask for advice
    return not all(_WH_QUESTION.match(x) for x in casual_sentences(asked) if "?" in x)


def _joined(prev: Part, p: Part, sep: str = " ") -> Part:
    """One part from two asked in a row: the first's type, both texts, everything either says."""
    return replace(prev, text=f"{prev.text}{sep}{p.text}", type_score=max(prev.type_score, p.type_score),
                   topics=prev.topics | p.topics, named_domain=prev.named_domain or p.named_domain,
                   off_terms=list(dict.fromkeys(prev.off_terms + p.off_terms)), off_first=prev.off_first or p.off_first)


def _merge_unsure_followers(parts: list[Part], unsure: float = 0.5) -> list[Part]:
    """"Is this normal and will it get better?": a back-referring part with no clear type of its own continues
    the part before it ("will it make me bulky?" has a clear type and stays a question of its own)."""
    out: list[Part] = []
    for p in parts:
        if out and p.type_score < unsure and ANAPHORIC.search(p.text) and p.in_scope == out[-1].in_scope:
            out[-1] = _joined(out[-1], p, " and ")
        else:
            out.append(p)
    return out


_LEANS_BACK = re.compile(r"\b(it|its|that|this|they|them|those|these|he|she|either|both)\b", re.I)
# a question announced as another one: numbered ("2)", "(b)", "2."), or "also", "secondly", "another thing"
_NEW_QUESTION = re.compile(r"^\W*(\(?\d\)|\(?[a-d]\)|\d\.\s|also\b|and also\b|second(ly)?\b|another\b|plus\b|other q)", re.I)


def _merge_same_type(parts: list[Part]) -> list[Part]:
    """Adjacent parts of one type asked in a row are one question put twice ("…on saturday? like 2 hrs once = same
    as 2x1hr right?") — unless the later one is announced as another question ("1) is interference real? 2) and
    does being sore mess up my intervals?") and stands on its own words; then each is answered."""
    out: list[Part] = []
    for p in parts:
        own = bool(_NEW_QUESTION.match(p.text)) and len(p.text.split()) >= 6 and not _LEANS_BACK.search(p.text) \
            and not ANAPHORIC.search(ENUMERATOR.sub("", p.text))
        if out and p.qtype and p.qtype == out[-1].qtype and p.in_scope == out[-1].in_scope and not own:
            out[-1] = _joined(out[-1], p)
        else:
            out.append(p)
    return out
