"""PPTX (PowerPoint) through python-pptx (MIT): every slide a section headed by its title,
then its text (bulleted paragraphs as list items), tables (rows with their headers) and
grouped shapes, in the order they sit on the slide (top to bottom, left to right), and the
speaker notes. Locations are slides ("슬라이드 3", "슬라이드 3 노트")."""

from __future__ import annotations

from pathlib import Path

from .base import Extracted, Limits, TextBuilder, refuse
from .containers import ZIP_MAGIC, open_zip

name = "pptx"
suffixes = (".pptx",)
KIND = "PPTX"


def sniff(head: bytes) -> bool:
    """A zip (the member names decide which Office format)."""
    return head.startswith(ZIP_MAGIC)


def _ordered(shapes):
    return sorted(shapes, key=lambda s: ((s.top or 0) // 100_000, s.left or 0))


def extract(path: Path, fname: str, limits: Limits) -> Extracted:
    """Slide titles as headings, slide text, tables and notes, located by slide."""
    open_zip(path, fname, limits, KIND).close()
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    try:
        prs = Presentation(str(path))
    except Exception as exc:  # noqa: BLE001
        raise refuse(fname, f"not a readable PPTX file ({type(exc).__name__}: {exc})",
                     "PPTX 파일을 읽을 수 없습니다 (손상되었거나 PowerPoint 문서가 아닙니다). 다시 저장해 올려 주세요.") from exc
    out = TextBuilder(name, limits, fname)
    for n, slide in enumerate(prs.slides, 1):
        label = f"슬라이드 {n}"
        title_shape = slide.shapes.title
        title = title_shape.text_frame.text if title_shape is not None and title_shape.has_text_frame else ""
        out.heading(1, title if title.strip() else f"슬라이드 {n}", label)
        tables = 0

        def walk(shapes) -> None:
            nonlocal tables
            for shape in _ordered(shapes):
                if title_shape is not None and shape.shape_id == title_shape.shape_id:
                    continue
                if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                    walk(shape.shapes)
                elif getattr(shape, "has_table", False) and shape.has_table:
                    tables += 1
                    rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
                    out.table(rows, label_of=lambda i, t=tables: f"{label} 표 {t} {i + 1}행")
                elif shape.has_text_frame:
                    placeholder = shape.is_placeholder
                    for par in shape.text_frame.paragraphs:
                        text = "".join(r.text for r in par.runs) or par.text
                        bullet = par.level > 0 or (placeholder and len(shape.text_frame.paragraphs) > 1)
                        if bullet:
                            out.item(text, label, par.level)
                        else:
                            out.paragraph(text, label)

        walk(slide.shapes)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                for par in notes.paragraphs:
                    text = par.text.strip()
                    out.paragraph(text if text.startswith("노트") else f"노트: {text}" if text else "", f"{label} 노트")
    return out.result()
