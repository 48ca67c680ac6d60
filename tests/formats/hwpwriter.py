"""Write small HWP 5 and HWPX documents for the tests (no Hangul program needed).

* :func:`cfb` — an OLE compound file (CFB v3, 512-byte sectors, a mini stream for small
  streams) from ``{"Storage/Stream": bytes}``;
* :func:`hwp` — an HWP 5 document of outline headings, paragraphs, tables (cells with their
  row/column addresses and spans), text boxes and footnotes, compressed or not, and as a
  배포용 (distribution) document: the sections encrypted into ``ViewText`` the way the Hangul
  program does (AES-128-ECB, the key hidden in a 256-byte record scrambled with MSVC rand());
* :func:`hwpx` — an OWPML zip with a header of outline paragraph shapes and sections.

Blocks are ``("heading", level, text)``, ``("text", text)``, ``("item", text)``,
``("table", [[cell, …], …])``, ``("textbox", text)``, ``("footnote", text, note)``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


# -- CFB ---------------------------------------------------------------------------------------
def cfb(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file holding *streams* (paths with "/" between storage and stream)."""
    # directory tree: root(0) + storages + streams
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index = {"": 0}
    for path in sorted(streams):
        parts = path.split("/")
        parent = ""
        for k, part in enumerate(parts):
            key = "/".join(parts[: k + 1])
            if key not in index:
                is_stream = k == len(parts) - 1
                entries.append({"name": part, "type": 2 if is_stream else 1, "children": [],
                                "data": streams[path] if is_stream else b""})
                index[key] = len(entries) - 1
                entries[index[parent]]["children"].append(index[key])
            parent = key
    sectors: list[bytes] = []
    fat: list[int] = []

    def alloc(data: bytes, sector: int = 512) -> int:
        n = max(1, -(-len(data) // sector))
        start = len(sectors)
        for i in range(n):
            sectors.append(data[i * sector:(i + 1) * sector].ljust(sector, b"\0"))
            fat.append(start + i + 1 if i < n - 1 else END)
        return start

    mini = bytearray()
    minifat: list[int] = []
    for e in entries[1:]:
        if e["type"] != 2:
            continue
        d = e["data"]
        if len(d) < 4096:
            n = max(1, -(-len(d) // 64))
            start = len(minifat)
            for i in range(n):
                mini += d[i * 64:(i + 1) * 64].ljust(64, b"\0")
                minifat.append(start + i + 1 if i < n - 1 else END)
            e["start"] = start if d else END
        else:
            e["start"] = alloc(d)
    root_start = alloc(bytes(mini)) if mini else END
    entries[0]["start"], entries[0]["size"] = root_start, len(mini)
    minifat_bytes = b"".join(struct.pack("<I", x) for x in minifat)
    minifat_start = alloc(minifat_bytes) if minifat else END
    n_minifat = -(-len(minifat_bytes) // 512) if minifat else 0
    # directory entries (siblings as a right-leaning chain: every reader walks it)
    for e in entries:
        kids = sorted(e["children"], key=lambda i: (len(entries[i]["name"]), entries[i]["name"].upper()))
        e["child"] = kids[0] if kids else FREE
        for a, b in zip(kids, kids[1:]):
            entries[a]["right"] = b
    dir_bytes = bytearray()
    for e in entries:
        name = e["name"].encode("utf-16-le") + b"\0\0"
        size = e.get("size", len(e["data"]))
        start = e.get("start", 0 if e["type"] == 1 else END)
        dir_bytes += (name.ljust(64, b"\0") + struct.pack("<HBBIII", len(name), e["type"], 1, FREE,
                                                           e.get("right", FREE), e["child"])
                      + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<III", start, size, 0))
    dir_start = alloc(bytes(dir_bytes))
    # FAT sectors (their own entries included)
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * 128:
        n_fat += 1
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * 128 - len(fat))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)
    for i in range(n_fat):
        sectors.append(fat_bytes[i * 512:(i + 1) * 512])
    difat = [fat_start + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, 4096, minifat_start, n_minifat, END, 0)
              + b"".join(struct.pack("<I", x) for x in difat))
    return header + b"".join(sectors)


# -- HWP records -------------------------------------------------------------------------------
B = 0x10
PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER, TABLE, PARA_SHAPE = B + 50, B + 51, B + 55, B + 56, B + 61, B + 9
SHAPE_COMPONENT, DISTRIBUTE = B + 60, B + 12


def rec(tag: int, level: int, data: bytes) -> bytes:
    if len(data) >= 0xFFF:
        return struct.pack("<II", tag | (level << 10) | (0xFFF << 20), len(data)) + data
    return struct.pack("<I", tag | (level << 10) | (len(data) << 20)) + data


def _ctrl_chars(cid: str) -> bytes:
    """The 8-unit placeholder of an extended control in PARA_TEXT."""
    code = 11  # drawing/table
    raw = cid.encode("latin-1")[::-1]
    return struct.pack("<H", code) + raw + b"\0" * 8 + struct.pack("<H", code)


def _para(level: int, text: str, shape: int = 0, ctrls: list[tuple[str, bytes]] = ()) -> bytes:
    body = b"".join(_ctrl_chars(cid) for cid, _ in ctrls) + text.encode("utf-16-le") + b"\r\0"
    n = len(body) // 2
    out = rec(PARA_HEADER, level, struct.pack("<IIHBB", n, 0, shape, 0, 0) + b"\0" * 12)
    out += rec(PARA_TEXT, level + 1, body)
    for cid, payload in ctrls:
        out += payload
    return out


def _cid(cid: str) -> bytes:
    return struct.pack("<I", int.from_bytes(cid.encode("latin-1"), "big"))


def _table(level: int, rows: list[list]) -> bytes:
    """A table control at *level* (the CTRL_HEADER's level). A cell is text or (text, rowspan, colspan)."""
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    out = rec(CTRL_HEADER, level, _cid("tbl ") + b"\0" * 40)
    out += rec(TABLE, level + 1, struct.pack("<IHH", 0, n_rows, n_cols) + b"\0" * 10
               + b"".join(struct.pack("<H", len(r)) for r in rows) + b"\0\0")
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            text, rs, cs = (cell, 1, 1) if isinstance(cell, str) else cell
            out += rec(LIST_HEADER, level + 1, struct.pack("<hHI", 1, 0, 0) + struct.pack("<HHHH", col, r, cs, rs)
                       + b"\0" * 18)
            out += _para(level + 1, text)
            col += cs
    return out


def _section(blocks: list[tuple]) -> bytes:
    out = b""
    for b in blocks:
        kind = b[0]
        if kind == "heading":
            out += _para(0, b[2], shape=b[1])  # para shape k = outline level k
        elif kind == "text":
            out += _para(0, b[1])
        elif kind == "item":
            out += _para(0, b[1], shape=9)
        elif kind == "table":
            out += _para(0, "", ctrls=[("tbl ", _table(1, b[1]))])
        elif kind == "textbox":
            box = rec(CTRL_HEADER, 1, _cid("gso ") + b"\0" * 40) + rec(SHAPE_COMPONENT, 2, b"\0" * 40)
            box += rec(LIST_HEADER, 3, struct.pack("<hHI", 1, 0, 0) + b"\0" * 8) + _para(3, b[1])
            out += _para(0, "", ctrls=[("gso ", box)])
        elif kind == "footnote":
            note = rec(CTRL_HEADER, 1, _cid("fn  ") + b"\0" * 8)
            note += rec(LIST_HEADER, 2, struct.pack("<hHI", 1, 0, 0) + b"\0" * 8) + _para(2, b[2])
            out += _para(0, b[1], ctrls=[("fn  ", note)])
    return out


def _docinfo() -> bytes:
    """Paragraph shapes: 0 body, 1-7 outline levels 1-7 (개요), 9 a bulleted item."""
    out = b""
    for k in range(10):
        props = 0
        if 1 <= k <= 7:
            props = (1 << 23) | ((k - 1) << 25)
        elif k == 9:
            props = 3 << 23
        out += rec(PARA_SHAPE, 0, struct.pack("<I", props) + b"\0" * 50)
    return out


def _msvc(seed: int):
    s = seed
    while True:
        s = (s * 214013 + 2531011) & 0xFFFFFFFF
        yield (s >> 16) & 0x7FFF


def _distribution(section: bytes, seed: int = 0x1234ABCD) -> bytes:
    """*section* (already deflated if the file is compressed) as a ViewText stream."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes(range(0x30, 0x40))  # what the Hangul program derives from the document; any 16 bytes
    plain = bytearray(struct.pack("<I", seed) + bytes(252))
    offset = 4 + (seed & 0x0F)
    plain[offset:offset + 16] = key
    rnd = _msvc(seed)
    mask = bytearray()
    while len(mask) < 256:
        fill = next(rnd) & 0xFF
        mask += bytes([fill]) * ((next(rnd) & 0x0F) + 1)
    scrambled = bytes(plain[:4]) + bytes(a ^ b for a, b in zip(plain[4:], mask[4:256]))
    padded = section + b"\0" * (-len(section) % 16)
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return rec(DISTRIBUTE, 0, scrambled) + enc.update(padded) + enc.finalize()


def hwp(blocks: list[tuple] | list[list[tuple]], path: Path, compressed: bool = True, distributed: bool = False,
        password: bool = False) -> Path:
    """An HWP 5 file of *blocks* (or a list of sections of blocks)."""
    sections = blocks if blocks and isinstance(blocks[0], list) else [blocks]
    flags = (1 if compressed else 0) | (2 if password else 0) | (4 if distributed else 0)
    header = b"HWP Document File".ljust(32, b"\0") + bytes([0, 0, 1, 5]) + struct.pack("<I", flags)
    header = header.ljust(256, b"\0")

    def deflate(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush()

    streams = {"FileHeader": header, "DocInfo": deflate(_docinfo()) if compressed else _docinfo()}
    for k, sec in enumerate(sections):
        data = _section(sec)
        data = deflate(data) if compressed else data
        if distributed:
            streams[f"ViewText/Section{k}"] = _distribution(data, seed=0x1234ABCD + k)
            streams[f"BodyText/Section{k}"] = deflate(_section([("text", "이 문서는 배포용 문서입니다.")])) \
                if compressed else _section([("text", "이 문서는 배포용 문서입니다.")])
        else:
            streams[f"BodyText/Section{k}"] = data
    Path(path).write_bytes(cfb(streams))
    return Path(path)


# -- HWPX --------------------------------------------------------------------------------------
HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HS = "http://www.hancom.co.kr/hwpml/2011/section"
HH = "http://www.hancom.co.kr/hwpml/2011/head"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _hp(text: str, shape: int = 0, inner: str = "") -> str:
    t = f"<hp:t>{_esc(text)}</hp:t>" if text else ""
    return f'<hp:p paraPrIDRef="{shape}" styleIDRef="0"><hp:run charPrIDRef="0">{inner}{t}</hp:run></hp:p>'


def _hwpx_table(rows: list[list]) -> str:
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    trs = []
    for r, row in enumerate(rows):
        tcs, col = [], 0
        for cell in row:
            text, rs, cs = (cell, 1, 1) if isinstance(cell, str) else cell
            tcs.append(f'<hp:tc><hp:subList>{_hp(text)}</hp:subList><hp:cellAddr colAddr="{col}" rowAddr="{r}"/>'
                       f'<hp:cellSpan colSpan="{cs}" rowSpan="{rs}"/></hp:tc>')
            col += cs
        trs.append("<hp:tr>" + "".join(tcs) + "</hp:tr>")
    return f'<hp:tbl rowCnt="{n_rows}" colCnt="{n_cols}">' + "".join(trs) + "</hp:tbl>"


def hwpx(blocks: list[tuple] | list[list[tuple]], path: Path) -> Path:
    """An HWPX (OWPML) file of *blocks* (or a list of sections of blocks)."""
    sections = blocks if blocks and isinstance(blocks[0], list) else [blocks]
    parts = {}
    for k, sec in enumerate(sections):
        ps = []
        for b in sec:
            if b[0] == "heading":
                ps.append(_hp(b[2], shape=b[1]))
            elif b[0] == "text":
                ps.append(_hp(b[1]))
            elif b[0] == "item":
                ps.append(_hp(b[1], shape=9))
            elif b[0] == "table":
                ps.append(_hp("", inner=_hwpx_table(b[1])))
            elif b[0] == "textbox":
                ps.append(_hp("", inner=f"<hp:rect><hp:drawText><hp:subList>{_hp(b[1])}</hp:subList></hp:drawText></hp:rect>"))
            elif b[0] == "footnote":
                ps.append(_hp(b[1], inner=f"<hp:ctrl><hp:footNote><hp:subList>{_hp(b[2])}</hp:subList></hp:footNote></hp:ctrl>"))
        parts[f"Contents/section{k}.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">'
                                             + "".join(ps) + "</hs:sec>")
    pprs = []
    for k in range(10):
        kind, level = ("OUTLINE", k - 1) if 1 <= k <= 7 else ("BULLET", 0) if k == 9 else ("NONE", 0)
        pprs.append(f'<hh:paraPr id="{k}"><hh:heading type="{kind}" idRef="0" level="{level}"/></hh:paraPr>')
    parts["Contents/header.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><hh:head xmlns:hh="{HH}"><hh:refList>'
                                    f'<hh:paraProperties>{"".join(pprs)}</hh:paraProperties></hh:refList></hh:head>')
    items = "".join(f'<opf:item id="section{k}" href="Contents/section{k}.xml" media-type="application/xml"/>'
                    for k in range(len(sections)))
    spine = "".join(f'<opf:itemref idref="section{k}"/>' for k in range(len(sections)))
    parts["Contents/content.hpf"] = ('<?xml version="1.0" encoding="UTF-8"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/">'
                                     f'<opf:manifest>{items}</opf:manifest><opf:spine>{spine}</opf:spine></opf:package>')
    parts["version.xml"] = '<?xml version="1.0" encoding="UTF-8"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" major="5" minor="1"/>'
    parts["META-INF/container.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container">'
                                       '<ocf:rootfiles><ocf:rootfile full-path="Contents/content.hpf" media-type="application/hwpml-package+xml"/></ocf:rootfiles></ocf:container>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return Path(path)
