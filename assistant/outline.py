"""Planning the shape of an answer from an ``Understanding`` and the composed part answers.

* one part: the composed answer, its lead first;
* several parts: a short titled section per part, citations numbered across the whole answer;
* the runner's own numbers first where they answer the question (stated lifts through the load calculator);
* a stated schedule shapes a scheduling answer, kept apart from the evidence and labelled as convention;
* parts outside scope declined explicitly, in one sentence each, after the answered parts;
* caveats chosen from what the answered parts are about and the runner's context, not from the backstory.
"""
from __future__ import annotations

import copy
from dataclasses import replace
import re

from .qtypes import question_type
from .questions import ENUMERATOR
from .runner import DAYS, RunnerContext
from .schema import Answer, Citation
from .scope import Intent
from .text import RACE_GAIN, asks_progression
from .understand import Part, Understanding

CONVENTION = "convention — not tested in these sources"
RACE_WEEK_TYPE = "taper-race-week"   # the question type a race-week note goes with
DAY_NAMES = dict(zip(DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))
LOAD_TYPES = {"load-intensity", "reps-sets", "beginners"}
PERFORMANCE_TYPES = {"race-performance", "running-economy", "mechanisms", "plyometrics"}
NOT_RACE_TYPES = {"injury", "muscle-mass", "older-women-bone"}  # outcomes other than racing
HOW_TO_TYPES = {"scheduling", "frequency", "taper-race-week", "phases", "rest", "reps-sets", "load-intensity",
                "exercise-choice", "beginners"}
LONG_RACES = {"marathon", "ultra", "half"}
_MARK = re.compile(r"\[(\d+)\]")
_ASKS_NUMBER = re.compile(r"\b(1 ?rm|one[- ]rep(etition)? max|max(imum)?|working (weight|load|sets?)|what weight|how much weight|"
                          r"what load|\d+ ?%|percent|aim(ing)? for|target|what (should|do|would|can) (i|we) (load|put on)|what to (load|put on)|"
                          r"how many (kg|kilos|lbs?|pounds))\b", re.I)
_ASKS_PERCENT = re.compile(r"\b(what|which|how much|how many|roughly what)\s+(\w+\s+)?(%|percent(age)?)|\bpercentage\b", re.I)
# "which two days should the lifting go on?": the placement for the runner's week is the answer, so it leads
_ASKS_DAYS = re.compile(r"\b(which|what) (\w+ )?(days?|nights?)\b|\bwhen (should|do|can|would) (i|we|you)\b|\bwhere (should|do|would|can) "
                        r"(i|we) (put|fit|slot|place)\b", re.I)



_JOINING = re.compile(r"^[\s\-–—:,]*((and|also|or|so|but|plus|secondly|second)\b[\s\-–—:,]*)*", re.I)


def title_of(part: Part) -> str:
    qt = question_type(part.qtype)
    if qt:
        return qt.title
    # its own words, without its number or a joining word ("2) and will lifting slow me…" -> "Will lifting slow me…")
    text = _JOINING.sub("", ENUMERATOR.sub("", part.text.strip())).rstrip("?!. ")
    text = text[:1].upper() + text[1:]
    return text if len(text) <= 60 else text[:60].rsplit(" ", 1)[0] + "…"


def decline(part: Part) -> str:
    asked = ENUMERATOR.sub("", part.text.strip()).rstrip("?.! ")  # without its "1)"
    if len(asked) > 90:
        asked = asked[:87].rsplit(" ", 1)[0] + "…"
    return (f"You also asked “{asked}”: that is outside what my sources cover — they are about strength training "
            "for runners, so I can't advise on it.")


def load_notes(ctx: RunnerContext, parts: list[Part]) -> list[str]:
    """The runner's stated lifts turned into working loads, when a part asks about load, reps or starting out."""
    if not ctx.lifts or not any(p.qtype in LOAD_TYPES for p in parts):
        return []
    if ctx.experience == "none":  # new lifters start at 8-12 reps: their loads, not heavy ones
        return [est.moderate_summary() for est in ctx.lifts[:3]]
    return [est.summary() for est in ctx.lifts[:3]]


def schedule_note(ctx: RunnerContext) -> str | None:
    """Which days could carry two lifting sessions, given the runner's week: a convention, labelled as one.
    Key runs (hard sessions, the long run) and the day before each stay free of heavy legs; failing two such days,
    a session goes after a hard run that has no key run the next day ("hard days hard, easy days easy")."""
    if len(ctx.run_days) < 3 and not ctx.long_run_day:
        return None  # too little of the week is known to place anything
    key = [d for d in [*ctx.hard_days, ctx.long_run_day] if d]
    before = {DAYS[(DAYS.index(d) - 1) % 7] for d in key}
    avoid = set(key) | before
    free = [d for d in DAYS if d not in ctx.run_days and d not in avoid]
    easy = [d for d in ctx.run_days if d not in avoid]
    after_hard = [d for d in ctx.hard_days if d not in before]  # a hard run with no key run the next day
    kept = [d for d in ctx.lift_days if d not in avoid]   # the runner's own lifting days that already fit
    moved = [d for d in ctx.lift_days if d in avoid]
    if ctx.lift_days:
        picks = kept[:2]
        want = min(len(ctx.lift_days), 2) if moved else 2  # a day that clashes moves; one day that fits gets a second
        near = lambda d: min((abs(DAYS.index(d) - DAYS.index(m)) for m in moved), default=0)  # noqa: E731
        for pool in (free, free + easy, free + easy + after_hard):
            pool = sorted(pool, key=near)  # a session moves to the nearest day that fits ("Thursday, not Friday")
            while len(picks) < want and (d := next((x for x in pool if x not in picks and x not in moved
                                                 and all(abs(DAYS.index(x) - DAYS.index(k)) >= 2 for k in picks)), None)):
                picks.append(d)
        picks = sorted(picks, key=DAYS.index)
    else:
        picks = _spaced(free) or _spaced(free + easy) or _spaced(free + easy + after_hard) or (free + easy)[:2]
    if not picks:
        return None
    parts = []
    if ctx.run_days:
        parts.append("you run on " + ", ".join(DAY_NAMES[d] for d in ctx.run_days))
    if ctx.long_run_day:
        parts.append(f"your long run is on {DAY_NAMES[ctx.long_run_day]}")
    if ctx.hard_days:
        names = [DAY_NAMES[d] for d in ctx.hard_days]
        parts.append("your hard sessions are on " + (f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]))
    how = {d: ("after the hard session — at least 3 hours after it where you can" if d in ctx.hard_days
               else "after the easy run, or hours apart from it") for d in picks if d in ctx.run_days}
    extra = "; ".join(f"on {DAY_NAMES[d]}, {h}" for d, h in how.items())
    keeps = ("keeps heavy legs off the days before your key runs and keeps your easy days easy"
             if any(d in ctx.hard_days for d in picks) else "keeps heavy sessions off your key runs and the days before them")
    where = " and ".join(DAY_NAMES[d] for d in picks)
    week = f"for your week ({'; '.join(parts)})"
    if moved:  # "deadlifts on Friday, long run on Saturday": say why that day and where instead
        why = "; ".join(f"{DAY_NAMES[d]} is {_clash(d, ctx)}" for d in moved)
        new = [d for d in picks if d not in ctx.lift_days]
        it = "it" if len(moved) == 1 else "them"
        to = f"moving {it} to {' and '.join(DAY_NAMES[d] for d in new)}" if new else f"dropping {it}"
        stays = f"; {' and '.join(DAY_NAMES[d] for d in kept)} already fits" if kept else ""  # say so of the one asked about
        return (f"{why}: {to}{f' ({extra})' if extra else ''} {keeps}{stays}, {week} — the placement is {CONVENTION}.")
    if ctx.lift_days and set(picks) == set(kept):
        return (f"Your lifting days, {where}, already keep heavy sessions off your key runs and the days before them, "
                f"{week} — the placement is {CONVENTION}.")
    if ctx.lift_days:
        add = " and ".join(DAY_NAMES[d] for d in picks if d not in kept)
        return (f"Keep {' and '.join(DAY_NAMES[d] for d in kept)} and add {add}{f' ({extra})' if extra else ''}: "
                f"{week}, that {keeps} — the placement is {CONVENTION}.")
    return f"Lift on {where}{f' ({extra})' if extra else ''}: {week}, that {keeps} — the placement is {CONVENTION}."


def race_week_note(ctx: RunnerContext) -> str | None:
    """What to do with the runner's own lifting days in the week of a race on a known day: a convention, labelled
    as one (the guide's evidence leads: one session a week holds gains, no study tested race-week lifting)."""
    if not (ctx.race_soon and ctx.race_day and ctx.lift_days):
        return None
    race = DAYS.index(ctx.race_day)
    out = lambda d: (race - DAYS.index(d)) % 7  # noqa: E731 — days from the lifting day to the race
    drop = [d for d in ctx.lift_days if out(d) <= 1]   # race day, or the day before it
    keep = [d for d in ctx.lift_days if out(d) >= 2]
    names = lambda ds: " and ".join(DAY_NAMES[d] for d in ds)  # noqa: E731
    what = ctx.race or "race"
    bits = []
    if keep:
        bits.append(f"keep {names(keep[:1])} as a short session with a few heavy sets and no new exercises")
    if keep[1:]:
        bits.append(f"drop {names(keep[1:])}, since one session a week holds strength")
    if drop:
        bits.append(f"drop {names(drop)}, {'race day' if out(drop[0]) == 0 else 'the day before the race'}")
    return (f"With your {what} on {DAY_NAMES[ctx.race_day]}: " + "; ".join(bits)
            + f" — race-week lifting is {CONVENTION}.")


def _clash(day: str, ctx: RunnerContext) -> str:
    """Why a lifting day sits badly: a key run itself, or the day before one."""
    after = DAYS[(DAYS.index(day) + 1) % 7]
    if day == ctx.long_run_day:
        return "your long-run day"
    if day in ctx.hard_days:
        return "a hard-session day"
    if after == ctx.long_run_day:
        return "the day before your long run"
    return f"the day before your hard session on {DAY_NAMES[after]}"


def _spaced(days: list[str]) -> list[str]:
    """Two days at least two apart (Mon+Wed, Tue+Fri…), earliest first."""
    idx = sorted(DAYS.index(d) for d in days)
    for a in idx:
        for b in idx:
            if 2 <= b - a <= 5:
                return [DAYS[a], DAYS[b]]
    return []


def _renumber(ans: Answer, offset: int) -> tuple[str, list[Citation]]:
    text = _MARK.sub(lambda m: f"[{int(m.group(1)) + offset}]", ans.answer)
    cites = [Citation(c.n + offset, c.source_id, c.title, c.quote, c.url) for c in ans.citations]
    return text, cites


def assemble(question: str, u: Understanding, answered: list[tuple[Part, Answer]]) -> Answer:
    """One answer from the composed parts, in the order asked, with declines and the runner's numbers."""
    parts = [p for p, _ in answered]
    notes = load_notes(u.context, parts)
    sched = schedule_note(u.context) if any(p.qtype == "scheduling" for p in parts) else None
    if any(p.qtype in ("scheduling", RACE_WEEK_TYPE) for p in parts) and (race_note := race_week_note(u.context)):
        sched = race_note  # the race is days away: its week, not the usual one, is what is asked about
    # the runner's own numbers lead when the question asks for them ("what's my max?"), else follow the lead
    # ...but not when it asks how to add load over time ("how much weight do I add each week?")
    # ...nor when it asks what percentage to work at: the evidence's percentage answers that, the kilos follow
    numbers_first = bool(notes) and any(_ASKS_NUMBER.search(p.text) and not asks_progression(p.text)
                                        and not _ASKS_PERCENT.search(p.text) for p in parts)
    if len(answered) == 1:
        ans = copy.copy(answered[0][1])
        body = ans.answer
        if sched:
            body = _sched_into(body, sched, answered[0][0])
        if notes and not numbers_first:
            body = _after_lead(body, " ".join(notes))
        ans.answer = "\n\n".join([*notes, body]) if numbers_first else body
    else:
        blocks, citations, titles = [], [], set()
        for part, a in answered:
            text, cites = _renumber(a, len(citations))
            title = title_of(part)
            if title in titles:  # a second question of the same type is titled by its own words
                title = title_of(replace(part, qtype=None))
            titles.add(title)
            if sched and part.qtype in ("scheduling", RACE_WEEK_TYPE):
                text = _sched_into(text, sched, part)
            if notes and not numbers_first and part.qtype in LOAD_TYPES:
                text = _after_lead(text, " ".join(notes))  # load_notes only gives notes when such a part exists
            blocks.append(f"**{title}**\n{text}")
            citations += cites
        ans = Answer(question=question, answer="\n\n".join([*notes, *blocks]) if numbers_first
                     else "\n\n".join(blocks), citations=citations)  # otherwise the numbers sit in their load section
        ans.retrieved = [s for _, a in answered for s in a.retrieved]
        ans.contexts = [c for _, a in answered for c in a.contexts]
        ans.timings_ms = dict(answered[-1][1].timings_ms)
    declined = [decline(p) for p in u.declined]
    said = " ".join(p.text.lower() for p in u.declined)  # (a subject a declined question names is declined once)
    declined += [f"On {' and '.join(terms)}: that is outside what my sources cover — they are about strength "
                 "training for runners." for p in parts if (terms := [t for t in p.off_terms if t.lower() not in said])]
    if declined:
        ans.answer += "\n\n" + " ".join(declined)
    ans.question = question
    return ans


def with_safety_first(ans: Answer, sentence, lead: bool = True) -> Answer:
    """Pain or a medical condition: the clinician sentence (a corpus quote) leads, the answer follows — or, for
    pain mentioned in passing (``lead=False``), it comes straight after the direct answer."""
    if sentence is None or any(c.quote == sentence.text for c in ans.citations):
        return ans
    m = sentence.meta
    out = copy.copy(ans)
    if lead:
        text, cites = _renumber(ans, 1)
        out.answer = f"{sentence.text} [1]\n\n{text}"
        out.citations = [Citation(1, m["source_id"], m["title"], sentence.text, m.get("url") or None), *cites]
        return out
    head, sep, rest = ans.answer.partition("\n\n")
    n = max((int(x) for x in _MARK.findall(head)), default=0) + 1  # numbers stay in reading order
    rest = _MARK.sub(lambda k: f"[{int(k.group(1)) + (int(k.group(1)) >= n)}]", rest)
    out.answer = f"{head}\n\n{sentence.text} [{n}]" + (f"\n\n{rest}" if sep else "")
    out.citations = sorted([*(c if c.n < n else Citation(c.n + 1, c.source_id, c.title, c.quote, c.url) for c in ans.citations),
                            Citation(n, m["source_id"], m["title"], sentence.text, m.get("url") or None)], key=lambda c: c.n)
    return out


def _sched_into(body: str, sched: str, part: Part) -> str:
    """The placement for the runner's week leads when the part asks which days; otherwise it follows the lead."""
    return f"{sched}\n\n{body}" if _ASKS_DAYS.search(part.text) else _after_lead(body, sched)


def _after_lead(body: str, sentence: str) -> str:
    """Put a sentence right after the lead paragraph (the direct answer stays first)."""
    head, sep, rest = body.partition("\n\n")
    return f"{head}\n\n{sentence}" + (f"\n\n{rest}" if sep else "")


_PREVENTION_AIM = re.compile(r"\b((prevent\w*|avoid\w*|reduc\w*|lower\w*|cut\w*|protect\w* (against|from))\s+(\w+\s+){0,2}"
                             r"injur\w*|injury[- ](free|prevention|risk)|(stay|staying|keep\w*) (\w+ )?(healthy|injury[- ]free)|"
                             r"(not|never|without|avoid) (getting |get )?(hurt|injured))\b", re.I)


def caveat_intent(u: Understanding, type_confidence: float) -> Intent:
    """The intent caveats are chosen from: what the answered parts are about, plus the runner's context.
    Pain or a medical condition anywhere in the message still counts."""
    topics: set[str] = set()
    for p in u.answerable:
        t = set(p.topics)
        if p.type_score >= type_confidence and (kind := question_type(p.qtype)):
            t |= kind.caveat_topics  # "will squats put weight on me?" is a muscle question, whatever words it uses
        if "marathon" in t and p.qtype in HOW_TO_TYPES | NOT_RACE_TYPES and not RACE_GAIN.search(p.text):
            t.discard("marathon")  # "how many days before my marathon" is not a race-performance question,
            # nor is "does foot work prevent injuries? (marathon in May)"
        if RACE_GAIN.search(p.text):
            t.add("marathon")      # "will this take minutes off my time?", "does it improve mile performance?"
        topics |= t
    # "I only started running in May", "reddit says 3-8%": said anywhere in the message, it counts
    topics |= u.intent.topics & {"beginner", "overstatement-echo"}
    if _PREVENTION_AIM.search(u.message):  # "…and not getting injured again", "…keep them injury free": an aim said
        topics.add("injury")                # anywhere in the message makes the injury evidence part of the answer
    if u.context.race in LONG_RACES and any(p.qtype == "race-performance" for p in u.answerable):
        topics.add("marathon")
    if u.context.experience == "none" or any(not e.reliable for e in u.context.lifts):
        topics.add("beginner")
    if u.previous:  # a follow-up carries the topics of the conversation it continues — racing only when that
        # conversation was about race times, not because a race was mentioned in passing
        topics |= u.intent.topics & ({"marathon", "injury", "muscle"} if RACE_GAIN.search(u.previous)
                                     else {"injury", "muscle"})
    intent = copy.copy(u.intent)
    intent.topics = topics
    # pain as the runner reader reads it ("stiff but not painful" is not pain; "fasciitis for 6 months" is), or a
    # condition named: the clinician caveat
    intent.medical = u.context.pain or intent.condition
    return intent
