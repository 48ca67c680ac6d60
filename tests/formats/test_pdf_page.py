"""A PDF's cited page as the document viewer shows it: rendered by PDFium (in the limited child
process the uploads use), bounded in size, with the cited sentence found on the page's text
layer and boxed — across line breaks, spaces and full-width forms — and shown unmarked when the
page does not hold it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))

import docmakers  # noqa: E402


def highlighted_pixels(png: bytes) -> int:
    """Pixels of the highlight's translucent yellow over white paper (formats.pdf.HIGHLIGHT_FILL)."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in im.getdata() if r > 245 and 220 <= g <= 245 and 140 <= b <= 190)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    return docmakers.make_pdf(tmp_path_factory.mktemp("pdf") / "헬스케어.pdf")


def test_the_cited_sentence_is_boxed_on_its_page_and_the_image_is_bounded(pdf):
    from PIL import Image

    from untact_qa.formats.pdf import MAX_SIDE, render_page

    got = render_page(pdf, 2, ["고령층의 보급률이 가장 빠르게 늘고 있다."])
    image = Image.open(io.BytesIO(got["png"]))
    assert image.format == "PNG" and (image.width, image.height) == (got["width"], got["height"])
    assert max(image.size) <= MAX_SIDE and got["pages"] == 2
    assert got["boxes"] == 1 and highlighted_pixels(got["png"]) > 500
    # a sentence of the other page is not on this one: the page is shown, unmarked
    other = render_page(pdf, 2, ["원격 모니터링 서비스 가입자는 120만 명이다."])
    assert other["boxes"] == 0 and highlighted_pixels(other["png"]) == 0
    # the next quote is tried when the first is not there (the viewer passes the cited lines second)
    assert render_page(pdf, 1, ["없는 문장", "원격 모니터링 서비스 가입자는\n120만 명이다."])["boxes"] == 1
    with pytest.raises(IndexError):
        render_page(pdf, 3, [])


def test_a_sentence_broken_across_lines_is_found_and_boxed_line_by_line(tmp_path):
    """The citation's text is the repaired sentence (line breaks joined, a word broken inside
    rejoined): compared letters only, it is found, one box per line it runs over."""
    from pdfdocs import make_pdf

    from untact_qa.formats.pdf import render_page

    path = make_pdf([("heading", "비대면 교육 현황"),
                     ("text", "원격 수업을 받은 학생은 전체의 87%에 이르렀고, 교사의 62%는 쌍방향 수업 도구를 처음 써 "
                              "보았다고 답했다. 학부모의 만족도는 평균 71점으로 조사되었다.")], tmp_path / "교육.pdf", width=20)
    got = render_page(path, 1, ["교사의 62%는 쌍방향 수업 도구를 처음 써 보았다고 답했다."])
    assert got["boxes"] == 2  # "…도구를 처" / "음 써 보았다고 답했다."


def test_find_text_compares_letters_only():
    from untact_qa.formats.pdf import find_text

    page = list("가입자는\r\n１２０만 명이다.")  # full-width digits, a line break inside the sentence
    assert find_text(page, ["가입자는 120만 명이다."]) == (0, len(page) - 1)
    assert find_text(page, ["", "명이다"]) == (page.index("명"), len(page) - 2)
    assert find_text(page, ["없는 말"]) is None


def test_the_page_is_rendered_in_a_limited_child_process(pdf, tmp_path):
    from untact_qa.errors import CorpusError
    from untact_qa.extract import render_pdf_page

    out = tmp_path / "page.png"
    info = render_pdf_page(pdf, 2, ["고령층의 보급률이 가장 빠르게 늘고 있다."], out)
    assert info["boxes"] == 1 and out.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(CorpusError) as err:
        render_pdf_page(pdf, 9, [], tmp_path / "none.png")
    assert "9쪽을 그림으로 보여 줄 수 없습니다" in err.value.korean() and not (tmp_path / "none.png").exists()
