"""What every format reader returns, and the helpers they share.

A reader turns one file into :class:`Extracted`: the document as Markdown-like text (``#``
headings from the file's own outline, one paragraph per line with a blank line between, list
items as ``- `` lines, every table row as one statement that keeps its column headers:
``국가: 베트남 | 현금 사용률: 90%``) plus a *location map*: the 1-based text lines where a
new place of the original starts (a page, a slide, a sheet row, a paragraph), with the label
a person looks for ("3쪽", "슬라이드 2", "'매출' 시트 5행", "문단 12"). The text is what is
indexed; the map travels with the chunks into citations (:meth:`untact_qa.schema.Chunk.location_at`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import CorpusError


@dataclass
class Extracted:
    """One file's text and where each part of it sits in the original."""

    text: str
    locations: list[tuple[int, str]] = field(default_factory=list)  # (first 1-based line, label)
    format: str = ""  # the registry name of the reader ("docx", "hwp", …)
    notes: list[str] = field(default_factory=list)  # Korean remarks for the status line (OCR used, …)
    profile: str = "markdown"  # the repair profile the text is written for ("pdf" for PDF text)

    def to_dict(self) -> dict:
        """JSON form (what the limited child process hands back)."""
        return {"text": self.text, "locations": [list(x) for x in self.locations], "format": self.format,
                "notes": list(self.notes), "profile": self.profile}

    @classmethod
    def from_dict(cls, d: dict) -> Extracted:
        """Inverse of :meth:`to_dict`."""
        return cls(d["text"], [(int(a), str(b)) for a, b in d.get("locations", [])], d.get("format", ""),
                   list(d.get("notes", [])), d.get("profile", "markdown"))


@dataclass(frozen=True)
class Limits:
    """Caps of one extraction; containers (zip, OLE) are checked against them before anything
    is inflated, so a bomb is refused by its directory, not by running out of memory."""

    max_chars: int | None = None  # stop once the text is longer (None: no cap)
    max_entries: int = 10_000  # members of a zip / streams of an OLE file
    max_ratio: int = 100  # inflated / compressed size of one member (checked above ratio_floor)
    ratio_floor: int = 1 << 20  # members that inflate to less than this are not ratio-checked
    max_total: int = 256 << 20  # inflated bytes of all members together
    progress: object = None  # progress(stage, done, total), e.g. OCR pages


class Format(Protocol):
    """One file type: its name, the suffixes it claims and its reader."""

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file are this format's (a wrong suffix is then fixed)."""

    def extract(self, path: Path, name: str, limits: Limits) -> Extracted:
        """The text and location map of the file at *path* (shown to users as *name*)."""


def too_long(name: str, cap: int) -> CorpusError:
    """The text passed the character cap: reading stopped as soon as it did."""
    return CorpusError(f"{name}: the extracted text has more than {cap:,} characters, the limit is {cap:,}; "
                       f"split the document",
                       ko=f"{name}: 추출한 글자가 한도({cap:,}자)를 넘습니다. 문서를 나누어 올려 주세요.")


def refuse(name: str, en: str, ko: str) -> CorpusError:
    """A :class:`CorpusError` naming the file in both languages."""
    return CorpusError(f"{name}: {en}", ko=f"{name}: {ko}")


# -- characters -----------------------------------------------------------------------------
# Symbol fonts (Wingdings, Hancom's own) put bullets in the private-use area; they render as
# boxes anywhere else. The common ones become the bullet they show; the rest are dropped, so a
# word with a stray PUA glyph still matches its keywords.
_PUA_BULLETS = {0xF06C: "●", 0xF0A7: "▪", 0xF0B7: "•", 0xF0D8: "➢", 0xF0FC: "✓", 0xF09F: "•", 0xF06E: "■",
                0xF075: "◆", 0xF0A8: "◦", 0xF0E0: "→", 0xF0E8: "➔"}
_PUA = re.compile("[\ue000-\uf8ff]")
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")  # letters and digits only: ～ and ％ are Korean usage
# Hangul filler and other invisible characters that break keyword matches
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u3164\uffa0]")


def normalize_chars(text: str) -> str:
    """NFC text with private-use glyphs mapped or dropped, full-width Latin letters and digits
    made ASCII ("ＡＩ１２" → "AI12", as the keyword index reads them), and zero-width characters
    removed. Old Hangul written with conjoining jamo (ᄒᆞᆫ) is kept: NFC leaves it as it is."""
    if _PUA.search(text):
        text = _PUA.sub(lambda m: _PUA_BULLETS.get(ord(m.group(0)), ""), text)
    text = _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


def one_line(text: str) -> str:
    """*text* as one line: runs of whitespace (line breaks in a cell) become one space."""
    return " ".join(normalize_chars(text).split())


# -- writing the text -------------------------------------------------------------------------
class TextBuilder:
    """Builds an :class:`Extracted`: headings, paragraphs, list items and tables, each placed at
    a location; a paragraph is one line followed by a blank line (the Markdown repair profile
    reads that as a paragraph), so line numbers stay exact for the location map."""

    def __init__(self, fmt: str, limits: Limits | None = None, name: str = "") -> None:
        self.fmt = fmt
        self.lines: list[str] = []
        self.locations: list[tuple[int, str]] = []
        self.notes: list[str] = []
        self.limits = limits or Limits()
        self.name = name
        self.chars = 0
        self.tables = 0

    def _mark(self, label: str) -> None:
        line = len(self.lines) + 1
        if label and (not self.locations or self.locations[-1][1] != label):
            if self.locations and self.locations[-1][0] == line:
                self.locations[-1] = (line, label)
            else:
                self.locations.append((line, label))

    def _emit(self, line: str, label: str, blank: bool = True) -> None:
        self._mark(label)
        self.lines.append(line)
        if blank:
            self.lines.append("")
        self.chars += len(line) + 2
        cap = self.limits.max_chars
        if cap is not None and self.chars > cap:
            raise too_long(self.name, cap)

    def heading(self, level: int, text: str, label: str = "") -> None:
        """A heading of outline *level* (1 = top)."""
        text = one_line(text).lstrip("#").strip()
        if text:
            self._emit("#" * max(1, min(level, 6)) + " " + text, label)

    def paragraph(self, text: str, label: str = "") -> None:
        """One paragraph (line breaks inside it become spaces)."""
        text = one_line(text)
        if text:
            if text.startswith("#"):
                text = "＃" + text[1:]  # a body line that would read as a Markdown heading
            self._emit(text, label)

    def item(self, text: str, label: str = "", level: int = 0) -> None:
        """A list item: a ``- `` line (the repair keeps each one a statement of its own)."""
        text = one_line(text)
        if text:
            self._emit("  " * max(0, level) + "- " + text, label)

    def table(self, rows: list[list[str]], label_of=None, caption: str = "", header_rows: int | None = None) -> None:
        """A table as statements: every body row becomes ``헤더: 값 | 헤더: 값`` (empty cells
        left out), so a row keeps its column names wherever it is retrieved; *label_of(i)*
        gives the location of body row *i* (0-based in *rows*)."""
        self.tables += 1
        at = label_of or (lambda i: "")
        # rows keep their place in *rows* for their location, empty ones left out
        kept = [(i, [one_line(c) for c in row]) for i, row in enumerate(rows)]
        kept = [(i, r) for i, r in kept if any(r)]
        if not kept:
            return
        index = [i for i, _ in kept]
        grid = [r for _, r in kept]

        def label_of(k: int) -> str:
            return at(index[k])

        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        # drop columns that are empty everywhere (layout columns of merged cells)
        keep = [j for j in range(width) if any(r[j] for r in grid)]
        grid = [[r[j] for j in keep] for r in grid]
        width = len(keep)
        if caption:
            self.paragraph(caption, label_of(0))
        if width == 1:
            for i, r in enumerate(grid):
                self.paragraph(r[0], label_of(i))
            return
        head = header_rows if header_rows is not None else (1 if looks_like_header(grid) else 0)
        headers = _header_names(grid[:head], width) if head else []
        for i, r in enumerate(grid[head:], head):
            if headers and r == grid[head - 1]:
                continue  # a header repeated on a later page
            if headers:
                parts = [f"{h}: {c}" if h and h != c else c for h, c in zip(headers, r) if c]
            elif width == 2 and r[0] and r[1]:
                parts = [f"{r[0]}: {r[1]}"]  # a form: 성명 | 홍길동
            else:
                parts = [c for c in r if c]
            # repeated cells of a merged span say the same thing once
            dedup = [p for k, p in enumerate(parts) if k == 0 or p != parts[k - 1]]
            line = " | ".join(dedup)
            if line:
                self.paragraph(line, label_of(i))

    def result(self, profile: str = "markdown") -> Extracted:
        """The text (no trailing blank lines) and its location map."""
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return Extracted("\n".join(self.lines), self.locations, self.fmt, self.notes, profile)


_NUMBERISH = re.compile(r"^[\s\d.,%+\-−()~원억만천개명건배년월일세시%$€₩]*$")


def looks_like_header(grid: list[list[str]]) -> bool:
    """The first row names the columns: every cell filled, no cell a number, and the rows under
    it differ from it (at least one of them holds a number, or it is the only text row)."""
    if len(grid) < 2:
        return False
    first = grid[0]
    filled = [c for c in first if c]
    if len(filled) < max(2, len(first) - 1):
        return False
    if any(_NUMBERISH.match(c) for c in filled):
        return False
    if any(len(c) > 40 for c in filled):
        return False
    body = grid[1:]
    return any(_NUMBERISH.match(c) and c.strip() for r in body for c in r) or len(set(map(tuple, body))) >= 1


def _header_names(head_rows: list[list[str]], width: int) -> list[str]:
    """Column names of one or more header rows (a merged group name above a sub-name joins it:
    "2020년 매출")."""
    names = []
    for j in range(width):
        parts = []
        for r in head_rows:
            c = r[j] if j < len(r) else ""
            if c and (not parts or parts[-1] != c):
                parts.append(c)
        names.append(" ".join(parts))
    return names


def merged_grid(cells: list[tuple[int, int, int, int, str]], rows: int | None = None,
                cols: int | None = None, cap: int = 2000) -> list[list[str]]:
    """A full grid from ``(row, col, rowspan, colspan, text)`` cells: a merged cell's text fills
    every slot it covers, so each row reads with its group label (as a person reads it)."""
    if not cells:
        return []
    n_rows = min(cap, max(rows or 0, max(r + max(1, rs) for r, _, rs, _, _ in cells)))
    n_cols = min(256, max(cols or 0, max(c + max(1, cs) for _, c, _, cs, _ in cells)))
    grid = [[""] * n_cols for _ in range(n_rows)]
    for r, c, rs, cs, text in cells:
        for i in range(r, min(n_rows, r + max(1, rs))):
            for j in range(c, min(n_cols, c + max(1, cs))):
                if not grid[i][j]:
                    grid[i][j] = text
    return grid
