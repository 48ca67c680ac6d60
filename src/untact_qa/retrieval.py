"""Query checking and dense / BM25 / hybrid retrieval over an :class:`Index`."""

from __future__ import annotations

import math
import threading
import time
import unicodedata
import warnings
from dataclasses import dataclass, field

import numpy as np

from .calibration import RANKER_FEATURES
from .config import MODES, RetrievalConfig, Settings
from .crosslingual import latin_share
from .encoders import Embedder
from .errors import ConfigError, QueryError
from .schema import Hit
from .stores.base import Batch, CorpusStats, Store
from .textrepair import normalize
from .tokenization import kiwi, tokens_and_terms


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
    empty_ko = "질문이 비어 있습니다. 예: “재택근무 실시율은?”처럼 물어보세요."
    if raw is None:
        raise QueryError("the question is empty; type a question, e.g. \"재택근무 실시율은?\"", ko=empty_ko)
    text = normalize(raw)
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QueryError("the question is empty; type a question, e.g. \"재택근무 실시율은?\"", ko=empty_ko)
    if len(text) > settings.hard_max_query_chars:
        raise QueryError(
            f"the question is {len(text):,} characters long (limit {settings.hard_max_query_chars:,}); "
            f"ask a shorter question, or add long text to the corpus as a document",
            ko=f"질문이 {len(text):,}자로 너무 깁니다 (최대 {settings.hard_max_query_chars:,}자). 짧게 물어보시고, "
               f"긴 글은 ‘문서 추가’로 올려 주세요.",
        )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise QueryError("the question has no letters or numbers; ask in words, e.g. \"비대면 산업 전망은?\"",
                         ko="질문에 글자나 숫자가 없습니다. 예: “비대면 산업 전망은?”처럼 말로 물어보세요.")
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
    # the candidates of both retrievers (chunk ids, best fusion score first), their fusion
    # features, log-odds and fetched records — reused by the answerer and `untact-qa calibrate`
    candidates: list[str] = field(default_factory=list)
    features: np.ndarray | None = None
    logits: np.ndarray | None = None
    dense_max: float = 0.0
    batch: Batch | None = None


class Retriever:
    """Dense, BM25 or hybrid retrieval (hybrid: both lists fused by the fitted ranker over their
    scores, reciprocal ranks and coverage); stateless apart from the index and model."""

    def __init__(self, index: Store, embedder: Embedder, config: RetrievalConfig | None = None,
                 calibration=None) -> None:
        from . import calibration as cal

        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        self.calibration = calibration or cal.load(sentence_vectors=index.manifest.get("sentence_vectors", "separate"))

    _load_error: BaseException | None = None

    def _load_model(self) -> None:
        try:
            self.embedder.warm_up()
        except BaseException as exc:  # noqa: BLE001 - re-raised in warm_up's thread
            self._load_error = exc

    def warm_up(self) -> None:
        """Load the model and Kiwi, and run one query so first-user latency is normal."""
        import faiss

        # One query at a time: FAISS's OpenMP threads cost more than they save here
        # (measured 2.5x slower with 2 threads on a 2-core machine).
        faiss.omp_set_num_threads(1)
        # The model and Kiwi load at the same time: onnxruntime builds its session without
        # holding the GIL, so the two cores overlap them (measured: new process to first
        # answer, median of 5, 3.7 s vs 4.4 s one after the other).
        loader = threading.Thread(target=self._load_model, daemon=True)
        loader.start()
        kiwi().tokenize("비대면 산업의 전망은?")  # Kiwi's constructor and its lazy first analysis
        loader.join()
        if self._load_error is not None:
            raise self._load_error
        # Kiwi initialises lazily on its first analysis (~1.3 s) and torch on its first
        # forward pass: pay both here, not on the first user's question.
        self.retrieve("비대면 산업의 전망은?", mode="hybrid", top_k=1)

    def retrieve(self, query: str, mode: str | None = None, top_k: int | None = None,
                 docs: list[str] | None = None, exclude=frozenset()) -> RetrievalResult:
        """Rank chunks for an already-cleaned *query* (only chunks of *docs* when given: the
        store filters while it searches, so the top k are the best of those documents).
        Chunks in *exclude* (ids already given as an answer) are left out."""
        cfg = self.config
        mode = mode or cfg.mode
        if mode not in MODES:
            raise ConfigError(f"retrieval mode {mode!r} is not one of {', '.join(MODES)}")
        top_k = top_k or cfg.top_k
        timings: dict[str, float] = {}
        depth = max(cfg.candidates, top_k) + len(exclude)
        dense: list[tuple[int, float]] = []
        sparse: list[tuple[int, float]] = []
        qvec = None
        t = time.perf_counter()
        kiwi_tokens, toks = tokens_and_terms(query)
        timings["morphemes"] = _ms(t)
        # Both retrievers always run: the mode only decides the order of the hits, while the
        # evidence the answerer and the abstention model see is the same in every mode.
        t = time.perf_counter()
        qvec = self.embedder.encode_query(query)
        timings["embed"] = _ms(t)
        # one version of the index for the whole query: an upload or delete meanwhile does not
        # take away a chunk between search and fetch
        index = self.index.snapshot()
        if latin_share(query) > 2 / 3:  # twice as many Latin letters as Hangul
            # an English question: BM25 and the reader's word overlap search the documents'
            # Korean words for its English ones, and those of its English words the documents
            # use ("UAE", "Zoom"); an English word they never use would weigh most and match
            # nothing (dense retrieval reads the question as it is)
            from .crosslingual import korean_terms

            df = index.stats.chunk_df
            korean = tokens_and_terms(" ".join(korean_terms(query, lambda w: df.get(w, 0) > 0)))[1]
            toks = list(dict.fromkeys([x for x in toks if df.get(x, 0)] + korean))
        t = time.perf_counter()
        dense = index.dense_search(qvec, depth, docs=docs)
        timings["dense_search"] = _ms(t)
        t = time.perf_counter()
        sparse = index.lexical_search(toks, depth, docs=docs)
        timings["lexical_search"] = _ms(t)
        if exclude:  # 다시 답하기: the next best after the passages already answered from
            dense = [(i, s) for i, s in dense if i not in exclude]
            sparse = [(i, s) for i, s in sparse if i not in exclude]
        t = time.perf_counter()
        cands = list(dict.fromkeys([i for i, _ in dense] + [i for i, _ in sparse]))
        batch = index.fetch(cands)
        timings["fetch"] = _ms(t)
        t = time.perf_counter()
        feats = ranker_features(batch, index.stats, qvec, toks, dense, sparse)
        logits = self.calibration.ranker.logits(feats) if len(cands) else np.zeros(0)
        order = np.argsort(-logits, kind="stable")
        batch = batch_subset(batch, order)
        cands, feats, logits = batch.ids, feats[order], logits[order]
        if mode == "dense":
            ranked = dense
        elif mode == "bm25":
            ranked = sparse
        else:
            ranked = list(zip(cands, (float(x) for x in logits)))
        chunk_of = dict(zip(batch.ids, batch.chunks))
        d_rank = {i: r for r, (i, _) in enumerate(dense, 1)}
        s_rank = {i: r for r, (i, _) in enumerate(sparse, 1)}
        hits = [
            Hit(chunk_of[i], score, r, d_rank.get(i), s_rank.get(i))
            for r, (i, score) in enumerate(ranked[:top_k], 1)
        ]
        timings["fusion"] = _ms(t)
        return RetrievalResult(hits, timings, qvec, toks, kiwi_tokens, cands, feats, logits,
                               dense[0][1] if dense else 0.0, batch)


def batch_subset(batch: Batch, order) -> Batch:
    """*batch* reordered (or cut) to the positions in *order*."""
    order = [int(k) for k in order]
    return Batch([batch.ids[k] for k in order], [batch.chunks[k] for k in order],
                 batch.vectors[order] if order else batch.vectors[:0], [batch.terms[k] for k in order],
                 [batch.heading_terms[k] for k in order], [batch.sentences[k] for k in order],
                 [batch.sentence_vectors[k] for k in order])


def query_idf(stats: CorpusStats, terms: list[str]) -> dict[str, float]:
    """IDF of each distinct query term over the corpus's sentences (unseen terms weigh most)."""
    n = max(1, stats.n_sentences)
    return {t: math.log(1 + n / (1 + stats.sentence_df.get(t, 0))) for t in dict.fromkeys(terms)}


def ranker_features(batch: Batch, stats: CorpusStats, qvec: np.ndarray, terms: list[str],
                    dense: list[tuple[str, float]], sparse: list[tuple[str, float]]) -> np.ndarray:
    """One row of :data:`~untact_qa.calibration.RANKER_FEATURES` per candidate in *batch*.

    Dense evidence (chunk and best-sentence cosine, absolute and relative to the best in this
    query, reciprocal rank), BM25 evidence (score relative to the best, reciprocal rank) and
    lexical evidence (IDF share of the question's terms in the chunk and in its heading).
    Reciprocal ranks are RRF's terms; the fitted weights replace RRF's fixed constant.
    """
    n = len(batch)
    if n == 0:
        return np.zeros((0, len(RANKER_FEATURES)))
    ids = batch.ids
    dcos = batch.vectors @ qvec
    dmax = dense[0][1] if dense else float(dcos.max())
    d_rank = {i: r for r, (i, _) in enumerate(dense, 1)}
    b_rank = {i: r for r, (i, _) in enumerate(sparse, 1)}
    b_score = dict(sparse)
    b_max = sparse[0][1] if sparse else 1.0
    d_rr = np.array([1.0 / (1 + d_rank[i]) if i in d_rank else 0.0 for i in ids])
    b_rr = np.array([1.0 / (1 + b_rank[i]) if i in b_rank else 0.0 for i in ids])
    b_rel = np.array([b_score.get(i, 0.0) / b_max if b_max > 0 else 0.0 for i in ids])
    # best sentence similarity per chunk: one matrix product over all their sentences
    lens = np.array([len(v) for v in batch.sentence_vectors])
    smax = dcos.copy()
    if lens.sum():
        sims = np.concatenate([v for v in batch.sentence_vectors if len(v)]) @ qvec
        starts = np.r_[0, np.cumsum(lens)[:-1]]
        has = lens > 0
        smax[has] = np.maximum.reduceat(sims, starts[has])
    idf = query_idf(stats, terms)
    total = sum(idf.values()) or 1.0
    cov = np.array([sum(w for t, w in idf.items() if t in batch.terms[k]) for k in range(n)]) / total
    hcov = np.array([sum(w for t, w in idf.items() if t in batch.heading_terms[k]) for k in range(n)]) / total
    return np.column_stack([dcos, dcos - dmax, d_rr, b_rr, b_rel, smax, smax - smax.max(), cov, hcov, cov * hcov])


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0
