"""The corpus loader's validation, and the corpus itself against the shared fact sheets."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

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


# --- Topic guides (corpus/guide-*.md) ---------------------------------------------------------------

GUIDES = sorted(CORPUS.glob("guide-*.md"))
GUIDE_SECTIONS = ["The short answer", "What the studies found", "What the evidence doesn't cover"]
GUIDE_SENTENCES = {"The short answer": (2, 4), "What the studies found": (3, 8), "What the evidence doesn't cover": (2, 5)}


def _question_type_ids() -> list[str]:
    data = yaml.safe_load((REPO / "assistant" / "data" / "question_types.yaml").read_text(encoding="utf-8"))
    return [t["id"] for t in data]


def _tag_vocabulary() -> set[str]:
    doc = (REPO / "docs" / "corpus-format.md").read_text(encoding="utf-8")
    block = doc.split("- `tags`:", 1)[1]
    return set(re.findall(r"[a-z][a-z0-9-]*", block))


def test_every_question_type_has_one_guide():
    ids = _question_type_ids()
    assert sorted(p.stem for p in GUIDES) == sorted(f"guide-{i}" for i in ids)
    for src in load_corpus(CORPUS):
        if src.meta["type"] == "guide":
            assert src.meta["question_types"] == [src.id.removeprefix("guide-")], src.id


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_guide_shape(path):
    """Front matter from the vocabularies; three sections; plain 12–45-word sentences, no bullets or questions."""
    src = parse_file(path)
    meta = src.meta
    assert meta["type"] == "guide" and meta["design_class"] == "review-summary"
    assert set(meta["tags"]) <= _tag_vocabulary(), set(meta["tags"]) - _tag_vocabulary()
    assert set(meta["sheets"]) <= {"performance", "health-and-dosing"} and isinstance(meta["secondary"], bool)
    assert [s.heading for s in src.sections] == GUIDE_SECTIONS
    assert "?" not in src.body
    assert not re.search(r"(?m)^\s*([-*+]|\d+\.)\s", src.body)
    if meta["secondary"]:
        assert "[secondary" in src.body or "second-hand" in src.body
    for sec in src.sections:
        sentences = [s for p in sec.paragraphs for s in factsheets._SENTENCE_END.split(p) if s.strip()]
        lo, hi = GUIDE_SENTENCES[sec.heading]
        assert lo <= len(sentences) <= hi, (sec.heading, len(sentences))
        for s in sentences:
            assert 12 <= len(s.split()) <= 45, s
    lead = factsheets._SENTENCE_END.split(src.sections[0].paragraphs[0])[0]
    named, _, blanked = factsheets.study_mentions(lead) if HAVE_SHEETS else (["-"], [], "1")
    assert named and factsheets.numbers(blanked), f"the first sentence should give the evidence's numbers and name its studies: {lead}"


@needs_sheets
@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_guide_numbers_come_from_the_studies_each_sentence_names(path):
    assert factsheets.guide_number_problems(path) == []


@needs_sheets
def test_guide_number_check_catches_planted_problems(tmp_path):
    good = (CORPUS / "guide-load-intensity.md").read_text(encoding="utf-8")
    assert factsheets.guide_number_problems(write(tmp_path, "guide-load-intensity.md", good)) == []
    planted = {
        # a figure the named study's entry does not give
        "In Støren 2008, running economy improved by 9.7% after the half-squat programme.": "['9.7'] not in the entries of storen-2008",
        # a figure from another study's entry than the one the sentence names
        "In Vikmoen 2016, running economy improved by 5.0% after heavy lifting twice a week.": "['5'] not in the entries of vikmoen-2016",
        # a number with no study named in the sentence
        "Most runners who lift improve their running economy by about 4% within a couple of months.": "names no study",
        # a cited name that is no fact-sheet slug
        "Smith 2019 found heavy lifting made runners faster in a large trial of club runners.": "cites 'Smith 2019'",
        # right name, wrong year
        "Støren 2009 found running economy improved after heavy half-squats in trained runners.": "cites 'Støren 2009'",
    }
    for sentence, message in planted.items():
        bad = write(tmp_path, "guide-load-intensity.md", good.replace("## What the studies found\n", f"## What the studies found\n\n{sentence}\n", 1))
        problems = factsheets.guide_number_problems(bad)
        assert len(problems) == 1 and message in problems[0], (sentence, problems)


@needs_sheets
@pytest.mark.parametrize("sentence, slugs", [
    ("In Støren 2008, economy improved (Eihara 2022; Støren 2008).", ["storen-2008", "eihara-2022"]),
    ("One session a week kept the gains (Rønnestad 2010, 2011).", ["ronnestad-2010", "ronnestad-2011"]),
    ("Mixed-sport trials (Lauersen 2014 and 2018) found large reductions.", ["lauersen-2014", "lauersen-2018"]),
    ("Raysmith and Drew 2016 and Keogh and Winwood 2017 and Van der Vlist 2019.", ["raysmith-drew-2016", "keogh-winwood-2017", "van-der-vlist-2019"]),
    ("Llanos-Lagos 2024, Videbæk 2015, Leppänen 2024, ACSM 2009 and Rønnestad and Mujika 2014.",
     ["llanos-lagos-2024a", "videbaek-2015", "leppanen-2024", "acsm-2009", "ronnestad-mujika-2014"]),
])
def test_guide_citations_map_to_slugs(sentence, slugs):
    named, unknown, _ = factsheets.study_mentions(sentence)
    assert named == slugs and unknown == []


# --- Claim ledger reasons (corpus/ledger/claims.yaml): the sentence a check shows after its verdict ------

LEDGER = CORPUS / "ledger" / "claims.yaml"


def test_ledger_reasons_are_one_evidence_sentence():
    """Each reason is one sentence of at most 45 words that names its studies and gives their numbers,
    and does not open with a study name (the check lower-cases the reason's first letter)."""
    for cid, reason, _ in factsheets.ledger_reasons(LEDGER):
        assert reason.endswith("."), cid
        assert len(factsheets._SENTENCE_END.split(reason)) == 1, (cid, reason)
        assert len(reason.split()) <= 45, (cid, len(reason.split()))
        if HAVE_SHEETS:
            named, _, blanked = factsheets.study_mentions(reason)
            assert named and factsheets.numbers(blanked), f"{cid}: name the studies and give their numbers: {reason}"
            assert not any(reason.lower().startswith(s.split("-")[0]) for s in named), (cid, reason)


@needs_sheets
def test_ledger_reason_numbers_come_from_the_studies_each_names():
    assert factsheets.ledger_reason_problems(LEDGER) == []


@needs_sheets
def test_ledger_reason_check_catches_planted_problems(tmp_path):
    text = LEDGER.read_text(encoding="utf-8")
    assert factsheets.ledger_reason_problems(write(tmp_path, "claims.yaml", text)) == []
    old = "a meta-analysis pooled about 3.93% (Denadai 2017)"
    assert old in text
    planted = {
        # a figure the named study's entry does not give
        "a meta-analysis pooled about 4.7% (Denadai 2017)": "['4.7'] not in the entries of",
        # a figure from another study's entry (Piacentini 2013's 6.17%) than the one the reason names
        "a meta-analysis pooled about 6.17% (Denadai 2017)": "['6.17'] not in the entries of",
        # the article's own figures don't count in a reason (the guides may use them; a reason states evidence)
        "a meta-analysis pooled about 3.93% over 42 km (Denadai 2017)": "['42'] not in the entries of",
        # a study that is not among the claim's sources
        "a meta-analysis pooled about 3.93% (Denadai 2017; Zanini 2025)": "names zanini-2025, which is not among its sources",
        # right name, wrong year
        "a meta-analysis pooled about 3.93% (Denadai 2016)": "cites 'Denadai 2016'",
    }
    for new, message in planted.items():
        bad = write(tmp_path, "claims.yaml", text.replace(old, new, 1))
        problems = factsheets.ledger_reason_problems(bad)
        assert any(message in x for x in problems), (new, problems)  # a wrong year also orphans its numbers
        assert all("(heavy-lifting-improves-running-economy)" in x for x in problems), problems
