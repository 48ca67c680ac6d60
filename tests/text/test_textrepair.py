"""Text repair on real documents, one test per rule: each shows what the rule fixes and
fails when the rule is switched off."""

from dataclasses import replace

import pytest

from conftest import BILLS, CONSTITUTION, REPORT, squash
from untact_qa.corpus import read_document
from untact_qa.errors import ConfigError
from untact_qa.textrepair import RepairRules, detect_rules, heading_of, normalize, repair


def _doc(path):
    return read_document(path, path.name).text


def _units(rep, kind=None):
    return [rep.text[u.start:u.end] for u in rep.units if kind is None or u.kind == kind]


def _with(text, name="", **switches):
    """Repair *text* with its detected rules, some switches overridden."""
    return repair(text, replace(detect_rules(text, name), **switches))


def _in_one_unit(rep, phrase):
    return any(" ".join(phrase.split()) in " ".join(u.split()) for u in _units(rep))


REPORT_TEXT = normalize(REPORT.read_text(encoding="utf-8"))
CONSTITUTION_TEXT = _doc(CONSTITUTION)
BILL_90 = _doc(BILLS / "1809890.txt")
BILL_97 = _doc(BILLS / "1809897.txt")
BILL_98 = _doc(BILLS / "1809898.txt")


# -- profiles ------------------------------------------------------------------------------
def test_profiles_are_detected_from_line_statistics():
    assert detect_rules(REPORT_TEXT, "r.txt").profile == "pdf"  # hard-wrapped, double-spaced
    assert detect_rules(BILL_90, "b.txt").profile == "pdf"  # form feeds, page numbers
    law = detect_rules(CONSTITUTION_TEXT, "c.txt")
    assert law.profile == "plain" and law.statute
    assert detect_rules("# 제목\n\n본문입니다.\n", "notes.md").profile == "markdown"
    assert detect_rules("짧은 메모입니다.\n두 번째 줄입니다.\n", "memo.txt").profile == "plain"
    assert not detect_rules(REPORT_TEXT, "r.txt").blank_line_paragraphs


def test_rule_overrides_are_checked_and_name_the_allowed_switches():
    rules = RepairRules.for_profile("plain")
    assert rules.with_overrides({"profile": "pdf"}).kiwi_joins
    with pytest.raises(ConfigError, match="unknown repair rule.*allowed: .*blank_line_paragraphs"):
        rules.with_overrides({"join_everything": True})
    with pytest.raises(ConfigError, match="'scan' is not one of plain, markdown, pdf"):
        RepairRules.for_profile("scan")


# -- line joins ----------------------------------------------------------------------------
def test_kiwi_joins_glue_words_cut_across_pdf_lines():
    # "보살핌이 필요" / "한 나이이나": no space evidence, Kiwi reads "필요한" far better
    good = "부모의 따뜻한 사랑과 보살핌이 필요한 나이이나"
    assert _in_one_unit(repair(BILL_90), good)
    assert not _in_one_unit(_with(BILL_90, kiwi_joins=False), good)


def test_a_trailing_space_is_evidence_that_the_word_ended():
    # In this extraction a break *without* the trailing space is a cut word ("육아" / "휴직")
    good = "국가공무원의 육아휴직 가능 자녀의 연령을"
    assert _in_one_unit(repair(BILL_90), good)
    assert not _in_one_unit(_with(BILL_90, trailing_space_word_end=False), good)
    # and the report's "재택근" / "무 실시율" is still rejoined, "할 " / "수" still spaced
    rep = repair(REPORT_TEXT)
    assert "재택근무 실시율은 0.01%~0.64% 정도의 극히 미미한 수준." in rep.text
    assert "기업체들이 새롭게 경험한 것은 재택근무라 할 수 있음." in rep.text
    assert "  " not in rep.text


def test_plain_text_lines_are_never_glued():
    # the bug this replaces: "주요 과제" + "디지털 전환 가속화" → "주요 과제디지털 전환 가속화"
    text = "주요 과제\n디지털 전환 가속화\n\n정부는 올해 디지털 전환을 가속화하기로 했다.\n"
    rep = repair(text, name="plan.txt")
    assert "주요 과제" in _units(rep) and "디지털 전환 가속화" in _units(rep)  # two short lines, two units
    # Markdown joins the lines of a paragraph with a space (a "soft line break")
    assert _units(repair(text, name="plan.md"))[0] == "주요 과제 디지털 전환 가속화"


# -- paragraphs -----------------------------------------------------------------------------
def test_blank_lines_separate_markdown_paragraphs():
    text = ("# 회의록\n\n비대면 회의를 열었다.\n참석자는 열 명이었다.\n\n예산은 다음 달에 정한다.\n\n"
            "원격 근무는 주 2회로 늘린다.\n")
    rep = repair(text, name="memo.md")
    assert _units(rep, "text") == ["비대면 회의를 열었다. 참석자는 열 명이었다.", "예산은 다음 달에 정한다.",
                                   "원격 근무는 주 2회로 늘린다."]
    assert len(_units(_with(text, "memo.md", blank_line_paragraphs=False), "text")) == 1


def test_a_short_line_ends_its_paragraph():
    # cover page of a bill: each short line is its own unit, not one 300-character "sentence"
    rep = repair(BILL_98)
    assert "제출연월일 : 2010. 11. 15." in _units(rep)
    assert "9898" in _units(rep)
    assert _in_one_unit(rep, "라. 국군부대의 파견경비는 우리 정부의 부담으로 함.")
    assert "참고사항" in _units(rep)
    merged = _with(BILL_98, width_paragraphs=False)
    assert "참고사항" not in _units(merged)
    assert max(len(u) for u in _units(merged)) > max(len(u) for u in _units(rep))


def test_an_indented_line_after_a_finished_sentence_starts_a_paragraph():
    rep = repair(BILL_90)
    first = "초등학교 저학년의 경우에도 부모의 따뜻한 사랑과 보살핌이 필요한 나이이나"
    second = "따라서 육아휴직이 가능한 자녀의 연령을 만 8세 이하로 개정하려는 것임"
    units = _units(rep)
    assert any(u.startswith(first) for u in units) and any(u.startswith(second) for u in units)
    off = _units(_with(BILL_90, indent_paragraphs=False))
    assert not any(u.startswith(second) for u in off)


# -- structure -----------------------------------------------------------------------------
def test_markdown_headings():
    text = "# 회의록\n비대면 회의를 열었다.\n## 결정\n- 원격 근무를 확대한다.\n"
    rep = repair(text, name="m.md")
    assert [(u.level, rep.text[u.start:u.end]) for u in rep.units if u.kind == "heading"] == [(1, "회의록"), (2, "결정")]
    assert not _units(_with(text, "m.md", markdown_headings=False), "heading")


def test_outline_headings_of_the_report():
    rep = repair(REPORT_TEXT)
    heads = [(u.level, rep.text[u.start:u.end]) for u in rep.units if u.kind == "heading"]
    assert (1, "해외 비대면 산업 현황") in heads and (2, "중국") in heads and (3, "온라인 교육의 활성화") in heads
    assert not _units(_with(REPORT_TEXT, outline_headings=False), "heading")


@pytest.mark.parametrize("line", [
    "I 세대는 어릴 때부터 디지털 기기를 써 온 첫 세대이다.",
    "V 라이브는 네이버의 동영상 서비스이다.",
    '1. "근로자"란 직업의 종류와 관계없이 임금을 목적으로 사업이나 사업장에 근로를 제공하는 사람을 말한다.',
    "□ 정부는 비대면 산업을 육성하기 위해 올해 예산을 두 배로 늘렸다.",
    "1.5m 거리 유지를",
])
def test_sentences_with_a_marker_in_front_are_not_headings(line):
    assert heading_of(line) is None
    rep = repair(f"보고서\n{line}\n다음 문장이다.\n")
    assert any(line.lstrip("□ ") in u for u in _units(rep))


def test_headings_recognised_with_their_levels():
    assert heading_of(" II  국내 비대면 산업 현황") == (1, "국내 비대면 산업 현황")
    assert heading_of("1. 중국") == (1, "중국")
    assert heading_of(" □ 온라인 교육의 활성화") == (1, "온라인 교육의 활성화")
    assert heading_of(" - 코로나19로 인한") is None


def test_statute_articles_paragraphs_and_items():
    rep = repair(CONSTITUTION_TEXT)
    heads = [(u.level, rep.text[u.start:u.end]) for u in rep.units if u.kind == "heading"]
    assert (2, "제1장 총강") in heads and (5, "제1조") in heads and (5, "제128조") in heads
    units = _units(rep)
    assert "① 대한민국은 민주공화국이다." in units
    assert "②대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 나온다." in units
    assert "대한민국의 영토는 한반도와 그 부속도서로 한다." in units  # 제3조 has no ①
    off = _with(CONSTITUTION_TEXT, statute=False)
    assert not any(t.startswith("제1조") for t in _units(off, "heading"))


def test_a_statutes_addenda_copied_with_the_sites_toggles_are_a_part_of_their_own():
    # "펼침  부칙 <헌법 제10호, 1987.10.29.>  부칙보기": the 부칙's articles (제1조 … 제6조) were
    # read as more articles of 제10장 헌법개정, the heading shown with the site's toggle words
    rep = repair(CONSTITUTION_TEXT)
    heads = [(u.level, rep.text[u.start:u.end]) for u in rep.units if u.kind == "heading"]
    assert (1, "부칙 <헌법 제10호, 1987.10.29.>") in heads, [h for h in heads if "부칙" in h[1]]
    after = [h for _, h in heads[heads.index((1, "부칙 <헌법 제10호, 1987.10.29.>")):]]
    assert after[1:] and all(h.startswith("제") and h.endswith("조") for h in after[1:]), after


def test_article_references_are_not_article_headings():
    rep = repair(BILL_90)
    assert not any(h.startswith("제63조제2항") for h in _units(rep, "heading"))
    assert _in_one_unit(rep, "제63조제2항제4호 중 “만 6세 이하의 초등학교 취학 전 자녀를”을")


def test_bullets_start_units_and_lose_their_marker():
    text = ("○ 비대면 진료를 시범 사업으로 허용하는 방안을 검토하고 있다\n"
            "○ 원격 수업을 위한 기기를 학교에 보급하는 사업을 확대한다\n"
            "○ 재택근무를 하는 중소기업에 장비 비용을 지원한다\n") * 3
    rep = repair(text, RepairRules.for_profile("pdf"))
    assert _units(rep)[0] == "비대면 진료를 시범 사업으로 허용하는 방안을 검토하고 있다"
    off = repair(text, RepairRules.for_profile("pdf", bullets=False))
    assert len(_units(off)) < len(_units(rep))


def test_numbered_items_continue_a_numbering_but_a_wrapped_line_is_not_an_item():
    rep = repair(_doc(BILLS / "1809896.txt"))
    assert any(u.startswith("10. 외국인의 출입국·난민인정·귀화·국적회복에 관한 사항") for u in _units(rep))
    rep90 = repair(BILL_90)
    # "…고용 예상인원은 2,836명이" / "다. 2007년부터…" is one sentence, not an item "다."
    assert _in_one_unit(rep90, "대체인력 고용 예상인원은 2,836명이다.")


def test_table_rows_do_not_bleed_into_sentences():
    rep = repair(BILL_90)
    rows = _units(rep, "row")
    # the two-column old/new comparison table: cell fragments stay rows, dash fills are dropped
    assert "느 하나에 해당하는 사유로 휴" in rows
    assert not any(set(r) <= set("-. ") for r in rows)
    assert not any("휴직을 명할 수 있다" in u and "----" in u for u in _units(rep))
    off = _with(BILL_90, tables=False)
    assert not _units(off, "row")
    md = "| 연도 | 비율 |\n|---|---|\n| 2019 | 5.8% |\n| 2020 | 11% |\n"
    assert _units(repair(md, name="t.md"), "row") == ["| 연도 | 비율 |", "| 2019 | 5.8% |", "| 2020 | 11% |"]


def test_form_fields_stay_single_units():
    text = ("의안의 제안 경위와 심사 결과를 다음과 같이 정리하여 국회에 보고하는 바입니다 그 내용은\n"
            "발의연월일 : 2010. 11. 12.\n"
            "발의자 : 정의화 의원 외 9인\n") * 2
    rep = repair(text, RepairRules.for_profile("pdf", width_paragraphs=False))
    assert "발의연월일 : 2010. 11. 12." in _units(rep)
    off = repair(text, RepairRules.for_profile("pdf", width_paragraphs=False, form_fields=False))
    assert "발의연월일 : 2010. 11. 12." not in _units(off)


def test_page_numbers_are_dropped():
    rep = repair(BILL_98)
    assert not any(u.strip("- ").isdigit() and u.startswith("-") for u in _units(rep))
    assert rep.dropped_lines
    off = _with(BILL_98, drop_page_numbers=False)
    assert any(u in ("- 1 -", "1 -") for u in _units(off))


def test_running_headers_are_dropped_except_the_title():
    rep = repair(BILL_98)
    title = "국군부대의 소말리아 해역 파견연장 동의안"
    at = [i + 1 for i, line in enumerate(BILL_98.split("\n")) if line.strip() == title]
    assert len(at) >= 3 and _units(rep).count(title) == 1
    assert at[0] not in rep.dropped_lines and set(at[1:]) <= set(rep.dropped_lines)
    off = _with(BILL_98, drop_running_headers=False, dedupe_in_section=False)
    assert not set(at) & set(off.dropped_lines)
    starts = {off.line_range(u.start, u.end)[0] for u in off.units}
    assert set(at) <= starts  # every repeated title is back in the text


def test_captions_are_set_apart_when_switched_on():
    rules = detect_rules(REPORT_TEXT)
    assert not rules.captions  # off by default: only the report's layout needs it (see corpus/untact-qa.json)
    on = repair(REPORT_TEXT, replace(rules, captions=True))
    assert "MS의 협업솔루션 팀즈" in _units(on, "caption")
    assert "노력을 기울이고 있음\n" in on.text
    assert not _units(repair(REPORT_TEXT), "caption")


def test_a_quoted_line_is_text_not_a_caption():
    text = "그는 회의에서 이렇게 말했다\n“비대면 진료는 이제 시작일 뿐입니다.”\n- 다음 안건\n"
    rep = repair(text, RepairRules.for_profile("pdf", captions=True))
    assert any("비대면 진료는 이제 시작일 뿐입니다" in u for u in _units(rep))
    assert not _units(rep, "caption")


def test_duplicates_are_dropped_only_within_a_section():
    text = ("# 서울\n- 특이사항: 해당 없음\n- 인구는 940만 명이다.\n- 특이사항: 해당 없음\n"
            "# 부산\n- 특이사항: 해당 없음\n")
    rep = repair(text, name="n.md")
    assert _units(rep).count("특이사항: 해당 없음") == 2  # once under 서울, once under 부산
    assert len(rep.dropped_duplicates) == 1
    off = _with(text, "n.md", dedupe_in_section=False)
    assert _units(off).count("특이사항: 해당 없음") == 3
    # the report repeats a paragraph under another chapter: it is kept there
    dup = "금융권에서는 비대면 영업에 기반한 자산관리가 주목받는 추세로서"
    assert squash(REPORT_TEXT).count(squash(dup)) == 2 and repair(REPORT_TEXT).text.count(dup) == 2


# -- offsets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [REPORT_TEXT, CONSTITUTION_TEXT, BILL_90, BILL_97])
def test_every_repaired_character_maps_to_the_same_original_character(text):
    rep = repair(text)
    assert len(rep.orig_offsets) == len(rep.text)
    for i, ch in enumerate(rep.text):
        o = text[rep.orig_offsets[i]]
        assert o == ch or (ch.isspace() and o.isspace()), (i, ch, o)
    assert rep.orig_offsets == sorted(rep.orig_offsets)


def test_line_numbers_point_at_the_source_lines():
    rep = repair(REPORT_TEXT)
    start = rep.text.index("재택근무 실시율은")
    first, last = rep.line_range(start, start + len("재택근무 실시율은"))
    lines = REPORT_TEXT.split("\n")
    assert "재택근" in lines[first - 1] and "무 실시율은" in lines[last - 1]
    assert last == first + 2  # the word is cut across a blank line


def test_nfc_normalisation_of_decomposed_hangul():
    assert normalize("\u1100\u1161\u11ab") == "간"
    assert normalize("a\r\nb") == "a\nb"


def test_a_bills_parts_are_sections_of_their_own():
    # 제안이유, 주요내용 and the amended text ("법률 제   호") of a National Assembly bill are
    # parts a reader asks about; the articles of the amended text stay under it, not under 주요내용
    rep = repair(_doc(BILLS / "1809899.txt"))
    heads = [(u.level, " ".join(rep.text[u.start:u.end].split())) for u in rep.units if u.kind == "heading"]
    names = [h for _, h in heads]
    assert {"제안이유", "주요내용", "법률 제 호", "부 칙"} <= set(names)
    assert names.index("제안이유") < names.index("주요내용") < names.index("법률 제 호")
    level = dict((h, lv) for lv, h in heads)
    assert level["주요내용"] == level["법률 제 호"] == level["부 칙"]
    assert not heading_of("주요 내용을 보면 다음과 같다.", RepairRules(statute=True))
