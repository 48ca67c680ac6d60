"""Korean sentence splitting and morpheme tokenisation with kiwipiepy.

One :class:`kiwipiepy.Kiwi` per process, created on first use: loading it takes about
a second and ~100 MB, so it must never happen per request.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from .schema import Sentence

# Content-bearing tags for BM25: nouns, numerals, foreign words, hanja, numbers,
# verb/adjective stems and roots. Particles, endings and punctuation are noise.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SH", "SN", "VV", "VA", "XR", "MM"})
# 비대면 is tokenised as 비/XPN + 대면/NNG. Dropping the prefix would turn "untact"
# into "face-to-face", so a prefix is glued to the content word that follows it.
PREFIX_TAG = "XPN"

_lock = threading.Lock()
_kiwi = None


def kiwi():
    """The process-wide Kiwi instance (lazy, thread-safe)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def split_sentences(text: str, base: int = 0) -> list[Sentence]:
    """Split *text* into sentences; offsets are shifted by *base*.

    Kiwi may leave whitespace between sentences; the returned spans are trimmed and
    never overlap.
    """
    out: list[Sentence] = []
    if not text.strip():
        return out
    for s in kiwi().split_into_sents(text):
        start, end = s.start, s.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(base + start, base + end, text[start:end]))
    return out


def analyze(text: str) -> tuple[list, list[str]]:
    """Kiwi tokens of *text* and its BM25 morphemes, from a single analysis."""
    tokens = kiwi().tokenize(text)
    return tokens, _tokens_from(tokens)


def morphemes(text: str) -> list[str]:
    """Content morphemes of *text* for BM25, prefixes glued on (비+대면 → 비대면)."""
    return _tokens_from(kiwi().tokenize(text))


def morphemes_batch(texts: list[str]) -> list[list[str]]:
    """:func:`morphemes` for many texts; Kiwi parallelises the batch internally."""
    return [_tokens_from(toks) for toks in kiwi().tokenize(texts)]


def _tokens_from(tokens) -> list[str]:
    out: list[str] = []
    prefix = ""
    for t in tokens:
        tag = t.tag.split("-")[0]  # "VV-R"/"VA-I" carry conjugation info after a dash
        if tag == PREFIX_TAG:
            prefix += t.form
            continue
        if tag in CONTENT_TAGS:
            form = t.form.lower() if tag == "SL" else t.form
            out.append(prefix + form)
        elif prefix:
            out.append(prefix)
        prefix = ""
    if prefix:
        out.append(prefix)
    return out


@lru_cache(maxsize=4096)
def morphemes_cached(text: str) -> tuple[str, ...]:
    """Cached :func:`morphemes` for short repeated strings (queries, sentences)."""
    return tuple(morphemes(text))
