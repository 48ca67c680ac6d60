"""The document viewer and the upload of several files, in a real browser (Debian chromium
driven by playwright): the viewer over the open sidebar with its header in view at the cited
lines, closed by Escape or a tap outside on a desktop and a phone with focus back on the
"문서에서 보기" that opened it, a PDF's cited page shown with the sentence boxed, the original
file downloaded byte for byte, and 20 files (or a folder) added in one go with a status line each."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT
from appkit import running_app
from browserkit import DESKTOP, PHONE, Page

sys.path.insert(0, str(ROOT / "tests" / "formats"))

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed: make browser")]

VIEWER_SHOWN = """() => { const h = document.querySelector('#doc-viewer .uqa-hl'); if (!h) return false;
    const r = h.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""
RECT_JS = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; }"""
# what the page shows at a point: the element there and, for the viewer, which of its parts
AT_JS = """([x, y]) => { const e = document.elementFromPoint(x, y);
    return e ? (e.closest('#doc-viewer-panel') ? 'panel' : e.closest('#doc-viewer') ? 'backdrop' :
                e.closest('#conversations') ? 'sidebar' : e.tagName) : null; }"""
OPENER_FOCUSED = ("(card) => document.activeElement.matches('.uqa-open-doc') && "
                  "document.activeElement.closest('.uqa-card').id === card")
BUTTON_AT = "([x, y]) => document.elementFromPoint(x, y).closest('button')?.id"


@pytest.fixture(scope="module")
def app(tmp_path_factory, settings, built_index):
    with running_app(tmp_path_factory.mktemp("browser-viewer"), settings) as served:
        yield served


def upload(ui: Page, *paths: Path, done: int | None = None):
    """Choose *paths* in the page's upload and wait until every one of them has its end line."""
    n = done if done is not None else len(paths)
    ui.page.locator("#upload input[type=file]").set_input_files([str(p) for p in paths])
    ui.page.wait_for_function(
        "(n) => { const u = document.querySelector('#upload-status .uqa-uploads');"
        " return u && Number(u.dataset.total) === n && u.dataset.done === u.dataset.total; }", arg=n, timeout=300_000)


def test_desktop_viewer_is_over_the_open_sidebar_with_its_header_at_the_cited_lines(app, browser):
    url, corpus, _ = app
    with Page(browser, url) as ui:
        ui.clear()
        side = ui.page.evaluate(RECT_JS, "#conversations")
        assert side[2] > 200  # the conversation list is open on a desktop
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        opener = ui.page.locator("#src-1-1 .uqa-open-doc")
        first, last = (int(x) for x in opener.get_attribute("data-lines").split("-"))
        opener.click()
        ui.page.wait_for_function(VIEWER_SHOWN)
        panel = ui.page.evaluate(RECT_JS, "#doc-viewer-panel")
        # the part of the viewer over the sidebar is the viewer's, top to bottom (it sat under it)
        for y in (panel[1] + 20, (panel[1] + panel[3]) / 2, panel[3] - 20):
            for x in (panel[0] + 8, (panel[0] + side[2]) / 2, side[2] - 8):
                assert ui.page.evaluate(AT_JS, [x, y]) == "panel", (x, y)
        assert ui.page.evaluate(AT_JS, [side[2] / 2, 5]) == "backdrop"  # the sidebar is under the backdrop
        # the header: title, download and close in view together with the cited lines
        bar = ui.page.evaluate(RECT_JS, "#doc-viewer-bar")
        hl = ui.page.evaluate(RECT_JS, "#doc-viewer .uqa-hl")
        assert 0 <= bar[1] and bar[3] <= hl[1] and hl[3] <= DESKTOP["height"], (bar, hl)
        for sel in ("#doc-download", "#doc-close"):
            r = ui.page.evaluate(RECT_JS, sel)
            assert bar[1] <= r[1] and r[3] <= bar[3]
            assert ui.page.evaluate(BUTTON_AT, [(r[0] + r[2]) / 2, (r[1] + r[3]) / 2]) == sel[1:]  # not covered
        title = ui.page.locator("#doc-viewer-title").inner_text()
        assert "untact-economy-report.txt" in title and (f"{first}–{last}행" if first != last else f"{first}행") in title
        # the document scrolls under the header, which stays where it is
        ui.page.evaluate("() => { const t = document.getElementById('doc-viewer-text'); t.scrollTop = t.scrollHeight; }")
        ui.page.wait_for_function("() => { const t = document.getElementById('doc-viewer-text'); "
                                  "return t.scrollTop > 0 && t.scrollTop + t.clientHeight >= t.scrollHeight - 2; }")
        assert ui.page.evaluate(RECT_JS, "#doc-viewer-bar") == bar
        lines = (corpus / "untact-economy-report.txt").read_text(encoding="utf-8").split("\n")
        last_line = ui.page.evaluate(RECT_JS, f"#ln-{len(lines)}")
        assert bar[3] <= last_line[1] and last_line[3] <= DESKTOP["height"]
        # keyboard: focus is in the dialog, Tab stays in it, Escape closes it and goes back
        assert ui.page.evaluate("document.activeElement.id") == "doc-viewer-panel"
        for _ in range(4):
            ui.page.keyboard.press("Tab")
            assert ui.page.evaluate("!!document.activeElement.closest('#doc-viewer-panel')")
        ui.page.keyboard.press("Escape")
        ui.page.locator("#doc-viewer").wait_for(state="hidden")
        assert ui.page.evaluate(OPENER_FOCUSED, "src-1-1")
        assert not ui.page.evaluate("document.documentElement.classList.contains('uqa-viewer-open')")
        # a click beside the panel closes it too, and so does 닫기, each time back to the opener
        for close in (lambda: ui.page.mouse.click(DESKTOP["width"] - 10, DESKTOP["height"] / 2),
                      lambda: ui.page.locator("#doc-close").click()):
            opener.click()
            ui.page.wait_for_function(VIEWER_SHOWN)
            close()
            ui.page.locator("#doc-viewer").wait_for(state="hidden")
            assert ui.page.evaluate(OPENER_FOCUSED, "src-1-1")


def test_phone_viewer_closes_by_a_tap_outside_and_by_escape_and_focus_returns(app, browser):
    url, _, _ = app
    with Page(browser, url, viewport=PHONE, touch=True) as ui:
        ui.clear()
        ui.ask("일본에서 재택근무가 잘 안 되는 이유는?")
        ui.page.locator("#turn-1 details.uqa-inline-sources > summary").tap()
        opener = ui.page.locator("#isrc-1-1 .uqa-open-doc")
        opener.tap()
        ui.page.wait_for_function(VIEWER_SHOWN)
        panel = ui.page.evaluate(RECT_JS, "#doc-viewer-panel")
        assert panel[0] >= 0 and panel[2] <= PHONE["width"] and panel[1] > 20  # a strip above it to tap
        for sel in ("#doc-download", "#doc-close", "#doc-viewer-title"):
            r = ui.page.evaluate(RECT_JS, sel)
            assert 0 <= r[1] and r[3] <= PHONE["height"] and r[2] <= PHONE["width"], sel
        # a tap inside the viewer (on the text) leaves it open; a tap on the strip above closes it
        ui.page.touchscreen.tap(PHONE["width"] / 2, (panel[1] + panel[3]) / 2)
        assert ui.page.locator("#doc-viewer-panel").is_visible()
        ui.page.touchscreen.tap(PHONE["width"] / 2, panel[1] / 2)
        ui.page.locator("#doc-viewer").wait_for(state="hidden")
        assert ui.page.evaluate(OPENER_FOCUSED, "isrc-1-1")
        # Escape (a phone with a keyboard)
        opener.tap()
        ui.page.wait_for_function(VIEWER_SHOWN)
        ui.page.keyboard.press("Escape")
        ui.page.locator("#doc-viewer").wait_for(state="hidden")
        assert ui.page.evaluate(OPENER_FOCUSED, "isrc-1-1")
        # the page behind scrolls again
        assert ui.page.evaluate("getComputedStyle(document.documentElement).overflow") != "hidden"


def highlighted_pixels(png: bytes) -> int:
    """Pixels of the highlight's translucent yellow over white paper (formats.pdf.HIGHLIGHT_FILL)."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in im.getdata() if r > 245 and 220 <= g <= 245 and 140 <= b <= 190)


def test_a_pdf_citation_shows_its_page_with_the_sentence_boxed_and_the_original_downloads(app, browser):
    import docmakers

    url, corpus, tmp = app
    pdf = docmakers.make_pdf(tmp / "헬스케어.pdf")
    with Page(browser, url) as ui:
        upload(ui, pdf)
        assert "uploads/헬스케어.pdf.txt" in ui.page.locator("#documents-list").inner_text()
        ui.clear()
        ui.ask("#헬스케어 보급률이 가장 빠르게 늘고 있는 연령층은?")
        assert "고령층" in ui.last_turn().locator(".uqa-a").inner_text()
        card = ui.page.locator("#src-1-1")
        assert "2쪽" in card.locator(".uqa-meta").inner_text()
        card.locator(".uqa-open-doc").click()
        ui.page.wait_for_function(VIEWER_SHOWN)
        figure = ui.page.locator("#doc-viewer .uqa-page")
        assert figure.get_attribute("data-page") == "2" and int(figure.get_attribute("data-boxes")) >= 1
        assert "인용한 문장을 노란 상자로 표시했습니다" in figure.inner_text()
        ui.page.wait_for_function("() => { const i = document.querySelector('#doc-viewer .uqa-page img');"
                                  " return i && i.complete && i.naturalWidth > 0; }")
        img = figure.locator("img")
        assert img.is_visible() and "2쪽" in img.get_attribute("alt")
        src = ui.page.evaluate("() => document.querySelector('#doc-viewer .uqa-page img').src")
        png = ui.page.request.get(src).body()
        assert png.startswith(b"\x89PNG") and highlighted_pixels(png) > 500  # the box is drawn on the page
        assert "2쪽" in ui.page.locator("#doc-viewer-title").inner_text()
        # the page beside the text on a desktop, both in view with the cited line
        shot = ui.page.evaluate(RECT_JS, "#doc-viewer .uqa-page img")
        hl = ui.page.evaluate(RECT_JS, "#doc-viewer .uqa-hl")
        assert shot[2] <= hl[0] and shot[3] <= DESKTOP["height"]
        with ui.page.expect_download() as d:
            ui.page.locator("#doc-download").click()
        assert d.value.suggested_filename == "헬스케어.pdf"
        assert Path(d.value.path()).read_bytes() == pdf.read_bytes()  # the original, byte for byte
        assert ui.page.locator("#doc-viewer-panel").is_visible()  # downloading does not close it


def test_a_docx_citation_downloads_the_original_docx(app, browser):
    import docmakers

    url, _, tmp = app
    docx = docmakers.make_docx(tmp / "원격근무거점.docx")
    with Page(browser, url) as ui:
        upload(ui, docx)
        ui.clear()
        ui.ask("#원격근무거점 원격근무 거점 센터가 줄인 출퇴근 시간은 평균 몇 분인가?")
        assert "38분" in ui.last_turn().locator(".uqa-a").inner_text()
        ui.page.locator("#src-1-1 .uqa-open-doc").click()
        ui.page.wait_for_function(VIEWER_SHOWN)
        assert ui.page.locator("#doc-viewer .uqa-page").count() == 0  # a page image is for PDFs
        with ui.page.expect_download() as d:
            ui.page.locator("#doc-download").click()
        assert d.value.suggested_filename == "원격근무거점.docx"
        assert Path(d.value.path()).read_bytes() == docx.read_bytes()  # not the extracted .docx.md


def test_twenty_files_in_one_go_each_get_a_status_line_and_are_all_listed(app, browser):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app
    folder = tmp / "지점보고"
    folder.mkdir()
    files = []
    for i in range(1, 21):
        f = folder / f"지점{i:02d}.md"
        f.write_text(f"# 지점 보고 {i}\n\n제{i}지점의 월간 방문객은 {i * 100 + 7}명으로 집계되었다.\n", encoding="utf-8")
        files.append(f)
    with Page(browser, url) as ui:
        ui.clear()
        upload(ui, *files)
        # the page sent each file in a request of its own (the server takes one file per request)
        assert len([r for r in ui.requests if "/gradio_api/upload?" in r or r.endswith("/gradio_api/upload")]) == 20
        rows = ui.page.locator("#upload-status .uqa-upload-row")
        assert rows.count() == 20
        texts = rows.all_inner_texts()
        assert all(t.startswith("✅") for t in texts), texts
        assert [t.split()[1] for t in texts] == [f"uploads/지점{i:02d}.md" for i in range(1, 21)]
        assert "파일 20개를 모두 추가했습니다" in ui.page.locator("#upload-status").inner_text()
        listed = ui.page.locator("#documents-list").inner_text()
        assert all(f"uploads/지점{i:02d}.md" in listed for i in range(1, 21))
        assert all((corpus / "uploads" / f.name).is_file() for f in files)
        # the picker is empty again, ready for the next files
        ui.page.locator("#upload input[type=file]").wait_for(state="attached")
        ui.ask("#지점17 방문객은 몇 명이야?")
        assert "1707명" in ui.last_turn().locator(".uqa-a").inner_text()

        # a file that cannot be read gets its reason on its line, the others still go in, and a
        # file of another type is named (in Korean) and left out before anything is sent
        memo, broken, picture = tmp / "추가메모.md", tmp / "깨진.pdf", tmp / "사진.png"
        memo.write_text("# 추가 메모\n\n사내 봉사활동은 11월 첫째 주 금요일에 한다.\n", encoding="utf-8")
        broken.write_bytes(b"%PDF-1.4 garbage")
        picture.write_bytes(b"\x89PNG not a document")
        ui.page.locator("#upload input[type=file]").set_input_files([str(memo), str(broken), str(picture)])
        ui.page.wait_for_function("() => { const u = document.querySelector('#upload-status .uqa-uploads');"
                                  " return u && u.dataset.total === '2' && u.dataset.done === '2'; }", timeout=300_000)
        texts = ui.page.locator("#upload-status .uqa-upload-row").all_inner_texts()
        assert texts[0].startswith("✅ uploads/추가메모.md") and texts[1].startswith("❌"), texts
        assert "깨진.pdf" in texts[1] and "읽을 수 없는 PDF" in texts[1]
        skipped = ui.page.locator("#upload-skipped").inner_text()
        assert "사진.png" in skipped and "읽을 수 없는 형식" in skipped
        assert not (corpus / "uploads" / "깨진.pdf.txt").exists()
    # programs: the same in one call (and /add_document still takes one file)
    a, b = tmp / "묶음1.md", tmp / "묶음2.md"
    a.write_text("# 묶음 1\n\n첫째 묶음의 마감일은 5월 2일이다.\n", encoding="utf-8")
    b.write_text("# 묶음 2\n\n둘째 묶음의 마감일은 5월 9일이다.\n", encoding="utf-8")
    status, table, *_ = Client(url, verbose=False).predict([handle_file(str(a)), handle_file(str(b))], "keep",
                                                           api_name="/add_documents")
    assert status.count("✅") == 2 and "uploads/묶음1.md" in table and "uploads/묶음2.md" in table


def test_a_folder_is_added_whole_hidden_files_and_other_types_left_out(app, browser):
    url, corpus, tmp = app
    folder = tmp / "부서자료"
    (folder / "하위").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "체육대회.md").write_text("# 체육대회\n\n사내 체육대회는 10월 셋째 주 토요일에 열린다.\n", encoding="utf-8")
    (folder / "하위" / "교육.txt").write_text("신입 사원 교육은 3월 둘째 주에 시작한다.\n", encoding="utf-8")
    (folder / ".git" / "설정.md").write_text("숨은 파일\n", encoding="utf-8")
    (folder / "로고.png").write_bytes(b"\x89PNG")
    with Page(browser, url) as ui:
        ui.page.locator("#upload-folder-input").set_input_files(str(folder))  # 📁 폴더째 추가…
        ui.page.wait_for_function("() => { const u = document.querySelector('#upload-status .uqa-uploads');"
                                  " return u && u.dataset.total === '2' && u.dataset.done === '2'; }", timeout=300_000)
        texts = ui.page.locator("#upload-status .uqa-upload-row").all_inner_texts()
        assert sorted(t.split(" 추가됨:")[0] for t in texts) == ["✅ uploads/교육.txt", "✅ uploads/체육대회.md"], texts
        assert "로고.png" in ui.page.locator("#upload-skipped").inner_text()
        assert not (corpus / "uploads" / "설정.md").exists()
