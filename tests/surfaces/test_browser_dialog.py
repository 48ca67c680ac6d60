"""Issue 27 in a real browser: the walk's exact sequences (follow-ups that understand, "왜?",
"더 자세히", summaries, a comparison table), the document guides, Korean particles and `#`
scope notices next to the box."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CHROMIUM
from appkit import running_app, wait_for
from browserkit import Page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed: make browser")]


@pytest.fixture(scope="module")
def app(tmp_path_factory, settings, built_index):
    tmp = tmp_path_factory.mktemp("browser-dialog")
    with running_app(tmp, settings, {"GRADIO_TEMP_DIR": str(tmp / "gradio")}) as served:
        yield served


def searched(ui) -> str:
    s = ui.last_turn().locator(".uqa-searched")
    return s.first.inner_text() if s.count() else ""


def test_follow_ups_understand_and_complete_questions_stay_as_typed(app, browser):
    url, corpus, _ = app
    note = corpus / "uploads" / "복지메모.md"
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("베트남의 현금 사용률은?")
        assert "90%" in ui.last_turn().inner_text()
        ui.ask("그럼 일본은?")
        assert "일본의 현금 사용률은?" in searched(ui) and ui.last_turn().locator(".uqa-literal").count() == 1
        assert "일본" in ui.last_turn().locator(".uqa-a").inner_text()  # the reason names the country asked
        ui.ask("재택근무 중 집중 근무 시간은?")
        assert searched(ui) == ""  # a complete question is searched as typed: no rewrite shown
        # "원래 질문 그대로 검색" asks the rewritten question again as typed
        ui.page.locator("#turn-2 .uqa-literal").click()
        ui.wait_turns(4)
        assert ui.last_turn().locator(".uqa-q-text").inner_text() == "그럼 일본은?" and searched(ui) == ""
    assert not note.exists()


def test_why_and_more_answer_from_the_previous_passage(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("일본의 재택근무 현황은?")
        ui.ask("왜?")
        why = ui.last_turn()
        assert "앞 답의 이유를 찾음" in why.inner_text() and why.locator(".uqa-chip").count() >= 1
        assert "도장" in why.locator(".uqa-a").inner_text() or "기술적 문제" in why.locator(".uqa-a").inner_text()
        ui.ask("더 자세히 설명해줘")
        more = ui.last_turn()
        assert "앞 답을 더 자세히" in more.inner_text() and more.locator(".uqa-chip").count() >= 1
        assert "질문의 핵심 단어 대부분이 문서에 나오지 않습니다" not in more.inner_text()


def test_summary_is_a_headline_and_bullets_and_comparison_is_a_table(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("요약해줘")
        turn = ui.last_turn()
        assert turn.locator(".uqa-headline").count() == 1 and turn.locator(".uqa-summary li").count() >= 3
        assert "전체 요약" in turn.locator(".uqa-summary-label").inner_text()
        bullets = turn.locator(".uqa-summary li").all_inner_texts()
        assert all("[" in b for b in bullets)  # every bullet is cited
        assert not any("(131370)" in b for b in bullets)  # no stock-ticker fragment
        ui.ask("한국과 중국을 비교해줘")
        table = ui.last_turn().locator("table.uqa-table")
        assert table.count() == 1
        heads = table.locator("thead th").all_inner_texts()
        assert heads[1:] == ["한국", "중국"], heads
        assert table.locator("tbody tr").count() >= 2 and table.locator("tbody .uqa-chip").count() >= 2


def test_each_document_has_a_guide_whose_questions_answer(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        guide = ui.page.locator(".uqa-guide").first
        # made in the background at start: the page shows it once it is ready
        wait_for(lambda: (ui.open(), ui.page.locator(".uqa-guide .uqa-suggest").count())[1] > 0, timeout=300,
                 every=1.0)
        guide = ui.page.locator(".uqa-guide").first
        assert guide.locator("li").count() >= 3
        chip = guide.locator(".uqa-suggest").first
        question = chip.get_attribute("data-q")
        before = ui.turns()
        chip.click()
        ui.wait_turns(before + 1)
        turn = ui.last_turn()
        assert question in turn.locator(".uqa-q-text").inner_text()
        assert turn.locator(".uqa-abstain").count() == 0 and turn.locator(".uqa-chip").count() >= 1


def test_particles_agree_and_a_bad_hash_name_is_explained_next_to_the_box(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("untact 보고서에서 줌 이용자 수는?")
        text = ui.page.locator("#conversation").inner_text()
        assert "을(를)" not in text and "이(가)" not in text
        box = ui.page.locator("#question textarea")
        box.fill("#회의롣 보안 교육은 언제야?")
        box.press("Enter")
        ui.page.wait_for_function("() => document.querySelector('#ask-status').innerText.includes('그런 이름의 문서가 없습니다')")
        status = ui.page.locator("#ask-status").bounding_box()
        question = ui.page.locator("#question").bounding_box()
        assert 0 <= status["y"] - (question["y"] + question["height"]) < 80  # right under the box
        assert box.input_value() == "#회의롣 보안 교육은 언제야?"  # nothing typed is lost
        box.fill("#untact 베트남의 현금 사용률은?")  # a partial name of one document
        box.press("Enter")
        ui.wait_turns(2)
        assert "90%" in ui.last_turn().inner_text()
