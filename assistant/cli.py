"""Command line: ``strength-assistant ingest | ask | batch | plan``."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from . import __version__
from .errors import AssistantError


def _env_defaults(argv: list[str] | None = None) -> None:
    from .settings import offline_env

    offline_env()
    # One BLAS thread: answering runs many tiny matrix products, where a second thread only adds
    # hand-over cost (and thrashes when the cores are busy); ingest keeps the default.
    if (argv or sys.argv[1:])[:1] != ["ingest"]:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if not os.environ.get("ASSISTANT_DEBUG"):
        os.environ["RUST_BACKTRACE"] = "0"  # a damaged store is reported in one line, not a Rust backtrace


def _assistant(args):
    from .pipeline import Assistant
    from .settings import Settings

    return Assistant(Settings.from_env())


def cmd_ingest(args) -> int:
    from .index import IndexManager, tqdm_progress
    from .settings import Settings

    settings = Settings.from_env()
    mgr = IndexManager(settings)
    rep = mgr.ingest(rebuild=args.rebuild, progress=tqdm_progress())
    print(rep.summary())
    if rep.changed:  # embed the question-type prototypes and the guides' questions, and fit the type model, now
        from .pipeline import Assistant

        Assistant(settings, index=mgr, progress=lambda m: None).load()
    return 0


def format_answer(ans) -> str:
    out = [ans.answer]
    if ans.notice:
        out.insert(0, f"({ans.notice})\n")
    if ans.caveats:
        out.append("\nCaveats:")
        out += [f"  ! {c.text}" for c in ans.caveats]
    if ans.citations:
        out.append("\nSources:")
        for c in ans.citations:
            url = f" <{c.url}>" if c.url else ""
            out.append(f"  [{c.n}] {c.title} ({c.source_id}){url}\n      “{c.quote}”")
    return "\n".join(out)


def cmd_ask(args) -> int:
    a = _assistant(args)
    ans = a.ask(" ".join(args.question))
    print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=2) if args.json else format_answer(ans))
    return 0


def cmd_check(args) -> int:
    if args.passage is not None:
        return _check_passage(args)
    if not args.claim:
        raise AssistantError("give a claim to check, e.g. strength-assistant check \"lifting makes runners bulky\", "
                             "or --passage FILE")
    a = _assistant(args)
    ans = a.check(" ".join(args.claim))
    print(json.dumps(ans.to_dict(), ensure_ascii=False, indent=2) if args.json else format_answer(ans))
    return 0


def _check_passage(args) -> int:
    from .checker import format_passage

    if args.claim:
        raise AssistantError("give either a claim or --passage FILE, not both")
    path = args.passage
    try:
        raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError:
        raise AssistantError(f"{path}: cannot read the file — give a text file, or '-' for standard input") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AssistantError(f"{path}: not valid UTF-8 — save the passage as UTF-8 text") from None
    result = _assistant(args).check_passage(text)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else format_passage(result, format_answer))
    return 0


def _batch_lines(path: str):
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    with stream:
        for lineno, raw in enumerate(stream, start=1):
            yield lineno, raw


def cmd_batch(args) -> int:
    from .errors import InputError

    a = _assistant(args)
    if args.file != "-" and not os.path.isfile(args.file):
        raise AssistantError(f"{args.file}: no such file — give a JSON Lines file or '-' for standard input")
    failures = 0
    for lineno, raw in _batch_lines(args.file):
        if not raw.strip():
            continue
        rid = None
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"line {lineno}: not valid UTF-8") from None
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"line {lineno}: invalid JSON ({e.msg})") from None
            if not isinstance(item, dict):
                raise InputError(f"line {lineno}: expected a JSON object with 'id' and 'question'")
            rid = item.get("id", lineno)
            if "plan" in item:  # a strength plan (assistant/plan.py)
                print(json.dumps({"id": rid, **_batch_plan(a, item, lineno)}, ensure_ascii=False), flush=True)
                continue
            if "passage" in item:
                if "question" in item or "claim" in item:
                    raise InputError(f"line {lineno}: give one of 'question', 'claim' or 'passage'")
                print(json.dumps({"id": rid, **a.check_passage(item["passage"]).to_dict()}, ensure_ascii=False), flush=True)
                continue
            if ("question" in item) == ("claim" in item):
                raise InputError(f"line {lineno}: give exactly one of 'question' or 'claim'")
            history = item.get("history") or []
            if not isinstance(history, list):
                raise InputError(f"line {lineno}: 'history' must be a list of {{role, content}} objects")
            ans = a.ask(item["question"], history=history) if "question" in item else a.check(item["claim"])
            out = {"id": rid, **ans.to_dict()}
        except AssistantError as e:
            failures += 1
            out = {"id": rid if rid is not None else lineno, "error": str(e)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _batch_plan(a, item: dict, lineno: int) -> dict:
    from .errors import InputError
    from .plan import PlanRequest, make_plan

    if "question" in item or "claim" in item:
        raise InputError(f"line {lineno}: give one of 'question', 'claim' or 'plan'")
    return make_plan(a, PlanRequest.from_dict(item["plan"]))


PLAN_FORMATS = ("md", "csv", "ics")


def cmd_plan(args) -> int:
    from .errors import InputError
    from .plan import PlanRequest, make_plan
    from .plan_render import to_csv, to_ics, to_markdown

    if args.format not in PLAN_FORMATS:
        raise InputError(f"unknown format '{args.format}' — use --format md, csv or ics (or --json)")
    req = PlanRequest.parse(race=args.race, weeks=args.weeks, race_date=args.race_date, run_days=args.run_days,
                            long_run=args.long_run, hard_days=args.hard_days, experience=args.experience,
                            lifts=args.lift or [], equipment=args.equipment, pain=args.pain)
    plan = make_plan(_assistant(args), req)
    if args.json:
        print(json.dumps(plan, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write({"md": to_markdown, "csv": to_csv, "ics": to_ics}[args.format](plan))
    return 0


def cmd_eval(args) -> int:
    from pathlib import Path

    from .evaluation import (GATES_DEFAULT, SPLITS, append_history, check_gates, compare, load_cases, load_gates,
                             load_split, read_history, run_eval, split_files)
    from .index import tqdm_progress
    from .report import table, write_markdown, write_ragas, write_results

    if args.cases:
        case_files = [Path(p) for p in args.cases]
        groups = {"cases": load_cases(case_files)}
    else:
        case_files = split_files(args.split)
        names = SPLITS if args.split == "all" else (args.split,)
        groups = {n: load_split(n) for n in names}
    baseline = None
    if args.baseline:
        try:
            baseline = json.loads(Path(args.baseline).read_text(encoding="utf-8"))["cases"]
        except (OSError, ValueError, KeyError, TypeError):
            raise AssistantError(f"{args.baseline}: not a results.json from `strength-assistant eval` — pass one") from None
    gates = [] if args.no_gates else load_gates(Path(args.gates) if args.gates else GATES_DEFAULT)
    a = _assistant(args)
    results, summaries, gates_failed, cases = [], {}, [], []
    for name, group in groups.items():
        res, summaries[name] = run_eval(a, group, progress=None if args.json else tqdm_progress(f"evaluating {name}"))
        results += res
        cases += group
        gates_failed += [f"[{name}] {g}" for g in check_gates(summaries[name], gates, "test" if name == "cases" else name)]
    comparison = compare([r.to_dict() for r in results], baseline) if baseline is not None else None
    meta = {"composer": a.settings.llm or "grounded", "case_files": [str(p) for p in case_files],
            "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    history = []
    if args.history:
        for name in summaries:
            append_history(Path(args.history), name, summaries[name], meta["composer"])
        history = read_history(Path(args.history))
    out = Path(args.report)
    write_results(out / "results.json", results, summaries, gates_failed, meta)
    write_ragas(out / "ragas.jsonl", results, cases)
    report = write_markdown(out, results, summaries, gates_failed, comparison, meta, history)
    if args.json:
        print(json.dumps({"summaries": summaries, "gates_failed": gates_failed, "comparison": comparison}, indent=1,
                         default=str))
    else:
        print(table(summaries, gates_failed))
        if comparison:
            print(f"\nagainst baseline: {len(comparison['better'])} better, {len(comparison['worse'])} worse")
            for cid in comparison["worse"]:
                print(f"  worse: {cid}")
        print(f"\nwrote {out / 'results.json'}, {report}, {out / 'ragas.jsonl'}")
    return 1 if gates_failed else 0


def cmd_doctor(args) -> int:
    from .doctor import run_checks
    from .settings import Settings

    checks = run_checks(Settings.from_env())
    for c in checks:
        print(c.line())
    failed = [c for c in checks if c.status == "fail"]
    print("\nall checks passed" if not failed else f"\n{len(failed)} check(s) failed — see the fixes above")
    return 1 if failed else 0


def cmd_serve(args) -> int:
    from .ui import launch

    launch(host=args.host, port=args.port, share=args.share)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="strength-assistant",
                                description="Evidence-grounded answers about strength training for runners.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    s = sub.add_parser("ingest", help="build or update the search index from corpus/")
    s.add_argument("--rebuild", action="store_true", help="start over instead of updating incrementally")
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("ask", help="answer one question")
    s.add_argument("question", nargs="+", help="the question, e.g. \"How heavy should I lift?\"")
    s.add_argument("--json", action="store_true", help="print the answer as JSON")
    s.set_defaults(func=cmd_ask)
    s = sub.add_parser("check", help="check a claim against the evidence (verdict + evidence for and against)")
    s.add_argument("claim", nargs="*", help="the claim, e.g. \"lifting heavy makes runners bulky\"")
    s.add_argument("--passage", metavar="FILE", help="check every claim in a paragraph or article (a text file, or - for stdin)")
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("batch", help="answer JSON Lines ({id, question|claim, history?}) from FILE or stdin")
    s.add_argument("file", nargs="?", default="-", help="JSON Lines file, or - for standard input (default)")
    s.set_defaults(func=cmd_batch)
    s = sub.add_parser("plan", help="a personal strength plan around your running, every element cited or "
                                    "marked as convention")
    s.add_argument("--race", default="none", help="goal race: 5k, 10k, half, marathon, ultra or none (default)")
    s.add_argument("--weeks", help="weeks to go, race week included (or give --race-date)")
    s.add_argument("--race-date", help="race date, YYYY-MM-DD")
    s.add_argument("--run-days", help="the days you run, e.g. mon,tue,thu,sat")
    s.add_argument("--long-run", help="your long-run day (one of the run days), e.g. sat")
    s.add_argument("--hard-days", help="hard-session days, e.g. tue")
    s.add_argument("--experience", default="some", help="lifting experience: none, some (default) or regular")
    s.add_argument("--lift", action="append", metavar="LIFT", help="a recent set, e.g. \"squat 80kg x 5\" (repeatable)")
    s.add_argument("--equipment", default="gym", help="gym (default), dumbbells or none")
    s.add_argument("--pain", action="store_true", help="you have pain or an injury now: a conservative plan")
    s.add_argument("--json", action="store_true", help="print the plan as JSON")
    s.add_argument("--format", default="md", help="md (default), csv or ics")
    s.set_defaults(func=cmd_plan)
    s = sub.add_parser("eval", help="run the evaluation cases, print metrics, write a report; exit 1 if a gate fails")
    s.add_argument("--split", choices=("dev", "test", "all"), default="dev",
                   help="which cases: evals/dev (default), evals/test (held out: report only) or all, side by side")
    s.add_argument("--cases", nargs="+", metavar="FILE", help="case files (YAML or JSONL) instead of a split")
    s.add_argument("--history", metavar="FILE", help="append one line per split to this JSON Lines file "
                                                      "(make eval uses evals/history.jsonl) and plot it")
    s.add_argument("--report", default="reports/eval", metavar="DIR", help="output folder (default reports/eval)")
    s.add_argument("--baseline", metavar="RESULTS", help="a previous results.json: show cases that got better or worse")
    s.add_argument("--gates", metavar="FILE", help="gate thresholds (default evals/gates.yaml)")
    s.add_argument("--no-gates", action="store_true", help="report only, never fail")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("doctor", help="check model files, corpus, index health, Chroma server and LLM; print fixes")
    s.set_defaults(func=cmd_doctor)
    s = sub.add_parser("serve", help="start the chat app (Gradio) on 127.0.0.1:7860")
    s.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    s.add_argument("--share", action="store_true", help="also create a public Gradio share link")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    _env_defaults(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except AssistantError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
