"""Scale-out: the same ingest, answers and eval against a real Chroma server (`chroma run`)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.evaluation import check_gates, load_gates, load_split, run_eval
from assistant.index import IndexManager
from assistant.pipeline import Assistant

REPO = Path(__file__).resolve().parents[1]
CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMA.exists():
        pytest.skip("the `chroma` command (shipped with chromadb) is not installed")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "wb")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start: " + (path / "server.log").read_text(errors="replace")[-500:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server_settings(server, built_settings, tmp_path_factory):
    return built_settings.with_(chroma_url=server, data_dir=tmp_path_factory.mktemp("srvdata"))


def test_ingest_is_incremental_on_the_server(server_settings, embedder):
    mgr = IndexManager(server_settings, embedder=embedder)
    first = mgr.ingest()
    assert first.changed and first.chunks > 200
    again = mgr.ingest()
    assert not again.changed and again.embedded == 0
    chunks, sents, claims, man = mgr.open_current()
    assert chunks.count() == first.chunks and sents.count() == first.sentences


def test_answers_match_the_embedded_store(server_settings, assistant, embedder):
    remote = Assistant(server_settings, embedder=embedder, progress=lambda m: None)
    for q in ("How heavy should I lift?", "Will squats make my marathon faster?", "Does lifting make runners bulky?"):
        a, b = assistant.ask(q), remote.ask(q)
        assert [c.quote for c in a.citations] == [c.quote for c in b.citations]
        assert [c.id for c in a.caveats] == [c.id for c in b.caveats]
    assert remote.check("lifting heavy won't make runners bulky").verdict == "supported"


def test_eval_passes_its_gates_on_the_server(server_settings, embedder):
    remote = Assistant(server_settings, embedder=embedder, progress=lambda m: None)
    _, summary = run_eval(remote, load_split("test"))
    assert check_gates(summary, load_gates(), "test") == []


def test_cli_against_the_server(server_settings):
    env = dict(os.environ, ASSISTANT_CHROMA_URL=server_settings.chroma_url, ASSISTANT_DATA_DIR=str(server_settings.data_dir))
    r = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", "How many sessions a week?"],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["citations"]
    r = subprocess.run([sys.executable, "-m", "assistant", "doctor"], capture_output=True, env=env, timeout=120)
    assert r.returncode == 0 and "chroma server" in r.stdout.decode()


def test_unreachable_server_is_one_clear_line(tmp_path):
    env = dict(os.environ, ASSISTANT_CHROMA_URL=f"http://127.0.0.1:{free_port()}", ASSISTANT_DATA_DIR=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "assistant", "ask", "How heavy should I lift?"],
                       capture_output=True, env=env, timeout=120)
    err = r.stderr.decode()
    assert r.returncode == 1 and "cannot reach the Chroma server" in err and "Traceback" not in err
