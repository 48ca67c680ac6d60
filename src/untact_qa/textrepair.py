"""Repair PDF-extracted Korean text and recover its structure.

The report was extracted from a PDF: every visual line is a separate paragraph and
words are cut across lines ("종교행사 중" / "단,"). Measured on the report:

* a line that ends **without** a trailing space continues the word on the next line
  (join directly); one that ends **with** a space ends a word (join with one space);
* a line starting with ``-``, ``□``, a roman-numeral heading or ``N.`` starts a new unit;
* several paragraphs are repeated verbatim and are dropped the second time.

Every character of the repaired text keeps the offset it came from in the original
file, so a citation can name exact source lines.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

# "II", "IIII", "IIIIII": the PDF extraction turned III/IV into runs of I.
_ROMAN = re.compile(r"^\s*([IVX]{1,8})\s+(\S.*?)\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*?)\s*$")
_BOX = re.compile(r"^\s*□\s*(\S.*?)\s*$")
_MARKDOWN = re.compile(r"^\s*(#{1,3})\s+(\S.*?)\s*#*\s*$")
# A line ending a sentence never cuts a word: join it with a space (plain .txt/.md files).
_SENTENCE_END = (".", "!", "?", "。", "…")
_BULLET = re.compile(r"^\s*-\s*")
_HANGUL = re.compile(r"[가-힣]$")
# Captions of figures start with a quote or a Latin letter right after a line that
# ended inside Hangul with no trailing space (a real word cut continues in Hangul).
_CAPTION_START = re.compile(r"^[\"'‘“A-Za-z]")
_CAPTION_MAX = 60


@dataclass(frozen=True)
class Unit:
    """A repaired paragraph: a heading, a bullet item, a caption or plain text."""

    kind: str  # "heading" | "item" | "caption" | "text"
    level: int  # heading level 1..3, 0 for body units
    start: int  # offsets into the repaired text
    end: int


@dataclass
class RepairedText:
    """Repaired text plus the map back to the original file."""

    text: str
    orig_offsets: list[int]  # orig_offsets[i] = original offset of text[i]
    units: list[Unit]
    line_starts: list[int]  # original offsets where each line starts
    dropped_duplicates: list[int] = field(default_factory=list)  # original line numbers

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


def heading_of(line: str) -> tuple[int, str] | None:
    """Return ``(level, title)`` if *line* is a heading of the report's three styles."""
    if m := _MARKDOWN.match(line):
        return len(m.group(1)), m.group(2)
    if m := _ROMAN.match(line):
        return 1, m.group(2)
    if m := _BOX.match(line):
        return 3, m.group(1)
    if (m := _NUMBERED.match(line)) and len(m.group(2)) <= 60:
        return 2, m.group(2)
    return None


def _starts_unit(line: str) -> bool:
    return bool(_BULLET.match(line)) or heading_of(line) is not None


def _norm_key(s: str) -> str:
    return re.sub(r"\s+", "", s)


def repair(text: str) -> RepairedText:
    """Join PDF lines into units, drop verbatim repeats, and keep the offset map."""
    line_starts = [0]
    for m in re.finditer("\n", text):
        line_starts.append(m.end())
    lines = []  # (orig_offset, raw_line) for non-blank lines
    for i, start in enumerate(line_starts):
        end = line_starts[i + 1] - 1 if i + 1 < len(line_starts) else len(text)
        raw = text[start:end]
        if raw.strip():
            lines.append((start, raw))

    # 1. group lines into units (lists of (orig_offset, raw) pieces)
    groups: list[tuple[str, int, list[tuple[int, str]]]] = []
    for idx, (off, raw) in enumerate(lines):
        head = heading_of(raw)
        if head is not None:
            groups.append(("heading", head[0], [(off, raw)]))
            continue
        if _BULLET.match(raw) or not groups or groups[-1][0] == "heading":
            groups.append(("item" if _BULLET.match(raw) else "text", 0, [(off, raw)]))
            continue
        prev_raw = groups[-1][2][-1][1]
        nxt = lines[idx + 1][1] if idx + 1 < len(lines) else None
        is_caption = (
            not prev_raw.endswith((" ", "\t"))
            and _HANGUL.search(prev_raw)
            and _CAPTION_START.match(raw.lstrip())
            and len(raw.strip()) <= _CAPTION_MAX
            and (nxt is None or _starts_unit(nxt))
        )
        if is_caption:
            groups.append(("caption", 0, [(off, raw)]))
        else:
            groups[-1][2].append((off, raw))

    # 2. render units, tracking original offsets per character
    out: list[str] = []
    offsets: list[int] = []
    units: list[Unit] = []
    seen: set[str] = set()
    dropped: list[int] = []
    for kind, level, pieces in groups:
        chars: list[str] = []
        offs: list[int] = []
        for j, (off, raw) in enumerate(pieces):
            body_start = len(raw) - len(raw.lstrip())
            if j == 0 and kind == "item":
                body_start = _BULLET.match(raw).end()
            if j == 0 and kind == "heading":
                body_start = _heading_title_start(raw)
            body_end = len(raw.rstrip())
            if j > 0:
                prev_off, prev_raw = pieces[j - 1]
                if prev_raw.endswith((" ", "\t")):
                    # keep the first trailing space of the previous line as the joiner
                    sp = len(prev_raw.rstrip())
                    chars.append(" ")
                    offs.append(prev_off + sp)
                elif prev_raw.endswith(_SENTENCE_END) and chars and chars[-1] != " ":
                    chars.append(" ")  # a sentence ended at the line break: no word was cut
                    offs.append(prev_off + len(prev_raw))  # the line break itself
            for k in range(body_start, body_end):
                ch = raw[k]
                if ch in " \t\u00a0":
                    if chars and chars[-1] == " ":
                        continue  # collapse runs of spaces inside a line
                    ch = " "
                chars.append(ch)
                offs.append(off + k)
        unit_text = "".join(chars)
        if not unit_text:
            continue
        key = _norm_key(unit_text)
        if kind in ("item", "text") and key in seen:
            dropped.append(bisect.bisect_right(line_starts, pieces[0][0]))
            continue
        seen.add(key)
        if out:
            out.append("\n")
            offsets.append(offsets[-1] + 1 if offsets else 0)
        start = sum(len(s) for s in out)
        out.append(unit_text)
        offsets.extend(offs)
        units.append(Unit(kind, level, start, start + len(unit_text)))
    return RepairedText("".join(out), offsets, units, line_starts, dropped)


def _heading_title_start(raw: str) -> int:
    for rx, grp in ((_MARKDOWN, 2), (_ROMAN, 2), (_BOX, 1), (_NUMBERED, 2)):
        m = rx.match(raw)
        if m:
            return m.start(grp)
    return len(raw) - len(raw.lstrip())
