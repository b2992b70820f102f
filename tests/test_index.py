"""Ingest: incremental by content hash, atomic generations, damage detection."""
from __future__ import annotations

import pytest

from assistant.errors import AssistantError, CorpusError, IndexMissingError
from assistant.index import IndexManager
from assistant.settings import Settings


@pytest.fixture
def mgr(tmp_path, small_corpus, embedder):
    return IndexManager(Settings(data_dir=tmp_path / "data", corpus_dir=small_corpus), embedder=embedder)


def test_first_build_then_noop(mgr):
    with pytest.raises(IndexMissingError, match="strength-assistant ingest"):
        mgr.open_current()
    first = mgr.ingest()
    assert first.changed and first.sources == 4 and first.added == first.chunks > 0
    assert first.embedded == first.sentences
    again = mgr.ingest()
    assert not again.changed and again.embedded == 0 and again.unchanged == first.chunks
    chunks, sents, claims, man = mgr.open_current()
    assert chunks.count() == first.chunks and sents.count() == first.sentences
    assert man["generation"] == first.generation


def test_editing_one_file_reembeds_only_its_new_sentences(mgr, small_corpus):
    base = mgr.ingest()
    p = small_corpus / "wu-2024.md"
    p.write_text(p.read_text(encoding="utf-8") + "\nWu 2024 is a new paragraph added for this test about supervised programmes.\n",
                 encoding="utf-8")
    rep = mgr.ingest()
    assert rep.changed and rep.embedded == 1
    assert rep.updated >= 1 and rep.added == 0
    assert rep.unchanged >= base.chunks - 2


def test_removed_source_is_deleted(mgr, small_corpus):
    base = mgr.ingest()
    (small_corpus / "acsm-2009.md").unlink()
    rep = mgr.ingest()
    assert rep.removed > 0 and rep.embedded == 0 and rep.chunks == base.chunks - rep.removed
    chunks, *_ = mgr.open_current()
    ids, _, metas, _ = chunks.get_all()
    assert "acsm-2009" not in {m["source_id"] for m in metas}


def test_rebuild_embeds_everything(mgr):
    base = mgr.ingest()
    rep = mgr.ingest(rebuild=True)
    assert rep.changed and rep.embedded == base.sentences and rep.generation > base.generation


def test_bad_corpus_leaves_the_index_serving(mgr, small_corpus):
    base = mgr.ingest()
    (small_corpus / "bad.md").write_text("---\nid: bad\ntitle: [oops\n---\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.md:3: invalid YAML"):
        mgr.ingest()
    chunks, *_, man = mgr.open_current()
    assert man["generation"] == base.generation and chunks.count() == base.chunks


def test_damaged_collection_is_detected_not_served_empty(mgr):
    base = mgr.ingest()
    chunks, *_ = mgr.open_current()
    ids, _, _, _ = chunks.get_all()
    chunks.delete(ids[: len(ids) // 2])  # simulate lost rows
    with pytest.raises(AssistantError, match="ingest --rebuild"):
        mgr.open_current()
    rep = mgr.ingest()  # a damaged index is rebuilt in full
    assert rep.changed and rep.embedded == base.sentences
    assert mgr.open_current()[0].count() == base.chunks


def test_old_generations_are_collected(mgr, small_corpus):
    mgr.ingest()
    for i in range(3):
        p = small_corpus / "wu-2024.md"
        p.write_text(p.read_text(encoding="utf-8") + f"\nExtra test paragraph number {i} about Wu 2024.\n", encoding="utf-8")
        mgr.ingest()
    names = {c.name for c in mgr.client.list_collections()}
    gens = {n.split("-g")[1].split("-")[0] for n in names if "-g" in n}
    assert len(gens) <= 2
