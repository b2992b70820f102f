"""A strength plan (the dict from ``plan.build_plan``) as Markdown, CSV, iCalendar or HTML for the app."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io

from .calculator import fmt

DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
             "sat": "Saturday", "sun": "Sunday"}


def _load(ex: dict) -> str:
    if ex.get("load"):
        return f"{ex['load']} (≈{fmt(ex['load_kg'])} kg)"
    return f"{fmt(ex['load_kg'])} kg" if ex.get("load_kg") is not None else "—"


def _element_line(el: dict) -> str:
    if el["basis"] == "evidence":
        return f"{el['text']} " + " ".join(f"[{n}]" for n in el["citations"])
    return f"{el['text']} *({el['label']})*"


def to_markdown(plan: dict) -> str:
    out = ["# Your strength plan", "", plan["summary"], ""]
    for c in plan["caveats"]:
        out += [f"> **Caveat:** {c['text']}", ""]
    out += ["## Phases", "", "| Weeks | Phase | Focus |", "|---|---|---|"]
    for p in plan["phases"]:
        a, b = p["weeks"]
        out.append(f"| {a}{'–' + str(b) if b != a else ''} | {p['name']} | {p['focus']} |")
    out += ["", "## Week by week", ""]
    for w in plan["weeks"]:
        out.append(f"### Week {w['week']} · {w['phase']} (from {w['start']})")
        if w.get("note"):
            out.append(f"_{w['note']}_")
        out.append("")
        for s in w["sessions"]:
            out += [f"**{DAY_NAMES[s['day']]} {s['date']}** — {s['note']}", "",
                    "| Exercise | Sets × reps | Load |", "|---|---|---|"]
            out += [f"| {e['name']} | {e['sets']} × {e['reps']} | {_load(e)} |" for e in s["exercises"]]
            out.append("")
    out += ["## Why this plan", ""]
    out += [f"- {_element_line(el)}" for el in plan["elements"]]
    if plan["citations"]:
        out += ["", "## Sources", ""]
        for c in plan["citations"]:
            url = f" <{c['url']}>" if c.get("url") else ""
            out.append(f"[{c['n']}] {c['title']} ({c['source_id']}){url} — “{c['quote']}”  ")
    return "\n".join(out).rstrip() + "\n"


def to_csv(plan: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["week", "phase", "date", "day", "exercise", "sets", "reps", "load_kg", "note"])
    for wk in plan["weeks"]:
        for s in wk["sessions"]:
            for e in s["exercises"]:
                w.writerow([wk["week"], wk["phase"], s["date"], s["day"], e["name"], e["sets"], e["reps"],
                            "" if e["load_kg"] is None else fmt(e["load_kg"]), s["note"]])
    return buf.getvalue()


def _ics_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 line folding: at most 75 octets a line, continuation lines start with a space."""
    out, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(cur)
            cur, size = "", 0
        cur += ch
        size += n
    return out + [cur] if not out else [out[0]] + [" " + x for x in out[1:] + [cur]]


def to_ics(plan: dict) -> str:
    """One all-day event per session (RFC 5545)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//runner-strength-assistant//plan//EN", "CALSCALE:GREGORIAN"]
    for wk in plan["weeks"]:
        for s in wk["sessions"]:
            day = dt.date.fromisoformat(s["date"])
            body = "\n".join(f"{e['name']}: {e['sets']} x {e['reps']}" + (f" @ {_load(e)}" if e["load_kg"] is not None else "")
                             for e in s["exercises"])
            lines += ["BEGIN:VEVENT", f"UID:plan-w{wk['week']}-{s['day']}-{s['date']}@runner-strength-assistant",
                      f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                      "SUMMARY:" + _ics_text(f"Strength · week {wk['week']} · {wk['phase']}"),
                      "DESCRIPTION:" + _ics_text(body + "\n" + s["note"]), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(x for line in lines for x in _fold(line)) + "\r\n"


# -- HTML for the app ---------------------------------------------------------------------
def _e(x) -> str:
    return html.escape(str(x if x is not None else ""), quote=True)


def _session_html(s: dict) -> str:
    loads = any(e["load_kg"] is not None for e in s["exercises"])  # no load column for bodyweight / no lifts given
    rows = "".join(f"<tr><td>{_e(e['name'])}</td><td class='rsa-num'>{e['sets']} × {e['reps']}</td>"
                   + (f"<td class='rsa-num'>{_e(_load(e))}</td>" if loads else "") + "</tr>" for e in s["exercises"])
    return (f"<div class='rsa-plan-session'><div class='rsa-plan-day'><b>{_e(DAY_NAMES[s['day']])}</b> "
            f"<span class='rsa-muted'>{_e(s['date'])}</span></div><div class='rsa-plan-note'>{_e(s['note'])}</div>"
            f"<table class='rsa-plan-table'><thead><tr><th>Exercise</th><th>Sets × reps</th>{'<th>Load</th>' if loads else ''}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def to_html(plan: dict, meta: dict | None = None) -> str:
    from .render import caveats_html, sources_html

    parts = [f"<div class='rsa-plan' data-weeks='{len(plan['weeks'])}'>",
             f"<p class='rsa-plan-summary'>{_e(plan['summary'])}</p>", caveats_html(plan["caveats"])]
    parts.append("<div class='rsa-plan-phases'>" + "".join(
        f"<div class='rsa-plan-phase'><div class='rsa-plan-phase-name'>{_e(p['name'])}</div>"
        f"<div class='rsa-muted'>Week {p['weeks'][0]}{'–' + str(p['weeks'][1]) if p['weeks'][1] != p['weeks'][0] else ''}</div>"
        f"<div>{_e(p['focus'])}</div></div>" for p in plan["phases"]) + "</div>")
    parts.append("<h3>Week by week</h3>")
    for i, w in enumerate(plan["weeks"]):
        sessions = "".join(_session_html(s) for s in w["sessions"]) or "<div class='rsa-muted'>No lifting.</div>"
        note = f"<div class='rsa-plan-week-note'>{_e(w['note'])}</div>" if w.get("note") else ""
        parts.append(f"<details class='rsa-plan-week'{' open' if i == 0 else ''}><summary><b>Week {w['week']}</b> · "
                     f"{_e(w['phase'])} <span class='rsa-muted'>from {_e(w['start'])} · {len(w['sessions'])} "
                     f"session{'s' if len(w['sessions']) != 1 else ''}</span></summary>{note}"
                     f"<div class='rsa-plan-sessions'>{sessions}</div></details>")
    parts.append("<h3>Why this plan</h3><ul class='rsa-plan-elements'>")
    for el in plan["elements"]:
        if el["basis"] == "evidence":
            tag = "<span class='rsa-basis rsa-basis-evidence'>evidence</span>"
            refs = " " + " ".join(f"[{n}]" for n in el["citations"])
        else:
            tag = f"<span class='rsa-basis rsa-basis-convention'>{_e(el['label'])}</span>"
            refs = ""
        parts.append(f"<li data-basis='{el['basis']}'>{tag} {_e(el['text'])}{refs}</li>")
    parts.append("</ul>")
    parts.append(sources_html(plan["citations"], meta or {}))
    parts.append("</div>")
    return "".join(parts)
