"""Guards that keep the eval honest: eval inputs are not near-copies of ledger texts, and nothing on
the answer path (assistant/, corpus/, prompts/) reads eval files or quotes eval inputs."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from assistant.claims import load_ledger
from assistant.evaluation import case_input, load_split

REPO = Path(__file__).resolve().parents[1]
NEAR_COPY = 0.9
SHINGLE = 12  # words: a run this long shared with an eval input is a quote of it (shorter runs catch stock phrases)
# The eval runner itself must read the cases; nothing else under assistant/ may.
EVAL_RUNNER = {"evaluation.py", "evalmetrics.py", "report.py", "cli.py"}
_EVAL_PATH = re.compile(r"""\bevals?[/\\]|["']evals["']|EVALS_DIR|history\.jsonl|first-set|realistic-""")


def eval_texts(history: bool = True) -> list[tuple[str, str]]:
    """(case id, text) for every eval question and claim (and, with ``history``, earlier user turns), both splits."""
    out = []
    for c in load_split("all"):
        if "passage" in c:
            continue  # a passage is a whole article or newsletter: its sentences are checked as claims elsewhere
        out.append((c["id"], case_input(c)))
        if history:
            out += [(c["id"], str(t.get("content", ""))) for t in c.get("history") or [] if t.get("role") == "user"]
    return out


def near_copies(inputs: list[tuple[str, str]], ledger_texts: list[str], embed, threshold: float = NEAR_COPY):
    """Eval inputs whose embedding is at least ``threshold`` similar to a ledger text."""
    if not inputs or not ledger_texts:
        return []
    a = np.asarray(embed.embed_documents([t for _, t in inputs]))
    b = np.asarray(embed.embed_documents(ledger_texts))
    sims = a @ b.T
    return [(cid, text, ledger_texts[int(sims[i].argmax())], float(sims[i].max()))
            for i, (cid, text) in enumerate(inputs) if sims[i].max() >= threshold]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def shingles(text: str, n: int = SHINGLE) -> set[tuple[str, ...]]:
    w = _words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def quoted_inputs(files: list[Path], inputs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(file, case id) where a file shares an ``SHINGLE``-word run with an eval input.  Runs found in the
    article or the fact sheets don't count: eval messages and corpus notes may both quote their common sources."""
    common = shingles((REPO / "corpus" / "runners-lift-heavier.md").read_text(encoding="utf-8"))
    for sheet in sorted((REPO.parent / "shared" / "evidence").glob("*.md")):
        common |= shingles(sheet.read_text(encoding="utf-8"))
    by_shingle: dict[tuple, str] = {}
    for cid, text in inputs:
        for s in shingles(text) - common:
            by_shingle.setdefault(s, cid)
    hits = []
    for f in files:
        found = shingles(f.read_text(encoding="utf-8", errors="replace")) & by_shingle.keys()
        hits += sorted({(str(f.relative_to(REPO)) if f.is_relative_to(REPO) else str(f), by_shingle[s]) for s in found})
    return hits


def answer_path_files() -> list[Path]:
    files = [p for d in ("assistant", "corpus", "prompts") for p in (REPO / d).rglob("*")
             if p.is_file() and p.suffix in {".py", ".yaml", ".yml", ".md", ".txt", ".css", ".json"}]
    return [p for p in files if "__pycache__" not in p.parts]


@pytest.fixture(scope="module")
def ledger_texts() -> list[str]:
    return [t for c in load_ledger(REPO / "corpus") for t in c.texts]


def test_no_eval_input_is_a_near_copy_of_a_ledger_text(embedder, ledger_texts):
    copies = near_copies(eval_texts(history=False), ledger_texts, embedder)
    assert not copies, "\n".join(f"{cid}: {t!r} ~ {lt!r} ({s:.2f})" for cid, t, lt, s in copies)


def test_near_copy_guard_catches_a_planted_copy(embedder, ledger_texts):
    planted = [("planted-1", ledger_texts[0].replace(".", "!")), ("planted-2", "What should I eat before a 10k?")]
    found = near_copies(planted, ledger_texts, embedder)
    assert [f[0] for f in found] == ["planted-1"]


def test_answer_path_does_not_read_eval_files():
    offenders = [str(p.relative_to(REPO)) for p in answer_path_files()
                 if p.suffix == ".py" and p.name not in EVAL_RUNNER and _EVAL_PATH.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"these files refer to eval data: {offenders}"


def test_answer_path_does_not_quote_eval_inputs():
    hits = quoted_inputs(answer_path_files(), eval_texts())
    assert not hits, "answer-path files quote eval inputs:\n" + "\n".join(f"{f}: {cid}" for f, cid in hits)


def test_quote_guard_catches_a_planted_quote(tmp_path):
    inputs = eval_texts()
    cid, text = next((c, t) for c, t in inputs if len(_words(t)) >= 12)
    planted = tmp_path / "planted.yaml"
    planted.write_text("pattern: '" + " ".join(_words(text)[:SHINGLE + 2]) + "'\n", encoding="utf-8")
    clean = tmp_path / "clean.yaml"
    clean.write_text("pattern: 'how heavy'\n", encoding="utf-8")
    assert [h[1] for h in quoted_inputs([planted, clean], inputs)][:1] == [cid]
    assert quoted_inputs([clean], inputs) == []


def test_read_guard_catches_a_planted_reader(tmp_path):
    planted = "CASES = Path(__file__).parents[1] / 'evals' / 'test'\n"
    assert _EVAL_PATH.search(planted)
    assert not _EVAL_PATH.search("from .retrieve import HybridRetriever\n")
