"""The eval suite: metric definitions, the real cases against the gates, and gates that can fail."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.evaluation import (asserted, check_gates, citation_support, citation_validity, compare, load_cases,
                                  load_gates, rank_metrics, run_eval, support_score)
from assistant.pipeline import Assistant

REPO = Path(__file__).resolve().parents[1]
CASES = load_cases([REPO / "evals" / "cases.yaml"])


def test_cases_file_is_rich_enough():
    assert len(CASES) >= 120
    cats = {c["category"] for c in CASES}
    assert {"dosing", "marathon-race", "claim-check", "out-of-scope", "adversarial", "follow-up", "typos",
            "load-calculator", "pain-medical"} <= cats
    corpus_ids = {p.stem for p in (REPO / "corpus").glob("*.md")}
    for c in CASES:
        assert set(c["expect"].get("sources_any") or []) <= corpus_ids, c["id"]


@pytest.mark.parametrize("text, hits", [
    ("Squats guarantee a faster marathon.", 1),
    ("No one can guarantee a faster marathon.", 0),
    ("So anyone promising you a guaranteed marathon improvement from squats is overselling it.", 0),
    ("Lifting is good. Squats will guarantee a faster marathon, the coach said.", 1),
])
def test_forbidden_statements_are_negation_aware(text, hits):
    assert len(asserted(r"guarantee\w* a (faster|quicker) marathon|guaranteed marathon", text)) == hits


def test_citation_support_measure():
    quote = "Støren 2008 found running economy improved 5.0% after heavy half-squats."
    assert support_score(quote + " [1]", quote) == 1.0
    assert support_score("Heavy half-squats improved running economy 5.0% [1]", quote) == 1.0
    assert support_score("Plyometrics doubled marathon speed in elite women [1]", quote) < 0.3
    answer = {"answer": f"{quote} [1]\n\n- Bananas cure injuries forever [2]",
              "citations": [{"n": 1, "quote": quote}, {"n": 2, "quote": quote}]}
    scores = citation_support(answer)
    assert scores[0] == 1.0 and scores[1] < 0.2


def test_citation_validity_catches_each_fault():
    src = {"s": "heavy lifting helps runners. it builds strength."}
    ok = {"answer": "x [1]", "citations": [{"n": 1, "source_id": "s", "quote": "heavy lifting helps runners."}]}
    assert citation_validity(ok, src) == (True, [])
    bad_quote = {"answer": "x [1]", "citations": [{"n": 1, "source_id": "s", "quote": "lifting makes you slow"}]}
    unresolved = {"answer": "x [1] [2]", "citations": [{"n": 1, "source_id": "s", "quote": "it builds strength."}]}
    unused = {"answer": "x", "citations": [{"n": 1, "source_id": "s", "quote": "it builds strength."}]}
    ellipsis = {"answer": "x [1]", "citations": [{"n": 1, "source_id": "s", "quote": "heavy lifting ... strength."}]}
    for d in (bad_quote, unresolved, unused, ellipsis):
        assert citation_validity(d, src)[0] is False


def test_rank_metrics():
    assert rank_metrics(["a", "b", "c"], {"b"}) == (1.0, 1.0, 0.5)
    assert rank_metrics(["a", "b"], {"z"}) == (0.0, 0.0, 0.0)


def test_compare_finds_better_and_worse():
    old = [{"id": "a", "passed": True}, {"id": "b", "passed": False}]
    new = [{"id": "a", "passed": False}, {"id": "b", "passed": True}, {"id": "c", "passed": True}]
    assert compare(new, old) == {"better": ["b"], "worse": ["a"], "new": ["c"]}


@pytest.fixture(scope="module")
def real_run(assistant):
    return run_eval(assistant, CASES)


def test_real_cases_pass_the_gates(real_run):
    results, summary = real_run
    failed = check_gates(summary, load_gates())
    assert failed == [], "\n".join(failed)
    assert summary["forbidden_statements"] == 0 and summary["citation_validity"] == 1.0


def test_no_answer_promises_a_race_improvement(real_run):
    results, _ = real_run
    promise = r"(will|guarantee\w*|definitely|certainly) (make you |get you )?(run )?(a )?(faster|quicker|improve)\w* (marathon|race|time|pb)"
    for r in results:
        assert not asserted(promise, r.answer["answer"]), r.id
    race = [r for r in results if r.category == "marathon-race" and not r.answer.get("refused")]
    assert race and all("marathon-evidence" in r.metrics["caveats_got"] for r in race)


class RandomRetriever(BaseRetriever):
    """Returns random chunks: what a broken index or embedder looks like."""
    snapshot: object
    k: int = 8

    def _get_relevant_documents(self, query, *, run_manager=None):
        rng = random.Random(query)
        idx = rng.sample(range(len(self.snapshot.chunk_ids)), self.k)
        return [Document(page_content=self.snapshot.chunk_texts[i],
                         metadata=dict(self.snapshot.chunk_metas[i], id=self.snapshot.chunk_ids[i], rrf=1.0 / (i + 1),
                                       dense=0.0, bm25=0.0)) for i in idx]


def test_gates_fail_with_a_random_retriever(built_settings, embedder):
    broken = Assistant(built_settings, embedder=embedder, progress=lambda m: None)
    broken.use_retriever(RandomRetriever(snapshot=broken.load()))
    _, summary = run_eval(broken, CASES)
    failed = check_gates(summary, load_gates())
    assert any(f.startswith("hit_at_5") for f in failed)
    assert any(f.startswith("pass rate of") for f in failed)


def test_eval_cli_writes_report_and_compares(cli_env, tmp_path):
    sub = tmp_path / "cases.yaml"
    sub.write_text(json.dumps(CASES[:12]), encoding="utf-8")  # JSON is YAML
    out = tmp_path / "report"
    cmd = [sys.executable, "-m", "assistant", "eval", "--cases", str(sub), "--report", str(out), "--no-gates"]
    r = subprocess.run(cmd, capture_output=True, env=cli_env, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert "pass rate" in r.stdout.decode()
    results = json.loads((out / "results.json").read_text())
    assert len(results["cases"]) == 12 and {"id", "passed", "failures", "metrics"} <= results["cases"][0].keys()
    assert (out / "pass_rate.png").stat().st_size > 1000 and (out / "latency.png").stat().st_size > 1000
    report = (out / "report.md").read_text()
    assert "## Failing cases" in report and "![pass_rate.png]" in report
    ragas = [json.loads(x) for x in (out / "ragas.jsonl").read_text().splitlines()]
    assert set(ragas[0]) >= {"question", "answer", "contexts", "ground_truth"}
    r2 = subprocess.run(cmd + ["--baseline", str(out / "results.json")], capture_output=True, env=cli_env, timeout=300)
    assert "0 better, 0 worse" in r2.stdout.decode()
    bad = subprocess.run([sys.executable, "-m", "assistant", "eval", "--cases", str(tmp_path / "nope.yaml")],
                         capture_output=True, env=cli_env, timeout=120)
    assert bad.returncode == 1 and "no such cases file" in bad.stderr.decode()
