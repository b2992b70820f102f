"""Eval outputs: a readable table, results.json, a Markdown report with plots, a RAGAS export."""
from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from .evaluation import SPLITS, CaseResult

SUMMARY_ROWS = [
    ("pass_rate", "pass rate", "pct"), ("lead_answers", "lead answers", "pct"),
    ("article_framing", "article framing (lower is better)", "pct"), ("part_coverage", "part coverage", "pct"),
    ("declined", "out-of-scope parts declined", "pct"), ("claim_parts", "claim parts right", "pct"),
    ("hit_at_5", "retrieval hit@5", "pct"), ("recall_at_5", "retrieval recall@5", "pct"),
    ("mrr", "retrieval MRR", "num"), ("fact_coverage", "required-fact coverage", "pct"),
    ("forbidden_statements", "forbidden statements", "int"), ("caveat_recall", "caveat recall", "pct"),
    ("caveat_precision", "caveat precision", "pct"), ("refusal_precision", "refusal precision", "pct"),
    ("refusal_recall", "refusal recall", "pct"), ("verdict_accuracy", "verdict accuracy", "pct"),
    ("citation_validity", "citation validity", "pct"), ("citation_support", "citation support (composed sentences)", "pct"),
    ("latency_p50_ms", "latency p50 (ms)", "num"), ("latency_p95_ms", "latency p95 (ms)", "num"),
]
METRIC_NOTES = [
    "Lead answers: the share of cases with a `lead` expectation whose first answer sentence matches it.",
    "Article framing: the share of cited sentences written about the article, in answers to questions not about it.",
    "Part coverage: the share of the parts of multi-part messages that the answer covers.",
    "Claim parts: per-part verdicts of compound claims and per-claim verdicts of passages that are right.",
    "Caveat precision: of the caveats attached to answers, the share the case asked for.",
    "Citation support: for cited sentences that are not their own quote, the share of content terms found in the "
    "quotes they cite; n/a when every cited sentence is its own quote (the grounded path), since it could not fail there.",
]


def _fmt(v, kind: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return {"pct": f"{100 * v:.1f}%", "int": f"{int(v)}", "num": f"{v:.2f}"}[kind]


def table(summaries: dict[str, dict], gates_failed: list[str]) -> str:
    """Metrics with one column per split (``{"dev": summary, "test": summary}``)."""
    names = list(summaries)
    lines = [f"{'metric':40s} " + " ".join(f"{n:>9s}" for n in names), "-" * (41 + 10 * len(names))]
    lines += [f"{label:40s} " + " ".join(f"{_fmt(summaries[n][key], kind):>9s}" for n in names)
              for key, label, kind in SUMMARY_ROWS]
    for n in names:
        lines += ["", f"{'category (' + n + ')':28s} {'pass':>9s}  rate", "-" * 46]
        for cat, c in summaries[n]["categories"].items():
            lines.append(f"{cat:28s} {c['passed']:>4d}/{c['cases']:<4d}  {100 * c['pass_rate']:5.1f}%")
    lines.append("")
    lines.append("gates: all passed" if not gates_failed else "gates FAILED:\n  - " + "\n  - ".join(gates_failed))
    return "\n".join(lines)


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_results(path: Path, results: list[CaseResult], summaries: dict[str, dict], gates_failed: list[str],
                  meta: dict) -> None:
    doc = {"summaries": summaries, "gates_failed": gates_failed, "meta": meta, "cases": [r.to_dict() for r in results]}
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


def plots(out: Path, results: list[CaseResult], summaries: dict[str, dict], history: list[dict]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    splits = list(summaries)
    cats = sorted({c for s in summaries.values() for c in s["categories"]})
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(cats) * len(splits) + 1.4))
    height = 0.8 / len(splits)
    for j, (split, color) in enumerate(zip(splits, ("#1565c0", "#ef6c00", "#2e7d32"))):
        rates = [100 * summaries[split]["categories"].get(c, {}).get("pass_rate", float("nan")) for c in cats]
        ax.barh([i + j * height for i in range(len(cats))], rates, height=height, color=color, label=split)
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(cats))], cats)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("cases passed (%)")
    ax.set_title("Pass rate per category")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out / "pass_rate.png", dpi=120)
    plt.close(fig)
    names.append("pass_rate.png")

    lat = [r.latency_ms for r in results]
    p50, p95 = _percentiles(lat)
    fig, ax = plt.subplots(figsize=(8, 3.2))
    ax.hist(lat, bins=40, color="#1565c0")
    for q, style in ((p50, "--"), (p95, ":")):
        ax.axvline(q, color="black", linestyle=style)
    ax.set_xlabel("latency per case (ms)")
    ax.set_ylabel("cases")
    ax.set_title(f"Latency: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=120)
    plt.close(fig)
    names.append("latency.png")

    if history:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
        for ax, split in zip(axes, SPLITS):
            rows = [h for h in history if h.get("split") == split]
            for key, label in (("pass_rate", "pass rate"), ("lead_answers", "lead answers"),
                               ("article_framing", "article framing")):
                ys = [100 * h[key] if h.get(key) is not None else float("nan") for h in rows]
                ax.plot(range(1, len(rows) + 1), ys, marker="o", label=label)
            ax.set_title(f"{split} split, run by run")
            ax.set_xlabel("run")
            ax.set_ylim(0, 100)
        axes[0].set_ylabel("%")
        axes[1].legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        fig.savefig(out / "history.png", dpi=120)
        plt.close(fig)
        names.append("history.png")
    return names


def _percentiles(xs: list[float]) -> tuple[float, float]:
    from .evaluation import percentile

    return percentile(xs, 0.5), percentile(xs, 0.95)


def write_markdown(out: Path, results: list[CaseResult], summaries: dict[str, dict], gates_failed: list[str],
                   comparison: dict | None, meta: dict, history: list[dict] | None = None) -> Path:
    images = plots(out, results, summaries, history or [])
    splits = list(summaries)
    lines = ["# Evaluation report", "",
             " ".join(f"{s}: {summaries[s]['passed']} of {summaries[s]['cases']} cases passed "
                      f"({100 * summaries[s]['pass_rate']:.1f}%)." for s in splits),
             f"Composer: {meta.get('composer', 'grounded')}. Cases: {', '.join(meta.get('case_files', []))}.", "",
             "The test split is held out: it is reported on, never tuned against.", ""]
    lines += ["## Gates", ""]
    lines += ["All gates passed."] if not gates_failed else [f"- **FAILED**: {g}" for g in gates_failed]
    lines += ["", "## Metrics", "", "| metric | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    lines += [f"| {label} | " + " | ".join(_fmt(summaries[s][key], kind) for s in splits) + " |"
              for key, label, kind in SUMMARY_ROWS]
    lines += [""] + [f"- {n}" for n in METRIC_NOTES] + [""]
    for s in splits:
        lines += [f"## Per category ({s})", "", "| category | passed | rate |", "|---|---|---|"]
        lines += [f"| {c} | {v['passed']}/{v['cases']} | {100 * v['pass_rate']:.1f}% |"
                  for c, v in summaries[s]["categories"].items()]
        lines += [""]
    lines += [f"![{n}]({n})" for n in images] + [""]
    if comparison:
        lines += ["## Against the baseline", "",
                  f"Better: {', '.join(comparison['better']) or 'none'}", "",
                  f"Worse: {', '.join(comparison['worse']) or 'none'}", ""]
    failed = [r for r in results if not r.passed]
    lines += [f"## Failing cases ({len(failed)})", ""]
    for r in failed:
        lines.append(f"- **{r.id}** ({r.split}, {r.category}) — {r.input[:300]}")
        lines += [f"  - {f}" for f in r.failures]
    path = out / "report.md"
    atomic_write(path, "\n".join(lines) + "\n")
    return path
