"""PDF text extractors side by side on the ingestion tests' generated Korean PDFs.

``.venv/bin/pip install pypdfium2 pdfminer.six && .venv/bin/python bench/extractors.py``

For each extractor: the share of source sentences that come out whole and correctly cited
after the repair step (the measure of tests/text/test_ingestion.py), CPU seconds to extract,
and CPU seconds on a one-page PDF of many text-drawing commands (the upload stall of
issue 18). The numbers go to bench/results.md by hand.
"""

from __future__ import annotations

import platform
import sys
import time
import unicodedata
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdfdocs import make_pdf, score, source_sentences  # noqa: E402
from test_ingestion import _constitution_blocks, _korquad_blocks  # noqa: E402

from untact_qa.schema import Document  # noqa: E402
from untact_qa.textrepair import repair  # noqa: E402


def pypdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n\f".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def pdfium_text(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return "\n\f".join(page.get_textpage().get_text_range().replace("\r\n", "\n") for page in doc)
    finally:
        doc.close()


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).replace("\x0c", "\n\f")


EXTRACTORS = {"pypdf": pypdf_text, "pypdfium2": pdfium_text, "pdfminer.six": pdfminer_text}


def bomb(path: Path, n: int) -> Path:
    """One page whose content stream is *n* text-drawing commands (Flate-compressed)."""
    content = b"BT /F1 12 Tf\n" + b"1 0 0 1 10 10 Tm (a) Tj\n" * n + b"ET\n"
    data = zlib.compress(content, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def main() -> None:
    tmp = Path("/tmp/untact-qa-extractors")
    tmp.mkdir(exist_ok=True)
    cases = {"wikipedia-a": (_korquad_blocks(0, 12), {"width": 34, "header": "위키백과 발췌"}, False),
             "wikipedia-b": (_korquad_blocks(12, 30), {"width": 28, "header": "위키백과 발췌 2"}, False),
             "constitution": (_constitution_blocks(), {"width": 36, "header": "대한민국헌법"}, True)}
    pdfs = {name: (make_pdf(blocks, tmp / f"{name}.pdf", **layout), source_sentences(blocks, statute=statute))
            for name, (blocks, layout, statute) in cases.items()}
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    print("| extractor | sentences whole | cited right | CPU s (3 PDFs) | bomb 20k ops s | bomb 80k ops s |")
    print("|---|---|---|---|---|---|")
    for ex_name, fn in EXTRACTORS.items():
        total = whole = cited = 0
        cpu = 0.0
        for name, (pdf, sents) in pdfs.items():
            t = time.process_time()
            text = fn(pdf)
            cpu += time.process_time() - t
            doc = Document(f"{name}.txt", unicodedata.normalize("NFC", text))
            w, c, _ = score(sents, doc, repair(doc.text, name=doc.doc_id))
            total, whole, cited = total + len(sents), whole + w, cited + c
        bombs = []
        for n in (20_000, 80_000):
            p = bomb(tmp / f"bomb-{n}.pdf", n)
            t = time.process_time()
            fn(p)
            bombs.append(time.process_time() - t)
        print(f"| {ex_name} | {whole}/{total} ({whole / total:.1%}) | {cited}/{total} ({cited / total:.1%}) "
              f"| {cpu:.2f} | {bombs[0]:.2f} | {bombs[1]:.2f} |")


if __name__ == "__main__":
    main()
