"""The strength plan (assistant/plan.py): real model, real index, real command line."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import calculator
from assistant.corpus import load_corpus
from assistant.errors import InputError
from assistant.plan import (CONVENTION_LABEL, DAYS, EvidenceFinder, PlanRequest, element_specs, make_plan, parse_lift,
                            working_load)
from assistant.plan_render import to_csv, to_html, to_ics, to_markdown
from assistant.text import normalise

REPO = Path(__file__).resolve().parents[1]
SOURCES = {s.id: s for s in load_corpus(REPO / "corpus")}
CLI = [sys.executable, "-m", "assistant"]
TODAY = dt.date(2026, 1, 7)  # a Wednesday: plans start on Monday 2026-01-12
MARATHON = dict(race="marathon", weeks=16, run_days="mon,tue,thu,sat", long_run="sat", hard_days="tue",
                experience="regular", lifts=["squat 80kg x 5"], equipment="gym")


def plan_for(assistant, **kw):
    return make_plan(assistant, PlanRequest.parse(today=TODAY, **kw), strict=True)


def check_plan(plan: dict) -> None:
    """Schema, bases and citations of any plan."""
    assert set(plan) >= {"summary", "phases", "weeks", "elements", "citations", "caveats"}
    assert "unverified" not in plan
    numbers = {c["n"] for c in plan["citations"]}
    used = set()
    for el in plan["elements"]:
        assert el["basis"] in ("evidence", "convention") and el["text"]
        if el["basis"] == "evidence":
            assert el["citations"] and set(el["citations"]) <= numbers, el
        else:
            assert el["citations"] == [] and el["label"] == CONVENTION_LABEL
        used |= set(el["citations"])
    assert used == numbers, "every citation is used by an element"
    for c in plan["citations"]:
        assert set(c) == {"n", "source_id", "title", "quote", "url"}
        assert normalise(c["quote"]) in normalise(SOURCES[c["source_id"]].text), c
    for w in plan["weeks"]:
        assert set(w) >= {"week", "phase", "sessions"}
        for s in w["sessions"]:
            assert s["day"] in DAYS and s["exercises"] and isinstance(s["note"], str)
            for e in s["exercises"]:
                assert set(e) >= {"name", "sets", "reps", "load_kg"} and e["sets"] >= 1 and e["reps"] >= 1
    assert [w["week"] for w in plan["weeks"]] == list(range(1, len(plan["weeks"]) + 1))
    json.dumps(plan)


def evidence_ids(plan):
    return {e["id"] for e in plan["elements"] if e["basis"] == "evidence"}


def test_every_evidence_element_finds_a_supporting_sentence(assistant):
    finder = EvidenceFinder(assistant.load(), assistant.encoder)
    missing = [s.id for s in element_specs() if s.basis == "evidence" and finder.best(s) is None]
    assert not missing, f"evidence elements with no supporting corpus sentence: {missing}"


def test_experienced_marathoner_16_weeks_with_a_squat(assistant):
    plan = plan_for(assistant, **MARATHON)
    check_plan(plan)
    names = [p["name"] for p in plan["phases"]]
    assert names == ["Build heavy", "Maintain", "Race week"]
    assert plan["phases"][-1]["weeks"] == [16, 16] and len(plan["weeks"]) == 16
    est = calculator.parse("squat 80kg x 5")
    lift = parse_lift("squat 80kg x 5")
    squat_loads = []
    for w in plan["weeks"]:
        per_week = len(w["sessions"])
        assert per_week == {"Build heavy": 2, "Maintain": 1, "Race week": 1}[w["phase"]]
        for s in w["sessions"]:
            assert s["day"] not in ("fri", "sat", "mon"), "never the long-run day, nor the day before it or a hard run"
            for e in s["exercises"]:
                if e["name"] == "Back squat":
                    assert e["load_kg"] == working_load(lift, e["reps"])[0]
                    squat_loads.append((e["reps"], e["load_kg"]))
                    assert 3 <= e["reps"] <= 6
    assert squat_loads and all(75 <= kg <= 90 for _, kg in squat_loads), squat_loads
    loads = dict(squat_loads)
    assert loads[6] == est.low and loads[3] == est.high  # the calculator's own sets-of-6 and sets-of-3 loads
    race_week = plan["weeks"][-1]
    assert all(DAYS.index(s["day"]) <= DAYS.index("sat") - 4 for s in race_week["sessions"])
    assert {"two-sessions", "heavy-reps", "maintain-once", "taper", "taper-untested", "separate-hard-runs",
            "progression"} <= evidence_ids(plan)
    taper = next(e for e in plan["elements"] if e["id"] == "taper-untested")
    assert "never" in taper["text"] and "lifting" in taper["text"]
    assert {c["id"] for c in plan["caveats"]} >= {"marathon-evidence", "injury-evidence"}
    assert "Working squat loads 77.5–85 kg" in plan["summary"]


def test_beginner_5k_runner_without_equipment(assistant):
    plan = plan_for(assistant, race="5k", weeks=10, run_days="mon,wed,sat", long_run="sat", experience="none",
                    equipment="none")
    check_plan(plan)
    assert [p["name"] for p in plan["phases"]] == ["Learn technique", "Build strength", "Maintain", "Race week"]
    reps = [e["reps"] for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"]]
    assert min(reps) >= 8, "no heavy sets for a new lifter"
    assert all(e["load_kg"] is None for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"])
    assert all("bodyweight" in e["name"].lower() or "single-leg" in e["name"].lower() or "step-up" in e["name"].lower()
               for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"])
    assert {"beginner-start", "technique-first", "progression"} <= evidence_ids(plan)
    assert "heavy-reps" not in evidence_ids(plan)
    assert "no-equipment" in {e["id"] for e in plan["elements"] if e["basis"] == "convention"}
    assert "beginner-progression" in {c["id"] for c in plan["caveats"]}
    assert "marathon-evidence" not in {c["id"] for c in plan["caveats"]}


def test_knee_pain_gives_the_clinician_note_and_a_conservative_plan(assistant):
    plan = plan_for(assistant, race="half", weeks=12, run_days="tue,thu,sat,sun", long_run="sun",
                    experience="regular", lifts=["squat 100kg x 5"], equipment="gym", pain=True)
    check_plan(plan)
    assert plan["caveats"][0]["id"] == "see-clinician"
    assert "Build heavy" not in [p["name"] for p in plan["phases"]]
    exercises = [e for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"]]
    assert min(e["reps"] for e in exercises) >= 8 and all(e["load_kg"] is None for e in exercises)
    assert "see-clinician" in evidence_ids(plan) and "clinician" in plan["summary"]


def test_three_run_days_places_lifting_away_from_long_and_hard_runs(assistant):
    plan = plan_for(assistant, race="10k", weeks=9, run_days="tue,thu,sun", long_run="sun", hard_days="thu",
                    experience="some", lifts=["deadlift 100kg x 3", "squat 70kg x 6"], equipment="gym")
    check_plan(plan)
    build = [w for w in plan["weeks"] if w["phase"] in ("Learn technique", "Build heavy")]
    assert build and all(len(w["sessions"]) == 2 for w in build)
    for w in plan["weeks"]:
        days = [DAYS.index(s["day"]) for s in w["sessions"]]
        assert not {"sun", "sat", "wed"} & {s["day"] for s in w["sessions"]}
        if len(days) == 2:
            gap = (days[1] - days[0]) % 7
            assert min(gap, 7 - gap) >= 2, "at least one day between sessions"
    dl = parse_lift("deadlift 100kg x 3")
    for e in (e for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"]):
        if e["name"].startswith("Deadlift") and e["reps"] <= 6:
            assert e["load_kg"] == working_load(dl, e["reps"])[0]


def test_race_date_sets_the_weeks_and_lb_loads_convert(assistant):
    req = PlanRequest.parse(race="10k", race_date="2026-03-14", run_days="mon,wed,sat", long_run="sat",
                            experience="regular", lifts=["squat 185lb x 5"], today=TODAY)
    assert req.weeks == 9  # weeks of 12 Jan ... 9 Mar
    plan = make_plan(assistant, req, strict=True)
    check_plan(plan)
    assert plan["weeks"][-1]["start"] == "2026-03-09" and "2026-03-14" in plan["weeks"][-1]["note"]
    squat = next(e for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"] if e["name"] == "Back squat")
    assert squat["load"].endswith(" lb") and squat["load_kg"] is not None
    assert "race-day-assumed" not in {e["id"] for e in plan["elements"]}


def test_exports(assistant):
    plan = plan_for(assistant, **MARATHON)
    md = to_markdown(plan)
    assert "## Why this plan" in md and "(convention — not tested in these sources)" in md and "[1]" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    assert rows and {"week", "phase", "date", "day", "exercise", "sets", "reps", "load_kg"} <= set(rows[0])
    ics = to_ics(plan)
    assert ics.startswith("BEGIN:VCALENDAR") and ics.count("BEGIN:VEVENT") == sum(len(w["sessions"]) for w in plan["weeks"])
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    page = to_html(plan)
    assert "rsa-basis-convention" in page and "<script" not in page


@pytest.mark.parametrize("kw, fragment", [
    (dict(run_days=""), "no run days"),
    (dict(run_days="mon,tue,wed,thu,fri,sat,sun,mon"), "a week has 7"),
    (dict(run_days="mon,tue,tue"), "listed twice"),
    (dict(run_days="mon,funday"), "unknown day 'funday'"),
    (dict(long_run="fri"), "not one of your run days"),
    (dict(hard_days="wed"), "not one of your run days"),
    (dict(weeks=None, race_date="2020-01-01"), "in the past"),
    (dict(weeks=None, race_date="next sunday"), "YYYY-MM-DD"),
    (dict(weeks=0), "between 1 and"),
    (dict(weeks="ten"), "whole number"),
    (dict(weeks=None), "weeks to go"),
    (dict(lifts=["squat 80kg x 0"]), "reps must be 1–30"),
    (dict(lifts=["squat -80kg x 5"]), "negative"),
    (dict(lifts=["squat 0kg x 5"]), "more than 0"),
    (dict(lifts=["80kg x 5"]), "can't read the lift"),
    (dict(lifts=["curl 20kg x 10"]), "name the exercise"),
    (dict(experience="expert"), "none, some or regular"),
    (dict(equipment="kettlebell"), "gym, dumbbells or none"),
    (dict(race="parkrun"), "unknown race"),
])
def test_bad_inputs_name_the_fix(kw, fragment):
    args = {**MARATHON, **kw}
    with pytest.raises(InputError) as e:
        PlanRequest.parse(today=TODAY, **args)
    msg = str(e.value)
    assert fragment in msg and "\n" not in msg, msg


# -- command line ------------------------------------------------------------------------
def run(args, env, stdin: bytes | None = None):
    return subprocess.run(CLI + args, input=stdin, capture_output=True, env=env, timeout=180)


MARATHON_ARGS = ["plan", "--race", "marathon", "--weeks", "16", "--run-days", "mon,tue,thu,sat", "--long-run", "sat",
                 "--hard-days", "tue", "--experience", "regular", "--lift", "squat 80kg x 5", "--equipment", "gym"]


def test_cli_marathoner_json_prints_squat_loads_75_to_90_kg(cli_env):
    r = run(MARATHON_ARGS + ["--json"], cli_env)
    assert r.returncode == 0, r.stderr.decode()
    plan = json.loads(r.stdout)
    check_plan(plan)
    loads = [e["load_kg"] for w in plan["weeks"] for s in w["sessions"] for e in s["exercises"] if e["name"] == "Back squat"]
    assert loads and all(75 <= x <= 90 for x in loads), loads
    r = run(MARATHON_ARGS + ["--format", "csv"], cli_env)
    assert r.returncode == 0 and r.stdout.decode().startswith("week,phase,date,day,exercise")
    r = run(MARATHON_ARGS, cli_env)
    assert r.returncode == 0 and "# Your strength plan" in r.stdout.decode()


@pytest.mark.parametrize("extra, fragment", [
    (["--run-days", ""], "no run days"),
    (["--run-days", "mon,tue,wed,thu,fri,sat,sun,mon"], "a week has 7"),
    (["--weeks", "", "--race-date", "2020-05-01"], "in the past"),
    (["--lift", "squat 80kg x 0"], "reps must be 1–30"),
    (["--lift", "squat -80kg x 5"], "negative"),
    (["--run-days", "mon,tue,thu,saturnday"], "unknown day"),
    (["--long-run", "sun"], "not one of your run days"),
    (["--format", "pdf"], "unknown format"),
])
def test_cli_bad_input_is_one_line_exit_1(cli_env, extra, fragment):
    r = run(MARATHON_ARGS + extra, cli_env)
    err = r.stderr.decode()
    assert r.returncode == 1, (r.returncode, err)
    assert err.startswith("error:") and err.count("\n") == 1 and fragment in err and "Traceback" not in err
    assert r.stdout == b""


def test_batch_plan_lines(cli_env):
    good = {"race": "10k", "weeks": 8, "run_days": ["mon", "wed", "sat"], "long_run": "sat", "experience": "some",
            "lifts": ["squat 60kg x 8"], "equipment": "dumbbells"}
    lines = b"\n".join(json.dumps(x).encode() for x in [
        {"id": "p1", "plan": good},
        {"id": "p2", "plan": {**good, "run_days": []}},
        {"id": "p3", "plan": {**good, "lifts": ["squat 80kg x 0"]}},
        {"id": "p4", "plan": "marathon"},
        {"id": "q", "question": "How heavy should I lift?"},
    ])
    r = run(["batch", "-"], cli_env, stdin=lines)
    assert r.returncode == 0, r.stderr.decode()
    out = {o["id"]: o for o in map(json.loads, r.stdout.decode().splitlines())}
    assert set(out) == {"p1", "p2", "p3", "p4", "q"}
    check_plan({k: v for k, v in out["p1"].items() if k != "id"})
    assert "no run days" in out["p2"]["error"] and "reps must be" in out["p3"]["error"]
    assert "JSON object" in out["p4"]["error"] and out["q"]["citations"]
