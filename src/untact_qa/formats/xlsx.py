"""XLSX (Excel) through openpyxl (MIT), read-only with the values Excel last calculated:
every worksheet a section headed by its name; title lines above the table stay paragraphs;
the first row of two or more filled cells that names columns is the header, and every row
under it becomes ``헤더: 값 | 헤더: 값``. Numbers read as Excel shows them (percent formats as
"90%", thousands separators, dates as 2024-03-01). Locations are sheet rows ("'매출' 시트 5행")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .base import Extracted, Limits, TextBuilder, refuse
from .containers import ZIP_MAGIC, open_zip

name = "xlsx"
suffixes = (".xlsx", ".xlsm")
KIND = "XLSX"


def sniff(head: bytes) -> bool:
    """A zip (the member names decide which Office format)."""
    return head.startswith(ZIP_MAGIC)


def cell_text(value, number_format: str = "General") -> str:
    """A cell's value as Excel displays it (the common formats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        fmt = number_format or "General"
        decimals = len(fmt.split(".", 1)[1].rstrip("%;_)\" ").split("%")[0].rstrip("_)")) if "." in fmt else 0
        decimals = min(decimals, 6)
        if "%" in fmt:
            return f"{value * 100:.{decimals}f}%"
        if isinstance(value, float) and value.is_integer() and not decimals:
            value = int(value)
        if "," in fmt:
            return f"{value:,.{decimals}f}" if decimals or isinstance(value, float) else f"{value:,}"
        if isinstance(value, float):
            return f"{value:.{decimals}f}" if decimals else f"{round(value, 6):g}" if abs(value) < 1e15 else str(value)
        return str(value)
    return str(value)


def sheet_rows(ws) -> list[tuple[int, list[str]]]:
    """``(Excel row number, displayed cell texts)`` of every non-empty row."""
    out = []
    for row in ws.iter_rows():
        cells = [cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
        if any(x.strip() for x in cells):
            num = next((c.row for c in row if getattr(c, "row", None)), len(out) + 1)
            out.append((num, cells))
    return out


def write_table(out: TextBuilder, rows: list[tuple[int, list[str]]], where) -> None:
    """Title lines (one filled cell) before the table as paragraphs; the rest as a table."""
    k = 0
    while k < len(rows) and sum(1 for c in rows[k][1] if c.strip()) < 2:
        text = next(c for c in rows[k][1] if c.strip())
        out.paragraph(text, where(rows[k][0]))
        k += 1
    body = rows[k:]
    if body:
        out.table([r for _, r in body], label_of=lambda i: where(body[i][0]))


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """Every worksheet as a section of table rows, located by sheet and row."""
    open_zip(path, fname, limits, KIND).close()
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise refuse(fname, f"not a readable XLSX file ({type(exc).__name__}: {exc})",
                     "XLSX 파일을 읽을 수 없습니다 (손상되었거나 Excel 문서가 아닙니다). Excel에서 다시 저장해 올려 주세요.") from exc
    out = TextBuilder(name, limits, fname)
    try:
        for ws in wb.worksheets:
            rows = sheet_rows(ws)
            if not rows:
                continue
            title = ws.title
            out.heading(1, title, f"'{title}' 시트")
            write_table(out, rows, lambda r, t=title: f"'{t}' 시트 {r}행")
    finally:
        wb.close()
    return out.result()
