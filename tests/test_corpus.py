"""The corpus loader's validation, and the corpus itself against the shared fact sheets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import factsheets
from assistant.corpus import chunk_source, load_corpus, parse_file
from assistant.errors import CorpusError
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
GOOD = (CORPUS / "storen-2008.md").read_text(encoding="utf-8")
HAVE_SHEETS = factsheets.SHEETS_DIR.is_dir()
needs_sheets = pytest.mark.skipif(not HAVE_SHEETS, reason="../shared/evidence not beside the repo")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


def test_real_corpus_loads_with_unique_ids():
    sources = load_corpus(CORPUS)
    ids = [s.id for s in sources]
    assert len(ids) == len(set(ids))
    assert "runners-lift-heavier" in ids


def test_article_note_has_the_article_text():
    src = next(s for s in load_corpus(CORPUS) if s.id == "runners-lift-heavier")
    article = (REPO.parent / "shared" / "source" / "runners-lift-heavier.txt")
    if article.exists():
        for line in article.read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip():
                assert line.strip() in src.body
    assert "three to six hard repetitions" in src.text


@needs_sheets
def test_every_fact_sheet_slug_is_a_corpus_id():
    ids = {s.id for s in load_corpus(CORPUS)}
    slugs = factsheets.slugs()
    assert len(slugs) == 47
    assert slugs - ids == set()


@needs_sheets
@pytest.mark.parametrize("path", [p for p in sorted(CORPUS.glob("*.md")) if p.stem != "runners-lift-heavier"],
                         ids=lambda p: p.stem)  # the article is quoted verbatim, not summarised
def test_note_numbers_come_from_its_fact_sheet_entry(path):
    assert factsheets.invented_numbers(path) == set()


def test_number_check_catches_an_invented_figure(tmp_path):
    if not HAVE_SHEETS:
        pytest.skip("../shared/evidence not beside the repo")
    bad = write(tmp_path, "storen-2008.md", GOOD.replace("## Summary", "## Summary\n\nIn Støren 2008 economy improved 9.7% in a later follow-up.\n", 1))
    assert "9.7" in factsheets.invented_numbers(bad)


def test_secondary_facts_are_labelled():
    for src in load_corpus(CORPUS):
        if src.meta.get("secondary"):
            assert "[secondary" in src.body, src.id


@pytest.mark.parametrize("content, line, message", [
    ("", 1, "empty file"),
    ("no front matter here\n", 1, "missing YAML front matter"),
    ("---\nid: x\n", 1, "not closed"),
    ("---\nid: storen-2008\ntitle: [unclosed\ntype: study\n---\nbody\n", 3, "invalid YAML"),  # the line of the unclosed [
])
def test_structural_errors_name_file_and_line(tmp_path, content, line, message):
    p = write(tmp_path, "storen-2008.md", content)
    with pytest.raises(CorpusError) as e:
        parse_file(p)
    assert str(e.value).startswith(f"{p}:{line}:")
    assert message in str(e.value)


def test_missing_required_field_is_reported_at_its_place(tmp_path):
    p = write(tmp_path, "storen-2008.md", re.sub(r"(?m)^journal:.*\n", "", GOOD))
    with pytest.raises(CorpusError, match=r"storen-2008\.md:\d+: missing required field 'journal'"):
        parse_file(p)


def test_wrong_type_is_reported(tmp_path):
    p = write(tmp_path, "storen-2008.md", re.sub(r"(?m)^year:.*$", "year: twenty-oh-eight", GOOD))
    with pytest.raises(CorpusError, match=r":\d+: field 'year' should be int"):
        parse_file(p)


def test_non_utf8_file_reports_the_line(tmp_path):
    raw = GOOD.encode("utf-8").replace(b"## Summary", b"## Summary \xff\xfe", 1)
    line = raw[: raw.index(b"\xff")].count(b"\n") + 1
    p = write(tmp_path, "storen-2008.md", raw)
    with pytest.raises(CorpusError, match=rf"storen-2008\.md:{line}: not valid UTF-8"):
        parse_file(p)


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, "storen-2008.md", GOOD)
    write(tmp_path, "copy.md", GOOD)
    with pytest.raises(CorpusError) as e:
        load_corpus(tmp_path)
    assert "does not match the file name" in str(e.value) or "duplicate id" in str(e.value)


def test_id_must_match_file_name(tmp_path):
    p = write(tmp_path, "other.md", GOOD)
    with pytest.raises(CorpusError, match="does not match the file name"):
        parse_file(p)


def test_all_problems_are_reported_together(tmp_path):
    write(tmp_path, "storen-2008.md", re.sub(r"(?m)^journal:.*\n", "", GOOD))
    write(tmp_path, "broken.md", "")
    with pytest.raises(CorpusError) as e:
        load_corpus(tmp_path)
    msg = str(e.value)
    assert "broken.md:1: empty file" in msg and "missing required field 'journal'" in msg


def test_chunks_carry_source_title_and_section():
    src = next(s for s in load_corpus(CORPUS) if s.id == "storen-2008")
    chunks = chunk_source(src, Settings().chunk_chars)
    assert chunks and all(c.source_id == "storen-2008" and c.metadata["title"] == src.title for c in chunks)
    assert {c.section for c in chunks} >= {"Summary"}
    assert len({c.id for c in chunks}) == len(chunks)
    # every chunk is verbatim source text
    assert all(c.text.split("\n\n")[0] in src.text for c in chunks)
