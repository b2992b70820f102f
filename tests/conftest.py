"""Shared fixtures: the real MiniLM model and one real Chroma index per test session."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from assistant.settings import offline_env  # noqa: E402

offline_env()

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from assistant.embed import get_embedder  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402

# Every test runs with settings that point into tmp folders, never at the user's .data/.
for key in list(os.environ):
    if key.startswith("ASSISTANT_"):
        del os.environ[key]


@pytest.fixture(scope="session")
def embedder():
    return get_embedder("onnx", Settings().model_path)  # the ONNX export is cached in .data/models (git-ignored)


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory) -> Settings:
    """Settings whose data dir holds an index of the real corpus, built once."""
    data = tmp_path_factory.mktemp("data")
    s = Settings(data_dir=data)
    from assistant.index import IndexManager

    emb = get_embedder("onnx", s.model_path)
    (data / "models").symlink_to(emb.onnx_file.parent, target_is_directory=True)  # CLI subprocesses reuse the export
    IndexManager(s, embedder=emb).ingest()
    return s


@pytest.fixture(scope="session")
def assistant(built_settings, embedder) -> Assistant:
    a = Assistant(built_settings, embedder=embedder, progress=lambda m: None)
    a.load()
    return a


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """A copy of a few real notes, safe to edit."""
    d = tmp_path / "corpus"
    d.mkdir()
    for name in ("runners-lift-heavier", "storen-2008", "acsm-2009", "wu-2024"):
        shutil.copy(REPO / "corpus" / f"{name}.md", d / f"{name}.md")
    return d


@pytest.fixture
def cli_env(built_settings) -> dict:
    env = dict(os.environ)
    env["ASSISTANT_DATA_DIR"] = str(built_settings.data_dir)
    return env
