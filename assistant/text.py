"""Text utilities shared by ingest, retrieval and composition: sentences and terms."""
from __future__ import annotations

import re
import unicodedata

# Casual writing: a sentence ends at . ! or ? before any next word, lower case included ("…3 days. my tempo was awful")
CASUAL_SENTENCE_END = re.compile(r"(?<!\bi\.e\.)(?<!\be\.g\.)(?<!\bvs\.)(?<=[.!?])\s+(?=\S)", re.I)  # "…, i.e. lifting" goes on
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(\[]?[A-Z0-9])")
_ABBREV = {"al", "e.g", "i.e", "vs", "approx", "fig", "no", "dr", "st", "cf", "etc", "ca", "eq", "mr", "ms", "p"}
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves i'm i've i'd it's don't dont does doesn't im ive id get got really
much many also may might must shall let us one two lot lots anything something thing things
""".split())


def casual_sentences(text: str) -> list[str]:
    """A message's sentences, split after . ! or ? — but not inside a quotation (a quoted headline of two sentences
    inside a sentence stays part of it)."""
    out, start = [], 0
    for m in CASUAL_SENTENCE_END.finditer(text):
        before = text[start:m.start()]
        if (before.count('"') % 2) or (before.count("\u201c") > before.count("\u201d")):
            continue  # an open quotation runs on
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [x for x in out if x.strip()]


_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+")
_HASHTAGS = re.compile(r"(?:(?<=\s)|^)#[A-Za-z]\w*")


def without_social_marks(text: str) -> str:
    """A caption read as prose: hashtags dropped, an emoji between two sentences read as the full stop it stands for
    ("won't make runners bulky 💪 Low-rep sets only…"), any other emoji dropped."""
    text = _HASHTAGS.sub(" ", text)
    text = _EMOJI.sub(lambda m: "." if re.match(r"\s+[A-Z]", text[m.end():]) and not re.search(r"[.!?]\s*$", text[:m.start()])
                      else " ", text)
    return " ".join(re.sub(r"\s+([.!?,])", r"\1", text).split())


def question_sentences(text: str) -> str:
    """The sentences of a text that ask (end in or hold a "?"), joined; "" when none does."""
    return " ".join(x for x in casual_sentences(text) if "?" in x)


def normalise(text: str) -> str:
    """NFKC, unify dashes and quotes, collapse whitespace: the form quotes are compared in."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\u2013", "–").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(paragraph: str) -> list[str]:
    """Sentences as exact substrings of ``paragraph`` (so they can be quoted verbatim)."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        before = paragraph[start:m.start()].rstrip("\"”’)")
        last = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.split() else ""
        # "et al.", "e.g.", initials ("Støren Ø."), decimals are not sentence ends
        if last in _ABBREV or (len(last) == 1 and last.isalpha()):
            continue
        piece = paragraph[start:m.start() + len(m.group(0).rstrip())].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


_IRREGULAR = {"found": "find", "ran": "run", "went": "go", "gave": "give", "grew": "grow", "shown": "show",
              "chose": "choose", "kept": "keep", "lost": "lose", "better": "good", "best": "good"}


def stem(word: str) -> str:
    """A deliberately small suffix stripper: lifting/lifts/lifted -> lift, injuries -> injury."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suf, rep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suf) and len(word) - len(suf) >= 3 and not word.endswith("ss"):
            word = word[: -len(suf)] + rep
            break
    return word


def terms(text: str) -> list[str]:
    """Content terms of ``text``: lower-cased, stop words dropped, stemmed."""
    words = _WORD.findall(normalise(text).lower().replace("–", " "))
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 1 or w.isdigit()]


_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "å": "a", "Å": "a", "ß": "ss", "ł": "l"})


def ascii_fold(text: str) -> str:
    """Lower-case ASCII approximation: "Støren" -> "storen", "Rønnestad" -> "ronnestad", "Leppänen" -> "leppanen"."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def source_names(source_ids) -> dict[str, set[str]]:
    """Names people use for a source, from ids like ``storen-2008`` or ``luckin-baldwin-2021``:
    the author part ("luckin-baldwin", "luckin baldwin") and each surname in it ("luckin", "baldwin")."""
    names: dict[str, set[str]] = {}
    for sid in source_ids:
        m = re.match(r"^([a-z-]+?)-(\d{4})[a-z]?$", sid)
        if not m:
            continue
        author = m.group(1)
        parts = [x for x in author.split("-") if len(x) >= 4 and x not in {"der", "van", "von"}]
        for name in {author, author.replace("-", " "), *parts}:
            names.setdefault(name, set()).add(sid)
    return names


_NAME_PATTERNS: dict[int, tuple[dict, re.Pattern]] = {}


def _names_pattern(names: dict[str, set[str]]) -> re.Pattern:
    """One alternation of every name (longest first), compiled once per names table."""
    hit = _NAME_PATTERNS.get(id(names))
    if hit is None or hit[0] is not names:
        alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or r"(?!)"
        hit = _NAME_PATTERNS[id(names)] = (names, re.compile(rf"\b(?:{alts})\b"))
    return hit[1]


def named_sources(question: str, names: dict[str, set[str]]) -> set[str]:
    """Source ids a question names (an author, optionally with the year)."""
    q = ascii_fold(question)
    if not _names_pattern(names).search(q):
        return set()
    years = set(re.findall(r"\b(19\d\d|20\d\d)\b", q))
    found: set[str] = set()
    for name, ids in names.items():
        if name in q and re.search(rf"\b{re.escape(name)}\b", q):  # (a substring test first: most names are absent)
            found |= {i for i in ids if not years or any(y in i for y in years)} or ids
    return found


def strip_names(question: str, names: dict[str, set[str]]) -> str:
    """The question without the study names and years in it."""
    q = ascii_fold(question)
    for name in sorted(names, key=len, reverse=True):
        q = re.sub(rf"\b{re.escape(name)}\b('s)?", " ", q)
    q = re.sub(r"\b(19|20)\d\d[a-z]?\b", " ", q)
    return " ".join(q.split()) or question


_COUNT = {"one": 1, "once": 1, "a single": 1, "two": 2, "twice": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_PER_WEEK = re.compile(r"\b(\d|one|two|three|four|five|six|once|twice|a single)\s*(?:x|×|times?|(?:heavy |strength |lifting |gym |weekly )?"
                       r"(?:sessions?|days?|workouts?|lifts?))?\s*(?:(?:a|per|/|each|every)\s*(?:week|wk)\b|weekly\b)|"
                       r"\b(?:every|each|once every|once each) (second|other|2nd|two|2) (?:weeks?|wks?)\b|\b(a|per|each|every) (fortnight)\b", re.I)


def without_weekly_dose(text: str) -> str:
    """The text with its weekly doses taken out ("Two heavy sessions a week won't make you bulky" -> "heavy sessions
    won't make you bulky"); the dose words that name the thing ("sessions") stay."""
    count = re.compile(r"\b(\d+|one|two|three|four|five|six|once|twice|a single)(\s*[x×]|\s*times?\b|\b)|"
                       r"\b(a|per|each|every)\s*(week|wk)\b|/\s*(week|wk)\b|\bweekly\b", re.I)
    out = _PER_WEEK.sub(lambda m: f" {count.sub(' ', m.group(0))} ", text)
    if out != text:  # what the sessions were of names the subject: "heavy sessions" is heavy lifting
        out = re.sub(r"\bstrength (sessions?|workouts?|days?)\b", "strength training", out, flags=re.I)
        out = re.sub(r"\b(heavy )?(lifting |gym |weights? )?(sessions?|workouts?|days?)\b",
                     lambda m: f"{m.group(1) or ''}lifting", out, flags=re.I)
    return " ".join(out.split())


_ASKS_DURATION = re.compile(r"\bhow (long|many weeks|soon|quickly)\b|\blong enough\b|\btoo late\b|\b(weeks?|wks?) (before|until|till) "
                            r"(it|you|i|anything)\b|\bwhen (will|would|do|does|should|can) (i|you|it|we) (start (to )?)?"
                            r"(see|notice|feel|get)\w*\b", re.I)
_WEEKS_SPAN = re.compile(r"\b\d+(?:\s*(?:[–-]|to)\s*\d+)?\s*(?:weeks?|wks?)\b", re.I)


_ASKS_HOW_OFTEN = re.compile(r"\bhow (many|often)\b(?! (weeks?|reps?|sets?|kg|lbs?|minutes?|mins?|hours?|seconds?|km|miles?)\b)"
                             r"(\s+\w+){0,3}?\s*(days?|sessions?|times?|workouts?|gym|lift\w*|strength|weights?)?\b|"
                             r"\bhow (frequently|regularly)\b", re.I)


def asks_how_often(text: str) -> bool:
    """The text asks how many sessions or days a week ("how many gym days can I fit in?", "how often should I lift?")."""
    m = _ASKS_HOW_OFTEN.search(text)
    if not m or re.search(r"\b(between|apart|before|after|from|out|off|rest)\b", re.split(r"[?.!;]", text[m.end():])[0], re.I):
        return False  # "how many days between legs and a workout?" asks a gap, not a weekly count
    return m.group(0).lower().startswith(("how often", "how freq", "how reg")) or bool(m.group(4))


_LOSING = re.compile(r"\b(stop\w*|without|no lifting|time off|los[et]|lose|losing|disappear\w*|fade\w*|detrain\w*|break)\b", re.I)


_ASKS_PROGRESSION = re.compile(
    r"\b(add|adding|increase|increasing|bump|raise|raising)\s+(it|the (weight|load|bar)|(more )?(weight|load) (to|on) "
    r"the bar|\d+(\.\d+)?\s*(kg|kgs|kilos?|lbs?|pounds?))|\bwhen (should|do|can|to) (i )?(go heavier|add|increase|"
    r"move up|progress)\b|\bhow (fast|quickly|often|much) (weight |load )?(should|can|do) i (add|increase|progress|go up|"
    r"move up)\b|"
    r"\bprogress(ion|ing)?\b|\bdeload\w*|\b(go|going|move|moving) (up|heavier) in weight\b", re.I)
# a sentence saying how to progress the load ("add 2–10% once you can beat your target reps")
_PROGRESSION = re.compile(r"\b(add|adding|raise|raising|increase|increasing)\b[^.]{0,30}\b\d+\s*[–-]\s*\d+\s*%", re.I)


def asks_progression(text: str) -> bool:
    """The text asks how or when to add load ("do I add 2.5kg a week?", "when should I go heavier?")."""
    return bool(_ASKS_PROGRESSION.search(text))


def says_progression(text: str) -> bool:
    """The sentence says how to add load over time."""
    return bool(_PROGRESSION.search(text))


def asks_duration(text: str) -> bool:
    """The text asks how long gains take to come ("is 8 weeks long enough?", "how soon will it show?") — not how
    long they last without lifting."""
    return bool(_ASKS_DURATION.search(text)) and not _LOSING.search(text)


def names_weeks(text: str) -> bool:
    return bool(_WEEKS_SPAN.search(text))


def weekly_counts(text: str) -> set[float]:
    """How many sessions a week a text names ("once a week", "2x/wk", "every other week" -> 0.5)."""
    out = set()
    for m in _PER_WEEK.finditer(text):
        if m.group(2) or m.group(4):
            out.add(0.5)
        else:
            w = m.group(1).lower()
            out.add(float(_COUNT.get(w, w) if not w.isdigit() else w))
    return out


# wording about racing faster ("minutes off", "a 10k PB", "late in the race"): what makes a question or a claim
# about race performance rather than one that only names a race
# (a PB stated as a time, "19:40 pb", "PB is 3:15", is who is asking, not a question about racing faster)
RACE_GAIN = re.compile(r"\b(faster|quicker|(?<!\d )(?<!\d)(pb|pr|personal best)(?!\s*(is |of |was |:|=|-)?\s*\d)|minutes? off|seconds? off|(race|marathon|10k|5k) times?|"
                       r"finish(ing)? times?|time[- ]trials?|(worth|cut|take|shave)\w* [^.]{0,30}(marathon|race) time|"
                       r"under \d|sub[- ]?\d|improve (my |your )?(time|race|marathon)|help (my |your |me )?(race|marathon|run)|"
                       r"(race|running|\d+ ?m|mile|5k|10k) performance|performance (in|at|over)|time to exhaustion|"
                       r"last \d+ ?(k|km|miles?)|late in (the|a) race|end of (the|a) race|hit(ting)? the wall|fad(e|ing) late|"
                       r"(in|for|during|on) the (downhill|uphill|hilly|final|last|late|closing) (sections?|miles?|km|stages?|part)|"
                       r"(a|any) difference (to|on|in) (my |the )?(race|time|marathon|race day))\b", re.I)
