"""Numbers in claims: a claim's figure (percent, minutes off a race, sessions a week, a body-weight multiple)
compared with the figures the evidence reports (``data/figures.yaml``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .claimtext import _DENIED_FIGURE, _NUM, _num
from .text import weekly_counts

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Figure:
    id: str
    cue: re.Pattern
    needs: re.Pattern
    quantity: str
    range: tuple | None
    typical: float | None
    none_found: bool
    verdict: str | None
    runner_verdict: str | None
    sports_verdict: str | None
    decides: bool
    says: str
    query: str
    sources: tuple
    against: tuple


@lru_cache(maxsize=1)
def figures() -> tuple[Figure, ...]:
    raw = yaml.safe_load((DATA / "figures.yaml").read_text(encoding="utf-8"))
    return tuple(Figure(f["id"], re.compile(f["cue"], re.I), re.compile(f.get("needs") or ".", re.I), f["quantity"],
                        tuple(f["range"]) if f.get("range") else None, f.get("typical"), bool(f.get("none_found")),
                        f.get("verdict"), f.get("runner_verdict"), f.get("sports_verdict"), bool(f.get("decides")), " ".join(f["says"].split()),
                        f.get("query") or f["says"],
                        tuple(f.get("sources") or ()), tuple(f.get("against") or ())) for f in raw)



# -- numbers ---------------------------------------------------------------------------------------------------
# A percentage that sets a load or an intensity ("90% of your one-rep max", "at 70% of VO2max") is not an effect size.
_INTENSITY = re.compile(rf"(at\s+|above\s+|below\s+|over\s+|under\s+|about\s+|around\s+)?{_NUM}\s*(%|percent|per cent)"
                        r"(\s+or\s+(more|less|higher|lower|above|below))?\s+(of\s+)?(your\s+|their\s+|the\s+)?"
                        r"(one[- ]rep(etition)?[- ]max(imum)?|1 ?rm|\d+ ?rm|max(imum)?|vo2 ?max|body ?weight|bw|"
                        r"max(imal)? (heart rate|speed|aerobic speed)|hr ?max|threshold)\b", re.I)


def strip_intensities(text: str) -> str:
    """The text without loads given as a percentage of a maximum, nor figures it denies."""
    return _DENIED_FIGURE.sub(" ", _INTENSITY.sub(" ", text))


_REST = re.compile(rf"{_NUM}\s*(?:(?:-|–|to)\s*{_NUM}\s*)?(min\w*|mins?|s\b|secs?|seconds?)", re.I)
_SECONDS_WORDS = {"ninety": 90, "sixty": 60, "thirty": 30, "forty-five": 45}


# A claim that says its figure comes from runners alone, not from athletes in general
_RUNNERS_ONLY = re.compile(r"\b(runner[- ]specific|runner[- ]only|runners[- ]only|only runners|running[- ]specific|"
                           r"(trials?|studies|research|meta-analys[ie]s) (in|of|on) runners|runner (trials|studies))\b", re.I)


# A claim that says its figure is about sport in general ("sports injuries", "across athletes"), as the trials were
_SPORTS_GENERAL = re.compile(r"\b(sports? injur\w*|mixed[- ]sports?|(across|in|among) (\w+ )?(athletes|sports)|athletes in general|"
                             r"all sports)\b", re.I)


def claimed_rest_minutes(text: str) -> tuple[float, float] | None:
    """A rest interval a claim states ("3 to 5 minutes", "90 s", "sixty seconds"), in minutes."""
    low = text.lower()
    for word, secs in _SECONDS_WORDS.items():
        low = re.sub(rf"\b{word}\s+seconds?\b", f"{secs} seconds", low)
    m = _REST.search(low)
    if not m:
        return None
    a = _num(m.group(1))
    b = _num(m.group(2)) if m.group(2) else a
    per_minute = 1.0 if m.group(3).startswith("m") else 1 / 60
    return a * per_minute, b * per_minute


def claimed_percent(text: str) -> tuple[float, float, str] | None:
    """(low, high, qualifier) of a percentage in the claim: "3–8%", "up to 8%", "by half"; loads and intensities
    given as a percentage of a maximum are not claimed effects."""
    t = strip_intensities(text).lower()
    m = re.search(rf"{_NUM}\s*(?:%|percent|per cent)?\s*(?:[-–]|to)\s*{_NUM}\s*(?:%|percent|per cent)", t)
    if m:
        return _num(m.group(1)), _num(m.group(2)), "range"
    m = re.search(rf"(up to|as much as|at least|more than|over|about|around|roughly|nearly|almost|by)?\s*{_NUM}\s*(%|percent|per cent)", t)
    if m:
        v = _num(m.group(2))
        return v, v, (m.group(1) or "").strip()
    m = re.search(r"\b(in half|halves|halve|by half|a third|a quarter)\b", t)
    if m:
        v = {"in half": 50, "halves": 50, "halve": 50, "by half": 50, "a third": 33, "a quarter": 25}[m.group(1)]
        return float(v), float(v), "by"
    return None


_RACE_MIN = {"5k": 30, "5 k": 30, "5-km": 30, "3k": 15, "3000": 15, "10k": 60, "10 k": 60, "10-km": 60,
             "half": 120, "marathon": 240}


def claimed_time_percent(text: str) -> float | None:
    """A claimed time gain ("three minutes off my 5k") as a lowest-possible percentage of the race time."""
    t = text.lower()
    m = re.search(rf"{_NUM}\s*(minutes?|mins?|seconds?|secs?)\b", t)
    if not m:
        pc = claimed_percent(t)
        return pc[1] if pc else None
    amount = _num(m.group(1)) / (60 if m.group(2).startswith("s") else 1)
    for key, minutes in _RACE_MIN.items():
        if key in t:
            return 100 * amount / minutes
    return None


def compare_figure(fig: Figure, part: str) -> tuple[str, str] | None:
    """(verdict, sentence relating the claim's figure to the evidence's), or None when the part has no figure."""
    if not (fig.cue.search(part) and fig.needs.search(part)):
        return None
    if fig.quantity in ("percent", "minutes") and not (fig.cue.search(strip_intensities(part))
                                                       and fig.needs.search(strip_intensities(part))):
        return None  # the only number is a load ("at 90% of 1RM"), not a claimed effect
    if fig.quantity == "multiple":
        return fig.verdict or "no-evidence", f"No study here matches the figure: {fig.says}."
    if fig.quantity == "weeks":  # how long a programme must run, or how soon its gains stop
        m = re.search(rf"{_NUM}[- ]?(?:weeks?|wks?)\b", part.lower())
        if not m:
            return None
        n, (lo, hi) = _num(m.group(1)), fig.range
        low = part.lower()
        if re.search(r"\b(at least|minimum|before|until|till|shorter|less than|under|need|takes?)\b", low) and n > 8:
            return "not-supported", f"The claim's minimum of {n:g} weeks is longer than the evidence needed: {fig.says}."
        if re.search(r"\b(tops? out|plateaus?|stops? (working|improving)|levels? off|wasted?|anything longer)\b", low) and n < hi:
            return "not-supported", f"The claim says gains stop by {n:g} weeks, but they kept coming: {fig.says}."
        if lo <= n <= hi:
            return "supported", f"The claim's {n:g} weeks is within the programmes that worked: {fig.says}."
        return "no-evidence", f"No programme here ran {n:g} weeks: {fig.says}."
    if fig.quantity == "kilograms":  # a body-weight change in kg ("budget for 3 to 5 kg")
        return fig.verdict or "no-evidence", f"No runner trial here reported such a change: {fig.says}."
    if fig.quantity == "untested":
        return fig.verdict or "no-evidence", f"{fig.says[0].upper()}{fig.says[1:]}."
    if fig.quantity == "rest":
        span = claimed_rest_minutes(part)
        if span is None:
            return None
        lo, hi = fig.range
        shown = f"{span[0]:g}–{span[1]:g} minutes" if span[0] != span[1] else f"{span[0]:g} minute{'s' * (span[0] != 1)}"
        if span[0] >= lo and span[1] <= hi:
            return "supported", f"The claim's {shown} is what the guidance gives: {fig.says}."
        if span[1] < lo:
            return "not-supported", f"The claim's {shown} is shorter than the guidance: {fig.says}."
        return "mixed", f"The claim's {shown} only partly matches the guidance: {fig.says}."
    if fig.quantity == "sessions":
        low = part.lower()
        counts = weekly_counts(low) or ({1.0} if re.search(r"\bonce\b", low) else {2.0} if re.search(r"\btwice\b", low)
                                        else set())
        if not counts:
            return None
        n = min(counts)
        lo, hi = fig.range
        if n < lo:  # "lift every other week": one session every second week lost the gains (Rønnestad 2011)
            says_loss = re.search(r"\b(lose|loses|lost|losing|cost|costs|costing|slips?|fades?|not enough|isn'?t enough|won'?t|doesn'?t|"
                                  r"don'?t|can'?t)\b", low)
            return ("supported" if says_loss else "not-supported"), (
                f"One session every second week lost strength gains in soccer players (Rønnestad 2011): {fig.says}.")
        if n > (fig.typical or lo) and re.search(rf"\b(minimum of|at least|no fewer than|need|needs|must do)\s+(?:\w+\s+)?{_NUM}\b", low):
            # "you need a minimum of three sessions a week": fewer worked, so the minimum is not shown
            return "not-supported", (f"The claim's minimum of {n:g} a week is more than the evidence needed: "
                                     f"{fig.says}.")
        if lo <= n <= hi:
            return "supported", f"The claim's {n:g} a week is within what the evidence used: {fig.says}."
        return "no-evidence", f"No trial here tested {n:g} sessions a week: {fig.says}."
    if fig.quantity == "minutes":
        pct = claimed_time_percent(part)
        if pct is None:
            return None
        if re.search(r"(?<!half[- ])(?<!half )\bmarathons?\b", part, re.I):  # the trials timed 3–10 km, never a marathon
            return "no-evidence", f"No trial here timed a marathon, so a marathon time can't be checked against them: {fig.says}."
        lo, hi = fig.range
        if pct > hi:
            return "not-supported", (f"The claimed gain is at least {pct:.0f}% of the race time, beyond anything measured: "
                                     f"{fig.says}.")
        return "supported", f"A gain of about {pct:.0f}% is in line with the trials: {fig.says}."
    pc = claimed_percent(part)
    if pc is None and fig.verdict is None:
        return None
    lo_c, hi_c, qual = pc if pc else (None, None, "")
    shown = ("" if pc is None else f"{lo_c:g}–{hi_c:g}%" if lo_c != hi_c else f"{hi_c:g}%")
    if fig.verdict:
        lead = f"The claim's {shown}: " if shown else ""
        verdict = fig.runner_verdict if fig.runner_verdict and _RUNNERS_ONLY.search(part) else \
            fig.sports_verdict if fig.sports_verdict and _SPORTS_GENERAL.search(part) and not _RUNNERS_ONLY.search(part) \
            and not re.search(r"\brunn(er|ers|ing)\b", part, re.I) else fig.verdict
        return verdict, f"{lead}{fig.says[0].upper() + fig.says[1:] if not lead else fig.says}."
    lo, hi = fig.range
    typical = fig.typical if fig.typical is not None else (lo + hi) / 2
    if hi_c > hi and qual not in ("at least",) or (qual in ("at least", "more than", "over") and lo_c > hi):
        return "not-supported", f"The claim's {shown} is above the evidence: {fig.says}."
    if qual in ("up to", "as much as") or (lo_c >= lo and hi_c <= typical * 1.25 and lo_c == hi_c):
        return "supported", f"The claim's {shown} fits the evidence: {fig.says}."
    return "mixed", f"The claim's {shown} is at the high end or narrower than the evidence: {fig.says}."

