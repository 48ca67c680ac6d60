"""What a question asks for, and what a sentence must say to answer it.

:func:`frame_question` reads a question into a :class:`QuestionFrame`: the **expected
answer type** (a count with its unit, an amount, a rate, a date, a period, a person, an
organisation, a place, a definition, a reason, a list, any number — or a broad request for
a summary or a comparison) and the question's **constraints**: the years, months,
quarters and halves it names, the countries, places and other names, and the measure it
asks about (매출, 거래액, 사용률, …).

:func:`check_span` then tells, for a candidate answer sentence and its context (document
title, heading path, the passage's earlier sentences), whether it holds a phrase of the
expected type and which constraints are met, unmet or *contradicted* — asked 2022 while the
context says 2021, asked 베트남 while the heading says 대만, asked 매출 while the sentence
gives 거래액. The answerer quotes only sentences that pass, and reports the best one that
fails only a constraint as the closest content (an honest near-miss).

The code is general (Kiwi tags, number and date patterns); every word list — countries,
places, measures, units, question wordings — is a data file in ``data/lexicon/``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "data" / "lexicon"

# Answer types whose sentence must hold a phrase of that type (the others always pass).
CHECKED_TYPES = frozenset({"count", "amount", "rate", "date", "period", "person", "organisation", "place", "number",
                           "change"})
NUMERIC_TYPES = frozenset({"count", "amount", "rate", "number", "period", "change"})
BROAD_TYPES = frozenset({"summary", "compare"})
TIME_KINDS = frozenset({"year", "month", "quarter", "half"})
ENTITY_KINDS = frozenset({"country", "place", "name"})


# -- the lexicon ---------------------------------------------------------------------------
def _read_list(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append([unicodedata.normalize("NFC", x.strip()) for x in line.split("|") if x.strip()])
    return rows


@dataclass(frozen=True)
class Lexicon:
    """Word lists behind question analysis (``data/lexicon/``)."""

    countries: dict[str, tuple[str, ...]]  # canonical → all names (canonical first)
    places: dict[str, tuple[str, ...]]
    roles: dict[str, tuple[str, ...]]
    measures: dict[str, tuple[str, ...]]
    events: dict[str, tuple[str, ...]]  # what happened on a date (제정, 시행, 출시, …)
    units: dict[str, list[str]]
    type_order: tuple[str, ...]
    type_patterns: dict[str, tuple[re.Pattern, ...]]
    relative_year: tuple[str, ...]
    halves: dict[str, str]
    topic_heads: frozenset[str] = frozenset()
    name_of: dict[str, tuple[str, str]] = field(default_factory=dict)  # any name → (kind, canonical)
    narrative_year: dict[str, int] = field(default_factory=dict)  # 같은 해 → 0, 이듬해 → +1
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a word's key → its group

    @classmethod
    def load(cls, folder: Path = LEXICON_DIR) -> Lexicon:
        """Read every list in *folder*."""
        def groups(name):
            return {row[0]: tuple(row) for row in _read_list(folder / name)}

        units = json.loads((folder / "units.json").read_text(encoding="utf-8"))
        qt = json.loads((folder / "question_types.json").read_text(encoding="utf-8"))
        patterns = {k: tuple(re.compile(p, re.I) for p in v) for k, v in qt["patterns"].items()}
        lex = cls(groups("countries.txt"), groups("places.txt"), groups("roles.txt"), groups("measures.txt"),
                  groups("events.txt"),
                  {k: v for k, v in units.items() if not k.startswith("_")}, tuple(qt["order"]), patterns,
                  tuple(qt["time_words"]["relative_year"]), dict(qt["time_words"]["half"]),
                  frozenset(qt.get("topic_heads", ())),
                  narrative_year=dict(qt["time_words"].get("narrative_year", {})))
        for row in _read_list(folder / "synonyms.txt"):
            for n in row:
                lex.synonyms[_key(n)] = tuple(row)
        for kind, table in (("place", lex.places), ("country", lex.countries)):  # countries win ties
            for canon, names in table.items():
                for n in names:
                    lex.name_of[_key(n)] = (kind, canon)
        return lex


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon (read once per process)."""
    return Lexicon.load()


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split()).lower()


# -- values in text ------------------------------------------------------------------------
# a number of its own: "코로나19", "5G" and "COVID-19" carry digits but state no figure
_NUM = r"(?:(?<=제)|(?<![가-힣A-Za-z\d.,\-]))\d[\d,]*(?:\.\d+)?(?![A-Za-z])"  # 제89조 is a number
_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d{2})(?!\d)(?!\s*(?:[만억천조백십]|명|원|개|건|톤|대|%|달러|위안|엔|km|m\b))"
                   r"(?!\s*년대)")  # "2000년대" is a decade, not the year 2000
_YEAR_RANGE = re.compile(r"(?<![\d,.])((?:19|20)\d{2})\s*[~∼〜\-–—]\s*((?:19|20)?\d{2})(?!\d)\s*년")
_SHORT_YEAR = re.compile(r"[’'‘`´](\d{2})\s*년")
_MONTH = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])\s*월(?!\s*(?:이내|간|동안|이상|만에))")  # "6월 이내": six months
_MONTH_RANGE = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])\s*[~∼〜\-–—]\s*(1[0-2]|0?[1-9])\s*월")
_QUARTER = re.compile(r"(?<!\d)([1-4])\s*(?:/\s*4\s*)?분기")


def years_in(text: str) -> set[str]:
    """Years the text names: 2021, 2021년, '21년, and every year of a range 2015~2019년."""
    out = {m.group(1) for m in _YEAR.finditer(text)}
    for m in _YEAR_RANGE.finditer(text):
        a, b = int(m.group(1)), m.group(2)
        b = int(b) if len(b) == 4 else int(m.group(1)[:2] + b)
        if 0 <= b - a <= 30:
            out.update(str(y) for y in range(a, b + 1))
    for m in _SHORT_YEAR.finditer(text):
        yy = int(m.group(1))
        out.add(str((2000 if yy <= 40 else 1900) + yy))
    return out


def months_in(text: str) -> set[str]:
    """Months the text names (``5월``, ranges ``3~5월``), as "1".."12"."""
    out = set()
    for m in _MONTH.finditer(text):
        out.add(str(int(m.group(1) or m.group(2))))
    for m in _MONTH_RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b:
            out.update(str(x) for x in range(a, b + 1))
    return out


def quarters_in(text: str) -> set[str]:
    """Quarters (``1분기``, ``1/4분기``) as "1".."4"."""
    return {m.group(1) for m in _QUARTER.finditer(text)}


def halves_in(text: str, lex: Lexicon) -> set[str]:
    """상반기/하반기 as "1"/"2"."""
    return {v for w, v in lex.halves.items() if w in text}


@lru_cache(maxsize=8192)
def _time_values_cached(kind: str, text: str) -> frozenset[str]:
    return frozenset(_time_values_raw(kind, text, lexicon()))


def _time_values(kind: str, text: str, lex: Lexicon) -> set[str]:
    if lex is lexicon():
        return set(_time_values_cached(kind, text))
    return _time_values_raw(kind, text, lex)


def _time_values_raw(kind: str, text: str, lex: Lexicon) -> set[str]:
    if kind == "year":
        return years_in(text)
    if kind == "month":
        return months_in(text)
    if kind == "quarter":
        return quarters_in(text)
    return halves_in(text, lex)


# -- the frame -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Constraint:
    """Something the answer must be about: ``kind`` is year, month, quarter, half, country,
    place, name or measure (or word: a noun the text says only behind a flipping prefix, see
    :func:`_flipped_words`); ``value`` its canonical form; ``surface`` as the question wrote it."""

    kind: str
    value: str
    surface: str
    names: tuple[str, ...] = ()  # surface forms that satisfy it (aliases, synonyms)

    def describe(self) -> str:
        """The constraint as a reader would say it (``2022년``, ``베트남``, ``매출``; an event
        by its name, ``출생`` for "태어났어")."""
        return self.value if self.kind == "event" else self.surface


@dataclass(frozen=True)
class ExpectedType:
    """What kind of phrase answers the question; ``unit`` for counts (명, 개, 건, …)."""

    kind: str
    unit: str = ""


@dataclass(frozen=True)
class QuestionFrame:
    """A question's expected answer type and constraints (see the module docstring)."""

    text: str
    expected: ExpectedType
    constraints: tuple[Constraint, ...] = ()
    topic: str = ""  # the question without its question word and ending ("2022년 예산")

    @property
    def broad(self) -> bool:
        """A request for a summary or a comparison, not for one fact."""
        return self.expected.kind in BROAD_TYPES


def expected_type(question: str, lex: Lexicon | None = None) -> ExpectedType:
    """The first type of ``question_types.json`` whose wording the question uses."""
    lex = lex or lexicon()
    q = unicodedata.normalize("NFC", question)
    for kind in lex.type_order:
        if kind == "compare" and any(p.search(q) for p in lex.type_patterns.get("factual_difference", ())):
            continue  # "두 날짜의 차이는?" asks for a number
        for pat in lex.type_patterns.get(kind, ()):
            m = pat.search(q)
            if m:
                unit = ""
                if kind == "count":
                    unit = next((g for g in m.groupdict().values() if g), "")
                    if not unit and re.search(r"인원|사람 ?수|인구", q):
                        unit = "명"
                    elif not unit and re.search(r"(?<![가-힣])(나이|연령)", q):
                        unit = "세"  # an age is in 세 or 살, not any count ("200인 이상")
                elif kind == "rate" and _ASKS_PERCENT.search(q):
                    unit = "%"  # "몇 퍼센트야?" is a share: "34배" (a multiple) does not answer it
                return ExpectedType(kind, unit)
    return ExpectedType("other")


_NAME_TAGS = ("NNP", "SL", "SH")
_NOT_NAMES = frozenset("누가 누구 무엇 어디 언제 어느 몇 얼마".split())


def without_self_introduction(question: str) -> str:
    """*question* without the self-introduction it opens with ("회사 다니는 워킹맘인데요, …",
    "기자입니다. …", "나 지방공무원인데 애가 초등학교 2학년이야. …"): who asks is no word of
    what the documents say (it was searched, and the answer refused as "문서에는 회사 다니는
    워킹맘인데요, …이 나오지 않습니다"). Only a statement about the asker (first person, an
    occupation, what they do) goes, and only when what is left is a question of its own (two
    content words at least); else *question* unchanged."""
    from .tokenization import content_words

    rest = question
    while True:
        m = _INTRODUCTION.match(rest)
        if m is None:
            return rest
        intro, after = m.group("intro"), m.group("rest")
        if re.search(r"[?？]", intro) or not _ABOUT_THE_ASKER.search(intro) or len(content_words(after)) < 2:
            return rest
        rest = after


# a leading statement ending "…인데요,", "…입니다.", "…이야." before the question
_INTRODUCTION = re.compile(r"^\s*(?P<intro>[^?？.!]{2,40}?(?:인데요|는데요|입니다|이에요|예요|인데|는데|이야|이고요)[.,!]?)\s+"
                           r"(?P<rest>\S.*[?？]\s*)$")
# …that is about the asker: first person, an occupation, what they do for a living
_ABOUT_THE_ASKER = re.compile(r"(?:^|\s)(저|제가|저는|나|난|전|내가|나는|우리\s*애|애가|아이가|딸이|아들이)(?:\s|$)|"
                              r"(기자|교사|선생님|학생|직장인|회사원|공무원|워킹맘|주부|엄마|아빠|부모|변호사|대표|사장|"
                              r"직원|연구원|의원|보좌관|개발자)(?:입니다|이에요|예요|인데요|인데|이고요)|"
                              r"(일하|다니|운영하|근무하|재학\s*중이|공부하)(?:는데요|는데|고\s*있는데요|고\s*있어요)")


def frame_question(question: str, tokens=None, names: list[tuple[str, str]] | None = None,
                   aliases: dict[str, list[str]] | None = None, known=None, variant=None,
                   lex: Lexicon | None = None) -> QuestionFrame:
    """Analyse *question* (with its Kiwi *tokens*, when the caller has them) into a
    :class:`QuestionFrame`.

    *names* are the ``(surface, kind)`` pairs :func:`answer.question_names` found; a proper
    name becomes a constraint only when *known* (a "does the corpus mention it" function)
    says the documents mention it at all — a name they never mention is the abstention
    model's business, and a name in another script ("Vietnam") cannot be matched on its
    surface. *variant* maps a name the documents lack to the corpus term it is probably a
    misspelling of (진중기 → 진중길), which then counts as the same name. *aliases* are the
    corpus's own other names (``untact-qa.json``).
    """
    lex = lex or lexicon()
    q = unicodedata.normalize("NFC", question)
    expected = expected_type(q, lex)
    # A question asking *when* uses its dates to describe the event ("1989년 국회 행정실장을
    # 역임한 사람은 언제 태어났나?"): they are not constraints on the answer's date.
    dated = expected.kind in ("date", "period")
    constraints = _time_constraints(q, dated, lex)
    constraints += _place_constraints(q, tokens, aliases, lex)
    constraints += _name_constraints(q, tokens, names, aliases, known, variant, lex, constraints)
    if tokens is not None and known is not None:
        _add_missing_words(q, tokens, known, variant, constraints)
    constraints += _company_constraints(q, known, constraints)
    constraints += _statute_constraints(q, known, constraints)
    best = _measure(q, expected, lex)  # (canonical, as written)
    if best:
        constraints.append(Constraint("measure", best[0], best[1], lex.measures.get(best[0]) or _rate_forms(best[1])))
    if dated:
        event = _dated_event(q, lex)
        if event:
            constraints.append(Constraint("event", event[0], event[1], lex.events[event[0]]))
    role = _longest_in(q, lex.roles)
    if role:
        constraints.append(Constraint("role", role[0], role[1], lex.roles[role[0]]))
    if tokens is not None:
        subject = _subject_word(q, tokens, constraints)
        if subject:
            constraints.append(Constraint("subject", subject, subject, (subject,)))
        topic = _topic_words(q, tokens, lex, best[1] if best else None, constraints)
        # a word in another script than the documents' cannot be matched on its surface
        topic = [w for w in topic if not re.fullmatch(r"[A-Za-z][\w.-]*", w) or known is None or known(w)]
        # "헌법상", "하도급법상": under the statute (as "헌법에서"), not a word a passage must say
        topic = [w for w in topic if not re.fullmatch(r"[가-힣]+법상", w) or w[:-1] in _NOT_STATUTES]
        # a specific name (VNPT, 줌) already pins the passage; a topic word is needed where
        # only a country or a measure would ("베트남의 음식배달 앱 사용률" vs its 현금 사용률)
        if topic and not any(c.kind == "name" for c in constraints):
            constraints.append(Constraint("topic", " ".join(topic), " ".join(topic), tuple(topic)))
        side = next((w for w in _NAMED_SIDES if re.search(rf"(?<![가-힣]){w}(?:{_PARTICLE_RE})?(?![가-힣])", q)), None)
        if side and not any(c.kind == "topic" and side in c.names for c in constraints):
            # "캐나다 태평양 철도 본사는 어디야?": the name pins the page, but a sentence on
            # where the company was biggest does not say where its head office is
            constraints.append(Constraint("topic", side, side, (side,)))
    return QuestionFrame(q, expected, tuple(_dedupe_names(constraints)), topic_of(q))

def _rate_forms(word: str) -> tuple[str, ...]:
    """How a document may state a rate the lexicon does not list: the word, its other
    spelling (률/율), and the verb it is the rate of ("11% 정도 도입되어 있음" is 도입률; the
    noun alone is not: "과반 득표를 한 자" gives no 득표율)."""
    stem = word[:-1]
    if word[-1] not in "률율" or len(stem) < 2:
        return (word,)
    return (word, stem + ("율" if word[-1] == "률" else "률"), *(stem + v for v in ("되", "된", "돼", "하", "한", "해", "했")))


def _measure(q: str, expected: ExpectedType, lex: Lexicon) -> tuple[str, str] | None:
    """The measure asked about: the longest lexicon name in *q*; for a rate question, any
    other rate word it names (합격률, 투표율) — but a rate of change (증가율, 성장률) is
    stated with a verb ("8% 증가"), not the word, so it is no measure."""
    best = None
    for canon, all_names in lex.measures.items():
        for n in all_names:
            if n in q and (best is None or len(n) > len(best[1])):
                best = (canon, n)
    if best is None and expected.kind == "rate":
        m = re.search(r"([가-힣]{1,6}(?<!법)(?<!규)(?<!자)(?<!선)(?<!운)(?<!전)(?<!일)(?<!계)[률율])(?=\s|[은는이가을를의]|$|\?)", q)
        if m and len(m.group(1)) >= 2 and not re.search(r"(비|증가|성장|감소|하락|상승|증감|변화|변동|인상|인하|확)[률율]$",
                                                         m.group(1)):
            best = (m.group(1), m.group(1))
    return best


def _dated_event(q: str, lex: Lexicon) -> tuple[str, str] | None:
    """The event a date question asks about ("제정되었나"): the one next to the question word
    ("제정된 날은 언제", "언제 제정되었나"), not one describing the subject earlier on
    ("종편채널 설립에 있어 … 통과된 날은 언제"). A sentence dating another event (시행) is not
    the answer."""
    wh = re.search(r"언제|몇\s*년|몇\s*월|며칠|날짜|연도|년도|시기|날은|날이", q)
    start = max(0, wh.start() - 8) if wh else 0
    near = q[start:] if wh else q
    # of the event words there, the one nearest the question word; one that names a bill
    # ("개정안", "제정안", "일부개정법률안") is what the question is about, not what happened
    # ("…개정안은 언제 발의했어?", "…일부개정법률안의 발의일은?")
    found = [(abs(m.start() + start - (wh.start() if wh else 0)), canon, n)
             for canon, ns in lex.events.items() for n in ns
             for m in re.finditer(re.escape(n), near) if not re.match(r"(?:법률)?안", near[m.end():])]
    if not found:
        return None
    _, canon, n = min(found, key=lambda x: x[0])
    return canon, n


def _time_constraints(q: str, dated: bool, lex: Lexicon) -> list[Constraint]:
    """The years, months, quarters and halves *q* names (see :func:`frame_question`)."""
    constraints: list[Constraint] = []
    for kind in ("year", "month", "quarter", "half"):
        for v in sorted(_time_values(kind, q, lex), key=lambda x: int(x)):
            # …but "2013년 몇 월까지" asks for a month *of* 2013: that year does constrain
            if dated and not re.search(rf"{v}\s*(?:년|월|분기)?\s*(?:도|에|의)?\s*(?:몇|언제|며칠|어느)", q):
                continue
            surface = {"year": f"{v}년", "month": f"{v}월", "quarter": f"{v}분기",
                       "half": "상반기" if v == "1" else "하반기"}[kind]
            constraints.append(Constraint(kind, v, surface))
    return constraints


def _place_constraints(q: str, tokens, aliases, lex: Lexicon) -> list[Constraint]:
    """Countries and places from the lexicon that *q* names as words."""
    constraints: list[Constraint] = []
    # named things: countries and places from the lexicon, other proper names from Kiwi. A
    # two-letter name must be a proper noun to Kiwi: 인도 is India, "체포 및 인도" a handover.
    proper = None if tokens is None else {q[t.start:t.start + t.len] for t in tokens
                                          if t.tag.split("-")[0] in _NAME_TAGS}
    seen: set[str] = set()
    for canon_kind, table in (("country", lex.countries), ("place", lex.places)):
        for m in _place_regex(canon_kind).finditer(q):
            n = m.group(0)
            short = len(n) <= 2 or re.fullmatch(r"[A-Za-z.]+", n)
            if short and proper is not None and n not in proper:
                continue
            if not _mentions_word(q[max(0, m.start() - 1): m.end() + 3], n):
                continue
            canon = next((c for c, ns in table.items() if any(_key(x) == _key(n) for x in ns)), None)
            if canon is None or canon in seen:
                continue
            names_ = table[canon]
            extra = tuple(a for x in names_ for a in (aliases or {}).get(x, ()))
            constraints.append(Constraint(canon_kind, canon, n, tuple(dict.fromkeys(names_ + extra))))
            seen.add(canon)
    return constraints


def _name_constraints(q: str, tokens, names, aliases, known, variant, lex: Lexicon,
                      taken: list[Constraint]) -> list[Constraint]:
    """Proper names (Kiwi's) that are not a country or place already in *taken*."""
    constraints: list[Constraint] = []
    starts = None if tokens is None else {t.start for t in tokens if t.tag.split("-")[0] in _NAME_TAGS}
    for name, kind in names or []:
        if kind != "core" or name in _NOT_NAMES or re.fullmatch(r"[\d,.]+", name):
            continue
        # a proper noun to Kiwi: "탐사선의 …", "보통의 사람들" open with a common noun
        if starts is not None and q.find(name) not in starts:
            continue
        k = _key(name)
        if k in lex.name_of or any(k in _key(c.surface) or _key(c.surface) in k for c in taken
                                   if c.kind in ("country", "place")):
            continue  # already a country or a place
        if _time_values("year", name, lex) or _time_values("month", name, lex):
            continue
        if known is not None and not known(name) and len(name) >= 3 and name[-1] in _GLUED_PARTICLES \
                and known(name[:-1]):
            name = name[:-1]  # Kiwi kept the particle on an unknown name: "송요찬이", "안틴이"
        extra = tuple(aliases.get(name, ())) if aliases else ()
        if known is not None and not known(name):
            # a Hangul name the documents never mention cannot be met by any passage, unless
            # it is a slip for one they do; a Latin-script one may be a translation of one
            # they mention ("Zoom" / 줌)
            slip = variant(name) if variant is not None else None
            if slip:
                extra += (slip,)
            elif not re.fullmatch(r"[가-힣]{3,}", name):
                continue
        constraints.append(Constraint("name", name, name, (name, *extra)))
    return constraints


def _named_already(word: str, constraints: list[Constraint]) -> bool:
    """Does a name constraint already hold *word* (or a name it is part of)?"""
    return any(_key(word) in _key(n) for c in constraints if c.kind == "name" for n in (c.surface, *c.names))


def _company_constraints(q: str, known, taken: list[Constraint]) -> list[Constraint]:
    """Companies and services the glossary names, written in Korean in *q* as a word of their
    own ("줌의 일일 사용자"), that no name constraint holds yet: a passage on another platform's
    daily users does not answer a question about 줌's."""
    from .crosslingual import company_names

    out = []
    for korean, english in company_names().items():
        if not re.search(rf"(?<![가-힣A-Za-z]){re.escape(korean)}(?:{_PARTICLE_RE})?(?![가-힣])", q):
            continue
        if _named_already(korean, taken):
            continue
        if known is not None and not known(korean):
            continue
        out.append(Constraint("name", korean, korean, (korean, english)))
    return out


# words ending in 법 that name no statute
_NOT_STATUTES = frozenset({"방법", "불법", "위법", "합법", "입법", "사법", "문법", "수법", "편법", "용법", "기법", "어법",
                           "요법", "화법", "필법", "해법", "비법", "설법", "적법", "탈법", "범법", "작법", "공법"})
_STATUTE = re.compile(r"(?<![가-힣])([가-힣]{2,}법)(?=$|\s|개정|일부|의|은|는|이|가|을|를|에|도|과|와|상(?![가-힣]))")  # 상: "하도급법상"


def _statute_constraints(q: str, known, taken: list[Constraint]) -> list[Constraint]:
    """A statute the question names ("행정절차법 개정안의 제안이유는?") and the documents
    mention: the answer comes from a passage of (or on) it, not from the Constitution's
    article on constitutional amendments. Kiwi reads such names as common nouns."""
    out = []
    for m in _STATUTE.finditer(q):
        name = m.group(1)
        if name in _NOT_STATUTES or (known is not None and not known(name)):
            continue
        if _named_already(name, taken + out):
            continue
        out.append(Constraint("name", name, name, (name,)))
    return out


def _add_missing_words(q: str, tokens, known, variant, constraints: list[Constraint]) -> None:
    """A noun word the documents never mention ("카카오뱅크", "공업정보화부", "저작권법") becomes a
    name constraint no passage can meet, unless it is a slip for a word they have."""
    for word in _missing_words(q, tokens, known, variant):
        # the missing compound is what is asked ("카카오뱅크"), not the name inside it that
        # the documents do mention ("카카오")
        constraints[:] = [c for c in constraints if not (c.kind == "name" and _key(c.surface) in _key(word))]
        if not any(_key(word) in _key(c.surface) or _key(c.surface) in _key(word) for c in constraints):
            constraints.append(Constraint("name", word, word, (word,)))


_NOUNISH = ("NNG", "NNP", "SL", "SH", "XSN", "XPN", "NR")
_GLUED_PARTICLES = frozenset("이가은는을를의와과도")
# sides of something a sentence answering must name: no other words say them
_NAMED_SIDES = ("본사", "본부", "소재지", "로고",
                # a relative: "김무성 할아버지는 누구야?" is not answered by a sentence on 김무성
                # that names no grandfather (synonyms.txt: 조부). Not parents nor a spouse: "…와
                # 마리아 테레지아 사이에서 태어났다", "…와 결혼했다" name them without the word
                "할아버지", "할머니", "외할아버지", "외할머니", "조부", "조모", "손자", "손녀", "장인", "장모",
                "시아버지", "시어머니")
_PARTICLE_RE = "은|는|이|가|을|를|의|와|과|도|에서|에|으로|로|만|까지|하고|이랑|랑"


@lru_cache(maxsize=1)
def _institution_suffixes() -> tuple[str, ...]:
    lex = lexicon()
    return tuple(sorted(set(lex.units["org_suffixes"]) - {"사", "소", "국", "군", "원"} | {"법", "뱅크", "은행", "부처"},
                        key=len, reverse=True))


def _missing_words(q: str, tokens, known, variant) -> list[str]:
    """Words of three or more Hangul syllables made only of nouns (a particle may follow)
    that the documents do not contain anywhere, nor a slip of them."""
    out = []
    toks = list(tokens)
    i = 0
    while i < len(toks):
        j = i
        while j + 1 < len(toks) and toks[j + 1].start == toks[j].start + toks[j].len:
            j += 1
        word_toks = toks[i:j + 1]
        nouns = [t for t in word_toks if t.tag.split("-")[0] in _NOUNISH]
        rest = word_toks[len(nouns):]
        if nouns and len(nouns) == len(word_toks[:len(nouns)]) and all(t.tag.startswith("J") for t in rest) \
                and all(t.tag.split("-")[0] in _NOUNISH for t in word_toks[:len(nouns)]):
            word = q[nouns[0].start: nouns[-1].start + nouns[-1].len]
            # a name or an institution (카카오뱅크, 공업정보화부, 저작권법), not a compound the
            # documents merely word otherwise (실험결과, 사전교육)
            named = any(t.tag.split("-")[0] == "NNP" for t in nouns) or word.endswith(_institution_suffixes())
            if named and re.fullmatch(r"[가-힣]{3,}", word) and word not in _NOT_NAMES and not known(word) \
                    and not (variant and variant(word)):
                out.append(word)
        i = j + 1
    return out
_SUBJECT_PARTICLES = ("JKG", "JX", "JKS", "NNB")  # NNB: "물리치료사 중 …" (among them)


def _subject_word(q: str, tokens, constraints: list[Constraint]) -> str:
    """The common noun a question opens with as its subject or possessor ("국회의장" in
    "국회의장의 임기는?", "대법관" in "대법관은 몇 명으로…"), when it is one word, not a name
    already constrained, and not the thing asked (more follows it)."""
    toks = list(tokens)
    if len(toks) < 3 or toks[0].tag.split("-")[0] not in ("NNG", "XPN"):
        return ""
    j = 0
    while j + 1 < len(toks) and toks[j + 1].tag.split("-")[0] in _NOUNISH and \
            toks[j + 1].start == toks[j].start + toks[j].len:
        j += 1
    if j + 1 >= len(toks) or toks[j + 1].tag not in _SUBJECT_PARTICLES or (
            toks[j + 1].tag == "NNB" and toks[j + 1].form != "중"):
        return ""
    word = q[toks[0].start: toks[j].start + toks[j].len]
    rest = q[toks[j + 1].start + toks[j + 1].len:].strip(" ?？.!")
    if len(word) < 2 or not re.search(r"[가-힣]{2,}", rest):
        return ""
    taken = {_key(n) for c in constraints for n in (c.surface, *c.names)}
    return "" if _key(word) in taken else word


def _topic_words(q: str, tokens, lex: Lexicon, measure: str | None, constraints: list[Constraint]) -> list[str]:
    """The words a question puts right before its measure or a topic head noun ("음식배달 앱"
    in "베트남의 음식배달 앱 사용률은?", "원격의료" in "미국의 원격의료 상황은?")."""
    toks = list(tokens)
    anchor = None
    if measure:
        at = q.find(measure)
        anchor = next((i for i, t in enumerate(toks) if t.start >= at), None)
    if anchor is None:
        anchor = next((i for i, t in enumerate(toks) if t.tag.split("-")[0] == "NNG" and t.form in lex.topic_heads
                       and i > 0), None)
    if anchor is None:
        return []
    words: list[str] = []
    j = anchor - 1
    while j >= 0 and toks[j].tag.split("-")[0] in _NOUNISH:
        gap = toks[j + 1].start - (toks[j].start + toks[j].len)
        if gap > 1:
            break
        j -= 1
    first = j + 1
    if first >= anchor:
        return []
    span = q[toks[first].start: toks[anchor].start].strip()
    taken = {_key(n) for c in constraints if c.kind != "measure" for n in (c.surface, *c.names)}
    for w in span.split():
        if _key(w) not in taken and len(w) >= 2 and w not in _NOT_NAMES:
            words.append(w)
    return words


def _longest_in(q: str, table: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """``(canonical, as written)`` of the longest name of *table* that starts a word of *q*."""
    best = None
    for canon, names in table.items():
        for n in names:
            if best is not None and len(n) <= len(best[1]):
                continue
            m = role_regex(n).search(q)
            if m:
                best = (canon, m.group(0))
    return best


@lru_cache(maxsize=512)
def role_regex(name: str) -> re.Pattern:
    """*name* at the start of a word, written solid or with a space between two parts of two
    syllables or more ("지방의회 의원" for 지방의회의원, "국회 의장"): a question spaces a
    compound office as it likes. Parts of one syllable are never split ("의 사" is not 의사)."""
    parts = [re.escape(name[:2])] + [("\\s?" if 2 <= i <= len(name) - 2 else "") + re.escape(ch)
                                     for i, ch in enumerate(name[2:], start=2)]
    return re.compile(r"(?<![가-힣])" + "".join(parts))


def roles_in(text: str) -> set[str]:
    """The offices of the lexicon (roles.txt) *text* names, by their canonical names."""
    lex = lexicon()
    out = set()
    for canon, names in lex.roles.items():
        if any(role_regex(n).search(text) for n in names):
            out.add(canon)
    return out


# "대통령은 한 번 되면 몇 년 동안 해?": how long one holds an office
_HOW_LONG_HELD = re.compile(r"(?:한\s*번\s*(?:되면|하면|뽑히면|맡으면|선출되면|임명되면)\s*)?몇\s*년\s*(?:동안|간)?\s*"
                           r"(?:해|해요|하나요|하는데|하지|하는\s*거야|재직해|일해|맡아|근무해)")


def in_tenure_words(text: str) -> str:
    """*text* asking how long one holds an office in the word the documents use, 임기
    ("대통령은 한 번 되면 몇 년 동안 해?" → "대통령은 임기 몇 년?": it abstained, no sentence
    saying "몇 년 동안 해"); unchanged when it names no office or says 임기 itself."""
    m = None if "임기" in text else _HOW_LONG_HELD.search(text)
    if m is None or not roles_in(text):  # (the cheap test first: every question passes here)
        return text
    return f"{text[:m.start()]}임기 몇 년{text[m.end():]}"


def _dedupe_names(cs: list[Constraint]) -> list[Constraint]:
    """Drop a name constraint contained in a longer one ("카카오" inside "카카오뱅크" stays
    only as the longer name)."""
    names = [c for c in cs if c.kind == "name"]
    out = []
    for c in cs:
        if c.kind == "name" and any(o is not c and _key(c.value) in _key(o.value) and len(o.value) > len(c.value)
                                    for o in names):
            continue
        out.append(c)
    return out


@lru_cache(maxsize=4)
def _place_regex(kind: str) -> re.Pattern:
    lex = lexicon()
    table = lex.countries if kind == "country" else lex.places
    names = sorted({n for ns in table.values() for n in ns if len(n) >= 2}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names), re.I)


@lru_cache(maxsize=8192)
def places_in(kind: str, text: str) -> frozenset[str]:
    """Canonical names of the countries (*kind* ``country``) or places the text mentions as
    words (one regex pass, cached per text)."""
    lex = lexicon()
    table = lex.countries if kind == "country" else lex.places
    out = set()
    for m in _place_regex(kind).finditer(text):
        name = m.group(0)
        if _mentions_word(text[max(0, m.start() - 1): m.end() + 3], name):
            got = lex.name_of.get(_key(name))
            if got and got[0] == kind:
                out.add(got[1])
            else:  # a name listed under both kinds (홍콩): look it up in this table
                out.update(c for c, ns in table.items() if any(_key(n) == _key(name) for n in ns))
    return frozenset(out)


def _mentions_word(text: str, name: str) -> bool:
    """*name* occurs in *text* as a word start (so 인도 does not match 인도네시아 or 인도적)."""
    if re.fullmatch(r"[A-Za-z.]+", name):
        return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text, re.I) is not None
    for m in re.finditer(re.escape(name), text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end():m.end() + 3]
        if re.match(r"[가-힣]", before):
            continue
        # a longer country/place name starting with this one is another name
        if re.match(r"[가-힣]", after[:1]) and not re.match(
                r"(의|은|는|이|가|을|를|에|에서|과|와|도|만|까지|부터|로|으로|보다|처럼|인|산|정부|시장|내|국|측|어|계|식|풍|령|군|족|제|판|법|헌법|"
                r"시|주|성|현|섬|항|공항|지역|해역|전역)", after):
            continue
        return True
    return False


_TOPIC_CUT = re.compile(r"\s*(?:은|는|이|가|을|를|의|에|에서|엔|에는)?\s*(?:몇|얼마|언제|누구|누가|어디|어느|어떤|어떻|어때|어땠|어떠|무엇|뭐|무슨|왜|"
                        r"what|how|who|when|where|which|why).*$", re.I)
_TOPIC_END = re.compile(r"\s*(?:은|는|이|가|을|를)?\s*[?？.!]*\s*$")


def topic_of(question: str) -> str:
    """The question's noun phrase without question word and ending: "2022년 한국판 뉴딜 예산은
    얼마인가?" → "2022년 한국판 뉴딜 예산" (used in near-miss messages)."""
    q = question.strip()
    t = _TOPIC_CUT.sub("", q)
    t = _TOPIC_END.sub("", t).strip()
    # "…증가율은 전년 대비": the topic ends at its last topic particle — a particle as Kiwi reads
    # it, not the 는 of a verb's ending ("실천되지 않는 이유" is one phrase, not "실천되지 않")
    if re.search(r"[은는]\s", t):
        from .tokenization import kiwi

        marks = [k.start for k in kiwi().tokenize(t) if k.tag == "JX" and k.form in ("은", "는")
                 and k.start + k.len < len(t) and t[k.start + k.len].isspace()]
        if marks:
            t = t[: marks[-1]]
    return t or q.rstrip("?？.! ")


# -- checking a candidate ------------------------------------------------------------------
@dataclass(frozen=True)
class SpanCheck:
    """How a candidate sentence stands against a question frame."""

    type_ok: bool
    met: tuple[Constraint, ...] = ()
    unmet: tuple[Constraint, ...] = ()
    contradicted: tuple[tuple[Constraint, str], ...] = ()  # (constraint, what the text says instead)

    @property
    def passes(self) -> bool:
        """Holds the expected type and meets every constraint."""
        return self.type_ok and not self.unmet and not self.contradicted

    @property
    def fails_only_constraints(self) -> bool:
        """The near-miss case: the right kind of answer about a neighbouring fact."""
        return self.type_ok and bool(self.unmet or self.contradicted)

    @property
    def met_share(self) -> float:
        n = len(self.met) + len(self.unmet) + len(self.contradicted)
        return len(self.met) / n if n else 1.0


_ASKS_PERCENT = re.compile(r"몇\s*(?:퍼센트|%|％|프로)|\bpercent|\bpercentage\b", re.I)


def _unit_alt(units: list[str]) -> str:
    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))


_GENERIC_UNITS = frozenset({"개", "곳", "가지", "종", "점", "부"})


@lru_cache(maxsize=64)
def _type_regex(kind: str, unit: str) -> re.Pattern | None:
    lex = lexicon()
    # "3만 5000여 개", "300여명": 여 (about) may stand between a number and its unit
    mag = "(?:\\s*[" + "".join(lex.units["magnitudes"]) + "])*(?:\\s*여)?"
    # a Korean numeral is a word of its own ("세 명"), not the start of one ("세계", "한국")
    # and is written apart from its unit ("세 명", "두 배"), unlike "한국"
    num = (rf"(?:{_NUM}|(?<![가-힣])(?:[한두세네]|다섯|여섯|일곱|여덟|아홉|열|스무|수십|수백|수천|수만|수십만|수백만|수천만|"
           rf"수억|수조|몇)(?=\s+[가-힣%]))")
    # "870만(±120만)종": a parenthesis may stand between a number and its unit
    paren = r"(?:\s*\([^()]{0,20}\))?"
    if kind == "count":
        # a specific unit must be there (people in 명/인, ages in 세/살, cases in 건); the generic
        # 개/곳/가지 accept any count unit (the document may count solar cells in 매)
        # (how many times is said in 번, 회, 차례 or 차: "1차에 한하여 중임할 수 있다")
        strict = {"명": ["명", "인"], "인": ["명", "인"], "세": ["세", "살"], "살": ["세", "살"],
                  "번": ["번", "회", "차례", "차"]}
        units = strict.get(unit) or ([unit] if unit and unit not in _GENERIC_UNITS else lex.units["count"])
        # how many people must agree is, in a statute, a share of a body ("재적의원 3분의 2
        # 이상", "과반수")
        share = r"|\d+\s*분의\s*\d+|과반수" if unit in ("명", "인") else ""
        return re.compile(rf"{num}{mag}{paren}\s*(?:{_unit_alt(units)}){share}")
    if kind == "amount":
        money = _unit_alt(lex.units["amount"])
        return re.compile(rf"{num}{mag}{paren}\s*(?:{money})|[$₩¥€]\s*{_NUM}")
    if kind == "rate":
        # (and a share told as a count of a count: "3개 중 1개는 PC와 모바일을 이용"; a share asked
        # in per cent is no multiple)
        rates = [u for u in lex.units["rate"] if unit != "%" or u != "배"]
        return re.compile(rf"{_NUM}\s*(?:{_unit_alt(rates)})|\d+\s*분의\s*\d+|절반|과반|"
                          r"(?:\d+|[한두세네]|열)\s*(개|명|곳|가구|건)\s*(?:중|가운데)\s*(?:\d+|한|두|세|네)\s*\1")
    if kind == "period":
        # a day of a month ("5월 21일") and a year ("1993년") are dates, not how long
        # (nor is a fraction: "4분의 1" is no number of minutes)
        return re.compile(rf"(?<!월)(?<!월\s)(?!(?:1[5-9]|20)\d\d\s*년){num}{mag}\s*(?:{_unit_alt(lex.units['period'])})"
                          r"(?!의\s*\d)|동안|기간")
    if kind == "date":
        # a one-syllable era word stands apart ("2020년 초", "고려 말"), unlike 최초, 시말
        era = "|".join([re.escape(w) for w in lex.units["era_words"] if len(w) > 1]
                       + [rf"(?<=\s){re.escape(w)}" for w in lex.units["era_words"] if len(w) == 1])
        particle = "(?:까지|부터|에는|에도|에서|에|의|로|으로|인|이|가|은|는)?"
        # a weekday or a month in Korean numerals dates a meeting as well as 3월 10일 does
        calendar = "|".join(rf"(?<![가-힣]){re.escape(w)}" for w in lex.units.get("calendar_words", ()))
        clock = r"(?:오전|오후|새벽|아침|저녁|밤|낮)\s*(?:\d{1,2}|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열한|열두)\s*시"
        # "6월 이내" (within six months) and "3일간" are periods, not dates
        return re.compile(rf"(?:19|20)\d{{2}}|\d{{1,2}}\s*[월일](?!\s*(?:이내|간|동안|이상|만에|째))|\d{{1,4}}\s*년|\d+\s*세기|[’']\d{{2}}|"
                          rf"[가-힣]+\s*(?:{era}){particle}(?![가-힣])|날\s*(?:부터|로부터|에|까지)|일부터|{clock}|"
                          + (calendar + "|" if calendar else "")
                          + "|".join(re.escape(w) for w in lex.relative_year))
    if kind in ("number", "change"):
        units = _unit_alt(lex.units["count"] + lex.units["rate"] + lex.units["period"] + lex.units["amount"])
        return re.compile(rf"{_NUM}|{num}{mag}\s*(?:{units})|두 배|절반|(?<![가-힣])(?:첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*(?:번)?째")
    return None


def type_ok(expected: ExpectedType, text: str, new_terms: list[tuple[str, str]]) -> bool:
    """Does *text* hold a phrase of the *expected* type? *new_terms* are its content
    morphemes (with :data:`~untact_qa.tokenization.TAG_CLASS` letters) that the question
    does not already use — a person, organisation or place answer must bring a new name."""
    kind = expected.kind
    if kind not in CHECKED_TYPES:
        return True
    if kind in ("person", "organisation", "place"):
        # Answers to 누구/어디 are as often roles and common nouns (국민, 변호인, 대법원, 의회)
        # as names: the sentence must bring a noun or name the question does not use.
        return any(c in "NPL" for _, c in new_terms)
    pat = _type_regex(kind, expected.unit)
    return bool(pat and pat.search(text))


def check_span(frame: QuestionFrame, text: str, context: str, new_terms: list[tuple[str, str]],
               lex: Lexicon | None = None, heading: str = "", lead: str = "") -> SpanCheck:
    """Check a candidate *text* (one or two sentences) with its *context* (document title,
    heading path and passage) against *frame*. The measure must be in the sentence or the
    *heading*: the passage's other sentences give other numbers. Names and offices may
    also be met by the document's *lead* passage, where a document says what it is about."""
    where = _Where(frame, text, context, heading, lead, lex or lexicon())
    met, unmet, contra = [], [], []
    for c in frame.constraints:
        verdict = _CHECKS[c.kind](c, where)
        if verdict is None:
            met.append(c)
        elif verdict:
            contra.append((c, verdict))
        else:
            unmet.append(c)
    aside = _set_aside_words(frame.text, text) if frame.expected.kind in _FIGURE_KINDS else []
    for word, found in _flipped_words(frame.text, text) + aside:
        contra.append((Constraint("word", word, word), found))
    typed = type_ok(frame.expected, text, new_terms) or _not_even_once(frame, text)
    return SpanCheck(typed, tuple(met), tuple(unmet), tuple(contra))


# "몇 번까지 중임할 수 있어?": how many times one may do something
_HOW_MANY_TIMES = re.compile(r"몇\s*(?:번|회|차례)(?:까지|이나)?\s*(?:더\s*)?([가-힣]{2,})(?:할|될|하실|하게\s*될)\s*수\s*있")


def _not_even_once(frame: QuestionFrame, text: str) -> bool:
    """Does *text* answer "how many times may one …?" with "… 할 수 없다" (not once: "대법원장의
    임기는 6년으로 하며, 중임할 수 없다")?"""
    m = _HOW_MANY_TIMES.search(frame.text) if frame.expected.kind == "count" else None
    return bool(m and re.search(re.escape(m.group(1)) + r"(?:할|될)\s*수\s*없", text))


# Hanja prefixes that turn a noun into its opposite or its passive: 피선거권 (the right to be
# elected) is not 선거권, 비대면 not 대면, 비공개 not 공개, 무상 not 상, 미가입 not 가입
_FLIPPING = "피비무불미반"


def _flipped_words(question: str, text: str) -> list[tuple[str, str]]:
    """The question's nouns (as written, two syllables or more) that *text* uses only behind
    a flipping prefix the question does not have, each with the word the text says instead:
    "선거권은 몇 살부터 생겨?" against "…국회의원의 피선거권이 있고 … 40세" → (선거권, 피선거권)."""
    out = []
    for word in _written_nouns(question):
        at = [m.start() for m in re.finditer(re.escape(word), text)]
        if not at or any(k == 0 or text[k - 1] not in _FLIPPING for k in at):
            continue
        if all(k == 1 or not ("가" <= text[k - 2] <= "힣") for k in at):  # the prefix opens a word
            out.append((word, text[at[0] - 1:at[0] + len(word)]))
    return out


# "비로봉 외에 영랑봉(1,601m), …": what the figures after it are not about
_SET_ASIDE = r"\s*(?:을|를)?\s*(?:외에|외의|이외에|이외의|이외|말고|빼고|제외하고|제외한)(?![가-힣])"


_FIGURE_KINDS = frozenset({"number", "count", "rate", "amount", "period", "change"})


def _set_aside_words(question: str, text: str) -> list[tuple[str, str]]:
    """The question's nouns that the sentences of *text* that give figures name only to set
    them aside ("비로봉 높이는 몇 미터야?" against "…봉은 비로봉 외에 영랑봉(1,601m), 중향성
    (1,520m) … 등이 있으며": the figures are the others'), each with the phrase that does; none
    when the question sets something aside itself ("…외에 다른 봉우리는?")."""
    if re.search(_SET_ASIDE, question):
        return []
    figured = " ".join(s for s in re.split(r"(?<=[.?!])\s+", text) if re.search(r"\d", s))
    out = []
    for word in _written_nouns(question):
        at = list(re.finditer(re.escape(word), figured))
        aside = [re.match(_SET_ASIDE, figured[m.end():]) for m in at]
        if at and all(aside):
            out.append((word, word + aside[0].group(0)))
    return out


@lru_cache(maxsize=256)
def _written_nouns(question: str) -> tuple[str, ...]:
    """The nouns of *question* as written: Kiwi's noun, prefix and suffix pieces joined where
    the question writes them as one word (선거+권 → 선거권), two syllables or more."""
    from .tokenization import question_tokens

    words, cur, end = [], "", -1
    for t in question_tokens(question):
        if t.tag in ("NNG", "NNP", "XPN", "XSN") and (cur and t.start == end or not cur and t.tag != "XSN"):
            cur, end = cur + t.form, t.start + t.len
            continue
        if len(cur) >= 2 and re.fullmatch(r"[가-힣]+", cur):
            words.append(cur)
        cur, end = (t.form, t.start + t.len) if t.tag in ("NNG", "NNP", "XPN") else ("", -1)
    if len(cur) >= 2 and re.fullmatch(r"[가-힣]+", cur):
        words.append(cur)
    return tuple(dict.fromkeys(words))


@dataclass(frozen=True)
class _Where:
    """A candidate and what it is read with, for the per-kind checks below. Each check
    returns None when its constraint is met, "" when it is not, or what the text names
    instead (a contradiction)."""

    frame: QuestionFrame
    text: str
    context: str
    heading: str
    lead: str
    lex: Lexicon

    @cached_property
    def whole(self) -> str:
        return f"{self.context}\n{self.text}"

    @cached_property
    def named(self) -> str:
        return f"{self.lead}\n{self.whole}" if self.lead else self.whole


def _check_place(c: Constraint, w: _Where) -> str | None:
    in_text, in_context = places_in(c.kind, w.text), places_in(c.kind, w.context)
    # (a country's statute, titled "대한민국헌법", is about that country in every passage; an
    # article whose title names a country may still tell of others)
    title = w.lead.lstrip().split("\n", 1)[0].strip()  # (checked for every candidate: no full split)
    titled = places_in(c.kind, title) if re.search(r"(헌법|법률|법)$", title) else frozenset()
    if c.value in in_text or c.value in in_context or c.value in titled or any(
            _mentions_word(w.whole, n) for n in c.names if n not in _names_of(c.kind, c.value)):
        return None
    # a country the question names too ("일본군 출신인 송요찬이 대한민국에서 …") is part
    # of what it asks, not a rival
    asked = places_in(c.kind, w.frame.text) | {c.value}
    other = sorted(in_text - asked) or sorted(in_context - asked)
    return other[0] if other else ""


def _check_name(c: Constraint, w: _Where) -> str | None:
    from .surface import surface_key

    hay = surface_key(w.named)
    if not any(_name_in(hay, n) for n in c.names):
        return ""
    if not any(_name_in(surface_key(w.text), n) for n in c.names):
        # named only around it, by a sentence whose subject is another name ("PaGamO는 … 2만 명
        # 수준에서 4만 명으로" for "VoiceTube는 사용자가 얼마나 늘었어?", the three listed together):
        # the figure is that other one's
        rival = _LATIN_SUBJECT.match(w.text)
        if rival and not any(surface_key(rival.group(1)) == surface_key(n) for n in c.names):
            return rival.group(1)
    return None


# a sentence opening with a Latin name as its subject or topic ("PaGamO는 …", "Hahow도 …")
_LATIN_SUBJECT = re.compile(r"\s*([A-Z][A-Za-z0-9]+(?:\s[A-Z][A-Za-z0-9]+)?)(?:은|는|이|가|도)\s")


def _check_role(c: Constraint, w: _Where) -> str | None:
    from .surface import surface_key

    # ("감사원 … 원장" for 감사원장 — its first part there too: "감사위원은 …" is no 국무위원)
    hay = surface_key(w.whole)
    if any(role_regex(n).search(w.whole) for n in c.names) or (
            _name_in(hay, c.value) and surface_key(c.value[:-2]) in hay and _short_role_in(c.value[-2:], w.text)):
        return _rival_in_slot(c, w)
    # another office in the sentence itself: its figure is not this one's (unless the question
    # names it too: "국무총리는 현역 군인도 될 수 있어?" is answered by "군인은 … 국무총리로 …")
    other = sorted(roles_in(w.text) - {c.value} - roles_in(w.frame.text))
    return other[0] if other else None


def _short_role_in(short: str, text: str) -> bool:
    """Does *text* name the office by its short form (원장, in an article on 감사원) as one it
    says something of, not as the owner of another's ("③감사위원은 원장의 제청으로 …": the
    sentence is about 감사위원)?"""
    return any(not text[m.end():].startswith("의") for m in re.finditer(re.escape(short), text))


# particles that are one slot however the noun before them ends (으로/로, 은/는, 이/가, 을/를)
_SLOT_PARTICLES = {"으로": "(?:으로|로)", "로": "(?:으로|로)", "은": "[은는]", "는": "[은는]", "이": "[이가]",
                   "가": "[이가]", "을": "[을를]", "를": "[을를]", "의": "의", "에게": "에게"}


def _role_slot(question: str, names: tuple[str, ...]) -> str | None:
    """What the question says right after its office: a regex of the particle and the first
    two syllables of the next word ("으로 선거" in "국회의원으로 선거될 수 있는 나이는?")."""
    for n in names:
        m = role_regex(n).search(question)
        if m is None:
            continue
        after = re.match(r"(으로|로|은|는|이|가|을|를|의|에게)\s*([가-힣]{2})", question[m.end():])
        if after:
            return _SLOT_PARTICLES[after.group(1)] + r"\s*" + re.escape(after.group(2))
        # "대법원장 임기 몇 년이야?": a noun right after the office is its own ("대법원장의 임기");
        # "국회의원 선거에 나가려면 …" is the office one is elected to ("대통령으로 선거될 수 있는 자")
        bare = re.match(r"\s+([가-힣]{2})", question[m.end():])
        if bare:
            return r"(?:의|으로|로)?\s*" + re.escape(bare.group(1))
    return None


def _rival_in_slot(c: Constraint, w: _Where) -> str | None:
    """Another office in the place the question gives its own, where its own is not: "대통령으로
    선거될 수 있는 자는 국회의원의 피선거권이 있고 …" names 국회의원, but does not answer
    "국회의원으로 선거될 수 있는 나이는?" (the age is 대통령's)."""
    slot = _role_slot(w.frame.text, c.names)
    if slot is None or any(re.search(role_regex(n).pattern + slot, w.text) for n in c.names):
        return None
    for other in sorted(roles_in(w.text) - {c.value} - roles_in(w.frame.text)):
        if any(re.search(role_regex(n).pattern + slot, w.text) for n in w.lex.roles.get(other, (other,))):
            return other
    return None


def _check_subject(c: Constraint, w: _Where) -> str | None:
    # Only a rival says the passage is about something else: another word sharing the
    # subject's first or last two syllables ("국회의원" for 국회의장, "국회의원" for
    # 지방의회의원). A subject merely not repeated (the article's "그는") is fine.
    from .surface import surface_key

    if _word_in(surface_key(w.whole), c.value):
        return None
    return _rival_word(c.value, w.text) or None


def _check_topic(c: Constraint, w: _Where) -> str | None:
    from .surface import surface_key

    hay = surface_key(w.whole)
    # most of the topic's words: questions and documents word a topic differently
    # ("VNPT사 이러닝 프로그램" / "VNPT사 E-Learning … 프로그램"), and a word is there when a
    # synonym of it is (원격근무 in a passage on 재택근무: synonyms.txt)
    found = sum(any(_word_in(hay, y) for y in w.lex.synonyms.get(_key(x), (x,))) for x in c.names)
    return None if found * 2 >= len(c.names) else ""


def _check_event(c: Constraint, w: _Where) -> str | None:
    if any(n in w.text for n in c.names):
        return None
    if c.value not in ("출생", "사망") and _LIFE_SPAN.search(w.text):
        # "헤이그 2세(…, 1924년 12월 2일 ~ 2010년 2월 20일)는 …": the dates of a life, no
        # answer to when he resigned
        return "출생"
    return next((canon for canon, ns in w.lex.events.items() if canon != c.value
                 and any(n in w.text for n in ns)), None)


# a life span in parentheses after the name a sentence opens with, the way an encyclopedia
# entry starts: "윤정훈 (1974년 ~ )은", "헤이그 2세(…, 1924년 12월 2일 ~ 2010년 2월 20일)는"
_LIFE_SPAN = re.compile(r"^[^()]{1,40}\([^()]*?(?:1[0-9]|20)\d{2}\s*년[^()~]*~[^()]*\)\s*(?:은|는|이|가)")


def _check_measure(c: Constraint, w: _Where) -> str | None:
    from .surface import surface_key

    near = surface_key(f"{w.heading}\n{w.text}")
    if any(surface_key(n) in near for n in c.names):
        return None
    span_key = surface_key(w.text)
    return next((canon for canon, ns in w.lex.measures.items() if canon != c.value
                 and c.value not in ns and any(surface_key(n) in span_key for n in ns)), "")


def _check_time_kind(c: Constraint, w: _Where) -> str | None:
    if c.kind == "month":
        other = _month_of_another_year(c.value, w.frame.text, w.text)
        if other:
            return other
    return _check_time(c, w.text, w.context, w.lex)


_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})\s*년\s*(\d{1,2})\s*월")


def _month_of_another_year(month: str, question: str, text: str) -> str:
    """What *text* writes when the question asks a month of one year ("2020년 3월") and the
    text names that month only as another year's ("2019년 3월 대비"): that year's month, a
    contradiction; else ""."""
    asked = {y for y, m in _YEAR_MONTH.findall(question) if m.lstrip("0") == month}
    if not asked:
        return ""
    years = [y for y, m in _YEAR_MONTH.findall(text) if m.lstrip("0") == month]
    return f"{years[0]}년 {month}월" if years and not asked & set(years) else ""


_CHECKS = {**dict.fromkeys(TIME_KINDS, _check_time_kind), "country": _check_place, "place": _check_place,
           "name": _check_name, "role": _check_role, "subject": _check_subject, "topic": _check_topic,
           "event": _check_event, "measure": _check_measure}


def _check_time(c: Constraint, text: str, context: str, lex: Lexicon) -> str | None:
    """``None`` when the time constraint is met (or the sentence dates itself relatively:
    "이듬해", "같은 해" — its year is not ours to resolve), what the text says instead when
    it names another time, ``""`` when it names none."""
    in_text, in_context = _time_values(c.kind, text, lex), _time_values(c.kind, context, lex)
    if c.kind == "year" and not in_text:
        # "같은 해 6월 30일 …", "이듬해 …" date the sentence by the year the text named last
        # before it: that year, not any year of the passage, is the sentence's own
        resolved = _narrative_year(text, context, lex)
        if resolved:
            return None if resolved == c.value else f"{resolved}년"
    if c.value in in_text or c.value in in_context:
        return None
    # a sentence dated relatively ("올해 1분기", "이듬해") has no year, month or quarter of
    # its own to compare: it is not contradicted, and only its context could say more
    if not in_text and any(w in text for w in lex.relative_year):
        return None
    if in_text:
        return _describe_values(c.kind, in_text)
    if in_context:
        return _describe_values(c.kind, in_context)
    if c.kind == "year" and any(w in context for w in lex.relative_year):
        return None
    return ""


def _narrative_year(text: str, context: str, lex: Lexicon) -> str:
    """The year a sentence dated "같은 해" or "이듬해" speaks of: the last year named before it
    in its passage, shifted by the word's offset; "" when it has no such word or no year
    precedes it."""
    hit = next(((w, k) for w, k in sorted(lex.narrative_year.items(), key=lambda x: -len(x[0])) if w in text), None)
    if hit is None:
        return ""
    at = context.find(text)
    before = context[:at] if at >= 0 else ""
    # the year named last, counting years the sentence itself names before the word
    before += text[:text.find(hit[0])]
    last = None
    for m in _YEAR.finditer(before):
        last = m.group(1)
    return str(int(last) + hit[1]) if last else ""


def _name_in(hay: str, name: str) -> bool:
    """Is *name* in *hay* (a ``surface_key`` text)? Each word of a multi-word name on its own
    ("바이오쇼크 플레이스테이션"), and a long name also by its first three quarters (감사원장 →
    감사원, when the text says "감사원 … 원장")."""
    from .surface import surface_key, text_mentions

    whole = surface_key(name)
    if whole and (whole in hay or text_mentions(hay, whole)):
        return True
    parts = [surface_key(p) for p in name.split() if re.search(r"\w", p)] or [whole]
    if len(parts) == 1 and re.fullmatch(r"[가-힣]{4,}", whole):
        # a compound written as one word ("대한민국배우", "독일중서부지역"): most of its nouns
        forms = [surface_key(f) for f in _word_forms(name) if len(f) >= 2]
        if len(forms) >= 2:
            # …and its head noun (or the head's stem, 평등 of 평등법): 카카오뱅크 is a bank,
            # not any text about 카카오
            def there(f: str) -> bool:
                return f in hay or f[:2] in hay

            return there(forms[-1]) and sum(there(f) for f in forms) * 2 >= len(forms)
    for k in parts:
        if not k:
            continue
        if k in hay or text_mentions(hay, k):
            continue
        cut = -(-len(k) * 3 // 4)
        if len(k) >= 4 and cut >= 3 and k[:cut] in hay:
            continue
        return False
    return True


def _rival_word(subject: str, text: str) -> str:
    """A word of *text* that shares *subject*'s first or last two syllables but is not it."""
    for w in re.findall(r"[가-힣]{2,}", text):
        w = _JOSA_END.sub("", w)
        if len(w) < 2 or w == subject or subject in w or w in subject:
            continue
        if (len(subject) >= 3 and w[:2] == subject[:2]) or (len(subject) >= 3 and len(w) >= 3
                                                             and w[-2:] == subject[-2:]):
            return w
    return ""


_JOSA_END = re.compile(r"(의|은|는|이|가|을|를|에|에서|과|와|도|으로|로|에게|께서|만)$")


def _names_of(kind: str, canon: str) -> tuple[str, ...]:
    lex = lexicon()
    return (lex.countries if kind == "country" else lex.places).get(canon, ())


def _word_in(hay: str, word: str) -> bool:
    """A topic word is there when the text has it, or each of its morphemes (원격의료 in a
    passage on 원격진료 and 의료서비스)."""
    from .surface import surface_key

    k = surface_key(word)
    if k in hay:
        return True
    forms = _word_forms(word)
    return bool(forms) and all(surface_key(f) in hay for f in forms)


@lru_cache(maxsize=2048)
def _word_forms(word: str) -> tuple[str, ...]:
    from .tokenization import kiwi

    return tuple(t.form for t in kiwi().tokenize(word) if t.tag.split("-")[0] in _NOUNISH)


def _describe_values(kind: str, values: set[str]) -> str:
    vals = sorted(values, key=int)[:3]
    suffix = {"year": "년", "month": "월", "quarter": "분기"}.get(kind)
    if kind == "half":
        return ", ".join("상반기" if v == "1" else "하반기" for v in vals)
    return ", ".join(f"{v}{suffix}" for v in vals)
