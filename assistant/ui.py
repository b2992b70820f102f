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
import os
import re
import sys
import threading
import time
from typing import TYPE_CHECKING

import gradio as gr

from . import feedback
from .errors import AssistantError
from .settings import Settings

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
MAX_PIECES = 3
STREAM_DELAY = 0.01  # seconds between streamed pieces of an answer (a visible stream, not a slow one)
VERDICTS = {  # verdict -> (label, css class)
    "supported": ("Supported", "supported"),
    "mixed": ("Mixed evidence", "mixed"),
    "not-supported": ("Not supported", "not-supported"),
    "no-evidence": ("No evidence in my sources", "no-evidence"),
}
DESIGN_LABELS = {
    "rct": "Randomised controlled trial", "controlled-trial": "Controlled trial", "pre-post": "Pre–post study",
    "cohort": "Cohort study", "meta-analysis": "Meta-analysis", "systematic-review": "Systematic review",
    "narrative-review": "Narrative review", "position-stand": "Position stand", "infographic": "Infographic",
    "article": "The article", "review-summary": "Evidence review",
}
_EXTRAS = '\n\n<div class="rsa-extras">'
_NOTICE_RE = re.compile(r'^<div class="rsa-(notice|verdict)">.*?</div>\n\n', re.S)
_SOURCE_RE = re.compile(r'data-source="([^"]+)"')


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
def _e(text) -> str:
    return html.escape(str(text or ""), quote=True)


def design_label(meta: dict) -> str:
    """The study design as the front matter words it; "The article" / "Evidence review" for the others."""
    if meta.get("type") == "study" and meta.get("design"):
        return meta["design"]
    return DESIGN_LABELS.get(meta.get("type") if meta.get("type") in ("article", "review-summary")
                             else meta.get("design_class") or "", "")


def _surname(author: str) -> str:
    """"Støren Ø" -> "Støren", "van der Vlist AC" -> "van der Vlist"; an organisation -> its initials (ACSM)."""
    tokens = str(author).replace(",", " ").split()
    if len(tokens) >= 2 and tokens[-1].isupper() and len(tokens[-1]) <= 4:
        return " ".join(tokens[:-1])
    initials = "".join(t[0] for t in tokens if t[:1].isupper())
    return initials if len(tokens) > 2 and len(initials) >= 2 else " ".join(tokens)


def short_name(sid: str, meta: dict) -> str:
    """"Støren et al. 2008" from the first author's surname and the year, else the title."""
    authors = meta.get("authors") or []
    if authors and meta.get("year"):
        name = _surname(authors[0])
        if len(authors) == 2:
            name = f"{name} and {_surname(authors[1])}"
        elif len(authors) > 2:
            name = f"{name} et al."
        return f"{name} {meta['year']}"
    return meta.get("title") or sid


def verdict_badge(verdict: str | None) -> str:
    label, cls = VERDICTS.get(verdict or "", ("", ""))
    if not label:
        return ""
    return f'<span class="rsa-badge rsa-{cls}" data-verdict="{_e(verdict)}">{_e(label)}</span>'


def caveats_html(caveats: list[dict]) -> str:
    if not caveats:
        return ""
    if len(caveats) == 1:
        title, body = "Caveat", f"<p>{_e(caveats[0]['text'])}</p>"
    else:
        title, body = "Caveats", "<ul>" + "".join(f"<li>{_e(c['text'])}</li>" for c in caveats) + "</ul>"
    return f'<div class="rsa-caveat" role="note"><div class="rsa-caveat-title">{title}</div>{body}</div>'


def source_kind(meta: dict) -> str:
    """A short label for the kind of source: "Randomised controlled trial", "Meta-analysis", "The article"…"""
    kind = meta.get("type") if meta.get("type") in ("article", "review-summary") else meta.get("design_class")
    return DESIGN_LABELS.get(kind or "", "Source")


def sources_html(citations: list[dict], meta: dict[str, dict]) -> str:
    """Each citation as a collapsible <details>: a one-line summary (number, source, year, kind) and
    the full title, design, the quoted passage and a link inside."""
    if not citations:
        return ""
    rows = []
    for c in citations:
        m = meta.get(c["source_id"], {})
        kind = source_kind(m)
        if m.get("type") == "study":
            name = short_name(c["source_id"], m)
        else:
            name = kind
            kind = ""
        label = " · ".join(x for x in (kind, str(m.get("year") or "") if m.get("type") != "study" else "") if x)
        url = c.get("url") or m.get("url")
        if url:
            link = f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">Open the source ↗</a>'
        else:
            link = '<span class="rsa-muted">{}</span>'.format(
                "From the article itself" if m.get("type") == "article" else "A summary of the research in this collection")
        design = m.get("design") if m.get("type") == "study" else ""
        rows.append(
            f'<details class="rsa-source" data-source="{_e(c["source_id"])}">'
            f'<summary><span class="rsa-n">[{int(c["n"])}]</span> <span class="rsa-sname">{_e(name)}</span>'
            + (f'<span class="rsa-kind"> · {_e(label)}</span>' if label else "")
            + f'<span class="rsa-stitle">{_e(c["title"])}</span></summary>'
            + (f'<div class="rsa-design">{_e(design)}</div>' if design else "")
            + f'<blockquote>“{_e(c["quote"])}”</blockquote>'
            f'<div class="rsa-link">{link}</div></details>')
    return f'<div class="rsa-sources"><div class="rsa-sources-title">Sources</div>{"".join(rows)}</div>'


def render_answer(ans: dict, meta: dict[str, dict], body: str | None = None) -> str:
    """An answer as chat Markdown: notice/verdict, the answer text with [n] markers, then
    one HTML block (no blank lines inside) holding the caveats and the sources."""
    head = ""
    if ans.get("verdict"):
        head += f'<div class="rsa-verdict">{verdict_badge(ans["verdict"])}</div>\n\n'
    if ans.get("notice"):
        head += f'<div class="rsa-notice">{_e(ans["notice"])}</div>\n\n'
    text = ans["answer"] if body is None else body
    if body is not None:
        return head + text
    extras = caveats_html(ans.get("caveats") or []) + sources_html(ans.get("citations") or [], meta)
    # The extras block is always there on the final render (empty for a refusal): it marks the answer complete.
    return head + text + f"{_EXTRAS}{extras}</div>"


def answer_pieces(text: str) -> list[str]:
    """The answer cut into growing prefixes, a sentence or list item at a time."""
    parts = [p for p in re.split(r"(?<=\n)|(?<=[.!?]) (?=[A-Z“\"(])|(?<=\]) (?=[A-Z“\"(])", text) if p]
    out, acc = [], ""
    for p in parts:
        acc += p if (acc.endswith(("\n", " ")) or not acc) else " " + p
        out.append(acc)
    if out and out[-1] != text:
        out.append(text)
    if len(out) > MAX_PIECES:  # each streamed piece re-sends the chat: a few growing pieces read as a stream
        step = len(out) / MAX_PIECES
        out = [out[min(len(out) - 1, int(round((i + 1) * step)) - 1)] for i in range(MAX_PIECES)]
    return out or [text]


def split_message(content: str) -> tuple[str, list[str]]:
    """A rendered assistant message -> (the answer text, cited source ids)."""
    sources = list(dict.fromkeys(_SOURCE_RE.findall(content)))
    text = content.split(_EXTRAS, 1)[0]
    while (m := _NOTICE_RE.match(text)):
        text = text[m.end():]
    return text.strip(), sources


def _text(content) -> str:
    from .pipeline import message_text

    return message_text(content)


def pipeline_history(history: list) -> list[dict]:
    """Chatbot messages -> the assistant's history (plain text, user text un-escaped)."""
    out = []
    for turn in history or []:
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant"):
            continue
        text = _text(turn.get("content"))
        text = html.unescape(text) if turn["role"] == "user" else split_message(text)[0]
        if text.strip():
            out.append({"role": turn["role"], "content": text})
    return out


def _friendly(e: Exception) -> str:
    msg = str(e).strip() or "something went wrong"
    return msg[0].upper() + msg[1:]


# -- evidence tab ------------------------------------------------------------------------
TABLE_HEADERS = ["Source", "Year", "Design", "Population", "Key finding", "Link"]


def evidence_rows(meta: dict[str, dict], query: str = "") -> list[list]:
    words = [w for w in re.split(r"\s+", (query or "").lower()) if w]
    rows = []
    order = {"article": 0, "review-summary": 1}
    for sid, m in sorted(meta.items(), key=lambda kv: (order.get(kv[1].get("type"), 2), -(kv[1].get("year") or 0), kv[0])):
        title = m.get("title") or sid
        name = short_name(sid, m)
        source = f"**{name}** — {title}" if name != title else f"**{title}**"
        design = design_label(m)
        hay = " ".join(str(x) for x in (sid, title, name, m.get("year") or "", design, m.get("population") or "",
                                        m.get("key_finding") or "", m.get("intervention") or "",
                                        " ".join(m.get("tags") or []))).lower()
        if words and not all(w in hay for w in words):
            continue
        url = m.get("url")
        rows.append([source, str(m.get("year") or "—"), design, m.get("population") or "—",
                     m.get("key_finding") or "—", f"[Open ↗]({url})" if url else "—"])
    return rows


def economy_chart(meta: dict[str, dict]):
    """Running-economy change per study (matplotlib): improvement %, 'no change' at 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = []
    for sid, m in meta.items():
        res, pct = m.get("re_result"), m.get("re_improvement_pct")
        if res == "no-change":
            items.append((short_name(sid, m), 0.0, "no-change", False))
        elif isinstance(pct, (int, float)) and res in ("improved", "mixed"):
            items.append((short_name(sid, m), float(pct), res, bool(m.get("secondary"))))
    items.sort(key=lambda x: (x[1], x[0]))
    colours = {"improved": "#0d9488", "mixed": "#d97706", "no-change": "#94a3b8"}
    fig, ax = plt.subplots(figsize=(8, 0.34 * max(len(items), 4) + 1.3), dpi=110)
    if not items:
        ax.text(0.5, 0.5, "No running-economy results in the corpus", ha="center", va="center")
        ax.axis("off")
        return fig
    names = [i[0] for i in items]
    values = [i[1] for i in items]
    bars = ax.barh(names, [v if v else 0.12 for v in values], color=[colours[i[2]] for i in items], height=0.62)
    top = max(values + [1.0])
    for bar, (_, v, kind, secondary) in zip(bars, items):
        label = "no change" if kind == "no-change" else f"{v:g}%" + (" (mixed)" if kind == "mixed" else "")
        if secondary:
            label += " [secondary source]"  # the figure comes from another paper's summary
        ax.text(bar.get_width() + top * 0.015, bar.get_y() + bar.get_height() / 2, label, va="center",
                fontsize=9, color="#334155" if kind != "no-change" else "#64748b",
                fontstyle="italic" if kind == "no-change" else "normal")
    ax.set_xlim(0, top * 1.45)
    ax.set_xlabel("Running-economy improvement (%)")
    ax.set_title("Evidence at a glance: running-economy change per study", loc="left", fontsize=11, pad=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e2e8f0", linewidth=0.8)
    ax.set_axisbelow(True)
    from matplotlib.patches import Patch

    kinds = [k for k in ("improved", "mixed", "no-change") if any(i[2] == k for i in items)]
    ax.legend(handles=[Patch(color=colours[k], label=k.replace("-", " ")) for k in kinds], loc="lower right",
              frameon=False, fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


# -- styling ---------------------------------------------------------------------------
THEME = gr.themes.Soft(
    primary_hue="teal", secondary_hue="amber", neutral_hue="slate",
    font=["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
).set(
    button_primary_background_fill="*primary_600", button_primary_background_fill_hover="*primary_700",
    button_primary_text_color="white", button_primary_background_fill_dark="*primary_600",
)

CSS = """
.gradio-container { max-width: 1080px !important; margin: 0 auto !important; }
#rsa-top { align-items: center; flex-wrap: wrap; }
#rsa-header-block { flex: 5 1 330px !important; }
#rsa-status { flex: 1 0 auto !important; width: auto !important; min-width: 0 !important; }
#rsa-header { padding: 14px 2px 2px; }
#rsa-header h1 { font-size: 1.75rem; margin: 0; line-height: 1.2; display: flex; align-items: center; gap: .5em;
  letter-spacing: -.01em; }
#rsa-header .rsa-logo { display: inline-flex; flex: none; width: 2.3rem; height: 2.3rem; border-radius: 12px;
  align-items: center; justify-content: center; background: linear-gradient(135deg, #0f766e, #14b8a6); color: #fff;
  box-shadow: 0 2px 8px rgba(13, 148, 136, .35); }
#rsa-header p { margin: .4em 0 0; color: var(--body-text-color-subdued); font-size: 1rem; max-width: none; }
#rsa-status { display: flex; justify-content: flex-end; }
.rsa-pill { display: inline-flex; align-items: center; gap: .45em; padding: .25em .8em; border-radius: 999px;
  font-size: .82rem; background: var(--background-fill-primary); border: 1px solid var(--border-color-primary);
  color: var(--body-text-color-subdued); white-space: nowrap; }
.rsa-dot { width: .55em; height: .55em; border-radius: 50%; background: #16a34a; display: inline-block; }
.rsa-dot.busy { background: #d97706; animation: rsa-pulse 1s infinite alternate; }
.rsa-dot.bad { background: #dc2626; }
@keyframes rsa-pulse { from { opacity: .35; } to { opacity: 1; } }
#rsa-chat .placeholder { text-align: center; }
#rsa-chat .message-wrap { padding-right: 26px; }
#rsa-chat .examples { gap: 10px; }
#rsa-chat .example { border: 1px solid var(--border-color-primary) !important; border-radius: 12px !important;
  background: var(--background-fill-secondary) !important; padding: 12px 14px !important; transition: border-color .15s; }
#rsa-chat .example:hover { border-color: #14b8a6 !important; }
.rsa-tip { font-size: .85rem; color: var(--body-text-color-subdued); padding: 0 4px; }
.rsa-caveat { background: #fffbeb; border: 1px solid #fcd34d; border-left: 4px solid #f59e0b; border-radius: 10px;
  padding: .6em .9em; margin: 1em 0 .7em; color: #78350f; }
.rsa-caveat-title { font-weight: 700; margin-bottom: .25em; display: flex; align-items: center; gap: .45em; }
.rsa-caveat-title::before { content: "!"; display: inline-flex; align-items: center; justify-content: center;
  width: 1.2em; height: 1.2em; border-radius: 50%; background: #f59e0b; color: #fff; font-size: .85em; font-weight: 800; }
.rsa-caveat ul { margin: 0 !important; padding-left: 1.1em !important; list-style: disc; }
.rsa-caveat p { margin: 0 !important; }
.rsa-caveat li { margin: .2em 0 !important; }
.rsa-notice, .rsa-error { border-radius: 10px; padding: .5em .85em; display: flex; gap: .5em; align-items: baseline; }
.rsa-notice { background: #eff6ff; border: 1px solid #bfdbfe; color: #1e3a8a; }
.rsa-notice::before { content: "i"; font-weight: 800; font-style: italic; font-family: Georgia, serif; }
.rsa-error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; }
.rsa-sources { margin-top: .7em; }
.rsa-sources-title { font-weight: 700; font-size: .75rem; text-transform: uppercase; letter-spacing: .08em;
  color: var(--body-text-color-subdued); margin: .4em 0 .35em; }
details.rsa-source { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .5em .8em;
  margin: .4em 0; background: var(--background-fill-primary); transition: border-color .15s; }
details.rsa-source:hover, details.rsa-source[open] { border-color: #5eead4; }
details.rsa-source summary { cursor: pointer; font-weight: 600; line-height: 1.35; }
details.rsa-source .rsa-n { color: #0f766e; font-weight: 700; margin-right: .15em; }
details.rsa-source .rsa-kind { font-weight: 400; color: var(--body-text-color-subdued); }
details.rsa-source .rsa-stitle { display: block; font-weight: 400; font-size: .88em; color: var(--body-text-color-subdued);
  margin: .1em 0 0 1.1em; display: -webkit-box; -webkit-line-clamp: 1; -webkit-box-orient: vertical; overflow: hidden; }
details.rsa-source[open] .rsa-stitle { -webkit-line-clamp: unset; color: var(--body-text-color); font-weight: 600; }
.rsa-extras { overflow-wrap: anywhere; }
#rsa-chat .message-row, #rsa-chat .flex-wrap, #rsa-chat .message { min-width: 0; }
details.rsa-source .rsa-design { font-size: .85em; color: var(--body-text-color-subdued); margin: .3em 0 0 1.1em; }
details.rsa-source blockquote { margin: .55em 0 .35em !important; padding: .15em .85em !important;
  border-left: 3px solid #14b8a6 !important; font-style: italic; }
details.rsa-source .rsa-link { font-size: .9em; }
details.rsa-source .rsa-link a { color: #0f766e; font-weight: 600; text-decoration: none; }
.rsa-muted { color: var(--body-text-color-subdued); }
#rsa-table * { font-family: var(--font) !important; }
#rsa-table .body-cell, #rsa-table td { font-size: .86rem; }
#rsa-table a { color: #0f766e !important; font-weight: 600; text-decoration: none; }
.rsa-badge { display: inline-block; padding: .3em .95em; border-radius: 999px; color: #fff; font-weight: 700;
  letter-spacing: .02em; font-size: .95rem; }
.rsa-supported { background: #16a34a; }
.rsa-mixed { background: #d97706; }
.rsa-not-supported { background: #dc2626; }
.rsa-no-evidence { background: #6b7280; }
#rsa-verdict .rsa-verdict-row { display: flex; align-items: center; gap: .8em; flex-wrap: wrap; padding: .4em 0; }
#rsa-evidence { padding: 0 2px; }
#rsa-footer { text-align: center; color: var(--body-text-color-subdued); font-size: .85rem; padding: 12px 8px 2px;
  border-top: 1px solid var(--border-color-primary); margin-top: 6px; }
.dark .rsa-caveat { background: #3a2a07; color: #fde68a; border-color: #a16207; }
.dark .rsa-notice { background: #172554; color: #bfdbfe; border-color: #1e40af; }
.dark .rsa-error { background: #450a0a; color: #fecaca; border-color: #991b1b; }
@media (max-width: 640px) {
  #rsa-top { gap: 6px !important; }
  #rsa-header { padding-top: 4px; }
  #rsa-header h1 { font-size: 1.3rem; }
  #rsa-header .rsa-logo { width: 2rem; height: 2rem; }
  #rsa-header p { font-size: .88rem; }
  #rsa-status { justify-content: flex-start; }
  #rsa-chat { height: 66vh !important; }
  #rsa-chat .message-row { margin: 12px 4px 8px !important; max-width: calc(100% - 8px) !important; }
  #rsa-chat .bubble-wrap { padding-top: 6px !important; }
}
"""


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
        from .pipeline import clean_question

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
        meta = service.source_meta()
        for piece in answer_pieces(ans["answer"]):
            yield history + [{"role": "assistant", "content": render_answer(ans, meta, body=piece)}], ""
            time.sleep(STREAM_DELAY)
        yield history + [{"role": "assistant", "content": render_answer(ans, meta)}], ""

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

        gr.HTML(f'<div id="rsa-footer">{FOOTER}</div>')

        # ---- events
        box.submit(chat, [box, chatbot], [chatbot, box], api_name="chat", concurrency_limit=16,
                   show_progress="minimal")
        chatbot.example_select(chat_example, [chatbot], [chatbot, box], api_visibility="private",
                               concurrency_limit=16)
        chatbot.like(on_like, [chatbot], None, api_visibility="private", queue=False)
        check_btn.click(check, claim_box, [verdict, evidence], api_name="check", concurrency_limit=16)
        claim_box.submit(check, claim_box, [verdict, evidence], api_visibility="private", concurrency_limit=16)
        search.change(search_sources, search, table, api_name="search_sources", show_progress="hidden",
                      concurrency_limit=None)
        gr.api(send_feedback, api_name="feedback", concurrency_limit=None)
        demo.load(warm_up, None, [status, timer], api_visibility="private", queue=False)
        demo.load(init_page, None, [table, chart], api_visibility="private")
        timer.tick(poll_status, None, [status, timer], api_visibility="private", show_progress="hidden", queue=False)
    demo.service = service  # for tests and launch()
    return demo


def launch(host: str = "127.0.0.1", port: int = 7860, share: bool = False, settings: Settings | None = None):
    """Serve the app; the index loads (or is built on first run) in the background with visible progress."""
    for k, v in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("GRADIO_ANALYTICS_ENABLED", "False"),
                 ("ANONYMIZED_TELEMETRY", "False"), ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(k, v)
    demo = build_app(settings=settings)
    print(f"{APP_TITLE}: starting on http://{host}:{port} — loading the search index in the background "
          "(the first run builds it, ~15 s)…", file=sys.stderr, flush=True)
    demo.service.start_background()
    return demo.launch(server_name=host, server_port=port, share=share)
