"""The chat app over HTTP: launched in-process, driven with gradio_client (a fresh client per test)."""
from __future__ import annotations

import re
import socket
import statistics
import threading
import time

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant import feedback, ui
from assistant.settings import Settings

# gradio's queue trips pandas deprecation warnings on every request; they are not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning",
                                        "ignore:.*no_silent_downcasting", "ignore:The copy keyword")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_settings(built_settings, tmp_path_factory) -> Settings:
    """The built index's corpus, but a fresh data dir so the feedback log is this module's own."""
    return built_settings.with_(data_dir=tmp_path_factory.mktemp("ui-data"))


@pytest.fixture(scope="module")
def server(assistant, app_settings):
    demo = ui.build_app(assistant, settings=app_settings)
    port = free_port()
    demo.launch(prevent_thread_lock=True, server_port=port, server_name="127.0.0.1", quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture
def client(server) -> Client:
    return Client(server, verbose=False)


def text_of(message: dict) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def chat(client: Client, message: str, history=None):
    history, box = client.predict(message, history or [], api_name="/chat")
    assert box == ""  # the input box is cleared
    return history, text_of(history[-1])


# -- pure rendering helpers (no server) ------------------------------------------------------
def test_answer_pieces_stream_to_the_full_text():
    text = ("Lift heavy, 3–6 reps. [1]\n\n**Evidence**\n- Støren 2008 found 5% better economy. [2]\n"
            "- Two sessions a week is plenty. [3]")
    pieces = ui.answer_pieces(text)
    assert len(pieces) >= 3 and pieces[-1] == text
    assert all(b.startswith(a.rstrip()) for a, b in zip(pieces, pieces[1:]))


def test_render_and_split_round_trip():
    ans = {"answer": "Lift heavy. [1]", "citations": [
        {"n": 1, "source_id": "storen-2008", "title": "T <x>", "quote": "Q & A", "url": "https://e.org/?a=1&b=2"}],
        "caveats": [{"id": "c", "text": "Careful <now>"}], "notice": "Instructions are ignored", "verdict": "mixed"}
    meta = {"storen-2008": {"type": "study", "year": 2008, "design": "RCT, 8 weeks"}}
    out = ui.render_answer(ans, meta)
    assert "T &lt;x&gt;" in out and "Careful &lt;now&gt;" in out and "RCT, 8 weeks" in out
    assert 'data-verdict="mixed"' in out and "<details" in out
    text, sources = ui.split_message(out)
    assert text == "Lift heavy. [1]" and sources == ["storen-2008"]
    hist = ui.pipeline_history([{"role": "user", "content": [{"type": "text", "text": "a &lt;b&gt;"}]},
                                {"role": "assistant", "content": out}])
    assert hist == [{"role": "user", "content": "a <b>"}, {"role": "assistant", "content": "Lift heavy. [1]"}]


def test_build_app_is_cheap_and_side_effect_free(tmp_path):
    s = Settings(data_dir=tmp_path / "never-created")
    t = time.perf_counter()
    demo = ui.build_app(settings=s)
    assert time.perf_counter() - t < 5
    assert not demo.service.ready and demo.service._assistant is None
    assert not s.data_dir.exists()


def test_evidence_chart_and_rows():
    meta = {"a": {"type": "study", "authors": ["Støren Ø"], "year": 2008, "re_result": "improved",
                  "re_improvement_pct": 5.0, "title": "A", "population": "runners", "key_finding": "5% better"},
            "b": {"type": "study", "authors": ["Vikmoen O", "X", "Y"], "year": 2016, "re_result": "no-change",
                  "re_improvement_pct": None, "title": "B"}}
    fig = ui.economy_chart(meta)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "5%" in labels and "no change" in labels
    assert [r[1] for r in ui.evidence_rows(meta, "vikmoen")] == ["2016"]


# -- over HTTP -----------------------------------------------------------------------------------
def test_chat_answer_has_citations_and_sources(client):
    history, text = chat(client, "How heavy should I lift?")
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert re.search(r"\[\d+\]", text), text
    assert '<details class="rsa-source"' in text and "Open the source" in text
    _, race = chat(client, "Will heavy squats make my marathon faster?")
    assert "rsa-caveat" in race  # caveats render in their own box


def test_follow_up_uses_the_history(client):
    history, first = chat(client, "Will squats make my marathon faster?")
    assert "marathon evidence is limited" in first.lower()
    history, follow = chat(client, "And how often?", history)
    assert [m["role"] for m in history] == ["user", "assistant"] * 2
    assert re.search(r"\[\d+\]", follow) and "<details" in follow  # answered, with sources
    # the conversation's topic carries over: the marathon caveat applies to the follow-up too ...
    assert "marathon evidence is limited" in follow.lower()
    # ... which it does not for the same words asked cold
    _, alone = chat(client, "And how often?")
    assert "marathon evidence is limited" not in alone.lower()


def test_check_in_chat(client):
    _, text = chat(client, "Check: lifting heavy makes runners bulky")
    assert re.search(r'data-verdict="(supported|mixed|not-supported|no-evidence)"', text)
    assert "Verdict" in text


def test_claim_check_returns_verdict(client):
    badge, evidence = client.predict("Lifting heavy makes runners bulky", api_name="/check")
    verdict = re.search(r'data-verdict="([a-z-]+)"', badge).group(1)
    assert verdict in ui.VERDICTS
    assert "Evidence" in evidence and re.search(r"\[\d+\]", evidence) and "<details" in evidence


def test_claim_without_evidence(client):
    badge, evidence = client.predict("The moon is made of cheese", api_name="/check")
    assert 'data-verdict="no-evidence"' in badge


def test_feedback_vote_is_written_to_the_log(client, app_settings):
    before = len(feedback.read(app_settings.feedback_log))
    assert client.predict("How heavy should I lift?", "Lift heavy. [1]", ["storen-2008"], "up",
                          api_name="/feedback") == "recorded"
    with pytest.raises(AppError):
        client.predict("q", "a", [], "sideways", api_name="/feedback")
    records = feedback.read(app_settings.feedback_log)
    assert len(records) == before + 1
    assert records[-1]["vote"] == "up" and records[-1]["sources"] == ["storen-2008"]


@pytest.mark.parametrize("message, expected", [
    ("", "empty"), ("   \n\t ", "empty"), ("x" * 2500, "limit"), ("Check:   ", "claim"),
])
def test_bad_input_gives_a_clear_error_not_a_traceback(client, message, expected):
    with pytest.raises(AppError) as err:
        client.predict(message, [], api_name="/chat")
    msg = str(err.value)
    assert expected in msg.lower() and "Traceback" not in msg and "File \"" not in msg


def test_empty_claim_check_errors(client):
    with pytest.raises(AppError) as err:
        client.predict("", api_name="/check")
    assert "empty" in str(err.value).lower()


def test_user_html_is_escaped(client):
    history, _ = chat(client, "<script>window.__xss=1</script> <b>bold</b> how heavy should I lift?")
    user = text_of(history[0])
    assert "<script>" not in user and "&lt;script&gt;" in user and "&lt;b&gt;bold&lt;/b&gt;" in user


def test_search_sources_filters_rows(client):
    everything = client.predict("", api_name="/search_sources")
    marathon = client.predict("marathon", api_name="/search_sources")
    assert len(everything["data"]) >= 40
    assert 0 < len(marathon["data"]) < len(everything["data"])
    nothing = client.predict("zzzqqq", api_name="/search_sources")
    assert len(nothing["data"]) == 1 and "No sources match" in nothing["data"][0][0]


def test_concurrent_clients(server):
    """20 clients × 5 questions at once: no errors, and a p95 latency that keeps the app usable."""
    questions = ["How heavy should I lift?", "Will squats make my marathon faster?", "How many sessions a week?",
                 "Check: lifting heavy makes runners bulky", "Which exercises should runners do?"]
    latencies, errors = [], []
    lock = threading.Lock()

    def user(i: int):
        try:
            c = Client(server, verbose=False)
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(f"client {i}: {e!r}")
            return
        for q in questions:
            t = time.perf_counter()
            try:
                history, _ = c.predict(q, [], api_name="/chat")
                assert re.search(r"\[\d+\]", text_of(history[-1]))
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(f"client {i} {q!r}: {e!r}")
                continue
            with lock:
                latencies.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    wall = time.perf_counter() - t0
    assert not errors, errors[:5]
    assert len(latencies) == 100
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"\nconcurrency: 100 requests from 20 clients in {wall:.1f} s; "
          f"p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s")
    assert p95 < 30, f"p95 latency {p95:.1f} s"
    assert wall < 60, f"100 concurrent requests took {wall:.1f} s"
