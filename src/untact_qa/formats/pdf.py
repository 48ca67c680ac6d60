"""PDF through pypdfium2 (PDFium, Apache-2.0/BSD): the text of every page, pages separated
by a form feed (as pdftotext writes it; the "pdf" repair profile reads it as page evidence).
A page without a text layer (a scan, a photographed page) is rendered and read by Tesseract
OCR (:mod:`untact_qa.formats.ocr`) when it is installed, and said to be missing otherwise.
Locations are pages ("3쪽")."""

from __future__ import annotations

import unicodedata
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


# -- one page as an image, the cited text highlighted (the document viewer) --------------------
# The viewer shows the cited page at about 144 dpi (an A4 page is 1191 × 1684 px): sharp
# enough to read 9-pt text, small enough to send (~100–300 KB of PNG). No side is ever longer
# than MAX_SIDE, whatever the page's size.
VIEW_SCALE = 2.0
MAX_SIDE = 1800
HIGHLIGHT_FILL = (255, 200, 0, 90)  # translucent: the text under it stays readable
HIGHLIGHT_EDGE = (214, 120, 0, 255)


def _folded(ch: str) -> str:
    """*ch* as it is compared: compatibility forms folded (full-width digits, ㈜), whitespace
    and invisible characters gone, so the PDF's characters and the citation's text (line breaks
    joined, spaces changed by the repair) meet on the letters alone."""
    if ch.isspace() or not ch.isprintable():
        return ""
    return normalize_chars(unicodedata.normalize("NFKC", ch)).replace(" ", "")


def find_text(chars: list[str], quotes) -> tuple[int, int] | None:
    """The [first, last] char indexes of the first of *quotes* found in a page whose characters
    are *chars* (one string per PDFium char index), compared letters only (see :func:`_folded`)."""
    flat: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(chars):
        for f in _folded(ch):
            flat.append(f)
            owner.append(i)
    hay = "".join(flat)
    for quote in quotes:
        needle = "".join(_folded(ch) for ch in quote or "")
        if len(needle) < 2:
            continue
        at = hay.find(needle)
        if at >= 0:
            return owner[at], owner[at + len(needle) - 1]
    return None


def _merge(rects: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Text-run boxes of one highlight joined line by line (two runs of one line are one box,
    so their translucent fills do not overlap into a darker stripe)."""
    out: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(rects, key=lambda r: (round(r[1]), r[0])):
        if out:
            a = out[-1]
            overlap = min(a[3], y1) - max(a[1], y0)
            if overlap > 0.5 * min(a[3] - a[1], y1 - y0) and x0 - a[2] < (y1 - y0):
                a[0], a[1], a[2], a[3] = min(a[0], x0), min(a[1], y0), max(a[2], x1), max(a[3], y1)
                continue
        out.append([x0, y0, x1, y1])
    return [tuple(r) for r in out]


def render_page(path: Path, page_no: int, quotes=(), max_side: int = MAX_SIDE) -> dict:
    """Page *page_no* (1-based) of the PDF at *path* as PNG bytes, with the first of *quotes*
    found on the page highlighted by translucent boxes: ``{"png", "width", "height", "boxes",
    "pages"}`` (``boxes`` 0: nothing was found, e.g. an OCR page, which has no text layer).
    Raises IndexError for a page the file does not have."""
    import ctypes
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from PIL import Image, ImageDraw

    doc = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page_no <= len(doc):
            raise IndexError(page_no)
        page = doc[page_no - 1]
        w, h = page.get_size()
        scale = min(VIEW_SCALE, max_side / max(w, h, 1.0))
        image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        boxes: list[tuple[float, float, float, float]] = []
        textpage = page.get_textpage()
        try:
            n = textpage.count_chars()
            chars = [chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 32) for i in range(n)]
            found = find_text(chars, quotes) if n else None
            if found:
                first, last = found
                dx, dy = ctypes.c_int(), ctypes.c_int()

                def device(x: float, y: float) -> tuple[int, int]:
                    # the page's own rotation and crop box, as PDFium rendered it
                    pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, image.width, image.height, 0, x, y,
                                               ctypes.byref(dx), ctypes.byref(dy))
                    return dx.value, dy.value

                for k in range(textpage.count_rects(first, last - first + 1)):
                    left, bottom, right, top = textpage.get_rect(k)
                    (ax, ay), (bx, by) = device(left, top), device(right, bottom)
                    boxes.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        finally:
            textpage.close()
        pages = len(doc)
        page.close()
    finally:
        doc.close()
    boxes = _merge(boxes)
    if boxes:
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        pad = max(2, round(2 * scale))
        for x0, y0, x1, y1 in boxes:
            draw.rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE,
                           width=max(1, round(scale)))
        image = Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)
    return {"png": buf.getvalue(), "width": image.width, "height": image.height, "boxes": len(boxes),
            "pages": pages}
