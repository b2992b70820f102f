"""Load, validate and chunk the corpus: Markdown notes with YAML front matter.

Every problem is reported as ``path:line: what is wrong`` (CorpusError), all of them
at once, so a maintainer can fix a batch of notes in one pass.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CorpusError

ARTICLE_ID = "runners-lift-heavier"   # the article the corpus is built around
# Section headings the answer path gives a meaning to (docs/corpus-format.md): study notes, then guides.
SUMMARY, KEY_FINDINGS, WHAT_WAS_DONE = "Summary", "Key findings for runners", "What was done"
WHAT_WAS_FOUND, LIMITATIONS, ARTICLE_SECTION = "What was found", "Limitations", "How it bears on the article"
SHORT_ANSWER, STUDIES_FOUND, GAPS = "The short answer", "What the studies found", "What the evidence doesn't cover"
NOTE_SECTIONS = (SUMMARY, KEY_FINDINGS, WHAT_WAS_DONE, WHAT_WAS_FOUND, LIMITATIONS, ARTICLE_SECTION)
GUIDE_SECTIONS = (SHORT_ANSWER, STUDIES_FOUND, GAPS)
TYPES = {"article", "study", "review-summary", "guide"}  # guide: a runner-facing topic guide (corpus/guide-*.md)
STANCES = {"supports", "qualifies", "contradicts"}
CLAIM_IDS = {
    "re-improvement", "faster-paces", "heavy-vs-light", "no-bulk", "race-performance",
    "fatigue-resistance", "injury-prevention", "health-lever", "dose-frequency",
    "exercise-selection", "rep-range", "taper", "safety",
}
RE_RESULTS = {"improved", "no-change", "mixed", "not-measured"}
# field -> (types it may take, required for which note types)
_STR, _INT, _LIST = (str,), (int,), (list,)
FIELDS: dict[str, tuple[tuple[type, ...], set[str]]] = {
    "id": (_STR, TYPES),
    "type": (_STR, TYPES),
    "title": (_STR, TYPES),
    "authors": (_LIST, {"study"}),
    "year": (_INT, {"study"}),
    "journal": (_STR, {"study"}),
    "doi": (_STR, set()),
    "url": (_STR, set()),
    "design": (_STR, {"study"}),
    "design_class": (_STR, {"study", "review-summary"}),
    "population": (_STR, {"study"}),
    "intervention": (_STR, {"study"}),
    "key_finding": (_STR, {"study"}),
    "claims": (_LIST, {"study", "review-summary"}),
    "tags": (_LIST, TYPES),
    "re_result": (_STR, set()),
    "re_improvement_pct": ((int, float), set()),
    "question_types": (_LIST, {"guide"}),   # the question types (assistant/data/question_types.yaml) a guide answers
    "asks": (_LIST, set()),  # a guide's sentences and the questions each answers first: [{sentence, asks: [...]}]
}
_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: ~8x faster on the corpus


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    id: str
    path: Path
    meta: dict
    body: str
    sections: tuple[Section, ...]
    file_hash: str

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def url(self) -> str | None:
        if self.meta.get("url"):
            return self.meta["url"]
        if self.meta.get("doi"):
            return "https://doi.org/" + self.meta["doi"]
        return None

    @property
    def text(self) -> str:
        """All the source's prose, as quotes are checked against."""
        return "\n\n".join(p for s in self.sections for p in s.paragraphs)


@dataclass(frozen=True)
class Chunk:
    id: str
    source_id: str
    text: str
    section: str
    position: int
    metadata: dict = field(hash=False)

    @property
    def embed_text(self) -> str:
        return f"{self.metadata['title']} — {self.section}\n{self.text}"

    @property
    def hash(self) -> str:
        return self.metadata["hash"]


def _line_of(lines: list[str], key: str, default: int) -> int:
    for i, line in enumerate(lines):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return i + 2  # +1 for 1-based, +1 for the opening ---
    return default


def parse_file(path: Path) -> Source:
    """Parse and validate one note; raise CorpusError listing every problem in it."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise CorpusError(f"{path}:{line}: not valid UTF-8 (byte 0x{raw[e.start]:02x}) — save the file as UTF-8") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CorpusError(f"{path}:1: empty file — add YAML front matter and a body, or delete it")
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise CorpusError(f"{path}:1: missing YAML front matter — the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise CorpusError(f"{path}:1: front matter is not closed — add a '---' line after it") from None
    fm_lines = lines[1:end]
    try:
        meta = yaml.load("\n".join(fm_lines), Loader=YAML_LOADER)
    except yaml.YAMLError:
        line, problem = _yaml_error("\n".join(fm_lines))
        raise CorpusError(f"{path}:{line}: invalid YAML front matter: {problem}") from None
    if not isinstance(meta, dict):
        raise CorpusError(f"{path}:2: front matter must be a mapping of fields")
    errors = _validate(path, meta, fm_lines)
    body = "\n".join(lines[end + 1:])
    sections = _sections(body, meta.get("title", ""))
    if not any(s.paragraphs for s in sections):
        errors.append(f"{path}:{end + 2}: the note has no body text")
    flat = " ".join(" ".join(p for p in s.paragraphs) for s in sections)
    for a in meta.get("asks") or []:
        start = a.get("sentence") if isinstance(a, dict) else None
        if isinstance(start, str) and flat.count(start) != 1:
            errors.append(f"{path}:{_line_of(fm_lines, 'asks', 2)}: asks: {start!r} must start exactly one sentence of "
                          f"the body — copy the sentence's first words exactly, adding words until they are unique")
    if errors:
        raise CorpusError("\n".join(errors))
    return Source(meta["id"], path, meta, body, sections, hashlib.sha256(raw).hexdigest())


def _yaml_error(text: str) -> tuple[int, str]:
    """(file line, problem) of a YAML error, from the pure-Python parser, whose marks point at the
    line to fix (the C parser can point past it).  Only runs on the error path."""
    try:
        yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        return (mark.line + 2 if mark else 1), problem
    return 1, "unparseable"


def _validate(path: Path, meta: dict, fm_lines: list[str]) -> list[str]:
    errs: list[str] = []
    ntype = meta.get("type")
    if ntype not in TYPES:
        errs.append(f"{path}:{_line_of(fm_lines, 'type', 2)}: 'type' must be one of {sorted(TYPES)}, got {ntype!r}")
        return errs
    for name, (types, required_for) in FIELDS.items():
        value = meta.get(name)
        line = _line_of(fm_lines, name, 2)
        if value is None or value == "" or value == []:
            if ntype in required_for:
                errs.append(f"{path}:{line}: missing required field '{name}'")
            continue
        if not isinstance(value, types) or isinstance(value, bool):
            errs.append(f"{path}:{line}: field '{name}' should be {' or '.join(t.__name__ for t in types)}, got {type(value).__name__}")
    sid = meta.get("id")
    if isinstance(sid, str):
        if not _ID_RE.match(sid):
            errs.append(f"{path}:{_line_of(fm_lines, 'id', 2)}: id {sid!r} must be lowercase letters, digits and hyphens")
        elif path.stem != sid:
            errs.append(f"{path}:{_line_of(fm_lines, 'id', 2)}: id {sid!r} does not match the file name — rename the file to {sid}.md")
    if ntype == "study" and not (meta.get("doi") or meta.get("url")):
        errs.append(f"{path}:2: a study needs a 'doi' or a 'url'")
    if meta.get("re_result") not in (None, *RE_RESULTS):
        errs.append(f"{path}:{_line_of(fm_lines, 're_result', 2)}: re_result must be one of {sorted(RE_RESULTS)}")
    for i, c in enumerate(meta.get("claims") or []):
        line = _line_of(fm_lines, "claims", 2)
        if not isinstance(c, dict) or c.get("claim") not in CLAIM_IDS or c.get("stance") not in STANCES:
            errs.append(f"{path}:{line}: claims[{i}] needs 'claim' (one of the ids in docs/corpus-format.md) and 'stance' (supports/qualifies/contradicts)")
    for i, a in enumerate(meta.get("asks") or []):
        line = _line_of(fm_lines, "asks", 2)
        if not isinstance(a, dict) or not isinstance(a.get("sentence"), str) or not a.get("asks") \
                or not all(isinstance(q, str) and q.strip() for q in a.get("asks") or []):
            errs.append(f"{path}:{line}: asks[{i}] needs 'sentence' (the sentence's first words) and 'asks' (a list of questions)")
    for t in meta.get("tags") or []:
        if not isinstance(t, str) or not _ID_RE.match(t):
            errs.append(f"{path}:{_line_of(fm_lines, 'tags', 2)}: tag {t!r} must be lowercase words joined by hyphens")
    return errs


def _sections(body: str, title: str) -> tuple[Section, ...]:
    out: list[Section] = []
    heading, paras, buf = "Overview", [], []

    def flush_para():
        if buf:
            paras.append(" ".join(x.strip() for x in buf).strip())
            buf.clear()

    for line in body.split("\n"):
        m = re.match(r"^#{1,6}\s+(.*)$", line)
        if m:
            flush_para()
            if paras:
                out.append(Section(heading, tuple(paras)))
            heading, paras = m.group(1).strip(), []
        elif not line.strip():
            flush_para()
        else:
            buf.append(line)
    flush_para()
    if paras:
        out.append(Section(heading, tuple(paras)))
    return tuple(out)


def load_corpus(corpus_dir: Path) -> list[Source]:
    """Every ``*.md`` in ``corpus_dir``, validated; raises CorpusError with all problems."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus folder not found — set ASSISTANT_CORPUS_DIR or restore corpus/")
    files = sorted(corpus_dir.glob("*.md"))
    if not files:
        raise CorpusError(f"{corpus_dir}: no .md notes in the corpus folder")
    sources, errors, seen = [], [], {}
    failed: list[Path] = []
    for f in files:
        try:
            src = parse_file(f)
        except CorpusError as e:
            errors.append(str(e))
            failed.append(f)
            continue
        if src.id in seen:
            errors.append(f"{f}:{_line_of(src.path.read_text(encoding='utf-8').split(chr(10))[1:], 'id', 2)}: duplicate id {src.id!r} (also in {seen[src.id].name})")
            continue
        seen[src.id] = f
        sources.append(src)
    for f in failed:  # a broken note may still clash with a good one's id: say so too
        m = re.search(r"(?m)^id:\s*['\"]?([a-z0-9-]+)", f.read_bytes().decode("utf-8", "replace"))
        if m and m.group(1) in seen:
            errors.append(f"{f}:2: duplicate id {m.group(1)!r} (also in {seen[m.group(1)].name})")
    if errors:
        raise CorpusError("\n".join(errors))
    return sources


def corpus_hash(sources: list[Source]) -> str:
    """Hash of every note's id and bytes (ids equal file names, so ``files_hash`` gives the same value)."""
    return _hash_pairs((s.id, s.file_hash) for s in sources)


def files_hash(corpus_dir: Path) -> str:
    """``corpus_hash`` from the files alone, without parsing them: a cheap staleness check."""
    return _hash_pairs((p.stem, hashlib.sha256(p.read_bytes()).hexdigest()) for p in Path(corpus_dir).glob("*.md"))


def _hash_pairs(pairs) -> str:
    h = hashlib.sha256()
    for name, digest in sorted(pairs):
        h.update(name.encode() + b"\0" + digest.encode())
    return h.hexdigest()


def chunk_source(src: Source, max_chars: int) -> list[Chunk]:
    """One chunk per paragraph, short neighbours in a section merged up to ``max_chars``."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    base = {
        "source_id": src.id,
        "title": src.title,
        "type": src.meta["type"],
        "year": src.meta.get("year") or 0,
        "design_class": src.meta.get("design_class") or src.meta["type"],
        "tags": ",".join(src.meta.get("tags") or []),
        "question_types": ",".join(src.meta.get("question_types") or []),
        "url": src.url or "",
    }
    for sec in src.sections:
        merged: list[str] = []
        for p in sec.paragraphs:
            if merged and len(merged[-1]) + len(p) + 1 <= max_chars and len(merged[-1]) < max_chars // 3:
                merged[-1] = merged[-1] + "\n\n" + p
            else:
                merged.append(p)
        for text in merged:
            pos = len(chunks)
            digest = hashlib.sha256(f"{src.title}\0{sec.heading}\0{text}".encode()).hexdigest()[:16]
            cid = f"{src.id}#{digest}"
            seen[cid] = seen.get(cid, 0) + 1
            if seen[cid] > 1:
                cid += f"-{seen[cid]}"
            meta = dict(base, section=sec.heading, position=pos, hash=digest)
            chunks.append(Chunk(cid, src.id, text, sec.heading, pos, meta))
    return chunks
