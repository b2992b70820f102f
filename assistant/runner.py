"""The runner's context, stated anywhere in a message: race and weeks to go, run days, long-run and hard days,
lifting experience, lifts (through the load calculator), age, sex, and pain or an injury now."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .calculator import EXERCISES, LoadEstimate, parse_all
from .scope import Intent, lexicons
from .text import CASUAL_SENTENCE_END

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = r"(mon|tue|wed|thu|fri|sat|sun)(?:day|s|\.|sday|nesday|rsday|urday|n)?s?"  # a weekday as written; group 1: DAYS
_DAY_RX = re.compile(rf"\b{DAY}\b", re.I)
_NOT_A_BODY = (r"(?! (my |your |the |their )?(strength|gains|progress|performance|running|race|times?|economy|recovery|"
               r"speed|results|fitness|training))")  # "lifting hurts my performance" is not pain
_PAIN_NOW = re.compile(r"\b(pain(?![- ]free)|painful|hurts" + _NOT_A_BODY + r"|hurting" + _NOT_A_BODY + r"|aches?|aching|achy|"
                       r"(i'?m|i am|currently|got|just) injured|injured (my|his|her|their)|tweak\w*|"
                       r"pregnan\w*|postpartum|swollen|swelling|numb|numbness|tingl\w*|twinge|niggle|"
                       r"tear|torn|strained|sprained|ruptured?|spasms?|pinch\w*|stress fracture|fractured?|rehab\w*|sciatica|"
                       r"fasciitis|fasciopathy|tendin\w*pathy|tendin?itis|tendonitis|bursitis|arthritis|twinge\w*|niggl\w*)\b", re.I)
# Someone else's injury ("my club mate has Achilles tendinopathy"): said in the same sentence before the mention
# Pain played down as an aside: the answer still comes first, the clinician straight after it
_MINOR = re.compile(r"\b(a (little|bit|touch)|slight(ly)?|minor|mild(ly)?|tiny|probably nothing|nothing serious|"
                    r"not (a big deal|too bad|serious))\b", re.I)
# Swelling is never a minor aside, however lightly it is put ("a bit puffy after long runs");
# ...nor are the signs of a bone or tendon injury: pain where it is pressed, a limp, pain at night or at rest
_SWELLING = re.compile(r"\b(swell\w*|swollen|puff(y|iness|ed up)|(when|if) (i |you )?(press|push|touch|poke)\w*|"
                       r"(tender|sore|painful) to (the )?touch|point tender\w*|limp\w*|at night|at rest|"
                       r"wakes? me)\b", re.I)
# A peer's injury told as a story ("my club mate got signed off with ..."); an athlete, client or child a coach or
# parent asks about is who the advice is for, so their pain counts
# An injury that is over, said in the same sentence ("lost 3 months to it last year (fine now)")
_PAST = re.compile(r"\b(last (year|season|summer|winter|spring|autumn|fall)|\d+ (years?|yrs?) ago|(a|two|few|couple of) years ago|"
                   r"used to|(fully )?recovered|fine now|all good now|healed|cleared( up)?|gone now|back to (full|normal))\b", re.I)
# "my old Achilles niggle" is over — unless it is back ("my old hamstring strain flares up now")
_OLD = re.compile(r"\b(an?|my|the) old (\w+ ){0,2}(injury|niggle|problem|issue|strain)\b", re.I)
_BACK = re.compile(r"\b(still|now|again|flar\w+|keeps?|currently|at the moment|this week|lately|recently|aches?|hurts?)\b",
                   re.I)


def _over(sentence: str) -> bool:
    return bool(_PAST.search(sentence)) or bool(_OLD.search(sentence) and not _BACK.search(sentence))
_THIRD_PARTY = re.compile(r"\b(?:my|his|her|our|a) (?:\w+ )?(mate|friend|club ?mate|training partner|buddy|colleague|"
                          r"workmate)s?\b", re.I)
# (a distance in a range, "tempo 8-10k", or an easy one, "an easy 5k tuesday", is a run, not a race; the day must
# be on the same line)
_RACE_SOON = re.compile(rf"(?<![\d][-–])(?<!easy )(?<!steady )(?<!recovery )(?<!tempo )\b(race|marathon|half|10k|5k|parkrun|ultra)(?:[ \t]+|[ \t]*[-–:][ \t]*)(?:is[^\w\n]+)?(?:this[^\w\n]+|on[^\w\n]+(?:the[^\w\n]+)?|next[^\w\n]+)?({DAY}|tomorrow|weekend)\b|"
                        r"\b(race|marathon|half)\W+(?:day\W+)?(?:is\W+)?in\W+\d\s*days?\b|\b(?:it'?s|it is|this is|now|currently|we'?re|i'?m)\s+(?:in\s+)?(?:my\s+|the\s+)?(?:race|taper(?:ing)?) week\b|\b(?:race|taper(?:ing)?) week (?:is )?(?:now|this week)\b|(?:^|\n)\s*(?:race|taper(?:ing)?) week\s*[:!.,–-]|\b(days?|\d+ days) (before|out from) (the|my) (race|marathon)\b|"
                        # "Marathon a week on Sunday (so 11 days)", "12 days to go": two weeks or less, said in days
                        r"\b(race|marathon|half|10k|5k|ultra)\b[^.?!]{0,40}?\b([1-9]|1[0-4]) days\b|\b([1-9]|1[0-4]) days (to go|out|away|left|until|till)\b|"
                        r"\b(race|marathon|half)\W+(is\W+)?(a|one) week (on|from|today|tomorrow|this)\b", re.I)
_RACE_DAY = re.compile(rf"\b(?:race|marathon|half|10k|5k|parkrun|ultra)(?:[ \t]+|[ \t]*[-–:][ \t]*)(?:is[ \t]+)?(?:this[ \t]+|"
                       rf"on[ \t]+(?:the[ \t]+)?|next[ \t]+)?({DAY})\b", re.I)
_BODY_PART = r"(achilles|tendons?|knees?|hips?|shins?|calf|calves|ankles?|foot|feet|back|hamstrings?|glutes?|it ?band|itb)"
_SORE_PART = re.compile(rf"\b{_BODY_PART}\b[^.?!]{{0,30}}\bsore\b|\bsore\b[^.?!,;]{{0,25}}\b{_BODY_PART}\b", re.I)
# a stiff tendon ("mild achilles stiffness in the mornings") is a symptom, unless said not to hurt; stiff legs are not
# ("stiffer tendons", "tendon stiffness": what lifting may do, not a symptom)
_STIFF_TENDON = re.compile(r"\b(my |an? |the )?(left |right )?(achilles|heels?)\b[^.?!,;]{0,20}\bstiff(ness|ening)?\b"
                           r"(?![^.?!]{0,60}\b((not|no|never|isn'?t|doesn'?t) (painful|sore|pain|hurt\w*)|pain[- ]free)\b)|"
                           r"\bstiff\s+(left |right )?(achilles|heels?)\b", re.I)
_RACES = (("ultra", r"\bultra\w*|\b50 ?k\b|\b100 ?(k|km|miles?|milers?)\b"), ("marathon", r"(?<!half[- ])(?<!half )\bmarathon"),
          ("half", r"\bhalf[- ]?marathon|(?<!first )(?<!second )(?<!back )(?<!front )(?<!other )\bhalf\b(?![- ]?squats?)(?! (the|of|my|a|an|our|your|their|his|her|hour|way|time|as)\b)|\b21(\.1)? ?k"), ("10k", r"\b10 ?k\b|\b10 ?km\b"),
          ("5k", r"\b5 ?k\b|\b5 ?km\b|\bparkrun"))
_WEEKS = re.compile(r"\b(\d{1,2})\s*(?:weeks?|wks?)\s*(?:out|away|to go|until|till|before|left)|\bin\s*(\d{1,2})\s*(?:weeks?|wks?)\b", re.I)
_RUNS_PER_WEEK = re.compile(r"\b(\d)\s*(?:x|times|runs?|days?|sessions?)\s*(?:a|per|/)\s*(?:week|wk)\b.{0,20}?|\brun(?:ning)?\s*(\d)\s*(?:days|times)", re.I)
# "long run Sunday", "Sun - long run", "Sun: long"; never across a comma ("Saturday, long run Sunday")
# (never across a line or a sentence: "…6k tempo\nFri - 6k easy" says nothing about Friday, nor "…Mon and Thu. Long run
# is Sunday" about Thursday; a distance may come first: "Sun - 24k long run",
# "Thu - 12k with 6k tempo")
_DISTANCE = r"(?:\d+(?:\.\d+)? ?(?:k|km|mi|miles?)\s+(?:with\s+(?:a\s+)?(?:\d+(?:\.\d+)? ?(?:k|km|mi|miles?)\s+)?)?)?"
_LONG_RUN = re.compile(rf"long (?:run|runs)[^\w\n]+(?:is |are |on |usually |every )*{DAY}|{DAY}(?<!\.)[ \t:–-]+(?:is )?(?:my |the |a )?"
                       rf"{_DISTANCE}long\b", re.I)
_HARD = re.compile(rf"(?:intervals?|tempo|track|workouts?|speed ?work|hills?|hard (?:session|run|day)s?|quality (?:session|day)s?)[^\w\n]+"
                   rf"(?:are |is |on |every )*{DAY}|{DAY}(?<!\.)[ \t:–-]+(?:is |are )?(?:my |the )?{_DISTANCE}(?:club |group |hill |long )?(?:intervals?|tempo|track|workout|speed|hills?|hard|quality|"
                   # a session written as repeats ("Wed 6x800 @ 3:40", "Thu 5 x 3 min", "Tue - 8x800 @ 5k pace") or a race
                   # ("Sat parkrun, raced it")
                   rf"\d+ ?[x×] ?\d+(?:\.\d+)? ?(?:k|km|m|mi|miles?|mins?|minutes?)\b|\d+ ?[x×] ?\d{{3,4}}\b|parkrun\W+rac|race\b|raced\b)", re.I)
_NEW_LIFTER = re.compile(r"\b(never (really |properly |actually |ever )?(lifted|done|been|touched|used|tried|set foot)\b[^.?!]{0,30}"
                         r"\b(gym|weights?|lifting|strength|barbells?)|new to (lifting|the gym|weights|strength)|"
                         r"beginner|novice|(just|only) (started|starting) (lifting|the gym|strength)|first time (lifting|in the gym)|"
                         r"no (lifting|gym) experience|haven'?t lifted)\b", re.I)
_REGULAR = re.compile(r"\b(lifting|lifted|in the gym|strength training) (for|over) (\d+|a few|several|many) (years?|months?)|"
                      r"\b(years?|months?) of (lifting|strength)|experienced lifter|used to (powerlift|lift)\b", re.I)
_AGE = re.compile(r"\b(?:i'?m|i am|age[d]?|aged)\s*(\d{2})\b|\b(\d{2})\s*(?:yo|y/o|years? old|yrs? old|m\b|f\b)", re.I)
# said of the runner ("I'm a 52yo woman", "as a guy", "F 41", "(45M)"), not of someone else ("a guy at parkrun")
_SELF = r"(?:\b(?:i'?m|i am|im|as)\s+an?\s+(?:\d{2}\s*(?:yo|y/o|years?[- ]old|yr[- ]old)?\s+)?(?:[a-z-]+\s+){0,2})"
_SEX = (("female", rf"{_SELF}(woman|female|girl|lady|mum|mom)\b|\b(postmenopausal|menopaus\w*|pregnant|postpartum|"
                   r"\d{2} ?f|f ?\d{2})\b|\bi'?m (female|a woman)\b"),
        ("male", rf"{_SELF}(man|male|guy|bloke|dude|dad)\b|\b(\d{{2}} ?m|m ?\d{{2}})\b|\bi'?m (male|a man)\b"))




@dataclass
class RunnerContext:
    """What the runner said about themselves, anywhere in the message."""
    race: str | None = None                 # 5k, 10k, half, marathon, ultra
    weeks_to_race: int | None = None
    race_soon: bool = False                 # the race is this week or next ("marathon Sunday", "race in 5 days")
    race_day: str | None = None             # ...and the day it is on ("10k on saturday")
    runs_per_week: int | None = None
    run_days: list[str] = field(default_factory=list)
    long_run_day: str | None = None
    hard_days: list[str] = field(default_factory=list)
    lift_days: list[str] = field(default_factory=list)  # days named with a lift and no run ("deadlifts on Friday")
    experience: str | None = None           # none | regular
    lifts: list[LoadEstimate] = field(default_factory=list)
    age: int | None = None
    sex: str | None = None
    pain: bool = False                      # pain or an injury now, anywhere in the message: the clinician is named
    pain_in_passing: bool = False           # ...only as a minor aside ("a bit twingey, probably nothing"): after the answer

    @property
    def schedule(self) -> bool:
        return bool(self.run_days or self.long_run_day or self.hard_days or self.runs_per_week)


def _day(token: str) -> str:
    return token[:3].lower()


_CLAUSE = re.compile(r"\s*(?:[,;]|\s[-–—]\s|\band\b|\bthen\b)\s*", re.I)
# "Mon, Wed, Fri are rest days", "thinking of squats on Tue or Thu": days that are not (yet) lifting days
_NOT_LIFTING = re.compile(r"\b(rest days?|days? off|off days?|or|either|thinking|considering|can|could|might|maybe|should)\b",
                          re.I)
_DAY_OFF = re.compile(rf"\b({DAY})\s*[:=–-]?\s*(rest|off|nothing|no run(ning)?)\b", re.I)
_REST_DAYS = re.compile(r"\b(rest days?|days? off|off days?)\b", re.I)
_DOSE_WORDS = re.compile(r"\b(once|twice|\d+ ?x|\d+|times?|a|per|every|each|week|wk|sessions?|days?|on|only|just|usually|"
                         r"normally|always|mostly)\b", re.I)
_LIFT_WORDS = re.compile(r"\b(squats?|squatting|deadlifts?|rdls?|lunges?|leg (day|session)|legs|lifting|lift|gym|weights|"
                         r"strength|plyos?|plyometrics?|jumps|"
                         + "|".join(re.escape(e).replace(r"\ ", r"[\s-]") + "s?" for e in EXERCISES
                                    if e not in ("row", "clean", "press"))  # "two days in a row" is no lift
                         + r")\b", re.I)


# "I run M/W/F/Su": weekdays as letters, only in a list joined by slashes (capitals, so "a/b" is no week)
_LETTER_DAYS = {"M": "Mon", "T": "Tue", "Tu": "Tue", "W": "Wed", "Th": "Thu", "F": "Fri", "Sa": "Sat", "Su": "Sun"}
_LETTER_WEEK = re.compile(r"\b(?:Th|Tu|Sa|Su|M|T|W|F)(?:/(?:Th|Tu|Sa|Su|M|T|W|F))+\b")


def _letter_days(text: str) -> str:
    return _LETTER_WEEK.sub(lambda m: "/".join(_LETTER_DAYS[d] for d in m.group(0).split("/")), text)


def runner_context(text: str, intent: Intent) -> RunnerContext:
    text = _letter_days(text)
    at = pain_at(text)
    ctx = RunnerContext(pain=at is not None,
                        pain_in_passing=at is not None and bool(_MINOR.search(text[max(0, at - 60):at + 80]))
                        and not _SWELLING.search(text))
    low = text.lower()
    for name, rx in _RACES:
        if re.search(rx, low):
            ctx.race = name
            break
    else:
        if lexicons()["named_marathons"].search(text):  # "Boston in April"
            ctx.race = "marathon"
    m = _WEEKS.search(text)
    if m:
        ctx.weeks_to_race = int(m.group(1) or m.group(2))
    ctx.race_soon = bool(_RACE_SOON.search(text)) or (ctx.weeks_to_race is not None and ctx.weeks_to_race <= 1)
    if ctx.race_soon and (m := _RACE_DAY.search(text)):  # "10k on saturday", "marathon this Sunday"
        ctx.race_day = _day(m.group(1))
    for m in _RUNS_PER_WEEK.finditer(text):
        # "planning 2 sessions a week: back squat, RDL…" counts lifting sessions, not runs
        if not re.search(r"\b(lift\w*|gym|weights?|strength|squats?|deadlifts?)\b", _sentence_at(text, m.start()), re.I) \
                or re.search(r"\bruns?\b", m.group(0), re.I):
            ctx.runs_per_week = int(m.group(1) or m.group(2))
            break
    m = _LONG_RUN.search(text)
    if m:
        ctx.long_run_day = _day(next(g for g in m.groups() if g))
    ctx.hard_days = sorted({_day(next(g for g in h.groups() if g)) for h in _HARD.finditer(text)}, key=DAYS.index)
    runish = re.compile(r"\b(run|runs|running|ran|long|easy|tempo|intervals?|track|workout|recovery|miles?|km|parkrun|race|"
                        r"pace|fartlek|strides|hills|\d+(\.\d+)? ?k|\d+ ?[x×] ?\d+)\b", re.I)
    days, lifting = set(), set()
    for sent in (s for line in text.split("\n") for s in CASUAL_SENTENCE_END.split(line)):  # a schedule: a line a day
        if runish.search(sent) and not _LIFT_WORDS.search(sent) and not _REST_DAYS.search(sent):
            days.update(_day(d) for d in _DAY_RX.findall(sent))  # about running only: every day it names
            continue
        # about lifting, rest days, or both ("deadlifts on Friday, long run on Saturday"): each clause's days belong to
        # what the clause names; a clause of days and a dose ("thu", "twice a week (mon/thu)") goes on with the one
        # before; an option ("I can do Mon/Wed/Fri"), a rest day or a clause naming both belongs to neither
        doing = None
        for clause in _CLAUSE.split(sent):
            run, lift = runish.search(clause), _LIFT_WORDS.search(clause)
            if _NOT_LIFTING.search(clause) or (run and lift):
                doing = None
            elif run or lift:
                doing = days if run else lifting
            elif _DOSE_WORDS.sub("", _DAY_RX.sub("", clause)).strip(" .!?/&+()"):
                doing = None  # words of its own, and neither running nor lifting
            if doing is not None:
                doing.update(_day(d) for d in _DAY_RX.findall(clause))
    days -= {_day(m.group(1)) for m in _DAY_OFF.finditer(text)}  # "mon rest, tue intervals, …": Monday is no run day
    days |= {d for d in [ctx.long_run_day, *ctx.hard_days] if d}
    ctx.run_days = sorted(days - {ctx.race_day}, key=DAYS.index)  # (race day is not a training day)
    ctx.lift_days = sorted(lifting - days, key=DAYS.index)
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


_NOT_BEFORE = re.compile(r"\b(no|not|nothing|none|never|without|isn'?t|wasn'?t|doesn'?t|don'?t|didn'?t|zero|free of)\W+(\w+\W+){0,2}$", re.I)


def _sentence_at(text: str, at: int) -> str:
    start = max(text.rfind(c, 0, at) for c in ".?!\n") + 1
    ends = [i for i in (text.find(c, at) for c in ".?!\n") if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def _someone_else(before: str) -> bool:
    """The sentence up to a pain word is about a peer ("my club mate got ..."), not "my mate says my knee ..."."""
    sentence = re.split(r"[.?!\n]", before)[-1]
    m = _THIRD_PARTY.search(sentence)
    return bool(m) and not re.search(r"\b(my|I|I'm|I've|me)\b", sentence[m.end():], re.I)


def pain_at(text: str) -> int | None:
    """Where the runner first mentions pain or an injury they have now, said without a negation ("stiff but not
    painful" is not pain) and not about someone else; None when they don't."""
    for rx in (_PAIN_NOW, _SORE_PART, _STIFF_TENDON):
        for m in rx.finditer(text):
            at = text.lower().rfind("sore", m.start(), m.end()) if rx is _SORE_PART else m.start()
            if not _NOT_BEFORE.search(text[max(0, at - 40):at]) and not _someone_else(text[:at]) \
                    and not _over(_sentence_at(text, at)):
                return at
    return None


def pain_now(text: str) -> bool:
    return pain_at(text) is not None
