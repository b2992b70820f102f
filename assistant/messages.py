"""The user's message as text: fixed replies, cleaning, conversation history, follow-ups, language."""
from __future__ import annotations

import re

from .errors import InputError
from .text import STOPWORDS

REFUSAL = ("I can't answer that from my sources. I answer questions about strength training for runners — "
           "how heavy to lift, how many reps and sessions, which exercises, what the research shows for running "
           "economy, race and marathon performance, muscle gain, injuries and tapering.")
NO_EVIDENCE = ("My sources don't speak to this claim, so I can't judge it. I can check claims about strength training "
               "for runners: running economy, race and marathon performance, muscle and bulk, injuries, dosing, "
               "beginners and tapering.")
NOT_ENGLISH = ("I can only answer in English, from English-language sources. Please ask again in English — for example "
               "\"How heavy should I lift?\"")
INJECTION_NOTICE = "Instructions inside a question are ignored: answers come only from the sources."
# a message that opens like this continues the conversation ("and in race week?", "what if I do 3?")
FOLLOW_ON = re.compile(r"\W*(and|but|so|ok(ay)?|then|what if|what about|how about|is that|does that|would that)\b", re.I)
FOLLOWUP = re.compile(r"^\s*(and|but|also|so|what about|how about|why|what if|ok|okay|then|same|is that|does that|"
                       r"would that|and if|how come|really)\b|\b(it|that|this|those|these|them|they|there|then|still|"
                       r"instead)\b", re.I)


def clean_question(text, max_chars: int) -> str:
    if not isinstance(text, str):
        raise InputError("the question must be text")
    if len(text) > max_chars * 4:  # don't even normalise megabytes
        raise InputError(f"the question is {len(text):,} characters; the limit is {max_chars:,} — shorten it")
    # line breaks are kept (a title line, a list of questions); other whitespace is collapsed
    lines = ["".join(ch if ch.isprintable() else " " for ch in line) for line in text.splitlines()]
    q = "\n".join(" ".join(line.split()) for line in lines if line.strip())
    if not q:
        raise InputError("the question is empty — type a question about strength training for running")
    if len(q) > max_chars:
        raise InputError(f"the question is {len(q):,} characters; the limit is {max_chars:,} — shorten it")
    return q


def message_text(content) -> str:
    """History content as text: a string, or Gradio-style parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(message_text(c) for c in content)
    return ""


def last_user_turn(history: list | None) -> str:
    for turn in reversed(history or []):
        if isinstance(turn, dict) and turn.get("role") == "user":
            text = message_text(turn.get("content"))
            if text.strip():
                return " ".join(text.split())[:1000]
    return ""


def looks_english(text: str, fixer) -> bool:
    """Most words known (corpus vocabulary or English stop words, after spelling correction)?"""
    text = re.sub(r"<[^>]{0,200}>", " ", text)  # markup is not language
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isascii() for ch in letters) / len(letters) < 0.5:
        return False  # mostly non-Latin script
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    if len(words) < 3:
        return True
    known = sum(1 for w in words if w in STOPWORDS or w in fixer.vocab or fixer.fix_word(w) != w)
    return known / len(words) >= 0.4
