"""OCR of scanned PDF pages with Tesseract (Apache-2.0) and its Korean model, from Debian's
``tesseract-ocr`` and ``tesseract-ocr-kor`` (``make ocr`` installs them). Each page is
rendered by PDFium at :data:`DPI` and piped to ``tesseract - - -l kor+eng`` as a PNG; one
Tesseract thread per page (``OMP_THREAD_LIMIT=1``) keeps the shared cores free and the CPU
limit per page meaningful. Progress is reported per page, so the caller's clock can follow.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

from ..config import child_environment
from .base import Limits, refuse

DPI = 300  # 11-pt Korean needs ~300 dpi: at 200 dpi Tesseract merges 받침 into the next syllable
LANGS = "kor+eng"
# Page segmentation: 4 (one column of text of varying sizes). The automatic layout analysis (3)
# took the report's double-spaced lines for columns and returned fragments; one thread is
# also faster than four on two shared cores (bench/results.md, "OCR").
PSM = "4"
INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-kor"


def available() -> str | None:
    """None when Tesseract and its Korean model are installed, else what is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        return "tesseract"
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return "tesseract"
    return None if "kor" in langs else "tesseract-ocr-kor"


def missing_error(fname: str, what: str, pages: int):
    """The refusal when a scanned PDF needs OCR that is not installed."""
    return refuse(fname, f"{pages} page(s) are scanned images and need OCR, but {what} is not installed on the "
                         f"server; install it with `{INSTALL}` (or `make ocr`), or add a text version",
                  f"스캔한 이미지로 된 쪽이 {pages}쪽 있어 글자 인식(OCR)이 필요하지만, 서버에 {what}가 설치되어 "
                  f"있지 않습니다. 관리자가 '{INSTALL}'(또는 make ocr)로 설치하거나, 텍스트 버전을 올려 주세요.")


def ocr_image(png: bytes, fname: str) -> str:
    """Tesseract's text of one PNG page image."""
    # one thread: the reader process is CPU-limited, and a page is small
    env = child_environment(OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(["tesseract", "-", "-", "-l", LANGS, "--psm", PSM], input=png, capture_output=True,
                              env=env, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise refuse(fname, f"OCR failed ({exc})", "글자 인식(OCR)에 실패했습니다. 텍스트 버전을 올려 주세요.") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise refuse(fname, f"OCR failed (tesseract exit {proc.returncode}: {err[0]})",
                     "글자 인식(OCR)에 실패했습니다 (스캔 쪽이 너무 크거나 손상되었을 수 있습니다). 텍스트 버전을 올려 주세요.")
    return proc.stdout.decode("utf-8", "replace")


# Tesseract reads the report's "□" outline bullet as "|", "[|", "ㅁ" or "口": put it back, so the
# outline headings of a scanned report still become sections.
_BOX = re.compile(r"^\s*(?:\[\||\|\]?|ㅁ|口|O|0)\s+(?=\S)")
_JAMO = re.compile("[\u3131-\u318e]")


def tidy(text: str) -> str:
    """OCR output with "□" bullets restored and noise lines dropped (a few characters with
    lone jamo or no letters at all: specks and ruled lines read as text)."""
    out = []
    for line in text.split("\n"):
        core = "".join(line.split())
        if core and len(core) <= 6 and (_JAMO.search(core) or not re.search(r"[가-힣A-Za-z0-9]{2}", core)):
            continue
        out.append(_BOX.sub("□ ", line) if len(core) <= 40 else line)
    return "\n".join(out)


def render_png(page, dpi: int = DPI) -> bytes:
    """One PDF page as a grey PNG at *dpi*."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    image = bitmap.to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def ocr_pages(doc, indexes: list[int], fname: str, limits: Limits) -> list[str]:
    """The OCR text of pages *indexes* of the pypdfium2 document *doc*."""
    missing = available()
    if missing:
        raise missing_error(fname, missing, len(indexes))
    say = limits.progress or (lambda stage, done, total: None)
    out = []
    for k, i in enumerate(indexes):
        say("ocr", k, len(indexes))
        page = doc[i]
        try:
            png = render_png(page)
        finally:
            page.close()
        out.append(tidy(ocr_image(png, fname)))
    say("ocr", len(indexes), len(indexes))
    return out
