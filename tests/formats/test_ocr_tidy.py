"""The OCR post-processing, one pure function at a time (no Tesseract, no model): the words
of the Korean pass, the lines dropped as specks or second readings, the groups read again by
the English model and which reading wins, the crops' edges, and the text fixes of ``tidy``."""

from __future__ import annotations

import io
import unicodedata

import pytest
from PIL import Image, ImageDraw

from untact_qa.formats import ocr
from untact_qa.formats.ocr import Word

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def tsv(lines: list[list[tuple[int, int, int, int, float, str]]], page: int = 1) -> str:
    """Tesseract TSV of *lines* of (left, top, width, height, conf, text) words."""
    rows = [HEADER, f"1\t{page}\t0\t0\t0\t0\t0\t0\t2000\t3000\t-1\t"]
    for li, words in enumerate(lines, 1):
        rows.append(f"4\t{page}\t1\t1\t{li}\t0\t0\t0\t0\t0\t-1\t")
        for wi, (left, top, width, height, conf, text) in enumerate(words, 1):
            rows.append(f"5\t{page}\t1\t1\t{li}\t{wi}\t{left}\t{top}\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows) + "\n"


def w(text: str, left: int = 0, conf: float = 93.0, space: bool = True, top: int = 100, height: int = 43,
      width: int = 40) -> Word:
    return Word(left, top, left + width, top + height, conf, text, space)


def line_of(*words: Word) -> list[Word]:
    """Words laid out left to right (each after the previous one's box)."""
    x, out = 100, []
    for word in words:
        width = word.right - word.left
        out.append(Word(x, word.top, x + width, word.bottom, word.conf, word.text, word.space))
        x += width + (12 if word.space else 2)
    return out


# -- tidy: the text fixes -----------------------------------------------------------------------
@pytest.mark.parametrize("raw, fixed", [
    ("약 1.800만 개 기업", "약 1,800만 개 기업"),  # a dot between groups of three before 만
    ("총 1.234.567원", "총 1,234,567원"),
    ("12.500명이", "12,500명이"),
    ("3.000 달러", "3,000 달러"),
    ("1.5만 명", "1.5만 명"),  # a decimal stays
    ("0.125%", "0.125%"),  # three decimal places of a percentage stay
    ("3.141592", "3.141592"),
    ("2020.4.6. 발표", "2020.4.6. 발표"),  # dates stay
    ("1,800만", "1,800만"),
])
def test_thousands_separators_read_as_dots_are_put_back(raw, fixed):
    assert ocr.fix_thousands(raw) == fixed


@pytest.mark.parametrize("raw, fixed", [
    ("형태인 \"스마트워크' 도입", "형태인 '스마트워크' 도입"),  # opening double, closing single
    ("형태인 “스마트워크’ 도입", "형태인 ‘스마트워크’ 도입"),
    ("기업은 'IT 투자\"라고", "기업은 \"IT 투자\"라고"),
    ("‘도장 문화’ 때문에", "‘도장 문화’ 때문에"),  # marks that agree are left as they are
    ("'회사 도장'을 이용해 승인 한다\"고 함", "'회사 도장'을 이용해 승인 한다\"고 함"),  # a close is no open
    ("콥은 \"일본 기업은 충분한", "콥은 \"일본 기업은 충분한"),  # no close on the line
])
def test_quotation_marks_that_disagree_are_made_to_agree(raw, fixed):
    assert ocr.fix_quotes(raw) == fixed


def test_tidy_restores_bullets_drops_noise_and_composes_hangul():
    decomposed = unicodedata.normalize("NFD", "재택근무")
    text = f"| 기업용 SW 급성장\nㅋ ㄴㄴ\n- {decomposed} 1.800만 명\n==\n[| 스마트 워크 도입"
    assert ocr.tidy(text).split("\n") == ["□ 기업용 SW 급성장", "- 재택근무 1,800만 명", "□ 스마트 워크 도입"]


# -- the words of the Korean pass ----------------------------------------------------------------
def test_words_take_their_spacing_from_the_text_of_the_same_reading():
    table = tsv([[(100, 100, 40, 43, 93, "재"), (142, 100, 40, 43, 93, "택"), (200, 100, 60, 43, 22, "53355)"),
                  (270, 100, 80, 43, 96, "업체들은")]])
    lines = ocr.words_of(table, "재택 53355) 업체들은\n\n")
    assert [(x.text, x.space) for x in lines[0]] == [("재", True), ("택", False), ("53355)", True),
                                                     ("업체들은", True)]
    assert (lines[0][2].left, lines[0][2].right, lines[0][2].conf) == (200, 260, 22.0)


def test_words_that_do_not_line_up_with_the_text_give_none():
    table = tsv([[(100, 100, 40, 43, 93, "재택")]])
    assert ocr.words_of(table, "재택\n두 번째 줄\n") is None  # a line more
    assert ocr.words_of(table, "재탁\n") is None  # another word


# -- lines dropped ------------------------------------------------------------------------------
def page_lines(extra: list[list[Word]]) -> list[list[Word]]:
    body = [line_of(*(w(t) for t in ("비대면", "경제의", "확산으로", "재택근무가"))) for _ in range(4)]
    return body[:2] + extra + body[2:]


def test_specks_and_glyph_fragments_are_dropped_small_print_read_well_stays():
    speck = [w("02027", conf=50, height=16), w("ㄴㄴ", conf=39, height=18)]  # < half the usual height
    unsure_small = [w("나", conf=36, height=28), w("프", conf=19, height=28)]  # < 3/4 and unsure
    footnote = [w("주:", conf=92, height=30), w("통계청", conf=93, height=30)]  # small print read well
    kept = ocr.drop_fragments(page_lines([speck, unsure_small, footnote]))
    assert [[x.text for x in line] for line in kept if line[0].text != "비대면"] == [["주:", "통계청"]]


def test_a_second_reading_of_the_same_line_is_dropped():
    upper = [w("브", left=190, top=2800, height=22), w("로", left=245, top=2780, height=53),
             w("꼬을", left=427, top=2800, height=22), w("이으", left=583, top=2800, height=23)]
    real = [w("블록체인을", left=196, top=2800, height=50), w("꼽을", left=417, top=2810, height=33),
            w("수", left=516, top=2800, height=43), w("있음", left=578, top=2800, height=43)]
    below = [w("다음", left=196, top=2900), w("줄", left=300, top=2900)]
    kept = ocr.drop_doubled([upper, real, below])
    assert [[x.text for x in line] for line in kept] == [["블록체인을", "꼽을", "수", "있음"], ["다음", "줄"]]
    side_by_side = [[w("왼쪽", left=100)], [w("오른쪽", left=1200)]]  # same band, other column
    assert ocr.drop_doubled(side_by_side) == side_by_side


# -- groups read again ----------------------------------------------------------------------------
def groups_of(*words: Word) -> list[list[str]]:
    line = line_of(*words)
    return [[x.text for x in line[a:z]] for _, a, z in ocr.doubtful_groups([line])]


def test_words_without_hangul_are_read_again_whatever_their_confidence():
    assert groups_of(w("기존"), w("820", conf=93.2), w("영역으로")) == [["820"]]
    assert groups_of(w("|", conf=40), w("기업용"), w("『<", conf=85), w("모바일")) == [["『<"]]  # not a bullet
    assert groups_of(w("-"), w("재택근무"), w("“", conf=31), w("(", conf=80)) == []  # punctuation alone


def test_pieces_of_one_latin_word_are_read_again_together():
    # "PaGamO," cut into "[\"36", "ㅎ" (unsure jamo), "210,"; a sure Hangul word ends the group
    assert groups_of(w("[\"36", conf=34), w("ㅎ", conf=44, space=False), w("210,", conf=3, space=False),
                     w("같은"), w("1", conf=23)) == [["[\"36", "ㅎ", "210,"], ["1"]]
    # an unsure syllable inside the group's box ("UX/UI" read as "4%/" + "니") goes with it
    line = [w("로서", left=1016, width=61), w("4%/", left=1101, width=130, conf=58),
            w("니", left=1187, width=29, conf=0, space=False), w(",", left=1215, width=17, conf=83, space=False),
            w("클라우드,", left=1250, width=181)]
    assert [(a, z) for _, a, z in ocr.doubtful_groups([line])] == [(1, 4)]  # "4%/", "니" and the glued ","


def test_glued_punctuation_goes_with_the_group():
    assert groups_of(w("팀즈"), w("(", conf=90, space=False), w("168009", conf=60, space=False),
                     w("),", conf=90, space=False), w("웹엑스")) == [["(", "168009", "),"]]


# -- which reading wins ---------------------------------------------------------------------------
@pytest.mark.parametrize("kor, kor_conf, eng, eng_conf, wins", [
    ("53825", 54.3, "SaaS", 95.5, True),  # surer
    ("\\/01061406", 0.0, "VoiceTube", 91.2, True),
    ("(.424&044)", 37.5, "LAZADA)", 34.5, True),  # not shaped like a number: letters win anyway
    ("820", 93.2, "B2B", 91.5, True),  # as long and confident: the Korean model's digits were letters
    ("105", 84.1, "iOS", 81.8, False),  # ... but not when unsure
    ("19", 93.3, "Is", 61.0, False),  # "코로나19" stays
    ("1.800", 2.7, "1,800", 95.9, True),  # the same digits, surer
    ("(2020", 92.3, "2020", 96.4, False),  # the same digits, but a bracket lost
    ("11%", 81.7, "1", 93.0, False),  # other digits: only over a guess
    ("209%", 41.3, "20%", 96.7, True),
    ("3|", 39.1, "", 72.1, False),
])
def test_which_reading_wins(kor, kor_conf, eng, eng_conf, wins):
    assert ocr.prefer_latin(kor, kor_conf, eng, eng_conf) is wins


def test_readings_of_a_multi_page_tsv():
    table = tsv([[(10, 10, 80, 40, 96.5, "Snapask")]], page=1) + tsv([], page=2) + \
        tsv([[(10, 10, 40, 40, 90, "EO"), (60, 10, 200, 40, 80, "Intelligence")]], page=3)
    assert ocr.readings(table, 4) == [("Snapask", 96.5), None, ("EO Intelligence", 85.0), None]


# -- the crops ------------------------------------------------------------------------------------
def ink(boxes: list[tuple[int, int]], width: int = 400) -> Image.Image:
    """A grey page strip with black glyphs at the (left, right) columns of *boxes*."""
    image = Image.new("L", (width, 100), 255)
    draw = ImageDraw.Draw(image)
    for left, right in boxes:
        draw.rectangle((left, 30, right, 70), fill=0)
    return image


def test_edges_snap_to_the_nearest_gap_in_the_ink():
    image = ink([(100, 125), (135, 155), (165, 180)])  # "성", "S", "D"
    assert ocr.snap_to_gap(image, 140, 30, 71, 15, (-1,)) == 134  # outwards: the whole "S"
    assert ocr.snap_to_gap(image, 150, 30, 71, 15) == 156  # the nearest gap
    assert ocr.snap_to_gap(image, 130, 30, 71, 15) == 130  # already in a gap
    assert ocr.snap_to_gap(image, 112, 30, 71, 5) == 112  # no gap within reach: as it was


def test_crops_are_one_tiff_page_per_group_each_edge_in_a_gap():
    image = ink([(100, 125), (135, 155), (165, 180), (190, 210), (240, 270)])
    line = [Word(100, 30, 141, 71, 93, "삼", True), Word(141, 30, 211, 71, 76, "505,", False),
            Word(240, 30, 271, 71, 97, "네", True)]
    tiff = Image.open(io.BytesIO(ocr.crops_tiff(image, [line], [(0, 1, 2)], pad=8)))
    assert tiff.n_frames == 1
    # the group's box began inside "S" (135-155): the crop starts in the gap before it
    assert tiff.size == (8 + (211 - 134) + 8, 8 + 41 + 8)  # up to the gap after "505,"


def test_read_page_replaces_what_the_english_model_reads_better():
    words = [[(100, 100, 80, 43, 93, "삼성"), (182, 100, 72, 43, 76, "505,"), (270, 100, 119, 43, 97, "네이버")],
             [(100, 200, 80, 43, 93, "코로나"), (182, 200, 30, 43, 93.3, "19"), (230, 200, 60, 43, 97, "확산")]]
    seen = []

    def reread(data: bytes) -> str:
        seen.append(Image.open(io.BytesIO(data)).n_frames)
        return tsv([[(8, 8, 70, 43, 88.7, "SDS,")]], page=1) + tsv([[(8, 8, 30, 43, 61.0, "Is")]], page=2)

    text = ocr.read_page(Image.new("L", (600, 400), 255), "삼성505, 네이버\n코로나19 확산\n", tsv(words), reread)
    assert seen == [2]
    assert text == "삼성SDS, 네이버\n코로나19 확산"


def test_read_page_keeps_the_first_reading_when_boxes_and_text_disagree():
    assert ocr.read_page(b"", "다른 글\n", tsv([[(0, 0, 10, 10, 90, "글")]]), lambda tiff: "") == "다른 글\n"


def test_groups_never_share_a_word():
    # "A1,B2": the "," glued to both goes with the first group only
    line = line_of(w("A1", conf=40), w(",", conf=90, space=False), w("B2", conf=40, space=False), w("끝"))
    groups = [(a, z) for _, a, z in ocr.doubtful_groups([line])]
    assert groups == [(0, 2), (2, 3)]


@pytest.mark.parametrize("kor, eng, before, fixed", [
    ("(20000)", "Zoom)", "플랫폼 줌", "(Zoom)"),  # the "(" sat in the box of "줌"
    ("(51300)", "(Slack)", "슬랙", "(Slack)"),  # kept already
    ("(01[0", "Corporation Vietnam)", "나파스(NAPAS, National Payment", "Corporation Vietnam)"),  # open a line up
    ("[\"36", "PaGamO,", "시장에서는", "PaGamO,"),  # no bracket closed: "[" was a misread letter
    ("60", "EO Intelligence(#)", "", "EO Intelligence(#)"),
])
def test_an_opening_bracket_lost_to_the_hangul_box_before_is_put_back(kor, eng, before, fixed):
    assert ocr.with_opening(kor, eng, before) == fixed


def test_read_page_puts_back_the_opening_bracket_and_sees_brackets_opened_earlier():
    words = [[(100, 100, 80, 43, 93, "나파스"), (182, 100, 60, 43, 10, "(145,"), (250, 100, 90, 43, 5, "31060")],
             [(100, 200, 80, 43, 5, "(01[0"), (190, 200, 40, 43, 93, "에"), (250, 200, 40, 43, 93, "줌"),
              (292, 200, 90, 43, 40, "(20000)")]]

    def reread(data: bytes) -> str:
        assert Image.open(io.BytesIO(data)).n_frames == 3  # "(145, 31060" is one group
        return (tsv([[(8, 8, 70, 43, 96, "(NAPAS,"), (80, 8, 70, 43, 96, "Payment")]], page=1)
                + tsv([[(8, 8, 70, 43, 96, "Corporation)")]], page=2) + tsv([[(8, 8, 70, 43, 96, "Zoom)")]], page=3))

    text = ocr.read_page(Image.new("L", (600, 400), 255), "나파스(145, 31060\n(01[0에 줌(20000)\n", tsv(words), reread)
    assert text == "나파스(NAPAS, Payment\nCorporation)에 줌(Zoom)"
