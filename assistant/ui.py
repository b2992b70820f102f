"""The chat app: a Gradio Blocks UI over :class:`assistant.pipeline.Assistant`.

``build_app()`` is cheap and side-effect free: it only lays out components.  The
assistant (embedding model + search index) loads on the first request or in a
background thread started by ``launch()`` / the first page view, and the header
shows its progress ("Building the search index (first run, ~15 s)…").

Tabs: Chat (streamed, cited answers with caveats and collapsible sources; follow-ups;
"Check: …" runs a claim check; thumbs up/down go to the feedback log), Check a claim
(verdict badge + evidence for and against) and Evidence (searchable corpus table and
a running-economy chart).  API names: /chat, /check, /search_sources, /feedback.
"""
from __future__ import annotations

import html
import logging
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from . import feedback
from .errors import AssistantError
from .render import (TABLE_HEADERS, VERDICTS, _EXTRAS, _e, _friendly, _text, answer_pieces, caveats_html,  # noqa: F401
                     economy_chart, evidence_rows, pipeline_history, render_answer, sources_html, split_message,
                     verdict_badge)
from .settings import Settings, offline_env

if TYPE_CHECKING:  # imported lazily at run time: keeps `import app` light
    from .pipeline import Assistant

log = logging.getLogger(__name__)

APP_TITLE = "Runner Strength Assistant"
TAGLINE = ("Evidence-based answers about strength training for runners — every sentence cited "
           "to the article and the research behind it.")
FOOTER = ("Answers come only from the article <em>“Runners don't need to lift more. They need to lift heavier.”</em> "
          "and the research it draws on, with a citation for every sentence. It is not medical advice: with pain "
          "or an injury, see a clinician.")
EXAMPLES = ["How heavy should I lift?", "Will squats make my marathon faster?",
            "Check: lifting heavy makes runners bulky"]
CLAIM_EXAMPLES = ["Lifting heavy makes runners bulky", "Strength training improves running economy",
                  "Strength training prevents running injuries", "Two sessions a week is enough"]
STATUS_LOADING = "Loading the search index…"
STATUS_BUILDING = "Building the search index (first run, ~15 s)…"
CHECK_PREFIX = re.compile(r"^\s*check\s*:\s*", re.I)
# -- the assistant, loaded once in the background --------------------------------------
class Service:
    """Owns the (lazily loaded) Assistant, the corpus metadata and the load status."""

    def __init__(self, settings: Settings, assistant: "Assistant | None" = None):
        self.settings = settings
        self._assistant = assistant
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._ready = assistant is not None and assistant.loaded
        self.error: str | None = None
        self.status = "Ready" if self._ready else STATUS_LOADING
        self._meta: dict[str, dict] | None = None

    @property
    def ready(self) -> bool:
        return self._ready

    def _progress(self, msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)
        if "building" in msg.lower():
            self.status = STATUS_BUILDING

    def get(self) -> "Assistant":
        """The loaded assistant (builds the index on first use; blocks until ready)."""
        with self._lock:
            if self._assistant is None:
                from .pipeline import Assistant

                self._assistant = Assistant(self.settings, progress=self._progress)
        a = self._assistant
        if not self._ready:
            try:
                a.load()
            except AssistantError as e:
                self.error, self.status = str(e), f"The search index could not be loaded: {e}"
                raise
            except Exception as e:  # noqa: BLE001 — reported in the UI, logged with its traceback
                log.exception("loading the assistant failed")
                self.error = self.status = f"The search index could not be loaded ({type(e).__name__}); see the server log."
                raise AssistantError(self.error) from None
            self._ready, self.error, self.status = True, None, "Ready"
        return a

    def start_background(self) -> None:
        """Start loading in a daemon thread (once); progress shows in ``status``."""
        with self._lock:
            if self._ready or (self._thread is not None and self._thread.is_alive()):
                return
            self.error = None
            self._thread = threading.Thread(target=self._load_quietly, name="assistant-load", daemon=True)
            self._thread.start()

    def _load_quietly(self) -> None:
        try:
            self.get()
        except Exception:  # noqa: BLE001 — already recorded in self.error / status
            pass

    def source_meta(self) -> dict[str, dict]:
        """Front matter by source id (empty when the corpus cannot be read)."""
        if self._meta is None:
            from .corpus import load_corpus

            try:
                sources = load_corpus(self.settings.corpus_dir)
            except AssistantError as e:
                log.warning("corpus metadata unavailable: %s", e)
                return {}
            self._meta = {s.id: dict(s.meta, url=s.url) for s in sources}
        return self._meta


# -- rendering -----------------------------------------------------------------------
THEME = gr.themes.Soft(
    primary_hue="teal", secondary_hue="amber", neutral_hue="slate",
    font=["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
).set(
    button_primary_background_fill="*primary_600", button_primary_background_fill_hover="*primary_700",
    button_primary_text_color="white", button_primary_background_fill_dark="*primary_600",
)

CSS = (Path(__file__).parent / "data" / "app.css").read_text(encoding="utf-8")
CSS += (Path(__file__).parent / "data" / "plan.css").read_text(encoding="utf-8")  # the Plan tab

LOGO_SVG = ('<svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2.4" '
            'stroke-linecap="round" aria-hidden="true"><path d="M6.5 6.5v11M17.5 6.5v11M3 9.5v5M21 9.5v5M6.5 12h11"/></svg>')


# Gradio scopes `css` to the app's content; the page padding lives outside it, so it goes in <head>.
HEAD = ('<meta name="description" content="Evidence-based answers about strength training for runners, with citations.">'
        "<style>@media (max-width: 640px) { .gradio-container > .main { padding: 8px 8px 12px !important; } }</style>")


class AssistantBlocks(gr.Blocks):
    """gr.Blocks whose ``launch()`` applies the app's theme and CSS by default (Gradio 6
    takes theme/css at launch time), so ``demo.launch(...)`` in tests looks the same."""

    def launch(self, *args, **kwargs):
        kwargs.setdefault("theme", THEME)
        kwargs.setdefault("css", CSS)
        kwargs.setdefault("head", HEAD)
        return super().launch(*args, **kwargs)


def _status_html(service: Service) -> str:
    if service.error:
        dot, text = "bad", service.status
    elif service.ready:
        n = len(service.source_meta())
        dot, text = "", f"Ready · {n} sources" if n else "Ready"
    else:
        dot, text = "busy", service.status
    return f'<span class="rsa-pill"><span class="rsa-dot {dot}"></span>{_e(text)}</span>'


# -- the app ---------------------------------------------------------------------------
def build_app(assistant: "Assistant | None" = None, settings: Settings | None = None) -> gr.Blocks:
    """Lay out the app.  Cheap: nothing is loaded until the first request or page view."""
    settings = settings or (assistant.settings if assistant is not None else Settings.from_env())
    service = Service(settings, assistant)

    def validate(text) -> str:
        from .messages import clean_question

        try:
            return clean_question(text if isinstance(text, str) else "", settings.max_question_chars)
        except AssistantError as e:
            raise gr.Error(_e(_friendly(e)), title="Please check your question", print_exception=False) from None

    def run(fn, *args):
        try:
            return fn(service.get(), *args)
        except AssistantError as e:
            raise gr.Error(_e(_friendly(e)), print_exception=False) from None
        except Exception as e:  # noqa: BLE001 — never show a traceback to the user
            log.exception("answering failed")
            raise gr.Error(f"Sorry, something went wrong on our side ({type(e).__name__}). Please try again.") from None

    # ---- chat
    def chat(message: str, history: list):
        q = validate(message)
        claim = None
        if CHECK_PREFIX.match(q):
            claim = CHECK_PREFIX.sub("", q)
            if not claim.strip():
                raise gr.Error("Type the claim after “Check:”, e.g. “Check: lifting heavy makes runners bulky”.",
                               title="Please check your question", print_exception=False)
        prior = pipeline_history(history)
        shown = html.escape(message.strip())
        history = list(history or []) + [{"role": "user", "content": shown}]
        # Stream only what helps a reader.  With the index loaded and no LLM to wait for, the grounded answer
        # is ready in milliseconds: it arrives as one update (every extra update re-sends and re-renders the
        # chat, which under load costs more than the answer).  Otherwise a placeholder shows what is going on.
        if not service.ready or settings.llm:
            waiting = "Checking the claim against the evidence…" if claim else "Searching the evidence…"
            if not service.ready:
                service.start_background()
                waiting = service.status
            yield history + [{"role": "assistant", "content": f"_{waiting}_"}], ""
        try:
            ans = run(lambda a: a.check(claim) if claim is not None else a.ask(q, prior)).to_dict()
        except gr.Error as e:
            yield history + [{"role": "assistant", "content": f'<div class="rsa-error">{e.message}</div>'}], ""
            raise
        yield history + [{"role": "assistant", "content": render_answer(ans, service.source_meta())}], ""

    def chat_example(history: list, evt: gr.SelectData):
        value = evt.value.get("text") if isinstance(evt.value, dict) else evt.value
        yield from chat(str(value or ""), history)

    def on_like(history: list, data: gr.LikeData):
        liked = data.liked
        vote = "up" if liked is True or liked == "Like" else "down" if liked is False or liked == "Dislike" else None
        idx = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if vote is None or not isinstance(idx, int) or not (0 <= idx < len(history or [])):
            return
        answer, sources = split_message(_text(history[idx].get("content")))
        question = next((html.unescape(_text(t.get("content"))) for t in reversed(history[:idx])
                         if t.get("role") == "user"), "")
        feedback.record(settings.feedback_log, question, answer, sources, vote)
        gr.Info("Thanks — your feedback was recorded." if vote == "up" else "Thanks — we'll use this to improve.")

    def send_feedback(question: str, answer: str, sources: list[str], vote: str) -> str:
        """Record a thumbs up ("up") or down ("down") on an answer in the feedback log."""
        if vote not in feedback.VOTES:
            raise gr.Error("vote must be 'up' or 'down'", print_exception=False)
        feedback.record(settings.feedback_log, question, answer, sources or [], vote)
        return "recorded"

    # ---- claim check
    def check(claim: str):
        c = validate(CHECK_PREFIX.sub("", claim or ""))
        ans = run(lambda a: a.check(c)).to_dict()
        meta = service.source_meta()
        label = VERDICTS.get(ans.get("verdict") or "", ("", ""))[0]
        badge = (f'<div class="rsa-verdict-row">{verdict_badge(ans.get("verdict"))}'
                 f'<span class="rsa-muted">Claim: “{_e(c)}”</span></div>') if label else ""
        body = ans["answer"]
        if ans.get("notice"):
            body = f'<div class="rsa-notice">{_e(ans["notice"])}</div>\n\n{body}'
        extras = caveats_html(ans.get("caveats") or []) + sources_html(ans.get("citations") or [], meta)
        return badge, body + (f"{_EXTRAS}{extras}</div>" if extras else "")

    def check_passage(passage: str):
        """Every checkable claim of a paragraph or article: a summary table, then each claim's check."""
        text = passage if isinstance(passage, str) else ""
        if not text.strip():
            raise gr.Error("Paste a paragraph or an article to check.", title="Please check your passage",
                           print_exception=False)
        res = run(lambda a: a.check_passage(text)).to_dict()
        meta = service.source_meta()
        if not res["claims"]:
            return ('<p class="rsa-muted">No checkable claims found: paste sentences that state something about '
                    "strength training or running.</p>")
        rows = "".join(f"<tr><td>{_e(r['claim'])}</td><td>{verdict_badge(r['verdict'])}</td>"
                       f"<td>{_e(r['key_evidence'])}</td></tr>" for r in res["summary"])
        table = ('<table class="rsa-passage-table" id="rsa-passage-table"><thead><tr><th>Claim</th><th>Verdict</th>'
                 f"<th>Key evidence</th></tr></thead><tbody>{rows}</tbody></table>")
        blocks = []
        for i, c in enumerate(res["claims"], 1):
            extras = caveats_html(c.get("caveats") or []) + sources_html(c.get("citations") or [], meta)
            blocks.append(f"<details><summary>{i}. {verdict_badge(c.get('verdict'))} “{_e(c['question'])}”</summary>\n\n"
                          f"{c['answer']}\n\n{extras}</details>")
        return f"{table}\n\n" + "\n\n".join(blocks)

    # ---- evidence
    def search_sources(query: str):
        rows = evidence_rows(service.source_meta(), query)
        return rows or [["No sources match — try another word (e.g. marathon, injury, plyometrics).", "", "", "", "", ""]]

    chart_cache: list = []

    def init_page():
        meta = service.source_meta()
        if not chart_cache and meta:
            chart_cache.append(economy_chart(meta))  # drawn once per process
        return evidence_rows(meta), (chart_cache[0] if chart_cache else economy_chart(meta))

    def warm_up():
        service.start_background()
        return _status_html(service), gr.Timer(active=not service.ready)

    def poll_status():
        done = service.ready or bool(service.error)
        return _status_html(service), gr.Timer(active=not done)

    with AssistantBlocks(title=APP_TITLE, analytics_enabled=False) as demo:
        with gr.Row(elem_id="rsa-top", equal_height=True):
            gr.HTML(f'<div id="rsa-header"><h1><span class="rsa-logo">{LOGO_SVG}</span>{_e(APP_TITLE)}</h1>'
                    f"<p>{_e(TAGLINE)}</p></div>", elem_id="rsa-header-block", scale=5, min_width=330)
            status = gr.HTML(_status_html(service), elem_id="rsa-status", scale=1, min_width=220)
        timer = gr.Timer(1.0, active=False)

        with gr.Tabs(elem_id="rsa-tabs"):
            with gr.Tab("Chat", id="chat"):
                chatbot = gr.Chatbot(
                    elem_id="rsa-chat", show_label=False, height=580, layout="bubble", autoscroll=True,
                    buttons=[], feedback_options=("Like", "Dislike"),
                    placeholder=("### Ask about strength training for running\n"
                                 "How heavy, how often, which lifts — and what the research really shows. "
                                 "Start a message with **Check:** to test a claim."),
                    examples=[{"text": t} for t in EXAMPLES], latex_delimiters=[],
                )
                box = gr.Textbox(placeholder="Ask a question, or “Check: <claim>”…", show_label=False,
                                 lines=1, max_lines=6, submit_btn="Ask", elem_id="rsa-input", autofocus=True)
                gr.HTML("<div class='rsa-tip'>Follow-ups like “and how often?” build on your previous question. "
                        "Rate each answer with the thumbs below it — it helps us improve.</div>")

            with gr.Tab("Check a claim", id="check"):
                gr.Markdown("Paste a claim you have heard — the assistant weighs it against the research and shows "
                            "the evidence for and against.")
                with gr.Row(equal_height=True):
                    claim_box = gr.Textbox(placeholder="e.g. Lifting heavy makes runners bulky", show_label=False,
                                           scale=6, min_width=240, elem_id="rsa-claim", submit_btn=False)
                    check_btn = gr.Button("Check the claim", variant="primary", scale=1, min_width=170,
                                          elem_id="rsa-check-btn")
                gr.Examples(CLAIM_EXAMPLES, inputs=claim_box, label="Try a claim")
                verdict = gr.HTML("", elem_id="rsa-verdict")
                evidence = gr.Markdown("", elem_id="rsa-evidence", latex_delimiters=[])
                with gr.Accordion("Check a whole passage (a paragraph or an article)", open=False,
                                  elem_id="rsa-passage"):
                    passage_box = gr.Textbox(placeholder="Paste a paragraph or an article: every checkable claim in it "
                                                         "gets its own verdict.", show_label=False, lines=6,
                                             max_lines=30, elem_id="rsa-passage-text")
                    passage_btn = gr.Button("Check the passage", variant="primary", elem_id="rsa-passage-btn")
                    passage_out = gr.Markdown("", elem_id="rsa-passage-result", latex_delimiters=[])

            with gr.Tab("Evidence", id="evidence"):
                gr.Markdown("Every source the assistant can cite: the article, the studies behind it and two evidence "
                            "reviews. The chart shows how each study's running economy changed.")
                chart = gr.Plot(show_label=False, elem_id="rsa-chart", format="png")
                gr.Markdown("<span class='rsa-muted'>Studies reporting an improvement without a single % figure "
                            "(several meta-analyses and reviews) are listed in the table below.</span>")
                search = gr.Textbox(placeholder="Search sources: author, year, design, topic…", show_label=False,
                                    elem_id="rsa-search")
                table = gr.Dataframe(headers=TABLE_HEADERS, datatype=["markdown", "str", "str", "str", "str", "markdown"],
                                     interactive=False, wrap=True, max_height=560, elem_id="rsa-table",
                                     column_widths=["24%", "7%", "15%", "17%", "29%", "8%"], show_label=False)

            with gr.Tab("Plan", id="plan"):
                plan_tab(service)

        gr.HTML(f'<div id="rsa-footer">{FOOTER}</div>')

        # ---- events
        box.submit(chat, [box, chatbot], [chatbot, box], api_name="chat", concurrency_limit=16,
                   show_progress="minimal")
        chatbot.example_select(chat_example, [chatbot], [chatbot, box], api_visibility="private",
                               concurrency_limit=16)
        chatbot.like(on_like, [chatbot], None, api_visibility="private", queue=False)
        check_btn.click(check, claim_box, [verdict, evidence], api_name="check", concurrency_limit=16)
        claim_box.submit(check, claim_box, [verdict, evidence], api_visibility="private", concurrency_limit=16)
        passage_btn.click(check_passage, passage_box, passage_out, api_name="check_passage", concurrency_limit=4)
        search.change(search_sources, search, table, api_name="search_sources", show_progress="hidden",
                      concurrency_limit=None)
        gr.api(send_feedback, api_name="feedback", concurrency_limit=None)
        demo.load(warm_up, None, [status, timer], api_visibility="private", queue=False)
        demo.load(init_page, None, [table, chart], api_visibility="private")
        timer.tick(poll_status, None, [status, timer], api_visibility="private", show_progress="hidden", queue=False)
    demo.service = service  # for tests and launch()
    return demo


# -- the Plan tab ------------------------------------------------------------------------
PLAN_FIELDS = {"run-days": "Run days", "long-run": "Long run", "hard-days": "Hard-session days", "weeks": "Weeks to go",
               "race-date": "race date", "race": "Goal race", "lift": "Recent lifts"}  # CLI flags in errors -> form labels
PLAN_DAYS = [("Mon", "mon"), ("Tue", "tue"), ("Wed", "wed"), ("Thu", "thu"), ("Fri", "fri"), ("Sat", "sat"), ("Sun", "sun")]


def plan_tab(service: Service) -> None:
    """The Plan tab: a form (errors shown right under it) and the plan with its downloads.  API name: /plan."""
    import tempfile

    from .errors import InputError
    from .plan import PlanRequest, make_plan
    from .plan_render import to_csv, to_html, to_ics, to_markdown

    gr.Markdown("A strength plan around your running: phases, weekly sessions, sets × reps and loads. Every element "
                "is either cited to the research or marked as convention.")
    with gr.Row(equal_height=False, elem_id="rsa-plan-row"):
        with gr.Column(scale=2, min_width=300, elem_id="rsa-plan-form"):
            with gr.Row():
                race = gr.Dropdown([("5k", "5k"), ("10k", "10k"), ("Half marathon", "half"), ("Marathon", "marathon"),
                                    ("Ultra", "ultra"), ("No race", "none")], value="10k", label="Goal race",
                                   elem_id="rsa-plan-race", min_width=140)
                weeks = gr.Number(value=12, precision=0, label="Weeks to go", elem_id="rsa-plan-weeks", min_width=110)
            race_date = gr.Textbox(label="…or race date (YYYY-MM-DD)", placeholder="optional", elem_id="rsa-plan-date")
            run_days = gr.CheckboxGroup(PLAN_DAYS, value=["tue", "thu", "sat"], label="Run days", elem_id="rsa-plan-run")
            with gr.Row():
                long_run = gr.Dropdown(PLAN_DAYS, value="sat", label="Long run", elem_id="rsa-plan-long", min_width=120)
                experience = gr.Dropdown([("New to lifting", "none"), ("Some", "some"), ("Lift regularly", "regular")],
                                         value="some", label="Lifting experience", elem_id="rsa-plan-exp", min_width=150)
            hard_days = gr.CheckboxGroup(PLAN_DAYS, label="Hard-session days (optional)", elem_id="rsa-plan-hard")
            equipment = gr.Radio([("Gym", "gym"), ("Dumbbells", "dumbbells"), ("None", "none")], value="gym",
                                 label="Equipment", elem_id="rsa-plan-equipment")
            lifts = gr.Textbox(label="Recent lifts (optional, one per line)", placeholder="squat 80kg x 5",
                               lines=2, elem_id="rsa-plan-lifts")
            pain = gr.Checkbox(label="I have pain or an injury now", elem_id="rsa-plan-pain")
            build = gr.Button("Build my plan", variant="primary", elem_id="rsa-plan-btn")
            error = gr.HTML("", elem_id="rsa-plan-error")
        with gr.Column(scale=3, min_width=320, elem_id="rsa-plan-out"):
            out = gr.HTML("<div class='rsa-muted rsa-plan-empty'>Fill in the form and press <b>Build my plan</b>.</div>",
                          elem_id="rsa-plan")
            files = gr.File(label="Download: Markdown, CSV, calendar (.ics)", file_count="multiple", visible=False,
                            elem_id="rsa-plan-files")

    last = gr.State("")  # the last plan shown: kept (marked out of date) when the form has an error

    def make(race_v, weeks_v, date_v, run_v, long_v, exp_v, hard_v, eq_v, lifts_v, pain_v, last_v):
        stale = (f"<div class='rsa-plan-stale'><div class='rsa-muted'>Your previous plan — fix the form to update it."
                 f"</div>{last_v}</div>") if last_v else gr.update()
        try:
            if isinstance(weeks_v, float) and weeks_v.is_integer():
                weeks_v = int(weeks_v)
            req = PlanRequest.parse(race=race_v, weeks=None if (date_v or "").strip() else weeks_v, race_date=date_v,
                                    run_days=run_v or [], long_run=long_v, hard_days=hard_v or [], experience=exp_v,
                                    lifts=lifts_v or "", equipment=eq_v, pain=bool(pain_v))
            plan = make_plan(service.get(), req)
        except AssistantError as e:
            kind = "Please check the form" if isinstance(e, InputError) else "The plan could not be built"
            msg = re.sub(r"--([a-z-]+)", lambda m: PLAN_FIELDS.get(m.group(1), m.group(0)), _friendly(e))
            return (f'<div class="rsa-error" role="alert"><span><b>{_e(kind)}:</b> {_e(msg)}</span></div>',
                    stale, gr.update(visible=False), last_v)
        except Exception as e:  # noqa: BLE001 — never a traceback in the page
            log.exception("building a plan failed")
            return (f'<div class="rsa-error" role="alert">Sorry, something went wrong on our side '
                    f'({_e(type(e).__name__)}). Please try again.</div>', stale, gr.update(visible=False), last_v)
        folder = Path(tempfile.mkdtemp(prefix="strength-plan-"))
        paths = []
        for name, render in (("strength-plan.md", to_markdown), ("strength-plan.csv", to_csv), ("strength-plan.ics", to_ics)):
            (folder / name).write_text(render(plan), encoding="utf-8")
            paths.append(str(folder / name))
        page = to_html(plan, service.source_meta())
        return "", page, gr.update(value=paths, visible=True), page

    build.click(make, [race, weeks, race_date, run_days, long_run, experience, hard_days, equipment, lifts, pain, last],
                [error, out, files, last], api_name="plan", concurrency_limit=16)


def launch(host: str = "127.0.0.1", port: int = 7860, share: bool = False, settings: Settings | None = None):
    """Serve the app; the index loads (or is built on first run) in the background with visible progress."""
    offline_env()
    demo = build_app(settings=settings)
    print(f"{APP_TITLE}: starting on http://{host}:{port} — loading the search index in the background "
          "(the first run builds it, ~15 s)…", file=sys.stderr, flush=True)
    demo.service.start_background()
    return demo.launch(server_name=host, server_port=port, share=share)
