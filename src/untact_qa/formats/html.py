"""HTML pages through the standard library's parser: the main text without the page's
navigation. When the page marks its content (``<main>``, ``<article>``, ``role="main"``) only
that is read; otherwise everything but ``nav``/``header``/``footer``/``aside``/``form``, scripts,
styles and elements whose role, id or class names navigation, menus, breadcrumbs, sidebars,
cookie notices or ads. ``h1``-``h6`` are headings, ``li`` list items, tables rows with their
headers, other blocks paragraphs. Locations are paragraphs ("문단 7")."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .base import Extracted, Limits, TextBuilder
from .csv import decode

name = "html"
suffixes = (".html", ".htm")

_DROP = {"script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "select", "button",
         "nav", "header", "footer", "aside", "form", "menu", "dialog"}
_BOILER = re.compile(r"(^|[\s_-])(nav|navbar|navigation|menu|gnb|lnb|snb|breadcrumbs?|sidebar|side-bar|footer|header|"
                     r"cookie|banner|advert|ads?|skip|share|sns|related|pagination|toolbar|topbar|util)([\s_-]|$)", re.I)
_BOILER_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_BLOCK = {"p", "div", "section", "article", "main", "blockquote", "pre", "dd", "dt", "figcaption", "address",
          "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol", "dl", "br", "hr", "body", "caption"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


def sniff(head: bytes) -> bool:
    """HTML has no fixed signature: chosen by suffix."""
    return False


class _Blocks(HTMLParser):
    """Blocks of a page: ``(kind, text)`` with kind heading1-6, item, para, or a table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple] = []
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, dropped, main)
        self.buf: list[str] = []
        self.kind = "para"
        self.table: list[list[str]] | None = None
        self.tables: list[list[list[str]]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.has_main = False

    @property
    def dropped(self) -> bool:
        return any(d for _, d, _ in self.stack)

    @property
    def in_main(self) -> bool:
        return any(m for _, _, m in self.stack)

    def flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        if text and self.cell is None:
            self.blocks.append((self.kind, text, self.in_main))
        self.buf = []
        self.kind = "para"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        names = " ".join(filter(None, [a.get("id"), a.get("class")]))
        drop = (tag in _DROP or (a.get("role") or "").lower() in _BOILER_ROLES or bool(_BOILER.search(names))
                or "hidden" in a or (a.get("aria-hidden") == "true"))
        main = tag in ("main", "article") or (a.get("role") or "").lower() == "main"
        self.has_main |= main
        if tag in _BLOCK and not self.dropped:
            self.flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.kind = "heading" + tag[1]
            elif tag == "li":
                self.kind = "item"
        if not self.dropped:
            if tag == "table":
                self.tables.append([])
                self.blocks.append(("table", self.tables[-1], self.in_main or main))
            elif tag == "tr" and self.tables:
                self.row = []
                self.tables[-1].append(self.row)
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
        if tag not in _VOID:
            self.stack.append((tag, drop, main))

    def handle_endtag(self, tag):
        if not any(t == tag for t, _, _ in self.stack):
            return
        if not self.dropped:
            if tag in ("td", "th") and self.cell is not None and self.row is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag in _BLOCK:
                self.flush()
        while self.stack:
            t, _, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self.dropped:
            return
        (self.cell if self.cell is not None else self.buf).append(data)


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """The page's main text: headings, paragraphs, list items and tables."""
    raw = path.read_bytes()
    head = raw[:2048].lower()
    m = re.search(rb"charset=[\"']?([\w-]+)", head)
    text = None
    if m:
        try:
            text = raw.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode(raw, fname)
    p = _Blocks()
    p.feed(text)
    p.close()
    p.flush()
    out = TextBuilder(name, limits, fname)
    n = 0
    title_done = False
    for kind, value, in_main in p.blocks:
        if p.has_main and not in_main:
            continue
        n += 1
        label = f"문단 {n}"
        if kind == "table":
            out.table(value, label_of=lambda i, label=label: f"{label} 표 {i + 1}행")
        elif kind.startswith("heading"):
            out.heading(int(kind[-1]), value, label)
            title_done = True
        elif kind == "item":
            out.item(value, label)
        else:
            out.paragraph(value, label)
    del title_done
    return out.result()
