"""Read the shared fact sheets and check that a corpus note invents no numbers.

Used by the test suite and by hand while writing notes (topic guides, ``type: guide``, are
checked sentence by sentence against the studies each sentence names):

    python tests/factsheets.py corpus/storen-2008.md [...]
    python tests/factsheets.py corpus/ledger/claims.yaml   # each claim's `reason`, like a guide sentence
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

SHEETS_DIR = Path(__file__).resolve().parents[2] / "shared" / "evidence"
_SLUG = re.compile(r"^## ([a-z][a-z0-9-]*-[0-9]{4}[a-z]?)\s*$", re.M)
_HEADING = re.compile(r"^## ", re.M)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d)[ ,\u2009\u202f](?=\d{3}\b)")
# Fields that are identifiers, not facts: their digits are not checked.
SKIP_FIELDS = {"doi", "url", "id", "urls"}


def numbers(text: str) -> set[str]:
    """Every number in `text`, thousands separators removed, trailing .0 dropped."""
    text = _THOUSANDS.sub("", text)
    out = set()
    for m in _NUMBER.findall(text):
        out.add(m[:-2] if m.endswith(".0") else m)
    return out


def sheet_paths() -> list[Path]:
    return sorted(SHEETS_DIR.glob("*.md"))


def sections(path: Path) -> dict[str, str]:
    """Split a sheet into its `## ` sections, keyed by heading text."""
    text = path.read_text(encoding="utf-8")
    parts = _HEADING.split(text)
    out: dict[str, str] = {}
    for part in parts[1:]:
        head, _, body = part.partition("\n")
        out[head.strip()] = out.get(head.strip(), "") + "\n" + body
    out["__preamble__"] = parts[0]
    return out


def slugs() -> set[str]:
    found: set[str] = set()
    for p in sheet_paths():
        found.update(_SLUG.findall(p.read_text(encoding="utf-8")))
    return found


def entry_text(slug: str) -> str:
    """All sheet text about one slug: its entries in every sheet and its summary-table rows."""
    chunks = []
    for p in sheet_paths():
        secs = sections(p)
        if slug in secs:
            chunks.append(secs[slug])
        for line in secs.get("Summary table", "").splitlines():
            if line.startswith(f"| {slug} |"):
                chunks.append(line)
    return "\n".join(chunks)


def whole_sheets_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sheet_paths())


def note_numbers(path: Path) -> set[str]:
    """Numbers a note states: its body and front-matter values, identifiers excluded."""
    text = path.read_text(encoding="utf-8")
    _, fm, body = text.split("---", 2)
    meta = yaml.safe_load(fm) or {}

    def walk(v) -> str:
        if isinstance(v, dict):
            return " ".join(walk(x) for k, x in v.items() if k not in SKIP_FIELDS)
        if isinstance(v, list):
            return " ".join(walk(x) for x in v)
        return "" if v is None or isinstance(v, bool) else str(v)

    return numbers(walk(meta) + "\n" + body)


def invented_numbers(path: Path) -> set[str]:
    """Numbers in a corpus note that its fact-sheet source does not contain."""
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---", 2)[1]) or {}
    sid = meta.get("id", "")
    if sid in slugs():
        allowed = numbers(entry_text(sid))
    else:  # synthesis notes may use any number the sheets give
        allowed = numbers(whole_sheets_text())
    return note_numbers(path) - allowed


# --- Topic guides (corpus/guide-*.md): numbers are checked sentence by sentence -------------------

ARTICLE_PATH = SHEETS_DIR.parent / "source" / "runners-lift-heavier.txt"
_WORD_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "fifteen": "15", "twenty": "20"}
_TRANSLIT = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e", "è": "e",
                           "á": "a", "í": "i", "ó": "o", "ñ": "n", "’": "", "'": ""})
# A year as studies are cited ("Støren 2008", "Llanos-Lagos 2024a"); not part of a longer number.
_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d\d)([a-z])?(?!\d|%|[.,]\d)")
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*|\S")
_CONNECTORS = {"and", "&", "van", "der", "de", "den", "von"}
# "Rønnestad 2010, 2011" / "Lauersen 2014 and 2018": a bare year right after a cited one reuses its name.
_CONTINUES = re.compile(r"^\s*(?:,|/|and|&)\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\sa-z])")


def article_numbers() -> set[str]:
    """Numbers the article states, in digits or in words (its 3–6 reps, two sessions, 3–8 percent ...)."""
    if not ARTICLE_PATH.exists():
        return set()
    text = ARTICLE_PATH.read_text(encoding="utf-8")
    out = numbers(text)
    out.update(_WORD_NUMBERS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _WORD_NUMBERS)
    return out


def _slug_parts(slug: str) -> tuple[str, str, str]:
    m = re.match(r"^(.*)-(\d{4})([a-z]?)$", slug)
    return (m.group(1), m.group(2), m.group(3)) if m else (slug, "", "")


def _resolve(tokens: list[str], year: str, letter: str | None, known: set[str]) -> list[str]:
    """Slugs a cited name + year points at: the longest run of trailing name words that matches a
    slug's name part exactly wins; failing that, a first-author prefix ("Raysmith" -> raysmith-drew)."""
    keys = []
    for i in range(len(tokens)):
        part = tokens[i:]
        if part[0].lower() in {"and", "&"}:
            continue
        words = [t for t in part if t.lower() not in {"and", "&"}]
        keys.append("-".join(words).lower().translate(_TRANSLIT))
    dated = [s for s in known if _slug_parts(s)[1] == year and (not letter or _slug_parts(s)[2] == letter)]
    for exact in (True, False):
        for key in keys:
            hits = sorted(s for s in dated if _slug_parts(s)[0] == key
                          or (not exact and _slug_parts(s)[0].startswith(key + "-")))
            if hits:
                return hits
    return []


def study_mentions(sentence: str, known: set[str] | None = None) -> tuple[list[str], list[str], str]:
    """(slugs the sentence names, cited names that match no slug, the sentence with the citation
    years blanked out so they are not counted as stated numbers)."""
    known = slugs() if known is None else known
    found: list[str] = []
    unknown: list[str] = []
    blanked = sentence
    last_end, last_name = -1, None
    for m in _YEAR.finditer(sentence):
        before = sentence[:m.start()]
        name: list[str] = []
        for tok in reversed(_TOKEN.findall(before)):
            if tok.lower() in _CONNECTORS or tok[0].isupper():
                name.insert(0, tok)
                if len(name) == 5:
                    break
            else:
                break
        while name and name[0].lower() in {"and", "&"}:
            name.pop(0)
        if not name and last_name and _CONTINUES.match(sentence[last_end:m.start()]):
            name = last_name
        if not name:
            continue  # a plain number that happens to look like a year: checked like any other
        hits = _resolve(name, m.group(1), m.group(2), known)
        if hits:
            found.extend(h for h in hits if h not in found)
        else:
            unknown.append(f"{' '.join(name)} {m.group(0)}")
        blanked = blanked[:m.start()] + " " * (m.end() - m.start()) + blanked[m.end():]
        last_end, last_name = m.end(), name
    return found, unknown, blanked


def guide_sentences(path: Path) -> list[str]:
    """A guide's title and body, one sentence per item (headings left out)."""
    text = path.read_text(encoding="utf-8")
    _, fm, body = text.split("---", 2)
    meta = yaml.safe_load(fm) or {}
    out = [str(meta[k]) for k in ("title", "key_finding") if meta.get(k)]
    for block in re.split(r"\n\s*\n", body):
        para = " ".join(ln.strip() for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))
        if para:
            out.extend(s.strip() for s in _SENTENCE_END.split(para) if s.strip())
    return out


def sentence_number_problems(sentences: list[str], label: str, allow_article: bool = True,
                             allowed_slugs: set[str] | None = None) -> list[str]:
    """Every sentence's numbers must be in the fact-sheet entries of the studies that sentence names
    (plus the article's own figures when ``allow_article``); a sentence with a number must name a study,
    every cited name + year must be a fact-sheet slug, and (with ``allowed_slugs``) every named study must
    be one of those.  One line per problem, starting with ``label``."""
    known = slugs()
    art = article_numbers() if allow_article else set()
    problems = []
    for sent in sentences:
        named, unknown, blanked = study_mentions(sent, known)
        short = sent if len(sent) <= 90 else sent[:87] + "..."
        for u in unknown:
            problems.append(f"{label}: '{short}': cites '{u}', which is no fact-sheet slug — fix the name or year")
        if allowed_slugs is not None:
            for slug in named:
                if slug not in allowed_slugs:
                    problems.append(f"{label}: '{short}': names {slug}, which is not among its sources — "
                                    f"cite one of its sources or add {slug} to them")
        stated = numbers(blanked)
        if not stated:
            continue
        if not named:
            if not unknown:
                problems.append(f"{label}: '{short}': states {sorted(stated)} but names no study — name the study the numbers come from")
            continue
        allowed = set(art)
        for slug in named:
            allowed |= numbers(entry_text(slug))
        extra = stated - allowed
        if extra:
            problems.append(f"{label}: '{short}': {sorted(extra)} not in the entries of {', '.join(named)}")
    return problems


def guide_number_problems(path: Path) -> list[str]:
    """For a topic guide: every sentence's numbers must be in the fact-sheet entries of the studies
    that sentence names (plus the article's own figures); a sentence with a number must name a
    study, and every cited name + year must be a fact-sheet slug.  One line per problem."""
    return sentence_number_problems(guide_sentences(path), path.name)


# --- Claim ledger (corpus/ledger/claims.yaml): each `reason` is checked like a guide sentence -------------

def ledger_reasons(path: Path) -> list[tuple[str, str, set[str]]]:
    """(claim id, reason, the claim's `for` + `against` sources) for every ledger entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [(str(c.get("id", "?")), str(c.get("reason") or ""), set(c.get("for") or []) | set(c.get("against") or []))
            for c in raw if isinstance(c, dict)]


def ledger_reason_problems(path: Path) -> list[str]:
    """For the claim ledger: each reason's numbers must be in the fact-sheet entries of the studies it
    names (the article's figures don't count: a reason states the evidence), every cited name + year must
    be a slug, and every named study must be one of the claim's `for`/`against` sources."""
    problems = []
    for cid, reason, sources in ledger_reasons(path):
        problems += sentence_number_problems([reason], f"{path.name} ({cid})", allow_article=False,
                                             allowed_slugs=sources)
    return problems


def is_guide(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---", 2)[1]) or {}
    return meta.get("type") == "guide"


if __name__ == "__main__":
    bad = 0
    for arg in sys.argv[1:]:
        if arg.endswith((".yaml", ".yml")):
            probs = ledger_reason_problems(Path(arg))
            bad += bool(probs)
            print("\n".join(probs) if probs else f"{arg}: ok")
            continue
        if is_guide(Path(arg)):
            probs = guide_number_problems(Path(arg))
            bad += bool(probs)
            print("\n".join(probs) if probs else f"{arg}: ok")
            continue
        extra = invented_numbers(Path(arg))
        if extra:
            bad += 1
            print(f"{arg}: numbers not in its fact-sheet entry: {sorted(extra)}")
        else:
            print(f"{arg}: ok")
    sys.exit(1 if bad else 0)
