import re

from conftest import REPORT, squash
from untact_qa.textrepair import heading_of, normalize, repair


def _report():
    text = normalize(REPORT.read_text(encoding="utf-8"))
    return text, repair(text)


def test_words_cut_across_pdf_lines_are_rejoined():
    _, rep = _report()
    # "종교행사 중" / "단," and "재택근" / "무 실시율" are split across lines in the file
    assert "종교행사 중단, 대중 이용시설 폐쇄" in rep.text
    assert "재택근무 실시율은 0.01%~0.64% 정도의 극히 미미한 수준." in rep.text
    # a line ending with a space joins with exactly one space
    assert "기업체들이 새롭게 경험한 것은 재택근무라 할 수 있음." in rep.text
    assert "  " not in rep.text


def test_every_repaired_character_maps_to_the_same_original_character():
    text, rep = _report()
    assert len(rep.orig_offsets) == len(rep.text)
    for i, ch in enumerate(rep.text):
        o = text[rep.orig_offsets[i]]
        assert o == ch or (ch.isspace() and o.isspace()), (i, ch)
    assert rep.orig_offsets == sorted(rep.orig_offsets)


def test_line_numbers_point_at_the_source_lines():
    text, rep = _report()
    start = rep.text.index("재택근무 실시율은")
    end = start + len("재택근무 실시율은")
    first, last = rep.line_range(start, end)
    lines = text.split("\n")
    assert "재택근" in lines[first - 1] and "무 실시율은" in lines[last - 1]
    assert last == first + 2  # the word is cut across a blank line


def test_verbatim_repeated_paragraphs_are_dropped_once():
    text, rep = _report()
    dup = "금융권에서는 비대면 영업에 기반한 자산관리가 주목받는 추세로서"
    assert squash(text).count(squash(dup)) == 2
    assert rep.text.count(dup) == 1
    assert len(rep.dropped_duplicates) == 2


def test_headings_of_all_three_levels_are_recognised():
    assert heading_of(" II  국내 비대면 산업 현황") == (1, "국내 비대면 산업 현황")
    assert heading_of(" IIII  해외 비대면 산업 현황") == (1, "해외 비대면 산업 현황")
    assert heading_of("1. 중국") == (2, "중국")
    assert heading_of(" □ 온라인 교육의 활성화") == (3, "온라인 교육의 활성화")
    assert heading_of(" - 코로나19로 인한") is None
    assert heading_of("1.5m 거리 유지를") is None


def test_figure_captions_are_not_glued_to_sentences():
    _, rep = _report()
    captions = [rep.text[u.start:u.end] for u in rep.units if u.kind == "caption"]
    assert "MS의 협업솔루션 팀즈" in captions
    assert "노력을 기울이고 있음\n" in rep.text


def test_nfc_normalisation_of_decomposed_hangul():
    decomposed = "\u1100\u1161\u11ab"  # 간 as conjoining jamo
    assert normalize(decomposed) == "간"
    assert normalize("a\r\nb") == "a\nb"


def test_plain_text_and_markdown_files_keep_sentences_apart():
    text = "# 회의록\n비대면 회의를 열었다.\n다음 회의는 화요일이다.\n## 결정\n- 원격 근무를 확대한다.\n"
    rep = repair(normalize(text))
    assert "비대면 회의를 열었다. 다음 회의는 화요일이다." in rep.text
    heads = [(u.level, rep.text[u.start:u.end]) for u in rep.units if u.kind == "heading"]
    assert heads == [(1, "회의록"), (2, "결정")]
