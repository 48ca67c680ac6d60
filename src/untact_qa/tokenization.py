"""Korean sentence splitting and morpheme tokenisation with kiwipiepy.

One :class:`kiwipiepy.Kiwi` per process, created on first use: loading it takes about
a second and ~100 MB, so it must never happen per request.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
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
    if not text.strip():
        return []
    return _sentences_from(text, base, kiwi().split_into_sents(text))


def split_sentences_batch(texts: list[str], bases: list[int]) -> list[list[Sentence]]:
    """:func:`split_sentences` for many texts at once: Kiwi splits them on all its worker
    threads (measured 2x faster than one by one on 2 cores; same spans)."""
    out: list[list[Sentence]] = [[] for _ in texts]
    todo = [i for i, t in enumerate(texts) if t.strip()]
    for i, sents in zip(todo, kiwi().split_into_sents([texts[i] for i in todo])):
        out[i] = _sentences_from(texts[i], bases[i], sents)
    return out


def _sentences_from(text: str, base: int, kiwi_sents) -> list[Sentence]:
    out: list[Sentence] = []
    for s in kiwi_sents:
        start, end = s.start, s.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if out and out[-1].end == base + start:
            # Kiwi sometimes ends a sentence inside a word ("넘는다. '세계의 지붕'" | "으로 불릴
            # 만큼…"): a boundary needs whitespace. Rejoin the word and split at the last real
            # sentence end inside the first piece, if there is one.
            prev = out.pop()
            p0 = prev.start - base
            cut = None
            for m in _INNER_END.finditer(text, p0, start):
                cut = m.end()
            if cut is not None and cut < start:
                seg = text[p0:cut].rstrip()
                out.append(Sentence(prev.start, prev.start + len(seg), seg))
                p0 = cut
                while p0 < start and text[p0].isspace():
                    p0 += 1
            start = p0
        for a, b in _outline_statements(text, start, end):
            out.append(Sentence(base + a, base + b, text[a:b]))
    return out


_INNER_END = re.compile(r"[.!?。][\"'”’)\]]*\s")
# 개조식 (outline-style) writing ends statements with a nominal ending and no period
# ("…폭증하였음 미국 IT 매체는…", "…추진함 - 정부는…"): candidates for a boundary Kiwi missed.
# (only whether it occurs is asked: no leading [가-힣]*, which made a long unspaced line quadratic)
_NOMINAL_END = re.compile(r"[음함임됨][\"'”’)\]]*\s+(?=[^\s\W_]|[\"'‘“(\[])")
_INLINE_BULLET = re.compile(r"(?<=[음함임됨다요.!?])\s+(?=(?:[□■◆◇ㅇ○●•▶▷※]|-|–)\s*[가-힣A-Za-z0-9(])")
_LEADING_BULLET = re.compile(r"(?:[□■◆◇ㅇ○●•▶▷※]|-|–)\s+")
_TRAILING_BULLET = re.compile(r"\s+(?:[□■◆◇ㅇ○●•▶▷※]|-|–)$")  # the next item's marker, left behind
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA", "EP")


def _outline_statements(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` split where one 개조식 statement ends and the next begins without a
    period: after a predicate's nominal ending (…했음, …추진함, …예정임, …증가됨), which Kiwi
    confirms, or before an inline bullet (□, ㅇ, -). Ordinary sentences come back whole."""
    seg = text[start:end]
    cuts: list[int] = [m.end() for m in _INLINE_BULLET.finditer(seg)]
    if _NOMINAL_END.search(seg):
        toks = kiwi().tokenize(seg)
        for i, t in enumerate(toks[:-1]):
            stop = t.start + t.len
            nxt = toks[i + 1]
            if (t.tag in ("ETN", "EF") and t.form in ("음", "ㅁ", "\u11b7") and i > 0
                    and toks[i - 1].tag.split("-")[0] in _PREDICATE_TAGS
                    and stop < len(seg) and seg[stop].isspace()
                    and not nxt.tag.startswith(("J", "E", "S", "X", "VCP", "NNB"))
                    and nxt.form not in ("및", "또는", "혹은")):  # "불편함 등을 …", "…함 및 …" go on
                cuts.append(nxt.start)
    if not cuts:
        m = _TRAILING_BULLET.search(seg)
        return [(start, start + m.start())] if m and m.start() > 0 else [(start, end)]
    out, a = [], 0
    for c in sorted(set(cuts)):
        piece = seg[a:c].rstrip()
        if piece.strip():
            out.append((start + a, start + a + len(piece)))
        a = c
        while a < len(seg) and seg[a].isspace():
            a += 1
    if seg[a:].strip():
        out.append((start + a, end))
    out = [(x, y - (len(m.group(0)) if (m := _TRAILING_BULLET.search(text[x:y])) and m.start() > 0 else 0))
           for x, y in out]
    return [(x + (len(m.group(0)) if (m := _LEADING_BULLET.match(text[x:y])) and x + len(m.group(0)) < y else 0), y)
            for x, y in out]


def tokens_and_terms(text: str) -> tuple[list, list[str]]:
    """Kiwi tokens of *text* and its BM25 morphemes, from a single analysis."""
    tokens = kiwi().tokenize(text)
    return tokens, _tokens_from(tokens)


@dataclass(frozen=True)
class Tok:
    """A token as Kiwi gives it (form, tag, start, len), for tokens merged here."""

    form: str
    tag: str
    start: int
    len: int


# nouns a determiner really modifies when written against it ("그해", "그다음", "그달")
_AFTER_DETERMINER = {"해", "달", "다음", "때", "날", "곳", "후", "뒤", "앞", "동안", "사이", "쪽", "편", "밖", "전",
                     "당시", "이후", "이전", "주", "번", "쯤"}


def question_tokens(text: str) -> list:
    """Kiwi's tokens of a question or answer read for its names: a determiner written against
    the noun after it is part of one name, as a determiner is written apart from its noun
    ("그랩은" is 그랩, which Kiwi reads 그/MM 랩/NNG; "그 회사" stays a determiner), except
    before the nouns it does join ("그해", "그다음")."""
    toks = list(kiwi().tokenize(text))
    out: list = []
    k = 0
    while k < len(toks):
        t = toks[k]
        n = toks[k + 1] if k + 1 < len(toks) else None
        if t.tag == "MM" and t.form in ("그", "이", "저") and n is not None and n.start == t.start + t.len \
                and n.tag in ("NNG", "NNP") and n.form not in _AFTER_DETERMINER:
            out.append(Tok(text[t.start: n.start + n.len], "NNP", t.start, n.start + n.len - t.start))
            k += 2
            continue
        out.append(t)
        k += 1
    return out


def morphemes(text: str) -> list[str]:
    """Content morphemes of *text* for BM25, prefixes glued on (비+대면 → 비대면)."""
    return _tokens_from(kiwi().tokenize(text))


@lru_cache(maxsize=8192)
def content_words(text: str) -> frozenset[str]:
    """The :func:`morphemes` of two syllables or more of *text*, as a set (cached: explaining
    and comparing read the same passages' sentences again and again)."""
    return frozenset(w for w in morphemes(text) if len(w) >= 2)


def morphemes_batch(texts: list[str]) -> list[list[str]]:
    """:func:`morphemes` for many texts; Kiwi parallelises the batch internally."""
    return [_tokens_from(toks) for toks in kiwi().tokenize(texts)]


# One letter per content tag, stored beside a sentence's morphemes: answer extraction
# asks "does this sentence name a person/number/date the question does not?" without
# running Kiwi again (P proper noun, N common noun, S number, L foreign word/hanja,
# V verb/adjective, R root, M numeral/determiner).
TAG_CLASS = {"NNP": "P", "NNG": "N", "SN": "S", "SL": "L", "SH": "L", "VV": "V", "VA": "V", "XR": "R",
             "NR": "M", "MM": "M"}


def typed_terms(tokens) -> list[tuple[str, str]]:
    """Content morphemes of Kiwi *tokens* with their :data:`TAG_CLASS` letter, prefixes glued."""
    out: list[tuple[str, str]] = []
    prefix = ""
    for t in tokens:
        tag = t.tag.split("-")[0]  # "VV-R"/"VA-I" carry conjugation info after a dash
        if tag == PREFIX_TAG:
            prefix += t.form
            continue
        if tag in CONTENT_TAGS:
            form = t.form.lower() if tag == "SL" else t.form
            # Kiwi keeps some names as one token with a space ("마리 앙투아네트"); terms are
            # stored space-separated, so the space goes
            out.append((prefix + "".join(form.split()), TAG_CLASS[tag]))
        elif prefix:
            out.append((prefix, "N"))
        prefix = ""
    if prefix:
        out.append((prefix, "N"))
    return out


def _tokens_from(tokens) -> list[str]:
    return [form for form, _ in typed_terms(tokens)]


def typed_terms_batch(texts: list[str]) -> list[list[tuple[str, str]]]:
    """:func:`typed_terms` for many texts (Kiwi parallelises the batch internally)."""
    return [typed_terms(toks) for toks in kiwi().tokenize(texts)]
