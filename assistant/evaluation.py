"""The eval suite: cases as data, deterministic offline metrics, gates.

A case passes when every expectation it states holds: refusal, expected source cited or
retrieved, required facts present, no forbidden statement asserted (negation-aware),
required caveats attached, verdict right, citations valid.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from .errors import AssistantError
from .text import normalise, split_sentences, terms

CASES_DEFAULT = Path(__file__).resolve().parents[1] / "evals" / "cases.yaml"
GATES_DEFAULT = Path(__file__).resolve().parents[1] / "evals" / "gates.yaml"
K = 5
SUPPORT_THRESHOLD = 0.6
_NEGATION_CUES = re.compile(
    r"\b(no|not|never|nobody|no one|none|cannot|can't|won't|isn't|aren't|doesn't|don't|didn't|without|nor|"
    r"overselling|oversell\w*|overstat\w*|myth|false|unproven|unlikely|goes beyond|beyond the (data|evidence)|"
    r"not (shown|proven|established|supported)|no (trial|study|evidence))\b", re.I)


# -- cases ---------------------------------------------------------------------
def load_cases(paths: list[Path]) -> list[dict]:
    cases: list[dict] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise AssistantError(f"{p}: no such cases file — pass an existing YAML or JSONL file to --cases")
        try:
            text = p.read_text(encoding="utf-8")
            data = ([yaml.safe_load(line) for line in text.splitlines() if line.strip()]
                    if p.suffix == ".jsonl" else yaml.safe_load(text))
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise AssistantError(f"{p}: cannot read cases ({e.__class__.__name__}) — fix the file") from None
        if not isinstance(data, list):
            raise AssistantError(f"{p}: expected a list of cases")
        for i, c in enumerate(data):
            if not isinstance(c, dict) or not c.get("id") or ("question" in c) == ("claim" in c):
                raise AssistantError(f"{p}: case {i + 1} needs an id and exactly one of question / claim")
            c.setdefault("category", "uncategorised")
            c.setdefault("expect", {})
            cases.append(c)
    ids = [c["id"] for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise AssistantError(f"duplicate case ids: {', '.join(sorted(dup))}")
    return cases


# -- metrics on one answer -----------------------------------------------------
def asserted(pattern: str, text: str) -> list[str]:
    """Sentences of ``text`` that assert ``pattern``: a match in a sentence with no negation cue."""
    rx = re.compile(pattern, re.I)
    out = []
    for para in text.split("\n"):
        for sent in split_sentences(para):
            if rx.search(sent) and not _NEGATION_CUES.search(sent):
                out.append(sent)
    return out


def citation_validity(answer: dict, source_texts: dict[str, str]) -> tuple[bool, list[str]]:
    problems = []
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])}
    numbers = [c["n"] for c in answer["citations"]]
    if markers - set(numbers):
        problems.append(f"unresolved markers {sorted(markers - set(numbers))}")
    if set(numbers) - markers:
        problems.append(f"unused citations {sorted(set(numbers) - markers)}")
    for c in answer["citations"]:
        src = source_texts.get(c["source_id"])
        if src is None:
            problems.append(f"[{c['n']}] unknown source {c['source_id']}")
        elif "..." in c["quote"] or "…" in c["quote"] or normalise(c["quote"]) not in src:
            problems.append(f"[{c['n']}] quote not verbatim in {c['source_id']}")
    return not problems, problems


def support_score(sentence: str, quote: str) -> float:
    """Share of the sentence's content terms (numbers included) that its cited quote contains.

    1.0 when the sentence is the quote; low when the sentence says things the quote does not."""
    s_terms = set(terms(re.sub(r"\[\d+\]", "", sentence)))
    if not s_terms:
        return 1.0
    return len(s_terms & set(terms(quote))) / len(s_terms)


def citation_support(answer: dict) -> list[float]:
    """Support score of every answer sentence that carries [n] markers (against all quotes it cites)."""
    quotes = {c["n"]: c["quote"] for c in answer["citations"]}
    scores = []
    for line in answer["answer"].split("\n"):
        for sent in split_sentences(line.lstrip("- ")):
            ns = [int(n) for n in re.findall(r"\[(\d+)\]", sent)]
            if ns:
                scores.append(support_score(sent, " ".join(quotes.get(n, "") for n in ns)))
    return scores


def rank_metrics(ranked: list[str], expected: set[str], k: int = K) -> tuple[float, float, float]:
    """(hit@k, recall@k, MRR) of a ranked source list against the expected sources."""
    if not expected:
        return math.nan, math.nan, math.nan
    top = ranked[:k]
    hit = 1.0 if expected & set(top) else 0.0
    recall = len(expected & set(top)) / len(expected)
    mrr = next((1.0 / (i + 1) for i, s in enumerate(ranked) if s in expected), 0.0)
    return hit, recall, mrr


@dataclass
class CaseResult:
    id: str
    category: str
    input: str
    answer: dict
    retrieved: list[str]
    passed: bool
    failures: list[str] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    latency_ms: float = 0.0
    contexts: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "category": self.category, "input": self.input, "passed": self.passed,
                "failures": self.failures, "metrics": self.metrics, "latency_ms": self.latency_ms,
                "retrieved": self.retrieved, "answer": self.answer}


def _dedupe(seq):
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def run_case(assistant, case: dict, source_texts: dict[str, str]) -> CaseResult:
    exp = case.get("expect") or {}
    t0 = time.perf_counter()
    try:
        if "claim" in case:
            ans = assistant.check(case["claim"])
        else:
            ans = assistant.ask(case["question"], history=case.get("history"))
        d = ans.to_dict()
        retrieved = _dedupe(getattr(ans, "retrieved", []) or [])
        contexts = list(getattr(ans, "contexts", []) or [])
    except AssistantError as e:
        d = {"answer": "", "citations": [], "caveats": [], "refused": True, "verdict": None, "error": str(e)}
        retrieved, contexts = [], []
    latency = (time.perf_counter() - t0) * 1000
    fails: list[str] = []
    text = d["answer"] + "\n" + "\n".join(c["text"] for c in d.get("caveats", []))
    m: dict = {}

    want_refused = bool(exp.get("refused", False))
    m["refused"] = bool(d.get("refused"))
    if m["refused"] != want_refused:
        fails.append("should refuse" if want_refused else "refused an in-scope question")

    expected = set(exp.get("sources_any") or [])
    cited = _dedupe(c["source_id"] for c in d["citations"])
    m["hit"], m["recall"], m["mrr"] = rank_metrics(retrieved, expected)
    if expected and not m["refused"] and not (expected & (set(cited) | set(retrieved[:K]))):
        fails.append(f"none of the expected sources {sorted(expected)} cited or in the top {K}")

    facts = exp.get("facts") or []
    got = [bool(re.search(f, text, re.I)) for f in facts]
    m["facts"] = (sum(got) / len(got)) if facts else math.nan
    fails += [f"missing fact /{f}/" for f, ok in zip(facts, got) if not ok]

    forbidden_hits = [s for f in exp.get("forbidden") or [] for s in asserted(f, text)]
    m["forbidden"] = len(forbidden_hits)
    fails += [f"forbidden statement: {s!r}" for s in forbidden_hits]

    want_cav = set(exp.get("caveats") or [])
    got_cav = {c["id"] for c in d.get("caveats", [])}
    m["caveats_expected"], m["caveats_got"] = sorted(want_cav), sorted(got_cav)
    if want_cav - got_cav:
        fails.append(f"missing caveats {sorted(want_cav - got_cav)}")

    if "claim" in case or exp.get("verdict"):
        m["verdict"] = d.get("verdict")
        if exp.get("verdict") and d.get("verdict") != exp["verdict"]:
            fails.append(f"verdict {d.get('verdict')} instead of {exp['verdict']}")

    valid, problems = citation_validity(d, source_texts)
    m["citations_valid"] = valid
    fails += problems
    support = citation_support(d)
    m["support"] = (sum(support) / len(support)) if support else math.nan
    m["supported_share"] = (sum(s >= SUPPORT_THRESHOLD for s in support) / len(support)) if support else math.nan
    if "error" in d:
        fails.append(f"error: {d['error']}")
    return CaseResult(case["id"], case["category"], case.get("question") or case.get("claim"), d, retrieved,
                      not fails, fails, m, round(latency, 2), contexts)


# -- aggregate -------------------------------------------------------------------
def _mean(xs):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    return sum(xs) / len(xs) if xs else math.nan


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return math.nan
    xs = sorted(xs)
    i = (len(xs) - 1) * q
    lo, hi = math.floor(i), math.ceil(i)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def summarise(results: list[CaseResult], cases: list[dict]) -> dict:
    by_id = {c["id"]: c for c in cases}
    tp = sum(r.metrics["refused"] and by_id[r.id]["expect"].get("refused", False) for r in results)
    fp = sum(r.metrics["refused"] and not by_id[r.id]["expect"].get("refused", False) for r in results)
    fn = sum(not r.metrics["refused"] and by_id[r.id]["expect"].get("refused", False) for r in results)
    cav_tp = sum(len(set(r.metrics["caveats_expected"]) & set(r.metrics["caveats_got"])) for r in results)
    cav_exp = sum(len(r.metrics["caveats_expected"]) for r in results)
    cav_got = sum(len(r.metrics["caveats_got"]) for r in results if r.metrics["caveats_expected"])
    verdicts = [r for r in results if by_id[r.id]["expect"].get("verdict")]
    cats: dict[str, dict] = {}
    for r in results:
        c = cats.setdefault(r.category, {"cases": 0, "passed": 0})
        c["cases"] += 1
        c["passed"] += r.passed
    for c in cats.values():
        c["pass_rate"] = c["passed"] / c["cases"]
    lat = [r.latency_ms for r in results]
    return {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": sum(r.passed for r in results) / max(len(results), 1),
        "hit_at_5": _mean(r.metrics["hit"] for r in results),
        "recall_at_5": _mean(r.metrics["recall"] for r in results),
        "mrr": _mean(r.metrics["mrr"] for r in results),
        "fact_coverage": _mean(r.metrics["facts"] for r in results),
        "forbidden_statements": sum(r.metrics["forbidden"] for r in results),
        "caveat_recall": cav_tp / cav_exp if cav_exp else math.nan,
        "caveat_precision": cav_tp / cav_got if cav_got else math.nan,
        "refusal_precision": tp / (tp + fp) if tp + fp else 1.0,
        "refusal_recall": tp / (tp + fn) if tp + fn else 1.0,
        "verdict_accuracy": _mean(float(r.metrics.get("verdict") == by_id[r.id]["expect"]["verdict"]) for r in verdicts),
        "citation_validity": _mean(float(r.metrics["citations_valid"]) for r in results),
        "citation_support": _mean(r.metrics["support"] for r in results),
        "citation_supported_share": _mean(r.metrics["supported_share"] for r in results),
        "latency_p50_ms": percentile(lat, 0.5),
        "latency_p95_ms": percentile(lat, 0.95),
        "categories": dict(sorted(cats.items())),
    }


def check_gates(summary: dict, gates: dict) -> list[str]:
    """Human-readable list of failed gates (empty when all hold)."""
    failed = []
    if summary["forbidden_statements"] > gates.get("max_forbidden_statements", 0):
        failed.append(f"forbidden statements: {summary['forbidden_statements']} (max {gates.get('max_forbidden_statements', 0)})")
    for key in ("citation_validity", "refusal_precision", "refusal_recall", "verdict_accuracy", "hit_at_5", "pass_rate"):
        floor = gates.get(f"min_{key}")
        if floor is not None and not (summary[key] >= floor):
            failed.append(f"{key}: {summary[key]:.3f} (min {floor})")
    for cat, floor in (gates.get("category_pass_rate") or {}).items():
        got = summary["categories"].get(cat, {}).get("pass_rate")
        if got is not None and got < floor:
            failed.append(f"pass rate of {cat}: {got:.2f} (min {floor})")
    return failed


def load_gates(path: Path = GATES_DEFAULT) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) if Path(path).exists() else {}


def run_eval(assistant, cases: list[dict], progress: Callable[[int, int], None] | None = None) -> tuple[list[CaseResult], dict]:
    from .corpus import load_corpus

    assistant.load()
    sources = {s.id: normalise(s.text) for s in load_corpus(assistant.settings.corpus_dir)}
    results = []
    for i, case in enumerate(cases, 1):
        results.append(run_case(assistant, case, sources))
        if progress:
            progress(i, len(cases))
    return results, summarise(results, cases)


def compare(results: list[dict], baseline: list[dict]) -> dict:
    """Cases that got better or worse against a previous results.json."""
    old = {c["id"]: c for c in baseline}
    better = [r["id"] for r in results if r["id"] in old and r["passed"] and not old[r["id"]]["passed"]]
    worse = [r["id"] for r in results if r["id"] in old and not r["passed"] and old[r["id"]]["passed"]]
    return {"better": better, "worse": worse, "new": [r["id"] for r in results if r["id"] not in old]}
