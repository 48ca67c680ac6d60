"""Make real PDFs of Korean text for the ingestion tests, and score what comes back.

The layout imitates Korean word processors (HWP): lines are filled to a width and broken
anywhere, inside words too ("보살핌이 필요" / "한 나이이나"); paragraphs start with an
indent; every page has a running header and a "- N -" page number. The font is
NanumGothic from the ``koreanize-matplotlib`` wheel (SIL OFL), so no system font is needed.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

from untact_qa.schema import Document
from untact_qa.textrepair import RepairedText, repair
from untact_qa.tokenization import split_sentences


def font_path() -> Path:
    import koreanize_matplotlib

    return Path(koreanize_matplotlib.__file__).parent / "fonts" / "NanumGothic.ttf"


def font_covers(text: str) -> bool:
    """True when every character of *text* has a glyph in the font (else it would be lost)."""
    from fontTools.ttLib import TTFont

    global _CMAP
    if _CMAP is None:
        _CMAP = set(TTFont(str(font_path()))["cmap"].getBestCmap())
    return all(ord(c) in _CMAP or c.isspace() for c in text)


_CMAP = None


def _cell_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def make_pdf(blocks: list[tuple[str, str]], path: Path, width: int = 34, header: str = "문서",
             seed: int = 0) -> Path:
    """Write *blocks* (``("heading"|"text", text)``) as an A4 PDF; lines hold about *width*
    Hangul characters (±2, varying by paragraph like justified text does)."""
    from fpdf import FPDF

    rnd = random.Random(seed)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("nanum", fname=str(font_path()))
    pdf.set_font("nanum", size=11)
    lines: list[str | None] = []
    for kind, text in blocks:
        if kind == "heading":
            lines += [text, None]
            continue
        text = "  " + text  # first-line indent
        budget = 2 * (width + rnd.randint(-2, 2))
        while text:
            n = used = 0
            while n < len(text) and used + _cell_width(text[n]) <= budget:
                used += _cell_width(text[n])
                n += 1
            lines.append(text[:n])
            text = text[n:]
        lines.append(None)
    page, y = 0, 999.0

    def footer():
        pdf.set_xy(95, 285)
        pdf.cell(20, 6, f"- {page} -")

    for line in lines:
        if y > 265:
            if page:
                footer()
            pdf.add_page()
            page += 1
            pdf.set_xy(20, 10)
            pdf.cell(100, 6, header)
            y = 25.0
        if line is None:
            y += 4
            continue
        pdf.set_xy(20, y)
        pdf.cell(170, 7, line)
        y += 7
    footer()
    pdf.output(str(path))
    return path


def source_sentences(blocks: list[tuple[str, str]], statute: bool = False) -> list[str]:
    """Kiwi sentences of the text blocks, snapped to whole words (Kiwi sometimes splits inside
    a quoted word: "‘금강’" | "이라는 …"). For a statute the leading "제N조" is dropped: the
    repair turns it into the heading of its paragraphs."""
    out = []
    for kind, text in blocks:
        if kind != "text":
            continue
        spans: list[list[int]] = []
        for s in split_sentences(text):
            if spans and spans[-1][1] == s.start:
                spans[-1][1] = s.end
            else:
                spans.append([s.start, s.end])
        for a, b in spans:
            sent = text[a:b]
            if statute and (m := re.match(r"제\d+조(의\d+)?(\([^)]*\))?\s*", sent)):
                sent = sent[m.end():]
            if sent.strip():
                out.append(sent)
    return out


def score(sentences: list[str], doc: Document, rep: RepairedText) -> tuple[int, int, list[str]]:
    """``(whole, cited_right, misses)``: a sentence is whole when its words appear, in order
    and unbroken, inside one unit of the repaired text; its citation is right when the
    original lines its span maps to (page numbers and headers aside) hold exactly it, from
    its first word's line to its last word's line."""
    lines = doc.text.split("\n")
    dropped = set(rep.dropped_lines)
    units = []
    for u in rep.units:
        seg = rep.text[u.start:u.end]
        words = [(m.start() + u.start, m.end() + u.start) for m in re.finditer(r"\S+", seg)]
        units.append((" ".join(seg.split()), words))
    whole = cited = 0
    misses = []
    for sent in sentences:
        target = " ".join(sent.split())
        hit = None
        for joined, words in units:
            for m in re.finditer(re.escape(target), joined):
                before, after = joined[: m.start()], joined[m.end():]
                if (not before or before.endswith(" ")) and (not after or after.startswith(" ")):
                    k = len(before.split())
                    hit = (words[k][0], words[k + len(target.split()) - 1][1])
                    break
            if hit:
                break
        if hit is None:
            misses.append(sent)
            continue
        whole += 1
        l0, l1 = rep.line_range(*hit)
        cited_text = "".join("".join(lines[i - 1].split()) for i in range(l0, l1 + 1) if i not in dropped)
        first, last = target.split()[0], target.split()[-1]
        if ("".join(target.split()) in cited_text and lines[l0 - 1].strip() and lines[l1 - 1].strip()
                and first[0] in lines[l0 - 1] and last[-1] in lines[l1 - 1]):
            cited += 1
        else:
            misses.append(f"[lines {l0}-{l1}] {sent}")
    return whole, cited, misses


def roundtrip(blocks, tmp_path: Path, name: str, strip_spaces: bool = False, **layout):
    """PDF → the upload path's text extraction → repair; returns ``(doc, rep)``."""
    from untact_qa.extract import extract_text

    pdf = make_pdf(blocks, tmp_path / f"{name}.pdf", **layout)
    text = extract_text(pdf, f"{name}.pdf")
    if strip_spaces:  # an extractor that loses the spaces around line breaks
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    doc = Document(f"{name}.txt", unicodedata.normalize("NFC", text))
    return doc, repair(doc.text, name=doc.doc_id)
