"""Fault suite, in a real browser: the documents panel's delete list follows the uploads,
so after a reload a document uploaded meanwhile (by anyone) can be deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CHROMIUM
from browserkit import Page
from appkit import doc_rows as _rows, running_app

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed: make browser")]


@pytest.fixture(scope="module")
def app(tmp_path_factory, settings, built_index):
    tmp = tmp_path_factory.mktemp("fault-browser")
    with running_app(tmp, settings, {"GRADIO_TEMP_DIR": str(tmp / "gradio")}) as served:
        yield served


def test_after_a_reload_a_document_uploaded_meanwhile_can_be_deleted(app, browser):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app
    with Page(browser, url) as ui:  # the page was open before the upload
        doc = tmp / "나중메모.md"
        doc.write_text("# 나중 메모\n- 주간 보고는 금요일 오후 다섯 시까지 낸다.\n", encoding="utf-8")
        status, table, *_ = Client(url, verbose=False).predict(handle_file(str(doc)), api_name="/add_document")
        assert "추가됨" in status and "uploads/나중메모.md" in _rows(table)
        ui.open()  # reload
        assert "uploads/나중메모.md" in ui.page.locator("#documents-list").inner_text()
        ui.page.locator("#removable input").click()
        ui.page.get_by_role("option", name="uploads/나중메모.md").click()
        ui.page.locator("#remove").click()
        ui.page.locator("#confirm-remove").wait_for(state="visible")
        ui.page.locator("#confirm-yes").click()
        ui.page.wait_for_function("() => document.querySelector('#upload-status').innerText.includes('삭제됨')",
                                  timeout=120_000)
        assert "not in the list of choices" not in ui.page.content()
        assert "uploads/나중메모.md" not in ui.page.locator("#documents-list").inner_text()
        assert not (corpus / "uploads" / "나중메모.md").exists()
        ui.ask("베트남의 현금 사용률은?")
        assert "90%" in ui.last_turn().inner_text()
