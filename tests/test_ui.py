"""The chat UI, launched for real on 127.0.0.1 and driven through gradio_client and Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

from untact_qa.schema import Answer, Citation


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status in (200, 401):
                    return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


def _launch(tmp, settings, extra_env=None):
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("uploads"))
    index = tmp / "index"
    shutil.copytree(settings.index_dir, index)  # reuse vectors: only new documents get embedded
    port = _free_port()
    env = {**os.environ, "UNTACT_QA_CORPUS": str(corpus), "UNTACT_QA_INDEX": str(index),
           "UNTACT_QA_CACHE": str(settings.cache_dir), "UNTACT_QA_DATA": str(tmp / "data"),
           "GRADIO_ANALYTICS_ENABLED": "False", **(extra_env or {})}
    log = open(tmp / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait(url, proc)
    except Exception:
        proc.kill()
        raise
    return proc, url, corpus


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, settings, built_index):
    tmp = tmp_path_factory.mktemp("ui")
    proc, url, corpus = _launch(tmp, settings)
    yield url, corpus, tmp
    proc.terminate()
    proc.wait(timeout=30)


def _text(message) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def test_ask_streams_a_cited_answer(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    client = Client(url, verbose=False)
    job = client.submit("줌 하루 이용자는 몇 명까지 늘었어?", [], "hybrid", 5, api_name="/ask")
    updates = list(job)
    assert len(updates) >= 3  # placeholder, partial text, final
    partial = [_text(u[0][-1]) for u in updates]
    assert any(0 < len(p) < len(partial[-1]) for p in partial)  # the answer arrived in pieces
    chat, sources, _searched, _ = updates[-1]
    final = _text(chat[-1])
    assert "2억명" in final and "\\[1\\]" in final
    assert "untact-economy-report.txt" in sources and "<mark>" in sources and "636–6" in sources
    assert "검색되었지만 인용되지 않은 문단" in sources


def test_follow_up_question_is_completed_and_shown(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    client = Client(url, verbose=False)
    chat, _, searched, _ = client.predict("중국의 원격근무 현황은?", [], "hybrid", 5, api_name="/ask")
    chat, sources, searched, _ = client.predict("그럼 일본은?", chat, "hybrid", 5, api_name="/ask")
    assert "검색한 질문: 일본의 원격근무 현황은?" in searched
    assert "일본" in _text(chat[-1]) and "일본" in sources


def test_upload_then_answer_from_it_then_remove(app_url):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app_url
    doc = tmp / "사내메모.md"
    doc.write_text("# 사내 메모\n- 우리 회사의 비대면 회의 요일은 매주 목요일이다.\n"
                   "- 보안 점검 결과는 <script>alert(1)</script> [링크](javascript:alert(2)) 로 표시되었다.\n",
                   encoding="utf-8")
    client = Client(url, verbose=False)
    status, table, _ = client.predict(handle_file(str(doc)), api_name="/add_document")
    assert "추가됨" in status
    rows = {r[0]: r[1] for r in table["data"]}
    assert rows.get("uploads/사내메모.md") == 1 and rows["untact-economy-report.txt"] >= 30
    assert (corpus / "uploads" / "사내메모.md").is_file()

    chat, sources, _, _ = client.predict("우리 회사 비대면 회의는 무슨 요일이야?", [], "hybrid", 5, api_name="/ask")
    assert "목요일" in _text(chat[-1]) and "uploads/사내메모.md" in sources

    chat, sources, _, _ = client.predict("보안 점검 결과는 어떻게 표시되었어?", [], "hybrid", 5, api_name="/ask")
    answer = _text(chat[-1])
    assert "<script>" not in answer and "&lt;script&gt;" in answer
    assert "](javascript" not in answer  # the markdown link is escaped, not rendered
    assert "<script>" not in sources and "&lt;script&gt;" in sources

    status, table, _ = client.predict("uploads/사내메모.md", api_name="/remove_document")
    assert "삭제됨" in status and [r[0] for r in table["data"]] == ["untact-economy-report.txt"]
    assert not (corpus / "uploads" / "사내메모.md").exists()


def test_cp949_upload_is_read_and_can_be_removed(app_url):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app_url
    doc = tmp / "legacy.txt"
    doc.write_bytes("비대면 산업 보고서의 부록은 매년 3월에 발간된다.\n".encode("cp949"))
    client = Client(url, verbose=False)
    status, table, _ = client.predict(handle_file(str(doc)), api_name="/add_document")
    assert "추가됨" in status and "uploads/legacy.txt" in [r[0] for r in table["data"]]
    assert "부록은 매년 3월" in (corpus / "uploads" / "legacy.txt").read_text(encoding="utf-8")
    status, table, _ = client.predict("uploads/legacy.txt", api_name="/remove_document")
    assert [r[0] for r in table["data"]] == ["untact-economy-report.txt"]


@pytest.mark.parametrize("name,payload,message", [
    ("blob.txt", b"\x00\x01\x02\x03binary", "binary"),
    ("garbled.txt", bytes([0x80, 0xFF]) * 8, "not UTF-8, UTF-16 or CP949"),
    ("empty.md", b"   \n", "empty"),
    ("scan.pdf", None, "no extractable text"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
])
def test_bad_uploads_are_rejected_and_change_nothing(app_url, name, payload, message):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app_url
    path = tmp / name
    if payload is None:
        from pypdf import PdfWriter

        w = PdfWriter()
        w.add_blank_page(width=200, height=200)
        with open(path, "wb") as f:
            w.write(f)
    else:
        path.write_bytes(payload)
    client = Client(url, verbose=False)
    before = sorted(p.name for p in (corpus / "uploads").glob("*")) if (corpus / "uploads").exists() else []
    status, table, _ = client.predict(handle_file(str(path)), api_name="/add_document")
    assert status.startswith("❌") and message in status.replace("\\", "")
    assert [r[0] for r in table["data"]] == ["untact-economy-report.txt"]
    after = sorted(p.name for p in (corpus / "uploads").glob("*")) if (corpus / "uploads").exists() else []
    assert before == after


def test_other_file_types_are_refused_before_reaching_the_index(app_url):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    url, corpus, tmp = app_url
    path = tmp / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(AppError, match="Invalid file type"):
        Client(url, verbose=False).predict(handle_file(str(path)), api_name="/add_document")
    assert not (corpus / "uploads" / "sheet.xlsx").exists()


def test_store_limits_name_the_fix(tmp_path):
    from untact_qa.documents import MAX_BYTES, extract_text, safe_name
    from untact_qa.errors import CorpusError

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(CorpusError, match="over the 5 MB limit"):
        extract_text(big, "big.txt")
    with pytest.raises(CorpusError, match="only .txt, .md, .pdf"):
        extract_text(big, "sheet.xlsx")
    assert safe_name("../../etc/passwd") == "passwd" and safe_name("...") == "document"


def test_empty_question_gets_a_message_not_a_crash(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    chat, _, _, _ = Client(url, verbose=False).predict("   ", [], "hybrid", 5, api_name="/ask")
    assert "question is empty" in _text(chat[-1])


def test_sources_and_chat_escape_untrusted_text():
    from untact_qa.schema import Chunk, Hit
    from untact_qa.ui import escape_markdown, render_answer_markdown, render_sources_html

    passage = "앞 <img src=x onerror=alert(1)> 증거 [클릭](http://evil) 뒤"
    cite = Citation(1, "d#0", "<b>doc</b>.md", "h1 > <i>h2</i>", 3, 4, passage, 2, len(passage) - 2, (1, 9))
    chunk = Chunk("d#1", "d.md", ("<script>",), "<script>x</script>", 0, 10, 0, 10, 1, 1)
    ans = Answer("q", passage + " [1]", (cite,), False, hits=(Hit(chunk, 1.0, 2),))
    html_out = render_sources_html(ans)
    assert "<img" not in html_out and "&lt;img" in html_out
    assert "<script>" not in html_out and "<b>doc</b>" not in html_out and "<i>h2</i>" not in html_out
    md = render_answer_markdown(ans)
    assert "<img" not in md and "\\[클릭\\]\\(http://evil\\)" in md.replace("\\:", ":")
    assert escape_markdown("**굵게**") == "\\*\\*굵게\\*\\*"


def test_feedback_is_appended_as_jsonl(tmp_path):
    from untact_qa.ui import record_feedback

    turn = {"question": "q", "searched_query": "q", "answer": "a [1]", "abstained": False,
            "citations": [{"n": 1, "doc": "d", "lines": [1, 2]}]}
    record_feedback(tmp_path / "fb" / "feedback.jsonl", turn, "like")
    record_feedback(tmp_path / "fb" / "feedback.jsonl", turn, "dislike")
    rows = [json.loads(line) for line in (tmp_path / "fb" / "feedback.jsonl").read_text().splitlines()]
    assert [r["vote"] for r in rows] == ["like", "dislike"] and rows[0]["citations"][0]["lines"] == [1, 2]


def test_login_is_required_when_configured(tmp_path_factory, settings, built_index):
    from gradio_client import Client

    tmp = tmp_path_factory.mktemp("ui-auth")
    proc, url, _ = _launch(tmp, settings, {"UNTACT_QA_USER": "kim", "UNTACT_QA_PASSWORD": "s3cret"})
    try:
        with pytest.raises(Exception):
            Client(url, verbose=False).predict("재택근무", [], "hybrid", 3, api_name="/ask")
        chat, _, _, _ = Client(url, auth=("kim", "s3cret"), verbose=False).predict(
            "재택근무 실시율은?", [], "hybrid", 3, api_name="/ask")
        assert "0.01%~0.64%" in _text(chat[-1]).replace("\\", "")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed: apt-get install chromium")
def test_real_browser_question_answer_and_sources(app_url):
    from playwright.sync_api import sync_playwright

    url, _, tmp = app_url
    shot = Path(os.environ.get("UNTACT_QA_SCREENSHOT", tmp / "ui.png"))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        box = page.locator("#question textarea")
        box.wait_for(timeout=60_000)
        box.fill("일본에서 재택근무가 잘 안 되는 이유는?")
        t0 = time.perf_counter()
        box.press("Enter")
        bot = page.locator("#chat .bot, #chat [data-testid='bot']").last
        page.wait_for_function(
            "() => { const b = [...document.querySelectorAll('#chat [data-testid=\"bot\"], #chat .bot')].pop();"
            " return b && b.innerText.trim().length > 3 && !b.innerText.includes('…'); }", timeout=60_000)
        first_token_s = time.perf_counter() - t0
        page.wait_for_function("() => document.querySelector('#sources mark') !== null", timeout=60_000)
        page.wait_for_timeout(300)
        answer = bot.inner_text()
        sources = page.locator("#sources").inner_text()
        page.screenshot(path=str(shot), full_page=True)
        # 👍 on the answer writes a feedback row
        page.get_by_label("Like", exact=True).last.click()
        feedback = tmp / "data" / "feedback.jsonl"
        deadline = time.time() + 15
        while not feedback.exists() and time.time() < deadline:
            time.sleep(0.2)
        browser.close()
    row = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert row["vote"] == "like" and row["question"] == "일본에서 재택근무가 잘 안 되는 이유는?"
    assert row["citations"] and row["citations"][0]["doc"] == "untact-economy-report.txt"
    assert "기술적 문제" in answer and "[1]" in answer
    assert "untact-economy-report.txt" in sources and "일본의 재택근무 현황" in sources
    assert all(r.startswith(("http://127.0.0.1", "data:", "blob:")) for r in requests), \
        [r for r in requests if not r.startswith("http://127.0.0.1")]
    print(f"\nbrowser: first answer text after {first_token_s * 1000:.0f} ms; screenshot {shot}")
