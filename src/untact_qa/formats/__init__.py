"""Document formats, chosen by file type from a small registry (one module per format):

| name | suffixes | reader | locations |
|---|---|---|---|
| ``hwp`` | .hwp | own HWP 5 record parser on olefile (배포용 documents decrypted) | 구역/문단 |
| ``hwpx`` | .hwpx | OWPML (zip + XML), own reader | 구역/문단 |
| ``docx`` | .docx | python-docx | 문단 |
| ``pptx`` | .pptx | python-pptx (titles, text, tables, notes) | 슬라이드 |
| ``xlsx`` | .xlsx, .xlsm | openpyxl (read-only, cached values) | 시트/행 |
| ``csv`` | .csv, .tsv | the standard library | 행 |
| ``html`` | .html, .htm | the standard library's parser, navigation left out | 문단 |
| ``pdf`` | .pdf | pypdfium2 text; Tesseract OCR for pages without text | 쪽 |

Plain text (.txt, .md) is read by :mod:`untact_qa.corpus` itself. A file whose first bytes
say it is another registered format than its suffix (a .doc that is really a DOCX, an HTML
page saved as .xls) is read as what it is. Every reader gets :class:`~.base.Limits` and raises
:class:`~untact_qa.errors.CorpusError` with a Korean reason; uploads run them in a limited
child process (:mod:`untact_qa.extract`).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from ..errors import CorpusError
from .base import Extracted, Format, Limits, TextBuilder, normalize_chars

__all__ = ["Extracted", "Format", "Limits", "REGISTRY", "SUFFIXES", "TEXT_SUFFIXES", "TextBuilder",
           "extract", "format_for", "is_supported", "normalize_chars", "page_of"]

# name -> module (imported when first used: python-pptx costs ~0.3 s to import)
_MODULES = {"hwp": "hwp", "hwpx": "hwpx", "docx": "docx", "pptx": "pptx", "xlsx": "xlsx", "csv": "csv",
            "html": "html", "pdf": "pdf"}
_SUFFIXES = {"hwp": (".hwp",), "hwpx": (".hwpx",), "docx": (".docx",), "pptx": (".pptx",),
             "xlsx": (".xlsx", ".xlsm"), "csv": (".csv", ".tsv"), "html": (".html", ".htm"), "pdf": (".pdf",)}
REGISTRY: dict[str, tuple[str, ...]] = dict(_SUFFIXES)
TEXT_SUFFIXES = (".txt", ".md")
# every suffix an upload or the corpus folder may have
SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + tuple(s for v in _SUFFIXES.values() for s in v)


def reader(name: str) -> Format:
    """The module of format *name* (it satisfies :class:`~.base.Format`)."""
    return import_module(f".{_MODULES[name]}", __name__)  # type: ignore[return-value]


def is_supported(filename: str) -> bool:
    """Can a file of this name be added (by its suffix)?"""
    return Path(filename).suffix.lower() in SUFFIXES


def format_for(path: Path, filename: str) -> str | None:
    """The registered format of the file at *path* (named *filename*): by its first bytes when
    they are decisive (zip, OLE, PDF), else by suffix; None for plain text."""
    suffix = Path(filename).suffix.lower()
    by_suffix = next((n for n, sx in _SUFFIXES.items() if suffix in sx), None)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return by_suffix
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "hwp" if by_suffix in (None, "hwp") else by_suffix  # an OLE .doc/.xls is refused by the hwp reader
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path) or by_suffix
    return by_suffix


def _zip_kind(path: Path) -> str | None:
    """Which Office/OWPML format a zip holds, from its member names."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist()[:2000])
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if any(n.startswith("Contents/section") for n in names):
        return "hwpx"
    return None


def extract(path: Path, filename: str, limits: Limits | None = None) -> Extracted:
    """The text and location map of a registered format's file (in this process: uploads go
    through :func:`untact_qa.extract.extract_document`, which runs this in a limited child)."""
    fmt = format_for(Path(path), filename)
    if fmt is None:
        raise CorpusError(f"{filename}: not a document format this reader knows",
                          ko=f"{filename}: 읽을 수 있는 문서 형식이 아닙니다.")
    out = reader(fmt).extract(Path(path), filename, limits or Limits())
    out.format = out.format or fmt
    if not out.text.strip():
        raise CorpusError(f"{filename}: no text was found in it",
                          ko=f"{filename}: 문서에서 글자를 찾지 못했습니다 (그림만 있는 문서일 수 있습니다).")
    return out


def page_of(label: str) -> int | None:
    """The page number of a PDF location label ("3쪽" → 3), for a viewer that shows the page."""
    import re

    m = re.fullmatch(r"(\d+)쪽", label.strip())
    return int(m.group(1)) if m else None
