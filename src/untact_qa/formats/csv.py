"""CSV and TSV through the standard library: the delimiter is sniffed, the encoding is
UTF-8 (with or without BOM), UTF-16 with a BOM or CP949 (Excel's "CSV" on Korean Windows).
The file reads like one worksheet (see :mod:`untact_qa.formats.xlsx`); locations are rows."""

from __future__ import annotations

import csv as _csv
import io
from pathlib import Path

from .base import Extracted, Limits, TextBuilder, refuse
from .xlsx import write_table

name = "csv"
suffixes = (".csv", ".tsv")


def sniff(head: bytes) -> bool:
    """CSV has no signature: chosen by suffix only."""
    return False


def decode(raw: bytes, fname: str) -> str:
    """The text of a CSV file in the encodings Korean spreadsheets save."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for enc in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise refuse(fname, "not UTF-8, UTF-16 or CP949 text; re-save it as CSV UTF-8",
                 "문자 인코딩을 알 수 없는 CSV입니다. 'CSV UTF-8' 형식으로 다시 저장해 올려 주세요.")


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """The rows of a CSV/TSV file as a table."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(fname, "looks like a binary file, not CSV text", "CSV 텍스트가 아닌 바이너리 파일로 보입니다.")
    text = decode(raw, fname)
    sample = text[:20_000]
    delims = "\t" if fname.lower().endswith(".tsv") else ",;\t|"
    try:
        dialect = _csv.Sniffer().sniff(sample, delimiters=delims)
    except _csv.Error:
        dialect = _csv.excel_tab if "\t" in sample and "," not in sample else _csv.excel
    _csv.field_size_limit(1 << 20)
    try:
        rows = [(i, r) for i, r in enumerate(_csv.reader(io.StringIO(text), dialect), 1) if any(c.strip() for c in r)]
    except _csv.Error as exc:
        raise refuse(fname, f"malformed CSV ({exc})", "CSV 형식이 올바르지 않습니다 (따옴표나 구분자를 확인해 주세요).") from exc
    out = TextBuilder(name, limits, fname)
    write_table(out, rows, lambda r: f"{r}행")
    return out.result()
