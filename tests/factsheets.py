"""Read the shared fact sheets and check that a corpus note invents no numbers.

Used by the test suite and by hand while writing notes:

    python tests/factsheets.py corpus/storen-2008.md [...]
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


if __name__ == "__main__":
    bad = 0
    for arg in sys.argv[1:]:
        extra = invented_numbers(Path(arg))
        if extra:
            bad += 1
            print(f"{arg}: numbers not in its fact-sheet entry: {sorted(extra)}")
        else:
            print(f"{arg}: ok")
    sys.exit(1 if bad else 0)
