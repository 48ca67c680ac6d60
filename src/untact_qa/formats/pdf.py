"""PDF through pypdfium2 (PDFium, Apache-2.0/BSD): the text of every page, pages separated
by a form feed (as pdftotext writes it; the "pdf" repair profile reads it as page evidence).
A page without a text layer (a scan, a photographed page) is rendered and read by Tesseract
OCR (:mod:`untact_qa.formats.ocr`) when it is installed, and said to be missing otherwise.
Locations are pages ("3쪽")."""

from __future__ import annotations

from pathlib import Path

from .base import Extracted, Limits, normalize_chars, refuse, too_long

name = "pdf"
suffixes = (".pdf",)

# A page with fewer characters than this but with images is a scan (a stray page number or
# a scanner's stamp on an image page is not its text).
MIN_PAGE_CHARS = 20


def sniff(head: bytes) -> bool:
    """PDF files start with ``%PDF``."""
    return head.startswith(b"%PDF")


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    try:
        for obj in page.get_objects(max_depth=2):
            if obj.type in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
                return True
    except Exception:  # noqa: BLE001 - an unreadable object list: treat the page as text
        return False
    return False


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """Page texts (OCR for image-only pages), each page a location."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise refuse(fname, "the PDF is encrypted; save an unlocked copy",
                         "암호가 걸린 PDF입니다. 잠금을 푼 사본을 올려 주세요.") from exc
        raise refuse(fname, f"not a readable PDF ({exc})",
                     "읽을 수 없는 PDF입니다. 파일이 손상되지 않았는지 확인해 주세요.") from exc
    pages: list[str] = []
    scans: list[int] = []
    total = 0
    try:
        for i, page in enumerate(doc):
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            if len(text.strip()) < MIN_PAGE_CHARS and _has_image(page):
                scans.append(i)
            page.close()
            pages.append(text)
            total += len(text) + 2
            if limits.max_chars is not None and total > limits.max_chars:
                raise too_long(fname, limits.max_chars)
        notes = []
        if scans:
            from .ocr import ocr_pages

            texts = ocr_pages(doc, scans, fname, limits)
            for i, t in zip(scans, texts):
                if len(t.strip()) > len(pages[i].strip()):
                    pages[i] = t
            notes.append(f"글자 인식(OCR) {len(scans)}쪽")
            total = sum(len(p) + 2 for p in pages)
            if limits.max_chars is not None and total > limits.max_chars:
                raise too_long(fname, limits.max_chars)
    except pdfium.PdfiumError as exc:
        raise refuse(fname, f"not a readable PDF ({exc})",
                     "읽을 수 없는 PDF입니다. 파일이 손상되지 않았는지 확인해 주세요.") from exc
    finally:
        doc.close()
    pages = [normalize_chars(p) for p in pages]
    text = "\n\f".join(pages)
    if not text.strip():
        raise refuse(fname, "the PDF has no extractable text (a scanned image?); add a text version",
                     "PDF에서 글자를 추출할 수 없습니다 (스캔 이미지일 수 있습니다). 텍스트 버전을 올려 주세요.")
    locations, line = [], 1
    for k, p in enumerate(pages, 1):
        locations.append((line, f"{k}쪽"))
        line += p.count("\n") + 1
    return Extracted(text, locations, name, notes, profile="pdf")
