"""Learned fusion, answer-span choice and abstention: small logistic models, fitted on the
tune halves of every evaluation suite together, stored as plain JSON.

Three models, each over features the pipeline computes anyway (names below are the
contract between :mod:`retrieval`, :mod:`answer` and the fitted file):

* **ranker** — is this retrieved chunk the one holding the evidence? Fuses dense and BM25
  evidence (scores, reciprocal ranks, sentence similarities, term coverage, heading
  coverage). Replaces hand-set Reciprocal Rank Fusion weights.
* **span** — does this answer span (one sentence, or two adjacent sentences of a passage)
  contain the answer? The answer is the span maximising ``p - length_penalty * chars``.
* **abstain** — is the question answerable from these documents at all? Below
  ``threshold`` the system says it found no evidence. The threshold is set on
  cross-validated predictions of the tune halves, so it is not fitted to the same
  questions it is judged on.

``untact-qa calibrate`` refits all three from ``eval/suites`` (tune halves only) and
writes ``src/untact_qa/data/calibration.json``; ``UNTACT_QA_CALIBRATION=path`` selects
another file. The fit is ordinary L2-regularised logistic regression (Newton steps) on
standardised features, each suite weighted equally so the largest suite cannot dominate.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import ConfigError

RANKER_FEATURES = ("dense_cos", "dense_cos_rel", "dense_rr", "bm25_rr", "bm25_rel", "sent_cos_max",
                   "sent_cos_max_rel", "term_coverage", "heading_coverage", "term_x_heading")
SPAN_FEATURES = ("char_trigram", "char_trigram_each", "sent_cos_max", "sent_cos_rel", "sent_cos_min", "lex_max",
                 "lex_rel", "lex_union", "passage_coverage", "passage_score_rel", "passage_inv_rank", "log_chars",
                 "is_pair", "who_has_name", "when_has_date", "where_has_name", "howmany_has_number",
                 "what_has_new_term", "new_names", "new_numbers", "local_lex_max", "local_lex_union",
                 "local_lex_rel", "type_held", "constraints_met")
ABSTAIN_FEATURES = ("span_p", "ranker_p", "dense_cos_max", "sent_cos_max", "corpus_term_coverage",
                    "top_passage_coverage", "missing_names", "missing_compounds", "latin_question", "char_trigram",
                    "dense_peak", "bm25_peak", "sent_cos_peak", "noun_coverage", "soft_noun_coverage",
                    "top3_noun_coverage", "top1_noun_coverage", "checked_share", "checked_p_gap")

# The learned reader's scores (untact_qa.readers), features of the re-ranking span model
# ("rerank") and of the abstention model when the calibration names a reader.
READER_SPAN_FEATURES = ("reader_logit", "reader_min", "reader_rel", "reader_prob", "reader_null_gap")
READER_ABSTAIN_FEATURES = ("reader_best_prob", "reader_null_prob", "reader_margin", "reader_chosen_prob",
                           "reader_chosen_gap")
# What a fitted model may use: a file names its own features (a subset of these, in any order),
# so an ablation is a fit over fewer features, not another version of the code.
RERANK_ALL = SPAN_FEATURES + READER_SPAN_FEATURES
ABSTAIN_ALL = ABSTAIN_FEATURES + READER_ABSTAIN_FEATURES

# One fit per way of making sentence vectors (their similarities feed all three models).
DEFAULT_PATH = Path(__file__).parent / "data" / "calibration.json"  # separate sentence vectors (default)
LATE_PATH = Path(__file__).parent / "data" / "calibration-late.json"


def default_path(sentence_vectors: str = "separate") -> Path:
    """The shipped calibration for indexes whose sentence vectors are *sentence_vectors*."""
    return LATE_PATH if sentence_vectors == "late" else DEFAULT_PATH


@dataclass(frozen=True)
class LogisticModel:
    """``p = sigmoid(((x - mean) / scale) @ weights + bias)``."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Log-odds for rows of *X* (columns in :attr:`features` order)."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        return ((X - self.mean) / self.scale) @ self.weights + self.bias

    def proba(self, X: np.ndarray) -> np.ndarray:
        """Probabilities for rows of *X*."""
        return 1.0 / (1.0 + np.exp(-self.logits(X)))

    def columns(self, names: tuple[str, ...]) -> np.ndarray:
        """Where this model's features are among *names* (the columns a caller computed)."""
        key = (names, self.features)
        got = _COLUMNS.get(key)
        if got is None:
            got = _COLUMNS[key] = np.array([names.index(f) for f in self.features], dtype=int)
        return got

    def proba_of(self, X: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        """Probabilities for rows of *X* whose columns are *names* (a superset of the model's)."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        return self.proba(X[:, self.columns(names)])

    def to_dict(self) -> dict:
        """JSON form, with each weight named."""
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "weights": self.weights.round(6).tolist(),
                "bias": round(float(self.bias), 6)}

    @classmethod
    def from_dict(cls, d: dict, expected: tuple[str, ...], subset: bool = False) -> LogisticModel:
        """Inverse of :meth:`to_dict`; refuses a model over other features (with *subset*:
        over features not among *expected*)."""
        if subset:
            unknown = [f for f in d["features"] if f not in expected]
            if unknown or len(set(d["features"])) != len(d["features"]):
                raise ConfigError(f"calibration model has features {unknown or d['features']} this version does not "
                                  f"compute; run `untact-qa calibrate`")
        else:
            _check_features(d, expected)
        return cls(tuple(d["features"]), np.array(d["mean"]), np.array(d["scale"]), np.array(d["weights"]),
                   float(d["bias"]))


_COLUMNS: dict[tuple, np.ndarray] = {}


def _check_features(d: dict, expected: tuple[str, ...]) -> None:
    if tuple(d["features"]) != expected:
        raise ConfigError(f"calibration model has features {d['features']}, this version computes "
                          f"{list(expected)}; run `untact-qa calibrate`")


def fit_logistic(X: np.ndarray, y: np.ndarray, features: tuple[str, ...], sample_weight: np.ndarray | None = None,
                 l2: float = 10.0, iterations: int = 50) -> LogisticModel:
    """L2-regularised logistic regression by Newton's method on standardised features."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w_s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w_s = w_s / w_s.mean()
    mean, scale = X.mean(0), X.std(0)
    scale[scale < 1e-9] = 1.0
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    reg = np.r_[np.full(Z.shape[1] - 1, l2), 0.0]  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(Z @ beta, -30, 30)))
        grad = Z.T @ (w_s * (p - y)) + reg * beta
        hess = (Z * (w_s * p * (1 - p))[:, None]).T @ Z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return LogisticModel(tuple(features), mean, scale, beta[:-1], float(beta[-1]))


@dataclass(frozen=True)
class Calibration:
    """The three fitted models plus the decision constants, and how they were fitted."""

    ranker: LogisticModel
    span: LogisticModel
    abstain: LogisticModel
    abstain_threshold: float  # answer when P(answerable) >= this
    length_penalty: float  # per character, subtracted from a span's probability
    # When the best span is not sure (p below second_if_below), the most probable other
    # sentence (from any passage) is quoted too if its p reaches second_min_p.
    second_if_below: float = 0.0
    second_min_p: float = 1.0
    long_penalty: float = 0.0  # per character beyond answer.LONG_ANSWER
    info: dict = field(default_factory=dict)
    # With a learned reader: which one ({"name": ..., "artifact": folder or None for the shipped
    # one}, see untact_qa.readers.make_reader) and the span model over its scores. ``span`` then
    # only chooses which sentences the reader reads.
    reader: dict | None = None
    rerank: LogisticModel | None = None

    def to_dict(self) -> dict:
        """JSON form (see :func:`save`)."""
        d = {"format": 1, "ranker": self.ranker.to_dict(), "span": self.span.to_dict(),
             "abstain": self.abstain.to_dict(), "abstain_threshold": round(self.abstain_threshold, 6),
             "length_penalty": self.length_penalty, "second_if_below": self.second_if_below,
             "second_min_p": self.second_min_p, "long_penalty": self.long_penalty}
        if self.reader is not None and self.rerank is not None:
            d.update(reader=self.reader, rerank=self.rerank.to_dict())
        d["info"] = self.info
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Calibration:
        """Inverse of :meth:`to_dict`."""
        rerank = LogisticModel.from_dict(d["rerank"], RERANK_ALL, subset=True) if d.get("rerank") else None
        return cls(LogisticModel.from_dict(d["ranker"], RANKER_FEATURES),
                   LogisticModel.from_dict(d["span"], SPAN_FEATURES),
                   LogisticModel.from_dict(d["abstain"], ABSTAIN_ALL, subset=True),
                   float(d["abstain_threshold"]), float(d["length_penalty"]), float(d.get("second_if_below", 0.0)),
                   float(d.get("second_min_p", 1.0)), float(d.get("long_penalty", 0.0)), d.get("info", {}),
                   d.get("reader") if rerank is not None else None, rerank)

    def without_reader(self) -> Calibration:
        """This calibration's hand-built part alone (its abstention model over the features
        without a reader; the reader's are zero then)."""
        from dataclasses import replace

        return replace(self, reader=None, rerank=None)

    @property
    def reads(self) -> bool:
        """Does this calibration answer with a learned reader?"""
        return self.reader is not None and self.rerank is not None


_cache: dict[str, Calibration] = {}


def load(path: str | Path | None = None, sentence_vectors: str = "separate") -> Calibration:
    """The calibration in use: *path*, else ``$UNTACT_QA_CALIBRATION``, else the shipped file
    fitted for indexes with *sentence_vectors* (``late`` or ``separate``)."""
    from .config import env

    p = Path(path or env("UNTACT_QA_CALIBRATION") or default_path(sentence_vectors))
    key = str(p.resolve())
    if key not in _cache:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"calibration file {p} cannot be read ({exc.strerror}); "
                              f"unset UNTACT_QA_CALIBRATION or run `untact-qa calibrate`") from exc
        except ValueError as exc:
            raise ConfigError(f"calibration file {p} is not valid JSON ({exc}); run `untact-qa calibrate`") from exc
        _cache[key] = Calibration.from_dict(data)
    return _cache[key]


def save(cal: Calibration, path: str | Path = DEFAULT_PATH) -> Path:
    """Write *cal* as JSON (atomically: a crash leaves the previous file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    d = cal.to_dict()
    # one line per entry: readable in a diff, weights next to their feature names
    body = ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in d.items())
    tmp.write_text("{\n" + body + "\n}\n", encoding="utf-8")
    os.replace(tmp, path)
    _cache.pop(str(path.resolve()), None)
    return path


def sigmoid(x: float) -> float:
    """Logistic function, safe for large magnitudes."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def now() -> str:
    """Timestamp recorded in the fitted file."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
