"""Query checking and dense / BM25 / hybrid retrieval over an :class:`Index`."""

from __future__ import annotations

import time
import unicodedata
import warnings
from dataclasses import dataclass, field

import numpy as np

from .config import MODES, RetrievalConfig, Settings
from .embedding import Embedder
from .errors import ConfigError, QueryError
from .index import Index
from .schema import Hit
from .textrepair import normalize
from .tokenization import analyze


@dataclass(frozen=True)
class CleanQuery:
    """A validated query, and whether it had to be truncated."""

    text: str
    truncated: bool = False


def clean_query(raw: str, settings: Settings) -> CleanQuery:
    """NFC-normalise, strip control characters, and check length and content.

    Empty input and input with no letters or digits (only punctuation, emoji or
    control characters) are refused; input over ``max_query_chars`` is truncated with
    a warning; input over ``hard_max_query_chars`` is refused.
    """
    if raw is None:
        raise QueryError("the question is empty; type a question, e.g. \"재택근무 실시율은?\"")
    text = normalize(raw)
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QueryError("the question is empty; type a question, e.g. \"재택근무 실시율은?\"")
    if len(text) > settings.hard_max_query_chars:
        raise QueryError(
            f"the question is {len(text):,} characters long (limit {settings.hard_max_query_chars:,}); "
            f"ask a shorter question, or add long text to the corpus as a document"
        )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise QueryError("the question has no letters or numbers; ask in words, e.g. \"비대면 산업 전망은?\"")
    truncated = len(text) > settings.max_query_chars
    if truncated:
        text = text[: settings.max_query_chars]
        warnings.warn(f"question truncated to its first {settings.max_query_chars} characters", stacklevel=2)
    return CleanQuery(text, truncated)


@dataclass
class RetrievalResult:
    """Ranked hits plus per-stage timings in milliseconds."""

    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_vector: np.ndarray | None = None  # reused by answer extraction
    query_terms: list[str] = field(default_factory=list)
    query_tokens: list = field(default_factory=list)  # Kiwi's analysis, reused by the answerer


class Retriever:
    """Dense, BM25 or hybrid (weighted RRF) retrieval; stateless apart from the index and model."""

    def __init__(self, index: Index, embedder: Embedder, config: RetrievalConfig | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()

    def warm_up(self) -> None:
        """Load the model and Kiwi, and run one query so first-user latency is normal."""
        import faiss

        # One query at a time: FAISS's OpenMP threads cost more than they save here
        # (measured 2.5x slower with 2 threads on a 2-core machine).
        faiss.omp_set_num_threads(1)
        self.embedder.warm_up()
        # Kiwi initialises lazily on its first analysis (~1.3 s) and torch on its first
        # forward pass: pay both here, not on the first user's question.
        self.retrieve("비대면 산업의 전망은?", mode="hybrid", top_k=1)

    def retrieve(self, query: str, mode: str | None = None, top_k: int | None = None) -> RetrievalResult:
        """Rank chunks for an already-cleaned *query*."""
        cfg = self.config
        mode = mode or cfg.mode
        if mode not in MODES:
            raise ConfigError(f"retrieval mode {mode!r} is not one of {', '.join(MODES)}")
        top_k = top_k or cfg.top_k
        timings: dict[str, float] = {}
        depth = max(cfg.candidates, top_k)
        dense: list[tuple[int, float]] = []
        sparse: list[tuple[int, float]] = []
        qvec = None
        t = time.perf_counter()
        kiwi_tokens, toks = analyze(query)
        timings["morphemes"] = _ms(t)
        if mode in ("dense", "hybrid"):
            t = time.perf_counter()
            qvec = self.embedder.encode_query(query)
            timings["embed"] = _ms(t)
            t = time.perf_counter()
            dense = self.index.dense_search(qvec, depth)
            timings["faiss"] = _ms(t)
        if mode in ("bm25", "hybrid"):
            t = time.perf_counter()
            sparse = self.index.bm25_search(toks, depth)
            timings["bm25"] = _ms(t)
        t = time.perf_counter()
        if mode == "dense":
            ranked = dense
        elif mode == "bm25":
            ranked = sparse
        else:
            ranked = rrf(dense, sparse, cfg)
        d_rank = {i: r for r, (i, _) in enumerate(dense, 1)}
        s_rank = {i: r for r, (i, _) in enumerate(sparse, 1)}
        hits = [
            Hit(self.index.chunks[i], score, r, d_rank.get(i), s_rank.get(i))
            for r, (i, score) in enumerate(ranked[:top_k], 1)
        ]
        timings["fusion"] = _ms(t)
        return RetrievalResult(hits, timings, qvec, toks, kiwi_tokens)


def rrf(dense: list[tuple[int, float]], sparse: list[tuple[int, float]], cfg: RetrievalConfig) -> list[tuple[int, float]]:
    """Weighted Reciprocal Rank Fusion of two ranked lists.

    ``score(d) = w_dense / (k + rank_dense(d)) + w_bm25 / (k + rank_bm25(d))``. The
    constant ``k`` (60) damps the head of each list so agreement between the two
    rankings matters more than one list's top position. Dense is primary: its weight
    is higher, and ties are broken by dense rank, so an exact number or name lookup
    that dense already ranks first is not flipped by BM25.
    """
    scores: dict[int, float] = {}
    for r, (i, _) in enumerate(dense, 1):
        scores[i] = scores.get(i, 0.0) + cfg.dense_weight / (cfg.rrf_k + r)
    for r, (i, _) in enumerate(sparse, 1):
        scores[i] = scores.get(i, 0.0) + cfg.bm25_weight / (cfg.rrf_k + r)
    d_rank = {i: r for r, (i, _) in enumerate(dense, 1)}
    order = sorted(scores, key=lambda i: (-scores[i], d_rank.get(i, 1 << 30)))
    return [(i, scores[i]) for i in order]


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0
