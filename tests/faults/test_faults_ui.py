"""Fault suite, chat UI: one real server on 127.0.0.1 (real model, a tmp copy of the corpus
and of the session index), fed what a careful attacker and a clumsy user send.

Every test asserts the clear (Korean) message, that nothing was lost, and that the
index still answers.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from faultkit import (answers_vietnam, ask, client, drawing_bomb, extract_children, memory_bomb, process_lines,
                      raw_ask, raw_event, text_bomb, upload as _upload, wait_for)
from appkit import doc_rows as _rows, running_app

# The upload CPU limit of this server: ample for the real uploads of these tests (each needs
# well under a second of CPU); the drawing bombs are sized to need 20x this on the machine that
# runs the tests. The wall clock is set far beyond it, so that only the CPU limit can stop a
# bomb however busy the machine is (waiting for a core is not CPU time); the wall-clock kill
# has its own test below.
CPU_SECONDS = 12
WALL_SECONDS = 600
KEEP_EXPORTS = 6


@pytest.fixture(scope="module")
def fault_app(tmp_path_factory, settings, built_index):
    tmp = tmp_path_factory.mktemp("fault-ui")
    (tmp / "tmp").mkdir()
    env = {"GRADIO_TEMP_DIR": str(tmp / "gradio"), "TMPDIR": str(tmp / "tmp"),
           "UNTACT_QA_UPLOAD_CPU_SECONDS": str(CPU_SECONDS), "UNTACT_QA_UPLOAD_WALL_SECONDS": str(WALL_SECONDS),
           "UNTACT_QA_KEEP_EXPORTS": str(KEEP_EXPORTS)}
    with running_app(tmp, settings, env) as served:
        yield served


def upload(url, path: Path, on_conflict: str | None = None, timeout: float = WALL_SECONDS + 60):
    return _upload(url, path, on_conflict, timeout)


def export(c, fmt="markdown") -> Path:
    """The 저장 button of this client's conversation: the client's downloaded copy of the file."""
    f, _status = c.predict(api_name=f"/export_{fmt}")
    return Path(f.get("value") if isinstance(f, dict) else f)


def uploads(corpus: Path) -> list[str]:
    d = corpus / "uploads"
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


# -- row 1: upload isolation ------------------------------------------------------------------------
def test_pdf_of_millions_of_drawing_commands_is_stopped_and_the_index_still_answers(fault_app, tmp_path):
    url, corpus, _ = fault_app
    before = uploads(corpus)
    status, table, *_ = upload(url, drawing_bomb(tmp_path / "도면.pdf", CPU_SECONDS))
    assert "❌ 추가하지 않았습니다" in status and f"CPU 시간 한도({CPU_SECONDS}초)를 넘어 중단했습니다" in status, status
    assert uploads(corpus) == before and "uploads/도면.pdf.txt" not in _rows(table)
    answers_vietnam(url)


def test_pdf_whose_text_is_too_long_is_refused_by_the_character_cap(fault_app, tmp_path):
    url, corpus, _ = fault_app
    before = uploads(corpus)
    status, table, *_ = upload(url, text_bomb(tmp_path / "긴글.pdf"))
    assert "❌ 추가하지 않았습니다" in status and "한도(400,000자)를 넘습니다" in status, status
    assert uploads(corpus) == before and not any("긴글" in d for d in _rows(table))
    answers_vietnam(url)


def test_pdf_that_needs_too_much_memory_is_stopped_with_the_reason(tmp_path):
    from untact_qa.errors import CorpusError
    from untact_qa.config import UploadConfig as Limits
    from untact_qa.extract import extract_isolated

    with pytest.raises(CorpusError) as err:
        extract_isolated(memory_bomb(tmp_path / "big.pdf", mb=400), "big.pdf",
                         Limits(cpu_seconds=20, memory_mb=256, wall_limit=WALL_SECONDS))
    assert "메모리 한도(256 MB)" in err.value.korean()


def test_a_reader_that_outlasts_the_wall_clock_is_killed_with_the_reason(tmp_path):
    """The wall clock stops a reader the CPU limit would not stop in time: a process runs at most
    one CPU-second per second, so a bomb of 20 x 2 s of CPU cannot finish in a 2 s wall clock on
    any machine, and a CPU limit of 10 minutes cannot fire first."""
    from untact_qa.config import UploadConfig as Limits
    from untact_qa.errors import CorpusError
    from untact_qa.extract import extract_isolated

    bomb = drawing_bomb(tmp_path / "느림.pdf", 2)
    with pytest.raises(CorpusError) as err:
        extract_isolated(bomb, "느림.pdf", Limits(cpu_seconds=600, wall_limit=2))
    assert "읽는 데 2초가 넘게 걸려 중단했습니다" in err.value.korean()
    assert extract_children("느림.pdf", under=tmp_path) == []  # killed, not left running


def test_a_slow_upload_blocks_neither_other_uploads_nor_answers(fault_app, tmp_path):
    """While one upload's reader is running, another upload is added and a question answered.
    No race decides it: the slow reader is paused (SIGSTOP) while the others run, so it cannot
    finish first on any machine, then let go and stopped by the CPU limit as above."""
    url, corpus, app_dir = fault_app
    from gradio_client import handle_file

    slow = client(url).submit(handle_file(str(drawing_bomb(tmp_path / "느린.pdf", CPU_SECONDS))),
                              api_name="/add_document")
    # this server's reader (its upload is under the app's folder; a second test run on the
    # same machine has a 느린.pdf reader of its own — seen once)
    reader = wait_for(lambda: extract_children("느린.pdf", under=app_dir), timeout=WALL_SECONDS)[0]
    os.kill(reader, signal.SIGSTOP)
    try:
        note = tmp_path / "빠른메모.md"
        note.write_text("# 빠른 메모\n- 사내 독서 모임은 매달 첫째 주 수요일에 열린다.\n", encoding="utf-8")
        status, table, *_ = upload(url, note)
        assert "추가됨" in status and "uploads/빠른메모.md" in _rows(table), status
        out = ask(client(url), "사내 독서 모임은 언제 열려?")
        assert "수요일" in out["turns"][-1]["answer"]
        # the slow one is still in flight, its paused reader with it and no other
        now = extract_children("느린.pdf", under=app_dir)
        assert not slow.done() and now == [reader], process_lines(now)
    finally:
        os.kill(reader, signal.SIGCONT)
    status, *_ = slow.result(timeout=WALL_SECONDS + 60)
    assert f"CPU 시간 한도({CPU_SECONDS}초)를 넘어 중단했습니다" in status, status
    assert "느린" not in " ".join(uploads(corpus))
    client(url).predict("uploads/빠른메모.md", api_name="/remove_document")
    answers_vietnam(url)


# -- row 2: same name ----------------------------------------------------------------------------------
def added(status: str) -> str:
    """The document id an upload status line reports as added."""
    m = re.search(r"✅ (uploads/.+?) 추가됨", status)
    assert m, status
    return m.group(1)


def test_same_cleaned_name_keeps_both_by_default_and_replaces_only_when_chosen(fault_app, tmp_path):
    url, corpus, tmp = fault_app
    # names that differ only in characters the cleaner replaces (or the client drops)
    first, second = tmp_path / "a" / "회의?안내.txt", tmp_path / "b" / "회의*안내.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text("정기 회의는 매주 월요일 오전 열 시에 본관에서 열린다.\n", encoding="utf-8")
    second.write_text("분기 회의는 삼월 첫째 금요일 오후 두 시에 별관에서 열린다.\n", encoding="utf-8")
    s1, _, *_ = upload(url, first)  # no choice sent: the API default
    s2, table, *_ = upload(url, second)
    one, two = added(s1), added(s2)
    assert two == one.replace(".txt", " (2).txt") and "둘 다 유지했습니다" in s2, (s1, s2)
    rows = _rows(table)
    assert one in rows and two in rows
    c = client(url)
    assert "월요일" in ask(c, "정기 회의는 무슨 요일에 열려?")["turns"][-1]["answer"]
    assert "금요일" in ask(c, "분기 회의는 언제 열려?")["turns"][-1]["answer"]
    # replacing is an explicit choice, and it says so
    third = tmp_path / "회의?안내.txt"
    third.write_text("정기 회의는 매주 화요일 오후 네 시에 온라인으로 열린다.\n", encoding="utf-8")
    s3, table, *_ = upload(url, third, on_conflict="replace")
    assert added(s3) == one and "기존 문서를 바꿨습니다" in s3, s3
    assert one in _rows(table) and two in _rows(table) and len(_rows(table)) == len(rows)
    assert "화요일" in (corpus / one).read_text(encoding="utf-8")
    for doc in (one, two):
        client(url).predict(doc, api_name="/remove_document")  # a fresh session can delete them too
    # Gradio's cached copies of the uploads are gone once they were read
    assert not [p for p in (tmp / "gradio").rglob("*안내*.txt")]
    answers_vietnam(url)


def test_library_default_keeps_both_and_refuse_names_the_choice(tmp_path):
    from types import SimpleNamespace

    from untact_qa.documents import Uploads, stored_name
    from untact_qa.errors import CorpusError

    store = Uploads(SimpleNamespace(settings=SimpleNamespace(corpus_dir=tmp_path)))
    store.upload_dir.mkdir()
    (store.upload_dir / "a_b.txt").write_text("x", encoding="utf-8")
    (store.upload_dir / "a_b (2).txt").write_text("x", encoding="utf-8")
    assert stored_name("a*b.txt") == "a_b.txt" == stored_name("a?b.txt")
    assert store._resolve("a_b.txt", "a*b.txt", "keep") == "a_b (3).txt"
    assert store._resolve("a_b.txt", "a*b.txt", "replace") == "a_b.txt"
    with pytest.raises(CorpusError, match="on_conflict='replace'.*'keep'") as err:
        store._resolve("a_b.txt", "a*b.txt", "refuse")
    assert "바꾸기" in err.value.korean() and "둘 다 유지" in err.value.korean()
    import inspect

    assert inspect.signature(Uploads.add).parameters["on_conflict"].default == "keep"


# -- row 4: bounded disk ------------------------------------------------------------------------------
def test_a_long_chat_leaves_a_bounded_number_of_export_files(fault_app):
    url, _, tmp = fault_app
    c = client(url)
    for i in range(KEEP_EXPORTS * 3):
        ask(c, f"재택근무 실시율은? ({i})")
        export(c, "markdown" if i % 2 else "json")
    places = [tmp / "gradio", tmp / "tmp"]  # Gradio's cache and the system temp folder of the server
    exports = [p for place in places for p in place.rglob("untact-qa-대화.*")]
    assert exports and len(exports) <= 2 * KEEP_EXPORTS, len(exports)
    assert not [d for place in places for d in place.rglob("*") if d.is_dir() and d.parent.name.startswith(
        "untact-qa-export-") and not any(d.iterdir())]  # no empty export folder either
    ask(c, "베트남의 현금 사용률은?")
    md = export(c)
    assert md.is_file() and "90%" in md.read_text(encoding="utf-8")


# -- row 7: lone surrogates, NUL and control characters ---------------------------------------------
def test_lone_surrogate_and_control_characters_in_a_question(fault_app):
    url, _, tmp = fault_app
    msg = raw_ask(url, "베트남의\ud800 현금\x00 사용률\x07은?")
    assert msg.get("success") is True, msg  # before: {"error": null}
    delta, _state, box, status, *_rest = msg["output"]["data"]
    turns = delta["save"]["put"]  # the new turn, for the browser's saved copy
    assert status == "" and "90%" in turns[-1]["answer"]
    assert turns[-1]["question"] == "베트남의  현금  사용률 은?" and "\ufffd" not in turns[-1]["searched_query"]
    config = json.loads(urllib.request.urlopen(url + "config", timeout=30).read())
    paths = []
    for fmt in ("markdown", "json"):  # the 저장 buttons, in the same session
        fn = next(d["id"] for d in config["dependencies"] if d.get("api_name") == f"export_{fmt}")
        out = raw_event(url, msg["session"], fn, [None])["output"]["data"][0]
        paths.append(Path(out["value"]["path"] if "value" in out else out["path"]))  # on the server, in its cache
    md_path, js_path = paths
    text = md_path.read_text(encoding="utf-8")
    assert "\x00" not in text and "90%" in text and "베트남의" in text
    assert json.loads(js_path.read_text(encoding="utf-8"))["turns"][-1]["answer"] == turns[-1]["answer"]
    roots = list((tmp / "gradio").glob("untact-qa-export-*"))
    assert roots and all(any(d.iterdir()) for r in roots for d in r.iterdir())  # no empty export folder


# -- row 9 (UI parts): top-k, Markdown export escaping, NUL bytes in uploads ------------------------
@pytest.mark.parametrize("top_k,message", [(0, "less than minimum value 1"), (-3, "less than minimum value 1"),
                                           (101, "greater than maximum value 10")])
def test_out_of_range_top_k_from_an_api_client_is_refused(fault_app, top_k, message):
    """(already worked: the slider checks its range; the CLI's --top-k is in test_faults_text)"""
    from gradio_client.exceptions import AppError

    url, _, _ = fault_app
    with pytest.raises(AppError, match=message):
        ask(client(url), "재택근무 실시율은?", top_k=top_k)
    answers_vietnam(url)


def test_markdown_export_escapes_raw_html_from_documents_and_questions(fault_app, tmp_path):
    url, _, _ = fault_app
    doc = tmp_path / "보안점검.md"
    doc.write_text("# 보안 점검\n- 보안 점검 결과는 <img src=x onerror=alert(1)> 표시로 남았다.\n", encoding="utf-8")
    status, *_ = upload(url, doc)
    assert "추가됨" in status
    c = client(url)
    out = ask(c, "<b>보안 점검</b> 결과는 어떻게 남았어?")
    md = export(c).read_text(encoding="utf-8")
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)>" in md and "&lt;b>" in md
    assert "<img" not in out["conversation"] and "&lt;img" in out["conversation"]
    client(url).predict("uploads/보안점검.md", api_name="/remove_document")


def test_nul_and_control_bytes_in_an_upload_are_stripped(fault_app, tmp_path):
    url, corpus, _ = fault_app
    doc = tmp_path / "널.txt"
    doc.write_bytes(("가" * 2000 + "\n").encode() + "원격 진료 예약은\x00 앱에서\x01 받는다.\n".encode())
    status, table, *_ = upload(url, doc)
    assert "추가됨" in status, status
    stored = (corpus / "uploads" / "널.txt").read_text(encoding="utf-8")
    assert "\x00" not in stored and "\x01" not in stored and "원격 진료 예약은 앱에서 받는다." in stored
    client(url).predict("uploads/널.txt", api_name="/remove_document")
    answers_vietnam(url)


# -- rows that already worked --------------------------------------------------------------------------
def test_escaping_of_uploaded_html_everywhere_it_is_shown(fault_app, tmp_path):
    url, _, _ = fault_app
    doc = tmp_path / "<b>이상한<i>이름.md"
    doc.write_text("# 공지\n- 사내 공지 게시판 주소는 <script>alert(1)</script> 로 바뀌었다.\n", encoding="utf-8")
    status, table, *_ = upload(url, doc)
    assert "추가됨" in status and "<b>" not in status and "<b>" not in table
    out = ask(client(url), "사내 공지 게시판 주소는?")
    for html_out in (out["conversation"], out["sources"]):
        assert "<script>" not in html_out and "&lt;script&gt;" in html_out
    removable = [d for d in _rows(table) if "이상한" in d]
    client(url).predict(removable[0], api_name="/remove_document")


def test_file_routes_do_not_serve_the_corpus_the_index_or_system_files(fault_app):
    url, corpus, tmp = fault_app
    for target in ("/etc/passwd", str(corpus / "untact-economy-report.txt"), str(tmp / "index" / "CURRENT"),
                   str(tmp / "data" / ".browser-secret"), "../../../../etc/passwd"):
        for route in ("gradio_api/file=", "file="):
            try:
                with urllib.request.urlopen(url + route + target, timeout=10) as r:
                    body = r.read()
                    code = r.status
            except urllib.error.HTTPError as exc:
                code, body = exc.code, b""
            assert code != 200 and b"root:" not in body, (route, target, code)


@pytest.mark.parametrize("name,payload,message", [
    ("cp949.txt", "원격 근무 수당은 매월 오만 원이다.\n".encode("cp949"), None),
    ("garbled.txt", bytes([0x80, 0xFF]) * 8, "문자 인코딩을 알 수 없습니다"),
    ("binary.txt", b"\x00\x01\x02\x03binary", "바이너리 파일"),
])
def test_bad_encodings_are_read_or_refused_clearly(fault_app, tmp_path, name, payload, message):
    url, corpus, _ = fault_app
    path = tmp_path / name
    path.write_bytes(payload)
    before = uploads(corpus)
    status, table, *_ = upload(url, path)
    if message is None:
        assert "추가됨" in status and "오만 원" in (corpus / "uploads" / name).read_text(encoding="utf-8")
        client(url).predict(f"uploads/{name}", api_name="/remove_document")
    else:
        assert "❌ 추가하지 않았습니다" in status and message in status and uploads(corpus) == before
    answers_vietnam(url)


def test_concurrent_chat_users_with_an_upload_midway_see_no_errors(fault_app, tmp_path):
    url, corpus, _ = fault_app
    questions = ["베트남의 현금 사용률은?", "일본에서 재택근무가 잘 안 되는 이유는?", "줌 하루 이용자는 몇 명까지 늘었어?"]
    expected = ["90%", "일본", "2억"]
    errors, answered = [], []
    start = threading.Barrier(21)

    def user(i):
        try:
            c = client(url)
            start.wait(timeout=120)
            for q, e in zip(questions, expected):
                out = ask(c, q)
                assert e in out["turns"][-1]["answer"], (q, out["turns"][-1]["answer"])
                answered.append(i)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            errors.append(f"{i}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=user, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    start.wait(timeout=120)
    doc = tmp_path / "동시.md"
    doc.write_text("# 동시 접속\n- 시험 서버의 점검 시간은 매일 새벽 세 시이다.\n", encoding="utf-8")
    status, *_ = upload(url, doc)
    for t in threads:
        t.join(timeout=600)
    assert errors == [] and len(answered) == 60, errors[:5]
    assert "추가됨" in status and (corpus / "uploads" / "동시.md").is_file()
    assert "새벽 세 시" in ask(client(url), "시험 서버의 점검 시간은?")["turns"][-1]["answer"]
    client(url).predict("uploads/동시.md", api_name="/remove_document")



def test_page_says_the_saved_conversation_is_not_encrypted(fault_app):
    url, _, _ = fault_app
    with urllib.request.urlopen(url + "config", timeout=30) as r:
        page = r.read().decode("utf-8")
    assert "암호화하지 않으니" in page
