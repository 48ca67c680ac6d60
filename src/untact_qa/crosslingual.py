"""English questions over Korean documents: the documents' Korean words for a question's
English ones (``data/lexicon/glossary.txt``).

Dense retrieval reads an English question across languages, but BM25 and the reader's word
overlap see only the words written; without these an English question ranks and is answered
on meaning alone ("What is the term of a member of the National Assembly?" finds 국회의원's
임기 once it also searches 국회의원 and 임기)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# English month names, January first ("And in December?" is 12월; "in March" is a time)
MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december")

_WORD = re.compile(r"[a-z0-9][a-z0-9.'\-]*")


def latin_share(text: str) -> float:
    """The share of *text*'s letters that are Latin (an English question's is most)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if ch.isascii()) / len(letters) if letters else 0.0


@lru_cache(maxsize=1)
def glossary() -> dict[tuple[str, ...], tuple[str, ...]]:
    """English form (as a tuple of words) → Korean words."""
    text = resources.files("untact_qa").joinpath("data/lexicon/glossary.txt").read_text(encoding="utf-8")
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or " = " not in line:
            continue
        english, korean = line.split(" = ", 1)
        words = tuple(w.strip() for w in korean.split("|") if w.strip())
        for form in english.split("|"):
            key = tuple(_WORD.findall(form.strip().lower()))
            if key:
                out[key] = tuple(dict.fromkeys(out.get(key, ()) + words))
    return out


@lru_cache(maxsize=1)
def company_names() -> dict[str, str]:
    """Korean name → English name of the companies and services the glossary lists (its
    "companies" section): names Kiwi may not tag as names ("줌" is a common noun to it)."""
    text = resources.files("untact_qa").joinpath("data/lexicon/glossary.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("# ---"):
            section = line
        elif "companies" in section and " = " in line and not line.startswith("#"):
            english, korean = line.split(" = ", 1)
            for k in korean.split("|"):
                out.setdefault(k.strip(), english.split("|")[0].strip())
    return out


def _base(word: str) -> str:
    """A word without its possessive or plural ending (companies → company, rates → rate)."""
    word = re.sub(r"'s?$", "", word)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and len(word) > 4 and word[-3] in "sxz":
        return word[:-2]
    if word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
        return word[:-1]
    return word


def _matches(text: str):
    """The glossary phrases of *text*, left to right, longest first, each English word used
    once: ``(words, Korean words)``, or ``(word, None)`` for a word the glossary lacks."""
    table = glossary()
    longest = max((len(k) for k in table), default=0)
    words = _WORD.findall(text.lower())
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            span = words[i:i + n]
            got = table.get(tuple(span)) or table.get(tuple(span[:-1] + [_base(span[-1])]))
            if got:
                yield span, got
                i += n
                break
        else:
            yield words[i:i + 1], None
            i += 1


def korean_phrase(text: str, whole: bool = False) -> str:
    """The Korean of each English phrase of *text* the glossary knows, first word only, in
    order ("China's online education market" → "중국 온라인 교육 시장"); "" when none — or,
    with *whole*, when any word of *text* has no Korean ("toilet paper sales" → "화장지 매출")."""
    out: list[str] = []
    for _, got in _matches(text):
        if got:
            out.append(got[0])
        elif whole:
            return ""
    return " ".join(dict.fromkeys(out))


def korean_terms(question: str, written=None) -> list[str]:
    """The Korean words for the English words of *question*, longest forms first, each
    English word used once ("state council member" is 국무위원, not also 국무회의). With
    *written(word)* (do the documents use this English word?), a name the documents write in
    English too ("줌(Zoom)") adds no Korean: searched twice it would outweigh the rest."""
    out: list[str] = []
    for span, got in _matches(question):
        if got and (written is None or not all(written(w) for w in span)):
            out.extend(got)
    return list(dict.fromkeys(out))
