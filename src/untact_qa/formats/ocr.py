"""OCR of scanned PDF pages with Tesseract (Apache-2.0) and its Korean model, from Debian's
``tesseract-ocr`` and ``tesseract-ocr-kor`` (``make ocr`` installs them). Each page is
rendered by PDFium at :data:`DPI` and read in two passes, each one Tesseract process with
one thread (``OMP_THREAD_LIMIT=1``), which keeps the shared cores free and the CPU limit per
page meaningful:

1. the page as a PNG through ``tesseract -l kor`` (text and word boxes with confidences);
2. the words of that pass without Hangul (the Korean model reads Latin words as digits and
   symbols: "SaaS" → "53355", "VNPT" → "\\/41", "B2B" → "820") cut out of the page and read
   again by ``-l eng``, all of a page's in one call (a multi-page TIFF, one word group a
   page, its edges moved to gaps in the ink: :func:`crops_tiff`); the English reading
   replaces the Korean one when it is surer, or when the Korean one is not even shaped like
   a number (:func:`prefer_latin`).

The text is rebuilt from the word boxes with the spacing of Tesseract's own text output
(:func:`words_of`); lines of specks and glyph fragments, and second readings of a line, are
dropped by their boxes (:func:`drop_fragments`, :func:`drop_doubled`); :func:`tidy` restores
outline bullets, thousands separators and quotation marks that disagree.

``kor+eng`` in one pass lets the English model win on Korean words too ("근무로" → "CTS",
"매" → "Of") and was slower than both passes together; ``kor`` alone cannot read Latin
(bench/results.md, "OCR": answer accuracy over the scanned report 0.77 → 0.94 of 0.98).
Progress is reported per page, so the caller's clock can follow.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

from ..config import child_environment
from .base import Limits, refuse

DPI = 300  # 11-pt Korean needs ~300 dpi: at 200 dpi Tesseract merges 받침 into the next syllable
LANGS = "kor"  # the first pass
LATIN = "eng"  # the second pass, over the words of the first without Hangul
# Page segmentation: 4 (one column of text of varying sizes). The automatic layout analysis (3)
# took the report's double-spaced lines for columns and returned fragments; one thread is
# also faster than four on two shared cores (bench/results.md, "OCR").
PSM = "4"
LINE_PSM = "7"  # the second pass reads each cut-out word group as one line of text
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


def _tesseract(args: list[str], data: bytes, fname: str) -> bytes:
    """Tesseract's stdout for *data* on its stdin; one thread (the reader process is
    CPU-limited, and a page is small)."""
    env = child_environment(OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(["tesseract", "-", *args], input=data, capture_output=True, env=env, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise refuse(fname, f"OCR failed ({exc})", "글자 인식(OCR)에 실패했습니다. 텍스트 버전을 올려 주세요.") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise refuse(fname, f"OCR failed (tesseract exit {proc.returncode}: {err[0]})",
                     "글자 인식(OCR)에 실패했습니다 (스캔 쪽이 너무 크거나 손상되었을 수 있습니다). 텍스트 버전을 올려 주세요.")
    return proc.stdout


def ocr_image(png: bytes, fname: str, dpi: int = DPI, image=None) -> str:
    """Tesseract's text of one PNG page image rendered at *dpi* (both passes); *image*: the
    same page as a grey PIL image, when the caller has it (else *png* is decoded if needed)."""
    with tempfile.TemporaryDirectory(prefix="untact-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        # the text (with Tesseract's spacing) and the word boxes of the same reading
        _tesseract([base, "-l", LANGS, "--psm", PSM, "--dpi", str(dpi), "txt", "tsv"], png, fname)
        with open(base + ".txt", encoding="utf-8", errors="replace") as f:
            txt = f.read()
        with open(base + ".tsv", encoding="utf-8", errors="replace") as f:
            tsv = f.read()
    latin = ["-", "-l", LATIN, "--psm", LINE_PSM, "--dpi", str(dpi), "tsv"]
    return read_page(image if image is not None else png, txt, tsv,
                     lambda tiff: _tesseract(latin, tiff, fname).decode("utf-8", "replace"))


# -- the words of the first pass, and the second pass over the doubtful ones ------------------
@dataclass
class Word:
    """One word of Tesseract's TSV: its box in page pixels, confidence (0-100) and text;
    *space*: the text has a space before it (Korean words are often several TSV words)."""

    left: int
    top: int
    right: int
    bottom: int
    conf: float
    text: str
    space: bool = True


_HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff]")  # syllables and jamo
_SYLLABLE = re.compile("[\uac00-\ud7a3]")
_ALNUM = re.compile("[A-Za-z0-9]")
_LETTER = re.compile("[A-Za-z]")
# what a word of plain punctuation is made of; any other symbol ("|", "『", "\\") is a misread
_PUNCT = frozenset("-–—.,:;!?'\"‘’“”()[]·~%/…")
_BULLET_MARK = re.compile(r"\[?\|\]?|\[\]")  # "□" read as "|", "[|": left to tidy()
# a reading shaped like a number: "2019", "(131370)(-7.24%),", "0.01%~0.64%", "'2019"
_NUMBERLIKE = re.compile(r"[(\['\"‘“]*[-+~]?\d[\d.,~%:/()\-]*[)\]'\"’”.,;:]*")
SURE = 85.0  # an English reading this confident replaces digits of the same length
GUESS = 60.0  # a Korean reading below this confidence is a guess
# between two doubtful words, a word the Korean model is unsure of (below UNSURE) without a
# Hangul syllable, or below WEAK with one, is read again with them: it is a piece of the same word
UNSURE, WEAK = 90.0, 50.0
FRAGMENT = 0.5  # a line whose words are all under half the page's word height is a speck
SMALL, SMALL_CONF = 0.75, 70.0  # ... and so is a line under 3/4 of it read with little confidence


def words_of(tsv: str, txt: str) -> list[list[Word]] | None:
    """The lines of words of Tesseract's *tsv*, each word's *space* taken from *txt* (the
    same reading as text); None when the two do not line up."""
    lines: list[list[Word]] = []
    key = None
    for row in csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) < 12 or row[0] != "5" or not row[11].strip():
            continue
        try:
            left, top, width, height = (int(v) for v in row[6:10])
            conf = float(row[10])
        except ValueError:
            return None
        if tuple(row[1:5]) != key:
            key = tuple(row[1:5])
            lines.append([])
        lines[-1].append(Word(left, top, left + width, top + height, conf, row[11].strip()))
    text_lines = [line for line in txt.split("\n") if line.strip()]
    if len(text_lines) != len(lines):
        return None
    for words, line in zip(lines, text_lines):
        pos = 0
        for k, w in enumerate(words):
            start = pos
            while pos < len(line) and line[pos].isspace():
                pos += 1
            if not line.startswith(w.text, pos):
                return None
            w.space = k == 0 or pos > start
            pos += len(w.text)
    return lines


def drop_fragments(lines: list[list[Word]]) -> list[list[Word]]:
    """*lines* without specks and glyph fragments (the lower strokes of a line read again as a
    line of their own): lines whose tallest word is under :data:`FRAGMENT` of the page's usual
    word height, or under :data:`SMALL` of it and read with a mean confidence under
    :data:`SMALL_CONF` (small print read well stays)."""
    heights = [w.bottom - w.top for words in lines for w in words if w.conf >= 80 and _SYLLABLE.search(w.text)]
    if len(heights) < 10:
        return lines
    usual = statistics.median(heights)

    def fragment(words: list[Word]) -> bool:
        tallest = max(w.bottom - w.top for w in words)
        conf = sum(w.conf for w in words) / len(words)
        return tallest < FRAGMENT * usual or (tallest < SMALL * usual and conf < SMALL_CONF)

    return [words for words in lines if not fragment(words)]


def _band(words: list[Word]) -> tuple[float, float]:
    """A line's top and bottom: the median of its words' (a tall box or two do not count)."""
    return statistics.median(w.top for w in words), statistics.median(w.bottom for w in words)


def drop_doubled(lines: list[list[Word]]) -> list[list[Word]]:
    """*lines* without second readings of the same ink: of two neighbouring lines that cover
    more than half of each other's band and width (the upper strokes of a line read as a line
    of garbage above the real reading), the one with the thinner band is dropped."""
    out: list[list[Word]] = []
    for words in lines:
        if out:
            prev = out[-1]
            (t1, b1), (t2, b2) = _band(prev), _band(words)
            l1, r1 = min(w.left for w in prev), max(w.right for w in prev)
            l2, r2 = min(w.left for w in words), max(w.right for w in words)
            if (min(b1, b2) - max(t1, t2) > 0.5 * min(b1 - t1, b2 - t2)
                    and min(r1, r2) - max(l1, l2) > 0.5 * min(r1 - l1, r2 - l2)):
                if b2 - t2 > b1 - t1:
                    out[-1] = words
                continue
        out.append(words)
    return out


def _doubtful(w: Word, first: bool) -> bool:
    """A word of the Korean model without Hangul, other than plain punctuation or the outline
    bullet at the start of a line: its digits may be Latin letters, whatever its confidence
    ("B2B" → "820" at 93, when real digits run at 89-97)."""
    if _HANGUL.search(w.text):
        return False
    if first and _BULLET_MARK.fullmatch(w.text):
        return False
    return bool(_ALNUM.search(w.text)) or any(ch not in _PUNCT for ch in w.text)


def _plain(text: str) -> bool:
    """Punctuation alone."""
    return all(ch in _PUNCT for ch in text)


def _inside(w: Word, left: int, right: int) -> bool:
    """At least half of *w*'s width lies between *left* and *right*."""
    return min(w.right, right) - max(w.left, left) >= (w.right - w.left) / 2


def doubtful_groups(lines: list[list[Word]]) -> list[tuple[int, int, int]]:
    """(line, first, end) of each run of doubtful words to read again: neighbouring doubtful
    words go together, with the unsure bits between them (a Latin word the Korean model cut
    into "[\\"36", "ㅎ", "210,"), so that the second pass sees the whole word."""
    groups = []
    for li, words in enumerate(lines):
        doubt = [_doubtful(w, k == 0) for k, w in enumerate(words)]
        weak = [w.conf < UNSURE and (not _SYLLABLE.search(w.text) or w.conf < WEAK) for w in words]
        k = floor = 0  # floor: where the previous group of the line ended
        while k < len(words):
            if not doubt[k]:
                k += 1
                continue
            last, j = k, k + 1
            while j < len(words) and (doubt[j] or weak[j]):
                if doubt[j]:
                    last = j
                j += 1
            # an unsure word whose box lies within the group's is a piece of it that the
            # Korean model read as Hangul ("UX/UI" as "4%/" + "니")
            end = last + 1
            span = max(w.right for w in words[k:end])
            while end < len(words) and words[end].conf < WEAK and _inside(words[end], words[k].left, span):
                end += 1
            # punctuation glued on either side goes too: the boxes of "," and "(" reach into
            # the letters next to them, and the English model reads punctuation well
            start = k
            while end < len(words) and not words[end].space and _plain(words[end].text):
                end += 1
            while start > floor and not words[start].space and _plain(words[start - 1].text):
                start -= 1
            groups.append((li, start, end))
            k = floor = end
    return groups


INK = 160  # a grey level below this is ink


def snap_to_gap(image, x: int, top: int, bottom: int, reach: int, step: tuple[int, ...] = (-1, 1)) -> int:
    """The column nearest to *x* (at most *reach* away) with no ink between *top* and
    *bottom*: Tesseract's boxes are a few pixels off where Latin letters meet Hangul, and a
    cut through a letter loses it ("삼성SDS" read as "»DS") or adds one (a stroke of "메"
    after "M+" read as "!"). *x* itself when no column there is clear."""
    lo, hi = max(0, x - reach), min(image.width, x + reach + 1)
    if hi <= lo or bottom <= top:
        return x
    band = image.crop((lo, top, hi, bottom))
    px = band.load()
    width, height = band.size
    clear = [all(px[c, r] >= INK for r in range(height)) for c in range(width)]
    for d in range(reach + 1):
        for c in (x + d * k for k in step):
            if lo <= c < hi and clear[c - lo]:
                return c
    return x


def crops_tiff(image, lines: list[list[Word]], groups: list[tuple[int, int, int]], pad: int = 8) -> bytes:
    """The word groups cut out of the grey PIL *image*, each on a white margin, as the pages
    of one TIFF. A group's box stops where the next word's box starts, and each side is moved
    to a column without ink (:func:`snap_to_gap`)."""
    from PIL import Image

    pages = []
    for li, a, z in groups:
        words = lines[li]
        left, right = words[a].left, words[z - 1].right
        top, bottom = min(w.top for w in words[a:z]), max(w.bottom for w in words[a:z])
        if z < len(words) and words[z].left - 1 > left:
            right = min(right, words[z].left - 1)
        reach = max(2, (bottom - top) // 3)
        band_top, band_bottom = max(0, top), min(image.height, bottom)
        # the left side: outwards, to the gap before the group's first letter (a Hangul box
        # before it often reaches into that letter); the right side: outwards too when a
        # space follows, else the nearest gap (the next box often starts late, in its stroke)
        left = snap_to_gap(image, left, band_top, band_bottom, reach, (-1,))
        spaced = z == len(words) or words[z].space
        right = snap_to_gap(image, right, band_top, band_bottom, reach, (1,) if spaced else (-1, 1))
        left, top = max(0, left), max(0, top)
        right, bottom = min(image.width, max(right, left + 1)), min(image.height, max(bottom, top + 1))
        crop = image.crop((left, top, right, bottom))
        page = Image.new("L", (crop.width + 2 * pad, crop.height + 2 * pad), 255)
        page.paste(crop, (pad, pad))
        pages.append(page)
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


def readings(tsv: str, n: int) -> list[tuple[str, float] | None]:
    """The text and mean word confidence of each of the *n* pages of a TSV (None: nothing read)."""
    got: dict[int, list[tuple[str, float]]] = {}
    for row in csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(row) < 12 or row[0] != "5" or not row[11].strip():
            continue
        try:
            got.setdefault(int(row[1]) - 1, []).append((row[11].strip(), float(row[10])))
        except ValueError:
            continue
    out: list[tuple[str, float] | None] = []
    for i in range(n):
        words = got.get(i)
        out.append((" ".join(t for t, _ in words), sum(c for _, c in words) / len(words)) if words else None)
    return out


def prefer_latin(kor: str, kor_conf: float, eng: str, eng_conf: float) -> bool:
    """Does the English reading *eng* replace the Korean model's *kor* (a word without Hangul)?

    With letters: when it is surer; when *kor* is not even shaped like a number (a Latin word
    the Korean model turned into symbols: the English model's confidence on such words is
    often low even when it reads them right); or when it is as long as *kor* and confident
    (:data:`SURE`): the Korean model has few Latin shapes and reads "B2B" as "820" at 93.
    Digits only: when the digits are the same, the length too ("1.800" → "1,800": a crop loses
    brackets and commas more often than it fixes them) and it is surer; or when the Korean
    reading was a guess (below :data:`GUESS`) and the English one is surer."""
    if not eng.strip():
        return False
    if _LETTER.search(eng):
        return (eng_conf > kor_conf or not _NUMBERLIKE.fullmatch(kor)
                or (len(eng) == len(kor) and eng_conf >= SURE))
    if re.sub(r"\D", "", eng) == re.sub(r"\D", "", kor):
        return len(eng) == len(kor) and eng_conf > kor_conf
    return kor_conf < GUESS and eng_conf > kor_conf


def with_opening(kor: str, eng: str, before: str = "") -> str:
    """*eng* with the opening bracket that *kor* begins with, when *eng* closes a bracket it
    does not open and the text *before* it has none open: in "줌(Zoom)" the box of "줌" often
    holds the "(", so the cut-out word reads "Zoom)"."""
    for opening, closing in ("()", "[]"):
        if (kor.startswith(opening) and eng.count(closing) > eng.count(opening)
                and before.count(opening) <= before.count(closing)):
            return opening + eng
    return eng


def read_page(page, txt: str, tsv: str, reread) -> str:
    """The text of a page from the first pass (*txt*, *tsv*): speck and doubled lines dropped
    and the words without Hangul replaced by their second reading where it is better.
    *page*: the page image (grey PIL image, or PNG bytes); *reread*: TIFF bytes → Tesseract
    TSV, one TIFF page per word group."""
    lines = words_of(tsv, txt)
    if lines is None:  # boxes and text do not line up: the first pass's text as it is
        return txt
    lines = drop_doubled(drop_fragments(lines))
    groups = doubtful_groups(lines)
    image = _grey(page) if groups else None
    if image is not None:
        got = readings(reread(crops_tiff(image, lines, groups)), len(groups))
        shift, line = 0, -1  # groups run top to bottom, left to right; a replaced group is one word
        for (li, a, z), reading in zip(groups, got):
            shift, line = (shift if li == line else 0), li
            words, a, z = lines[li], a - shift, z - shift
            if not reading:
                continue
            kor = " ".join(w.text for w in words[a:z])
            kor_conf = sum(w.conf for w in words[a:z]) / (z - a)
            before = " ".join(w.text for w in (lines[li - 1] if li else []) + words[:a])  # a bracket may open a line up
            text = with_opening(kor, reading[0], before)
            if prefer_latin(kor, kor_conf, text, reading[1]):
                words[a:z] = [Word(words[a].left, min(w.top for w in words[a:z]), words[z - 1].right,
                                   max(w.bottom for w in words[a:z]), reading[1], text, words[a].space)]
                shift += z - a - 1
    return "\n".join("".join((" " if k and w.space else "") + w.text for k, w in enumerate(words))
                     for words in lines)


def _grey(page):
    """*page* as a grey PIL image; None when PNG bytes do not decode."""
    from PIL import Image, UnidentifiedImageError

    if not isinstance(page, (bytes, bytearray)):
        return page.convert("L") if page.mode != "L" else page
    try:
        return Image.open(io.BytesIO(page)).convert("L")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return None


# -- the text ---------------------------------------------------------------------------------
# Tesseract reads the report's "□" outline bullet as "|", "[|", "ㅁ" or "口": put it back, so the
# outline headings of a scanned report still become sections.
_BOX = re.compile(r"^\s*(?:\[\||\|\]?|ㅁ|口|O|0)\s+(?=\S)")
_JAMO = re.compile("[\u3131-\u318e]")
# "1.800만" → "1,800만": a dot between digit groups of three before a Korean unit of counting
# or money is a thousands separator (a decimal would not have exactly three places there)
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?=\s?(?:만|억|원|명|개|건|곳|달러))")


# A quotation whose marks disagree ("스마트워크' for ‘스마트워크’): the opening mark (thin, and
# read as " or ( as often as right) is made to agree with the closing one. Marks that agree
# are left as they are: the text layers of Korean documents mix ' and ‘’ themselves.
_QUOTED = r"""(?=[^\s"“”'‘’])([^"“”'‘’\n]{1,40}?)"""  # up to 40 characters, no mark among them
_OPENS, _CLOSES = r"(?:(?<=^)|(?<=[\s(\[]))", r"(?=[\s가-힣,.)\]]|$)"  # where a quotation opens, closes
_OPEN_DOUBLE = re.compile(_OPENS + "[\"“]" + _QUOTED + "(['’])" + _CLOSES)
_OPEN_SINGLE = re.compile(_OPENS + "['‘]" + _QUOTED + "([\"”])" + _CLOSES)


def fix_quotes(line: str) -> str:
    """A quotation opened with a double mark and closed with a single one, or the other way
    round, opened with the mark that agrees with its close: "스마트워크' → '스마트워크',
    “말” stays, ‘말’ stays."""
    line = _OPEN_DOUBLE.sub(lambda m: ("‘" if m.group(2) == "’" else "'") + m.group(1) + m.group(2), line)
    return _OPEN_SINGLE.sub(lambda m: ("“" if m.group(2) == "”" else '"') + m.group(1) + m.group(2), line)


def fix_thousands(line: str) -> str:
    """Thousands separators read as dots put back: "1.800만 개" → "1,800만 개"."""
    return _THOUSANDS.sub(lambda m: m.group(0).replace(".", ","), line)


def tidy(text: str) -> str:
    """OCR output in NFC with "□" bullets restored, thousands separators and mismatched
    quotation marks fixed (:func:`fix_thousands`, :func:`fix_quotes`) and noise lines dropped
    (a few characters with lone jamo or no letters at all: specks and ruled lines read as text)."""
    out = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        core = "".join(line.split())
        if core and len(core) <= 6 and (_JAMO.search(core) or not re.search(r"[가-힣A-Za-z0-9]{2}", core)):
            continue
        line = fix_quotes(fix_thousands(line))
        out.append(_BOX.sub("□ ", line) if len(core) <= 40 else line)
    return "\n".join(out)


def render_page(page, dpi: int = DPI):
    """One PDF page as a grey PIL image at *dpi*."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def png_bytes(image) -> bytes:
    """A PIL image as PNG bytes (what Tesseract reads on its stdin)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def render_png(page, dpi: int = DPI) -> bytes:
    """One PDF page as a grey PNG at *dpi*."""
    return png_bytes(render_page(page, dpi))


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
            image = render_page(page)
        finally:
            page.close()
        out.append(tidy(ocr_image(png_bytes(image), fname, DPI, image)))
    say("ocr", len(indexes), len(indexes))
    return out
