"""How the evaluation, the calibration fit and the bench decide what counts: a passage holds
a question's evidence, an answer holds one of its accepted answers (both compared without
whitespace), and latency percentiles."""

from __future__ import annotations

import math
import re

# Questions the documents do not answer: plain ones (nothing like it in the documents) and
# near-misses (a neighbouring fact is there: another year, country, name or measure).
UNANSWERED_TYPES = frozenset({"unanswerable", "near_miss"})


def squash(s: str) -> str:
    """Whitespace-insensitive form used for every string match."""
    return re.sub(r"\s+", "", s)


def holds_evidence(q: dict, text: str) -> bool:
    """Does *text* (a passage) contain one of the question's evidence strings?"""
    t = squash(text)
    return any(squash(ev) in t for ev in q["evidence"])


def holds_answer(q: dict, text: str) -> bool:
    """Does *text* contain one of the question's accepted answers?"""
    t = squash(text)
    return any(squash(a) in t for a in q["answers"])


def percentile(sorted_vals: list[float], p: float) -> float:
    """The *p*-th percentile of ascending *sorted_vals*, linearly interpolated (0 when empty)."""
    if not sorted_vals:
        return 0.0
    k = (len(sorted_vals) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)
