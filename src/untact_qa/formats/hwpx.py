"""HWPX (OWPML, KS X 6101): a zip of XML parts, read with the standard library's XML parser.

``Contents/content.hpf`` lists the sections in reading order (``Contents/section{n}.xml``);
``Contents/header.xml`` holds the paragraph properties, whose ``<heading type="OUTLINE"
level=…>`` marks outline headings (and ``NUMBER``/``BULLET`` list items), and the styles
("개요 1" …). A section is ``<hp:p>`` paragraphs of ``<hp:run>``s; a run holds text
(``<hp:t>``, with ``<hp:tab/>`` and ``<hp:lineBreak/>`` inside), tables (``<hp:tbl>`` of
``<hp:tr>``/``<hp:tc>`` cells with ``<hp:cellAddr>`` and ``<hp:cellSpan>``), controls
(footnotes, endnotes, headers and footers) and drawings whose ``<hp:drawText>`` is a text
box. Namespaces differ between versions (2011, 2016), so elements are matched by local name.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from .base import Extracted, Limits, TextBuilder, merged_grid, one_line, refuse
from .containers import ZIP_MAGIC, open_zip, parse_xml, read_member

name = "hwpx"
suffixes = (".hwpx",)
KIND = "HWPX"


def sniff(head: bytes) -> bool:
    """A zip (the member names decide between HWPX and Office files)."""
    return head.startswith(ZIP_MAGIC)


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name_: str):
    return [c for c in el if local(c.tag) == name_]


def headings_of(header: ET.Element | None) -> tuple[dict[str, tuple[str, int]], dict[str, int]]:
    """``({paraPr id: (heading type, level)}, {style id: outline level from its name})``."""
    shapes: dict[str, tuple[str, int]] = {}
    styles: dict[str, int] = {}
    if header is None:
        return shapes, styles
    for el in header.iter():
        tag = local(el.tag)
        if tag == "paraPr":
            for h in el.iter():
                if local(h.tag) == "heading":
                    try:
                        level = int(h.get("level", "0"))
                    except ValueError:
                        level = 0
                    shapes[el.get("id", "")] = (h.get("type", "NONE").upper(), level)
                    break
        elif tag == "style":
            m = re.fullmatch(r"\s*(?:개요|Outline)\s*(\d)\s*", el.get("name", "") or "")
            if m:
                styles[el.get("id", "")] = int(m.group(1))
    return shapes, styles


class _Reader:
    def __init__(self, out: TextBuilder, shapes, styles, label) -> None:
        self.out, self.shapes, self.styles, self.label_of = out, shapes, styles, label
        self.para = 0

    def section(self, root: ET.Element) -> None:
        for p in root:
            if local(p.tag) == "p":
                self.para += 1
                self.paragraph(p)

    def paragraph(self, p: ET.Element, nested: bool = False) -> None:
        text, objects = paragraph_parts(p)
        label = self.label_of(self.para)
        kind, level = self.shapes.get(p.get("paraPrIDRef", ""), ("NONE", 0))
        style_level = self.styles.get(p.get("styleIDRef", ""))
        if text.strip():
            if not nested and (kind == "OUTLINE" or style_level) and len(text.strip()) <= 80:
                self.out.heading(style_level or level + 1, text, label)
            elif kind in ("NUMBER", "BULLET"):
                self.out.item(text, label, level)
            else:
                self.out.paragraph(text, label)
        for what, el in objects:
            if what == "table":
                self.table(el, label)
            elif what == "note":
                note = " ".join(one_line(all_text(q)) for q in el.iter() if local(q.tag) == "p")
                if note.strip():
                    self.out.paragraph(f"주: {note}", label)
            else:
                for q in el:
                    if local(q.tag) == "p":
                        self.paragraph(q, nested=True)

    def table(self, tbl: ET.Element, label: str) -> None:
        cells = []
        for r_i, tr in enumerate(_children(tbl, "tr")):
            for c_i, tc in enumerate(_children(tr, "tc")):
                addr = next((c for c in tc if local(c.tag) == "cellAddr"), None)
                span = next((c for c in tc if local(c.tag) == "cellSpan"), None)
                r, c = _int(addr, "rowAddr", r_i), _int(addr, "colAddr", c_i)
                rs, cs = _int(span, "rowSpan", 1), _int(span, "colSpan", 1)
                text = " ".join(all_text(q) for sub in tc if local(sub.tag) == "subList"
                                for q in sub if local(q.tag) == "p")
                cells.append((r, c, rs, cs, one_line(text)))
        grid = merged_grid(cells, _int(tbl, "rowCnt", 0), _int(tbl, "colCnt", 0))
        self.out.table(grid, label_of=lambda i: f"{label} 표 {i + 1}행")


def _int(el, attr: str, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(attr, default))
    except (TypeError, ValueError):
        return default


_SKIP = {"header", "footer", "masterPage", "hiddenComment", "secPr", "colPr", "pageNum", "linesegarray"}


def paragraph_parts(p: ET.Element) -> tuple[str, list[tuple[str, ET.Element]]]:
    """A paragraph's own text and the objects it holds, in order: ``("table", tbl)``,
    ``("note", footNote|endNote)``, ``("text", subList)`` (a text box)."""
    text: list[str] = []
    objects: list[tuple[str, ET.Element]] = []
    for run in p:
        if local(run.tag) != "run":
            continue
        for el in run:
            tag = local(el.tag)
            if tag == "t":
                text.append(t_text(el))
            elif tag == "dutmal":
                main = "".join(x.text or "" for x in el if local(x.tag) == "mainText")
                sub = "".join(x.text or "" for x in el if local(x.tag) == "subText")
                text.append(f"{main}({sub})" if sub.strip() else main)
            else:
                objects += list(_objects(el))
    return "".join(text), objects


def _objects(el: ET.Element):
    tag = local(el.tag)
    if tag in _SKIP:
        return
    if tag == "tbl":
        yield "table", el
    elif tag in ("footNote", "endNote"):
        yield "note", el
    elif tag == "subList":
        yield "text", el
    else:
        for c in el:
            yield from _objects(c)


def t_text(t: ET.Element) -> str:
    """An ``<hp:t>``'s text: tabs and line breaks inside it become spaces."""
    out = [t.text or ""]
    for c in t:
        if local(c.tag) in ("tab", "lineBreak", "fwSpace", "nbSpace"):
            out.append(" ")
        out.append(c.tail or "")
    return "".join(out)


def all_text(p: ET.Element) -> str:
    """A paragraph's text with that of the tables and text boxes inside it."""
    text, objects = paragraph_parts(p)
    parts = [text]
    for _, el in objects:
        parts += [all_text(q) for q in el.iter() if local(q.tag) == "p" and q is not el]
    return " ".join(x for x in parts if x.strip())


def section_names(zf, fname: str) -> list[str]:
    """The section parts in reading order (the manifest's spine, else by number)."""
    names = zf.namelist()
    found = sorted((n for n in names if re.fullmatch(r"Contents/section\d+\.xml", n)),
                   key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[-1]).group(1)))
    if "Contents/content.hpf" in names:
        try:
            hpf = parse_xml(read_member(zf, "Contents/content.hpf", fname, KIND), fname, KIND)
            items = {i.get("id"): i.get("href", "") for i in hpf.iter() if local(i.tag) == "item"}
            spine = [items.get(r.get("idref"), "") for r in hpf.iter() if local(r.tag) == "itemref"]
            spine = [h if h.startswith("Contents/") else f"Contents/{h}" for h in spine if h]
            spine = [h for h in spine if h in names and "section" in h]
            if spine:
                return spine
        except Exception:  # noqa: BLE001 - the numbered parts will do
            pass
    return found


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """Text, outline headings, tables, text boxes and notes of an HWPX file."""
    zf = open_zip(path, fname, limits, KIND)
    with zf:
        names = set(zf.namelist())
        if "META-INF/manifest.xml" in names:
            manifest = read_member(zf, "META-INF/manifest.xml", fname, KIND)
            if b"encryption-data" in manifest or b"encrypt" in manifest.lower():
                raise refuse(fname, "the HWPX document is password-protected; save an unlocked copy",
                             "암호가 걸린 한글(HWPX) 문서입니다. 한글에서 암호를 해제한 사본을 저장해 올려 주세요.")
        sections = section_names(zf, fname)
        if not sections:
            raise refuse(fname, "not an HWPX document (no Contents/section0.xml)",
                         "HWPX 문서가 아닙니다 (본문 구역이 없습니다). 한글에서 다시 저장해 올려 주세요.")
        header = None
        if "Contents/header.xml" in names:
            header = parse_xml(read_member(zf, "Contents/header.xml", fname, KIND), fname, KIND)
        shapes, styles = headings_of(header)
        out = TextBuilder(name, limits, fname)
        many = len(sections) > 1
        for k, sec in enumerate(sections):
            root = parse_xml(read_member(zf, sec, fname, KIND), fname, KIND)
            label = (lambda p, k=k: f"{k + 1}구역 문단 {p}") if many else (lambda p: f"문단 {p}")
            _Reader(out, shapes, styles, label).section(root)
        return out.result()
