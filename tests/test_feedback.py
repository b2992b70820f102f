"""The feedback log: one valid JSON line per vote, even with many concurrent writers."""
from __future__ import annotations

import json
import multiprocessing as mp
import threading
from datetime import datetime

import pytest

from assistant import feedback

LONG = "x" * 20_000  # longer than PIPE_BUF: interleaving would show if writes were not atomic


def _write_many(path: str, worker: int, n: int) -> None:
    for i in range(n):
        feedback.record(path, f"q{worker}-{i} “quoted” \n newline", LONG, [f"src-{worker}", "storen-2008"],
                        "up" if i % 2 else "down")


def _check_lines(path, expected: int) -> list[dict]:
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    assert lines[-1] == b"", "the log must end with a newline"
    records = [json.loads(line) for line in lines[:-1]]  # raises on a torn or interleaved line
    assert len(records) == expected
    for r in records:
        assert set(r) == {"question", "answer", "sources", "vote", "time"}
        assert r["vote"] in ("up", "down") and r["answer"] == LONG
        datetime.fromisoformat(r["time"])
    return records


def test_record_creates_folder_and_appends(tmp_path):
    log = tmp_path / "deep" / "er" / "feedback.jsonl"
    rec = feedback.record(log, "How heavy should I lift?", "Lift heavy. [1]", ["storen-2008"], "up")
    feedback.record(log, "q2", "a2", [], "down")
    got = feedback.read(log)
    assert got[0] == rec and got[0]["sources"] == ["storen-2008"] and got[1]["vote"] == "down"
    assert datetime.fromisoformat(rec["time"]).tzinfo is not None


def test_bad_vote_is_rejected(tmp_path):
    with pytest.raises(ValueError):
        feedback.record(tmp_path / "f.jsonl", "q", "a", [], "meh")
    assert not (tmp_path / "f.jsonl").exists()


def test_concurrent_threads_write_whole_lines(tmp_path):
    log = tmp_path / "feedback.jsonl"
    threads = [threading.Thread(target=_write_many, args=(str(log), w, 50)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = _check_lines(log, 400)
    assert sum(r["vote"] == "up" for r in records) == 200


def test_concurrent_processes_write_whole_lines(tmp_path):
    log = tmp_path / "feedback.jsonl"
    ctx = mp.get_context("spawn")  # no fork of a threaded test process
    procs = [ctx.Process(target=_write_many, args=(str(log), w, 50)) for w in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    records = _check_lines(log, 400)
    assert {r["question"].split("-")[0] for r in records} == {f"q{w}" for w in range(8)}
