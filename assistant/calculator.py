"""Load calculator: "I squat 80 kg for 5" -> estimated 1RM and working loads for sets of 3-6.

Uses the Epley formula, 1RM = w x (1 + reps / 30), and its inverse for the load that
can be lifted for n reps.  Estimates are least reliable above about 10 reps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT = r"(?P<unit>kg|kgs|kilos?|kilograms?|lbs?|pounds?)"
_W = r"(?P<w>\d+(?:[.,]\d+)?)\s*" + _UNIT
_R = r"(?P<r>\d{1,2})"
PATTERNS = [
    # "3x12 goblet squats with a 16kg kettlebell", "5x5 back squat at 100 kg": sets × reps, the lift, then the load
    re.compile(r"\b\d\s*[x×]\s*" + _R + r"\b[^.?!\d]{0,30}?\b(?:with|at|@|using)\s*(?:an?\s+)?" + _W, re.I),
    re.compile(_W + r"\s*(?:for|x|×|\*|by|times)\s*" + _R + r"s?\b(?!\s*(?:kg|lb|%|sets?))", re.I),  # ("for 8s")
    re.compile(_R + r"\s*(?:reps?|times|x|×)?\s*(?:at|with|@)\s*" + _W, re.I),
    # (not a pair of dumbbells: "2x12kg dumbbells", "2x20kg for 8s")
    re.compile(_R + r"\s*(?:reps?|times|x|×)\s*(?:of)?\s*" + _W + r"(?!\s*(?:dumb|kettle)?bells?\b|\s*[dk]bs?\b|"
               r"\s*(?:for|x|×)\s*\d)", re.I),
    re.compile(_W + r"[^.?!\d]{0,30}?\b(?:for|x|×)?\s*" + _R + r"\s*(?:reps?|times)?\s*(?:[.?!,;]|$|\s(?:and|but|what|how|so))", re.I),
]
_MAX = r"\b(?:1\s*rm|one[- ]rep(?:etition)? max(?:imum)?|max)\b[^.?!\d]{0,30}?"  # "1RM", "my max is about"
_ONE_RM = re.compile(_MAX + _W
                     + r"|" + _W.replace("?P<w>", "?P<w2>").replace("?P<unit>", "?P<unit2>") + r"[^.?!\d]{0,20}?\b(?:1\s*rm|one[- ]rep max)", re.I)
# a max stated without a unit ("my 1rm is around 85") takes the unit of a load said beside it ("70kg for 5")
_ONE_RM_BARE = re.compile(_MAX + r"(?P<w>\d+(?:[.,]\d+)?)\b(?!\s*(?:%|percent|reps?|x|×|times|sets?))", re.I)
_ANY_UNIT = re.compile(r"\d\s*" + _UNIT.replace("?P<unit>", "?P<u>") + r"\b", re.I)
_PCT = re.compile(r"(?P<p>\d{2,3}(?:\.\d+)?)\s*(?:%|percent|per ?cent)", re.I)
FORMULA = "Epley"
EXERCISES = tuple(sorted(("back squat", "front squat", "goblet squat", "squat", "deadlift", "bench press", "bench", "lunge",
                          "split squat", "step-up", "calf raise", "hip thrust", "press", "row", "clean", "leg press", "rdl",
                          "romanian deadlift", "trap bar deadlift"),
                         key=len, reverse=True))


@dataclass
class LoadEstimate:
    weight: float
    reps: int
    unit: str
    one_rm: float
    low: float   # load for sets of 6
    high: float  # load for sets of 3
    exercise: str | None
    reliable: bool
    percents: tuple = ()
    checked: tuple = ()  # a set stated beside a stated max ("70 kg for 5 … my 1RM is 85"): (weight, reps)

    def summary(self) -> str:
        u = self.unit
        lead = f"Your {self.exercise.replace('rdl', 'RDL')}" if self.exercise else "A set"
        text = (f"{lead} of {fmt(self.weight)} {u} for {self.reps} estimates a one-rep max (1RM) of about "
                f"{fmt(self.one_rm)} {u} ({FORMULA} formula: 1RM = weight × (1 + reps / 30)). "
                f"For heavy sets of 3–6 reps that means working loads of about {fmt(self.low)}–{fmt(self.high)} {u} "
                f"(roughly 83–91% of 1RM): about {fmt(self.low)} {u} for sets of 6 and {fmt(self.high)} {u} for sets of 3.")
        if self.reps == 1:
            text = (f"With a one-rep max (1RM) of {fmt(self.one_rm)} {u}, heavy sets of 3–6 reps mean working loads of "
                    f"about {fmt(self.low)}–{fmt(self.high)} {u} (roughly 83–91% of 1RM, from the {FORMULA} formula): "
                    f"about {fmt(self.low)} {u} for sets of 6 and {fmt(self.high)} {u} for sets of 3.")
        if self.checked:  # the set asked about comes first ("is 70 kg for 5 heavy enough?")
            w, r = self.checked
            share = 100 * w / self.one_rm
            where = "a little under" if share < 83 else "above" if share > 91 else "within"
            text = (f"Your set of {fmt(w)} {u} for {r} is about {share:.0f}% of your {fmt(self.one_rm)} {u} max, {where} "
                    f"the roughly 83–91% of heavy sets of 3–6; a hard set of {r} would be about {fmt(self.load_for(r))} {u}. "
                    + text)
        for pct in self.percents:
            text += f" {fmt(pct)}% of {fmt(self.one_rm)} {u} is {fmt(self.one_rm * pct / 100)} {u}."
        if not self.reliable:
            text += " Rep-max formulas get unreliable above about 10 reps, so treat this as a rough starting point."
        return text


    def load_for(self, reps: int) -> float:
        """The load that can be lifted for ``reps`` (the Epley formula inverted), rounded to gym steps."""
        return round_load(self.one_rm / (1 + reps / 30), self.unit)

    def moderate_summary(self, low_reps: int = 8, high_reps: int = 12) -> str:
        """For a new lifter: the loads that can be lifted for ``low_reps``–``high_reps`` (the usual starting range)."""
        u = self.unit
        heavy, light = self.load_for(low_reps), self.load_for(high_reps)
        lead = f"Your {self.exercise.replace('rdl', 'RDL')}" if self.exercise else "A set"
        return (f"{lead} of {fmt(self.weight)} {u} for {self.reps} estimates a one-rep max (1RM) of about "
                f"{fmt(self.one_rm)} {u} ({FORMULA} formula); loads you can lift {low_reps}–{high_reps} times are about "
                f"{fmt(light)}–{fmt(heavy)} {u}.")


def fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def round_load(x: float, unit: str) -> float:
    """A load rounded to what a gym can load: 2.5 kg or 5 lb steps."""
    step = 5.0 if unit == "lb" else 2.5
    return round(x / step) * step


def _unit(u: str) -> str:
    return "lb" if u.lower().startswith(("lb", "pound")) else "kg"


def parse(text: str) -> LoadEstimate | None:
    """Find "<weight> <unit> for <reps>" (and common variants), or a stated 1RM, in ``text``."""
    percents = tuple(float(m.group("p")) for m in _PCT.finditer(text) if 30 <= float(m.group("p")) <= 100)
    m1 = _ONE_RM.search(text)
    bare = _ONE_RM_BARE.search(text) if not m1 else None
    unit_near = _ANY_UNIT.search(text)
    if m1 or (bare and unit_near):
        w = float(((m1.group("w") or m1.group("w2")) if m1 else bare.group("w")).replace(",", "."))
        unit = _unit((m1.group("unit") or m1.group("unit2")) if m1 else unit_near.group("u"))
        if 0 < w <= 1000:
            lower = text.lower()
            exercise = next((e for e in EXERCISES if e in lower), None)
            sets = [(float(m.group("w").replace(",", ".")), int(m.group("r"))) for pat in PATTERNS[:4]
                    for m in [pat.search(text)] if m]
            checked = next(((sw, sr) for sw, sr in sets if 1 < sr <= 12 and 0 < sw < w), ())
            return LoadEstimate(w, 1, unit, w, round_load(w / 1.2, unit), round_load(w / 1.1, unit), exercise, True, percents,
                                checked)
    for pat in PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        w = float(m.group("w").replace(",", "."))
        r = int(m.group("r"))
        unit = _unit(m.group("unit"))
        if not (0 < w <= 1000 and 1 <= r <= 30):
            return None
        one_rm = w if r == 1 else w * (1 + r / 30)
        low, high = one_rm / (1 + 6 / 30), one_rm / (1 + 3 / 30)
        lower = text.lower()
        exercise = next((e for e in EXERCISES if e in lower), None)
        return LoadEstimate(w, r, unit, round_load(one_rm, unit), round_load(low, unit), round_load(high, unit), exercise, r <= 10,
                            percents)
    return None


def parse_all(text: str) -> list[LoadEstimate]:
    """Every lift a message states ("I squat 60 kg for 10, deadlift 80 kg x 5"), one per clause, in order."""
    out: list[LoadEstimate] = []
    # a remark in brackets ("squat 5x5 @ 90kg (my max is about 120)") is a clause of its own; a load in brackets
    # ("squats (3x5 @ 60kg)") belongs to the lift before it, and so does a word ("squat (back)")
    text = re.sub(r"\s*\(((?![^()]*\d\s*(kg|kgs|kilos?|lbs?|pounds?)\b)[^()]*\s[^()]*\s[^()]*|"
                  r"[^()]*\b(1 ?rm|one[- ]rep max|max)\b[^()]*)\)", r", \1, ", text, flags=re.I)  # "(my max is about 120kg)" too
    for clause in re.split(r"(?<=[.!?;\n])\s+|,\s+|\band\b", text):
        est = parse(clause)
        if est and not any((e.weight, e.reps, e.exercise) == (est.weight, est.reps, est.exercise) for e in out):
            out.append(est)
    return out
