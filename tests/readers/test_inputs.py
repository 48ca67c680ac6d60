"""The reader's token inputs (shared by training and reading): windows, padding, answer phrases."""

import numpy as np

from untact_qa.readers.base import Window
from untact_qa.readers.inputs import (EOS, MAX_SENTENCES, MAX_SPAN, MAX_TOKENS, WindowEncoder, best_span, pad,
                                      plan_windows, span_chars)


class _Enc:
    def __init__(self, ids, offsets):
        self.ids, self.offsets = ids, offsets


class CharTokenizer:
    """One token per character (id = code point), like a tokenizer with exact offsets."""

    def encode(self, text, add_special_tokens=False):
        return _Enc([ord(c) % 1000 + 3 for c in text], [(i, i + 1) for i in range(len(text))])


def test_every_center_is_read_with_its_neighbours_when_they_fit():
    assert plan_windows([10] * 6, [2], 100) == [(1, 3)]
    assert plan_windows([10] * 6, [0, 5], 100) == [(0, 1), (4, 5)]
    # centers one sentence apart share a window
    assert plan_windows([10] * 6, [1, 3], 100) == [(0, 4)]
    # no room for neighbours: the center alone
    assert plan_windows([60, 60, 60], [1], 70) == [(1, 1)]


def test_windows_never_exceed_the_sentence_limit():
    runs = plan_windows([1] * 30, list(range(30)), 1000)
    assert all(last - first + 1 <= MAX_SENTENCES for first, last in runs)
    assert {i for f, l in runs for i in range(f, l + 1)} >= set(range(30))


def test_encoding_keeps_each_sentence_token_range():
    enc = WindowEncoder(CharTokenizer())
    w = Window("제목", ("첫 문장.", "둘째 문장이다."))
    e = enc.encode("질문?", w)
    assert e.ids[-1] == EOS and len(e.ids) <= MAX_TOKENS
    for (a, z), s in zip(e.ranges, w.sentences):
        assert z - a == len(s)
    ids, mask, smask = pad([e, enc.encode("짧은", Window("t", ("a",)))])
    assert ids.shape == mask.shape and smask.shape == (2, MAX_SENTENCES, ids.shape[1])
    assert np.allclose(smask[0, 0].sum(), 1.0) and mask[1].sum() < mask[0].sum()


def test_a_window_too_long_drops_its_last_sentences():
    enc = WindowEncoder(CharTokenizer())
    long = "가" * 70
    e = enc.encode("질문", Window("t", (long, long, long, long)))
    assert len(e.ids) <= MAX_TOKENS
    assert e.ranges[-1][0] == e.ranges[-1][1]  # dropped: empty range, never scored


def test_best_span_stays_inside_its_sentence_and_length():
    start = np.array([0, 5, 0, 0, 9, 0, 0], dtype=np.float32)
    end = np.array([0, 0, 4, 0, 0, 0, 8], dtype=np.float32)
    i, j, score = best_span(start, end, (1, 4))
    assert (i, j, score) == (1, 2, 9.0)
    i, j, _ = best_span(start, end, (0, 7))
    assert (i, j) == (4, 6)
    assert best_span(start, end, (3, 3))[0] == -1
    n = MAX_SPAN + 10
    i, j, _ = best_span(np.eye(1, n, 0)[0] * 5, np.eye(1, n, n - 1)[0] * 5, (0, n))
    assert j - i < MAX_SPAN


def test_span_characters_map_back_to_the_sentence():
    enc = WindowEncoder(CharTokenizer())
    e = enc.encode("q", Window("t", ("판매량은 186% 늘었다",)))
    a = e.ranges[0][0]
    assert span_chars(e, 0, a + 5, a + 8) == (5, 9)
