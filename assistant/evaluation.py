"""The eval suite: cases as data in two splits, deterministic offline metrics, gates, history.

``evals/dev/`` is for development; ``evals/test/`` is held out and only reported on.  A case passes
when every expectation it states holds: refusal, an expected source cited or retrieved, required facts,
no forbidden statement asserted (negation-aware), required caveats, the lead sentence answering, every
part of a multi-part message covered, an out-of-scope part declined, verdicts (overall and per part)
right, citations valid.  Metric definitions live in ``evalmetrics``.
"""
from __future__ import annotations

import json
import math
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from .errors import AssistantError
from .evalmetrics import (K, SUPPORT_THRESHOLD, article_framed, asserted, citation_support, citation_validity,
                          declines, lead_sentence, parts_covered, rank_metrics)
from .text import normalise

EVALS_DIR = Path(__file__).resolve().parents[1] / "evals"
SPLITS = ("dev", "test")
GATES_DEFAULT = EVALS_DIR / "gates.yaml"
HISTORY_DEFAULT = EVALS_DIR / "history.jsonl"
INPUT_KEYS = ("question", "claim", "passage")


# -- cases ---------------------------------------------------------------------
def split_files(split: str, root: Path = EVALS_DIR) -> list[Path]:
    if split not in (*SPLITS, "all"):
        raise AssistantError(f"unknown split {split!r} — use dev, test or all")
    names = SPLITS if split == "all" else (split,)
    return [p for n in names for p in sorted((root / n).glob("*.yaml"))]


def load_split(split: str, root: Path = EVALS_DIR) -> list[dict]:
    """The cases of a split, each tagged with ``split`` and ``set`` (its file's name)."""
    return load_cases(split_files(split, root))


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
            if not isinstance(c, dict) or not c.get("id") or sum(k in c for k in INPUT_KEYS) != 1:
                raise AssistantError(f"{p}: case {i + 1} needs an id and exactly one of question / claim / passage")
            c.setdefault("category", "uncategorised")
            c.setdefault("expect", {})
            c.setdefault("split", p.parent.name if p.parent.name in SPLITS else "other")
            c.setdefault("set", p.stem)
            cases.append(c)
    ids = [c["id"] for c in cases]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise AssistantError(f"duplicate case ids: {', '.join(sorted(dup))}")
    return cases


def case_input(case: dict) -> str:
    return next(case[k] for k in INPUT_KEYS if k in case)


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
    split: str = "dev"

    def to_dict(self) -> dict:
        return {"id": self.id, "category": self.category, "split": self.split, "input": self.input,
                "passed": self.passed, "failures": self.failures, "metrics": self.metrics,
                "latency_ms": self.latency_ms, "retrieved": self.retrieved, "answer": self.answer}


def _dedupe(seq):
    return list(dict.fromkeys(seq))


def _verdict_of_part(match: str, parts: list[dict], overall: str | None) -> str | None:
    """The verdict the answer gave the claim part ``match`` picks out (the overall one if not split)."""
    for p in parts:
        if re.search(match, p.get("claim", ""), re.I):
            return p.get("verdict")
    return overall


def _run(assistant, case: dict) -> tuple[dict, list[str], list[str]]:
    if "passage" in case:
        if not hasattr(assistant, "check_passage"):
            raise AssistantError("this assistant cannot check passages")
        res = assistant.check_passage(case["passage"])
        d = res.to_dict() if hasattr(res, "to_dict") else res
        claims = d.get("claims", [])
        text = "\n".join(c.get("answer", "") for c in claims)
        cites = [c for r in claims for c in r.get("citations", [])]
        # each checked claim shows its own caveats: the passage's are all of them, once each
        caveats = list({c["id"]: c for r in claims for c in r.get("caveats", [])}.values())
        return ({"answer": text, "citations": [], "caveats": caveats, "refused": False, "verdict": None,
                 "claims": claims, "_citations": cites}, [], [])
    ans = assistant.check(case["claim"]) if "claim" in case else assistant.ask(case["question"], history=case.get("history"))
    return ans.to_dict(), _dedupe(getattr(ans, "retrieved", []) or []), list(getattr(ans, "contexts", []) or [])


def run_case(assistant, case: dict, source_texts: dict[str, str]) -> CaseResult:
    exp = case.get("expect") or {}
    t0 = time.perf_counter()
    try:
        d, retrieved, contexts = _run(assistant, case)
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
    cited = _dedupe(c["source_id"] for c in d["citations"] + d.get("_citations", []))
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

    m["lead"] = lead_sentence(d["answer"])
    if exp.get("lead"):
        m["lead_ok"] = bool(re.search(exp["lead"], m["lead"], re.I))
        if not m["lead_ok"]:
            fails.append(f"lead sentence does not answer (/{exp['lead']}/): {m['lead'][:160]!r}")

    if exp.get("parts") and "question" in case:
        covered = parts_covered(exp["parts"], text)
        m["parts"] = [sum(covered), len(covered)]
        fails += [f"part not answered: {p.get('part', p['facts'])}" for p, ok in zip(exp["parts"], covered) if not ok]
    if exp.get("declines"):
        m["declined"] = declines(d["answer"])
        if not m["declined"]:
            fails.append("did not decline the out-of-scope part of the message")

    if not case.get("about_article") and "question" in case and not m["refused"]:
        m["framed"] = [sum(article_framed(c["quote"]) for c in d["citations"]), len(d["citations"])]

    if "claim" in case or exp.get("verdict"):
        m["verdict"] = d.get("verdict")
        if exp.get("verdict") and d.get("verdict") != exp["verdict"]:
            fails.append(f"verdict {d.get('verdict')} instead of {exp['verdict']}")
    if exp.get("parts") and "claim" in case:
        got_parts = [_verdict_of_part(p["match"], d.get("parts") or [], d.get("verdict")) for p in exp["parts"]]
        m["claim_parts"] = [sum(g == p["verdict"] for g, p in zip(got_parts, exp["parts"])), len(exp["parts"])]
        fails += [f"part /{p['match']}/: {g} instead of {p['verdict']}" for g, p in zip(got_parts, exp["parts"])
                  if g != p["verdict"]]
    if "passage" in case:
        found = d.get("claims", [])
        got_claims = [next((c.get("verdict") for c in found if re.search(e["match"], c.get("question", "") or
                                                                         c.get("claim", ""), re.I)), None)
                      for e in exp.get("claims") or []]
        m["claim_parts"] = [sum(g == e["verdict"] for g, e in zip(got_claims, exp.get("claims") or [])),
                            len(exp.get("claims") or [])]
        fails += [f"passage claim /{e['match']}/: {g or 'not extracted'} instead of {e['verdict']}"
                  for g, e in zip(got_claims, exp.get("claims") or []) if g != e["verdict"]]

    valid, problems = (True, []) if "passage" in case else \
        citation_validity({"answer": d["answer"], "citations": d["citations"]}, source_texts)
    for r in d.get("claims", []):  # a passage: each claim result has its own numbering
        ok, more = citation_validity(r, source_texts)
        valid, problems = valid and ok, problems + more
    m["citations_valid"] = valid
    fails += problems
    support = citation_support(d)
    m["support"] = (sum(support) / len(support)) if support else math.nan
    m["supported_share"] = (sum(s >= SUPPORT_THRESHOLD for s in support) / len(support)) if support else math.nan
    if "error" in d:
        fails.append(f"error: {d['error']}")
    d.pop("_citations", None)
    return CaseResult(case["id"], case["category"], case_input(case), d, retrieved, not fails, fails, m,
                      round(latency, 2), contexts, case.get("split", "dev"))


# -- aggregate -------------------------------------------------------------------
def _mean(xs):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    return sum(xs) / len(xs) if xs else math.nan


def _ratio(pairs) -> float:
    pairs = [p for p in pairs if p]
    den = sum(p[1] for p in pairs)
    return sum(p[0] for p in pairs) / den if den else math.nan


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return math.nan
    xs = sorted(xs)
    i = (len(xs) - 1) * q
    lo, hi = math.floor(i), math.ceil(i)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def summarise(results: list[CaseResult], cases: list[dict]) -> dict:
    by_id = {c["id"]: c for c in cases}
    want = lambda r: bool(by_id[r.id]["expect"].get("refused", False))  # noqa: E731
    tp = sum(r.metrics["refused"] and want(r) for r in results)
    fp = sum(r.metrics["refused"] and not want(r) for r in results)
    fn = sum(not r.metrics["refused"] and want(r) for r in results)
    cav_tp = sum(len(set(r.metrics["caveats_expected"]) & set(r.metrics["caveats_got"])) for r in results)
    cav_exp = sum(len(r.metrics["caveats_expected"]) for r in results)
    # precision over answers (not refusals, not claim checks): every caveat attached that the case did not ask for is noise
    judged = [r for r in results if not r.metrics["refused"] and "claim" not in by_id[r.id]]
    cav_got = sum(len(r.metrics["caveats_got"]) for r in judged)
    cav_tp_j = sum(len(set(r.metrics["caveats_expected"]) & set(r.metrics["caveats_got"])) for r in judged)
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
        "lead_answers": _mean(float(r.metrics["lead_ok"]) for r in results if "lead_ok" in r.metrics),
        "article_framing": _ratio(r.metrics.get("framed") for r in results),
        "part_coverage": _ratio(r.metrics.get("parts") for r in results),
        "claim_parts": _ratio(r.metrics.get("claim_parts") for r in results),
        "declined": _mean(float(r.metrics["declined"]) for r in results if "declined" in r.metrics),
        "hit_at_5": _mean(r.metrics["hit"] for r in results),
        "recall_at_5": _mean(r.metrics["recall"] for r in results),
        "mrr": _mean(r.metrics["mrr"] for r in results),
        "fact_coverage": _mean(r.metrics["facts"] for r in results),
        "forbidden_statements": sum(r.metrics["forbidden"] for r in results),
        "caveat_recall": cav_tp / cav_exp if cav_exp else math.nan,
        "caveat_precision": cav_tp_j / cav_got if cav_got else math.nan,
        "refusal_precision": tp / (tp + fp) if tp + fp else math.nan,
        "refusal_recall": tp / (tp + fn) if tp + fn else math.nan,
        "verdict_accuracy": _mean(float(r.metrics.get("verdict") == by_id[r.id]["expect"]["verdict"]) for r in verdicts),
        "citation_validity": _mean(float(r.metrics["citations_valid"]) for r in results),
        "citation_support": _mean(r.metrics["support"] for r in results),
        "latency_p50_ms": percentile(lat, 0.5),
        "latency_p95_ms": percentile(lat, 0.95),
        "categories": dict(sorted(cats.items())),
    }


# -- gates ----------------------------------------------------------------------
def load_gates(path: Path = GATES_DEFAULT) -> list[dict]:
    """Gates: a list of ``{metric | category, min | max, why, splits?}`` (splits default to test)."""
    path = Path(path)
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list) or not all(isinstance(g, dict) and ("min" in g) != ("max" in g) for g in data):
        raise AssistantError(f"{path}: gates must be a list of {{metric, min|max, why}} — fix the file")
    return data


def check_gates(summary: dict, gates: list[dict], split: str = "test") -> list[str]:
    """Human-readable list of failed gates for a split's summary (empty when all hold)."""
    failed = []
    for g in gates:
        if split not in g.get("splits", ["test"]):
            continue
        if "category" in g:
            name, got = f"pass rate of {g['category']}", summary["categories"].get(g["category"], {}).get("pass_rate")
        else:
            name, got = g["metric"], summary.get(g["metric"])
        if got is None or (isinstance(got, float) and math.isnan(got)):
            continue
        if ("min" in g and not got >= g["min"]) or ("max" in g and not got <= g["max"]):
            bound = f"min {g['min']}" if "min" in g else f"max {g['max']}"
            failed.append(f"{name}: {got:.3f} ({bound}) — {g.get('why', '')}".rstrip(" —"))
    return failed


# -- running ----------------------------------------------------------------------
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


HISTORY_KEYS = ("cases", "pass_rate", "lead_answers", "article_framing", "part_coverage", "claim_parts",
                "verdict_accuracy", "caveat_recall", "caveat_precision", "citation_validity", "latency_p50_ms")


def append_history(path: Path, split: str, summary: dict, composer: str) -> dict:
    """One line per split per run: commit, date, split and the main metrics."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(path).parent, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    row = {"commit": commit, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "split": split,
           "composer": composer}
    row.update({k: (None if isinstance(summary.get(k), float) and math.isnan(summary[k]) else summary.get(k))
                for k in HISTORY_KEYS})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(row) + "\n")
    return row


def read_history(path: Path) -> list[dict]:
    if not Path(path).exists():
        return []
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            continue  # a damaged line is skipped, never fatal
    return rows
