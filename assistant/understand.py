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
from .scope import Intent, analyse, lexicons
from .text import casual_sentences, question_sentences

MAX_PARTS = 3
_Q_START = re.compile(r"^\W*(?:(?:\d{1,2}|[a-c])[.)]\s*)?(?:(?:and|but|so|also|plus|or|then)\s+)?"
                      r"(?:(?:second(?:ly)?|another|one more|last(?:ly)?|other|final(?:ly)?|separate(?:ly)?)\s*"
                      r"(?:thing|question|q|point)?\s*[,:–-]?\s+)?(how|what|whats|what's|which|when|why|where|who|should|shall|do|does|did|is|are|am|can|"
                      r"could|will|would|any|anyone|thoughts|advice|tips|help|wondering|curious|worth|ok|okay)\b", re.I)
_ASKS = re.compile(r"\b(wondering|want to know|not sure (if|whether|how|what|when)|any (advice|tips|thoughts|ideas)|"
                   r"advice on|thoughts on|should i|do i need|is it (ok|okay|worth|bad|fine)|would it)\b", re.I)
_SUBSPLIT = re.compile(r"(?:,|;)?\s+(?:and|also|plus|&)\s+(?=(?:(?:for|in|at|by)\s+)?(?:how|what|which|when|why|should|do|does|"
                       r"is|are|can|will|would|on|before|after|what about|whether)\b)|;\s+|,\s+(?=(?:how|what|which|when|why)\s+\w+)",
                       re.I)
_LOADS = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:kg|kgs|kilos?|lbs?|pounds?)?\s*(?:x|×|for|@|at)?\s*\d*\s*(?:reps?|kg|lbs?)?\b", re.I)
_LOAD_WORDS = re.compile(r"\b(how (heavy|much weight|much should i (lift|squat|deadlift))|what (weight|load)|(heavy|light) enough|"
                         r"too (heavy|light)|go (heavier|lighter)|1 ?rm|one[- ]rep max|max\b|aim(ing)? for|target|"
                         r"working (weight|load)|percent|%|what should i (lift|use|squat|deadlift|bench|be lifting)|"
                         r"what next|next (step|week|month|session)|progress\w*|go up|add (weight|kg|lbs?))", re.I)
_ANAPHORIC = re.compile(r"^\W*((is|are|was|were|does|do|did|would|will|can|could|should)\s+((any|all|some|none|much|most|either) of\s+)?"
                        r"(that|this|it|they|those|these|there|she|he|them)\b|"
                        r"(what'?s|whats|what is|where'?s|is)\s+(that|this|it)\b|.*\b(do|does|help|work|worth)\s+(it|that|this)\W*$|"
                        r"(true|right|correct|accurate|legit|thoughts|any thoughts|really|why|how come|normal)\b|"
                        # "Good idea?", "Sensible?", "Am I mad?": a verdict on what was just said
                        r"((a |is it a |is this a |is that a )?(good|bad|smart|sensible|wise|reasonable) (idea|plan|move|call)|"
                        r"sensible|smart|wise|reasonable|ok|okay|yes or no|am i (right|wrong|crazy|mad|mental))\W*$|"
                        r"(what|how)\s+(should|would|do|does|about)\s+(that|this|it|they|those|these|the rest|wks?|weeks?)\b|"
                        # "Anyone seen actual evidence for that?", "Has anyone measured this?"
                        r".*\b((evidence|research|proof|studies|data|science) (for|on|behind|about|of|to back) (that|this|it)|"
                        r"(measured|tested|studied|looked at|researched|shown|proven|proved|checked) (this|that|it)|"
                        # "How solid is that number?", "What does the research say?"
                        r"(that|this|those|these) (number|figure|stat|statistic|percentage|claim|idea|advice)s?|"
                        r"what (does|do) (the )?(research|science|evidence|literature|studies|data) (say|show))\b)", re.I)
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


def _names_lifting(text: str) -> bool:
    return any(p.search(text) for p in lexicons()["domain"])


def _day_names(text: str) -> str:
    return _DAY_ABBREV.sub(lambda m: _FULL_DAY[m.group(0)[:3].lower()], text)


# "Which is exactly what I want." — a remark on the sentence before, not a question
_RELATIVE_REMARK = re.compile(r"^\W*(which|what|who)\s+(is|was|means|makes|sounds)\b", re.I)
# "worth the faff of splitting them?": a short question about something named before it
_LEANS_BACK = re.compile(r"\b(they|them|those|these|it|that|this|either|both)\b", re.I)


def _is_question(sentence: str) -> bool:
    if "?" not in sentence and _RELATIVE_REMARK.match(sentence):
        return False
    return "?" in sentence or bool(_Q_START.match(sentence)) or bool(_ASKS.search(sentence))


def _points_back(question: str) -> bool:
    """A question that refers to what was said before it: a back-reference ("Is that true?"), or a short question
    with a pronoun that names nothing of strength training itself ("worth the faff of splitting them?")."""
    if _ANAPHORIC.search(question):
        return True
    if _names_lifting(question):
        return False
    # "Did I do something wrong?": a question too short to name a subject is about what was just said
    return (len(question.split()) <= 14 and bool(_LEANS_BACK.search(question))) or \
        (len(question.split()) <= 6 and not any(t.cues.search(question) for t in question_types())
         and not off_topic_terms(question))


_AND_THEN = re.compile(r",\s+(?:and(?:\s+also)?|also)\s+", re.I)
_OWN_ASK = re.compile(r"\b(should|can|could|do|does|would|will|is|are)\s+(i|we|it|that|this|they|you)\b", re.I)


def _second_question(q: str) -> list[str]:
    """Split a question at ", and (also)" when both halves ask something of their own."""
    m = _AND_THEN.search(q)
    if not m:
        return [q]
    first, second = q[:m.start()], q[m.end():]
    if _is_question(first) and _OWN_ASK.search(second) and len(first.split()) >= 2 and len(second.split()) >= 6:
        return [first, second]
    return [q]


# "Is he right, or will heavy stuff make me slow?": a verdict on what was said, then a question of its own
_VERDICT_OR = re.compile(r"^(\W*(?:is|are|was|were)\s+(?:he|she|they|that|this|it|my \w+)\s+(?:right|wrong|correct|true|onto something)"
                         r"|\W*am i (?:right|wrong))\s*,?\s+or\s+(?=(?:will|would|does|do|is|are|can|could|should|am)\s+\w+)",
                         re.I)


_DETAIL = re.compile(r"^\W*(by|for|to|at|in)\s+(how|what)\b", re.I)


def _verdict_or(q: str) -> list[str]:
    m = _VERDICT_OR.match(q)
    rest = q[m.end():] if m else ""
    # "is he right or is that a gym myth?" asks one thing twice
    return [m.group(1).strip(), rest] if m and len(rest.split()) >= 4 and not _ANAPHORIC.search(rest) else [q]


def question_texts(message: str) -> list[tuple[str, str]]:
    """The questions a message asks, in order — question sentences, a title line, or the last sentence —
    each with the sentence before it (context for a short question's type)."""
    lines = [ln.strip() for ln in message.split("\n") if ln.strip()]
    title = lines[0] if len(lines) > 1 and len(lines[0]) <= 140 and not re.search(r"[.!]\s*$", lines[0]) else None
    body = lines[1:] if title else lines
    sents = [s for ln in body for s in casual_sentences(ln)]
    questions: list[tuple[str, str]] = []
    told: dict[str, str] = {}  # a question read with the statement it points back to -> that statement
    for i, s in enumerate(sents):
        before = sents[i - 1] if i else (title or "")
        if questions and _is_question(s) and len(re.findall(r"[A-Za-z]{2,}", s.split("?")[0])) < 2 \
                and questions[-1][0].endswith(before):
            questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])  # "…lift at?? 60? 75? 90?"
            continue
        joiner = re.match(r"\W*(or|and)\b", s, re.I)  # "…? or is it something else?" — but "and should X …?" asks anew
        if questions and _is_question(s) and joiner and len(s.split("?")[0].split()) <= (10 if joiner.group(1).lower() == "or" else 6) \
                and questions[-1][0].endswith(before):
            questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])  # "…race faster? or is it something else?"
            continue
        if _is_question(s):
            # "Is that accurate?", "what should wks 9-16 look like?": the question leans on the sentence before it —
            # and when that sentence is the previous question, it is the same question continued
            if before and _ANAPHORIC.search(s) and questions and questions[-1][0].endswith(before):
                questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])
            elif before and _points_back(s):
                earlier = sents[i - 2] if i >= 2 and not _is_question(sents[i - 2]) else ""
                if earlier and not _names_lifting(before) and _names_lifting(earlier):
                    # "She wants to add heavy squats. My instinct is to say yes. Thoughts?": what is asked about
                    # is the proposal two sentences back
                    questions.append((f"{earlier} {before} {s}", sents[i - 3] if i >= 3 else ""))
                    told[questions[-1][0]] = f"{earlier} {before}"
                else:
                    questions.append((f"{before} {s}", earlier))
                    told[questions[-1][0]] = before
            else:
                questions.append((s, before))
    if questions and sents and not _is_question(sents[-1]) and len(sents[-1].split()) <= 25 \
            and len(questions[-1][0].split()) <= 8 and sents[-2:-1] and questions[-1][0].endswith(sents[-2]):
        questions[-1] = (f"{questions[-1][0]} {sents[-1]}", questions[-1][1])  # "…comes first? run am, lift pm"
    if title and (_is_question(title) or not questions):
        questions.insert(0, (title, ""))
    if not questions:
        questions = [(sents[-1], sents[-2] if len(sents) > 1 else "")] if sents else [(message, "")]
    parts: list[tuple[str, str]] = []
    for q, before in questions:
        # a statement a question points back to ("…and should go heavy. Is he right?") is what is asked about,
        # not a question of its own: only the question sentence is split, and its first piece keeps the statement
        statement = told.get(q, "")
        asked = q[len(statement):].strip() if statement and q.startswith(statement) else q
        pieces = [p.strip(" ,;") for p in _SUBSPLIT.split(asked) if p and p.strip(" ,;?")]
        # "Who's right, and also my watch says …, so should I use it?": a second question after ", and"
        pieces = [x for p in pieces for x in _second_question(p)]
        pieces = [x for p in pieces for x in _verdict_or(p)]
        for k in range(len(pieces) - 1, 0, -1):  # "When do I move up and by how much?": a detail of the same question
            if _DETAIL.match(pieces[k]) and len(pieces[k].split()) <= 4:
                pieces[k - 1:k + 1] = [f"{pieces[k - 1]} and {pieces[k]}"]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            if statement:
                pieces[0] = f"{statement} {pieces[0]}"
            elif before and len(pieces[0].split()) <= 3:  # "Who's right, and …": the first asks about the sentence before
                pieces[0] = f"{before} {pieces[0]}"
            parts += [(p, before) for p in pieces]
        else:
            parts.append((q, before))
    return list(dict((p, b) for p, b in parts).items())


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
        prev_type, prev_score = classifier.classify(_asked(previous), encoder(previous), context=previous)
        prior = prev_type if prev_score >= 0.5 else None
    parts: list[Part] = []
    for i, (q, before) in enumerate(raw_parts):
        intent = analyse(q, fixer)
        text = intent.text
        if intent.off_topic and not any(p.search(_EXAMPLES.sub(" ", text)) for p in lexicons()["off_topic"]):
            intent.off_topic = False  # "foot exercises (towel scrunches, toe yoga)": only the examples named it
        # an elliptical part ("and on run days?") borrows the words of the part before it; a short question
        # the sentence before it ("My marathon PB is 3:15. Will squats get me under 3 hours?")
        bare_part = not intent.topics and not intent.domain and not any(t.cues.search(text) for t in question_types())
        # "…what does the running-specific research say?": a part naming no subject of its own is about the one before
        probe = text if (len(text.split()) >= 5 and not bare_part) or i == 0 else f"{parts[-1].text} {text}"
        if before and i == 0 and (len(text.split()) < 8 or _ANAPHORIC.search(q)):
            probe = f"{before} {probe}"  # only a short or back-referring question borrows its backstory
        if previous and (len(text.split()) < 8 or not intent.domain or FOLLOW_ON.match(text)):
            probe = f"{previous} {probe}"
        # "I squat 60 kg for 10": the numbers say nothing about the question type; "weds" is a day, not a wedding
        bare = _day_names(_LOADS.sub(" ", _TITLE.sub("the ", probe)))
        # cue words count in what was asked ("…what happens to my leg size?"), not in the backstory around it —
        # except who is asking ("I have osteoporosis", "never lifted"), which backstory is where people say it
        qtype, score = (classifier.classify(_TITLE.sub("the ", _asked(text)), encoder(bare), context=probe, prior=prior)
                        if classifier else (None, 0.0))
        if classifier and previous and probe != text:
            # "and rest between sets?" after a question about sets: its own words, when they name a type's cue,
            # say what it asks better than the earlier turn read with it
            own, own_score = classifier.classify(_asked(text), encoder(_LOADS.sub(" ", text)), context=text)
            kind = question_type(own)
            # ...but "for women too?" and "does that change it?" ask about the earlier topic
            if own != qtype and kind and own not in POPULATION_TYPES and kind.cues.search(_asked(text)) \
                    and not _STILL_HOLDS.search(_asked(text)) \
                    and not (_POINTS_BACK.search(_asked(text)) and len(_asked(text).split()) <= 8) \
                    and own_score >= score - classifier.config.own_words_margin:
                qtype, score = own, own_score
        asked_text = _asked(text)  # what the question sentence itself names, without remarks around it
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
                          off_terms, before, _off_topic_first(asked.text)))
    if context.experience == "none":  # a new lifter asking how heavy, how many reps — or just "where do I start?"
        for p in parts:
            if p.qtype in OUTCOME_TYPES:
                continue  # "does a hip routine reduce injuries for beginners?" asks about injuries
            # (how often is answered by the frequency guide, with the progression caveat the context adds)
            if p.qtype in {"load-intensity", "reps-sets", "exercise-choice", "rest"} or p.type_score < 0.5 \
                    or re.search(r"\b(start|starting|begin|beginning)\b", p.text, re.I):
                p.qtype, p.type_score = "beginners", max(p.type_score, 0.5)
    if context.race_soon:  # lifting questions in the days before a race are race-week questions
        for p in parts:
            if p.qtype in {"frequency", "scheduling", "load-intensity", "reps-sets", "exercise-choice", "phases"}:
                p.qtype = "taper-race-week"
    if len(parts) > 1:  # a pain report ("my hip has been pinching since…") is met by the clinician lead, not answered
        parts = [p for p in parts if not (pain_now(p.text) and not _Q_START.match(p.text))] or parts
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


def _asked(text: str) -> str:
    """The question sentences of a part (its cue words say what is asked), or all of it when none reads as one."""
    sents = casual_sentences(text)
    # a question pointing back ("which of these works better?") asks about the sentence it points to
    keep = [_is_question(x) for x in sents]
    for k in range(len(sents) - 2, -1, -1):
        after = sents[k + 1]
        # ...and a remark on it ("X. Which is exactly what I want. Is he right?") points further back
        if keep[k + 1] and ((_is_question(after) and _points_back(after)) or _RELATIVE_REMARK.match(after)):
            keep[k] = True
    asked = [_LEADING_FRAGMENT.sub("", x) if k else x for x, k in zip(sents, keep) if k]
    return " ".join(asked) if asked else text


# "Gym twice a week, thoughts on ice baths?": a verbless fragment before the question is backstory
_LEADING_FRAGMENT = re.compile(r"^(?!\W*(if|when|once|since|because|as|after|before)\b)[^,?]{3,50},\s*(?=(thoughts|any|what|how|should|is|are|do|does|can|which|when|why|worth)\b"
                               r"[^,]*\?\s*$)", re.I)


# runs and plans are the runner's context in a strength question ("my interval day"), not subjects to decline
_RUNNING_SESSION = re.compile(r"intervals?|tempo( runs?)?|fartlek|splits|(training|marathon|running|race|mileage|workout) "
                              r"(plan|schedule|block)s?", re.I)


_ANCHORED = re.compile(r"\b(before|after|around|same day|day (before|after)|next to|between|the night before|"
                       r"the morning (of|after))\b", re.I)


# "foot exercises (towel scrunches, toe yoga)": examples in brackets name what the words before them are about
_EXAMPLES = re.compile(r"\([^()?]{3,200}\)")


def _off_topic_first(text: str) -> bool:
    """Does an out-of-scope subject come before the first strength-training word ("creatine while lifting")?"""
    lx = lexicons()
    text = _EXAMPLES.sub(lambda m: " " * len(m.group(0)), text)
    off = [m.start() for p in lx["off_topic"] for m in p.finditer(text) if not _RUNNING_SESSION.fullmatch(m.group(0))]
    dom = [m.start() for p in lx["domain"] for m in p.finditer(text)]
    return bool(off) and (not dom or min(off) < min(dom))


def off_topic_terms(text: str) -> list[str]:
    """The out-of-scope subjects a question names ("running shoes", "carbs"), in order, once each.
    Link targets and markup are not subjects."""
    text = re.sub(r"\]\([^)]*\)|\b(https?|javascript|data):\S*|<[^>]{0,200}>", " ", text)
    text = _EXAMPLES.sub(" ", text)
    found = [m.group(0).lower() for p in lexicons()["off_topic"] for m in p.finditer(text)]
    return list(dict.fromkeys(f for f in found if not _RUNNING_SESSION.fullmatch(f)))


_CLAIM_OF = re.compile(
    r"\b(?:article|piece|post|blog|author|writer|it)(?:['’]s)?\s+(?:claim|says|said|claims|claimed|argues|states|suggests|"
    r"tells (?:you|us|runners)|reckons|recommends)\s*(?:is\s+)?(?:that\s+)?[\"“']?(?P<claim>[^?!\"”]{12,300}?)[\"”']?\s*"
    r"(?:[.?!]|,\s*[\"“]|,?\s*(?:is|are|does|do|can|should)\s+(?:that|this|it|they)\b|\s*hold(?:s)? up|$)", re.I)


def article_claim(message: str) -> str | None:
    """The claim a question about the article puts to the evidence ("the article says X — is that right?")."""
    m = _CLAIM_OF.search(message)
    if not m:
        return None
    claim = m.group("claim").strip(" ,;:—-")
    if re.match(r"(about|regarding|on|re)\b", claim, re.I):
        return None  # "what it says about bulk": a topic, not a claim
    return claim if len(claim.split()) >= 4 else None


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
        if out and p.type_score < unsure and _ANAPHORIC.search(p.text) and p.in_scope == out[-1].in_scope:
            out[-1] = _joined(out[-1], p, " and ")
        else:
            out.append(p)
    return out


def _merge_same_type(parts: list[Part]) -> list[Part]:
    """Adjacent parts of one type asked in a row are one question put twice."""
    out: list[Part] = []
    for p in parts:
        if out and p.qtype and p.qtype == out[-1].qtype and p.in_scope == out[-1].in_scope:
            out[-1] = _joined(out[-1], p)
        else:
            out.append(p)
    return out
