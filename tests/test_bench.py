"""The benchmark runs end to end in --quick mode (timings are printed, never asserted)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks" / "bench.py"


def test_quick_benchmark_runs_and_prints_both_tables(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               GRADIO_ANALYTICS_ENABLED="False", TMPDIR=str(tmp_path))
    out_json = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out_json)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + "\n" + proc.stderr[-3000:]
    out = proc.stdout
    for header in ("figure", "target", "ours min/median/max", "baseline min/median/max", "ours/baseline", "met?",
                   "PERFORMANCE", "QUALITY", "eval pass rate", "hit@5"):
        assert header in out, f"{header!r} missing from:\n{out}"
    data = json.loads(out_json.read_text())
    keys = {f["key"] for f in data["figures"]}
    assert {"warm_p50", "cold_cli", "batch", "ingest_full", "app_http200"} <= keys
    assert set(data["quality"]) == {"ours", "baseline"}
    # nothing is left behind in the temporary directory, and the repo's .data is never touched
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("rsa-bench-")]
