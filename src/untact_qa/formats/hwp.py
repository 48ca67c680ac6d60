"""HWP 5.x (한글 문서, binary): an OLE compound file of record streams, read here with
olefile (BSD) and our own record parser — no AGPL code (pyhwp is AGPL).

Layout (Hancom's published HWP 5.0 format): ``FileHeader`` (signature, version, flags:
compressed, password, 배포용/distribution, DRM), ``DocInfo`` (paragraph shapes: which
paragraphs are outline headings or list items) and ``BodyText/Section{n}`` — raw-deflated
when compressed — holding records ``(tag, level, payload)``; a record's children are the
records after it with a deeper level. A paragraph is ``PARA_HEADER`` with ``PARA_TEXT``
(UTF-16 with 8-unit control placeholders) and its controls (``CTRL_HEADER``): tables (``tbl``:
a ``TABLE`` record, then per cell a ``LIST_HEADER`` with its row/column address followed by
the cell's paragraphs), text boxes and drawings (``gso``), footnotes and endnotes (``fn``,
``en``), headers and footers (``head``, ``foot``: left out, they repeat on every page).

배포용 (distribution) documents keep their body in ``ViewText/Section{n}`` instead: each
stream opens with a 256-byte ``DISTRIBUTE_DOC_DATA`` record scrambled with the MS C runtime's
``rand()`` seeded by its first four bytes; unscrambled, 16 bytes at offset ``4 + (seed & 15)``
are the AES-128 key of the rest of the stream (ECB), which then reads like a BodyText section.
The Hangul viewer opens them for reading without a password, so reading their text for search
is what the viewer does; copy and print restrictions are the viewer's, not the text's.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from .base import Extracted, Limits, TextBuilder, merged_grid, one_line, refuse
from .containers import OLE_MAGIC, inflate, open_ole, read_stream

name = "hwp"
suffixes = (".hwp",)

_BEGIN = 0x10
TAG_PARA_SHAPE = _BEGIN + 9
TAG_DISTRIBUTE = _BEGIN + 12
TAG_PARA_HEADER = _BEGIN + 50
TAG_PARA_TEXT = _BEGIN + 51
TAG_CTRL_HEADER = _BEGIN + 55
TAG_LIST_HEADER = _BEGIN + 56
TAG_TABLE = _BEGIN + 61

FLAG_COMPRESSED, FLAG_PASSWORD, FLAG_DISTRIBUTED, FLAG_DRM = 1, 2, 4, 16
FLAG_CERT_ENCRYPTED, FLAG_CERT_DRM = 1 << 8, 1 << 10
SIGNATURE = b"HWP Document File"
_MAX_RECORDS = 2_000_000

# 8-unit controls: extended (1-3, 11-12, 14-18, 21-23) and inline (4-9, 19-20); tab (9) is a space.
# An extended control owns a CTRL_HEADER child of the paragraph, in order: its place in the
# text is kept as OBJECT REPLACEMENT so inline ones (덧말, 글자 겹침) are put back where they stand.
_ONE_UNIT = {0, 10, 13, 24, 25, 26, 27, 28, 29, 30, 31}
_EXTENDED = {1, 2, 3, 11, 12, 14, 15, 16, 17, 18, 21, 22, 23}
MARK = "\ufffc"


def sniff(head: bytes) -> bool:
    """An OLE file; the FileHeader signature is checked on reading (a .doc is OLE too)."""
    return head.startswith(OLE_MAGIC)


class _Node:
    __slots__ = ("tag", "level", "data", "children")

    def __init__(self, tag: int, level: int, data: bytes) -> None:
        self.tag, self.level, self.data, self.children = tag, level, data, []


def records(data: bytes, fname: str) -> list[_Node]:
    """The record tree of one stream: top-level nodes, each with its children."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    pos, n, count = 0, len(data), 0
    while pos + 4 <= n:
        (h,) = struct.unpack_from("<I", data, pos)
        pos += 4
        tag, level, size = h & 0x3FF, (h >> 10) & 0x3FF, h >> 20
        if size == 0xFFF:
            if pos + 4 > n:
                break
            (size,) = struct.unpack_from("<I", data, pos)
            pos += 4
        node = _Node(tag, level, data[pos:pos + size])
        pos += size
        count += 1
        if count > _MAX_RECORDS:
            raise refuse(fname, f"the HWP has more than {_MAX_RECORDS:,} records", "한글 문서의 구성 요소가 너무 많아 읽지 않았습니다.")
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def para_text(payload: bytes, marks: bool = False) -> str:
    """The characters of a PARA_TEXT record (controls dropped, tabs and fixed spaces as spaces;
    *marks*: each extended control as :data:`MARK`)."""
    units = struct.unpack_from(f"<{len(payload) // 2}H", payload)
    out = bytearray()
    i, n = 0, len(units)
    while i < n:
        c = units[i]
        if c > 31:
            out += struct.pack("<H", c)
            i += 1
        elif c in _ONE_UNIT:
            if c in (10, 30, 31):
                out += b" \x00"
            elif c == 24:
                out += b"-\x00"
            i += 1
        else:
            if c == 9:
                out += b" \x00"
            elif c in _EXTENDED and marks:
                out += MARK.encode("utf-16-le")
            i += 8
    return out.decode("utf-16-le", "replace")


def _wstr(data: bytes, pos: int) -> tuple[str, int]:
    """A length-prefixed UTF-16 string of a control's payload, and the offset after it."""
    if pos + 2 > len(data):
        return "", pos
    (n,) = struct.unpack_from("<H", data, pos)
    pos += 2
    return data[pos:pos + 2 * n].decode("utf-16-le", "replace"), pos + 2 * n


def inline_text(ctrl: _Node) -> str | None:
    """The text an inline control shows where it stands: 덧말 ("본말(덧말)"), 글자 겹침; None
    for a control that is not inline text."""
    cid = ctrl_id(ctrl)
    if cid == "tdut":
        main, pos = _wstr(ctrl.data, 4)
        sub, _ = _wstr(ctrl.data, pos)
        return f"{main}({sub})" if sub.strip() else main
    if cid == "tcps":
        return _wstr(ctrl.data, 4)[0]
    return None


def ctrl_id(node: _Node) -> str:
    """A control's four-character id ("tbl ", "gso ", "fn  ", …)."""
    if len(node.data) < 4:
        return ""
    return struct.unpack_from("<I", node.data)[0].to_bytes(4, "big").decode("latin-1")


class _Reader:
    def __init__(self, fname: str, shapes: list[tuple[int, int]], out: TextBuilder, section_label) -> None:
        self.fname, self.shapes, self.out, self.section_label = fname, shapes, out, section_label
        self.para = 0

    def label(self) -> str:
        return self.section_label(self.para)

    def top(self, nodes: list[_Node]) -> None:
        for node in nodes:
            if node.tag == TAG_PARA_HEADER:
                self.para += 1
                self.paragraph(node)

    def paragraph(self, node: _Node, nested: bool = False) -> None:
        text = _inline("".join(para_text(c.data, marks=True) for c in node.children if c.tag == TAG_PARA_TEXT),
                       node)
        kind, level = "text", 0
        if len(node.data) >= 10:
            shape = struct.unpack_from("<H", node.data, 8)[0]
            if shape < len(self.shapes):
                kind_code, level = self.shapes[shape]
                kind = {1: "heading", 2: "item", 3: "item"}.get(kind_code, "text")
        label = self.label()
        if text.strip():
            if kind == "heading" and not nested and len(text.strip()) <= 80:
                self.out.heading(level + 1, text, label)
            elif kind == "item":
                self.out.item(text, label, level)
            else:
                self.out.paragraph(text, label)
        for ctrl in node.children:
            if ctrl.tag == TAG_CTRL_HEADER and inline_text(ctrl) is None:
                self.control(ctrl, label)

    def control(self, ctrl: _Node, label: str) -> None:
        cid = ctrl_id(ctrl)
        if cid in ("head", "foot", "tcmt"):
            return  # running headers/footers repeat on every page; hidden comments are not text
        if cid == "tbl ":
            self.table(ctrl, label)
            return
        paras = list(_paragraphs(ctrl))
        if cid in ("fn  ", "en  "):
            note = " ".join(one_line(_all_text(p)) for p in paras).strip()
            if note:
                self.out.paragraph(f"주: {note}", label)
            return
        for p in paras:  # text boxes, drawings with text, 덧말 …
            self.paragraph(p, nested=True)

    def table(self, ctrl: _Node, label: str) -> None:
        rows = cols = 0
        cells: list[tuple[int, int, int, int, str]] = []
        current: list | None = None
        seq = 0
        for child in ctrl.children:
            if child.tag == TAG_TABLE and len(child.data) >= 8:
                rows, cols = struct.unpack_from("<HH", child.data, 4)
            elif child.tag == TAG_LIST_HEADER:
                d = child.data
                if len(d) >= 16:
                    c, r, cs, rs = struct.unpack_from("<HHHH", d, 8)
                else:
                    r, c, cs, rs = divmod(seq, max(1, cols)) + (1, 1)
                if (rows and r >= rows) or (cols and c >= cols):
                    r, c, cs, rs = divmod(seq, max(1, cols)) + (1, 1)
                seq += 1
                current = [r, c, rs, cs, []]
                cells.append(current)  # type: ignore[arg-type]
            elif child.tag == TAG_PARA_HEADER and current is not None:
                current[4].append(_all_text(child))
        grid = merged_grid([(r, c, rs, cs, one_line(" ".join(t))) for r, c, rs, cs, t in cells], rows, cols)
        self.out.table(grid, label_of=lambda i: f"{label} 표 {i + 1}행")


def _paragraphs(node: _Node):
    """Paragraphs under a control (text boxes nest them under shape components)."""
    for child in node.children:
        if child.tag == TAG_PARA_HEADER:
            yield child
        elif child.tag != TAG_CTRL_HEADER:
            yield from _paragraphs(child)


def _inline(text: str, para: _Node) -> str:
    """*text* with each control mark replaced by the control's inline text (or nothing)."""
    if MARK not in text:
        return text
    ctrls = iter([c for c in para.children if c.tag == TAG_CTRL_HEADER])
    return re.sub(MARK, lambda m: (inline_text(next(ctrls, _EMPTY)) or ""), text)


_EMPTY = _Node(0, 0, b"")


def _all_text(para: _Node) -> str:
    """A paragraph's text with the text of what it holds (a table in a cell, a text box)."""
    parts = [_inline("".join(para_text(c.data, marks=True) for c in para.children if c.tag == TAG_PARA_TEXT), para)]
    for ctrl in para.children:
        if (ctrl.tag == TAG_CTRL_HEADER and ctrl_id(ctrl) not in ("head", "foot", "tcmt")
                and inline_text(ctrl) is None):
            parts += [_all_text(p) for p in _paragraphs(ctrl)]
    return " ".join(p for p in parts if p.strip())


def para_shapes(docinfo: list[_Node]) -> list[tuple[int, int]]:
    """``(heading kind, level)`` of every paragraph shape, in id order: kind 1 is an outline
    heading (개요), 2 a numbered and 3 a bulleted list item."""
    out = []
    for node in docinfo:
        if node.tag == TAG_PARA_SHAPE and len(node.data) >= 4:
            props = struct.unpack_from("<I", node.data)[0]
            out.append(((props >> 23) & 3, (props >> 25) & 7))
    return out


# -- 배포용 documents ----------------------------------------------------------------------------
def _msvc_rand(seed: int):
    state = seed & 0xFFFFFFFF
    while True:
        state = (state * 214013 + 2531011) & 0xFFFFFFFF
        yield (state >> 16) & 0x7FFF


def distribution_key(payload: bytes) -> bytes:
    """The AES-128 key hidden in a 256-byte DISTRIBUTE_DOC_DATA record."""
    seed = struct.unpack_from("<I", payload)[0]
    rnd = _msvc_rand(seed)
    mask = bytearray()
    while len(mask) < 256:
        fill = next(rnd) & 0xFF
        times = (next(rnd) & 0x0F) + 1
        mask += bytes([fill]) * times
    plain = bytes(a ^ b for a, b in zip(payload, mask[:256]))
    offset = 4 + (seed & 0x0F)
    return plain[offset:offset + 16]


def decrypt_view_text(data: bytes, fname: str) -> bytes:
    """The section records of a ViewText stream (still deflated when the file is compressed)."""
    if len(data) < 4 + 256:
        raise _distribution_error(fname, "the ViewText stream is too short")
    (h,) = struct.unpack_from("<I", data)
    if h & 0x3FF != TAG_DISTRIBUTE or (h >> 20) != 256:
        raise _distribution_error(fname, "the ViewText stream does not start with its key record")
    key = distribution_key(data[4:260])
    body = data[260:]
    body = body[: len(body) - len(body) % 16]
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise _distribution_error(fname, "the 'cryptography' package is missing") from exc
    dec = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    return dec.update(body) + dec.finalize()


def _distribution_error(fname: str, why: str):
    return refuse(fname, f"a 배포용 (distribution) document whose text could not be decoded ({why}); "
                         f"save it as a normal HWP or PDF",
                  "배포용 문서의 본문을 풀지 못했습니다. 한글에서 일반 문서나 PDF로 저장해 올려 주세요.")


# -- the reader ---------------------------------------------------------------------------------
def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """Text, tables, text boxes and footnotes of an HWP 5 file, with 구역/문단 locations."""
    ole = open_ole(path, fname, limits)
    try:
        if not ole.exists("FileHeader"):
            raise refuse(fname, "not an HWP 5 document (no FileHeader; an old HWP 3 file or another OLE file?)",
                         "한글 5.0 이상 형식의 문서가 아닙니다 (한글 97 이하 문서이거나 다른 OLE 파일). "
                         "한글에서 HWP 5 형식이나 HWPX로 다시 저장해 올려 주세요.")
        header = read_stream(ole, "FileHeader", fname)
        if not header.startswith(SIGNATURE) or len(header) < 40:
            raise refuse(fname, "not an HWP 5 document (bad FileHeader signature)",
                         "한글 5.0 형식의 문서가 아닙니다 (파일 머리 정보가 맞지 않습니다).")
        major = header[35]
        if major != 5:
            raise refuse(fname, f"HWP version {major} is not supported; save it as HWP 5 or HWPX",
                         f"한글 {major}.x 형식은 읽을 수 없습니다. 한글에서 HWP 5 형식이나 HWPX로 저장해 올려 주세요.")
        (flags,) = struct.unpack_from("<I", header, 36)
        if flags & FLAG_PASSWORD:
            raise refuse(fname, "the HWP document is password-protected; save an unlocked copy",
                         "암호가 걸린 한글 문서입니다. 한글에서 암호를 해제한 사본을 저장해 올려 주세요.")
        if flags & (FLAG_DRM | FLAG_CERT_DRM | FLAG_CERT_ENCRYPTED):
            raise refuse(fname, "the HWP document is DRM-protected or certificate-encrypted; it cannot be read",
                         "DRM 또는 인증서로 보호된 한글 문서라 읽을 수 없습니다. 보호를 해제한 사본을 올려 주세요.")
        compressed = bool(flags & FLAG_COMPRESSED)
        distributed = bool(flags & FLAG_DISTRIBUTED)
        budget = [limits.max_total]

        def stream(path_: str, decrypt: bool = False) -> bytes:
            data = read_stream(ole, path_, fname)
            if decrypt:
                data = decrypt_view_text(data, fname)
            return inflate(data, fname, limits, budget) if compressed else data

        shapes = para_shapes(records(stream("DocInfo"), fname)) if ole.exists("DocInfo") else []
        folder = "ViewText" if distributed else "BodyText"
        sections = sorted((s for s in ole.listdir(streams=True, storages=False)
                           if len(s) == 2 and s[0] == folder and re.fullmatch(r"Section\d+", s[1])),
                          key=lambda s: int(s[1][7:]))
        if not sections and distributed and ole.exists("BodyText/Section0"):
            folder, distributed = "BodyText", False
            sections = [s for s in ole.listdir(streams=True, storages=False) if s[0] == "BodyText"]
        if not sections:
            raise refuse(fname, "the HWP document has no body sections", "한글 문서에 본문이 없습니다.")
        out = TextBuilder(name, limits, fname)
        many = len(sections) > 1
        for k, sec in enumerate(sections):
            data = stream("/".join(sec), decrypt=distributed)
            label = (lambda p, k=k: f"{k + 1}구역 문단 {p}") if many else (lambda p: f"문단 {p}")
            _Reader(fname, shapes, out, label).top(records(data, fname))
        if distributed:
            out.notes.append("배포용 문서")
        return out.result()
    finally:
        ole.close()
