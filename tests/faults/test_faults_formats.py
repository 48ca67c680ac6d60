"""Hostile and broken containers: zip bombs (too many members, a member that inflates too far,
declared sizes that add up past the total), damaged zips, XML entity bombs, damaged OLE files,
HWP sections that inflate past the budget. Each is refused with a Korean reason before it costs
memory; inputs are sized against the limits with wide margins (10x or more), no clocks."""

from __future__ import annotations

import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "formats"))

import hwpwriter  # noqa: E402

from untact_qa.errors import CorpusError  # noqa: E402
from untact_qa.formats import Limits  # noqa: E402


def _refused(path: Path, name: str, limits: Limits | None = None, isolated: bool = False) -> str:
    from untact_qa.extract import extract_document
    from untact_qa.formats import extract

    with pytest.raises(CorpusError) as err:
        if isolated:
            extract_document(path, name)
        else:
            extract(path, name, limits or Limits())
    return err.value.korean()


def test_a_zip_of_too_many_members_is_refused_by_its_directory(tmp_path):
    """20,000 empty members: twice the default limit of 10,000, through the limited reader."""
    path = tmp_path / "많은파일.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        for i in range(20_000):
            zf.writestr(f"x/{i}", b"")
    msg = _refused(path, path.name, isolated=True)
    assert "20,001개로 한도(10,000개)를 넘어" in msg and "압축 폭탄" in msg


def test_a_member_that_inflates_too_far_is_refused_before_inflating(tmp_path):
    """64 MB of zeros deflate ~1000x: ten times the 100x limit, refused from the directory."""
    path = tmp_path / "폭탄.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 << 20))
    assert path.stat().st_size < 1 << 20
    msg = _refused(path, path.name, isolated=True)
    assert "배로 풀려 한도(100배)를 넘어" in msg


def test_declared_sizes_past_the_total_are_refused(tmp_path):
    """Members that claim 40 x 100 MB (4 GB: 16x the 256 MB total) in the central directory —
    an overlapping-file bomb declares sizes like these; the claim alone is refused."""
    path = tmp_path / "겹침.pptx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("ppt/presentation.xml", "<p/>")
        for i in range(40):
            zf.writestr(f"ppt/media/{i}.bin", b"x" * 100)
    raw = bytearray(path.read_bytes())
    # central directory headers: uncompressed size at +24; make every media member claim 100 MB
    # and its compressed size 10 MB (so the ratio check does not fire first)
    pos = 0
    while (pos := raw.find(b"PK\x01\x02", pos)) >= 0:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46:pos + 46 + name_len].startswith(b"ppt/media/"):
            struct.pack_into("<II", raw, pos + 20, 10 << 20, 100 << 20)
        pos += 4
    path.write_bytes(bytes(raw))
    msg = _refused(path, path.name, isolated=True)
    assert "256 MB를 넘어 읽지 않았습니다" in msg


@pytest.mark.parametrize("name", ["잘림.docx", "잘림.hwpx", "잘림.xlsx", "잘림.pptx"])
def test_damaged_zips_are_refused_in_korean(tmp_path, name):
    sys.path.insert(0, str(ROOT / "tests" / "formats"))
    import docmakers

    docs = docmakers.make_all(tmp_path / "docs")
    source = {".docx": "원격근무거점.docx", ".hwpx": "비대면진료.hwpx", ".xlsx": "온라인매출.xlsx",
              ".pptx": "스마트물류.pptx"}[Path(name).suffix]
    data = docs[source].read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])  # the central directory is gone
    msg = _refused(path, name, isolated=True)
    assert "손상" in msg or "열 수 없습니다" in msg, msg


def test_an_xml_entity_bomb_is_refused(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + ']><hs:sec xmlns:hs="s"><p>&lol9;</p></hs:sec>')
    path = tmp_path / "웃음.hwpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/hwp+zip")
        zf.writestr("Contents/section0.xml", laughs)
    msg = _refused(path, path.name, isolated=True)
    assert "DOCTYPE" in msg


def test_damaged_ole_files_are_refused_in_korean(tmp_path):
    good = hwpwriter.hwp([("text", "본문")], tmp_path / "good.hwp")
    data = good.read_bytes()
    cases = {
        "머리만.hwp": data[:512],  # the header, no sectors
        "쓰레기.hwp": data[:8] + bytes(range(256)) * 20,  # the magic, then noise
        "구멍.hwp": data[:1024] + b"\xff" * (len(data) - 1024),  # FAT and directory overwritten
    }
    for name, payload in cases.items():
        path = tmp_path / name
        path.write_bytes(payload)
        msg = _refused(path, name, isolated=True)
        assert "손상" in msg or "한글 5.0" in msg or "열 수 없습니다" in msg, (name, msg)


def test_an_hwp_section_that_inflates_past_the_budget_is_stopped(tmp_path):
    """A BodyText section deflated from 64 MB of zeros, read with a 4 MB budget (16x under)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = c.compress(b"\0" * (64 << 20)) + c.flush()
    header = (b"HWP Document File".ljust(32, b"\0") + bytes([0, 0, 1, 5]) + struct.pack("<I", 1)).ljust(256, b"\0")
    path = tmp_path / "압축폭탄.hwp"
    path.write_bytes(hwpwriter.cfb({"FileHeader": header, "BodyText/Section0": bomb}))
    msg = _refused(path, path.name, Limits(max_total=4 << 20))
    assert "4 MB를 넘어 읽지 않았습니다" in msg


def test_an_ole_file_of_too_many_streams_is_refused(tmp_path):
    """500 streams against a limit of 50."""
    streams = {f"S{i}": b"x" for i in range(500)}
    path = tmp_path / "많은항목.hwp"
    path.write_bytes(hwpwriter.cfb(streams))
    msg = _refused(path, path.name, Limits(max_entries=50))
    assert "500개로 한도(50개)를 넘어" in msg


def test_a_bad_distribution_record_is_refused_with_the_reason(tmp_path):
    header = (b"HWP Document File".ljust(32, b"\0") + bytes([0, 0, 1, 5]) + struct.pack("<I", 4)).ljust(256, b"\0")
    path = tmp_path / "배포용.hwp"
    path.write_bytes(hwpwriter.cfb({"FileHeader": header, "ViewText/Section0": b"\0" * 100}))
    msg = _refused(path, path.name)
    assert "배포용 문서의 본문을 풀지 못했습니다" in msg
