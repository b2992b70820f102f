"""Thumbs up/down on answers, appended to a JSON Lines log.

Each vote is one line ``{question, answer, sources, vote, time}``.  Writers may be
threads of one server or several processes: every record is written with a single
``os.write`` of one complete line to a file opened with ``O_APPEND``, under an
exclusive ``flock``, so lines never interleave or tear.
"""
from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path

VOTES = ("up", "down")


def record(path, question: str, answer: str, sources, vote: str) -> dict:
    """Append one feedback record to ``path`` (folders created as needed) and return it."""
    if vote not in VOTES:
        raise ValueError(f"vote must be 'up' or 'down', got {vote!r}")
    entry = {
        "question": str(question or ""),
        "answer": str(answer or ""),
        "sources": [str(s) for s in (sources or [])],
        "vote": vote,
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    # ensure_ascii keeps the line free of raw newlines or odd separators in any text.
    line = (json.dumps(entry, ensure_ascii=True) + "\n").encode("ascii")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            written = os.write(fd, line)
            while written < len(line):  # a short write on a regular file is rare (disk full); finish the line
                written += os.write(fd, line[written:])
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    return entry


def read(path) -> list[dict]:
    """Every record in the log (an absent log is empty)."""
    path = Path(path)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
