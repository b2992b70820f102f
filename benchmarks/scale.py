#!/usr/bin/env python
"""Scale benchmark: what ingest and answers cost when the corpus is 1×, 10× and 50× its size.

    python benchmarks/scale.py [--scales 1,10,50] [--full] [--no-write] [--keep]      (also: make bench-scale)

The 10× and 50× corpora are SYNTHETIC: the real notes plus copies of every note under new ids
(``<id>-syn-NN``), titled "[SYNTHETIC scale-benchmark copy NN]" and marked ``synthetic: true``, with the
sentences of each paragraph shuffled (so chunks differ while every sentence is still real corpus text).
They are written to one temporary folder, with their own data folders, and removed at the end: the
real corpus and index are never read for writing.

At each scale it reports: ingest throughput (texts embedded per second, whole process, empty data folder),
no-op re-ingest time, answer p50 / p95 over a fixed list of questions (one process, loaded once, the
query-embedding cache emptied before each pass), one query embedding, cold one-shot ``ask``, peak RSS
(ingest and answering processes) and index size.  At 1× it also times ``ingest --rebuild`` against
sentence-transformers encoding the same texts in the same run (the issue's 0.75× target).

Time on 2 cores: embedding runs at roughly 100 texts/s, so a fresh 50× ingest (~80 000 texts) alone
takes over 10 minutes.  By default the 50× index is therefore built incrementally on top of the 10× one:
its synthetic sentences repeat real ones, so their vectors are reused, and the 50× ingest row measures
everything around the model (parsing, chunking, Chroma writes, manifest) — labelled "reused" in the table.
``--full`` builds 50× from an empty folder instead (about 25 minutes).

Writes benchmarks/scale.md (the table), benchmarks/scale.png (the plot), benchmarks/scale.json and the
table between the scale markers of benchmarks/README.md (``--no-write`` prints only).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from assistant.settings import OFFLINE_ENV  # noqa: E402

CORPUS_DIR = REPO / "corpus"
OUT_DIR = HERE.parent
COLD_QUESTION = "How heavy should I lift?"
# A fixed list of everyday questions (written for this benchmark, not taken from the eval cases).
QUESTIONS = [
    "How heavy should I lift?",
    "Will squats make my marathon faster?",
    "How many times a week should runners do strength training?",
    "Does lifting weights improve running economy?",
    "Will heavy lifting make me bulky?",
    "Can strength training prevent running injuries?",
    "Should I do plyometrics as well as heavy lifting?",
    "How many reps and sets should a runner do?",
    "Should I stop lifting before a race?",
    "Is strength training useful for beginners?",
    "Which exercises are best for distance runners?",
    "Does strength training help older runners?",
    "Do light weights with many reps work for runners?",
    "How long until strength training improves my running?",
    "Should I lift on the same day as a hard run?",
    "Does strength work help at faster running paces?",
    "Can lifting help me run better late in a long race?",
    "What does the research say about calf raises for runners?",
    "Is there evidence that strength training improves 5 km times?",
    "Do women runners benefit from lifting heavy?",
    "How should I start strength training as a runner?",
    "Does lifting help the Achilles tendon?",
    "What is running economy?",
    "How much does strength training improve running economy?",
]


# ============================================================================ helpers
def say(msg: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sub_env(**extra) -> dict:
    """Offline, no inherited ASSISTANT_* settings, one BLAS thread for answering (as the app runs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(OFFLINE_ENV)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_measured(cmd: list[str], env: dict, timeout: float = 3600) -> tuple[float, float, str]:
    """Run to completion: (wall seconds, peak RSS MB of that process, stdout).  Non-zero exit raises."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    dt = time.perf_counter() - t
    # communicate() reaped the child; its peak RSS is in the children's rusage only as a running maximum,
    # so each measured process reports its own VmHWM instead when it can (see --worker); fall back here.
    if proc.returncode != 0:
        tail = "\n".join((err or out or "").strip().splitlines()[-8:])
        raise RuntimeError(f"{' '.join(map(str, cmd[1:4]))}… exited {proc.returncode}: {tail}")
    m = re.search(r"^PEAK_RSS_MB=([\d.]+)$", err or "", re.M)
    return dt, float(m.group(1)) if m else float("nan"), out


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


# ============================================================================ synthetic corpora
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")


def _shuffle_paragraph(par: str, rng: random.Random) -> str:
    if par.lstrip().startswith(("#", "-", "*", "|", ">")) or "\n" in par.strip():
        return par
    sents = _SENT.split(par.strip())
    if len(sents) > 1:
        rng.shuffle(sents)
    return " ".join(sents)


def synthetic_note(path: Path, copy: int) -> tuple[str, str]:
    """(new id, text) of synthetic copy ``copy`` of one real note."""
    import yaml

    raw = path.read_text(encoding="utf-8")
    _, fm, body = re.split(r"^---[ \t]*$", raw, maxsplit=2, flags=re.M)
    meta = yaml.safe_load(fm)
    new_id = f"{meta['id']}-syn-{copy:02d}"
    meta["id"] = new_id
    meta["title"] = f"[SYNTHETIC scale-benchmark copy {copy:02d}] {meta.get('title', '')}"
    meta["synthetic"] = True
    rng = random.Random(f"{new_id}")  # deterministic
    body = "\n\n".join(_shuffle_paragraph(p, rng) for p in re.split(r"\n\s*\n", body))
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body.rstrip() + "\n"
    return new_id, text


def make_corpus(dest: Path, scale: int) -> int:
    """The real corpus (notes + ledger) plus scale-1 synthetic copies of every note; returns the note count."""
    shutil.copytree(CORPUS_DIR, dest)
    notes = sorted(CORPUS_DIR.glob("*.md"))
    for k in range(1, scale):
        for p in notes:
            new_id, text = synthetic_note(p, k)
            (dest / f"{new_id}.md").write_text(text, encoding="utf-8")
    return len(notes) * scale


# ============================================================================ workers
def worker(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="scale.py --worker")
    p.add_argument("kind", choices=["answers", "st-rate", "export"])
    p.add_argument("--data", type=Path)
    p.add_argument("--corpus", type=Path)
    p.add_argument("--models", type=Path)
    p.add_argument("--passes", type=int, default=2)
    p.add_argument("--paged", action="store_true", help="read collections in pages (a workaround, see PAGED_NOTE)")
    a = p.parse_args(argv)
    if a.paged:
        _page_get_all()
    from assistant.settings import Settings

    if a.kind == "export":  # the ONNX export, once, outside every timing
        from assistant.embed import onnx_path

        print(onnx_path(Settings().model_path, a.models))
    elif a.kind == "st-rate":  # sentence-transformers alone, encoding the texts an ingest embeds
        from assistant.claims import load_ledger
        from assistant.corpus import load_corpus
        from assistant.embed import SentenceTransformerEmbedder
        from assistant.index import build_claim_units, build_units

        s = Settings(corpus_dir=a.corpus)
        sources = load_corpus(s.corpus_dir)
        _, sentences = build_units(sources, s.chunk_chars)
        units = sentences + build_claim_units(load_ledger(s.corpus_dir, {x.id for x in sources}))
        texts = [u.embed_text for u in units]
        st = SentenceTransformerEmbedder(s.model_path)
        st.embed_documents(texts[:64])  # warm-up
        t = time.perf_counter()
        st.embed_documents(texts)
        dt = time.perf_counter() - t
        print(json.dumps({"texts": len(texts), "seconds": dt, "rate": len(texts) / dt}))
    else:  # answers: load once, then every question per pass, each timed alone
        from assistant.pipeline import Assistant

        t = time.perf_counter()
        asst = Assistant(Settings(data_dir=a.data, corpus_dir=a.corpus), auto_ingest=False, progress=lambda m: None)
        asst.load()
        load_s = time.perf_counter() - t
        for q in QUESTIONS[:3]:
            asst.ask(q)  # warm-up
        lat, emb = [], []
        for _ in range(a.passes):
            asst.encoder._cache.clear()  # the uncached path: every question embedded again
            for q in QUESTIONS:
                t = time.perf_counter()
                asst.ask(q)
                lat.append((time.perf_counter() - t) * 1000)
        embedder = asst.index.embedder
        for q in QUESTIONS:
            t = time.perf_counter()
            embedder.embed_query(q)
            emb.append((time.perf_counter() - t) * 1000)
        print(json.dumps({"load_s": load_s, "answers_ms": lat, "p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95),
                          "embed_ms": statistics.median(emb)}))
    print(f"PEAK_RSS_MB={peak_rss_mb():.1f}", file=sys.stderr)
    return 0


PAGED_NOTE = ("the index could not be opened ({error}); the answer figures at this scale were measured with "
              "the collections read in pages of {page} (a workaround applied inside this benchmark only)")
PAGE = 5000


def _page_get_all() -> None:
    """Read Chroma collections in pages instead of one get(): one get() of a very large collection fails with
    "too many SQL variables".  Used only when the product's own read has failed at this scale."""
    import numpy as np

    from assistant.store import ChromaStore

    def get_all(self, with_embeddings: bool = False):
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        ids, docs, metas, embs = [], [], [], []
        for off in range(0, self.col.count(), PAGE):
            got = self.col.get(include=include, limit=PAGE, offset=off)
            ids += got["ids"]
            docs += got["documents"]
            metas += got["metadatas"]
            if with_embeddings:
                embs.append(np.asarray(got["embeddings"], dtype=np.float32))
        return ids, docs, metas, (np.concatenate(embs) if with_embeddings and embs else None)

    ChromaStore.get_all = get_all


def worker_cmd(kind: str, *args) -> list[str]:
    return [sys.executable, str(HERE), "--worker", kind, *map(str, args)]


INGEST_PROBE = ("import runpy, sys, atexit\n"
                "from pathlib import Path\n"
                "def _rss():\n"
                "    for l in Path('/proc/self/status').read_text().splitlines():\n"
                "        if l.startswith('VmHWM:'): print(f'PEAK_RSS_MB={int(l.split()[1]) * 1024 / 1e6:.1f}', file=sys.stderr)\n"
                "atexit.register(_rss)\n"
                "sys.argv = ['strength-assistant'] + sys.argv[1:]\n"
                "from assistant.cli import main\n"
                "sys.exit(main())\n")


def cli(*args) -> list[str]:
    """`strength-assistant ARGS` in a fresh interpreter that reports its own peak RSS at exit."""
    return [sys.executable, "-c", INGEST_PROBE, *args]


# ============================================================================ the run
class Scale:
    def __init__(self, tmp: Path, full: bool, pairs: int = 2):
        self.tmp, self.full, self.pairs = tmp, full, pairs
        self.models = tmp / "models"
        self.rows: dict[int, dict] = {}
        self.notes: list[str] = []

    def data_dir(self, name: str) -> Path:
        d = self.tmp / name
        d.mkdir()
        (d / "models").symlink_to(self.models, target_is_directory=True)  # every data folder shares one ONNX export
        return d

    def prepare_model(self) -> None:
        """Seed the temporary model cache from the default one (the file name carries the weights' hash), else export."""
        from assistant.embed import default_cache_dir

        self.models.mkdir()
        for f in default_cache_dir().glob("all-MiniLM-L6-v2*"):
            if f.is_file():
                shutil.copy2(f, self.models / f.name)
        run_measured(worker_cmd("export", "--models", self.models), sub_env(), timeout=900)

    def ingest(self, data: Path, corpus: Path, *flags) -> dict:
        dt, rss, out = run_measured(cli("ingest", *flags), sub_env(ASSISTANT_DATA_DIR=data, ASSISTANT_CORPUS_DIR=corpus))
        m = re.search(r"(\d+) chunks, (\d+) sentences.*?embedded (\d+) texts in ([\d.]+) s", out, re.S)
        if not m:
            raise RuntimeError(f"unexpected ingest output: {out.strip()[-300:]}")
        return {"wall_s": dt, "rss_mb": rss, "chunks": int(m.group(1)), "sentences": int(m.group(2)),
                "embedded": int(m.group(3)), "inner_s": float(m.group(4))}

    def measure(self, scale: int, prev_data: Path | None) -> Path:
        row: dict = {"scale": scale}
        corpus = self.tmp / f"corpus-{scale}x"
        say(f"{scale}x: writing the corpus")
        row["notes"] = make_corpus(corpus, scale)
        reuse = scale == 50 and not self.full and prev_data is not None
        if reuse:
            data = self.tmp / f"data-{scale}x"
            shutil.copytree(prev_data, data, symlinks=True)
        else:
            data = self.data_dir(f"data-{scale}x")
        say(f"{scale}x: ingest ({'incremental on the previous index, vectors reused' if reuse else 'empty data folder'})")
        ing = self.ingest(data, corpus)
        row.update(ingest_wall_s=ing["wall_s"], ingest_rss_mb=ing["rss_mb"], chunks=ing["chunks"], sentences=ing["sentences"],
                   embedded=ing["embedded"], ingest_inner_s=ing["inner_s"], ingest_mode="reused" if reuse else "fresh")
        row["ingest_rate"] = ing["embedded"] / ing["wall_s"]
        row["indexed_rate"] = ing["sentences"] / ing["wall_s"]  # sentences in the index per second
        say(f"{scale}x: no-op re-ingest")
        noop = self.ingest(data, corpus)
        if noop["embedded"] != 0:
            self.notes.append(f"{scale}x: the no-op re-ingest embedded {noop['embedded']} texts")
        row["noop_s"] = noop["wall_s"]
        if scale == 1:
            # paired, in turn (rebuild, reference, rebuild, reference, …): on a shared machine only the ratio of
            # neighbouring runs is worth quoting
            say(f"1x: ingest --rebuild and sentence-transformers on the same texts, {self.pairs} pairs")
            pairs = []
            for _ in range(self.pairs):
                reb = self.ingest(data, corpus, "--rebuild")
                _, _, out = run_measured(worker_cmd("st-rate", "--corpus", corpus), sub_env())
                st = json.loads(out.strip().splitlines()[-1])["rate"]
                pairs.append((reb["embedded"] / reb["wall_s"], reb["embedded"] / reb["inner_s"], st))
            row["rebuild_rate"] = statistics.median(p[0] for p in pairs)
            row["rebuild_inner_rate"] = statistics.median(p[1] for p in pairs)
            row["st_rate"] = statistics.median(p[2] for p in pairs)
            row["rebuild_vs_st"] = statistics.median(p[0] / p[2] for p in pairs)
            row["rebuild_pairs"] = pairs
        say(f"{scale}x: answers")
        env = sub_env(ASSISTANT_DATA_DIR=data, OPENBLAS_NUM_THREADS=1)
        try:
            _, rss, out = run_measured(worker_cmd("answers", "--data", data, "--corpus", corpus), env)
        except RuntimeError as e:
            err = _error(e)
            say(f"{scale}x: answering failed ({err}); again with paged reads")
            self.notes.append(f"{scale}×: " + PAGED_NOTE.format(error=err, page=PAGE))
            row["paged"] = True
            _, rss, out = run_measured(worker_cmd("answers", "--data", data, "--corpus", corpus, "--paged"), env)
        ans = json.loads(out.strip().splitlines()[-1])
        row.update(answer_p50=ans["p50"], answer_p95=ans["p95"], embed_ms=ans["embed_ms"], load_s=ans["load_s"],
                   answer_rss_mb=rss)
        # measured now: a failed `ask` below may move a store it cannot read aside
        row["index_mb"] = dir_mb(data / "chroma") if (data / "chroma").exists() else dir_mb(data)
        if row.get("paged"):  # `ask` would hit the same read error, call the index damaged and rebuild it
            row["cold_ask_s"] = float("nan")
            self.notes.append(f"{scale}×: cold `ask` not run: it fails to read the index the same way, and its "
                              "recovery then moves the index aside as damaged and rebuilds it from scratch")
            self.rows[scale] = row
            return data
        say(f"{scale}x: cold ask")
        try:
            colds = [run_measured(cli("ask", COLD_QUESTION), sub_env(ASSISTANT_DATA_DIR=data, ASSISTANT_CORPUS_DIR=corpus))[0]
                     for _ in range(3)]
            row["cold_ask_s"] = statistics.median(colds)
        except RuntimeError as e:
            row["cold_ask_s"] = float("nan")
            self.notes.append(f"{scale}×: cold `ask` failed: {_error(e)}")
        self.rows[scale] = row
        say(f"{scale}x: {json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})}")
        return data


def _error(e: Exception) -> str:
    """The last line of a failed subprocess's message (the error itself), shortened."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    return (lines[-1] if lines else type(e).__name__).split(" — ")[0][:220]


# ============================================================================ report
COLUMNS = [
    ("scale", "corpus", lambda r: f"{r['scale']}×"),
    ("notes", "notes", lambda r: f"{r['notes']}"),
    ("chunks", "chunks / sentences", lambda r: f"{r['chunks']} / {r['sentences']}"),
    ("ingest", "ingest, empty folder: texts embedded/s (wall)",
     lambda r: f"{r['ingest_rate']:.0f} ({r['embedded']} in {r['ingest_wall_s']:.0f} s)" if r["ingest_mode"] == "fresh"
     else f"reused vectors: {r['embedded']} embedded, {r['sentences']} sentences indexed in "
          f"{r['ingest_wall_s']:.0f} s ({r['indexed_rate']:.0f}/s)"),
    ("noop", "no-op re-ingest (s)", lambda r: f"{r['noop_s']:.2f}"),
    ("p50", "answer p50 (ms)", lambda r: f"{r['answer_p50']:.1f}" + (" ¹" if r.get("paged") else "")),
    ("p95", "answer p95 (ms)", lambda r: f"{r['answer_p95']:.1f}"),
    ("embed", "one query embedding (ms)", lambda r: f"{r['embed_ms']:.1f}"),
    ("cold", "cold `ask` (s)", lambda r: "fails ²" if r["cold_ask_s"] != r["cold_ask_s"] else f"{r['cold_ask_s']:.2f}"),
    ("load", "answering process: load (s)", lambda r: f"{r['load_s']:.1f}"),
    ("rss", "peak RSS ingest / answering (MB)", lambda r: f"{r['ingest_rss_mb']:.0f} / {r['answer_rss_mb']:.0f}"),
    ("size", "index size (MB)", lambda r: f"{r['index_mb']:.0f}"),
]


def markdown(rows: list[dict], meta: dict, notes: list[str]) -> str:
    head = "| " + " | ".join(c[1] for c in COLUMNS) + " |"
    sep = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(c[2](r) for c in COLUMNS) + " |" for r in rows]
    out = [f"Measured {meta['started']} on {meta['cpus']} CPUs (python {meta['python']}), load average "
           f"{meta['load_before']} before / {meta['load_after']} after; {meta['seconds']:.0f} s in all.", "",
           head, sep, *body]
    one = next((r for r in rows if r["scale"] == 1 and "st_rate" in r), None)
    if one:
        out += ["", f"At 1×, `ingest --rebuild` embedded {one['rebuild_rate']:.0f} texts/s (whole process; "
                f"{one['rebuild_inner_rate']:.0f}/s inside ingest) while sentence-transformers alone encoded the same "
                f"texts at {one['st_rate']:.0f} texts/s, run in turn ({len(one['rebuild_pairs'])} pairs): "
                f"**{one['rebuild_vs_st']:.2f}×** (median of the pairs' ratios; target ≥ 0.75×)."]
    if any(r.get("paged") for r in rows):
        out += ["", "¹ measured with paged reads, see the notes. ² see the notes."]
    out += [""] + [f"- {n}" for n in notes] if notes else []
    return "\n".join(out) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["scale"] for r in rows]
    fig, ax = plt.subplots(2, 2, figsize=(10, 7), constrained_layout=True)
    fresh = [r for r in rows if r["ingest_mode"] == "fresh"]
    reused = [r for r in rows if r["ingest_mode"] != "fresh"]
    ax[0, 0].plot([r["scale"] for r in fresh], [r["ingest_rate"] for r in fresh], "o-", label="texts embedded/s, empty folder")
    ax[0, 0].plot([r["scale"] for r in fresh], [r["indexed_rate"] for r in fresh], "s--", label="sentences indexed/s")
    if reused:
        ax[0, 0].plot([r["scale"] for r in reused], [r["indexed_rate"] for r in reused], "D", color="grey",
                      label="sentences indexed/s, vectors reused")
    ax[0, 0].set(title="Ingest throughput", ylabel="per second (log)", yscale="log")
    ax[0, 0].legend(fontsize=8)
    ax[0, 1].plot(xs, [r["answer_p50"] for r in rows], "o-", label="p50")
    ax[0, 1].plot(xs, [r["answer_p95"] for r in rows], "s--", label="p95")
    ax[0, 1].set(title="Answer latency (warm)", ylabel="ms")
    ax[0, 1].legend(fontsize=8)
    ax[1, 0].plot(xs, [r["noop_s"] for r in rows], "o-", label="no-op re-ingest")
    ax[1, 0].plot(xs, [r["cold_ask_s"] for r in rows], "s--", label="cold ask")
    ax[1, 0].set(title="Start-up costs", ylabel="s")
    ax[1, 0].legend(fontsize=8)
    ax[1, 1].plot(xs, [r["answer_rss_mb"] for r in rows], "o-", label="peak RSS, answering")
    ax[1, 1].plot(xs, [r["ingest_rss_mb"] for r in rows], "^-", label="peak RSS, ingest")
    ax[1, 1].plot(xs, [r["index_mb"] for r in rows], "s--", label="index size")
    ax[1, 1].set(title="Memory and disk", ylabel="MB")
    ax[1, 1].legend(fontsize=8)
    for a in ax.flat:
        a.set_xscale("log")
        a.set_xticks(xs, [f"{x}×" for x in xs])
        a.set_xlabel("corpus size (synthetic multiples of the real corpus)")
        a.grid(alpha=0.3)
    fig.suptitle("runner-strength-assistant: cost against corpus size")
    fig.savefig(path, dpi=110)
    plt.close(fig)


BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"


def update_readme(table: str) -> None:
    readme = OUT_DIR / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{table}\n![cost against corpus size](scale.png)\n{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda m: block, text, flags=re.S)
    else:
        text = text.rstrip() + f"\n\n## Scale (`make bench-scale`)\n\n{block}\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker(argv[1:])
    p = argparse.ArgumentParser(description="Cost of ingest and answers at 1x, 10x and 50x the corpus (synthetic).")
    p.add_argument("--scales", default="1,10,50", help="comma-separated multiples (default 1,10,50)")
    p.add_argument("--full", action="store_true", help="build 50x from an empty folder too (about 25 minutes)")
    p.add_argument("--no-write", action="store_true", help="print the table; write nothing into benchmarks/")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--pairs", type=int, default=2, help="rebuild / sentence-transformers pairs at 1x (default 2)")
    args = p.parse_args(argv)
    try:
        scales = sorted({int(x) for x in args.scales.split(",") if x.strip()})
    except ValueError:
        p.error("--scales takes whole numbers, e.g. 1,10,50")
    if not scales or scales[0] < 1:
        p.error("--scales takes whole numbers of at least 1, e.g. 1,10,50")
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M"),
            "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    tmp = Path(tempfile.mkdtemp(prefix="rsa-scale-"))
    t0 = time.perf_counter()
    s = Scale(tmp, args.full, max(1, args.pairs))
    try:
        say(f"temporary folder {tmp}; the ONNX model")
        s.prepare_model()
        prev = None
        for k in scales:
            prev = s.measure(k, prev)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    meta["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    meta["seconds"] = time.perf_counter() - t0
    rows = [s.rows[k] for k in scales if k in s.rows]
    table = markdown(rows, meta, s.notes)
    print(table)
    if not args.no_write:
        (OUT_DIR / "scale.md").write_text("# Scale benchmark (`make bench-scale`)\n\n" + table, encoding="utf-8")
        (OUT_DIR / "scale.json").write_text(json.dumps({"meta": meta, "rows": rows, "notes": s.notes}, indent=1),
                                            encoding="utf-8")
        plot(rows, OUT_DIR / "scale.png")
        update_readme(table)
        say("wrote benchmarks/scale.md, scale.json, scale.png and the table in benchmarks/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
