"""Turn any Korean text file into clean, citable units: paragraphs, headings, items, rows.

A document is first *profiled* from its line statistics, which picks a preset of
:class:`RepairRules` (every rule is a named switch, documented on the class):

* ``markdown`` — ``.md`` files: blank lines separate paragraphs, ``#`` lines are headings;
* ``plain`` — text written as text: one paragraph per line or blank-line paragraphs;
* ``pdf`` — text extracted from a PDF/HWP: every visual line ends in a hard break, words
  may be cut across lines ("보살핌이 필요" / "한 나이이나"), page numbers and running
  headers are mixed in, and the lines are often separated by blank lines.

Line joins inside a paragraph are decided by evidence: a trailing space or punctuation
before the break means a word ended; otherwise Kiwi scores the two readings of the words
around the break (glued "필요한" vs spaced "필요 한") and the break is glued only when the
glued reading is clearly better. Structure is recognised the same way for every document:
outline headings (short ``I.``/``1.``/``□`` lines), statutes (제N장/절/조 headings, ①②
paragraphs, 1./가. items), bullets (- ○ ∙ ※ …), table rows, form fields ("발의연월일 : …").

Every character of the repaired text keeps the offset it came from in the original file,
so a citation names exact source lines.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

from .errors import ConfigError

PROFILES = ("plain", "markdown", "pdf")


@dataclass(frozen=True)
class RepairRules:
    """Switches of the repair, chosen per document by :func:`detect_rules`.

    Override them per file in the corpus settings file (``untact-qa.json``, see
    :mod:`untact_qa.corpus`), e.g. ``{"repair": {"scan.txt": {"profile": "pdf"}}}``.
    """

    profile: str = "plain"
    #: A blank line ends a paragraph. Off for double-spaced extractions, where every
    #: line is followed by a blank line and blank lines say nothing about paragraphs.
    blank_line_paragraphs: bool = True
    #: A line much shorter than the lines around it ends its paragraph (the last line of
    #: a wrapped paragraph, a title, a cover-page field). Off for Markdown, where writers
    #: break lines anywhere inside a paragraph.
    width_paragraphs: bool = True
    #: An indented line after a finished sentence starts a new paragraph (PDF extractions
    #: keep the first-line indent of a paragraph).
    indent_paragraphs: bool = False
    #: A line break with no space evidence may cut a word: glue the two lines when Kiwi
    #: reads the glued words clearly better than the spaced ones. Off: always a space.
    kiwi_joins: bool = False
    #: A trailing space before a line break means the word ended there (PDF extractors
    #: keep the space that preceded the break).
    trailing_space_word_end: bool = False
    #: ``#``-style headings.
    markdown_headings: bool = True
    #: Short ``I``/``Ⅱ``/``1.``/``□``/``가.`` lines that do not read as sentences are headings;
    #: levels follow the order in which marker kinds first appear.
    outline_headings: bool = True
    #: Statute structure: 제N편/장/절/관/조 lines are headings (the rest of a 제N조 line is its
    #: first paragraph), ①② paragraphs and 1./가. items start units.
    statute: bool = False
    #: Bullet and enumerator lines (- ○ ∙ ※ ▶ ① 1) (가) …) start a new unit.
    bullets: bool = True
    #: Table rows (``|`` separated, column gaps, dash fills) stay single-line units that are
    #: never joined to their neighbours; pure separator rows are dropped.
    tables: bool = True
    #: ``key : value`` lines (form fields of cover pages) stay single units.
    form_fields: bool = True
    #: Page-number lines ("- 3 -", "3 / 12", "Page 3") are dropped.
    drop_page_numbers: bool = False
    #: Short lines repeated at page boundaries (running headers/footers) are dropped.
    drop_running_headers: bool = False
    #: Figure captions: a short line opening with a quote or a Latin letter right after a
    #: line cut inside a Hangul word, followed by a new unit, labels a picture that the
    #: extraction lost; it is kept apart and not indexed. Off by default (only some
    #: layouts place captions like this); switch it on per file in ``untact-qa.json``.
    captions: bool = False
    #: A paragraph repeated verbatim inside the same section is dropped (extractions often
    #: repeat a block); the same text under another heading is kept.
    dedupe_in_section: bool = True

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ConfigError(f"repair profile {self.profile!r} is not one of {', '.join(PROFILES)}")

    @classmethod
    def for_profile(cls, profile: str, **overrides) -> RepairRules:
        """The preset of a profile, with explicit overrides."""
        base = {
            "plain": {},
            "markdown": {"width_paragraphs": False},
            "pdf": {"kiwi_joins": True, "trailing_space_word_end": True, "indent_paragraphs": True,
                    "drop_page_numbers": True, "drop_running_headers": True},
        }
        if profile not in base:
            raise ConfigError(f"repair profile {profile!r} is not one of {', '.join(PROFILES)}")
        return cls(profile=profile, **{**base[profile], **overrides})

    def with_overrides(self, overrides: dict) -> RepairRules:
        """These rules with user overrides; unknown names are refused with the allowed ones."""
        names = {f.name for f in fields(self)}
        bad = sorted(set(overrides) - names)
        if bad:
            raise ConfigError(f"unknown repair rule(s) {', '.join(bad)}; allowed: {', '.join(sorted(names))}")
        if "profile" in overrides and overrides["profile"] != self.profile:
            rest = {k: v for k, v in overrides.items() if k != "profile"}
            return RepairRules.for_profile(overrides["profile"], statute=self.statute, **rest)
        return replace(self, **overrides)

    def to_dict(self) -> dict:
        """Only the switches that differ from the plain preset, plus the profile (manifest form)."""
        plain = RepairRules()
        out = {"profile": self.profile}
        out.update({f.name: getattr(self, f.name) for f in fields(self)
                    if f.name != "profile" and getattr(self, f.name) != getattr(plain, f.name)})
        return out


@dataclass(frozen=True)
class Unit:
    """A repaired unit: ``heading``, ``item`` (bullet/enumerated), ``row`` (table) or ``text``."""

    kind: str
    level: int  # heading level (1 = top), 0 for body units
    start: int  # offsets into the repaired text
    end: int
    # The author separated this unit from the previous one by a blank line (an explicit
    # paragraph, as opposed to one inferred from line widths or markers).
    blank_before: bool = False


@dataclass
class RepairedText:
    """Repaired text plus the map back to the original file."""

    text: str
    orig_offsets: list[int]  # orig_offsets[i] = original offset of text[i]
    units: list[Unit]
    line_starts: list[int]  # original offsets where each line starts
    dropped_duplicates: list[int] = field(default_factory=list)  # original line numbers
    dropped_lines: list[int] = field(default_factory=list)  # page numbers, running headers, separators
    rules: RepairRules = field(default_factory=RepairRules)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering repaired ``[start, end)``."""
        if end <= start:
            o = self.orig_offsets[start] if start < len(self.orig_offsets) else 0
            return o, o
        return self.orig_offsets[start], self.orig_offsets[end - 1] + 1

    def line_of(self, orig_offset: int) -> int:
        """1-based line number of an original offset."""
        return bisect.bisect_right(self.line_starts, orig_offset)

    def line_range(self, start: int, end: int) -> tuple[int, int]:
        """1-based first and last original line of repaired ``[start, end)``."""
        o0, o1 = self.orig_span(start, end)
        return self.line_of(o0), self.line_of(max(o0, o1 - 1))


def normalize(text: str) -> str:
    """NFC-normalise and unify line endings; every text entering the system passes here."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# -- line patterns ------------------------------------------------------------------------
# A line that ends a sentence: punctuation, or the nominal endings of report style ("…있음").
_SENTENCE_END = re.compile(r"[.!?。…][\"'”’)\]」』]*$|[다음함임][.]?$")
_STRONG_END = re.compile(r"[.!?。…][\"'”’)\]」』]*$")
_JOIN_PUNCT_END = re.compile(r"[.,;:!?)\]」』”’·…%]$")
_MARKDOWN = re.compile(r"^\s{0,3}(#{1,6})\s+(\S.*?)\s*#*\s*$")
_ROMAN = re.compile(r"^\s*([IVX]{1,8}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,3})(?:\.|\s)\s*(\S.*?)\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
_DOTTED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*?)\s*$")
_BOX = re.compile(r"^\s*[□■◆◇▣◈]\s*(\S.*?)\s*$")
_HANGUL_ENUM = re.compile(r"^\s*([가나다라마바사아자차카타파하])\.\s+(\S.*?)\s*$")
_OUTLINE = (("roman", _ROMAN, 2), ("dotted", _DOTTED, 2), ("numbered", _NUMBERED, 2), ("box", _BOX, 1),
            ("hangul", _HANGUL_ENUM, 2))
_OUTLINE_KINDS = frozenset(k for k, _, _ in _OUTLINE)
_HEADING_MAX = 40  # an outline title longer than this is a sentence with a number in front

# Statutes: 제1편 > 제1장 > 제1절 > 제1관 > 제1조(제목)
_STATUTE_PART = re.compile(r"^\s*(제\s*\d+\s*(편|장|절|관)(의\s*\d+)?)(\s+\S.*?)?\s*$")
_STATUTE_LEVEL = {"편": 1, "장": 2, "절": 3, "관": 4}
# "제3조(정의) …" or "제1조 ① …" heads an article; "제63조제2항 중 …" or "제7조 중 …" cites one.
_ARTICLE = re.compile(r"^\s*(제\s*\d+\s*조(?:의\s*\d+)?(?:\s*\([^)]{1,40}\))?)(?!\s*(?:제\s*\d|중|의|에|및|부터|까지|와|과|를|을|은|는|이|가|\w*항))"
                      r"\s*(.*?)\s*$")
# (a copy from the statute site keeps its toggles around the line: "펼침  부칙 <헌법 제10호, …>  부칙보기")
_ADDENDA = re.compile(r"^\s*(?:펼침\s+)?(부\s*칙(?:\s*[<(〈].{0,40}[>)〉])?)(?:\s+부칙\s*보기)?\s*$")
# The parts of a National Assembly bill (의안), each on a line of its own: the reasons and main
# content (together or apart), notes, the amended law's text (opened by "법률 제   호") and the
# old/new comparison table. A request for a bill's 주요내용 is about that part, not its articles.
_BILL_PART = re.compile(r"^\s*(제\s*안\s*이\s*유(\s*및\s*주\s*요\s*내\s*용)?|주\s*요\s*내\s*용|참\s*고\s*사\s*항"
                        r"|법\s*률\s+제\s+호|신\s*[·ㆍ･]\s*구\s*조\s*문\s*대\s*비\s*표)\s*$")

# Graphic bullets are dropped from the unit text; enumerators (①, 1), 가.) carry meaning and stay.
_GRAPHIC_BULLET = re.compile(r"^\s*([-–—•·∙◦○●◎▪▫※▶▷►*+＊]|ㅇ|o(?=\s))\s*")
_ENUMERATOR = re.compile(r"^\s*([①-⑳㉠-㉭㉮-㉻]|\(\d{1,2}\)|\d{1,2}\)|\([가나다라마바사아자차카타파하]\)|[가나다라마바사아자차카타파하]\)|[가나다라마바사아자차카타파하]\.\s|\d{1,2}\.\s)")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}|\d{1,4}\s*(?:쪽|페이지))\s*$",
                          re.I)
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_CAPTION_START = re.compile(r"^[\"'‘“A-Za-z]")
# Table/figure titles and source notes start their own unit: "[표 1] …", "<그림 2>", "자료: …".
_LABEL = re.compile(r"^\s*([\[<〈【]\s*(표|그림|도표|Table|Figure)|(자료|출처|주)\s*:)", re.I)
_FORM_FIELD = re.compile(r"^\s*[가-힣A-Za-z][가-힣A-Za-z\s()]{0,18}\s:\s*\S")
_WIDE_GAP = re.compile(r"\S\s{3,}\S")
_DASH_FILL = re.compile(r"[-─━=_.]{5,}")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$")


def is_list_item(line: str) -> bool:
    """Does *line* open with an enumerator ("1. ", "가. ", "②", "3)")?"""
    return _ENUMERATOR.match(line) is not None


def opens_article(text: str) -> bool:
    """Does *text* (a sentence, or a section's heading) begin with an article number ("제98조",
    "제1조 이 헌법은 …")? A citation inside a sentence ("…제3조에 따라") does not count."""
    return _ARTICLE_NUMBER.match(text) is not None


_ARTICLE_NUMBER = re.compile(r"\s*제\s*\d+\s*조")


def form_label(line: str) -> str | None:
    """The label of a form's "label : value" *line* ("발  의  자" of "발  의  자 : 한선교…"),
    or None when it is no such line."""
    return line.split(":", 1)[0].strip() if _FORM_FIELD.match(line) else None


def bill_part(line: str) -> str | None:
    """The part of a National Assembly bill *line* opens, its letters only ("제안이유",
    "제안이유및주요내용", "주요내용", "부칙", …), or None for a line that opens none."""
    if _ADDENDA.match(line):
        return "부칙"  # (without the statute site's "펼침 … 부칙보기")
    if _BILL_PART.match(line):
        return re.sub(r"[\s·ㆍ･]|[<(〈].*$", "", line)
    return None


@lru_cache(maxsize=4096)
def in_comparison_table(heading_path: tuple[str, ...]) -> bool:
    """Is a section under a bill's old/new comparison table (신·구조문대비표)? A PDF's two
    columns come out of it interleaved line by line ("하기 곤란한 특별한 사유가 있 1. 정책등의
    내용이 국민의 권는 경우에는 …"): nothing there reads as a sentence, and the bill's amending
    text says the same in sentences. (Cached: the reader and why/more ask it of every candidate
    sentence, and a chunk's sentences share one path.)"""
    return any(bill_part(h) == "신구조문대비표" for h in heading_path)


def heading_of(line: str, rules: RepairRules | None = None) -> tuple[int, str] | None:
    """``(level, title)`` when *line* is a heading under *rules* (default: plain preset).

    Levels here are nominal (markdown depth, statute rank; outline kinds 1); :func:`repair`
    renumbers outline levels by their order of appearance in the document.
    """
    kind = _heading_kind(line, rules or RepairRules())
    if kind is None:
        return None
    return kind[1], kind[2]


def _looks_like_sentence(title: str) -> bool:
    """A title is short and neither ends like a sentence nor reads as a form field or clause."""
    t = title.rstrip()
    # "파견 기간 : 2011년 1월 1일부터…" states a value (a form field), "…의 영향 : 새로운 기회" titles
    field_with_value = re.search(r"\s:\s.*\d", t)
    return len(t) > _HEADING_MAX or bool(_SENTENCE_END.search(t)) or bool(field_with_value)


def _heading_kind(line: str, rules: RepairRules) -> tuple[str, int, str] | None:
    """``(kind, nominal level, title)`` of a heading line, else None."""
    if rules.markdown_headings and (m := _MARKDOWN.match(line)):
        return "markdown", len(m.group(1)), m.group(2)
    if rules.statute:
        if m := _STATUTE_PART.match(line):
            return "statute", _STATUTE_LEVEL[m.group(2)], " ".join(line.split())
        if m := _ADDENDA.match(line):
            return "statute", 1, " ".join(m.group(1).split())
        if _BILL_PART.match(line):
            return "statute", 1, " ".join(line.split())
        if m := _ARTICLE.match(line):
            return "article", 5, " ".join(m.group(1).split())
        return None  # numbered lines of a statute are items (호), not headings
    if rules.outline_headings:
        for kind, rx, grp in _OUTLINE:
            m = rx.match(line)
            if m and not _looks_like_sentence(m.group(grp)) and re.search(r"[가-힣A-Za-z]", m.group(grp)):
                if kind == "roman" and m.group(1).isascii() and not re.match(r"^\s*[IVX]+(\.|\s{2,})", line):
                    # "I 세대는 ..." / "V 라이브" are words, not numerals: ASCII numerals need a
                    # dot or a wide gap after them, and a title that reads as a title.
                    continue
                return kind, 1, m.group(grp)
    return None


def _title_start(raw: str, kind: str) -> int:
    """Offset in *raw* where the displayed heading title starts."""
    if kind == "markdown":
        return _MARKDOWN.match(raw).start(2)
    if kind in ("statute", "article"):
        return len(raw) - len(raw.lstrip())
    for k, rx, grp in _OUTLINE:
        if k == kind:
            return rx.match(raw).start(grp)
    return len(raw) - len(raw.lstrip())


# -- profiling ----------------------------------------------------------------------------
def detect_rules(text: str, name: str = "") -> RepairRules:
    """Pick the profile of *text* (``name`` supplies the file extension) from line statistics."""
    lines = text.split("\n")
    body = [ln for ln in lines if ln.strip()]
    statute = sum(1 for ln in body if _ARTICLE.match(ln) and re.match(r"^\s*제\s*\d+\s*조", ln)) >= 3
    if name.lower().endswith((".md", ".markdown")):
        return RepairRules.for_profile("markdown", statute=statute)
    if len(body) < 6:
        return RepairRules.for_profile("plain", statute=statute)
    ends = sum(1 for ln in body if _SENTENCE_END.search(ln.rstrip())) / len(body)
    followed_by_one_blank = sum(
        1 for i in range(len(lines) - 2) if lines[i].strip() and not lines[i + 1].strip() and lines[i + 2].strip()
    ) / len(body)
    lens = sorted(len(ln.strip()) for ln in body)
    p80 = lens[int(len(lens) * 0.8)]
    near_width = sum(1 for x in lens if x >= 0.85 * p80) / len(body)
    hard_wrapped = ends < 0.4 and (followed_by_one_blank > 0.6 or near_width > 0.3) and p80 >= 15
    if "\f" in text or hard_wrapped:
        return RepairRules.for_profile("pdf", statute=statute, blank_line_paragraphs=followed_by_one_blank < 0.6)
    return RepairRules.for_profile("plain", statute=statute)


# -- repair ---------------------------------------------------------------------------------
@dataclass
class _Line:
    no: int  # 0-based line number
    start: int  # original offset of raw[0]
    raw: str
    page: int
    blank_before: int = 0  # blank lines between the previous non-blank line and this one
    kind: str = "text"  # text | item | row | field | heading | drop
    heading: tuple[str, int, str] | None = None

    @property
    def stripped(self) -> str:
        return self.raw.strip()


def repair(text: str, rules: RepairRules | None = None, name: str = "") -> RepairedText:
    """Repair *text* under *rules* (default: :func:`detect_rules`), keeping the offset map."""
    rules = rules or detect_rules(text, name)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    lines: list[_Line] = []
    page, blanks = 0, 0
    for i, start in enumerate(line_starts):
        end = line_starts[i + 1] - 1 if i + 1 < len(line_starts) else len(text)
        raw = text[start:end]
        page += raw.count("\f")
        if not raw.strip():
            blanks += 1
            continue
        lines.append(_Line(i, start, raw, page, blanks))
        blanks = 0
    _classify(lines, rules)
    groups = _group(lines, rules)
    return _render(text, groups, line_starts, rules, lines)


def _classify(lines: list[_Line], rules: RepairRules) -> None:
    headers = _running_headers(lines) if rules.drop_running_headers else set()
    seen_headers: set[str] = set()
    for ln in lines:
        s = ln.stripped
        if rules.drop_page_numbers and (_PAGE_NUMBER.match(s) or (_BARE_NUMBER.match(s) and "\f" in ln.raw)):
            ln.kind = "drop"
        elif s in headers and s in seen_headers:
            ln.kind = "drop"
        elif rules.tables and _MD_TABLE_SEP.match(s):
            ln.kind = "drop"
        elif (h := _heading_kind(ln.raw, rules)) is not None:
            ln.kind, ln.heading = "heading", h
        elif rules.tables and _is_row(s):
            ln.kind = "row"
        elif rules.form_fields and _FORM_FIELD.match(ln.raw) and len(s) <= 80:
            ln.kind = "field"
        elif rules.bullets and (_GRAPHIC_BULLET.match(ln.raw) or _ENUMERATOR.match(ln.raw) or _LABEL.match(ln.raw)):
            ln.kind = "item"
        elif rules.statute and (_ENUMERATOR.match(ln.raw)):
            ln.kind = "item"
        if s in headers:
            seen_headers.add(s)
    body = [ln for ln in lines if ln.kind != "drop"]
    if rules.captions:
        for i in range(1, len(body)):
            prev, ln = body[i - 1].raw, body[i].raw
            nxt = body[i + 1] if i + 1 < len(body) else None
            if (body[i].kind == "text" and len(body[i].stripped) <= 60 and _CAPTION_START.match(ln.lstrip())
                    and not _STRONG_END.search(body[i].stripped)
                    and re.search(r"[가-힣]$", prev)
                    and (nxt is None or nxt.kind != "text")):
                body[i].kind = "caption"
    if rules.tables:
        _table_spans(body)
        for ln in body:
            if ln.kind == "row" and not re.search(r"[가-힣A-Za-z0-9]", _DASH_FILL.sub("", ln.stripped)):
                ln.kind = "drop"  # a separator or "unchanged" fill row carries no text
        body = [ln for ln in body if ln.kind != "drop"]
    _demote_empty_headings(body)
    if rules.width_paragraphs:
        widths = _local_widths(body)
        for i, ln in enumerate(body[:-1]):
            # "가.  UAE측 요청과 협의에 따라, …" filling the whole line and continued on the next
            # one is the first line of a paragraph, not a short outline title.
            if (ln.kind == "heading" and ln.heading[0] in _OUTLINE_KINDS and body[i + 1].kind == "text"
                    and _width(ln.stripped) >= 0.7 * widths[i]):
                ln.kind, ln.heading = "item", None
        # "…예상인원은 2,836명이" / "다. 2007년부터…": an enumerator-looking start right after a
        # full-width line that did not finish its sentence continues that line — unless it
        # continues a numbering ("9. …에 관한 사항" / "10. …").
        last_enum: dict[str, int] = {}
        for i in range(len(body)):
            ln = body[i]
            enum = _enum_value(ln.raw) if ln.kind in ("item", "heading") else None
            if enum is None:
                continue
            style, value = enum
            prev = body[i - 1] if i else None
            if (ln.kind == "item" and prev is not None and last_enum.get(style) != value - 1
                    and prev.kind in ("text", "item") and not _SENTENCE_END.search(prev.stripped)
                    and _width(prev.stripped) >= 0.7 * widths[i - 1]):
                ln.kind = "text"
                continue
            last_enum[style] = value


def _demote_empty_headings(body: list[_Line]) -> None:
    """An outline "heading" with nothing under it before its next sibling is a list item:
    "가. 관련법령 : 헌법 제60조" / "나. 예산조치 : …" are two items, not two empty sections."""
    rank: dict[str, int] = {}
    for ln in body:
        if ln.kind == "heading" and ln.heading[0] in _OUTLINE_KINDS:
            rank.setdefault(ln.heading[0], len(rank))
    for i, ln in enumerate(body):
        if ln.kind != "heading" or ln.heading[0] not in _OUTLINE_KINDS:
            continue
        nxt = body[i + 1] if i + 1 < len(body) else None
        if nxt is None or (nxt.kind == "heading" and nxt.heading[0] in _OUTLINE_KINDS
                           and rank[nxt.heading[0]] <= rank[ln.heading[0]]):
            ln.kind, ln.heading = "item", None


_HANGUL_ORDER = "가나다라마바사아자차카타파하"
_ENUM_VALUE = re.compile(r"^\s*(?:(\d{1,2})([.)])\s|([가나다라마바사아자차카타파하])([.)])\s)")


def _enum_value(raw: str) -> tuple[str, int] | None:
    """``(style, ordinal)`` of an enumerator that can also start a wrapped line ("다. ", "3) ")."""
    m = _ENUM_VALUE.match(raw)
    if not m:
        return None
    if m.group(1):
        return "digit" + m.group(2), int(m.group(1))
    return "hangul" + m.group(4), _HANGUL_ORDER.index(m.group(3)) + 1


def _table_spans(body: list[_Line]) -> None:
    """Lines between table rows are cells of the same table: make them rows too.

    Two-column tables (신·구조문대비표) come out of PDF extraction as interleaved cell
    fragments between dash-filled rows; joining them would splice the two columns into
    one nonsense sentence.
    """
    rows = [i for i, ln in enumerate(body) if ln.kind == "row"]
    by_page: dict[int, list[int]] = {}
    for i in rows:
        by_page.setdefault(body[i].page, []).append(i)
    def cell(ln: _Line) -> bool:
        return ln.kind in ("text", "item", "field") or (ln.kind == "heading" and ln.heading[0] in _OUTLINE_KINDS)

    for a, b in zip(rows, rows[1:]):
        if b - a <= 4:
            for i in range(a + 1, b):
                if cell(body[i]):
                    body[i].kind = "row"
    if max((ln.page for ln in body), default=0) > 0:
        for idx in by_page.values():
            if len(idx) >= 3:
                for i in range(idx[0], idx[-1]):
                    if cell(body[i]):
                        body[i].kind = "row"


def _is_row(s: str) -> bool:
    if s.count("|") >= 2:
        return True
    dashes = sum(len(m.group(0)) for m in _DASH_FILL.finditer(s))
    if dashes >= 0.4 * len(s.replace(" ", "")):
        return True
    return len(_WIDE_GAP.findall(s)) >= 2 and not _SENTENCE_END.search(s)


def _running_headers(lines: list[_Line]) -> set[str]:
    """Short lines repeated at least three times next to page boundaries (the first
    occurrence is kept by the caller: on the first page it is the document's title)."""
    counts = Counter(ln.stripped for ln in lines
                     if 2 <= len(ln.stripped) <= 60 and re.search(r"[가-힣A-Za-z]", ln.stripped))
    near = Counter()
    for i, ln in enumerate(lines):
        if counts[ln.stripped] < 3:
            continue
        window = lines[max(0, i - 2): i + 3]
        if any(w.page != ln.page for w in window) or "\f" in ln.raw or any(
                _PAGE_NUMBER.match(w.stripped) for w in window):
            near[ln.stripped] += 1
    return {s for s, n in near.items() if n >= 3 and not _BARE_NUMBER.match(s)}


# A line shorter than this share of the full width ends its paragraph. Wrapped lines of
# the report, the kobill extractions and pypdf output of justified Korean text fill
# 85-100% of the width; the last lines of paragraphs, titles and fields rarely do.
_SHORT = 0.75


def _width(s: str) -> int:
    """Display width: Hangul and other wide characters take two columns, as on the page."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _local_widths(lines: list[_Line]) -> list[float]:
    """Typical full-line width around each line: the 80th percentile within its page
    (pages of one extraction differ: cover, body, wide tables)."""
    by_page: dict[int, list[int]] = {}
    for ln in lines:
        if ln.kind in ("text", "item"):
            by_page.setdefault(ln.page, []).append(_width(ln.stripped))
    overall = sorted(_width(ln.stripped) for ln in lines if ln.kind in ("text", "item")) or [0]
    doc_w = overall[int(len(overall) * 0.8)]
    widths = {}
    for p, ls in by_page.items():
        ls = sorted(ls)
        widths[p] = ls[int(len(ls) * 0.8)] if len(ls) >= 6 else doc_w
    return [widths.get(ln.page, doc_w) for ln in lines]


def _span(ln: _Line) -> tuple[int, int]:
    return len(ln.raw) - len(ln.raw.lstrip()), len(ln.raw.rstrip())


def _group(lines: list[_Line], rules: RepairRules) -> list[list]:
    """Group lines into units ``[kind, heading, [(line, joiner-before, lo, hi), ...]]``."""
    widths = _local_widths(lines) if rules.width_paragraphs or rules.indent_paragraphs else [0] * len(lines)
    indents = [len(ln.raw) - len(ln.raw.lstrip()) for ln in lines]
    base_indent = statistics.median(indents) if indents else 0
    groups: list[list] = []
    joins = []  # (group index, piece index) whose joiner Kiwi decides
    prev: _Line | None = None
    prev_i = -1
    for i, ln in enumerate(lines):
        if ln.kind == "drop":
            continue
        cont = prev is not None and groups and groups[-1][0] in ("text", "item") and ln.kind == "text"
        if cont and rules.blank_line_paragraphs and ln.blank_before and prev.page == ln.page:
            cont = False
        if cont and rules.blank_line_paragraphs and ln.blank_before >= 2:
            cont = False
        p = prev.stripped if prev else ""
        # the full width is estimated from the page and from the line that would continue
        full = max(widths[prev_i], _width(ln.stripped))
        annotation = re.fullmatch(r"\(.*\)", ln.stripped) and not _SENTENCE_END.search(p)
        if (cont and rules.width_paragraphs and _width(p) < _SHORT * full and not p.endswith((",", "，"))
                and not annotation):
            cont = False  # the previous line stopped well short of the text width: paragraph end
        if cont and rules.indent_paragraphs and _SENTENCE_END.search(p) and indents[i] >= base_indent + 2:
            cont = False
        if cont and rules.width_paragraphs and _STRONG_END.search(p) and (
                ln.page != prev.page  # a finished sentence at the bottom of a page
                or (_width(ln.stripped) < 0.5 * widths[i] and not _SENTENCE_END.search(ln.stripped))):
            cont = False  # … or a short title line after one ("…함." / "참고사항")
        lo, hi = _span(ln)
        if cont:
            joiner = _joiner(prev, ln, rules)
            groups[-1][2].append((ln, joiner, lo, hi))
            if joiner == "?":
                joins.append((len(groups) - 1, len(groups[-1][2]) - 1))
        elif ln.kind == "heading":
            hk = ln.heading[0]
            if hk == "article":
                # "제1조 ① 대한민국은 …": the article number is the heading, the rest its first paragraph
                m = _ARTICLE.match(ln.raw)
                groups.append(["heading", ln.heading, [(ln, "", m.start(1), m.end(1))]])
                if m.group(2):
                    groups.append(["item", None, [(ln, "", m.start(2), m.end(2))]])
            elif hk == "statute" and (m := _ADDENDA.match(ln.raw)):
                groups.append(["heading", ln.heading, [(ln, "", m.start(1), m.end(1))]])  # not the site's toggles
            else:
                groups.append(["heading", ln.heading, [(ln, "", _title_start(ln.raw, hk), hi)]])
        else:
            if ln.kind == "item" and (m := _GRAPHIC_BULLET.match(ln.raw)):
                lo = min(m.end(), hi)
            groups.append([{"field": "item"}.get(ln.kind, ln.kind), None, [(ln, "", lo, hi)]])
        prev, prev_i = ln, i
    if joins:
        _decide_joins(groups, joins, rules)
    return groups


def _joiner(prev: _Line, ln: _Line, rules: RepairRules) -> str:
    """" " or "" between two lines of one paragraph, or "?" for Kiwi to decide."""
    if not rules.kiwi_joins:
        return " "
    if rules.trailing_space_word_end and (prev.raw.endswith((" ", "\t")) or ln.raw[:1] in (" ", "\t")):
        return " "  # the space that preceded (or followed) the break survived extraction
    p = prev.raw.rstrip()
    n = ln.raw.lstrip()
    if _JOIN_PUNCT_END.search(p) and not p.endswith(("”", "’", ")", "%")):
        return " "  # after sentence or clause punctuation a word has ended
    if re.match(r"[.,!?;:)\]}」』”’%]", n) and not n.startswith(("...", "…")):
        return ""  # no word starts with closing punctuation: "답했다" / "."
    return "?"


# Log-probability margin by which Kiwi must prefer the reading that goes against the
# document's own evidence (measured on the report and the kobill extractions: ties and
# near-ties are common for noun sequences, "디지털 전환" = "디지털전환").
_JOIN_MARGIN = 2.0


def _marks_word_ends(groups: list) -> bool:
    """True when the extractor keeps a trailing space wherever a word ended at a break.

    In such a file a break *without* the space is itself evidence of a cut word, so the
    glued reading is the default and only a clearly better spaced reading overrides it.
    """
    breaks = [g[2][j - 1][0].raw for g in groups for j in range(1, len(g[2]))]
    if len(breaks) < 10:
        return False
    return sum(1 for r in breaks if r.endswith((" ", "\t"))) / len(breaks) >= 0.15


def _decide_joins(groups: list, joins: list[tuple[int, int]], rules: RepairRules) -> None:
    """Glue or space each undecided line break, by evidence.

    With a file that marks word ends by trailing spaces, a break without one is a cut
    word unless Kiwi reads the spaced words clearly better ("필요 한" vs "필요한"). With no
    such evidence, Kiwi's spacing model decides on the two words either side of the break
    (measured on 1,212 simulated breaks in KorQuAD text: 94% right, vs 88-90% for a
    margin on the two readings' scores).
    """
    from .tokenization import kiwi

    k = kiwi()
    windows = []
    for gi, pi in joins:
        a = " ".join(groups[gi][2][pi - 1][0].raw.split()[-2:])
        b = " ".join(groups[gi][2][pi][0].raw.split()[:2])
        windows.append((a, b))
    if rules.trailing_space_word_end and _marks_word_ends(groups):
        texts = [x for a, b in windows for x in (a.split()[-1] + " " + b.split()[0], a.split()[-1] + b.split()[0])]
        results = list(k.analyze(texts, top_n=1))
        glue = [results[2 * i + 1][0][1] - results[2 * i][0][1] > -_JOIN_MARGIN for i in range(len(windows))]
    else:
        spaced = list(k.space([a + b for a, b in windows], reset_whitespace=False))
        glue = [not _space_at(out, len(a.replace(" ", ""))) for out, (a, b) in zip(spaced, windows)]
    for (gi, pi), g in zip(joins, glue):
        ln, _, lo, hi = groups[gi][2][pi]
        groups[gi][2][pi] = (ln, "" if g else " ", lo, hi)


def _space_at(text: str, n: int) -> bool:
    """True when *text* has a space right after its *n*-th non-space character."""
    seen = 0
    for j, ch in enumerate(text):
        if ch != " ":
            seen += 1
            if seen == n:
                return text[j + 1: j + 2] == " "
    return False


def _render(text: str, groups: list[list], line_starts: list[int], rules: RepairRules,
            lines: list[_Line]) -> RepairedText:
    out: list[str] = []
    offsets: list[int] = []
    units: list[Unit] = []
    seen: set[tuple] = set()
    dropped: list[int] = []
    path: list[tuple[int, str]] = []
    outline_levels: dict[str, int] = {}
    pos = 0
    for kind, head, pieces in groups:
        chars: list[str] = []
        offs: list[int] = []
        for j, (ln, joiner, lo, hi) in enumerate(pieces):
            if j > 0 and joiner and chars and chars[-1] != " ":
                prev = pieces[j - 1][0]
                chars.append(" ")  # the joining space stands for the line break (or trailing space)
                offs.append(prev.start + len(prev.raw.rstrip()))
            fills = set()
            if kind == "row":  # "② 공무원이 ---------": the dash fill of a table cell is not text
                fills = {k for m in _DASH_FILL.finditer(ln.raw, lo, hi) for k in range(m.start(), m.end())}
            for k in range(lo, hi):
                ch = ln.raw[k]
                if k in fills:
                    continue
                if ch.isspace():
                    if not chars or chars[-1] == " ":
                        continue  # collapse runs of spaces (and tabs, form feeds) inside a line
                    ch = " "
                chars.append(ch)
                offs.append(ln.start + k)
        while chars and chars[-1] == " ":
            chars.pop()
            offs.pop()
        if not chars:
            continue
        unit_text = "".join(chars)
        level = 0
        if kind == "heading":
            hk, nominal, _ = head
            if hk in ("markdown", "statute", "article"):
                level = nominal
            else:
                level = outline_levels.setdefault(hk, len(outline_levels) + 1)
            path = [p for p in path if p[0] < level] + [(level, unit_text)]
        elif rules.dedupe_in_section and len(unit_text) >= 8:
            key = (tuple(path), re.sub(r"\s+", "", unit_text))
            if key in seen:
                dropped.append(pieces[0][0].no + 1)
                continue
            seen.add(key)
        if out:
            # the unit separator maps to the end of the previous unit's last line
            out.append("\n")
            offsets.append(offsets[-1] + 1)
            pos += 1
        out.append(unit_text)
        offsets.extend(offs)
        first = pieces[0][0]
        units.append(Unit(kind, level, pos, pos + len(unit_text),
                          blank_before=rules.blank_line_paragraphs and first.blank_before > 0))
        pos += len(unit_text)
    dropped_lines = [ln.no + 1 for ln in lines if ln.kind == "drop"]
    return RepairedText("".join(out), offsets, units, line_starts, dropped, dropped_lines, rules)
