"""Fault suite, issue 26 (second reliability round): deletes that delete, scopes that never
widen, uploads and served files that do not step on each other, the viewer's error path,
answers that stay in their conversation. One real server on 127.0.0.1 (real model, a tmp copy
of the corpus and the session's index)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from appkit import doc_rows, running_app
from faultkit import ask, cli, client, event_index, page_config, raw_event, upload


@pytest.fixture(scope="module")
def app(tmp_path_factory, settings, built_index):
    tmp = tmp_path_factory.mktemp("fault-docs")
    (tmp / "tmp").mkdir()
    with running_app(tmp, settings, {"GRADIO_TEMP_DIR": str(tmp / "gradio"), "TMPDIR": str(tmp / "tmp")}) as served:
        yield served


def note(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / uuid.uuid4().hex / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def remove(url, doc_id: str, table: bool = False):
    """/remove_document: its status line (and the documents panel, with *table*)."""
    out = client(url).predict(doc_id, api_name="/remove_document")
    return (out[0], out[1]) if table else out[0]


def open_doc(url: str, doc: str, lines: str = "1-2") -> tuple[list, str]:
    """"문서에서 보기" as the page sends it: the viewer's outputs (html, file, box, status; its
    header's title, the second output, is left out)."""
    config = page_config(url)
    fn = event_index(config, "conversation", output_elem="doc-viewer-text")
    msg = raw_event(url, uuid.uuid4().hex, fn, [], event_data={"action": "open_doc", "doc": doc, "lines": lines})
    assert msg.get("success") is True, msg  # before: success False, error None (InvalidComponentError)
    html, _title, file, box, status = msg["output"]["data"]
    return [html, file, box, status], url


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def cited_docs(out: dict) -> set[str]:
    return {c["doc"] for t in out["turns"] for c in t["citations"]}


# -- row 1: a delete by any spelling removes the document everywhere, at once ----------------------------
def test_a_delete_by_any_spelling_removes_the_document_everywhere_at_once(app, tmp_path):
    url, corpus, tmp = app
    status, table, *_ = upload(url, note(tmp_path, "금고메모.md", "# 금고 메모\n- 금고 비밀번호 변경 주기는 매월 셋째 주 화요일이다.\n"))
    assert "✅ uploads/금고메모.md 추가됨" in status, status
    out = ask(client(url), "금고 비밀번호 변경 주기는?")
    assert "uploads/금고메모.md" in cited_docs(out) and "화요일" in out["turns"][-1]["answer"]
    (html_out, file_out, _box, viewer_status), _ = open_doc(url, "uploads/금고메모.md")
    assert "금고 비밀번호" in html_out and viewer_status == ""
    copy_url = file_out["url"]
    assert fetch(copy_url) == 200  # the viewer's download, served from Gradio's cache

    status, table = remove(url, "uploads//금고메모.md", table=True)  # a spelling only an API client sends
    assert "🗑️ uploads/금고메모.md 삭제됨" in status, status
    # search and ask: not cited, on the server and in a fresh process reading the same index
    out = ask(client(url), "금고 비밀번호 변경 주기는?")
    assert "uploads/금고메모.md" not in cited_docs(out) and "셋째 주 화요일" not in out["turns"][-1]["answer"]
    env = {"UNTACT_QA_CORPUS": str(corpus), "UNTACT_QA_INDEX": str(tmp / "index"), "UNTACT_QA_DATA": str(tmp / "data")}
    r = cli("search", "금고 비밀번호 변경 주기", "--top-k", "10", env=env)  # JSON lines
    assert r.returncode == 0 and "금고메모" not in r.stdout, r.stdout[-2000:]
    # the panel: one row per document, none for the deleted one (before: 245 rows for 244 files)
    rows = doc_rows(table)
    files = {f"uploads/{p.name}" for p in (corpus / "uploads").iterdir() if not p.name.startswith(".")}
    assert "uploads/금고메모.md" not in rows and {d for d in rows if d.startswith("uploads/")} == files
    # the viewer and the file route
    (_h, _f, _b, viewer_status), _ = open_doc(url, "uploads/금고메모.md")
    assert "삭제되었거나 색인에 없는 문서" in viewer_status, viewer_status
    assert fetch(copy_url) in (403, 404)


def test_a_delete_of_a_name_that_is_no_upload_says_so_and_suggests(app, tmp_path):
    url, _, _ = app
    upload(url, note(tmp_path, "출장규정.md", "# 출장 규정\n- 출장비 정산은 귀임 후 닷새 안에 한다.\n"))
    status = remove(url, "uploads/출장규정.txt")
    assert "그런 업로드 문서가 없습니다 (혹시 uploads/출장규정.md?)" in status, status
    assert "업로드한 문서만" in remove(url, "untact-economy-report.txt")
    assert "올바른 문서 이름이 아닙니다" in remove(url, "uploads/../untact-economy-report.txt")
    assert "삭제됨" in remove(url, "./uploads/출장규정.md")


# -- row 2: a scope on a deleted document is refused, never widened ----------------------------------------
def test_a_scope_on_a_document_deleted_by_another_client_is_refused_not_widened(app, tmp_path):
    url, _, _ = app
    upload(url, note(tmp_path, "동호회.md", "# 동호회\n- 탁구 동호회는 매주 목요일 저녁에 모인다.\n"))
    mine = client(url)
    out = ask(mine, "탁구 동호회는 언제 모여?", scope=["uploads/동호회.md"])
    assert "목요일" in out["turns"][-1]["answer"]
    assert "삭제됨" in remove(url, "uploads/동호회.md")  # another client
    out = ask(mine, "탁구 동호회는 언제 모여?", scope=["uploads/동호회.md"])
    assert out["turns"] == [] and "검색 범위의 문서 uploads/동호회.md가 없습니다" in out["status"], out["status"]
    assert "모든 문서에서 찾지는 않았습니다" in out["status"] and out["box"] == "탁구 동호회는 언제 모여?"
    # the list no longer holds it: the next Enter searches every document, knowingly
    assert out["scope"]["value"] == [] and "uploads/동호회.md" not in [c[0] for c in out["scope"]["choices"]]


# -- row 3: scopes and #names are read from the live index ----------------------------------------------
def test_scopes_and_hash_names_see_documents_added_after_the_server_started(app, tmp_path):
    from pdfdocs import make_pdf

    url, _, _ = app
    pdf = make_pdf([("heading", "회의록"), ("text", "비대면 보안 교육은 매월 둘째 주 수요일 오후 세 시에 진행한다.")],
                   tmp_path / "회의록.pdf")
    status, *_ = upload(url, pdf)
    assert "uploads/회의록.pdf.txt 추가됨" in status, status
    c = client(url)
    # the scope list of the API takes a document added since the server started
    out = ask(c, "보안 교육은 언제야?", scope=["uploads/회의록.pdf.txt"])
    assert "수요일" in out["turns"][-1]["answer"] and cited_docs(out) == {"uploads/회의록.pdf.txt"}, out["status"]
    assert "수요일" in ask(c, "#회의록 보안 교육은 언제야?")["turns"][-1]["answer"]  # the stem names it
    # names with spaces: keep-both's "(2)"
    upload(url, note(tmp_path, "메모.md", "# 메모\n- 독서 모임은 첫째 주 월요일에 모인다.\n"))
    upload(url, note(tmp_path, "메모.md", "# 메모\n- 독서 모임은 셋째 주 금요일에 모인다.\n"))
    for q in ('#"메모 (2)" 독서 모임은 언제 모여?', "#메모 (2) 독서 모임은 언제 모여?"):
        out = ask(c, q)
        assert "금요일" in out["turns"][-1]["answer"] and cited_docs(out) == {"uploads/메모 (2).md"}, (q, out["status"])
    out = ask(c, "#메모 독서 모임은 언제 모여?")
    assert "월요일" in out["turns"][-1]["answer"]
    # a misspelt name is refused with a suggestion, and the question comes back
    out = ask(c, "#회의롣 보안 교육은 언제야?")
    assert out["turns"] == [] and "혹시 uploads/회의록.pdf.txt?" in out["status"], out["status"]
    # a new # scope is a new question: it is not completed from the previous turn
    c2 = client(url)
    ask(c2, "베트남의 현금 사용률은?")
    out = ask(c2, "#메모 독서 모임은 언제 모여?")
    assert "베트남" not in out["turns"][-1]["searched_query"] and "월요일" in out["turns"][-1]["answer"]
    for doc in ("uploads/회의록.pdf.txt", "uploads/메모.md", "uploads/메모 (2).md"):
        assert "삭제됨" in remove(url, doc)


# -- row 4: two people upload the same bytes under the same name at once ------------------------------
def raw_upload(url: str, name: str, content: bytes) -> str:
    """The page's file upload (POST /gradio_api/upload): the server path Gradio stored it at."""
    import httpx

    r = httpx.post(url + "gradio_api/upload", files={"files": (name, content)}, timeout=60)
    r.raise_for_status()
    return r.json()[0]


def add_uploaded(url: str, server_path: str, name: str) -> str:
    """The upload event for a file already uploaded, as the page sends it (its upload takes a
    list of files): the status lines."""
    fn = event_index(page_config(url), "upload", trigger="upload")
    data = [[{"path": server_path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}], "keep"]
    msg = raw_event(url, uuid.uuid4().hex, fn, data)
    assert msg.get("success") is True, msg
    return msg["output"]["data"][0]


def test_two_people_uploading_the_same_file_at_once_both_get_it(app, tmp_path):
    """Gradio stores an upload in a folder named by its content, so two uploads of the same
    bytes and name share one path. The failing order, made certain instead of raced: both files
    are uploaded, then the first person's upload event runs to the end, then the second's."""
    url, corpus, _ = app
    content = "# 같은 파일\n- 공용 프린터 암호는 둘째 서랍에 있다.\n".encode()
    first, second = raw_upload(url, "같은파일.md", content), raw_upload(url, "같은파일.md", content)
    assert first == second  # one path for both
    s1 = add_uploaded(url, first, "같은파일.md")
    s2 = add_uploaded(url, second, "같은파일.md")  # before: "추가하지 못했습니다 (FileNotFoundError)"
    assert "✅ uploads/같은파일.md 추가됨" in s1 and "✅ uploads/같은파일 (2).md 추가됨" in s2, (s1, s2)
    for doc in ("uploads/같은파일.md", "uploads/같은파일 (2).md"):
        assert "삭제됨" in remove(url, doc)
    assert not list((corpus / "uploads").glob("같은파일*"))
    assert not Path(first).exists()  # the cached upload went with the deleted documents


# -- row 5: the viewer's download is one copy per document -----------------------------------------------
def test_forty_views_of_a_document_leave_one_copy(app):
    url, _, tmp = app
    for _ in range(40):
        (html_out, file_out, _b, status), _ = open_doc(url, "untact-economy-report.txt", "636-637")
        assert "uqa-hl" in html_out and status == ""
    copies = [p for p in (tmp / "gradio").rglob("untact-economy-report.txt")]
    assert len(copies) == 1, copies  # before: 40


# -- row 7: the viewer's error path ---------------------------------------------------------------------
def test_the_viewer_says_why_it_cannot_open_a_document(app, tmp_path):
    url, corpus, _ = app
    upload(url, note(tmp_path, "깨질문서.md", "# 깨질 문서\n- 이 문서는 곧 읽을 수 없게 된다.\n"))
    path = corpus / "uploads" / "깨질문서.md"
    good = path.read_bytes()
    path.write_bytes(b"\x00\x01\x02binary")  # indexed, but no longer readable
    try:
        (_h, _f, _b, status), _ = open_doc(url, "uploads/깨질문서.md")
        assert "바이너리" in status or "읽을 수 없" in status, status
    finally:
        path.write_bytes(good)
    (_h, _f, _b, status), _ = open_doc(url, "uploads/없는문서.md")
    assert "삭제되었거나 색인에 없는 문서" in status
    assert "삭제됨" in remove(url, "uploads/깨질문서.md")


# -- row 8: an answer that waited while another conversation was started stays in its own ---------------
def test_an_answer_is_filed_into_the_conversation_it_was_asked_in(engine, tmp_path, monkeypatch):
    """The handlers in the order the queue ran them when 새 대화 came while a question waited:
    new_conversation first, then the question's answer (deterministic: no race is needed)."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    from untact_qa.ui import ChatApp, new_meta

    app = ChatApp(engine, tmp_path / "feedback.jsonl")
    old = new_meta()
    first = app.respond("베트남의 현금 사용률은?", [], "hybrid", 5, [], old, old["id"])
    turns = first[1]
    # 새 대화: the old conversation goes to the shelf, a new one is current
    out = app.new_conversation(turns, [], old)
    shelf, meta, current = out[6], out[7], out[11]
    assert current != old["id"] and shelf[0]["id"] == old["id"]
    # the question sent from the old conversation before 새 대화 is answered now
    delta, new_turns, box, status, scope, orphan = app.respond("그럼 일본은?", [], "hybrid", 5, [], old, current)
    assert delta["done"] and not delta.get("turns") and orphan["conv"] == old["id"]  # not in the new one
    shelf2, others, _list, notice = app.file_orphan(orphan, shelf, [], meta)
    filed = next(c for c in shelf2 if c["id"] == old["id"])["turns"]
    assert [t["question"] for t in filed] == ["베트남의 현금 사용률은?", "그럼 일본은?"]
    assert "일본" in filed[-1]["searched_query"] and "대화에 넣었습니다" in notice


# -- row 9: a typed delete name is text, not Markdown ---------------------------------------------------
def test_a_typed_delete_name_is_shown_as_text(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    from untact_qa.ui import ChatApp

    app = ChatApp(engine, tmp_path / "feedback.jsonl")
    status, box, confirm = app.ask_remove("uploads/![x](http://127.0.0.1:9/x.png)")
    assert "그런 업로드 문서가 없습니다" in status and confirm == "" and "<img" not in status
    assert json.dumps(box) and box.get("visible") is False
