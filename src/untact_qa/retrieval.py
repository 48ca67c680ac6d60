"""Query checking and dense / BM25 / hybrid retrieval over an :class:`Index`."""

from __future__ import annotations

import math
import time
import unicodedata
import warnings
from dataclasses import dataclass, field

import numpy as np

from .calibration import RANKER_FEATURES
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
    # the candidates of both retrievers (chunk rows, best fusion score first), their fusion
    # features and log-odds — reused by the answerer and by `untact-qa calibrate`
    candidates: list[int] = field(default_factory=list)
    features: np.ndarray | None = None
    logits: np.ndarray | None = None
    dense_max: float = 0.0


class Retriever:
    """Dense, BM25 or hybrid (weighted RRF) retrieval; stateless apart from the index and model."""

    def __init__(self, index: Index, embedder: Embedder, config: RetrievalConfig | None = None,
                 calibration=None) -> None:
        from . import calibration as cal

        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self.calibration = calibration or cal.load()

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
        # Both retrievers always run: the mode only decides the order of the hits, while the
        # evidence the answerer and the abstention model see is the same in every mode.
        t = time.perf_counter()
        qvec = self.embedder.encode_query(query)
        timings["embed"] = _ms(t)
        t = time.perf_counter()
        dense = self.index.dense_search(qvec, depth)
        timings["faiss"] = _ms(t)
        t = time.perf_counter()
        sparse = self.index.bm25_search(toks, depth)
        timings["bm25"] = _ms(t)
        t = time.perf_counter()
        cands = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in sparse]))
        feats = ranker_features(self.index, qvec, toks, dense, sparse, cands)
        logits = self.calibration.ranker.logits(feats) if len(cands) else np.zeros(0)
        order = np.argsort(-logits, kind="stable")
        cands = [cands[k] for k in order]
        feats, logits = feats[order], logits[order]
        if mode == "dense":
            ranked = dense
        elif mode == "bm25":
            ranked = sparse
        else:
            ranked = list(zip(cands, (float(x) for x in logits)))
        d_rank = {i: r for r, (i, _) in enumerate(dense, 1)}
        s_rank = {i: r for r, (i, _) in enumerate(sparse, 1)}
        hits = [
            Hit(self.index.chunks[i], score, r, d_rank.get(i), s_rank.get(i))
            for r, (i, score) in enumerate(ranked[:top_k], 1)
        ]
        timings["fusion"] = _ms(t)
        return RetrievalResult(hits, timings, qvec, toks, kiwi_tokens, cands, feats, logits,
                               dense[0][1] if dense else 0.0)


def query_idf(index: Index, terms: list[str]) -> dict[str, float]:
    """IDF of each distinct query term over the corpus's sentences (unseen terms weigh most)."""
    n = max(1, len(index.sentence_keys))
    return {t: math.log(1 + n / (1 + index.sentence_df.get(t, 0))) for t in dict.fromkeys(terms)}


def ranker_features(index: Index, qvec: np.ndarray, terms: list[str], dense: list[tuple[int, float]],
                    sparse: list[tuple[int, float]], cands: list[int]) -> np.ndarray:
    """One row of :data:`~untact_qa.calibration.RANKER_FEATURES` per candidate chunk row.

    Dense evidence (chunk and best-sentence cosine, absolute and relative to the best in this
    query, reciprocal rank), BM25 evidence (score relative to the best, reciprocal rank) and
    lexical evidence (IDF share of the question's terms in the chunk and in its heading).
    Reciprocal ranks are RRF's terms; the fitted weights replace RRF's fixed constant.
    """
    n = len(cands)
    if n == 0:
        return np.zeros((0, len(RANKER_FEATURES)))
    rows = np.asarray(cands, dtype=np.int64)
    dcos = index.chunk_vectors[rows] @ qvec
    dmax = dense[0][1] if dense else float(dcos.max())
    d_rank = {i: r for r, (i, _) in enumerate(dense, 1)}
    b_rank = {i: r for r, (i, _) in enumerate(sparse, 1)}
    b_score = dict(sparse)
    b_max = sparse[0][1] if sparse else 1.0
    d_rr = np.array([1.0 / (1 + d_rank[i]) if i in d_rank else 0.0 for i in cands])
    b_rr = np.array([1.0 / (1 + b_rank[i]) if i in b_rank else 0.0 for i in cands])
    b_rel = np.array([b_score.get(i, 0.0) / b_max if b_max > 0 else 0.0 for i in cands])
    # best sentence similarity per chunk: one matrix product over all their sentences
    srows = [index.chunk_sentence_rows[i] for i in cands]
    lens = np.array([len(r) for r in srows])
    flat = np.concatenate(srows) if lens.sum() else np.zeros(0, np.int64)
    smax = dcos.copy()
    if len(flat):
        sims = np.where(flat >= 0, index.sentence_vectors[np.maximum(flat, 0)] @ qvec, -1.0)
        starts = np.r_[0, np.cumsum(lens)[:-1]]
        has = lens > 0
        smax[has] = np.maximum.reduceat(sims, starts[has])
    idf = query_idf(index, terms)
    total = sum(idf.values()) or 1.0
    cov = np.zeros(n)
    for t, w in idf.items():
        docs, _ = index.term_doc_scores(t)
        if len(docs):
            cov += w * np.isin(rows, docs)
    cov /= total
    hcov = np.array([sum(w for t, w in idf.items() if t in index.chunk_heading_terms[i]) for i in cands]) / total
    return np.column_stack([dcos, dcos - dmax, d_rr, b_rr, b_rel, smax, smax - smax.max(), cov, hcov, cov * hcov])


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0
