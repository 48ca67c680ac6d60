"""Korean particles that agree with the word before them (받침 decides 을/를, 이/가, 은/는, 과/와,
으로/로), so a message never shows the lazy "수을(를)" or "금액을(를)".

The word may end in Hangul, a digit (read in Sino-Korean: 1 일, 3 삼, 6 육 … end in a
consonant), a Latin letter (read as its English name: L 엘, M 엠, N 엔, R 알 end in one)
or closing punctuation (skipped: "‘회의록’을").

:func:`ends_a_word` and :func:`word_at` tell a word said as a word from one said inside a
longer one, by what may follow a noun (a particle, 하다/되다).
"""

from __future__ import annotations

import re

# digits whose Sino-Korean reading ends in a consonant, and which one: 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
# Latin letters whose Korean name ends in a consonant: L 엘, M 엠, N 엔, R 알
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_SKIP = " \t\n'\"’”」』)]}>.,·…"

PAIRS = {"을": ("을", "를"), "를": ("을", "를"), "이": ("이", "가"), "가": ("이", "가"), "은": ("은", "는"),
         "는": ("은", "는"), "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로"),
         "이나": ("이나", "나"), "이라": ("이라", "라"), "이다": ("이다", "다"), "아": ("아", "야")}


def final_consonant(word: str) -> str | None:
    """The final consonant (받침) of how *word* is read, '' when it ends in a vowel, None when
    it cannot be told (an empty word, a symbol)."""
    text = (word or "").rstrip(_SKIP)
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        return _FINALS[(ord(last) - 0xAC00) % 28].strip()
    if last in _DIGIT_FINAL:
        return _DIGIT_FINAL[last]
    if last.isdigit():
        return ""
    if last.isascii() and last.isalpha():
        return _LETTER_FINAL.get(last.lower(), "")
    return None


def josa(word: str, particle: str) -> str:
    """*word* followed by the form of *particle* (any form of the pair: "을" or "를") that agrees
    with it: ``josa("수", "을")`` → "수를", ``josa("금액", "를")`` → "금액을",
    ``josa("서울", "으로")`` → "서울로" (ㄹ takes 로). When the ending cannot be told, the
    vowel form is used after a Latin word and the consonant form otherwise."""
    pair = PAIRS.get(particle)
    if pair is None:
        return word + particle
    final = final_consonant(word)
    if final is None:
        return word + pair[0]
    if pair[0] == "으로":
        return word + ("로" if final in ("", "ㄹ") else "으로")
    return word + (pair[0] if final else pair[1])


# what may follow a noun in the same word: a particle, 하다/되다 and their forms, 들, 적
_AFTER_NOUN = (r"(?:은|는|이|가|을|를|의|에|과|와|도|으로|로|만|까지|부터|보다|처럼|께|이나|나|란|이란|라는|이라는|"
               r"하|되|한|된|할|될|해|돼|했|됐|함|됨|들|적|상|별|간|중|용|측)")


def _ending(word: str) -> str:
    return re.escape(word) + r"(?:(?![가-힣])|(?=" + _AFTER_NOUN + "))"


def ends_a_word(text: str, word: str) -> bool:
    """Does *text* have *word* ending one of its nouns: before a particle, a verb ending
    ("공고하여야"), a space or a mark ("음식배달 앱" has 배달; "감사원장" has no 감사원)?"""
    return re.search(_ending(word), text) is not None


def word_at(text: str, word: str) -> re.Match | None:
    """Where *text* says *word* as a whole word — not inside a longer one at either end
    ("일본에서" says 일본; "일본산" and "신일본" do not)."""
    return re.search(r"(?<![가-힣A-Za-z0-9])" + _ending(word), text)
