"""Surface forms for "does the corpus mention X": the one comparison every store, the
answerer and the question checks share, so a name matches the same way everywhere."""

from __future__ import annotations

import re
import unicodedata

_QUOTE_YEAR = re.compile(r"[’'´‘`](\d{2})(?=\D|$)")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d{3})")


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


def _vowel_variants(syllable: str) -> str:
    """Regex class of the Hangul syllables with the same initial and final consonant."""
    code = ord(syllable) - 0xAC00
    initial, final = code // 588, code % 28
    return "[" + "".join(chr(0xAC00 + initial * 588 + medial * 28 + final) for medial in range(21)) + "]"
