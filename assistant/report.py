"""Eval outputs: a readable table, results.json, a Markdown report with plots, a RAGAS export."""
from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from .evaluation import CaseResult

SUMMARY_ROWS = [
    ("pass_rate", "pass rate", "pct"), ("hit_at_5", "retrieval hit@5", "pct"), ("recall_at_5", "retrieval recall@5", "pct"),
    ("mrr", "retrieval MRR", "num"), ("fact_coverage", "required-fact coverage", "pct"),
    ("forbidden_statements", "forbidden statements", "int"), ("caveat_recall", "caveat recall", "pct"),
    ("caveat_precision", "caveat precision", "pct"), ("refusal_precision", "refusal precision", "pct"),
    ("refusal_recall", "refusal recall", "pct"), ("verdict_accuracy", "verdict accuracy", "pct"),
    ("citation_validity", "citation validity", "pct"), ("citation_support", "citation support (mean)", "pct"),
    ("latency_p50_ms", "latency p50 (ms)", "num"), ("latency_p95_ms", "latency p95 (ms)", "num"),
]


def _fmt(v, kind: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return {"pct": f"{100 * v:.1f}%", "int": f"{int(v)}", "num": f"{v:.2f}"}[kind]


def table(summary: dict, gates_failed: list[str]) -> str:
    lines = [f"{'metric':28s} value", "-" * 40]
    lines += [f"{label:28s} {_fmt(summary[key], kind)}" for key, label, kind in SUMMARY_ROWS]
    lines += ["", f"{'category':18s} {'pass':>9s}  rate", "-" * 36]
    for cat, c in summary["categories"].items():
        lines.append(f"{cat:18s} {c['passed']:>4d}/{c['cases']:<4d}  {100 * c['pass_rate']:5.1f}%")
    lines.append("")
    lines.append("gates: all passed" if not gates_failed else "gates FAILED:\n  - " + "\n  - ".join(gates_failed))
    return "\n".join(lines)


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_results(path: Path, results: list[CaseResult], summary: dict, gates_failed: list[str], meta: dict) -> None:
    doc = {"summary": summary, "gates_failed": gates_failed, "meta": meta, "cases": [r.to_dict() for r in results]}
    atomic_write(path, json.dumps(doc, ensure_ascii=False, indent=1, default=str))


def write_ragas(path: Path, results: list[CaseResult], cases: list[dict]) -> None:
    """One JSON object per line in the column layout RAGAS uses."""
    by_id = {c["id"]: c for c in cases}
    rows = []
    for r in results:
        exp = by_id[r.id].get("expect") or {}
        truth = exp.get("reference") or "; ".join(exp.get("facts") or []) or ("(should refuse)" if exp.get("refused") else "")
        rows.append(json.dumps({"id": r.id, "question": r.input, "answer": r.answer.get("answer", ""),
                                "contexts": r.contexts, "ground_truth": truth}, ensure_ascii=False))
    atomic_write(path, "\n".join(rows) + "\n")


def plots(out: Path, results: list[CaseResult], summary: dict) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    cats = summary["categories"]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(cats) + 1.2))
    labels = list(cats)
    rates = [100 * cats[c]["pass_rate"] for c in labels]
    colors = ["#2e7d32" if r >= 90 else "#f9a825" if r >= 70 else "#c62828" for r in rates]
    ax.barh(labels, rates, color=colors)
    for i, (r, c) in enumerate(zip(rates, labels)):
        ax.text(min(r + 1, 92), i, f"{cats[c]['passed']}/{cats[c]['cases']}", va="center", fontsize=8)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("cases passed (%)")
    ax.set_title("Pass rate per category")
    fig.tight_layout()
    fig.savefig(out / "pass_rate.png", dpi=120)
    plt.close(fig)
    names.append("pass_rate.png")

    lat = [r.latency_ms for r in results]
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.hist(lat, bins=40, color="#1565c0")
    for q, style in ((summary["latency_p50_ms"], "--"), (summary["latency_p95_ms"], ":")):
        ax.axvline(q, color="black", linestyle=style)
    ax.set_xlabel("latency per case (ms)")
    ax.set_ylabel("cases")
    ax.set_title(f"Latency: p50 {summary['latency_p50_ms']:.1f} ms, p95 {summary['latency_p95_ms']:.1f} ms")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=120)
    plt.close(fig)
    names.append("latency.png")
    return names


def write_markdown(out: Path, results: list[CaseResult], summary: dict, gates_failed: list[str],
                   comparison: dict | None, meta: dict) -> Path:
    images = plots(out, results, summary)
    lines = ["# Evaluation report", "",
             f"{summary['passed']} of {summary['cases']} cases passed ({100 * summary['pass_rate']:.1f}%). "
             f"Composer: {meta.get('composer', 'grounded')}. Cases: {', '.join(meta.get('case_files', []))}.", ""]
    lines += ["## Gates", ""]
    lines += ["All gates passed."] if not gates_failed else [f"- **FAILED**: {g}" for g in gates_failed]
    lines += ["", "## Metrics", "", "| metric | value |", "|---|---|"]
    lines += [f"| {label} | {_fmt(summary[key], kind)} |" for key, label, kind in SUMMARY_ROWS]
    lines += ["", "Citation support is the share of an answer sentence's content terms (stemmed, stop words removed, "
              "numbers kept) found in the quotes it cites; a sentence counts as supported at 0.6 or more.", ""]
    lines += ["## Per category", "", "| category | passed | rate |", "|---|---|---|"]
    lines += [f"| {c} | {v['passed']}/{v['cases']} | {100 * v['pass_rate']:.1f}% |" for c, v in summary["categories"].items()]
    lines += [""] + [f"![{n}]({n})" for n in images] + [""]
    if comparison:
        lines += ["## Against the baseline", "",
                  f"Better: {', '.join(comparison['better']) or 'none'}", "",
                  f"Worse: {', '.join(comparison['worse']) or 'none'}", ""]
    failed = [r for r in results if not r.passed]
    lines += [f"## Failing cases ({len(failed)})", ""]
    for r in failed:
        lines.append(f"- **{r.id}** ({r.category}) — {r.input}")
        lines += [f"  - {f}" for f in r.failures]
    path = out / "report.md"
    atomic_write(path, "\n".join(lines) + "\n")
    return path
