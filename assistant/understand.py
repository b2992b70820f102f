"""Understanding a message: the question(s) it asks, the runner's context, scope and question type.

Real messages are long posts with the question at the end or only in the title, two or three
questions at once, casual spelling, loads and schedules.  This module turns one into an
``Understanding``: the parts to answer (each with a question type from ``data/question_types.yaml``
and whether it is in scope), the runner's stated context, and the whole-message intent that
safety and caveat rules read.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from .calculator import LoadEstimate, parse_all
from .scope import Intent, analyse, lexicons

DATA = Path(__file__).parent / "data" / "question_types.yaml"
MAX_PARTS = 3
POPULATION_TYPES = {"older-women-bone", "beginners"}  # who is asking, rather than what about
OUTCOME_TYPES = {"running-economy", "race-performance", "injury", "muscle-mass", "soreness-interference"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = r"(mon|tue|wed|thu|fri|sat|sun)(?:day|s|\.|sday|nesday|rsday|urday|n)?s?"
_DAY_RX = re.compile(rf"\b{_DAY}\b", re.I)
_Q_START = re.compile(r"^\W*(?:(?:\d{1,2}|[a-c])[.)]\s*)?(?:(?:and|but|so|also|plus|or|then)\s+)?(how|what|whats|what's|which|when|why|where|who|should|shall|do|does|did|is|are|am|can|"
                      r"could|will|would|any|anyone|thoughts|advice|tips|help|wondering|curious|worth|ok|okay)\b", re.I)
_ASKS = re.compile(r"\b(wondering|want to know|not sure (if|whether|how|what|when)|any (advice|tips|thoughts|ideas)|"
                   r"advice on|thoughts on|should i|do i need|is it (ok|okay|worth|bad|fine)|would it)\b", re.I)
_SUBSPLIT = re.compile(r"(?:,|;)?\s+(?:and|also|plus|&)\s+(?=(?:(?:for|in|at|by)\s+)?(?:how|what|which|when|why|should|do|does|"
                       r"is|are|can|will|would|on|before|after|what about)\b)|;\s+|,\s+(?=(?:how|what|which|when|why)\s+\w+)",
                       re.I)
_LOADS = re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:kg|kgs|kilos?|lbs?|pounds?)?\s*(?:x|×|for|@|at)?\s*\d*\s*(?:reps?|kg|lbs?)?\b", re.I)
_LOAD_WORDS = re.compile(r"\b(how (heavy|much weight|much should i (lift|squat|deadlift))|what (weight|load)|(heavy|light) enough|"
                         r"too (heavy|light)|go (heavier|lighter)|1 ?rm|one[- ]rep max|max\b|aim(ing)? for|target|"
                         r"working (weight|load)|percent|%|what should i (lift|use|squat|deadlift|bench|be lifting)|"
                         r"what next|next (step|week|month|session)|progress\w*|go up|add (weight|kg|lbs?))", re.I)
_ANAPHORIC = re.compile(r"^\W*((is|are|was|were|does|do|did|would|will|can|could|should)\s+(that|this|it|they|those|these|there|she|he)\b|"
                        r"(what'?s|whats|what is|where'?s|is)\s+(that|this|it)\b|.*\b(do|does|help|work|worth)\s+(it|that|this)\W*$|"
                        r"(true|right|correct|accurate|legit|thoughts|any thoughts|really|why|how come|normal)\b|"
                        r"(what|how)\s+(should|would|do|does|about)\s+(that|this|it|they|those|these|the rest|wks?|weeks?)\b)", re.I)
_PAIN_NOW = re.compile(r"\b(pain|painful|(it|that|this|my \w+) hurts|hurting|aches?|aching|(i'?m|i am|currently|got) injured|tweak\w*|"
                       r"pregnan\w*|postpartum|swollen|swelling|numb|numbness|tingl\w*|twinge|niggle|"
                       r"tear|torn|strained|sprained|ruptured?|spasms?|pinch\w*|stress fracture|fractured?|rehab\w*|sciatica)\b", re.I)
_RACE_SOON = re.compile(rf"\b(race|marathon|half|10k|5k|parkrun|ultra)\W+(?:is\W+)?(?:this\W+|on\W+|next\W+)?({_DAY}|tomorrow|weekend)\b|"
                        r"\b(race|marathon|half)\W+(?:day\W+)?(?:is\W+)?in\W+\d\s*days?\b|\brace week\b|\b(days?|\d+ days) (before|out from) (the|my) (race|marathon)\b", re.I)
_SORE_PART = re.compile(r"\b(achilles|knees?|hips?|shins?|calf|calves|ankles?|foot|feet|back|hamstrings?|glutes?|it ?band|itb)"
                        r"\b[^.?!]{0,30}\bsore\b|\bsore (achilles|knees?|hips?|shins?|calf|calves|ankles?|foot|feet|back|hamstrings?)\b",
                        re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")  # casual writing starts sentences in lower case too
_ARTICLE = re.compile(r"\b(article|blog( post)?|the (piece|post|author|writer)|that (piece|post)|this (piece|post)|"
                      r"(it|they) (says?|claims?)|the claim that)\b", re.I)
_RACES = (("ultra", r"\bultra\w*|\b50 ?k\b|\b100 ?(k|km|miles?|milers?)\b"), ("marathon", r"(?<!half[- ])(?<!half )\bmarathon"),
          ("half", r"\bhalf[- ]?marathon|\bhalf\b(?![- ]?squats?)|\b21(\.1)? ?k"), ("10k", r"\b10 ?k\b|\b10 ?km\b"),
          ("5k", r"\b5 ?k\b|\b5 ?km\b|\bparkrun"))
_WEEKS = re.compile(r"\b(\d{1,2})\s*(?:weeks?|wks?)\s*(?:out|away|to go|until|till|before|left)|\bin\s*(\d{1,2})\s*(?:weeks?|wks?)\b", re.I)
_RUNS_PER_WEEK = re.compile(r"\b(\d)\s*(?:x|times|runs?|days?|sessions?)\s*(?:a|per|/)\s*(?:week|wk)\b.{0,20}?|\brun(?:ning)?\s*(\d)\s*(?:days|times)", re.I)
_LONG_RUN = re.compile(rf"long (?:run|runs)\W+(?:is |are |on |usually |every )*{_DAY}|{_DAY}\W+(?:is )?(?:my |the |a )?long\b", re.I)
_HARD = re.compile(rf"(?:intervals?|tempo|track|workouts?|speed ?work|hills?|hard (?:session|run|day)s?|quality (?:session|day)s?)\W+"
                   rf"(?:are |is |on |every )*{_DAY}|{_DAY}\W+(?:is |are )?(?:my |the )?(?:intervals?|tempo|track|workout|speed|hills?|hard|quality)", re.I)
_NEW_LIFTER = re.compile(r"\b(never (really |properly |actually |ever )?(lifted|done|been|touched|used|tried|set foot)\b[^.?!]{0,30}"
                         r"\b(gym|weights?|lifting|strength|barbells?)|new to (lifting|the gym|weights|strength)|"
                         r"beginner|novice|(just|only) (started|starting) (lifting|the gym|strength)|first time (lifting|in the gym)|"
                         r"no (lifting|gym) experience|haven'?t lifted)\b", re.I)
_REGULAR = re.compile(r"\b(lifting|lifted|in the gym|strength training) (for|over) (\d+|a few|several|many) (years?|months?)|"
                      r"\b(years?|months?) of (lifting|strength)|experienced lifter|used to (powerlift|lift)\b", re.I)
_AGE = re.compile(r"\b(?:i'?m|i am|age[d]?|aged)\s*(\d{2})\b|\b(\d{2})\s*(?:yo|y/o|years? old|yrs? old|m\b|f\b)", re.I)
_SEX = (("female", r"\b(woman|women|female|girl|lady|postmenopausal|menopaus\w*|pregnan\w*|postpartum|\d{2} ?f)\b"),
        ("male", r"\b(man|male|guy|bloke|dude|\d{2} ?m)\b"))


@dataclass
class RunnerContext:
    """What the runner said about themselves, anywhere in the message."""
    race: str | None = None                 # 5k, 10k, half, marathon, ultra
    weeks_to_race: int | None = None
    race_soon: bool = False                 # the race is this week or next ("marathon Sunday", "race in 5 days")
    runs_per_week: int | None = None
    run_days: list[str] = field(default_factory=list)
    long_run_day: str | None = None
    hard_days: list[str] = field(default_factory=list)
    experience: str | None = None           # none | regular
    lifts: list[LoadEstimate] = field(default_factory=list)
    age: int | None = None
    sex: str | None = None
    pain: bool = False                      # pain or an injury now, anywhere in the message: the clinician comes first

    @property
    def schedule(self) -> bool:
        return bool(self.run_days or self.long_run_day or self.hard_days or self.runs_per_week)


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


@dataclass(frozen=True)
class QuestionType:
    id: str
    title: str
    description: str
    prototypes: tuple[str, ...]
    cues: re.Pattern


@lru_cache(maxsize=1)
def question_types() -> tuple[QuestionType, ...]:
    """The taxonomy in ``data/question_types.yaml``, in file order."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(QuestionType(t["id"], t["title"], t["description"], tuple(t.get("prototypes") or ()),
                              re.compile(t.get("cues") or r"(?!)", re.I)) for t in raw)


class TypeClassifier:
    """Question type by embedding similarity to each type's prototypes and description, plus its cue words.

    The prototype vectors are cached in ``cache_dir`` under a hash of the model and the taxonomy file,
    so only the first start after a change embeds them."""

    def __init__(self, embedder, cache_dir: Path | None = None, cue_bonus: float = 0.12):
        self.types = question_types()
        texts, owners = [], []
        for i, t in enumerate(self.types):
            for p in (*t.prototypes, t.description):
                texts.append(p)
                owners.append(i)
        self.vectors = self._vectors(embedder, texts, cache_dir)
        self.owners = np.asarray(owners)
        self.cue_bonus = cue_bonus
        self.population_margin = 0.15
        self.follow_up_bonus = 0.10

    @staticmethod
    def _vectors(embedder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
        key = hashlib.sha256("\0".join([getattr(embedder, "model_id", "?"), *texts]).encode()).hexdigest()[:16]
        path = Path(cache_dir) / f"question-types-{key}.npy" if cache_dir else None
        if path and path.exists():
            try:
                return np.load(path)
            except (OSError, ValueError):
                pass  # a damaged cache is rebuilt
        vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
        if path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
                np.save(tmp, vectors)
                os.replace(tmp, path)
            except OSError:
                pass  # a read-only data folder only costs the cache
        return vectors

    def classify(self, text: str, qv: np.ndarray, context: str = "", prior: str | None = None) -> tuple[str | None, float]:
        """Best type for a question (``text``: what was asked, ``qv``: its vector); population cues may come from
        ``context`` (the question with the sentence before it)."""
        sims = self.vectors @ qv
        best = np.full(len(self.types), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owners, sims)
        hits = [len({m.group(0).lower() for m in t.cues.finditer(f"{context} {text}" if t.id in POPULATION_TYPES
                                                                 else text)}) for t in self.types]
        cued = [h > 0 for h in hits]
        # each distinct cue counts, up to two: "the whole block… a maintenance thing" outweighs one "heavy"
        scores = best + np.array([self.cue_bonus * min(h, 2) for h in hits])
        if prior:  # a follow-up continues the conversation's topic unless it clearly asks about another
            scores = scores + np.array([self.follow_up_bonus if t.id == prior else 0.0 for t in self.types])
        i = int(scores.argmax())
        if self.types[i].id in POPULATION_TYPES:  # "does lifting improve economy for women?" asks about economy
            others = [j for j, t in enumerate(self.types) if cued[j] and t.id in OUTCOME_TYPES
                      and scores[j] >= scores[i] - self.population_margin]
            if others:
                i = max(others, key=lambda j: scores[j])
        return self.types[i].id, float(scores[i])


# -- context ---------------------------------------------------------------------
def _day(token: str) -> str:
    return token[:3].lower()


def runner_context(text: str, intent: Intent) -> RunnerContext:
    ctx = RunnerContext(pain=_pain_now(text))
    low = text.lower()
    for name, rx in _RACES:
        if re.search(rx, low):
            ctx.race = name
            break
    m = _WEEKS.search(text)
    if m:
        ctx.weeks_to_race = int(m.group(1) or m.group(2))
    ctx.race_soon = bool(_RACE_SOON.search(text)) or (ctx.weeks_to_race is not None and ctx.weeks_to_race <= 1)
    m = _RUNS_PER_WEEK.search(text)
    if m and ("run" in m.group(0).lower() or "week" in m.group(0).lower()):
        ctx.runs_per_week = int(m.group(1) or m.group(2))
    m = _LONG_RUN.search(text)
    if m:
        ctx.long_run_day = _day(next(g for g in m.groups() if g))
    ctx.hard_days = sorted({_day(next(g for g in h.groups() if g)) for h in _HARD.finditer(text)}, key=DAYS.index)
    runish = re.compile(r"\b(run|runs|running|ran|long|easy|tempo|intervals?|track|workout|recovery|miles?|km|parkrun|race)\b", re.I)
    days = set()
    for sent in _SENTENCE_END.split(text):
        if runish.search(sent) and not re.search(r"\b(lift|gym|weights|strength)\b", sent, re.I):
            days.update(_day(d) for d in _DAY_RX.findall(sent))
    days |= {d for d in [ctx.long_run_day, *ctx.hard_days] if d}
    ctx.run_days = sorted(days, key=DAYS.index)
    if _REGULAR.search(text):
        ctx.experience = "regular"
    elif _NEW_LIFTER.search(text) or "beginner" in intent.topics:
        ctx.experience = "none"
    ctx.lifts = parse_all(text)
    m = _AGE.search(text)
    if m:
        age = int(m.group(1) or m.group(2))
        ctx.age = age if 12 <= age <= 95 else None
    for sex, rx in _SEX:
        if re.search(rx, text, re.I):
            ctx.sex = sex
            break
    return ctx


# -- questions -------------------------------------------------------------------
def _is_question(sentence: str) -> bool:
    return "?" in sentence or bool(_Q_START.match(sentence)) or bool(_ASKS.search(sentence))


def question_texts(message: str) -> list[tuple[str, str]]:
    """The questions a message asks, in order — question sentences, a title line, or the last sentence —
    each with the sentence before it (context for a short question's type)."""
    lines = [ln.strip() for ln in message.split("\n") if ln.strip()]
    title = lines[0] if len(lines) > 1 and len(lines[0]) <= 140 and not re.search(r"[.!]\s*$", lines[0]) else None
    body = lines[1:] if title else lines
    sents = [s for ln in body for s in _SENTENCE_END.split(ln) if s.strip()]
    questions: list[tuple[str, str]] = []
    for i, s in enumerate(sents):
        before = sents[i - 1] if i else (title or "")
        if questions and _is_question(s) and len(s.split()) <= 6 and re.match(r"\W*(or|and)\b", s, re.I) \
                and questions[-1][0].endswith(before):
            questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])  # "…race faster? or is it something else?"
            continue
        if _is_question(s):
            # "Is that accurate?", "what should wks 9-16 look like?": the question leans on the sentence before it —
            # and when that sentence is the previous question, it is the same question continued
            if before and _ANAPHORIC.search(s) and questions and questions[-1][0].endswith(before):
                questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])
            elif before and _ANAPHORIC.search(s):
                earlier = sents[i - 2] if i >= 2 and not _is_question(sents[i - 2]) else ""
                questions.append((f"{before} {s}", earlier))
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
        pieces = [p.strip(" ,;") for p in _SUBSPLIT.split(q) if p and p.strip(" ,;?")]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
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
        # an elliptical part ("and on run days?") borrows the words of the part before it; a short question
        # the sentence before it ("My marathon PB is 3:15. Will squats get me under 3 hours?")
        probe = text if len(text.split()) >= 5 or i == 0 else f"{parts[-1].text} {text}"
        if before and i == 0 and (len(text.split()) < 8 or _ANAPHORIC.search(q)):
            probe = f"{before} {probe}"  # only a short or back-referring question borrows its backstory
        if previous and (len(text.split()) < 8 or not intent.domain):
            probe = f"{previous} {probe}"
        bare = _LOADS.sub(" ", probe)  # "I squat 60 kg for 10": the numbers say nothing about the question type
        # cue words count in what was asked ("…what happens to my leg size?"), not in the backstory around it —
        # except who is asking ("I have osteoporosis", "never lifted"), which backstory is where people say it
        qtype, score = (classifier.classify(_asked(text), encoder(bare), context=probe, prior=prior)
                        if classifier else (None, 0.0))
        off = intent.off_topic and not intent.domain and not intent.medical
        asked = analyse(_asked(text), fixer)  # what the question sentence itself names, without remarks around it
        parts.append(Part(text, qtype, score, not off, off, set(intent.topics), asked.domain or asked.medical,
                          off_topic_terms(_asked(text)), before))
    if context.experience == "none":  # a new lifter asking how heavy, how many reps — or just "where do I start?"
        for p in parts:
            if p.qtype in {"load-intensity", "reps-sets", "exercise-choice", "frequency", "rest"} or p.type_score < 0.5 \
                    or re.search(r"\b(start|begin)\w*", p.text, re.I):
                p.qtype, p.type_score = "beginners", max(p.type_score, 0.5)
    if context.race_soon:  # lifting questions in the days before a race are race-week questions
        for p in parts:
            if p.qtype in {"frequency", "scheduling", "load-intensity", "reps-sets", "exercise-choice", "phases"}:
                p.qtype = "taper-race-week"
    if len(parts) > 1:  # a pain report ("my hip has been pinching since…") is met by the clinician lead, not answered
        parts = [p for p in parts if not (_PAIN_NOW.search(p.text) and not _Q_START.match(p.text))] or parts
    if context.lifts:  # stated lifts and a question about weight or reps: a load question, whatever lift it names
        for p in parts:
            if p.qtype not in ("load-intensity", "reps-sets", "beginners") and _LOAD_WORDS.search(p.text):
                p.qtype = "load-intensity"
    parts = _merge_same_type(_merge_unsure_followers(parts))[:MAX_PARTS]
    about = bool(_ARTICLE.search(message))
    return Understanding(message, whole, parts, context, about, previous)


_NOT_BEFORE = re.compile(r"\b(no|not|never|without|isn'?t|wasn'?t|doesn'?t|don'?t|didn'?t|zero|free of)\W+(\w+\W+){0,2}$", re.I)


def _pain_now(text: str) -> bool:
    """Pain or an injury now, said without a negation ("stiff but not painful" is not pain)."""
    for rx in (_PAIN_NOW, _SORE_PART):
        for m in rx.finditer(text):
            at = text.lower().rfind("sore", m.start(), m.end()) if rx is _SORE_PART else m.start()
            if not _NOT_BEFORE.search(text[max(0, at - 40):at]):
                return True
    return False


def _asked(text: str) -> str:
    """The question sentences of a part (its cue words say what is asked), or all of it when none reads as one."""
    sents = [x for x in _SENTENCE_END.split(text) if x.strip()]
    asked = [x for x in sents if _is_question(x)]
    return " ".join(asked) if asked else text


def off_topic_terms(text: str) -> list[str]:
    """The out-of-scope subjects a question names ("running shoes", "carbs"), in order, once each.
    Link targets and markup are not subjects."""
    text = re.sub(r"\]\([^)]*\)|\b(https?|javascript|data):\S*|<[^>]{0,200}>", " ", text)
    found = [m.group(0).lower() for p in lexicons()["off_topic"] for m in p.finditer(text)]
    return list(dict.fromkeys(found))


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


def _merge_unsure_followers(parts: list[Part], unsure: float = 0.5) -> list[Part]:
    """"Is this normal and will it get better?": a back-referring part with no clear type of its own continues
    the part before it ("will it make me bulky?" has a clear type and stays a question of its own)."""
    out: list[Part] = []
    for p in parts:
        if out and p.type_score < unsure and _ANAPHORIC.search(p.text) and p.in_scope == out[-1].in_scope:
            prev = out[-1]
            out[-1] = Part(f"{prev.text} and {p.text}", prev.qtype, prev.type_score, prev.in_scope, prev.off_topic,
                           prev.topics | p.topics, prev.named_domain or p.named_domain, prev.off_terms + p.off_terms, prev.before)
        else:
            out.append(p)
    return out


def _merge_same_type(parts: list[Part]) -> list[Part]:
    """Adjacent parts of one type asked in a row are one question put twice."""
    out: list[Part] = []
    for p in parts:
        if out and p.qtype and p.qtype == out[-1].qtype and p.in_scope == out[-1].in_scope:
            prev = out[-1]
            out[-1] = Part(f"{prev.text} {p.text}", prev.qtype, max(prev.type_score, p.type_score), prev.in_scope,
                           prev.off_topic, prev.topics | p.topics, prev.named_domain or p.named_domain,
                           list(dict.fromkeys(prev.off_terms + p.off_terms)), prev.before)
        else:
            out.append(p)
    return out
