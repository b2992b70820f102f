"""Claims that cite a study ("A study in <journal> found that ..."): the citation is taken off the claim and
the reader told whether the corpus holds work from that source."""
from __future__ import annotations

import re

from .text import terms

_CITED = re.compile(
    r"^\s*(?:(?:a|an|one|the|this|these|new|newer|newest|recent|more|latest|landmark|famous|large|larger|big|small|"
    r"several|many|some|most|multiple|numerous|other|two|three|few|\d{1,4})\s+){0,3}"
    r"(?:(?P<adj>(?!(?:every|all|each|no)\b)[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*){0,3})\s+)?"
    r"(?P<noun>study|studies|trials?|papers?|reviews?|meta-analys[ie]s|research|researchers|scientists|experiments?|data|"
    r"guidelines?|guidance|position stand|recommendations)\b"
    r"(?P<rest>(?:(?!,\s*(?:and|but|so|while)\b)[^.])*?)\b(?:found|finds|showed|shows|show|proved|proves|reported|reports|concluded|concludes|"
    r"confirmed|confirms|demonstrated|demonstrates|says|suggests|suggested)\b(?:\s+(?:back\s+)?in\s+\d{4})?"
    r"(?:\s+(?:it|this)(?=\s*[:—–-]))?(?:\s+that)?[\s,:—–-]+", re.I)  # ("that trial proved it: X")
_ACCORDING = re.compile(r"^\s*according to\s+(?P<src>[^,]{3,120}),\s*", re.I)
_VENUE = re.compile(r"\b(?:in|published in|from|by|at|out of)\s+(?:the\s+)?(?P<venue>[A-Z][\w'’.&-]*(?:\s+(?:of|and|&|for|in|on|"
                    r"the|[A-Z][\w'’.&-]*))*(?:\s+[A-Z][\w'’.&-]*)?)|(?P<authors>[A-Z][\w'’-]+\s+et al\.?(?:,?\s*\(?\d{4}\)?)?)")



# Words that describe a kind of study or who was in it, rather than name a journal or an institution
_DESCRIPTIVE = re.compile(r"^(runner|runners|running|athlete|athletes|women|female|male|men|novice|elite|masters?|controlled|"
                          r"randomi[sz]ed|clinical|observational|small|large|recent|new|newer|older|long[- ]term|short[- ]term|"
                          r"human|lab|laboratory|sports?)\b", re.I)


# "Our club newsletter says X", "my coach reckons X": who said it is not evidence either way; X is the claim
_SAYS = re.compile(r"^\s*(?:my|our|the|a|an|his|her|their|this|that|some)\s+(?:[\w'’-]+\s+){0,3}?(?:says|said|claims|claimed|"
                   r"reckons|argues|swears|insists|tells (?:us|me|people|runners)|told (?:us|me))\s+(?:that\s+)?", re.I)


def strip_citation(text: str, meta: dict[str, dict]) -> tuple[str, str | None]:
    """Remove "A study in <journal> found that ..." and say whether the corpus holds such a study; a plain
    attribution ("our club newsletter says ...") is removed without a note."""
    said = _SAYS.match(text)
    if said and not re.search(r"\b(study|studies|trial|trials|paper|review|meta-analys[ie]s|research)\b", said.group(0), re.I) \
            and len(terms(text[said.end():])) >= 2:
        rest = text[said.end():].strip()
        return rest[0].upper() + rest[1:], None
    m = _CITED.match(text) or _ACCORDING.match(text)
    if not m:
        return text, None
    body = text[m.end():].strip()
    if len(terms(body)) < 2:
        return text, None
    head = text[:m.end()]
    who = re.search(r"\b(in|of|on|with|among)\s+((\w+[- ])?(\w+\s+)?(runners|marathoners|athletes|novices|beginners|women|men|"
                    r"teenagers|adolescents|masters runners|triathletes|cyclists))\b", m.groupdict().get("rest") or "")
    if who:  # "trials in runners found X": who was studied stays part of the claim
        body = f"{body.rstrip('.')} (in {m.group('noun')} {who.group(0)})"
    v = _VENUE.search(head)
    adj = m.groupdict().get("adj")
    if adj and _DESCRIPTIVE.match(adj):  # "Runner-specific trials show X": a kind of study, not a named one
        body = f"{body.rstrip('.')} (in {adj.lower()} {m.group('noun')})"
        adj = None
    named = (v.group("venue") or v.group("authors")) if v else (adj or m.groupdict().get("src"))
    body = body[0].upper() + body[1:]
    if not named or len(terms(named)) == 0 or named.lower() in {"the", "a", "research"}:
        return body, ("The claim cites a study without naming it, so it cannot be looked up; the verdict rests on "
                      "the studies in my sources.")
    held = held_from(named, meta)
    if held:
        names = ", ".join(held[:4]) + (" and others" if len(held) > 4 else "")
        return body, (f"The claim cites “{named.strip()}” without naming the study; my sources include work from "
                      f"there ({names}), and the verdict rests on what my sources found, not on the unnamed study.")
    return body, (f"My sources don't include the study the claim cites (“{named.strip()}”), so I can't check it; "
                  "the verdict rests on the studies my sources do hold.")

def held_from(named: str, meta: dict[str, dict]) -> list[str]:
    want = {t for t in terms(named) if t not in {"journal", "study", "research", "sport", "sports", "university",
                                                  "international", "review", "et", "al"}}
    if not want:
        return []
    acronym = named.strip() if re.fullmatch(r"[A-Z]{3,6}", named.strip()) else None  # "BJSM", "MSSE", "JSCR"
    out = []
    for sid, m in meta.items():
        fields = ("authors", "id") if re.search(r"\bet al\b", named) else ("journal",)
        hay = set(terms(" ".join(str(m.get(k) or "") for k in fields)))
        if want <= hay or (acronym and acronym == _initials(str(m.get("journal") or ""))):
            out.append(_short_name(sid))
    return out


def _initials(journal: str) -> str:
    """"Br J Sports Med 2014;48:871–877", "British Journal of Sports Medicine 52(24)" -> "BJSM": what runners call a
    journal ("a BJSM meta-analysis")."""
    name = re.split(r"[\d(]", journal, maxsplit=1)[0]
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in {"of", "and", "in", "the", "on"}).upper()


def _short_name(sid: str) -> str:
    m = re.match(r"([a-z-]+?)-(\d{4})", sid)
    if not m:
        return sid
    return " ".join(w.capitalize() for w in m.group(1).split("-")) + " " + m.group(2)

