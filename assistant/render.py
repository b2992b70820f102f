"""HTML for the chat app: answers with caveats and collapsible sources, verdict badges,
the evidence table and the running-economy chart.  Pure functions of answer dicts and
corpus metadata, so they are tested without a browser."""
from __future__ import annotations

import html
import re

MAX_PIECES = 3  # streamed pieces per answer: each re-sends the chat, so a few growing pieces read as a stream
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
    from .messages import message_text

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
