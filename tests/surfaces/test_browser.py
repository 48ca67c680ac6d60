"""The chat UI in a real browser (Debian chromium driven by playwright), as a Korean user
on a desktop (1366×900) and a phone (390×844) uses it, in light and dark mode."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from conftest import CHROMIUM
from appkit import running_app, wait_for
from browserkit import DESKTOP, PHONE, Page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed: make browser")]


# Relative luminance and contrast ratio (WCAG 2.x), computed in the page from the colours
# the browser actually renders: the text colour against the first opaque background behind it.
CONTRAST_JS = """
(sel) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = (rgb) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]); };
  const blend = (top, bottom) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const background = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255, 1];
    if (layers.length && layers[layers.length - 1][3] >= 1) bg = layers.pop();
    else if (document.body.classList.contains('dark') || document.documentElement.classList.contains('dark')) bg = [0, 0, 0, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg; };
  return [...document.querySelectorAll(sel)].filter((el) => el.offsetParent !== null && el.innerText.trim()).map((el) => {
    const fg = parse(getComputedStyle(el).color); const bg = background(el);
    const fgb = fg[3] < 1 ? blend(fg, bg) : fg;
    const l1 = lum(fgb), l2 = lum(bg);
    return {sel, text: el.innerText.trim().slice(0, 30), ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)};
  });
}
"""
CHECKED = [".uqa-title", ".uqa-panel-title", ".uqa-q-text", ".uqa-who", ".uqa-a", ".uqa-chip", ".uqa-abstain",
           ".uqa-nearmiss", ".uqa-nearmiss-title", ".uqa-closest-label",
           ".uqa-abstain-title", ".uqa-searched", ".uqa-notice", ".uqa-card-head", ".uqa-meta", ".uqa-passage",
           ".uqa-passage mark", ".uqa-n", ".uqa-sources-title", ".uqa-actions button", ".uqa-docs td",
           ".uqa-muted", "#question textarea"]


@pytest.fixture(scope="module")
def app(tmp_path_factory, settings, built_index):
    with running_app(tmp_path_factory.mktemp("browser"), settings) as served:
        yield served


def test_ask_stream_and_click_citation_to_its_card(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        box = ui.page.locator("#question textarea")
        box.fill("일본에서 재택근무가 잘 안 되는 이유는?")
        # seen by the page itself: on a busy machine this process may look only after the answer
        ui.page.evaluate("""() => { window.__sawBusy = false; new MutationObserver(() => {
            if (document.querySelector('#conversation [aria-busy]')) window.__sawBusy = true; })
            .observe(document.querySelector('#conversation'), {subtree: true, childList: true}); }""")
        t0 = time.perf_counter()
        box.press("Enter")
        ui.wait_turns(1)
        first_text_ms = (time.perf_counter() - t0) * 1000
        assert ui.page.evaluate("window.__sawBusy")  # the question showed, marked as being answered
        turn = ui.last_turn()
        assert "기술적 문제" in turn.locator(".uqa-a").inner_text()
        chip = turn.locator(".uqa-chip").first
        assert chip.inner_text() == "[1]" and chip.get_attribute("aria-label") == "출처 1 보기"
        chip.click()
        card = ui.page.locator("#src-1-1")
        ui.page.wait_for_function("() => document.querySelector('#src-1-1').classList.contains('uqa-active')")
        ui.settle("#src-1-1")  # the smooth scroll is over
        box_ = card.bounding_box()
        assert box_ and 0 <= box_["y"] < DESKTOP["height"]  # scrolled into view
        assert "일본의 재택근무 현황" in card.inner_text() and card.locator("mark").count() == 1
        assert ui.page.evaluate("document.activeElement.id") == "src-1-1"  # focus moves for keyboard users
        print(f"\nbrowser: answer after {first_text_ms:.0f} ms")


def test_sources_are_kept_per_answer(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("줌 하루 이용자는 몇 명까지 늘었어?")
        ui.ask("베트남의 현금 사용률은?")
        visible = ui.page.locator("#sources .uqa-turn-sources:not([hidden])")
        assert visible.count() == 1 and visible.get_attribute("data-turn") == "2"
        ui.page.locator("#turn-1 .uqa-chip").first.click()
        ui.page.wait_for_function("() => document.querySelector('#src-1-1').classList.contains('uqa-active')")
        visible = ui.page.locator("#sources .uqa-turn-sources:not([hidden])")
        assert visible.count() == 1 and visible.get_attribute("data-turn") == "1"
        assert "2억" in visible.inner_text()


def test_copy_puts_plain_text_on_the_clipboard(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("줌 하루 이용자는 몇 명까지 늘었어?")
        ui.last_turn().locator(".uqa-copy").click()
        ui.page.wait_for_function("() => document.querySelector('.uqa-copy').innerText === '복사됨'")
        text = ui.page.evaluate("navigator.clipboard.readText()")
        assert "2억" in text and "[1]" in text and "출처" in text and "untact-economy-report.txt" in text
        assert not re.search(r"\\\[|<sub>|</?\w+>|&lt;|&amp;|&#", text), text


def test_clear_resets_conversation_sources_history_and_feedback(app, browser):
    url, _, tmp = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("중국의 원격근무 현황은?")
        ui.clear()
        assert "질문하면 답의 근거" in ui.page.locator("#sources").inner_text()
        assert ui.page.locator("#question textarea").input_value() == ""
        ui.open()  # the cleared conversation must not come back
        assert ui.turns() == 0
        ui.ask("그럼 일본은?")
        assert ui.last_turn().locator(".uqa-searched").count() == 0  # not completed from the cleared chat
        ui.last_turn().locator(".uqa-vote[data-vote='like']").click()
        feedback = tmp / "data" / "feedback.jsonl"
        wait_for(lambda: feedback.exists() and "그럼 일본은?" in feedback.read_text(encoding="utf-8"), timeout=120)
        row = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
        assert row["vote"] == "like" and row["question"] == "그럼 일본은?"
        ui.page.wait_for_function(
            "() => document.querySelector('#turn-1 .uqa-vote[data-vote=\"like\"]').getAttribute('aria-pressed') === 'true'")


def test_conversation_survives_a_reload_and_undo_works(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("베트남의 현금 사용률은?")
        ui.ask("우리나라 재택근무 실시율은 어느 정도야?")
        ui.open()
        ui.wait_turns(2)
        assert "베트남" in ui.page.locator("#turn-1").inner_text()
        assert ui.page.locator("#sources .uqa-turn-sources").count() == 2
        ui.page.locator("#undo").click()
        ui.wait_turns(1)
        assert ui.page.locator("#question textarea").input_value() == "우리나라 재택근무 실시율은 어느 정도야?"


SAVED_JS = "() => JSON.parse(localStorage.getItem('untact-qa-conversation-v2') || 'null')"


def test_the_saved_copy_grows_by_each_answer_keeps_votes_and_restores_after_a_reload(app, browser):
    """An answer's update carries its own turn, not the conversation: the page adds it to the
    saved copy in the browser, a vote replaces it there, and a reload shows them all."""
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        assert ui.page.evaluate(SAVED_JS) == []
        ui.ask("베트남의 현금 사용률은?")
        ui.ask("우리나라 재택근무 실시율은 어느 정도야?")
        saved = ui.page.evaluate(SAVED_JS)
        assert [t["id"] for t in saved] == [1, 2] and "90%" in saved[0]["answer"]
        ui.page.locator("#turn-1 .uqa-vote[data-vote='like']").click()
        ui.page.wait_for_function(f"() => ({SAVED_JS})()[0].vote === 'like'")
        assert ui.page.evaluate(SAVED_JS)[1]["question"] == "우리나라 재택근무 실시율은 어느 정도야?"
        ui.open()
        ui.wait_turns(2)
        assert ui.page.locator("#turn-1 .uqa-vote[data-vote='like']").get_attribute("aria-pressed") == "true"
        assert "90%" in ui.page.locator("#turn-1").inner_text()
        ui.ask("일본은?")
        assert [t["id"] for t in ui.page.evaluate(SAVED_JS)] == [1, 2, 3]


EVIDENCE_JS = "(id) => [...document.querySelectorAll(`#${id} .uqa-inline-sources .uqa-card mark`)].map((m) => m.textContent)"


def test_retry_offers_the_next_best_answer_until_there_is_none_and_votes_stay(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        ui.last_turn().locator(".uqa-vote[data-vote='like']").click()
        like = "() => document.querySelector('#turn-1 .uqa-vote[data-vote=\"like\"]').getAttribute('aria-pressed') === 'true'"
        ui.page.wait_for_function(like)
        seen = set(ui.page.evaluate(EVIDENCE_JS, "turn-1"))
        assert seen
        offered = 0
        for _ in range(8):
            n = ui.turns()
            ui.page.locator("#retry").click()
            ui.page.wait_for_function(
                """(n) => document.querySelector('#ask-status').innerText.includes('다른 답이 없습니다') ||
                   (document.querySelectorAll('#conversation article.uqa-turn').length === n + 1 &&
                    !document.querySelector('#conversation [aria-busy]'))""", arg=n)
            if "다른 답이 없습니다" in ui.page.locator("#ask-status").inner_text():
                break
            turn = ui.last_turn()
            assert "질문 1의 다음으로 좋은 답" in turn.inner_text()
            evidence = set(ui.page.evaluate(EVIDENCE_JS, turn.get_attribute("id")))
            assert evidence and not evidence & seen  # answered from other passages than before
            seen |= evidence
            offered += 1
        else:
            pytest.fail("다시 답하기 never said there was no other answer")
        assert offered >= 1  # this question has a next-best answer in the report
        assert ui.page.evaluate(like)  # the first answer and its vote are still there


def test_export_markdown_and_json_with_sources(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("줌 하루 이용자는 몇 명까지 늘었어?")
        with ui.page.expect_download() as d:
            ui.page.locator("#export-md").click()
        md = Path(d.value.path()).read_text(encoding="utf-8")
        assert "줌 하루 이용자는 몇 명까지 늘었어?" in md and "**출처**" in md and "untact-economy-report.txt" in md
        with ui.page.expect_download() as d:
            ui.page.locator("#export-json").click()
        data = json.loads(Path(d.value.path()).read_text(encoding="utf-8"))
        cite = data["turns"][0]["citations"][0]
        assert cite["doc"] == "untact-economy-report.txt" and "2억" in data["turns"][0]["answer"]
        # the quoted evidence is in the answer (a period-less statement ends with its own [n])
        flat = re.sub(r"\s+|\[\d+\]", "", data["turns"][0]["answer"])
        assert re.sub(r"\s+", "", cite["passage"][cite["evidence"][0]:cite["evidence"][1]]) in flat


def test_example_click_asks_and_bad_questions_get_korean_notices(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.page.get_by_role("button", name="베트남의 현금 사용률은?").click()
        ui.wait_turns(1)
        assert "베트남의 현금 사용률은?" in ui.page.locator("#turn-1 .uqa-q").inner_text()
        ui.ask("   ", wait=False)
        ui.page.wait_for_function("() => document.querySelector('#ask-status').innerText.includes('질문이 비어 있습니다')")
        assert ui.turns() == 1
        ui.ask("재택근무 " * 120, wait=True)  # 600 characters: searched in part, said so
        assert "앞 500자만 검색에 사용했습니다" in ui.last_turn().inner_text()
        huge = "가" * 25_000
        box = ui.page.locator("#question textarea")
        box.fill(huge)
        box.press("Enter")
        ui.page.wait_for_function("() => document.querySelector('#ask-status').innerText.includes('너무 깁니다')")
        assert ui.turns() == 2 and len(ui.page.locator("#conversation").inner_text()) < 5_000
        assert box.input_value() == huge  # nothing the user typed is lost


ALLOWED_LATIN = {"untact", "Markdown", "JSON", "BM25", "e5", "txt", "md", "pdf", "PDF", "KB", "MB", "Enter", "Shift",
                 "economy", "report", "uploads", "API", "Gradio", "corpus",
                 # the file suffixes the upload accepts (untact_qa.formats.SUFFIXES)
                 "hwpx", "docx", "pptx", "xlsx", "xlsm", "html"}


def test_page_is_korean_accessible_and_offline(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:  # an English-language browser
        assert ui.page.evaluate("document.documentElement.lang") == "ko"
        box = ui.page.locator("#question textarea")
        assert box.evaluate("e => [...e.labels].map(l => l.innerText.trim())") == ["질문"]  # not "Textbox"
        assert ui.page.locator("button:has-text('Share'), [aria-label*='share' i]").count() == 0
        text = ui.page.locator("body").inner_text()
        latin = {w for w in re.findall(r"[A-Za-z][A-Za-z0-9]{3,}", text)} - ALLOWED_LATIN
        assert not latin, f"English on the page: {sorted(latin)}"
        assert all(r.startswith(("http://127.0.0.1", "data:", "blob:")) for r in ui.requests), \
            [r for r in ui.requests if not r.startswith("http://127.0.0.1")]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_text_contrast_is_at_least_4_5(app, browser, dark):
    url, _, _ = app
    with Page(browser, url, dark=dark) as ui:
        ui.open("?__theme=dark" if dark else "?__theme=light")
        ui.clear()
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        ui.ask("독일의 재택근무 비율은?")
        assert ui.last_turn().locator(".uqa-nearmiss").count() == 1  # the closest content, its own state
        ui.ask("넷플릭스 가입자는 코로나 이후 얼마나 늘었나?")
        assert ui.last_turn().locator(".uqa-abstain").count() == 1
        ui.page.locator("#turn-1 .uqa-chip").first.click()
        assert ui.page.evaluate("document.body.classList.contains('dark')") == dark
        measured = [m for sel in CHECKED for m in ui.page.evaluate(CONTRAST_JS, sel)]
        seen = {m["sel"] for m in measured}
        assert {".uqa-a", ".uqa-passage mark", ".uqa-abstain", ".uqa-nearmiss", ".uqa-chip", ".uqa-card-head",
                ".uqa-title"} <= seen
        low = [m for m in measured if m["ratio"] < 4.5]
        assert not low, low


def test_phone_shows_sources_under_the_answer(app, browser):
    url, _, _ = app
    with Page(browser, url, viewport=PHONE) as ui:
        ui.clear()
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        assert not ui.page.locator("#sources-column").is_visible()
        ui.last_turn().locator(".uqa-chip").first.click()
        card = ui.page.locator("#isrc-1-1")
        ui.page.wait_for_function("() => document.querySelector('#isrc-1-1').classList.contains('uqa-active')")
        ui.settle("#isrc-1-1")
        b = card.bounding_box()
        assert card.is_visible() and b and 0 <= b["y"] < PHONE["height"]
        answer_box = ui.last_turn().locator(".uqa-a").bounding_box()
        assert b["y"] - (answer_box["y"] + answer_box["height"]) < 400  # right under the answer, not a page away


def test_upload_shows_stages_lists_the_document_and_confirms_delete(app, browser):
    url, corpus, tmp = app
    doc = tmp / "회의록.md"
    doc.write_text("# 회의록\n\n비대면 보안 교육은 매월 둘째 주 수요일에 진행한다.\n\n"
                   "점검 결과 표기: <img src=x onerror=alert(1)> ${alert(2)} {{value}}\n", encoding="utf-8")
    with Page(browser, url) as ui:
        ui.page.evaluate("""() => { window.__uqaStatus = [];
            new MutationObserver(() => window.__uqaStatus.push(document.querySelector('#upload-status').innerText))
              .observe(document.querySelector('#upload-status'), {subtree: true, childList: true, characterData: true}); }""")
        ui.page.locator("#upload input[type=file]").set_input_files(str(doc))
        ui.page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('추가됨')", timeout=120_000)
        seen = " | ".join(ui.page.evaluate("window.__uqaStatus"))
        assert "나누는 중" in seen and "청크 1개" in seen, seen
        assert not re.search(r"\b0/\d", seen), seen  # no "0/47 청크" for a one-chunk file
        assert "uploads/회의록.md" in ui.page.locator("#documents-list").inner_text()
        ui.clear()
        ui.ask("점검 결과 표기는 어떻게 되어 있어?")
        assert ui.page.locator("#conversation img, #sources img").count() == 0
        shown = ui.page.locator("#conversation").inner_text() + ui.page.locator("#sources").inner_text()
        assert "<img src=x" in shown and "${alert(2)}" in shown and "{{value}}" in shown

        # scope: only the report chosen in the list, the new document is not searched
        ui.page.locator("#scope input").click()
        ui.page.get_by_role("option", name="untact-economy-report.txt").click()
        ui.page.keyboard.press("Escape")
        ui.ask("비대면 보안 교육은 언제 진행해?")
        scoped = ui.last_turn()
        assert "검색한 문서 1개: untact-economy-report.txt" in scoped.inner_text()
        assert "회의록" not in scoped.inner_text() + ui.page.locator("#sources .uqa-turn-sources:not([hidden])").inner_text()
        ui.page.locator("#scope .token .token-remove").first.click()
        # ... and "#회의록" in the question searches only that document
        ui.ask("#회의록 비대면 보안 교육은 언제 진행해?")
        assert "검색한 문서 1개: uploads/회의록.md" in ui.last_turn().inner_text()
        assert "둘째 주 수요일" in ui.last_turn().locator(".uqa-a").inner_text()

        ui.page.locator("#removable input").click()
        ui.page.get_by_role("option", name="uploads/회의록.md").click()
        ui.page.locator("#remove").click()
        ui.page.locator("#confirm-remove").wait_for(state="visible")
        assert "삭제할까요" in ui.page.locator("#confirm-remove").inner_text()
        ui.page.locator("#confirm-no").click()
        ui.page.locator("#confirm-remove").wait_for(state="hidden")
        assert (corpus / "uploads" / "회의록.md").exists()
        ui.page.locator("#remove").click()
        ui.page.locator("#confirm-yes").click()
        ui.page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('삭제됨')")
        assert "uploads/회의록.md" not in ui.page.locator("#documents-list").inner_text()
        assert not (corpus / "uploads" / "회의록.md").exists()
        # the answers that cited it still show their sources, marked as deleted
        ui.page.wait_for_function("() => document.querySelector('#sources').textContent.includes('삭제된 문서')")
        marked = ui.page.evaluate("""() => [...document.querySelectorAll('#sources .uqa-card .uqa-meta')]
            .filter((m) => m.querySelector('.uqa-gone')).map((m) => m.textContent)""")
        assert marked and all("uploads/회의록.md" in m for m in marked)
        assert not any("untact-economy-report.txt" in m for m in marked)


def test_screenshot_for_the_readme(app, browser):
    """Refreshes docs/screenshot.png when UNTACT_QA_SCREENSHOT names the target file."""
    target = os.environ.get("UNTACT_QA_SCREENSHOT")
    if not target:
        pytest.skip("set UNTACT_QA_SCREENSHOT=docs/screenshot.png to refresh the README screenshot")
    url, _, _ = app
    with Page(browser, url, locale="ko-KR") as ui:
        ui.clear()
        ui.ask("베트남의 현금 사용률은?")
        ui.new_conversation()
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        ui.last_turn().locator(".uqa-chip").first.click()
        ui.settle(".uqa-card.uqa-active")
        ui.page.evaluate("window.scrollTo(0, 0)")
        ui.last_turn().locator(".uqa-chip").first.hover()  # its preview of the cited sentence
        ui.page.screenshot(path=target, full_page=False)


# Where a visible line of an element's text ends: for every character whose next character
# starts lower down, the pair around the break. Read from the page's own layout (Range rects).
LINE_BREAKS_JS = """
(el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      const rect = r.getClientRects()[0];
      if (rect) chars.push({ch: node.data[i], top: rect.top});
    }
  }
  const breaks = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i + 1].top > chars[i].top + 2) breaks.push(chars[i].ch + chars[i + 1].ch);
  }
  return {text: el.innerText, lines: breaks.length + 1, breaks};
}
"""
HANGUL = re.compile(r"[가-힣]")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_example_buttons_break_lines_between_words_not_inside_them(app, browser, viewport):
    url, _, _ = app
    with Page(browser, url, viewport=viewport) as ui:
        found = [ui.page.locator("#examples button").nth(i).evaluate(LINE_BREAKS_JS)
                 for i in range(ui.page.locator("#examples button").count())]
        assert len(found) == 4
        inside = [(f["text"], b) for f in found for b in f["breaks"] if HANGUL.match(b[0]) and HANGUL.match(b[1])]
        assert not inside, inside
        if viewport is PHONE:  # the check saw real line breaks, not one long line each
            assert any(f["lines"] > 1 for f in found), found


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_newest_turn_is_in_view_after_an_abstention_and_three_more_questions(app, browser, viewport):
    url, _, _ = app
    with Page(browser, url, viewport=viewport) as ui:
        ui.clear()
        ui.ask("넷플릭스 가입자는 코로나 이후 얼마나 늘었나?")
        assert ui.last_turn().locator(".uqa-abstain").count() == 1
        for q in ("줌 하루 이용자는 몇 명까지 늘었어?", "베트남의 현금 사용률은?", "일본에서 재택근무가 잘 안 되는 이유는?"):
            ui.ask(q)  # waits until the newest turn has stopped moving
            box = ui.last_turn().locator(".uqa-a").bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (q, box)


def test_small_fixes_labels_empty_text_dropdown_and_first_paint(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.ctx.add_init_script("""window.__uqaTimers = [];
            new MutationObserver(() => document.querySelectorAll('[data-testid=status-tracker]').forEach((s) => {
              if (/\\d\\.\\ds/.test(s.innerText) && !s.classList.contains('hide') && getComputedStyle(s).opacity !== '0')
                window.__uqaTimers.push(s.innerText); }))
              .observe(document, {subtree: true, childList: true, characterData: true});""")
        ui.open()  # returns once the load events have all run: a spinner would have shown by now
        assert ui.page.evaluate("window.__uqaTimers") == []  # no "0.8s" spinner on first paint
        hangul = re.compile(r"[가-힣]")
        upload_label = ui.page.locator("#upload button.upload-container").get_attribute("aria-label")
        footer_label = ui.page.locator("footer").get_attribute("aria-label")
        assert hangul.search(upload_label) and hangul.search(footer_label), (upload_label, footer_label)
        ui.clear()
        subtitle = ui.page.locator(".uqa-title + .uqa-muted").inner_text()
        empty = ui.page.locator("#conversation .uqa-empty").inner_text()
        assert empty and empty[:15] not in subtitle
        # the delete list's box holds a whole line, so a name's underscores are not clipped
        fits = ui.page.evaluate("""() => { const i = document.querySelector('#removable input');
            return i.clientHeight >= parseFloat(getComputedStyle(i).lineHeight); }""")
        assert fits


def test_a_question_sent_during_an_answer_waits_and_is_not_lost(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        # the first question's request is held in the browser until the second has been sent, so
        # the second is certainly sent while the first is being answered (no race with its speed)
        held = []

        def hold(route):
            if "줌 하루 이용자는" in (route.request.post_data or ""):
                held.append(route)
            else:
                route.continue_()

        ui.page.route("**/queue/join*", hold)
        box = ui.page.locator("#question textarea")
        box.fill("줌 하루 이용자는 몇 명까지 늘었어?")
        box.press("Enter")
        wait_for(lambda: (ui.page.wait_for_timeout(20), held)[1], timeout=60)
        note = ui.page.evaluate("""() => { const box = document.querySelector('#question textarea');
              box.value = '베트남의 현금 사용률은?'; box.dispatchEvent(new Event('input', {bubbles: true}));
              for (const type of ['keydown', 'keypress'])
                box.dispatchEvent(new KeyboardEvent(type, {key: 'Enter', bubbles: true, cancelable: true}));
              return document.getElementById('queue-note')?.textContent || ''; }""")
        assert "이어서 보냅니다" in note  # told, at once, that it waits
        held[0].continue_()
        ui.page.unroute("**/queue/join*")
        ui.wait_turns(2)
        questions = [q.inner_text() for q in ui.page.locator("#conversation .uqa-q-text").all()]
        assert questions == ["줌 하루 이용자는 몇 명까지 늘었어?", "베트남의 현금 사용률은?"]
        ui.page.wait_for_function("() => document.querySelector('#question textarea').value === ''")


def test_a_citation_previews_its_sentence_and_a_card_opens_the_document_at_it(app, browser):
    url, corpus, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        chip = ui.last_turn().locator(".uqa-chip").first
        preview = chip.locator(".uqa-preview")
        assert not preview.is_visible()
        chip.focus()  # keyboard focus previews, as hovering does
        assert preview.is_visible() and "기술적 문제" in preview.inner_text()
        ui.page.locator("#question textarea").focus()
        assert not preview.is_visible()
        chip.hover()
        assert preview.is_visible()

        card = ui.page.locator("#src-1-1")
        first, last = (int(x) for x in card.locator(".uqa-open-doc").get_attribute("data-lines").split("-"))
        card.locator(".uqa-open-doc").click()
        ui.page.wait_for_function("""() => { const h = document.querySelector('#doc-viewer .uqa-hl');
            if (!h) return false; const r = h.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }""")
        assert ui.page.evaluate("document.activeElement.id") == "doc-viewer-panel"  # the dialog itself
        lines = (corpus / "untact-economy-report.txt").read_text(encoding="utf-8").split("\n")
        assert ui.page.locator("#doc-viewer .uqa-lines li").count() == len(lines)  # the whole document
        hl = ui.page.locator("#doc-viewer .uqa-hl")
        assert [h.get_attribute("id") for h in hl.all()] == [f"ln-{n}" for n in range(first, last + 1)]
        assert "기술적 문제" in " ".join(hl.all_inner_texts())
        box = hl.first.bounding_box()
        assert box and 0 <= box["y"] < DESKTOP["height"]  # scrolled to the cited lines
        with ui.page.expect_download() as d:
            ui.page.locator("#doc-download").click()
        assert Path(d.value.path()).read_bytes() == (corpus / "untact-economy-report.txt").read_bytes()
        ui.page.keyboard.press("Escape")
        ui.page.locator("#doc-viewer").wait_for(state="hidden")


def test_clear_offers_undo(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        ui.ask("베트남의 현금 사용률은?")
        ui.clear()
        assert "대화를 지웠습니다" in ui.page.locator("#ask-status").inner_text()
        ui.page.locator("#unclear").click()
        ui.wait_turns(1)
        assert "베트남" in ui.page.locator("#turn-1").inner_text()
        ui.page.locator("#unclear").wait_for(state="hidden")
        ui.open()  # the restored conversation is saved again
        ui.wait_turns(1)


def test_conversations_start_switch_rename_delete_and_survive_a_reload(app, browser):
    url, _, _ = app
    with Page(browser, url) as ui:
        names = lambda: ui.page.locator("#conversation-list label").all_inner_texts()  # noqa: E731
        ui.clear()
        ui.ask("베트남의 현금 사용률은?")
        ui.page.wait_for_function("() => document.querySelector('#conversation-list').innerText.includes('베트남')")
        assert names()[0] == "베트남의 현금 사용률은?"  # titled from its first question
        ui.new_conversation()
        ui.ask("줌 하루 이용자는 몇 명까지 늘었어?")
        ui.page.wait_for_function("() => document.querySelector('#conversation-list').innerText.includes('줌')")
        assert names() == ["줌 하루 이용자는 몇 명까지 늘었어?", "베트남의 현금 사용률은?"]
        ui.page.locator("#conversation-list label", has_text="베트남").click()
        # one turn before and after the switch: wait for the other conversation's turn itself
        ui.page.wait_for_function("() => document.querySelector('#turn-1 .uqa-q-text')?.innerText.includes('베트남')")
        ui.wait_turns(1)
        ui.page.locator("#conversation-title input").fill("현금 이야기")
        ui.page.locator("#rename-conversation").click()
        ui.page.wait_for_function("() => document.querySelector('#conversation-list').innerText.includes('현금 이야기')")
        ui.open()  # kept in the browser
        ui.wait_turns(1)
        ui.page.wait_for_function("() => document.querySelector('#conversation-list').innerText.includes('현금 이야기')")
        assert names() == ["현금 이야기", "줌 하루 이용자는 몇 명까지 늘었어?"]
        ui.page.locator("#delete-conversation").click()  # asks first
        assert "한 번 더" in ui.page.locator("#delete-conversation").inner_text() and ui.turns() == 1
        ui.page.locator("#delete-conversation").click()
        ui.page.wait_for_function("() => !document.querySelector('#conversation-list').innerText.includes('현금')")
        assert names() == ["줌 하루 이용자는 몇 명까지 늘었어?"]
        ui.page.wait_for_function("() => document.querySelector('#turn-1 .uqa-q-text')?.innerText.includes('줌')")
        assert ui.turns() == 1


def test_phone_keeps_the_conversation_list_folded_away(app, browser):
    url, _, _ = app
    with Page(browser, url, viewport=PHONE) as ui:
        side = "() => document.getElementById('conversations').getBoundingClientRect()"
        ui.page.wait_for_function(f"() => ({side})().right <= 1")  # folded away: the chat fills the screen
        ui.page.locator("#conversations .toggle-button").click()
        ui.page.wait_for_function(f"() => ({side})().left >= 0")  # and opens with its toggle
        assert ui.page.locator("#new-conversation").bounding_box()["x"] >= 0
