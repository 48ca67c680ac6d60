"""Token inputs of the reader, shared by training (torch) and reading (onnxruntime), so the
two can never disagree on what the model sees.

One window is ``<s> query: QUESTION </s> passage: TITLE </s> S1 S2 … </s>``: the question,
the passage's title, then its sentences, each tokenised on its own (its first token starts a
word, as in running text). Every sentence keeps its token range, which the model pools into
the sentence's score and searches for the answer phrase.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .base import Window

BOS, PAD, EOS = 0, 1, 2  # XLM-R ids of <s>, <pad>, </s>
MAX_QUESTION = 40  # tokens of "query: question"
MAX_TITLE = 20  # tokens of "passage: title"
MAX_SENTENCE = 80  # tokens of one sentence (a longer one is cut: its tail cannot be the answer)
MAX_TOKENS = 192  # a whole window
MAX_SPAN = 24  # tokens of an answer phrase
MAX_SENTENCES = 8  # per window


@dataclass
class EncodedWindow:
    """One window as token ids, with each sentence's token range and character offsets."""

    ids: list[int]
    ranges: list[tuple[int, int]]  # [start, end) token positions of each sentence
    offsets: list[list[tuple[int, int]]]  # per sentence, per token: characters of the sentence


class WindowEncoder:
    """Tokenises windows with the e5 tokenizer (``tokenizers``), caching each text's pieces:
    the same candidate sentences come back question after question."""

    def __init__(self, tokenizer, cache_size: int = 1 << 15) -> None:
        self.tokenizer = tokenizer
        self._cache: OrderedDict[str, tuple[list[int], list[tuple[int, int]]]] = OrderedDict()
        self._size = cache_size

    def pieces(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Token ids and character offsets of *text*, without special tokens."""
        got = self._cache.get(text)
        if got is None:
            enc = self.tokenizer.encode(text, add_special_tokens=False)
            got = (list(enc.ids), list(enc.offsets))
            self._cache[text] = got
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        return got

    def length(self, sentence: str) -> int:
        """Tokens *sentence* takes in a window (after the cut at MAX_SENTENCE)."""
        return min(len(self.pieces(sentence)[0]), MAX_SENTENCE)

    def head(self, question: str, title: str) -> list[int]:
        """``<s> query: … </s> passage: … </s>``: what comes before a window's sentences."""
        q = self.pieces("query: " + question)[0][:MAX_QUESTION]
        t = self.pieces("passage: " + title)[0][:MAX_TITLE]
        return [BOS, *q, EOS, *t, EOS]

    def sentence_budget(self, question: str, title: str) -> int:
        """Tokens left for sentences in a window of *question* under *title*."""
        return MAX_TOKENS - len(self.head(question, title)) - 1

    def encode(self, question: str, window: Window) -> EncodedWindow:
        """The window's ids; sentences past MAX_TOKENS (or MAX_SENTENCES) are dropped (empty range)."""
        ids = self.head(question, window.title)
        ranges, offsets = [], []
        for k, s in enumerate(window.sentences):
            sid, soff = self.pieces(s)
            sid, soff = sid[:MAX_SENTENCE], soff[:MAX_SENTENCE]
            if k >= MAX_SENTENCES or len(ids) + len(sid) + 1 > MAX_TOKENS:
                ranges.append((len(ids), len(ids)))
                offsets.append([])
                continue
            ranges.append((len(ids), len(ids) + len(sid)))
            offsets.append(soff)
            ids.extend(sid)
        ids.append(EOS)
        return EncodedWindow(ids, ranges, offsets)


def plan_windows(lengths: list[int], centers: list[int], budget: int) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of sentence indices covering every center, each with a
    neighbour on either side when it fits in *budget* tokens; centers close together
    (at most one sentence apart) share a run. *lengths*: tokens per sentence."""
    centers = sorted(set(c for c in centers if 0 <= c < len(lengths)))
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(centers):
        c = centers[i]
        first = c - 1 if c > 0 and lengths[c - 1] + lengths[c] <= budget else c
        used, last = sum(lengths[first:c + 1]), c
        j = i + 1
        while j < len(centers) and centers[j] - last <= 2 and \
                used + sum(lengths[last + 1:centers[j] + 1]) <= budget and centers[j] - first < MAX_SENTENCES - 1:
            used += sum(lengths[last + 1:centers[j] + 1])
            last = centers[j]
            j += 1
        if last + 1 < len(lengths) and used + lengths[last + 1] <= budget and last + 1 - first < MAX_SENTENCES:
            last += 1
        runs.append((first, last))
        i = j
    return runs


def pad(encoded: list[EncodedWindow]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ids, attention mask, sentence mask)`` arrays for a batch of windows; the sentence
    mask (batch, MAX_SENTENCES, tokens) averages each sentence's tokens."""
    width = max(len(e.ids) for e in encoded)
    ids = np.full((len(encoded), width), PAD, dtype=np.int64)
    mask = np.zeros((len(encoded), width), dtype=np.int64)
    smask = np.zeros((len(encoded), MAX_SENTENCES, width), dtype=np.float32)
    for b, e in enumerate(encoded):
        ids[b, :len(e.ids)] = e.ids
        mask[b, :len(e.ids)] = 1
        for k, (a, z) in enumerate(e.ranges[:MAX_SENTENCES]):
            if z > a:
                smask[b, k, a:z] = 1.0 / (z - a)
    return ids, mask, smask


def best_span(start: np.ndarray, end: np.ndarray, rng: tuple[int, int]) -> tuple[int, int, float]:
    """The token pair ``(i, j)`` inside *rng* with ``i <= j < i + MAX_SPAN`` maximising
    ``start[i] + end[j]``, and that sum; ``(-1, -1, -inf)`` for an empty range."""
    a, z = rng
    if z <= a:
        return -1, -1, float("-inf")
    s, e = start[a:z], end[a:z]
    n = z - a
    # score[i, j] = s[i] + e[j] for i <= j < i + MAX_SPAN
    grid = s[:, None] + e[None, :]
    i, j = np.indices((n, n))
    grid = np.where((j >= i) & (j < i + MAX_SPAN), grid, -np.inf)
    flat = int(np.argmax(grid))
    bi, bj = divmod(flat, n)
    return a + bi, a + bj, float(grid[bi, bj])


def span_chars(e: EncodedWindow, k: int, i: int, j: int) -> tuple[int, int]:
    """Characters of sentence *k* covered by its tokens *i*..*j* (window positions)."""
    a = e.ranges[k][0]
    offs = e.offsets[k]
    return offs[i - a][0], offs[j - a][1]


def plan_for(encoder: WindowEncoder, question: str, title: str, sentences: list[str],
             centers: list[int]) -> list[tuple[int, int]]:
    """:func:`plan_windows` with *encoder*'s token counts: the windows one passage is read in."""
    lengths = [encoder.length(s) for s in sentences]
    return plan_windows(lengths, centers, encoder.sentence_budget(question, title))


# Ends of an answer phrase a reader would not bold: spaces and quotes, and (at the end) the
# particles and copula Korean glues to a noun ("정육점을" → 정육점, "16개의" → 16개,
# "봉래산이다" → 봉래산), which KorQuAD's gold answers leave out too.
_LOOSE = frozenset(" \t\n,.·'\"“”‘’「」『』")


def tidy_span(text: str, a: int, b: int) -> tuple[int, int]:
    """``(a, b)`` narrowed to the phrase itself: no outer spaces or quotes, no trailing
    particle or copula (by Kiwi's tags). Returns ``(a, a)`` when nothing is left."""
    from ..tokenization import kiwi

    while a < b and text[a] in _LOOSE:
        a += 1
    while b > a and text[b - 1] in _LOOSE:
        b -= 1
    if b <= a:
        return a, a
    toks = kiwi().tokenize(text[a:b])
    while len(toks) > 1:
        if toks[-1].tag.startswith("J"):  # a particle: 을, 의, 에는
            toks.pop()
        else:  # the copula and its endings: 이다, 이었다
            k = len(toks)
            while k > 1 and toks[k - 1].tag.startswith("E"):
                k -= 1
            if k < len(toks) and k > 1 and toks[k - 1].tag == "VCP":
                del toks[k - 1:]
            else:
                break
    if toks and toks[-1].start + toks[-1].len < b - a:
        b = a + toks[-1].start + toks[-1].len
    # and a closing bracket the phrase does not open ("90%)" of "(현금 사용률 90%)")
    while b > a and (text[b - 1] in _LOOSE or (text[b - 1] == ")" and "(" not in text[a:b])):
        b -= 1
    return a, b
