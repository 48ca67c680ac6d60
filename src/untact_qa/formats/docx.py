"""DOCX (Word) through python-docx (MIT): body paragraphs and tables in reading order.

Headings come from the paragraph's style ("Heading 1", "제목 1", "Title") or its outline
level (``w:outlineLvl``, set directly or by the style); numbered and bulleted paragraphs
(``w:numPr``, "List …" styles) are list items; text boxes (``w:txbxContent``) follow the
paragraph that anchors them; footnotes and endnotes close the document as "주:" lines. The zip
is checked against the limits before python-docx opens it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import Extracted, Limits, TextBuilder, one_line, refuse
from .containers import ZIP_MAGIC, open_zip, parse_xml, read_member

name = "docx"
suffixes = (".docx",)
KIND = "DOCX"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def sniff(head: bytes) -> bool:
    """A zip (the member names decide which Office format)."""
    return head.startswith(ZIP_MAGIC)


_HEADING_STYLE = re.compile(r"^(?:heading|제목)\s*(\d)$", re.I)


def heading_level(par) -> int:
    """Outline level of a python-docx paragraph (1 = top), 0 for body text."""
    style = par.style
    sname = (style.name or "") if style is not None else ""
    if sname.lower() == "title":
        return 1
    m = _HEADING_STYLE.match(sname.strip())
    if m:
        return int(m.group(1))
    for el in (par._p.pPr, getattr(style, "element", None) if style is not None else None):
        if el is None:
            continue
        lvl = el.find(f".//{W}outlineLvl")
        if lvl is not None:
            try:
                v = int(lvl.get(f"{W}val"))
            except (TypeError, ValueError):
                continue
            if 0 <= v < 9:
                return v + 1
    return 0


def is_list_item(par) -> bool:
    """A numbered or bulleted paragraph."""
    ppr = par._p.pPr
    if ppr is not None and ppr.find(f"{W}numPr") is not None:
        return True
    sname = (par.style.name or "") if par.style is not None else ""
    return sname.lower().startswith("list")


def _text(el) -> str:
    """Text of a paragraph element (runs, hyperlinks, fields), tabs and breaks as spaces;
    text boxes inside it are left out (they are read on their own)."""
    out = []
    for node in el.iter():
        tag = node.tag
        if tag == f"{W}txbxContent":
            continue
        if tag == f"{W}t" and not _in_textbox(node, el):
            out.append(node.text or "")
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr") and not _in_textbox(node, el):
            out.append(" ")
    return "".join(out)


def _in_textbox(node, top) -> bool:
    p = node.getparent()
    while p is not None and p is not top:
        if p.tag == f"{W}txbxContent":
            return True
        p = p.getparent()
    return False


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """Headings, paragraphs, list items, tables (rows with their headers), text boxes and notes."""
    zf = open_zip(path, fname, limits, KIND)
    with zf:
        notes = []
        for part in ("word/footnotes.xml", "word/endnotes.xml"):
            if part in zf.namelist():
                root = parse_xml(read_member(zf, part, fname, KIND), fname, KIND)
                for note in root:
                    if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                        continue
                    text = one_line("".join(t.text or "" for t in note.iter(f"{W}t")))
                    if text:
                        notes.append(text)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged parts
        raise refuse(fname, f"not a readable DOCX file ({type(exc).__name__}: {exc})",
                     "DOCX 파일을 읽을 수 없습니다 (손상되었거나 Word 문서가 아닙니다). Word에서 다시 저장해 올려 주세요.") from exc
    out = TextBuilder(name, limits, fname)
    counter = {"p": 0, "t": 0}

    def body(container_el, parent) -> None:
        for child in container_el.iterchildren():
            if child.tag == f"{W}p":
                counter["p"] += 1
                par = Paragraph(child, parent)
                label = f"문단 {counter['p']}"
                text = _text(child)
                level = heading_level(par) if text.strip() else 0
                if level and len(text.strip()) <= 120:
                    out.heading(level, text, label)
                elif is_list_item(par):
                    out.item(text, label)
                else:
                    out.paragraph(text, label)
                for box in child.iter(f"{W}txbxContent"):
                    for q in box.iter(f"{W}p"):
                        out.paragraph(_text(q), label)
            elif child.tag == f"{W}tbl":
                counter["t"] += 1
                t = counter["t"]
                table = Table(child, parent)
                rows = []
                for row in table.rows:
                    try:
                        rows.append([c.text for c in row.cells])
                    except (IndexError, ValueError):  # a malformed merge: the row's own cells
                        rows.append([_text(tc) for tc in row._tr.iter(f"{W}tc")])
                out.table(rows, label_of=lambda i, t=t: f"표 {t} {i + 1}행")
            elif child.tag == f"{W}sdt":  # a content control wraps ordinary body content
                inner = child.find(f"{W}sdtContent")
                if inner is not None:
                    body(inner, parent)

    body(doc.element.body, doc._body)
    for k, note in enumerate(notes, 1):
        out.paragraph(f"주: {note}", f"주석 {k}")
    return out.result()
