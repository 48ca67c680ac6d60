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


# -- KorQuAD v1.0 answer-phrase metrics (the official evaluation script's normalisation) -------
def korquad_normalize(s: str) -> str:
    """KorQuAD v1.0's ``normalize_answer``: quotes, angle and round brackets to spaces,
    lower case, ASCII punctuation removed, whitespace collapsed."""
    import string

    for ch in "'\"《》<>〈〉()‘’":
        s = s.replace(ch, " ")
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    return " ".join(s.split())


def korquad_em(prediction: str, truth: str) -> float:
    """Exact match after :func:`korquad_normalize`."""
    return float(korquad_normalize(prediction) == korquad_normalize(truth))


def korquad_f1(prediction: str, truth: str) -> float:
    """KorQuAD v1.0 F1: over characters (of the normalised words), not words."""
    from collections import Counter

    pred = [ch for tok in korquad_normalize(prediction).split() for ch in tok]
    gold = [ch for tok in korquad_normalize(truth).split() for ch in tok]
    same = sum((Counter(pred) & Counter(gold)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred), same / len(gold)
    return 2 * precision * recall / (precision + recall)
