"""Scanned PDFs for the OCR tests and the bench: a text rendered to a PDF page by page (the
report's lines as they are, NanumGothic 11 pt like pdfdocs.py), every page rasterised by
PDFium and put back as an image-only page — what a scanner or "print to image" produces."""

from __future__ import annotations

import io
from pathlib import Path


def font_path() -> Path:
    import koreanize_matplotlib

    return Path(koreanize_matplotlib.__file__).parent / "fonts" / "NanumGothic.ttf"


def text_pdf(lines: list[str], path: Path, lines_per_page: int = 40, size: int = 11) -> Path:
    """*lines* as an A4 text PDF, one PDF line per line (blank lines kept as gaps)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("nanum", fname=str(font_path()))
    pdf.set_font("nanum", size=size)
    for start in range(0, len(lines), lines_per_page):
        pdf.add_page()
        y = 15.0
        for line in lines[start:start + lines_per_page]:
            if line.strip():
                pdf.set_xy(15, y)
                pdf.cell(180, 6, line.replace("\t", " ")[:120])
            y += 6.5
    pdf.output(str(path))
    return path


def image_only(text_pdf_path: Path, path: Path, dpi: int = 150, first: int = 0, last: int | None = None) -> Path:
    """The pages *first*..*last* of a PDF rasterised at *dpi* (JPEG) into an image-only PDF."""
    import pypdfium2 as pdfium
    from fpdf import FPDF

    src = pdfium.PdfDocument(str(text_pdf_path))
    out = FPDF(format="A4", unit="mm")
    out.set_auto_page_break(False)
    try:
        for i in range(first, len(src) if last is None else min(last, len(src))):
            page = src[i]
            img = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=80)
            buf.seek(0)
            out.add_page()
            out.image(buf, x=0, y=0, w=210, h=297)
    finally:
        src.close()
    out.output(str(path))
    return path
