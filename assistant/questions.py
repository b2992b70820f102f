"""Finding the questions a message asks: question sentences, a title line, or the last sentence; a question that
points back ("Is he right?", "worth splitting them?") read with the statement it points to; several questions in
one sentence ("…, and also …", "is he right, or will …?") split apart. ``understand.py`` types and scopes them."""
from __future__ import annotations

import re

from .qtypes import question_types
from .scope import lexicons, off_topic_terms
from .text import casual_sentences


Q_START = re.compile(r"^\W*(?:(?:\d{1,2}|[a-c])[.)]\s*)?(?:(?:and|but|so|also|plus|or|then)\s+)?"
                      r"(?:(?:second(?:ly)?|another|one more|last(?:ly)?|other|final(?:ly)?|separate(?:ly)?)\s*"
                      r"(?:thing|question|q|point)?\s*[,:–-]?\s+)?(how|what|whats|what's|which|when|why|where|who|should|shall|do|does|did|is|are|am|can|"
                      r"could|will|would|any|anyone|thoughts|advice|tips|help|wondering|curious|worth|(?:ok|okay)(?=\s+(?:to|if|for)\b))\b",
                      re.I)  # ("ok to lift the day before", but "ok so my week is: …" tells, it does not ask)

_ASKS = re.compile(r"\b(wondering|want to know|not sure (if|whether|how|what|when)|any (advice|tips|thoughts|ideas)|"
                   r"advice on|thoughts on|should i|do i need|is it (ok|okay|worth|bad|fine)|would it|"
                   r"is there (any |a |much )?(point|need|benefit|evidence|reason|research)|any point)\b", re.I)

_SUBSPLIT = re.compile(r"(?:,|;)?\s+(?:and|also|plus|&)\s+(?=(?:(?:for|in|at|by)\s+)?(?:how|what|which|when|why|should|do|does|"
                       r"is|are|can|will|would|on|before|after|what about|whether)\b)|;\s+|,\s+(?=(?:how|what|which|when|why)\s+\w+)|"
                       # "how heavy should I go, do I need plyos as well, and…" (a clause before it that asks nothing
                       # is joined back below: "If I lift heavy, do I need plyos?")
                       r",\s+(?=(?:do|does|should|can|is|are|will|would)\s+(?:i|we|you|it|they)\b)",
                       re.I)

ENUMERATOR = re.compile(r"^\W*(\(?\d\)|\(?[a-d]\)|\d\.)\s*")  # a question's number: "2) ", "(b) ", "3. "
# "Two things: what shoes should I race in": a question after a label
_LABELLED_QUESTION = re.compile(r"^[^:]{2,40}:\s*(what|how|which|when|why|where|who|should|is|are|do|does|can|could|would|will)\b",
                                re.I)
_INDIRECT = re.compile(r"\b(whether|wonder\w*|wants? to know|asking|asked)\b", re.I)  # "she wants to know whether …"
_SUBORDINATE = re.compile(r"^\W*(since|because|as|if|given|seeing as|now that|although|though|while)\b", re.I)
ANAPHORIC = re.compile(r"^\W*((is|are|was|were|does|do|did|would|will|can|could|should)\s+((any|all|some|none|much|most|either) of\s+)?"
                        r"(that|this|it|they|those|these|there|she|he|them)\b|"
                        r"(what'?s|whats|what is|where'?s|is)\s+(that|this|it)\b|.*\b(do|does|help|work|worth)\s+(it|that|this)\W*$|"
                        r"(true|right|correct|accurate|legit|really|why|how come|normal)\b|(any )?thoughts\b(?!\s+(on|about)\s+(?!(this|that|it|these|those|him|her)\b))|"
                        # "Good idea?", "Sensible?", "Am I mad?": a verdict on what was just said
                        r"((a |is it a |is this a |is that a )?(good|bad|smart|sensible|wise|reasonable) (idea|plan|move|call)|"
                        r"sensible|smart|wise|reasonable|ok|okay|yes or no|am i (right|wrong|crazy|mad|mental))\W*$|"
                        r"(what|how)\s+(should|would|do|does|about)\s+(that|this|it|they|those|these|the rest|wks?|weeks?)\b|"
                        # "Anyone seen actual evidence for that?", "Has anyone measured this?"
                        r".*\b((evidence|research|proof|studies|data|science) (for|on|behind|about|of|to back) (that|this|it)|"
                        r"(measured|tested|studied|looked at|researched|shown|proven|proved|checked) (this|that|it)|"
                        # "How solid is that number?", "What does the research say?"
                        r"(that|this|those|these) (number|figure|stat|statistic|percentage|claim|idea|advice)s?|"
                        r"what (does|do) (the )?(research|science|evidence|literature|studies|data) (say|show))\b)", re.I)


def _names_lifting(text: str) -> bool:
    return any(p.search(text) for p in lexicons()["domain"])

# "Which is exactly what I want." — a remark on the sentence before, not a question
_RELATIVE_REMARK = re.compile(r"^\W*(which|what|who)\s+(is|was|means|makes|sounds)\b", re.I)

# "worth the faff of splitting them?": a short question about something named before it
_LEANS_BACK = re.compile(r"\b(they|them|those|these|it|that|this|either|both)\b", re.I)


def _is_question(sentence: str) -> bool:
    if "?" not in sentence and _RELATIVE_REMARK.match(sentence):
        return False
    return "?" in sentence or bool(Q_START.match(sentence)) or bool(_ASKS.search(sentence))


def _points_back(question: str) -> bool:
    """A question that refers to what was said before it: a back-reference ("Is that true?"), or a short question
    with a pronoun that names nothing of strength training itself ("worth the faff of splitting them?")."""
    if ANAPHORIC.search(question):
        return True
    if _names_lifting(question):
        return False
    # "Did I do something wrong?": a question too short to name a subject is about what was just said
    return (len(question.split()) <= 14 and bool(_LEANS_BACK.search(question))) or \
        (len(question.split()) <= 6 and not any(t.cues.search(question) for t in question_types())
         and not off_topic_terms(question))

_AND_THEN = re.compile(r",\s+(?:and(?:\s+also)?|also)\s+", re.I)

_OWN_ASK = re.compile(r"\b(should|can|could|do|does|would|will|is|are)\s+(i|we|it|that|this|they|you)\b", re.I)


def _second_question(q: str) -> list[str]:
    """Split a question at ", and (also)" when both halves ask something of their own."""
    m = _AND_THEN.search(q)
    if not m:
        return [q]
    first, second = q[:m.start()], q[m.end():]
    if _is_question(first) and _OWN_ASK.search(second) and len(first.split()) >= 2 and len(second.split()) >= 6:
        return [first, second]
    return [q]

# "Is he right, or will heavy stuff make me slow?": a verdict on what was said, then a question of its own
_VERDICT_OR = re.compile(r"^(\W*(?:is|are|was|were)\s+(?:he|she|they|that|this|it|my \w+)\s+(?:right|wrong|correct|true|onto something)"
                         r"|\W*am i (?:right|wrong))\s*,?\s+or\s+(?=(?:will|would|does|do|is|are|can|could|should|am)\s+\w+)",
                         re.I)

_DETAIL = re.compile(r"^\W*(by|for|to|at|in)\s+(how|what)\b", re.I)


def _verdict_or(q: str) -> list[str]:
    m = _VERDICT_OR.match(q)
    rest = q[m.end():] if m else ""
    # "is he right or is that a gym myth?" asks one thing twice
    return [m.group(1).strip(), rest] if m and len(rest.split()) >= 4 and not ANAPHORIC.search(rest) else [q]


_INLINE_NUMBERS = re.compile(r"(?<=\w)[ \t]+(?=\(?[2-9]\)\s)")  # a numbered question starting mid-line, after the first


def question_texts(message: str) -> list[tuple[str, str]]:
    """The questions a message asks, in order — question sentences, a title line, or the last sentence —
    each with the sentence before it (context for a short question's type)."""
    if len(_INLINE_NUMBERS.findall(message)) >= 2:  # "quick qs: 1) how long … 2) can I … 3) do I …" on one line
        message = _INLINE_NUMBERS.sub(". ", message)
    lines = [ln.strip() for ln in message.split("\n") if ln.strip()]
    title = lines[0] if len(lines) > 1 and len(lines[0]) <= 140 and not re.search(r"[.!]\s*$", lines[0]) else None
    body = lines[1:] if title else lines
    sents = [s for ln in body for s in casual_sentences(ln)]
    questions: list[tuple[str, str]] = []
    told: dict[str, str] = {}  # a question read with the statement it points back to -> that statement
    for i, s in enumerate(sents):
        before = sents[i - 1] if i else (title or "")
        if questions and _is_question(s) and len(re.findall(r"[A-Za-z]{2,}", s.split("?")[0])) < 2 \
                and questions[-1][0].endswith(before):
            questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])  # "…lift at?? 60? 75? 90?"
            continue
        joiner = re.match(r"\W*(or|and)\b", s, re.I)  # "…? or is it something else?" — but "and should X …?" asks anew
        if questions and _is_question(s) and joiner and len(s.split("?")[0].split()) <= (10 if joiner.group(1).lower() == "or" else 6) \
                and questions[-1][0].endswith(before):
            questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])  # "…race faster? or is it something else?"
            continue
        if _is_question(s):
            # "Is that accurate?", "what should wks 9-16 look like?": the question leans on the sentence before it —
            # and when that sentence is the previous question, it is the same question continued
            if before and ANAPHORIC.search(s) and questions and questions[-1][0].endswith(before):
                questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])
            elif before and _points_back(s) and _is_question(before) and questions and questions[-1][0].endswith(before) \
                    and not re.search(r"\w+(\s+\w+){3,},\s", s):
                questions[-1] = (f"{questions[-1][0]} {s}", questions[-1][1])  # "…the problem? Should I move it?"
            elif before and _points_back(s) and not _is_question(before):  # ("I've been sleeping 10 h, is that ok?")
                earlier = sents[i - 2] if i >= 2 and not _is_question(sents[i - 2]) else ""
                if earlier and not _names_lifting(before) and _names_lifting(earlier):
                    # "She wants to add heavy squats. My instinct is to say yes. Thoughts?": what is asked about
                    # is the proposal two sentences back
                    questions.append((f"{earlier} {before} {s}", sents[i - 3] if i >= 3 else ""))
                    told[questions[-1][0]] = f"{earlier} {before}"
                else:
                    questions.append((f"{before} {s}", earlier))
                    told[questions[-1][0]] = before
            else:
                questions.append((s, before))
    if questions and sents and not _is_question(sents[-1]) and len(sents[-1].split()) <= 25 \
            and len(questions[-1][0].split()) <= 8 and sents[-2:-1] and questions[-1][0].endswith(sents[-2]):
        questions[-1] = (f"{questions[-1][0]} {sents[-1]}", questions[-1][1])  # "…comes first? run am, lift pm"
    if title and (_is_question(title) or not questions):
        questions.insert(0, (title, ""))
    if not questions:
        questions = [(sents[-1], sents[-2] if len(sents) > 1 else "")] if sents else [(message, "")]
    parts: list[tuple[str, str]] = []
    for q, before in questions:
        # a statement a question points back to ("…and should go heavy. Is he right?") is what is asked about,
        # not a question of its own: only the question sentence is split, and its first piece keeps the statement
        statement = told.get(q, "")
        asked = q[len(statement):].strip() if statement and q.startswith(statement) else q
        pieces = [p.strip(" ,;") for p in _SUBSPLIT.split(asked) if p and p.strip(" ,;?")]
        # "Who's right, and also my watch says …, so should I use it?": a second question after ", and"
        pieces = [x for p in pieces for x in _second_question(p)]
        pieces = [x for p in pieces for x in _verdict_or(p)]
        for k in range(len(pieces) - 2, -1, -1):  # "Since I work weekends, which days suit the gym?" or "my intervals
            bare = ENUMERATOR.sub("", pieces[k])     # are Thursday, which days should the gym go on?": the clause is
            if "?" not in pieces[k] and (_SUBORDINATE.match(bare) or not (_is_question(bare) or _INDIRECT.search(bare)
                                                                          or _LABELLED_QUESTION.search(bare))):
                pieces[k:k + 2] = [f"{pieces[k]}, {pieces[k + 1]}"]
        for k in range(len(pieces) - 1, 0, -1):  # "When do I move up and by how much?": a detail of the same question
            if _DETAIL.match(pieces[k]) and len(pieces[k].split()) <= 4:
                pieces[k - 1:k + 1] = [f"{pieces[k - 1]} and {pieces[k]}"]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            if statement:
                pieces[0] = f"{statement} {pieces[0]}"
            elif before and (len(pieces[0].split()) <= 3 or _points_back(pieces[0])):  # "Who's right, and …": the first asks about the sentence before
                pieces[0] = f"{before} {pieces[0]}"
            parts += [(p, before) for p in pieces]
        else:
            parts.append((q, before))
    return list(dict((p, b) for p, b in parts).items())


def asked_sentences(text: str) -> str:
    """The question sentences of a part (its cue words say what is asked), or all of it when none reads as one."""
    sents = casual_sentences(text)
    # a question pointing back ("which of these works better?") asks about the sentence it points to
    keep = [_is_question(x) for x in sents]
    for k in range(len(sents) - 2, -1, -1):
        after = sents[k + 1]
        # ...and a remark on it ("X. Which is exactly what I want. Is he right?") points further back
        if keep[k + 1] and ((_is_question(after) and _points_back(after)) or _RELATIVE_REMARK.match(after)):
            keep[k] = True
    asked = [_LEADING_FRAGMENT.sub("", x) if k else x for x, k in zip(sents, keep) if k]
    return " ".join(asked) if asked else text

# "Gym twice a week, thoughts on ice baths?": a verbless fragment before the question is backstory
# (…unless what follows points back to it: "caffeine pill before lifting, worth it?", "X, is it any good?")
_LEADING_FRAGMENT = re.compile(r"^(?!\W*(if|when|once|since|because|as|after|before)\b)[^,?]{3,50},\s*"
                               r"(?!(is|are|does|do|can|should|would|will) (it|that|this|they|those)\b)"
                               r"(?=(thoughts|any|what|how|should|is|are|do|does|can|which|when|why)\b"
                               r"[^,]*\?\s*$)", re.I)
