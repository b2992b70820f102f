"""The eval suite: metric definitions, the real cases against the gates, and gates that can fail."""
from __future__ import annotations

import json
import re
import random
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.evalmetrics import (article_framed, asserted, citation_support, citation_validity, declines,
                                   lead_sentence, parts_covered, rank_metrics, support_score)
from assistant.evaluation import check_gates, compare, load_gates, load_split, run_eval
from assistant.pipeline import Assistant

REPO = Path(__file__).resolve().parents[1]
CASES = load_split("dev")
TEST = load_split("test")


def test_splits_are_rich_enough_and_well_formed():
    assert len(CASES) >= 200 and len(TEST) >= 100
    assert {c["split"] for c in CASES} == {"dev"} and {c["split"] for c in TEST} == {"test"}
    assert not {c["id"] for c in CASES} & {c["id"] for c in TEST}
    first = [c for c in CASES if c["set"] == "first-set"]
    assert len(first) >= 180  # the first set stays in dev, marked by its file (near-copies of the ledger retired)
    assert sum(c["set"] != "first-set" for c in CASES + TEST) >= 150
    corpus_ids = {p.stem for p in (REPO / "corpus").glob("*.md")}
    for c in CASES + TEST:
        assert set(c["expect"].get("sources_any") or []) <= corpus_ids, c["id"]
        for rx in [c["expect"].get("lead") or "x", *(c["expect"].get("facts") or [])]:
            re.compile(rx)


def test_unknown_split_is_a_one_line_error():
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="use dev, test or all"):
        load_split("train")


@pytest.mark.parametrize("answer, lead", [
    ("Lift heavy: sets of 3–6 reps. [1]\n\n**Evidence**\n- x [2]", "Lift heavy: sets of 3–6 reps."),
    ("**How many days**\nTwo sessions a week is typical [1]. More text.", "Two sessions a week is typical."),
    ("**Verdict: mixed.** The reviews say 2–8%.", "Verdict: mixed."),
    ("", ""),
])
def test_lead_sentence(answer, lead):
    assert lead_sentence(answer) == lead


def test_article_framing_and_parts_and_declines():
    assert article_framed("Støren 2008 supports the article's claim that heavy lifting helps.")
    assert article_framed("The article is right that two sessions are enough.")
    assert not article_framed("In Støren 2008, runners who added heavy half-squats improved economy by 5.0%.")
    assert parts_covered([{"facts": "two|twice"}, {"facts": "3 ?h|three hours"}], "Lift twice a week.") == [True, False]
    assert declines("Carb loading is outside what my sources cover.")
    assert not declines("Lift twice a week.")


@pytest.mark.parametrize("text, hits", [
    ("Squats guarantee a faster marathon.", 1),
    ("No one can guarantee a faster marathon.", 0),
    ("So anyone promising you a guaranteed marathon improvement from squats is overselling it.", 0),
    ("Lifting is good. Squats will guarantee a faster marathon, the coach said.", 1),
    ("Støren 2008 contradicts the claim that squats guarantee a faster marathon.", 0),  # reporting, not asserting
])
def test_forbidden_statements_are_negation_aware(text, hits):
    assert len(asserted(r"guarantee\w* a (faster|quicker) marathon|guaranteed marathon", text)) == hits


def test_citation_support_measure():
    quote = "Støren 2008 found running economy improved 5.0% after heavy half-squats."
    assert support_score(quote + " [1]", quote) == 1.0
    assert support_score("Heavy half-squats improved running economy 5.0% [1]", quote) == 1.0
    assert support_score("Plyometrics doubled marathon speed in elite women [1]", quote) < 0.3
    answer = {"answer": f"{quote} [1]\n\n- Heavy half-squats improved running economy 5.0% [1]\n- Bananas cure injuries forever [2]",
              "citations": [{"n": 1, "quote": quote}, {"n": 2, "quote": quote}]}
    scores = citation_support(answer)  # a sentence that is its own quote is not scored: it cannot fail
    assert scores[0] == 1.0 and scores[1] < 0.2 and len(scores) == 2


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


def test_held_out_cases_pass_the_gates(assistant):
    results, summary = run_eval(assistant, TEST)
    failed = check_gates(summary, load_gates(), "test")
    assert failed == [], "\n".join(failed)
    assert summary["citation_validity"] == 1.0


def test_dev_cases_pass_the_gates(real_run):
    results, summary = real_run
    failed = check_gates(summary, load_gates(), "dev")
    assert failed == [], "\n".join(failed)
    assert summary["forbidden_statements"] == 0 and summary["citation_validity"] == 1.0


def test_no_answer_promises_a_race_improvement(real_run):
    results, _ = real_run
    promise = r"(will|guarantee\w*|definitely|certainly) (make you |get you )?(run )?(a )?(faster|quicker|improve)\w* (marathon|race|time|pb)"
    for r in results:
        assert not asserted(promise, r.answer["answer"]), r.id
    race = [r for r in results if r.category in ("marathon-race", "race-performance") and not r.answer.get("refused")]
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
    _, summary = run_eval(broken, TEST)
    failed = check_gates(summary, load_gates(), "test")
    assert any(f.startswith("hit_at_5") for f in failed), failed
    # the type guides keep many leads right without retrieval, but the evidence under them goes: fewer messages
    # pass and fewer required facts appear (compared on the messages: claim checks match the ledger, not retrieval)
    messages = [c for c in TEST if "question" in c]
    _, lost = run_eval(broken, messages)
    _, real = run_eval(Assistant(built_settings, embedder=embedder, progress=lambda m: None), messages)
    assert lost["pass_rate"] < real["pass_rate"] and lost["fact_coverage"] < real["fact_coverage"]


def test_gates_file_gives_a_reason_for_every_gate():
    gates = load_gates()
    assert gates and all(g.get("why") for g in gates)
    assert {"pass_rate", "lead_answers", "article_framing", "verdict_accuracy", "citation_validity", "hit_at_5"} <= {
        g.get("metric") for g in gates}


def test_history_is_appended_and_plotted(tmp_path):
    from assistant.evaluation import append_history, read_history

    h = tmp_path / "history.jsonl"
    summary = {"cases": 3, "pass_rate": 0.5, "lead_answers": float("nan")}
    append_history(h, "test", summary, "grounded")
    append_history(h, "dev", summary, "grounded")
    h.write_text(h.read_text() + "{broken\n")
    rows = read_history(h)
    assert [r["split"] for r in rows] == ["test", "dev"] and rows[0]["lead_answers"] is None and rows[0]["date"]


def test_eval_cli_writes_report_and_compares(cli_env, tmp_path):
    sub = tmp_path / "cases.yaml"
    sub.write_text(json.dumps(CASES[:12]), encoding="utf-8")  # JSON is YAML
    out = tmp_path / "report"
    cmd = [sys.executable, "-m", "assistant", "eval", "--cases", str(sub), "--report", str(out), "--no-gates",
           "--history", str(tmp_path / "history.jsonl")]
    r = subprocess.run(cmd, capture_output=True, env=cli_env, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert "pass rate" in r.stdout.decode() and "lead answers" in r.stdout.decode()
    assert "\r" not in r.stderr.decode()  # progress in a log is plain lines, not carriage-return updates
    results = json.loads((out / "results.json").read_text())
    assert len(results["cases"]) == 12 and {"id", "passed", "failures", "metrics"} <= results["cases"][0].keys()
    assert (out / "pass_rate.png").stat().st_size > 1000 and (out / "latency.png").stat().st_size > 1000
    report = (out / "report.md").read_text()
    assert "## Failing cases" in report and "![pass_rate.png]" in report and "![history.png]" in report
    ragas = [json.loads(x) for x in (out / "ragas.jsonl").read_text().splitlines()]
    assert set(ragas[0]) >= {"question", "answer", "contexts", "ground_truth"}
    r2 = subprocess.run(cmd + ["--baseline", str(out / "results.json")], capture_output=True, env=cli_env, timeout=300)
    assert "0 better, 0 worse" in r2.stdout.decode()
    bad = subprocess.run([sys.executable, "-m", "assistant", "eval", "--cases", str(tmp_path / "nope.yaml")],
                         capture_output=True, env=cli_env, timeout=120)
    assert bad.returncode == 1 and "no such cases file" in bad.stderr.decode()


def test_a_passage_case_is_scored_on_the_caveats_its_checked_claims_show():
    from assistant.evaluation import run_case

    class Stub:
        def check_passage(self, passage):
            claim = {"question": passage, "answer": "x", "verdict": "mixed", "citations": [], "parts": [],
                     "caveats": [{"id": "muscle-gain", "text": "Some muscle."}]}
            return {"passage": passage, "claims": [claim, dict(claim)]}

    case = {"id": "passage-1", "category": "passage", "passage": "Heavy lifting adds no muscle at all.",
            "expect": {"caveats": ["muscle-gain", "injury-evidence"]}}
    r = run_case(Stub(), case, {})
    assert r.metrics["caveats_got"] == ["muscle-gain"]
    assert any("missing caveats ['injury-evidence']" in f for f in r.failures)
