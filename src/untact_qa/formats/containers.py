"""Opening containers without trusting them: zip files (DOCX, PPTX, XLSX, HWPX) and OLE
compound files (HWP 5), checked against :class:`~untact_qa.formats.base.Limits` before any
member is inflated.

A zip bomb is refused by its central directory: too many members, a member whose declared
inflated size is more than ``max_ratio`` times its compressed size (XML compresses 5-20x;
100x is a generous ceiling, checked only for members over ``ratio_floor`` since tiny members
have large ratios honestly), or declared sizes that add up to more than ``max_total``.
Python's zip reader never yields more than a member's declared size (and checks its CRC),
so the declared sizes bound what is inflated. Raw deflate streams inside an OLE file (HWP
sections) carry no declared size: :func:`inflate` stops at ``max_total``.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

from .base import Limits, refuse

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def open_zip(path: Path, name: str, limits: Limits, kind: str) -> zipfile.ZipFile:
    """The zip at *path*, once its directory passes the limits; a Korean refusal otherwise.
    *kind* names the format for the messages ("DOCX")."""
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise refuse(name, f"not a readable {kind} file (damaged zip: {exc})",
                     f"{kind} 파일을 열 수 없습니다 (압축 구조가 손상되었습니다). 원본 프로그램에서 다시 저장해 올려 주세요.") from exc
    check_zip(infos, name, limits, kind)
    return zf


def check_zip(infos: list[zipfile.ZipInfo], name: str, limits: Limits, kind: str) -> None:
    """Refuse a zip directory over the entry, ratio or total-size limits."""
    if len(infos) > limits.max_entries:
        raise refuse(name, f"the {kind} holds {len(infos):,} files, over the limit of {limits.max_entries:,} "
                           f"(a zip bomb?)",
                     f"{kind} 안에 파일이 {len(infos):,}개로 한도({limits.max_entries:,}개)를 넘어 읽지 않았습니다 "
                     f"(압축 폭탄일 수 있습니다).")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse(name, f"the {kind} is encrypted; save an unlocked copy",
                         f"암호가 걸린 {kind} 파일입니다. 암호를 푼 사본을 올려 주세요.")
        size = max(0, info.file_size)
        total += size
        if size > limits.ratio_floor and size > limits.max_ratio * max(1, info.compress_size):
            ratio = size / max(1, info.compress_size)
            raise refuse(name, f"{info.filename} inflates {ratio:,.0f}x ({size:,} bytes), over the limit of "
                               f"{limits.max_ratio}x (a zip bomb?)",
                         f"{kind} 안의 파일이 {ratio:,.0f}배로 풀려 한도({limits.max_ratio}배)를 넘어 읽지 않았습니다 "
                         f"(압축 폭탄일 수 있습니다).")
        if total > limits.max_total:
            raise refuse(name, f"the {kind} inflates to more than {limits.max_total >> 20:,} MB, over the limit "
                               f"(a zip bomb?)",
                         f"{kind}의 압축을 풀면 {limits.max_total >> 20:,} MB를 넘어 읽지 않았습니다 "
                         f"(압축 폭탄일 수 있습니다).")


def read_member(zf: zipfile.ZipFile, member: str, name: str, kind: str) -> bytes:
    """One member's bytes (the directory was checked by :func:`open_zip`); a damaged member
    (bad CRC, truncated data) is a Korean refusal."""
    try:
        return zf.read(member)
    except KeyError:
        raise refuse(name, f"the {kind} has no {member}; it is not a {kind} document",
                     f"{kind} 문서의 필수 부분({member})이 없습니다. 원본 프로그램에서 다시 저장해 올려 주세요.") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise refuse(name, f"{member} of the {kind} is damaged ({exc})",
                     f"{kind} 파일의 일부({member})가 손상되어 읽을 수 없습니다.") from exc


def parse_xml(data: bytes, name: str, kind: str) -> ET.Element:
    """An XML member, refusing a DOCTYPE (entity expansion: a "billion laughs" in a few KB)."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise refuse(name, f"the {kind} holds an XML document type declaration (entity expansion is not allowed)",
                     f"{kind} 안의 XML에 허용하지 않는 선언(DOCTYPE)이 있어 읽지 않았습니다.")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise refuse(name, f"the {kind} holds malformed XML ({exc})",
                     f"{kind} 안의 XML이 손상되어 읽을 수 없습니다.") from exc


def inflate(data: bytes, name: str, limits: Limits, budget: list[int], kind: str = "HWP") -> bytes:
    """Raw-deflate *data* (HWP streams), never producing more than what is left of the shared
    *budget* (``[bytes left]``, started at ``limits.max_total``)."""
    d = zlib.decompressobj(-15)
    out = []
    pos, step = 0, 1 << 16
    try:
        while pos < len(data) or d.unconsumed_tail:
            chunk = d.unconsumed_tail or data[pos:pos + step]
            if not d.unconsumed_tail:
                pos += step
            piece = d.decompress(chunk, 1 << 20)
            budget[0] -= len(piece)
            if budget[0] < 0:
                raise refuse(name, f"the {kind} inflates to more than {limits.max_total >> 20:,} MB, over the limit "
                                   f"(a compression bomb?)",
                             f"{kind}의 압축을 풀면 {limits.max_total >> 20:,} MB를 넘어 읽지 않았습니다 "
                             f"(압축 폭탄일 수 있습니다).")
            out.append(piece)
            if d.eof:
                break
    except zlib.error as exc:
        raise refuse(name, f"a compressed stream of the {kind} is damaged ({exc})",
                     f"{kind} 파일의 압축된 본문이 손상되어 읽을 수 없습니다.") from exc
    return b"".join(out)


def open_ole(path: Path, name: str, limits: Limits, kind: str = "HWP"):
    """The OLE compound file at *path* (olefile), once its directory passes the limits."""
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # noqa: BLE001 - olefile raises OSError, ValueError, IndexError… on damaged files
        raise refuse(name, f"not a readable {kind} file (damaged OLE container: {exc})",
                     f"{kind} 파일을 열 수 없습니다 (파일 구조가 손상되었습니다). 한글에서 다시 저장해 올려 주세요.") from exc
    try:
        streams = ole.listdir(streams=True, storages=False)
    except Exception as exc:  # noqa: BLE001
        ole.close()
        raise refuse(name, f"not a readable {kind} file (damaged directory: {exc})",
                     f"{kind} 파일의 목록 구조가 손상되어 읽을 수 없습니다.") from exc
    if len(streams) > limits.max_entries:
        ole.close()
        raise refuse(name, f"the {kind} holds {len(streams):,} streams, over the limit of {limits.max_entries:,}",
                     f"{kind} 안의 항목이 {len(streams):,}개로 한도({limits.max_entries:,}개)를 넘어 읽지 않았습니다.")
    total = 0
    for s in streams:
        try:
            total += ole.get_size("/".join(s))
        except Exception:  # noqa: BLE001
            continue
    if total > limits.max_total:
        ole.close()
        raise refuse(name, f"the {kind} declares {total >> 20:,} MB of streams, over the limit",
                     f"{kind} 안의 항목 크기가 한도({limits.max_total >> 20:,} MB)를 넘어 읽지 않았습니다.")
    return ole


def read_stream(ole, stream: str, name: str, kind: str = "HWP") -> bytes:
    """One OLE stream's bytes; a damaged one is a Korean refusal."""
    try:
        return ole.openstream(stream).read()
    except Exception as exc:  # noqa: BLE001
        raise refuse(name, f"the {kind} stream {stream} is damaged ({exc})",
                     f"{kind} 파일의 일부({stream})가 손상되어 읽을 수 없습니다.") from exc
