"""The command line as a user runs it: real processes, real index."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from assistant.text import normalise
from test_retrieve_answer import SOURCES

CLI = [sys.executable, "-m", "assistant"]


def run(args, env, stdin: bytes | None = None, timeout=120):
    return subprocess.run(CLI + args, input=stdin, capture_output=True, env=env, timeout=timeout)


def test_ask_json_schema_and_verbatim_quotes(cli_env):
    r = run(["ask", "--json", "How heavy should I lift?"], cli_env)
    assert r.returncode == 0, r.stderr.decode()
    d = json.loads(r.stdout)
    assert set(d) >= {"question", "answer", "citations", "caveats", "refused", "verdict", "timings_ms"}
    assert d["refused"] is False and d["verdict"] is None
    assert re.search(r"three to six|3[–-]6|[1-6] ?RM|[2-6] reps or fewer|(85|90)% of", d["answer"])  # a load, stated
    assert {"eihara-2022", "storen-2008"} <= {c["source_id"] for c in d["citations"]}  # the studies behind the lead
    for c in d["citations"]:
        assert set(c) == {"n", "source_id", "title", "quote", "url"}
        assert normalise(c["quote"]) in normalise(SOURCES[c["source_id"]].text)


def test_ask_text_output_lists_sources(cli_env):
    r = run(["ask", "Will squats make my marathon faster?"], cli_env)
    out = r.stdout.decode()
    assert r.returncode == 0 and "Sources:" in out and "[1]" in out


def test_batch_with_bad_lines_keeps_going(cli_env):
    lines = b"\n".join([
        json.dumps({"id": "a", "question": "How heavy should I lift?"}).encode(),
        b"{not json",
        json.dumps({"id": "c", "question": "   "}).encode(),
        json.dumps({"id": "d"}).encode(),
        b'{"id": "e", "question": "caf\xff"}',
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps({"id": "g", "question": "How many sessions a week?"}).encode(),
        json.dumps({"id": "h", "claim": "lifting heavy makes runners bulky"}).encode(),
        b"",
    ])
    r = run(["batch", "-"], cli_env, stdin=lines)
    assert r.returncode == 0, r.stderr.decode()
    out = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c", "d", 5, 6, "g", "h"]
    good = {o["id"]: o for o in out if "error" not in o}
    assert set(good) == {"a", "g", "h"}
    assert good["a"]["citations"] and good["h"]["verdict"] == "not-supported"
    errors = {o["id"]: o["error"] for o in out if "error" in o}
    assert "invalid JSON" in errors[2] and "empty" in errors["c"] and "question" in errors["d"]
    assert "UTF-8" in errors[5] and "object" in errors[6]
    assert "Traceback" not in r.stderr.decode()


def test_batch_from_file_and_missing_file(cli_env, tmp_path):
    f = tmp_path / "qs.jsonl"
    f.write_text("\n".join(json.dumps({"id": i, "question": q}) for i, q in
                           enumerate(["How heavy should I lift?", "Does lifting prevent injuries?"])), encoding="utf-8")
    r = run(["batch", str(f)], cli_env)
    assert r.returncode == 0 and len(r.stdout.decode().splitlines()) == 2
    r = run(["batch", str(tmp_path / "nope.jsonl")], cli_env)
    assert r.returncode == 1
    err = r.stderr.decode()
    assert err.startswith("error:") and "no such file" in err and "Traceback" not in err


def test_errors_are_one_line_with_the_fix(cli_env, tmp_path):
    r = run(["ask", "   "], cli_env)
    assert r.returncode == 1 and r.stderr.decode().count("\n") == 1 and "empty" in r.stderr.decode()
    env = dict(cli_env, ASSISTANT_CORPUS_DIR=str(tmp_path / "missing"), ASSISTANT_DATA_DIR=str(tmp_path / "d"))
    r = run(["ingest"], env)
    assert r.returncode == 1 and "corpus folder not found" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_ingest_noop_reports_summary(cli_env):
    r = run(["ingest"], cli_env)
    assert r.returncode == 0
    assert re.search(r"index up to date: \d+ sources, \d+ chunks.*embedded 0 texts", r.stdout.decode())


def test_check_json(cli_env):
    r = run(["check", "--json", "lifting heavy won't make runners bulky"], cli_env)
    d = json.loads(r.stdout)
    assert d["verdict"] == "supported" and d["citations"]


def test_an_ingest_that_changes_the_index_also_embeds_the_guides_questions(cli_env, tmp_path):
    data = tmp_path / "fresh"
    r = run(["ingest"], dict(cli_env, ASSISTANT_DATA_DIR=str(data)))
    assert r.returncode == 0
    cached = {p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in (data / "cache").glob("*.npy")}
    assert {"question-types", "sentence-questions"} <= cached  # so the first question doesn't embed them
