"""Claim checks and passage checks.

A claim is split into atomic parts (general clause logic: coordinators, "so", "while", ";",
"which means", with the shared subject carried over); each part is judged

* against the curated ledger (``claims.py``) when a ledger claim on the same outcome matches closely,
  with polarity read from the part as written (negation, opposite words);
* against the evidence's figures (``data/figures.yaml``) when the part states a number;
* otherwise from the retrieved evidence: the direction of the findings (front matter ``re_result``
  and the sentences' own wording) for the part's outcome.

"Evidence for" and "Evidence against" are always relative to the claim as written.  Every quoted line
is a verbatim sentence of its source with ``[n]``; every other sentence is marked as the assistant's
summary of the cited sentences.  A passage is split into sentences, the checkable ones (a factual or
prescriptive statement about strength training or running) are checked one by one.
"""
from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from . import caveats as caveat_rules
from .compose import Candidate
from .schema import Answer, Citation
from .claims import EVALUATIVE, VERDICT_LABEL, antonym_flips, is_negated
from .corpus import ARTICLE_ID
from .scope import analyse
from .text import STOPWORDS, split_sentences, terms

DATA = Path(__file__).parent / "data"
# How a part's verdict reads next to the part (a verdict other than "supported" names its doubt).
PART_LABEL = {"supported": "supported", "mixed": "mixed evidence, not consistently shown",
              "not-supported": "not supported", "no-evidence": "not tested by any study here"}
MAX_PARTS = 6
MAX_PASSAGE_CLAIMS = 60

# -- outcomes: what a claim is about (general vocabularies, used to keep ledger matches on topic) -------------
OUTCOMES = {
    "economy": r"\b(running economy|economy|economical|efficien\w*|oxygen cost|energy cost|less (oxygen|energy)|stride)\b",
    "vo2max": r"\b(vo2 ?max|aerobic capacity|maximal oxygen uptake)\b",
    "performance": r"\b(faster|speed|quicker|time[- ]trials?|5 ?k|10 ?k|5-km|10-km|pb|pr|personal best|race times?|"
                   r"performance|run longer|endurance|sprint\w*)\b",
    "marathon": r"\b(marathon\w*|42 ?k\w*|long races?)\b",
    "fatigue": r"\b(fatigu\w*|late in|final (stages|kilomet\w*|metres)|tired)\b",
    "injury": r"\b(injur\w*|healthy|on the road|durab\w*|achilles|runner'?s knee|patellofemoral|shin|tendon\w*)\b",
    "muscle": r"\b(bulk\w*|muscle|muscles|muscular|hypertroph\w*|lean mass|body ?weight|body mass|weight gain|gain weight|"
              r"size|big|bigger)\b",
    "fat": r"\b(body[- ]fat|fat)\b",
    "strength": r"\b(stronger|1rm|maximal strength|one[- ]rep(etition)? max\w*|strength gains?|force)\b",
    "bone": r"\b(bone\w*|osteop\w*)\b",
    "taper": r"\b(taper\w*|before (a|the|your|race)|race (week|day)|stop (lifting|strength)|detrain\w*|cessation)\b",
}
_OUTCOME_RX = {k: re.compile(v, re.I) for k, v in OUTCOMES.items()}

# Effect direction in a finding: "no change" beats "improved" in the same sentence.
_NULL = re.compile(r"\b(no (significant |clear |meaningful |overall |pooled |further )?(change|effect|difference|reduction|"
                   r"improvement|benefit|gain)s?|did not|didn't|does not|unchanged|not (change|improve|predict|reduce|differ)\w*|"
                   r"trivial|failed to|unaffected|no better|null|neither)\b", re.I)
_EFFECT = re.compile(r"\b(improv\w*|increas\w*|rose|raised?|gain\w*|better|faster|reduc\w*|lower\w*|cut|fewer|"
                     r"benefit\w*|effective|helped|boost\w*|larger|greater|enhanc\w*|prevent\w*|held|kept|maintain\w*)\b", re.I)
_HARM = re.compile(r"\b(worse\w*|slower|slows?|hurts?|harms?|impairs?|damag\w*|dangerous|risky|unsafe|detriment\w*|"
                   r"interferes?|blunts?|ruins?|kills?)\b", re.I)
_ONLY = re.compile(r"\b(only|just)\b\s+(\w+\s+){0,3}?(sprinters?|middle[- ]distance|elite|beginners?|novices?|women|men|"
                   r"young|older|masters?|triathletes?|cyclists?)", re.I)
_COMPARE = re.compile(r"\b((better|worse|greater|bigger|larger|faster|slower|stronger|higher|lower|heavier|lighter|"
                      r"smaller|fewer)\s+(\w+\s+){0,3}?than|(more|less)\s+(\w+\s+){1,3}?than|as much as|as well as|"
                      r"as good as|just as|as \w+ as|(the )?same\b|equally|equal|matches?|beats?|outperforms?|versus|vs)\b", re.I)
# A restriction on where a claim holds ("especially at faster paces", "late in a race", "at marathon pace").
_QUALIFIED = re.compile(r"\b(especially|particularly|mainly|mostly|most when|biggest|at (faster|higher|quicker|high|fast) "
                        r"(paces?|speeds?)|when (you are |you're )?running fast|quicker paces|at marathon pace|"
                        r"late in|when fatigued|when tired)\b", re.I)
# Who a claim is about, when it narrows the population.
_POPULATION = re.compile(r"\b(beginn\w*|novices?|new to|untrained|older|elderly|women|female|masters?|elite|soccer|team[- ]sport|"
                         r"young|adolescents?|teen\w*|youth|sprinters?|cyclists?|triathletes?|osteop\w*|bone density)\b", re.I)
# A negation inside a relative clause ("muscles that can't handle the load") does not negate the claim.
_NEG_RELATIVE = re.compile(r",?\s+(that|which|who)\s+(can't|cannot|can not|don't|doesn't|won't|isn't|aren't|never|"
                           r"do not|does not|will not|is not|are not)\b[^,.;]*", re.I)
_DOMAIN_WORD = re.compile(r"\b(strength|lift\w*|weights?|squat\w*|deadlift\w*|plyometric\w*|resistance|sessions?|reps?|"
                          r"circuits?|gym|race\w*|taper\w*)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(I|I'?ve|I'm|my|me)\b")
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
            "fifty": 50, "half": 50, "a third": 33, "once": 1, "twice": 2, "a quarter": 25}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted(_WORDNUM, key=len, reverse=True)) + r")"

# -- clause splitting -----------------------------------------------------------------------------------
_AUX = {"will", "would", "can", "could", "should", "must", "may", "might", "shall", "is", "are", "was", "were", "be",
        "does", "do", "did", "has", "have", "had", "won't", "can't", "don't", "doesn't", "isn't", "aren't", "wouldn't",
        "shouldn't", "needn't", "wont", "cant", "dont", "doesnt", "isnt", "arent", "never", "not"}
_VERBS = set("""improve increase reduce lower raise make build cut prevent keep help boost add cause lead burn give get
become run use lift do stop avoid need protect strengthen enhance decrease bulk gain lose shed drop slow speed hurt harm
injure take train allow let produce maintain preserve delay guarantee transfer translate matter work beat outperform
trace show prove find cost buy compound count turn put want develop create mean require benefit affect change hold go
come depend tend fail wreck ruin kill destroy blunt interfere impair damage shorten lengthen save fix cure stiffen
recruit activate teach convert double halve triple""".split())
_AMBIGUOUS = set("""work run lift train cost count change need help set hold drop cut use show want benefit turn put gain
speed slow bulk fix save damage force load stop go come lead burn run""".split())
_VERB_CONTEXT = {"to", "will", "would", "can", "could", "should", "must", "may", "might", "you", "i", "we", "they", "he",
                 "she", "it", "don't", "doesn't", "dont", "doesnt", "not", "never", "also", "who", "that", "which",
                 "runners", "lifting", "training", "won't", "wont", "really", "actually", "just", "only"}
_NOUN_CONTEXT = {"the", "a", "an", "heavy", "light", "two", "three", "few", "many", "some", "your", "my", "their", "of",
                 "and", "or", "long", "short", "easy", "hard", "big", "compound", "these", "those", "weekly", "gym"}
_LEAD_DROP = re.compile(r"^(and|but|so|also|then|thus|therefore|hence|plus|or|because|since)\s+", re.I)
_PRONOUN_SUBJECT = re.compile(r"^(it|this|that|which)\s+", re.I)
_STRONG = re.compile(r"\s*;\s*|\s+[—–]\s+|,?\s+which means( that)?\s+|,\s*so( that)?\s+|,?\s+so\s+(?=(you|it|they|we|runners?|"
                     r"this|that|your|their|lifters?|athletes?)\b)|,?\s+while\s+|,?\s+whereas\s+|,\s*but\s+|,?\s+because\s+|"
                     r",\s+(?=which\s+\w+s\b)|:\s+", re.I)
_AND = re.compile(r",?\s+(and|or)\s+", re.I)
_CITED = re.compile(
    r"^\s*(?:(?:a|an|one|the|this|new|recent|latest|landmark|famous|large|big|small|\d{4})\s+){0,3}"
    r"(?:(?P<adj>[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3})\s+)?"
    r"(?:study|studies|trial|paper|review|meta-analysis|research|researchers|scientists|experiment|data)\b"
    r"(?P<rest>[^.]*?)\b(?:found|finds|showed|shows|show|proved|proves|reported|reports|concluded|concludes|"
    r"confirmed|confirms|demonstrated|demonstrates|says|suggests|suggested)\b(?:\s+that)?[\s,:]+", re.I)
_ACCORDING = re.compile(r"^\s*according to\s+(?P<src>[^,]{3,120}),\s*", re.I)
_VENUE = re.compile(r"\b(?:in|published in|from|by|at|out of)\s+(?:the\s+)?(?P<venue>[A-Z][\w'’.&-]*(?:\s+(?:of|and|&|for|in|on|"
                    r"the|[A-Z][\w'’.&-]*))*(?:\s+[A-Z][\w'’.&-]*)?)|(?P<authors>[A-Z][\w'’-]+\s+et al\.?(?:,?\s*\(?\d{4}\)?)?)")


@dataclass
class Part:
    claim: str
    verdict: str
    citations: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"claim": self.claim, "verdict": self.verdict, "citations": list(self.citations)}


@dataclass
class ClaimResult(Answer):
    """A claim check: an Answer with a verdict and the verdict of each atomic part."""
    parts: list = field(default_factory=list)

    def to_dict(self) -> dict:
        d = super().to_dict()
        d["parts"] = [p if isinstance(p, dict) else p.to_dict() for p in self.parts]
        return d


@dataclass
class PassageResult:
    passage: str
    claims: list[ClaimResult]
    timings_ms: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        """The summary table: claim, verdict, key evidence (its first cited quote)."""
        out = []
        for c in self.claims:
            key = c.citations[0] if c.citations else None
            out.append({"claim": c.question, "verdict": c.verdict,
                        "key_evidence": f"[{key.n}] {key.quote} ({key.source_id})" if key else ""})
        return out

    def to_dict(self) -> dict:
        return {"passage": self.passage, "claims": [c.to_dict() for c in self.claims], "summary": self.rows(),
                "timings_ms": self.timings_ms}

    def table(self) -> str:
        lines = ["| claim | verdict | key evidence |", "|---|---|---|"]
        for r in self.rows():
            cell = lambda s: s.replace("|", "/").replace("\n", " ")  # noqa: E731
            lines.append(f"| {cell(r['claim'])} | {VERDICT_LABEL.get(r['verdict'], r['verdict'])} | {cell(r['key_evidence'])} |")
        return "\n".join(lines)


@dataclass(frozen=True)
class Figure:
    id: str
    cue: re.Pattern
    needs: re.Pattern
    quantity: str
    range: tuple | None
    typical: float | None
    none_found: bool
    verdict: str | None
    says: str
    query: str
    sources: tuple
    against: tuple


@lru_cache(maxsize=1)
def figures() -> tuple[Figure, ...]:
    raw = yaml.safe_load((DATA / "figures.yaml").read_text(encoding="utf-8"))
    return tuple(Figure(f["id"], re.compile(f["cue"], re.I), re.compile(f.get("needs") or ".", re.I), f["quantity"],
                        tuple(f["range"]) if f.get("range") else None, f.get("typical"), bool(f.get("none_found")),
                        f.get("verdict"), " ".join(f["says"].split()), f.get("query") or f["says"],
                        tuple(f.get("sources") or ()), tuple(f.get("against") or ())) for f in raw)


# Wordings whose opposite-word reading misleads: "costs you less" is "more economical".
_POLARITY_NORMAL = [
    (re.compile(r"\b(costs?|costing|uses?|using|burns?|needs?)\s+(you\s+|them\s+)?less\s+(energy|oxygen)?", re.I),
     "is more economical "),
    (re.compile(r"\bless\s+(energy|oxygen)\b", re.I), "more economy"),
]


def normalise_polarity(text: str) -> str:
    for rx, rep in _POLARITY_NORMAL:
        text = rx.sub(rep, text)
    return " ".join(text.split())


_NEG_CONTRAST = re.compile(r",\s*(and\s+)?not\s+[^,.;]*", re.I)   # "from force, not from endless reps"


def negated(text: str) -> bool:
    """The claim's main clause is negated (negations in relative clauses and contrasts don't count)."""
    return is_negated(_NEG_CONTRAST.sub("", _NEG_RELATIVE.sub("", text)))


def outcomes(text: str) -> set[str]:
    return {k for k, rx in _OUTCOME_RX.items() if rx.search(text)}


# -- decomposition ------------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return text.split()


def _bare(w: str) -> str:
    return re.sub(r"[^\w'’-]", "", w.lower()).replace("’", "'")


def _is_verb(w: str, prev: str | None = None) -> bool:
    """Is ``w`` a verb?  A word that is as often a noun ("work", "lifts", "cost") counts only after a subject
    pronoun, a modal or "to" (``prev``), or when no context is given."""
    w = _bare(w)
    if w in _AUX:
        return True
    base = w if w in _VERBS else None
    if base is None:
        for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", "")):
            if w.endswith(suf) and w[: len(w) - len(suf)] + rep in _VERBS:
                base = w[: len(w) - len(suf)] + rep
                break
    if base is None:
        return False
    if base in _AMBIGUOUS and not w.endswith("ed") and prev is not None:
        if w == base:
            return _bare(prev) in _VERB_CONTEXT
        return _bare(prev) not in _NOUN_CONTEXT  # "strength work fixes it", but "heavy lifts and jumps"
    return True


def _first_verb(words: list[str], start: int = 1) -> int | None:
    for i in range(start, len(words)):
        if _is_verb(words[i], words[i - 1] if i > 0 else ""):
            return i
    return None


def _finite_clause(ws: list[str]) -> bool:
    """A full clause: a finite verb ("is", "keeps") after a short subject, with no relative pronoun before it."""
    for i, w in enumerate(ws[:6]):
        b = _bare(w)
        if b in {"that", "which", "who", "whose", "whom"}:
            return False
        if i > 0 and (b in _AUX - {"not", "never", "be"} or (b.endswith("s") and _is_verb(w, ws[i - 1]) and not b.endswith("ss"))):
            return True
    return False


def _subject_prefix(clause: str, fragment_first: str) -> str | None:
    """The shared subject (and modal) of ``clause`` to put before a verb-phrase fragment."""
    ws = _words(clause)
    i = _first_verb(ws)
    if i is None:
        return None
    j = i
    if _bare(fragment_first) not in _AUX:
        while j < len(ws) and _bare(ws[j]) in _AUX:
            j += 1
        if j >= len(ws) or j == len(ws):
            j = i
    return " ".join(ws[:j]) if j > 0 else None


def _gerund_base(word: str) -> str | None:
    w = _bare(word)
    if not w.endswith("ing") or len(w) < 5:
        return None
    stem = w[:-3]
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem):
        if cand in _VERBS:
            return cand
    return stem


def _clean(part: str) -> str:
    part = _LEAD_DROP.sub("", part.strip(" ,;:—–-\"“”'"))
    return part.rstrip(" ,;:.")


def _split_and(clause: str) -> list[str]:
    """Split at "and"/"or" joining verb phrases, clauses or different outcomes, carrying the subject over."""
    out = [clause]
    for m in list(_AND.finditer(clause))[::-1]:
        left, right = clause[:m.start()], clause[m.end():]
        lw, rw = _words(left), _words(right)
        if not lw or not rw:
            continue
        lv = _first_verb(lw)
        if lv is None:
            continue  # "and" inside the subject ("heavy lifting and plyometrics improve...")
        first = rw[0]
        if (_is_verb(first, "to") and _bare(first) not in {"not", "never"}) or \
                (_bare(first) in {"also", "then", "not", "never"} and len(rw) > 1 and _is_verb(rw[1], "to")):
            prefix = _subject_prefix(left, rw[1] if _bare(first) in {"also", "then"} else first)
            new_right = f"{prefix} {right}" if prefix else right
        elif _bare(first) in {"you", "it", "they", "we", "runners", "runner", "lifting", "strength", "this", "your",
                              "their", "heavy", "light", "plyometrics", "squats", "lifters"} and _first_verb(rw) is not None:
            new_right = right  # a full clause with its own subject
        elif len(rw) > 2 and _finite_clause(rw):
            new_right = right  # "..., and staying healthy is the biggest lever"
        else:
            # noun coordination after the verb: split only when the two sides name different outcomes
            obj, rnoun = " ".join(lw[lv:]), right.split(",")[0]
            lo, ro = outcomes(obj), outcomes(rnoun)
            if len(rnoun.split()) > 5 or not (lo and ro and not (ro <= lo)):
                continue
            new_right = " ".join(lw[:lv + 1]) + " " + right
        head = clause[:m.start()]
        return _split_and(head) + [new_right]
    return out


def decompose(claim: str) -> list[str]:
    """Atomic claims of a (possibly compound) claim, each a readable sentence with its subject."""
    pieces: list[str] = []
    for sent in split_sentences(" ".join(claim.split())):
        sent = sent.strip().rstrip(".!")
        segs = _segments(sent)
        subject = None
        for k, seg in enumerate(segs):
            seg = _clean(seg)
            if not seg:
                continue
            ws = _words(seg)
            if subject is None:
                v = _first_verb(ws)
                subject = " ".join(ws[:v]) if v else None
            if k > 0 and seg.lower().startswith("which "):
                seg = "This " + seg[6:]
            elif k > 0 and subject and re.match(r"(it|this|that)\s+\S", seg, re.I) and len(ws) > 1 and _is_verb(ws[1]):
                seg = f"{subject} {' '.join(ws[1:])}"  # "..., but it doesn't raise VO2max" -> the shared subject
            elif k > 0 and _first_verb(ws, 0) is None and (base := _gerund_base(ws[0])) and subject:
                last = _bare(subject.split()[-1])
                if last not in {"you", "i", "we", "they"} and not last.endswith("s"):
                    base = base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")  # "Lifting uses"
                seg = f"{subject} {base} {' '.join(ws[1:])}".strip()  # "while using less oxygen"
            elif k > 0 and _is_verb(ws[0]) and _bare(ws[0]) not in _AUX and subject and pieces:
                seg = f"{subject} {seg}"
            for p in _split_and(seg):
                p = _clean(p)
                if p:
                    pieces.append(p)
    pieces = _drop_prefaces(pieces, claim)
    pieces = [q for p in pieces for q in _sufficiency(p)]
    out, seen = [], set()
    for p in pieces:
        key = p.lower()
        if key not in seen and len(terms(p)) >= 2:
            seen.add(key)
            out.append(p[0].upper() + p[1:])
    out = out[:MAX_PARTS] or [" ".join(claim.split())]
    return out


_PLENTY = re.compile(r"^(?P<x>.{6,80}?)\s+(?:is|are)\s+(?:plenty|all (?:you|runners|a runner) needs?|more than enough)$", re.I)


def _sufficiency(part: str) -> list[str]:
    """"X is plenty" says two things: X is enough, and more than X adds nothing."""
    m = _PLENTY.match(part)
    if not m:
        return [part]
    x = m.group("x")
    return [f"{x} is enough to get the benefits", f"More than {x[0].lower() + x[1:]} adds nothing"]


def _segments(sent: str) -> list[str]:
    """Split at strong clause boundaries (";", ", so", "which means", "while", "because", ": "...)."""
    out, pos = [], 0
    for m in _STRONG.finditer(sent):
        out.append(sent[pos:m.start()])
        pos = m.end()
    out.append(sent[pos:])
    segs: list[str] = []
    for seg in (s for s in out if s.strip()):
        if segs and _first_verb(seg.split(), 0) is None and not _gerund_base(seg.split()[0]):
            segs[-1] = f"{segs[-1]}, {seg.strip()}"  # "...powerlifting: heavy, low reps" stays one statement
        else:
            segs.append(seg)
    return segs


def _drop_prefaces(pieces: list[str], claim: str) -> list[str]:
    """Drop lead-ins with nothing to check ("The research here is fairly consistent", "That last point matters")."""
    if len(pieces) < 2:
        return pieces
    keep = []
    for i, p in enumerate(pieces):
        short = len(p.split()) <= 7
        checkable = bool(outcomes(p)) or bool(re.search(r"\b(lift\w*|strength|squat\w*|heavy|light|reps?|sessions?|"
                                                        r"plyometric\w*|weights?|circuits?)\b", p, re.I))
        if i < len(pieces) - 1 and short and not checkable:
            continue
        keep.append(p)
    return keep or pieces


def split_figure_phrase(part: str) -> list[str]:
    """"X improves economy, often by three to eight percent" -> the bare statement and the statement with its figure."""
    m = re.search(r",\s*((often|usually|typically|generally|up to|by|in the range of|around|about|roughly)\b[^,]*?"
                  rf"{_NUM}\s*(%|percent|per cent)[^,]*)(,|$)", part, re.I)
    if not m:
        return [part]
    bare = (part[:m.start()] + part[m.end() - len(m.group(5) or ""):]).strip(" ,")
    return [bare, part] if len(terms(bare)) >= 3 else [part]


# -- numbers ---------------------------------------------------------------------------------------------------
def _num(s: str) -> float:
    s = s.lower()
    return float(_WORDNUM[s]) if s in _WORDNUM else float(s)


def claimed_percent(text: str) -> tuple[float, float, str] | None:
    """(low, high, qualifier) of a percentage in the claim: "3–8%", "up to 8%", "by half"."""
    t = text.lower()
    m = re.search(rf"{_NUM}\s*(?:%|percent|per cent)?\s*(?:[-–]|to)\s*{_NUM}\s*(?:%|percent|per cent)", t)
    if m:
        return _num(m.group(1)), _num(m.group(2)), "range"
    m = re.search(rf"(up to|as much as|at least|more than|over|about|around|roughly|nearly|almost|by)?\s*{_NUM}\s*(%|percent|per cent)", t)
    if m:
        v = _num(m.group(2))
        return v, v, (m.group(1) or "").strip()
    m = re.search(r"\b(in half|halves|halve|by half|a third|a quarter)\b", t)
    if m:
        v = {"in half": 50, "halves": 50, "halve": 50, "by half": 50, "a third": 33, "a quarter": 25}[m.group(1)]
        return float(v), float(v), "by"
    return None


_RACE_MIN = {"5k": 30, "5 k": 30, "5-km": 30, "3k": 15, "3000": 15, "10k": 60, "10 k": 60, "10-km": 60,
             "half": 120, "marathon": 240}


def claimed_time_percent(text: str) -> float | None:
    """A claimed time gain ("three minutes off my 5k") as a lowest-possible percentage of the race time."""
    t = text.lower()
    m = re.search(rf"{_NUM}\s*(minutes?|mins?|seconds?|secs?)\b", t)
    if not m:
        pc = claimed_percent(t)
        return pc[1] if pc else None
    amount = _num(m.group(1)) / (60 if m.group(2).startswith("s") else 1)
    for key, minutes in _RACE_MIN.items():
        if key in t:
            return 100 * amount / minutes
    return None


def compare_figure(fig: Figure, part: str) -> tuple[str, str] | None:
    """(verdict, sentence relating the claim's figure to the evidence's), or None when the part has no figure."""
    if not (fig.cue.search(part) and fig.needs.search(part)):
        return None
    if fig.quantity == "multiple":
        return fig.verdict or "no-evidence", f"No study here matches the figure: {fig.says}."
    if fig.quantity == "sessions":
        m = re.search(rf"{_NUM}\s*(?:sessions?|times|days|workouts?)?\s*(?:a|per|each)\s+week", part.lower()) or \
            re.search(r"\b(once|twice)\b", part.lower())
        if not m:
            return None
        n = _num(m.group(1))
        lo, hi = fig.range
        if lo <= n <= hi:
            return "supported", f"The claim's {n:g} a week is within what the evidence used: {fig.says}."
        return "no-evidence", f"No trial here tested {n:g} sessions a week: {fig.says}."
    if fig.quantity == "minutes":
        pct = claimed_time_percent(part)
        if pct is None:
            return None
        lo, hi = fig.range
        if pct > hi:
            return "not-supported", (f"The claimed gain is at least {pct:.0f}% of the race time, beyond anything measured: "
                                     f"{fig.says}.")
        return "supported", f"A gain of about {pct:.0f}% is in line with the trials: {fig.says}."
    pc = claimed_percent(part)
    if pc is None and fig.verdict is None:
        return None
    lo_c, hi_c, qual = pc if pc else (None, None, "")
    shown = ("" if pc is None else f"{lo_c:g}–{hi_c:g}%" if lo_c != hi_c else f"{hi_c:g}%")
    if fig.verdict:
        lead = f"The claim's {shown}: " if shown else ""
        return fig.verdict, f"{lead}{fig.says[0].upper() + fig.says[1:] if not lead else fig.says}."
    lo, hi = fig.range
    typical = fig.typical if fig.typical is not None else (lo + hi) / 2
    if hi_c > hi and qual not in ("at least",) or (qual in ("at least", "more than", "over") and lo_c > hi):
        return "not-supported", f"The claim's {shown} is above the evidence: {fig.says}."
    if qual in ("up to", "as much as") or (lo_c >= lo and hi_c <= typical * 1.25 and lo_c == hi_c):
        return "supported", f"The claim's {shown} fits the evidence: {fig.says}."
    return "mixed", f"The claim's {shown} is at the high end or narrower than the evidence: {fig.says}."


# -- the checker ---------------------------------------------------------------------------------------------
@dataclass
class _Judged:
    part: str
    verdict: str
    reason: str
    for_sources: tuple = ()
    against_sources: tuple = ()
    pro: list = field(default_factory=list)     # Candidates for the claim as written
    con: list = field(default_factory=list)     # Candidates against it
    nearest: list = field(default_factory=list)  # Candidates on the nearest question (no-evidence)
    figure_note: str | None = None
    article_claim: str | None = None
    how: str = "ledger"


class ClaimChecker:
    """Judges claims and passages with an Assistant's loaded services (retriever, encoder, composer, ledger)."""

    NO_OUTCOME_SIMILARITY = 0.70   # a part naming no outcome must match a ledger text this closely
    EXTRA_CLAUSE_GAP = 0.06        # ...and the part is this much closer to its first statement than to the rest
    PARAPHRASE_MARGIN = 0.07       # paraphrases this close to the best count as equally good readings

    def __init__(self, assistant):
        self.a = assistant
        self._meta: dict[str, dict] | None = None

    # -- data about the corpus ------------------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, dict]:
        if self._meta is None:
            from .corpus import load_corpus

            try:
                self._meta = {s.id: dict(s.meta) for s in load_corpus(self.a.settings.corpus_dir)}
            except Exception:  # noqa: BLE001 — front matter only refines judgements
                self._meta = {}
        return self._meta

    # -- public ------------------------------------------------------------------------------------------------
    def _fix(self, text: str) -> str:
        """Spelling correction of plain words only ("runing" -> "running"; "it's" and "high-load" stay)."""
        fix = self.a.fixer.fix_word
        return re.sub(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])", lambda m: fix(m.group(0)), text)

    def check(self, claim: str, in_passage: bool = False) -> ClaimResult:
        from .messages import INJECTION_NOTICE, NO_EVIDENCE, clean_question

        t0 = time.perf_counter()
        c = clean_question(claim, self.a.settings.max_question_chars)
        self.a.load()
        intent = analyse(c, self.a.fixer)
        intent.text = self._fix(c)
        notices = []
        body, cited = self._strip_citation(intent.text)
        if cited:
            notices.append(cited)
        anecdote = bool(_FIRST_PERSON.search(body))
        docs = self.a.retriever.invoke(body)
        if self.out_of_scope(intent, c, body, in_passage):
            res = ClaimResult(question=c, answer=NO_EVIDENCE, verdict="no-evidence")
            res.parts = [Part(c, "no-evidence")]
        else:
            parts = []
            for p in ([body] if anecdote else decompose(body)):
                parts += split_figure_phrase(p)
            judged = [self.judge(p, whole=body if len(parts) > 1 else "") for p in parts]
            res = self._render(c, judged, notices, anecdote)
            claim_ids = {j.article_claim for j in judged if j.article_claim}
            res.caveats = caveat_rules.select(intent, res.citations, claim_ids)
        res.retrieved = [d.metadata["source_id"] for d in docs]
        res.contexts = [d.page_content for d in docs]
        if intent.injection:
            res.notice = INJECTION_NOTICE
        res.timings_ms["total"] = round((time.perf_counter() - t0) * 1000, 2)
        return res

    def check_passage(self, passage: str) -> PassageResult:
        from .errors import InputError

        t0 = time.perf_counter()
        if not isinstance(passage, str) or not passage.strip():
            raise InputError("the passage is empty — paste a paragraph or an article to check")
        if len(passage) > 200_000:
            raise InputError(f"the passage is {len(passage):,} characters; the limit is 200,000 — check it in parts")
        self.a.load()
        claims = extract_claims(passage)[:MAX_PASSAGE_CLAIMS]
        results = [self.check(cl, in_passage=True) for cl in claims]
        return PassageResult(passage, results, {"total": round((time.perf_counter() - t0) * 1000, 2)})

    # -- scope ---------------------------------------------------------------------------------------------
    def out_of_scope(self, intent, raw: str, body: str, in_passage: bool = False) -> bool:
        if in_passage:
            return False  # the passage sets the topic; its sentences were picked as checkable
        if self.a._out_of_scope(intent, raw):
            return True
        if not (intent.domain or intent.related or intent.running):
            vec = self.a.encoder(body)
            m = self.a.matcher.match(body, vec)
            return m is None
        # a subject the corpus never mentions ("barefoot running", "ice baths") puts the claim outside the sources
        ws = _words(body)
        v = _first_verb(ws)
        subject = " ".join(ws[:v]) if v else ""
        if subject and self.unknown_subject(subject) and not re.search(r"\b(strength|lift\w*|weights?|training|squat\w*|"
                                                                       r"plyometric\w*|resistance)\b", body, re.I):
            m = self.a.matcher.match(body, self.a.encoder(body))
            return not (m and m.similarity >= self.a.settings.claim_similarity_unknown)
        return False

    def unknown_subject(self, text: str) -> bool:
        """True when the text names something the corpus never mentions (e.g. a supplement or a shoe type)."""
        fixer = self.a.fixer
        words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)} - STOPWORDS - EVALUATIVE
        return any(w not in fixer.vocab and fixer.fix_word(w) == w for w in words)

    def _strip_citation(self, text: str) -> tuple[str, str | None]:
        """Remove "A study in <journal> found that ..." and say whether the corpus holds such a study."""
        m = _CITED.match(text) or _ACCORDING.match(text)
        if not m:
            return text, None
        body = text[m.end():].strip()
        if len(terms(body)) < 2:
            return text, None
        head = text[:m.end()]
        v = _VENUE.search(head)
        named = (v.group("venue") or v.group("authors")) if v else (m.groupdict().get("adj") or m.groupdict().get("src"))
        body = body[0].upper() + body[1:]
        if not named or len(terms(named)) == 0 or named.lower() in {"the", "a", "research"}:
            return body, ("The claim cites a study without naming it, so it cannot be looked up; the verdict rests on "
                          "the studies in my sources.")
        held = self._held(named)
        if held:
            names = ", ".join(held[:4]) + (" and others" if len(held) > 4 else "")
            return body, (f"The claim cites “{named.strip()}” without naming the study; my sources include work from "
                          f"there ({names}), and the verdict rests on what my sources found, not on the unnamed study.")
        return body, (f"My sources don't include the study the claim cites (“{named.strip()}”), so I can't check it; "
                      "the verdict rests on the studies my sources do hold.")

    def _held(self, named: str) -> list[str]:
        want = {t for t in terms(named) if t not in {"journal", "study", "research", "sport", "sports", "university",
                                                      "international", "review", "et", "al"}}
        if not want:
            return []
        out = []
        for sid, m in self.meta.items():
            fields = ("authors", "id") if re.search(r"\bet al\b", named) else ("journal",)
            hay = set(terms(" ".join(str(m.get(k) or "") for k in fields)))
            if want <= hay:
                out.append(_short_name(sid))
        return out

    # -- judging one part ----------------------------------------------------------------------------------
    def judge(self, part: str, whole: str = "") -> _Judged:
        a = self.a
        vec = a.encoder(part)
        if whole and whole != part and not outcomes(part) and not _DOMAIN_WORD.search(part):
            # a part keeps a little of its sentence's context ("you don't need to stop entirely" -> before a race)
            vec = vec + 0.3 * a.encoder(whole)
            vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        part_out = outcomes(part)
        fig_hit = None
        for fig in figures():
            r = compare_figure(fig, part)
            if r:
                fig_hit = (fig, r)
                break
        match = self.match_ledger(part, vec, part_out)
        j: _Judged | None = None
        if match:
            j = _Judged(part, match.verdict, match.claim.reason, match.evidence_for, match.evidence_against,
                        article_claim=match.claim.article_claim, how="ledger")
        if fig_hit:
            fig, (fv, note) = fig_hit
            if fig.verdict in ("supported", "not-supported") and negated(part):
                fv = "supported" if fv == "not-supported" else "not-supported"  # "doesn't lower body fat"
            if j is None:
                j = _Judged(part, fv, note, how="figure")
            if fv in ("not-supported", "mixed") or j.how == "figure" or (fv == "supported" and j.verdict == "mixed") \
                    or fig.verdict == "no-evidence":
                j.verdict = fv
            j.figure_note = note
            fs, fa = fig.sources, fig.against
            if j.verdict == "supported":
                j.for_sources = tuple(dict.fromkeys((*j.for_sources, *fs)))
                j.against_sources = tuple(dict.fromkeys((*j.against_sources, *fa)))
            elif j.verdict == "no-evidence":
                j.nearest = self._best(vec, fig.query, fs, 3)
            else:
                j.against_sources = tuple(dict.fromkeys((*fa, *fs, *j.against_sources)))
            if j.how == "figure":
                j.reason = note
        if j is None:
            j = self._from_evidence(part, vec, part_out)
        if j.how != "evidence" and j.verdict != "no-evidence":
            qv = vec
            if not j.pro:
                j.pro = self._best(qv, part, j.for_sources, 2)
            if not j.con:
                j.con = self._best(qv, part, j.against_sources, 2)
            if fig_hit and j.verdict != "no-evidence":
                fq = a.encoder(fig_hit[0].query)
                extra = self._best(fq, fig_hit[0].query, fig_hit[0].against if j.verdict == "supported"
                                   else fig_hit[0].against + fig_hit[0].sources, 2)
                j.con = _merge(j.con, extra, 3) if j.verdict != "supported" or fig_hit[0].against else j.con
                if j.verdict == "supported":
                    j.pro = _merge(j.pro, self._best(fq, fig_hit[0].query, fig_hit[0].sources, 1), 3)
        return j

    def match_ledger(self, part: str, vec: np.ndarray, part_out: set[str] | None = None):
        """The closest ledger text on the same question: same outcome, a comparison only for a comparison,
        "only X benefit" only for such a claim, the same population; polarity read from the part as written
        (of near-equal paraphrases, the reading that needs no flip wins)."""
        from .claims import Match

        m = self.a.matcher
        if not m.keys:
            return None
        part = normalise_polarity(part)
        part_out = outcomes(part) if part_out is None else part_out
        sims = m.emb @ vec
        comp_part = bool(_COMPARE.search(part))
        for i in np.argsort(-sims)[:12]:
            sim = float(sims[i])
            if sim < m.threshold:
                return None
            cid, k = m.keys[int(i)]
            claim = m.by_id[cid]
            ref = claim.texts[k]
            led_out = outcomes(" ".join(claim.texts))
            if part_out and led_out and not (part_out & led_out):
                continue  # on another outcome: "raises VO2max" is not the economy claim
            if not part_out and led_out and sim < self.NO_OUTCOME_SIMILARITY:
                continue  # "they need to lift heavier" names no outcome: only a close paraphrase may judge it
            if bool(_COMPARE.search(ref)) != comp_part:
                continue
            if self._says_more(ref, part):
                continue  # "two sessions are enough" is not "two sessions are the most that is useful; more is wasted"
            if bool(_ONLY.search(part)) != bool(_ONLY.search(ref)):
                continue
            if bool(_QUALIFIED.search(part)) != bool(_QUALIFIED.search(ref)):
                continue
            if bool(_POPULATION.search(part)) != bool(_POPULATION.search(" ".join(claim.texts))):
                continue
            flips = lambda r: ((negated(part) != is_negated(r)) + antonym_flips(part, r)) % 2  # noqa: E731
            near = [j for j, (c2, _) in enumerate(m.keys) if c2 == cid and float(sims[j]) >= sim - self.PARAPHRASE_MARGIN]
            readings = [flips(claim.texts[m.keys[j][1]]) for j in near]
            return Match(claim, sim, flips(ref) == 1 and 0 not in readings)
        return None

    def _says_more(self, ref: str, part: str) -> bool:
        """A compound ledger text ("X; Y") whose second statement the part does not make."""
        segs = [x for x in re.split(r"\s*;\s*|,\s+and\s+|,\s*so\s+", ref) if len(terms(x)) >= 2]
        if len(segs) < 2 or len(_segments(part)) > 1:
            return False
        pv = self.a.encoder(part)
        sims = [float(self.a.encoder(x) @ pv) for x in segs]
        return sims[0] - min(sims[1:]) > self.EXTRA_CLAUSE_GAP

    def _best(self, qv: np.ndarray, text: str, source_ids, limit: int) -> list[Candidate]:
        """Per source, its sentence closest to the part, preferring findings over commentary; best ``limit``."""
        comp = self.a.composer
        snap = comp.snapshot
        pen = {"How it bears on the article": 0.08, "Limitations": 0.04, "What was done": 0.05}
        q_terms = set(terms(text))
        q_weight = sum(snap.idf.get(t, 1.0) for t in q_terms) or 1.0
        best = []
        for sid in dict.fromkeys(source_ids):
            if sid == ARTICLE_ID:
                continue
            idxs = [i for i in snap.sents_by_source.get(sid, []) if comp.quotable[i]]
            if not idxs:
                continue
            sims = snap.sent_emb[idxs] @ qv
            scored = []
            for i, sim in zip(idxs, sims):
                lex = sum(snap.idf.get(t, 1.0) for t in q_terms & snap.sent_terms[i]) / q_weight
                s = 0.6 * float(sim) + 0.25 * lex + comp.config.prior(snap.sent_metas[i])
                s -= pen.get(snap.sent_metas[i].get("section"), 0.0)
                scored.append((s, i, float(sim)))
            s, i, sim = max(scored)
            best.append(Candidate(i, snap.sent_texts[i], snap.sent_metas[i], s, sim))
        best.sort(key=lambda c: -c.score)
        return best[:limit]

    def _from_evidence(self, part: str, vec: np.ndarray, part_out: set[str]) -> _Judged:
        """No ledger claim fits: judge by the direction of the retrieved findings on the part's outcome."""
        a = self.a
        docs = a.retriever.invoke(part)
        cands = [c for c in a.composer.candidates(part, docs) if c.meta["source_id"] != ARTICLE_ID
                 and c.meta.get("type") != "article"]
        on_topic = [c for c in cands if c.semantic >= 0.42 and (not part_out or outcomes(c.text) & part_out)]
        claim_dir = "null" if (negated(part) or _ONLY.search(part)) else "harm" if _HARM.search(part) else "effect"
        pro, con, seen = [], [], set()
        w_for = w_against = 0.0
        for c in on_topic[:12]:
            sid = c.meta["source_id"]
            if sid in seen:
                continue
            d = self._direction(c)
            if d is None:
                continue
            seen.add(sid)
            w = {"meta-analysis": 2.0, "systematic-review": 2.0, "rct": 1.5}.get(c.meta.get("design_class"), 1.0)
            agrees = (d == claim_dir) if claim_dir != "harm" else (d == "harm")
            if agrees:
                w_for += w
                pro.append(c)
            else:
                w_against += w
                con.append(c)
        total = w_for + w_against
        if not part_out or total < 1.5 or _COMPARE.search(part):  # a comparison needs a trial that compared
            near = [c for c in cands if c.semantic >= 0.35][:3]
            near = _dedupe_sources(near, 2)
            return _Judged(part, "no-evidence", "No study here tested this directly; the nearest evidence is quoted below.",
                           nearest=near, how="nearest")
        if w_for >= 2 * w_against:
            v = "supported"
        elif w_against >= 2 * w_for:
            v = "not-supported"
        else:
            v = "mixed"
        reason = (f"No curated claim matches this wording, so it was judged from the closest findings: "
                  f"{len(pro)} point the claim's way and {len(con)} do not.")
        return _Judged(part, v, reason, pro=pro[:2], con=con[:2], how="evidence")

    def _direction(self, c: Candidate) -> str | None:
        text = c.text
        meta = self.meta.get(c.meta["source_id"], {})
        if _OUTCOME_RX["economy"].search(text) and meta.get("re_result") in ("improved", "no-change"):
            own = "null" if _NULL.search(text) else "effect" if _EFFECT.search(text) else None
            if own is not None:
                return own
            return "effect" if meta["re_result"] == "improved" else "null"
        if _NULL.search(text):
            return "null"
        if _HARM.search(text):
            return "harm"
        if _EFFECT.search(text):
            return "effect"
        return None

    # -- rendering -------------------------------------------------------------------------------------------
    def _render(self, claim: str, judged: list[_Judged], notices: list[str], anecdote: bool) -> ClaimResult:
        verdicts = [j.verdict for j in judged]
        overall = overall_verdict(verdicts)
        citations: list[Citation] = []
        by_idx: dict[int, int] = {}

        def cite(c: Candidate) -> int:
            if c.idx not in by_idx:
                m = c.meta
                n = len(citations) + 1
                citations.append(Citation(n, m["source_id"], m["title"], c.text, m.get("url") or None))
                by_idx[c.idx] = n
            return by_idx[c.idx]

        pro_lines, con_lines, near_lines = [], [], []
        part_refs: list[list[int]] = []
        for j in judged:
            refs = []
            for c in j.pro[:2]:
                n = cite(c)
                refs.append(n)
                if c.idx not in {x[0] for x in pro_lines}:
                    pro_lines.append((c.idx, f"{c.text} [{n}]"))
            for c in j.con[:2]:
                n = cite(c)
                refs.append(n)
                if c.idx not in {x[0] for x in con_lines} | {x[0] for x in pro_lines}:
                    con_lines.append((c.idx, f"{c.text} [{n}]"))
            for c in j.nearest[:3]:
                n = cite(c)
                refs.append(n)
                if c.idx not in {x[0] for x in near_lines + pro_lines + con_lines}:
                    near_lines.append((c.idx, f"{c.text} [{n}]"))
            part_refs.append(sorted(set(refs)))
        all_refs = sorted({n for r in part_refs for n in r})
        marker = lambda ns: "".join(f"[{n}]" for n in ns)  # noqa: E731

        out = []
        reason = self._overall_reason(judged, overall, claim)
        summary_of = f" *(the assistant's summary of {marker(all_refs)})*" if all_refs else " *(the assistant's summary)*"
        out.append(f"**Verdict: {VERDICT_LABEL[overall]}.** {reason}{summary_of}")
        for note in notices:
            out.append(f"*{note}*")
        if anecdote:
            out.append("*One person's result is not a controlled comparison: it can't show what caused the change, so it "
                       "is judged here by what the trials measured.*")
        if len(judged) > 1 and len(set(verdicts)) > 1:
            lines = [f"- “{j.part}”: {PART_LABEL[j.verdict]} {marker(r)}".rstrip() for j, r in zip(judged, part_refs)]
            out.append("**Parts of the claim** *(the assistant's reading of each part, with the sentences it rests on)*\n"
                       + "\n".join(lines))
        notes = [j.figure_note for j in judged if j.figure_note]
        if notes:
            refs = sorted({n for j, r in zip(judged, part_refs) if j.figure_note for n in r})
            out.append("**How the numbers compare** *(the assistant's summary of the cited sentences)*\n"
                       + "\n".join(f"- {n} {marker(refs)}".rstrip() for n in dict.fromkeys(notes)))
        if pro_lines:
            out.append("**Evidence for**\n" + "\n".join(f"- {t}" for _, t in pro_lines))
        if con_lines:
            out.append("**Evidence against**\n" + "\n".join(f"- {t}" for _, t in con_lines))
        if near_lines:
            out.append("**What the evidence says on the nearest question**\n" + "\n".join(f"- {t}" for _, t in near_lines))
        res = ClaimResult(question=claim, answer="\n\n".join(out), citations=citations, verdict=overall)
        res.parts = [Part(j.part, j.verdict, r) for j, r in zip(judged, part_refs)]
        return res

    def _overall_reason(self, judged: list[_Judged], overall: str, claim: str) -> str:
        if len(judged) == 1 or len({j.verdict for j in judged}) == 1:
            j = max(judged, key=lambda x: x.how == "ledger")
            r = (j.reason or "").strip()
            if j.verdict == "no-evidence" and j.figure_note:
                r = j.figure_note
            return r if r.endswith(".") else r + "."
        good = [j.part for j in judged if j.verdict == "supported"]
        bad = [j.part for j in judged if j.verdict in ("not-supported", "mixed")]
        if good and bad:
            return (f"The claim bundles {len(judged)} statements and the evidence splits: it backs “{_short(good[0])}” "
                    f"but not “{_short(bad[0])}” as stated.")
        return f"The claim bundles {len(judged)} statements and the evidence does not back them all as stated."


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _short_name(sid: str) -> str:
    m = re.match(r"([a-z-]+?)-(\d{4})", sid)
    if not m:
        return sid
    return " ".join(w.capitalize() for w in m.group(1).split("-")) + " " + m.group(2)


def _merge(a: list, b: list, limit: int) -> list:
    seen = {c.idx for c in a}
    return (a + [c for c in b if c.idx not in seen])[:limit]


def _dedupe_sources(cands: list, per: int) -> list:
    out, n = [], {}
    for c in cands:
        sid = c.meta["source_id"]
        if n.get(sid, 0) < 1:
            out.append(c)
            n[sid] = n.get(sid, 0) + 1
        if len(out) >= per:
            break
    return out


def overall_verdict(verdicts: list[str]) -> str:
    judged = [v for v in verdicts if v != "no-evidence"]
    if not judged:
        return "no-evidence"
    if all(v == "supported" for v in judged):
        return "supported"
    if all(v == "not-supported" for v in judged):
        return "not-supported"
    return "mixed"


# -- passages ------------------------------------------------------------------------------------------------
_CHECKABLE = re.compile(
    r"\b(lift\w*|strength|resistance|weights?|squats?|deadlifts?|plyometric\w*|jump\w*|reps?|repetitions?|sets?|"
    r"sessions?|heavy|light|circuits?|economy|economical|injur\w*|muscle\w*|bulk\w*|marathon\w*|race\w*|faster|"
    r"taper\w*|calf|single[- ]leg|compound|powerlift\w*|runners?|running|stride|healthy|performance)\b", re.I)
_STATEMENT = re.compile(
    r"\b(is|are|was|were|will|won't|can|cannot|can't|should|must|need|needs|don't|doesn't|do|does|makes?|improv\w*|"
    r"increas\w*|reduc\w*|prevent\w*|keeps?|builds?|trains?|produces?|costs?|comes?|traces?|shows?|found|helps?|"
    r"gets?|lowers?|raises?|cuts?|buys?|compounds?|want|leads?|causes?|gives?|protects?|matters?)\b", re.I)
_NOT_A_CLAIM = re.compile(r"(\?\s*$|^[“\"]|\b(click|sign up|subscribe|build a free plan|we'?ll set|try it)\b)", re.I)


def extract_claims(passage: str) -> list[str]:
    """The checkable sentences of a passage: statements (not questions or headings) about strength training or running."""
    out = []
    for para in re.split(r"\n\s*\n|\n", passage):
        para = " ".join(para.split())
        if not para:
            continue
        for s in split_sentences(para):
            words = s.split()
            if len(words) < 5 or len(words) > 90 or not s.rstrip().endswith((".", "!", "”", '"', ")")) and len(words) < 12:
                continue  # a heading or a fragment
            if _NOT_A_CLAIM.search(s) or not _CHECKABLE.search(s) or not _STATEMENT.search(s):
                continue
            out.append(s)
    return out


def format_passage(result: PassageResult, format_answer) -> str:
    """Plain-text report: each claim's check, then the summary table."""
    blocks = []
    for i, c in enumerate(result.claims, 1):
        blocks.append(f"## {i}. “{c.question}”\n\n{format_answer(c)}")
    blocks.append("## Summary\n\n" + result.table())
    return "\n\n".join(blocks)


def to_dict(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else asdict(obj)
