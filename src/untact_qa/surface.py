"""Surface forms for "does the corpus mention X": the one comparison every store, the
answerer and the question checks share, so a name matches the same way everywhere."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTE_YEAR = re.compile(r"[’'´‘`](\d{2})(?=\D|$)")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")


@lru_cache(maxsize=1 << 15)  # the same sentences and names are keyed again on every question
def surface_key(text: str) -> str:
    """Normalised surface form for "does the corpus mention X": NFC, no whitespace, no
    thousands separators (4,500 = 4500), and two-digit years spelled out ('09 = 2009)."""
    s = unicodedata.normalize("NFC", text)
    s = _DIGIT_COMMA.sub("", s)
    s = _QUOTE_YEAR.sub(lambda m: ("20" if int(m.group(1)) <= 40 else "19") + m.group(1), s)
    return "".join(s.split()).lower()


def text_mentions(text: str, key: str, has_term=None) -> bool:
    """Does *text* (``surface_key`` forms joined) mention the name *key*?

    A two-syllable Hangul name hides inside longer words ("대모" in "대모험"), so it must be a
    corpus morpheme (*has_term*); a longer one also matches with one vowel changed, the way
    transliterations vary (헤리슨/해리슨, 도날드/도널드).
    """
    if re.fullmatch(r"[가-힣]{1,2}", key):
        return bool(has_term and has_term(key))
    if key in text:
        return True
    if re.fullmatch(r"[가-힣]{3,}", key):
        return any(re.search(re.escape(key[:i]) + _vowel_variants(key[i]) + re.escape(key[i + 1:]), text)
                   for i in range(len(key)))
    return False


def spellings(key: str) -> list[str]:
    """*key* and every spelling :func:`text_mentions` also accepts for it: for a Hangul name of
    three syllables or more, each with one syllable's vowel changed (a store that matches
    text with LIKE asks for all of them, so every store decides alike)."""
    if not re.fullmatch(r"[가-힣]{3,}", key):
        return [key]
    out = [key]
    for i, ch in enumerate(key):
        code = ord(ch) - 0xAC00
        initial, final = code // 588, code % 28
        out += [key[:i] + chr(0xAC00 + initial * 588 + m * 28 + final) + key[i + 1:] for m in range(21)
                if chr(0xAC00 + initial * 588 + m * 28 + final) != ch]
    return out


def _vowel_variants(syllable: str) -> str:
    """Regex class of the Hangul syllables with the same initial and final consonant."""
    code = ord(syllable) - 0xAC00
    initial, final = code // 588, code % 28
    return "[" + "".join(chr(0xAC00 + initial * 588 + medial * 28 + final) for medial in range(21)) + "]"



# Initial consonants a typo or a transliteration swaps for one another: plain, aspirated
# and tense forms of one sound (터키군/터키쿤, 카/까). Any other initial makes another name
# (김/이, 재무부/내무부).
_INITIAL_CLASSES = ("ㄱㅋㄲ", "ㄷㅌㄸ", "ㅂㅍㅃ", "ㅈㅊㅉ", "ㅅㅆ")
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _parts(ch: str) -> tuple[int, int, int]:
    code = ord(ch) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def typo_variants(a: str, b: str) -> bool:
    """Are Hangul words *a* and *b* one keystroke-like slip apart: the same length, one
    syllable different in just its vowel, its final consonant, or its initial within one
    sound class (진중기/진중길, 터키쿤/터키군)?"""
    if len(a) != len(b) or a == b or not re.fullmatch(r"[가-힣]+", a + b):
        return False
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    if len(diff) != 1:
        return False
    (i1, m1, f1), (i2, m2, f2) = _parts(diff[0][0]), _parts(diff[0][1])
    changed = [k for k, (u, v) in enumerate(((i1, i2), (m1, m2), (f1, f2))) if u != v]
    if changed != [0]:
        return len(changed) == 1
    c1, c2 = _INITIALS[i1], _INITIALS[i2]
    return any(c1 in cls and c2 in cls for cls in _INITIAL_CLASSES)


def _jamo(syllables: str) -> list[int]:
    """Initial, vowel and (non-empty) final of each syllable, as one sequence."""
    out = []
    for ch in syllables:
        i, m, f = _parts(ch)
        out += [i, 100 + m] + ([200 + f] if f else [])
    return out


def _one_transposition(x: list[int], y: list[int]) -> bool:
    """Is *y* *x* with one pair of neighbouring letters swapped?"""
    if len(x) != len(y):
        return False
    diff = [k for k in range(len(x)) if x[k] != y[k]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


def swapped_variants(a: str, b: str) -> bool:
    """Are long Hangul words *a* and *b* (four syllables or more) the same name typed with two
    neighbouring syllables swapped (카자스흐탄/카자흐스탄) or a consonant slipped to the next
    syllable (바르세롤나/바르셀로나)? Shorter words swap into other words too easily."""
    if len(a) != len(b) or len(a) < 4 or a == b or not re.fullmatch(r"[가-힣]+", a + b):
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if len(diff) != 2 or diff[1] != diff[0] + 1:
        return False
    i = diff[0]
    if a[i] == b[i + 1] and a[i + 1] == b[i]:
        return True
    x, y = _jamo(a[i:i + 2]), _jamo(b[i:i + 2])
    if _one_transposition(x, y):
        return True
    # a final consonant typed as the next syllable's initial, or the other way round
    # (셀로 ~ 세롤: the same letters in another order, one moved)
    return sorted(x) == sorted(y) and len(x) == len(y) and sum(u != v for u, v in zip(x, y)) <= 3


class VariantIndex:
    """Finds the corpus term a name may be a misspelling of (see :func:`typo_variants`)."""

    def __init__(self, terms) -> None:
        self._by_len: dict[int, dict[str, set[str]]] = {}
        for t in terms:
            if 2 <= len(t) <= 12 and re.fullmatch(r"[가-힣]+", t):
                slots = self._by_len.setdefault(len(t), {})
                for i in range(len(t)):
                    slots.setdefault(t[:i] + "*" + t[i + 1:], set()).add(t)
                    if len(t) >= 4 and i + 1 < len(t):
                        slots.setdefault(t[:i] + "**" + t[i + 2:], set()).add(t)

    def variant_of(self, name: str) -> str | None:
        """A corpus term that is a slip of *name*, or None."""
        if not re.fullmatch(r"[가-힣]{2,12}", name):
            return None
        slots = self._by_len.get(len(name), {})
        for i in range(len(name)):
            for t in sorted(slots.get(name[:i] + "*" + name[i + 1:], ())):
                if typo_variants(name, t):
                    return t
        for i in range(len(name) - 1):
            for t in sorted(slots.get(name[:i] + "**" + name[i + 2:], ())):
                if swapped_variants(name, t):
                    return t
        return None
