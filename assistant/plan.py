"""A personal strength plan for a runner: typed inputs, the plan builder, cited elements.

    PlanRequest (validated, one-line errors that name the fix)
        -> phases (learn technique -> build -> maintain -> race week), weeks, sessions on chosen weekdays,
           exercises with sets x reps and working loads from the load calculator
        -> elements (data/plan_elements.yaml), each `evidence` (cited with a verbatim corpus sentence picked
           from the loaded index) or `convention` ("convention — not tested in these sources")
        -> caveats (data/caveats.yaml)

Rendering (Markdown, CSV, iCalendar, HTML) lives in ``plan_render``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from . import calculator
from .compose import _clean_candidate
from .schema import Caveat, Citation
from .caveats import caveat_text
from .errors import InputError

DATA = Path(__file__).parent / "data" / "plan_elements.yaml"
CONVENTION_LABEL = "convention — not tested in these sources"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RACES = ("5k", "10k", "half", "marathon", "ultra", "none")
EXPERIENCE = ("none", "some", "regular")
EQUIPMENT = ("gym", "dumbbells", "none")
MAX_WEEKS = 52
# Weeks of once-a-week maintenance before race week (including the taper): longer before long races.
MAINTAIN_WEEKS = {"5k": 2, "10k": 2, "half": 3, "marathon": 4, "ultra": 4}
TECHNIQUE_WEEKS = {"none": 6, "some": 3, "regular": 0}  # regular lifters start building at once
_RACE_ALIASES = {"5km": "5k", "10km": "10k", "half-marathon": "half", "half marathon": "half", "hm": "half",
                 "21k": "half", "42k": "marathon", "no": "none", "": "none"}
_LIFT_ALIASES = {  # calculator exercise name -> plan lift key
    "back squat": "squat", "front squat": "squat", "goblet squat": "squat", "squat": "squat", "deadlift": "deadlift",
    "trap bar deadlift": "deadlift",
    "split squat": "single-leg", "lunge": "single-leg", "step-up": "single-leg", "calf raise": "calf",
}
LB_TO_KG = 0.45359237


# -- inputs -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Lift:
    text: str
    key: str | None            # "squat", "deadlift", "single-leg", "calf" or None (not used by the plan)
    estimate: calculator.LoadEstimate


@dataclass
class PlanRequest:
    race: str = "none"
    weeks: int | None = None
    race_date: dt.date | None = None
    run_days: tuple[str, ...] = ()
    long_run: str | None = None
    hard_days: tuple[str, ...] = ()
    experience: str = "some"
    lifts: tuple[Lift, ...] = ()
    equipment: str = "gym"
    pain: bool = False
    today: dt.date = field(default_factory=dt.date.today)

    @classmethod
    def parse(cls, *, race="none", weeks=None, race_date=None, run_days=None, long_run=None, hard_days=None,
              experience="some", lifts=None, equipment="gym", pain=False, today: dt.date | None = None) -> "PlanRequest":
        """Validate raw values (strings from the command line, JSON values, form fields) into a request.
        Every problem raises InputError with one line naming the fix."""
        today = today or dt.date.today()
        race_key = _RACE_ALIASES.get(str(race or "").strip().lower(), str(race or "").strip().lower())
        if race_key not in RACES:
            raise InputError(f"unknown race '{race}' — use one of {', '.join(RACES)}")
        days = _days(run_days, "run days", "--run-days mon,wed,sat")
        if not days:
            raise InputError("no run days given — list the days you run, e.g. --run-days mon,wed,sat")
        if len(days) > 7:
            raise InputError(f"{len(days)} run days given but a week has 7 — list each day you run once, e.g. --run-days mon,wed,sat")
        if len(set(days)) != len(days):
            dup = next(d for d in days if days.count(d) > 1)
            raise InputError(f"run day '{dup}' is listed twice — list each day once")
        if long_run in (None, ""):
            raise InputError(f"no long-run day given — pick one of your run days, e.g. --long-run {days[-1]}")
        lr = _days(long_run, "long-run day", "--long-run sat")
        if len(lr) != 1:
            raise InputError("give one long-run day, e.g. --long-run sat")
        if lr[0] not in days:
            raise InputError(f"long-run day '{lr[0]}' is not one of your run days ({','.join(days)}) — "
                             f"add it to the run days or pick one of them")
        hard = _days(hard_days, "hard days", "--hard-days tue")
        for h in hard:
            if h not in days:
                raise InputError(f"hard day '{h}' is not one of your run days ({','.join(days)}) — add it to the run days or drop it")
        if lr[0] in hard:
            hard = [h for h in hard if h != lr[0]]  # the long run is handled as the long run
        exp = str(experience or "").strip().lower()
        if exp not in EXPERIENCE:
            raise InputError(f"unknown lifting experience '{experience}' — use none, some or regular")
        eq = str(equipment or "").strip().lower()
        if eq not in EQUIPMENT:
            raise InputError(f"unknown equipment '{equipment}' — use gym, dumbbells or none")
        n_weeks, rdate = _weeks(weeks, race_date, race_key, today)
        if isinstance(lifts, str):
            lifts = [x for x in re.split(r"[\n;]+", lifts) if x.strip()]
        parsed = tuple(parse_lift(x) for x in (lifts or []))
        return cls(race_key, n_weeks, rdate, tuple(days), lr[0], tuple(hard), exp, parsed, eq, _bool(pain, "pain"), today)

    @classmethod
    def from_dict(cls, d: dict, today: dt.date | None = None) -> "PlanRequest":
        """A request from a JSON object ({"race", "weeks"|"race_date", "run_days", "long_run", ...})."""
        if not isinstance(d, dict):
            raise InputError("'plan' must be a JSON object like {\"race\": \"10k\", \"weeks\": 8, \"run_days\": \"mon,wed,sat\", \"long_run\": \"sat\"}")
        known = {"race", "weeks", "race_date", "run_days", "long_run", "hard_days", "experience", "lifts", "lift",
                 "equipment", "pain"}
        extra = sorted(set(d) - known)
        if extra:
            raise InputError(f"unknown plan field '{extra[0]}' — use {', '.join(sorted(known - {'lift'}))}")
        args = {k: d[k] for k in known - {"lift"} if k in d and d[k] is not None}
        if "lift" in d and "lifts" not in d:
            args["lifts"] = [d["lift"]] if isinstance(d["lift"], str) else d["lift"]
        return cls.parse(**args, today=today)

    @property
    def heavy(self) -> bool:
        """Does this runner load heavily (3–6 reps)?  Not for new lifters or around pain."""
        return self.experience != "none" and not self.pain


def _bool(v, name: str) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("yes", "y", "true", "1", "on"):
        return True
    if s in ("no", "n", "false", "0", "off", "", "none"):
        return False
    raise InputError(f"'{name}' must be yes or no, not '{v}'")


def _days(value, what: str, example: str) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else re.split(r"[,\s/]+", str(value))
    out = []
    for raw in items:
        w = str(raw).strip().lower().rstrip(".")
        if not w:
            continue
        day = next((d for d, name in zip(DAYS, DAY_NAMES) if len(w) >= 2 and name.lower().startswith(w)
                    and (len(w) >= 3 or w in ("mo", "tu", "we", "th", "fr", "sa", "su"))), None)
        if day is None:
            raise InputError(f"unknown day '{raw}' in {what} — use mon, tue, wed, thu, fri, sat, sun (e.g. {example})")
        out.append(day)
    return out


def _weeks(weeks, race_date, race: str, today: dt.date) -> tuple[int, dt.date | None]:
    rdate = None
    if race_date not in (None, ""):
        if isinstance(race_date, dt.date):
            rdate = race_date
        else:
            try:
                rdate = dt.date.fromisoformat(str(race_date).strip())
            except ValueError:
                raise InputError(f"race date '{race_date}' is not a date — write it as YYYY-MM-DD, e.g. "
                                 f"{(today + dt.timedelta(weeks=12)).isoformat()}") from None
        if rdate < today:
            raise InputError(f"race date {rdate.isoformat()} is in the past — give a future date (YYYY-MM-DD) or --weeks")
        if race == "none":
            raise InputError("a race date needs a race — give --race 5k|10k|half|marathon|ultra, or drop the date")
    if weeks not in (None, ""):
        try:
            n = int(str(weeks).strip())
        except ValueError:
            raise InputError(f"weeks '{weeks}' is not a whole number — give the weeks to go, e.g. --weeks 12") from None
        if not 1 <= n <= MAX_WEEKS:
            raise InputError(f"weeks must be between 1 and {MAX_WEEKS}, not {n} — e.g. --weeks 12")
        if rdate is not None and n != _weeks_to(rdate, today):
            raise InputError(f"--weeks {n} disagrees with race date {rdate.isoformat()} ({_weeks_to(rdate, today)} weeks "
                             "away) — give one of them")
        return n, rdate
    if rdate is not None:
        n = _weeks_to(rdate, today)
        if n > MAX_WEEKS:
            raise InputError(f"race date {rdate.isoformat()} is more than {MAX_WEEKS} weeks away — plan from nearer the race")
        return n, rdate
    if race == "none":
        return 12, None
    raise InputError("give the weeks to go (e.g. --weeks 12) or the race date (--race-date YYYY-MM-DD)")


def plan_start(today: dt.date) -> dt.date:
    """Week 1 starts on the coming Monday (today, if today is a Monday)."""
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def _weeks_to(rdate: dt.date, today: dt.date) -> int:
    """Plan weeks (Monday-to-Sunday, from the coming Monday) up to and including race week."""
    race_monday = rdate - dt.timedelta(days=rdate.weekday())
    return max(1, (race_monday - plan_start(today)).days // 7 + 1)


_LIFT_RE = re.compile(r"^\s*(?P<name>[a-z][a-z \-]*?)\s*[:,]?\s*(?P<sign>[-−–])?\s*(?P<w>\d+(?:[.,]\d+)?)\s*"
                      r"(?P<unit>kg|kgs|lbs?)\s*(?:x|×|\*|for)\s*(?P<sign2>[-−–])?\s*(?P<r>\d+)\s*(?:reps?)?\s*$", re.I)


def parse_lift(text) -> Lift:
    """"squat 80kg x 5" -> a Lift with the load calculator's estimate."""
    t = " ".join(str(text or "").split())
    example = "e.g. --lift \"squat 80kg x 5\""
    m = _LIFT_RE.match(t)
    if not m:
        raise InputError(f"can't read the lift '{t}' — write exercise, load and reps, {example}")
    if m.group("sign") or m.group("sign2"):
        raise InputError(f"'{t}': loads and reps can't be negative — {example}")
    w, r = float(m.group("w").replace(",", ".")), int(m.group("r"))
    if w <= 0:
        raise InputError(f"'{t}': the load must be more than 0 — {example}")
    if w > 1000:
        raise InputError(f"'{t}': {m.group('w')} {m.group('unit')} is more than any runner lifts — check the number")
    if not 1 <= r <= 30:
        raise InputError(f"'{t}': reps must be 1–30 (you wrote {r}) — give a set you did, {example}")
    est = calculator.parse(t)
    if est is None or est.exercise is None:
        raise InputError(f"'{t}': name the exercise (squat, deadlift, split squat, step-up, calf raise, …) — {example}")
    return Lift(t, _LIFT_ALIASES.get(est.exercise), est)


# -- exercises and loads ----------------------------------------------------------------
# Per equipment, session A and B: (lift key, exercise name).  The first is the main lift.
EXERCISES = {
    "gym": ([("squat", "Back squat"), ("single-leg", "Bulgarian split squat"), ("calf", "Standing calf raise")],
            [("deadlift", "Deadlift (trap-bar or Romanian)"), ("single-leg", "Step-up"), ("calf", "Standing calf raise")]),
    "dumbbells": ([("single-leg", "Dumbbell Bulgarian split squat"), ("squat", "Goblet squat"), ("calf", "Single-leg calf raise (dumbbell)")],
                  [("deadlift", "Dumbbell Romanian deadlift"), ("single-leg", "Dumbbell step-up"), ("calf", "Single-leg calf raise (dumbbell)")]),
    "none": ([("single-leg", "Bulgarian split squat (bodyweight)"), ("deadlift", "Single-leg Romanian deadlift"), ("calf", "Single-leg calf raise")],
             [("single-leg", "Step-up (high box)"), ("squat", "Single-leg squat to a box"), ("calf", "Single-leg calf raise")]),
}


def working_load(lift: Lift, reps: int) -> tuple[float, str]:
    """(load in kg, display text) for sets of ``reps``, from the calculator's estimate: its own sets-of-6
    and sets-of-3 loads, and the same Epley relation (load = 1RM / (1 + reps/30)) in between."""
    e = lift.estimate
    if reps == 6:
        load = e.low
    elif reps == 3:
        load = e.high
    else:
        load = e.load_for(reps)
    kg = load if e.unit == "kg" else calculator.round_load(load * LB_TO_KG, "kg")
    return kg, f"{calculator.fmt(load)} {e.unit}"


# -- elements ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ElementSpec:
    id: str
    basis: str
    text: str
    query: str
    sources: tuple[str, ...]
    match: re.Pattern | None
    when: dict


@lru_cache(maxsize=1)
def element_specs() -> tuple[ElementSpec, ...]:
    out = []
    for e in yaml.safe_load(DATA.read_text(encoding="utf-8")):
        basis = e["basis"]
        if basis not in ("evidence", "convention"):
            raise ValueError(f"{DATA.name}: element {e['id']}: basis must be evidence or convention")
        if basis == "evidence" and not (e.get("sources") and e.get("match")):
            raise ValueError(f"{DATA.name}: evidence element {e['id']} needs sources and match")
        text = " ".join(e["text"].split())
        out.append(ElementSpec(e["id"], basis, text, e.get("query") or text, tuple(e.get("sources") or ()),
                               re.compile(e["match"], re.I) if e.get("match") else None, dict(e.get("when") or {})))
    return tuple(out)


def _applies(spec: ElementSpec, facts: dict) -> bool:
    for k, want in spec.when.items():
        have = facts.get(k)
        if isinstance(want, list) and have not in want:
            return False
        if not isinstance(want, list) and bool(have) != bool(want):
            return False
    return True


class EvidenceFinder:
    """Picks, for an evidence element, the corpus sentence that best supports it: among the sentences of its
    listed sources that match its pattern and are fit to quote, the one most similar to its query."""

    def __init__(self, snapshot, encoder):
        self.snap, self.encoder = snapshot, encoder

    def best(self, spec: ElementSpec) -> int | None:
        snap = self.snap
        idxs = [i for sid in spec.sources for i in snap.sents_by_source.get(sid, [])
                if spec.match.search(snap.sent_texts[i]) and _clean_candidate(snap.sent_texts[i])]
        if not idxs:
            return None
        sims = snap.sent_emb[idxs] @ np.asarray(self.encoder(spec.query))
        return idxs[int(np.argmax(sims))]


# -- the builder ------------------------------------------------------------------------
PHASES = {  # name -> what it is for
    "Learn technique": "Moderate loads you could lift 8–12 times; learn each movement well.",
    "Build strength": "Moderate loads for 8 reps, a little heavier each week; still no heavy sets.",
    "Build heavy": "Heavy sets of 3–6 reps, twice a week.",
    "Maintain": "One session a week, fewer sets, the same loads; the last weeks are the taper.",
    "Race week": "At most one short session, at least 4 days before the race — or none.",
}


def phase_weeks(req: PlanRequest) -> list[tuple[str, int]]:
    """The phases as (name, number of weeks), in order."""
    n, race = req.weeks, req.race != "none"
    avail = n - 1 if race else n
    moderate = not req.heavy
    if race and avail < 4:  # too close to the race to build
        if moderate:
            return ([("Learn technique", avail)] if avail else []) + [("Race week", 1)]
        return ([("Maintain", avail)] if avail else []) + [("Race week", 1)]
    maintain = min(MAINTAIN_WEEKS[req.race], avail - 3) if race else 0
    rest = avail - maintain
    tech = min(TECHNIQUE_WEEKS["none" if moderate else req.experience], rest)
    build = rest - tech
    out = [("Learn technique", tech), ("Build strength" if moderate else "Build heavy", build),
           ("Maintain", maintain), ("Race week", 1 if race else 0)]
    return [(p, w) for p, w in out if w > 0]


def _prescription(req: PlanRequest, phase: str, k: int, taper: bool) -> tuple[list[tuple[int, int]], int]:
    """[(sets, reps)] for main, single-leg and calf exercises, and sessions this week.
    ``k`` is the week's index within its phase."""
    heavy = req.heavy and req.equipment != "none"
    if phase == "Learn technique":
        return ([(2, 12), (2, 12), (2, 12)] if k == 0 else [(3, 10), (2, 10), (2, 12)]), 2
    if phase == "Build strength" or (phase == "Build heavy" and not heavy):
        return [(3, 8), (3, 8), (3, 10)], 2
    if phase == "Build heavy":
        wave, step = divmod(k, 3)
        reps = (6, 5, 4)[step] if wave == 0 else (5, 4, 3)[step]
        return [(3 if wave == 0 else 4, reps), (3, 6), (3, 8)], 2
    main = 4 if heavy else 8
    if phase == "Race week":
        return [(2, 3 if heavy else 8)], 1
    if taper:
        return [(2, 3 if heavy else 8), (1, 6 if heavy else 8)], 1
    return [(3, main), (2, 6 if heavy else 8), (2, 8 if heavy else 10)], 1


def _day_scores(req: PlanRequest) -> list[float]:
    lr, hard, runs = DAYS.index(req.long_run), {DAYS.index(h) for h in req.hard_days}, {DAYS.index(d) for d in req.run_days}
    scores = []
    for d in range(7):
        s = 0.0
        if d == lr:
            s -= 6
        if (d + 1) % 7 == lr:
            s -= 5
        if (d + 1) % 7 in hard:
            s -= 4
        if d in hard:
            s += 2      # lift after the hard run: hard days hard, easy days easy
        if d not in runs:
            s += 1
        if (d - 1) % 7 == lr:
            s -= 1      # the day after the long run
        scores.append(s)
    return scores


def pick_days(req: PlanRequest, count: int, last_day: int | None = None) -> list[int]:
    """Weekdays (0 = Monday) for ``count`` sessions: best scored, at least one day apart; in race week only
    days at least 4 days before the race (``last_day`` is the race weekday)."""
    scores = _day_scores(req)
    allowed = [d for d in range(7) if last_day is None or d <= last_day - 4]
    if not allowed or count == 0:
        return []
    if count == 1:
        return [max(allowed, key=lambda d: (scores[d], -d))]
    best = None
    for a in allowed:
        for b in allowed:
            gap = (b - a) % 7
            if a < b and min(gap, 7 - gap) >= 2:
                val = scores[a] + scores[b] + (0.5 if min(gap, 7 - gap) >= 3 else 0)
                if best is None or val > best[0]:
                    best = (val, [a, b])
    return best[1] if best else [max(allowed, key=lambda d: (scores[d], -d))]


def _session_note(req: PlanRequest, d: int) -> str:
    day = DAYS[d]
    if day in req.hard_days:
        return "After your hard run — lift at least 3 h after it."
    if day in req.run_days:
        return "After an easy run — at least 3 h later if you can, or before it."
    after_long = DAYS[(d - 1) % 7] == req.long_run
    return "No run today" + (" (the day after your long run: keep it controlled)." if after_long else ".")


def build_plan(req: PlanRequest, snapshot, encoder, strict: bool = False) -> dict:
    """The plan as the JSON-ready dict documented in the README."""
    race = req.race != "none"
    phases = phase_weeks(req)
    start = plan_start(req.today) if req.race_date is None else (
        req.race_date - dt.timedelta(days=req.race_date.weekday()) - dt.timedelta(weeks=req.weeks - 1))
    race_day = req.race_date.weekday() if req.race_date else DAYS.index(req.long_run)
    lifts = {}
    for lift in req.lifts:
        if lift.key and req.equipment != "none":
            lifts[lift.key] = lift  # the last one given wins
    weeks, loads_used, run_day_lifting = [], [], False
    n = 0
    for p_i, (phase, count) in enumerate(phases):
        for k in range(count):
            n += 1
            taper = phase == "Maintain" and race and n >= req.weeks - 1
            presc, per_week = _prescription(req, phase, k, taper)
            days = pick_days(req, per_week, race_day if phase == "Race week" else None)
            sessions = []
            for s_i, d in enumerate(days):
                variant = EXERCISES[req.equipment][(s_i + (n if per_week == 1 else 0)) % 2]
                exercises = []
                for (key, name), (sets, reps) in zip(variant, presc):
                    load_kg, load_text = None, None
                    lift = lifts.get(key)
                    if lift is not None and not req.pain:
                        load_kg, load_text = working_load(lift, reps)
                        loads_used.append((key, reps, load_kg))
                    ex = {"name": name, "sets": sets, "reps": reps, "load_kg": load_kg}
                    if load_text and not load_text.endswith(" kg"):
                        ex["load"] = load_text
                    exercises.append(ex)
                run_day_lifting |= DAYS[d] in req.run_days
                date = start + dt.timedelta(weeks=n - 1, days=d)
                sessions.append({"day": DAYS[d], "date": date.isoformat(), "exercises": exercises,
                                 "note": _session_note(req, d)})
            note = ""
            if phase == "Race week":
                rd = start + dt.timedelta(weeks=n - 1, days=race_day)
                note = (f"Race on {DAY_NAMES[race_day]} {rd.isoformat()}. "
                        + ("One short session at most, or none." if sessions else "No lifting this week."))
            elif taper:
                note = "Taper: about half the sets, same loads, same weekly session."
            weeks.append({"week": n, "phase": phase, "start": (start + dt.timedelta(weeks=n - 1)).isoformat(),
                          "sessions": sessions, "note": note})
    facts = {"heavy": req.heavy and req.equipment != "none" and any(p == "Build heavy" for p, _ in phases),
             "moderate": not req.heavy, "maintain": any(p == "Maintain" for p, _ in phases), "race": race,
             "lifts": bool(loads_used), "pain": req.pain, "equipment": req.equipment, "experience": req.experience,
             "run_day_lifting": run_day_lifting, "twice": any(len(w["sessions"]) == 2 for w in weeks), "assumed_race_day": race and req.race_date is None,
             "short": race and not req.heavy and req.weeks - 1 < 4,
             "ignored_lifts": any(l.key is None for l in req.lifts) or (bool(req.lifts) and req.equipment == "none")}
    elements, citations, unverified = _elements(facts, snapshot, encoder)
    if strict and unverified:
        raise AssertionError(f"evidence elements without a supporting sentence: {unverified}")
    plan = {"summary": _summary(req, phases, weeks, loads_used), "request": request_dict(req),
            "phases": _phase_list(phases), "weeks": weeks, "elements": elements,
            "citations": [c.__dict__ for c in citations], "caveats": [c.__dict__ for c in _caveats(req)]}
    if unverified:
        plan["unverified"] = unverified
    return plan


def _elements(facts: dict, snapshot, encoder) -> tuple[list[dict], list[Citation], list[str]]:
    finder = EvidenceFinder(snapshot, encoder)
    elements, citations, by_sentence, unverified = [], [], {}, []
    for spec in element_specs():
        if not _applies(spec, facts):
            continue
        if spec.basis == "convention":
            elements.append({"id": spec.id, "text": spec.text, "basis": "convention", "label": CONVENTION_LABEL,
                             "citations": []})
            continue
        i = finder.best(spec)
        if i is None:  # no supporting sentence: the element may not claim evidence
            unverified.append(spec.id)
            elements.append({"id": spec.id, "text": spec.text, "basis": "convention", "label": CONVENTION_LABEL,
                             "citations": []})
            continue
        if i not in by_sentence:
            m = snapshot.sent_metas[i]
            by_sentence[i] = len(citations) + 1
            citations.append(Citation(by_sentence[i], m["source_id"], m["title"], snapshot.sent_texts[i], m.get("url") or None))
        elements.append({"id": spec.id, "text": spec.text, "basis": "evidence", "label": "evidence",
                         "citations": [by_sentence[i]]})
    return elements, citations, unverified


def _caveats(req: PlanRequest) -> list[Caveat]:
    ids = []
    if req.pain:
        ids.append("see-clinician")
    if req.race in ("half", "marathon", "ultra"):
        ids.append("marathon-evidence")
    ids.append("injury-evidence")
    if not req.heavy:
        ids.append("beginner-progression")
    return [Caveat(i, caveat_text(i)) for i in ids]


def _phase_list(phases) -> list[dict]:
    out, n = [], 1
    for name, count in phases:
        out.append({"name": name, "weeks": [n, n + count - 1], "focus": PHASES[name]})
        n += count
    return out


def request_dict(req: PlanRequest) -> dict:
    return {"race": req.race, "weeks": req.weeks, "race_date": req.race_date.isoformat() if req.race_date else None,
            "run_days": list(req.run_days), "long_run": req.long_run, "hard_days": list(req.hard_days),
            "experience": req.experience, "lifts": [l.text for l in req.lifts], "equipment": req.equipment,
            "pain": req.pain}


def _summary(req: PlanRequest, phases, weeks, loads_used) -> str:
    goal = {"none": "no goal race", "half": "a half marathon"}.get(req.race, f"a {req.race}")
    head = f"{req.weeks}-week strength plan for {goal}" if req.race != "none" else f"{req.weeks}-week strength plan ({goal})"
    parts = ", ".join(f"{p.lower()} {w} week{'s' if w > 1 else ''}" for p, w in phases)
    days = sorted({s["day"] for w in weeks if w["phase"] not in ("Race week",) for s in w["sessions"]}, key=DAYS.index)
    text = f"{head}: {parts}."
    if days:
        text += " Lifting on " + " and ".join(DAY_NAMES[DAYS.index(d)] for d in days) + "."
    for key, label in (("squat", "squat"), ("deadlift", "deadlift")):
        vals = sorted({kg for k, r, kg in loads_used if k == key})
        if vals:
            text += f" Working {label} loads {calculator.fmt(vals[0])}–{calculator.fmt(vals[-1])} kg."
    if req.pain:
        text += " Because of pain: moderate loads only, and see a clinician before loading heavily."
    elif not req.heavy:
        text += " New to lifting: moderate loads and technique first, no heavy sets yet."
    if req.equipment == "none":
        text += " Bodyweight only: single-leg exercises stand in for heavy lifting."
    return text


def make_plan(assistant, req: PlanRequest, strict: bool = False) -> dict:
    """Build a plan with a loaded :class:`assistant.pipeline.Assistant` (its index and query encoder)."""
    snapshot = assistant.load()
    return build_plan(req, snapshot, assistant.encoder, strict=strict)
