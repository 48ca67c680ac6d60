"""The chat UI, launched for real on 127.0.0.1 and driven through gradio_client and Chromium."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from appkit import doc_rows as _rows, launch_app, running_app


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, settings, built_index):
    with running_app(tmp_path_factory.mktemp("ui"), settings) as app:
        yield app


def _ask(client, question, mode="hybrid", top_k=5, scope=()):
    """The /ask endpoint's outputs as a dict (the client keeps the conversation per session):
    the update (only the new turn and its sources), the new turn itself (what the page adds to its
    saved copy), the box and the status."""
    delta, box, status, *_scope = client.predict(question, mode, top_k, list(scope), api_name="/ask")
    return {"delta": delta, "conversation": "".join(delta["turns"]), "sources": "".join(delta["sources"]),
            "turns": (delta.get("save") or {}).get("put", []), "box": box, "status": status}


def test_ask_sends_the_answer_once_and_only_the_new_turn(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    client = Client(url, verbose=False)
    job = client.submit("줌 하루 이용자는 몇 명까지 늘었어?", "hybrid", 5, api_name="/ask")
    job.result()
    updates = job.outputs()
    assert len(updates) == 1  # the answer is computed in one step: no artificial partial updates
    final = updates[-1][0]
    assert final["done"] and len(final["turns"]) == 1 and len(final["sources"]) == 1
    conv, sources, turns = final["turns"][0], final["sources"][0], final["save"]["put"]
    assert "2억명" in conv and "class='uqa-chip'" in conv and "aria-busy" not in conv
    assert "untact-economy-report.txt" in sources and "<mark>" in sources and "636–6" in sources
    assert "검색되었지만 인용되지 않은 문단" in sources
    turn = turns[-1]
    assert turn["citations"][0]["doc"] == "untact-economy-report.txt" and "[1]" in turn["answer"]
    # the next answer's update carries that turn only, not the conversation so far
    second = _ask(client, "베트남의 현금 사용률은?")
    assert len(second["delta"]["turns"]) == 1 and "id='turn-2'" in second["conversation"]
    assert "줌 하루 이용자" not in second["conversation"] + second["sources"]
    assert [t["id"] for t in second["turns"]] == [2]  # the page adds that turn to its saved copy: no resend


def test_follow_up_question_is_completed_and_shown(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    client = Client(url, verbose=False)
    _ask(client, "중국의 원격근무 현황은?")
    out = _ask(client, "그럼 일본은?")
    assert "검색한 질문: 일본의 원격근무 현황은?" in out["conversation"]
    assert out["turns"][-1]["searched_query"] == "일본의 원격근무 현황은?"
    assert "일본" in out["turns"][-1]["answer"] and "일본" in out["sources"]


def test_a_near_miss_is_its_own_state_with_the_closest_content_cited(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    out = _ask(Client(url, verbose=False), "한국의 현금 사용률은?")
    conv, turn = out["conversation"], out["turns"][-1]
    assert "uqa-nearmiss" in conv and "질문한 내용은 문서에 없습니다" in conv and "uqa-abstain" not in conv
    assert "가장 가까운 내용" in conv and "class='uqa-chip'" in conv  # the closest content keeps its [1]
    assert turn["kind"] == "near_miss" and turn["abstained"] and turn["citations"]
    assert "베트남" in out["sources"] and "<mark>" in out["sources"]


def test_a_summary_request_is_answered_with_cited_sentences(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    out = _ask(Client(url, verbose=False), "이 보고서의 핵심 내용은?")
    turn = out["turns"][-1]
    # a headline and 3-7 grouped bullets, each one cited sentence (tests/pipeline/test_summary.py checks the shape)
    o = turn["outline"]
    assert turn["kind"] == "summary" and not turn["abstained"] and o and o["headline"]
    bullets = [it for g in o["groups"] for it in g["items"]]
    assert 3 <= len(bullets) <= 7 and len(turn["citations"]) == 1 + len(bullets)
    assert out["conversation"].count("class='uqa-chip'") == len(turn["citations"])


def test_upload_then_answer_from_it_then_remove(app_url):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app_url
    doc = tmp / "사내메모.md"
    doc.write_text("# 사내 메모\n- 우리 회사의 비대면 회의 요일은 매주 목요일이다.\n"
                   "- 보안 점검 결과는 <script>alert(1)</script> [링크](javascript:alert(2)) 로 표시되었다.\n",
                   encoding="utf-8")
    client = Client(url, verbose=False)
    status, table, *_ = client.predict(handle_file(str(doc)), api_name="/add_document")
    assert "추가됨" in status and "청크 1개" in status
    rows = _rows(table)
    assert rows.get("uploads/사내메모.md") == 1 and rows["untact-economy-report.txt"] >= 30
    assert (corpus / "uploads" / "사내메모.md").is_file()

    out = _ask(client, "우리 회사 비대면 회의는 무슨 요일이야?")
    assert "목요일" in out["turns"][-1]["answer"] and "uploads/사내메모.md" in out["sources"]
    # scope: only the report chosen, the memo is not searched; "#사내메모" searches only the memo
    out = _ask(client, "우리 회사 비대면 회의는 무슨 요일이야?", scope=["untact-economy-report.txt"])
    turn = out["turns"][-1]
    assert turn["scope"] == ["untact-economy-report.txt"] and "검색한 문서 1개: untact-economy-report.txt" in out["conversation"]
    assert {c["doc"] for c in turn["citations"]} | {h["doc"] for h in turn["others"]} <= {"untact-economy-report.txt"}
    out = _ask(client, "#사내메모 비대면 회의는 무슨 요일이야?")
    turn = out["turns"][-1]
    assert turn["scope"] == ["uploads/사내메모.md"] and "목요일" in turn["answer"]
    assert {c["doc"] for c in turn["citations"]} == {"uploads/사내메모.md"}
    out = _ask(client, "#없는문서 회의 요일은?")
    assert "#없는문서: 그런 이름의 문서가 없습니다" in out["status"] and out["delta"]["turns"] == []

    out = _ask(client, "보안 점검 결과는 어떻게 표시되었어?")
    assert "<script>" not in out["conversation"] and "&lt;script&gt;" in out["conversation"]
    assert "<script>" not in out["sources"] and "&lt;script&gt;" in out["sources"]
    assert "<a " not in out["conversation"]  # the markdown link is text, not a link

    status, table, *_, conversation, sources = client.predict("uploads/사내메모.md", api_name="/remove_document")
    assert "삭제됨" in status and list(_rows(table)) == ["untact-economy-report.txt"]
    # the earlier answers still cite it, marked as deleted; the report's citations are not
    assert conversation.count("삭제된 문서") == sources.count("삭제된 문서") >= 3
    assert not (corpus / "uploads" / "사내메모.md").exists()


def test_cp949_upload_is_read_and_can_be_removed(app_url):
    from gradio_client import Client, handle_file

    url, corpus, tmp = app_url
    doc = tmp / "legacy.txt"
    doc.write_bytes("비대면 산업 보고서의 부록은 매년 3월에 발간된다.\n".encode("cp949"))
    client = Client(url, verbose=False)
    status, table, *_ = client.predict(handle_file(str(doc)), api_name="/add_document")
    assert "추가됨" in status and "uploads/legacy.txt" in _rows(table)
    assert "부록은 매년 3월" in (corpus / "uploads" / "legacy.txt").read_text(encoding="utf-8")
    status, table, *_ = client.predict("uploads/legacy.txt", api_name="/remove_document")
    assert list(_rows(table)) == ["untact-economy-report.txt"]


@pytest.mark.parametrize("name,payload,message", [
    ("blob.txt", b"\x00\x01\x02\x03binary", "바이너리 파일"),
    ("garbled.txt", bytes([0x80, 0xFF]) * 8, "문자 인코딩을 알 수 없습니다"),
    ("empty.md", b"   \n", "빈 파일"),
    ("scan.pdf", None, "글자를 추출할 수 없습니다"),
    ("broken.pdf", b"%PDF-1.4 garbage", "읽을 수 없는 PDF"),
])
def test_bad_uploads_are_rejected_in_korean_and_change_nothing(app_url, name, payload, message):
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
    status, table, *_ = client.predict(handle_file(str(path)), api_name="/add_document")
    assert "❌ 추가하지 않았습니다" in status and message in status, status
    assert list(_rows(table)) == ["untact-economy-report.txt"]
    after = sorted(p.name for p in (corpus / "uploads").glob("*")) if (corpus / "uploads").exists() else []
    assert before == after


def test_other_file_types_are_refused_before_reaching_the_index(app_url):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    url, corpus, tmp = app_url
    path = tmp / "old.doc"  # Word 97: not a format untact-qa reads (untact_qa.formats.SUFFIXES)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(AppError, match="Invalid file type"):
        Client(url, verbose=False).predict(handle_file(str(path)), api_name="/add_document")
    assert not list((corpus / "uploads").glob("old.doc*"))


def test_store_limits_name_the_fix(tmp_path):
    from untact_qa.config import UploadConfig
    from untact_qa.documents import safe_name
    from untact_qa.extract import extract_text

    MAX_BYTES = UploadConfig.max_bytes
    from untact_qa.errors import CorpusError

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(CorpusError, match="over the 5 MB limit"):
        extract_text(big, "big.txt")
    with pytest.raises(CorpusError, match="only .txt, .md, .hwp"):
        extract_text(big, "program.exe")
    assert safe_name("../../etc/passwd") == "passwd" and safe_name("...") == "document"


def test_bad_questions_get_korean_notices_and_add_nothing(app_url):
    from gradio_client import Client

    url, _, _ = app_url
    client = Client(url, verbose=False)
    for question, notice in (("   ", "질문이 비어 있습니다"), ("?!…", "글자나 숫자가 없습니다"),
                             ("가" * 25_000, "너무 깁니다 (최대 20,000자)")):
        delta, box, status, *_scope = client.predict(question, "hybrid", 5, api_name="/ask")
        assert notice in status and "role='alert'" in status
        assert "save" not in delta and delta["turns"] == [] and delta["done"]  # no turn was added
        assert box.strip() == question.strip()  # the question goes back to the box
    question = "재택근무 실시율은 " * 70  # 700 characters: searched in part, and said so
    long = _ask(client, question)
    assert f"앞 500자만 검색에 사용했습니다 (전체 {len(question.strip())}자)" in long["conversation"]


def _turn(**kw):
    base = {"id": 1, "time": "2026-11-25 10:00", "question": "q", "question_chars": 1, "searched_query": "q",
            "truncated_to": None, "answer": "a [1]", "abstained": False, "reason": "", "vote": None, "kind": "answer",
            "citations": [{"n": 1, "doc": "d.md", "heading": "h", "lines": [3, 4], "passage": "앞 증거 뒤",
                           "evidence": [2, 4], "chunk_id": ""}], "others": [], "scope": None, "cited": [],
            "retry_of": None, "intent": "new", "span": None, "outline": None, "table": None}
    base.update(kw)
    return base


def test_conversation_and_sources_escape_untrusted_text():
    from untact_qa.ui_render import render_conversation, render_sources

    passage = "앞 <img src=x onerror=alert(1)> 증거 [클릭](http://evil) ${alert(2)} 뒤"
    t = _turn(question="<b>질문</b>", searched_query="<i>q</i>", answer=passage + " [1] [7]",
              citations=[{"n": 1, "doc": "<b>doc</b>.md", "heading": "h1 > <i>h2</i>", "lines": [3, 4],
                          "passage": passage, "evidence": [2, len(passage) - 2]}],
              others=[{"doc": "d.md", "heading": "<script>", "rank": 2, "lines": [1, 1], "passage": "<script>x</script>"}])
    for out in (render_conversation([t]), render_sources([t])):
        assert "<img" not in out and "&lt;img" in out and "<script>" not in out and "<b>" not in out
        assert "<i>" not in out and "${alert(2)}" in out
    conv = render_conversation([t])
    assert conv.count("class='uqa-chip'") == 1  # [7] is not a citation of this answer: stays text


def test_plain_text_and_exports_carry_sources_without_markup():
    from untact_qa.ui_render import export_json, export_markdown, plain_text

    t = _turn(answer="재택근무 실시율은 0.64% [1]", question="실시율은?",
              citations=[{"n": 1, "doc": "r.txt", "heading": "국내 > 재택", "lines": [10, 12],
                          "passage": "앞. 재택근무 실시율은 0.64%. 뒤.", "evidence": [3, 18]}])
    text = plain_text(t)
    assert text.startswith("재택근무 실시율은 0.64% [1]") and "[1] r.txt · 10–12행 · 국내 > 재택" in text
    assert "“재택근무 실시율은 0.64%”" in text and "<" not in text and "\\" not in text
    md = export_markdown([t, _turn(id=2, abstained=True, reason="문서에 없음", answer="", citations=[])])
    assert "## 질문 1" in md and "> 실시율은?" in md and "- [1] r.txt, 10–12행 — 국내 > 재택" in md
    assert "**근거를 찾지 못했습니다** — 문서에 없음" in md
    assert json.loads(export_json([t]))["turns"][0]["citations"][0]["doc"] == "r.txt"


def test_restored_history_drops_malformed_turns():
    from untact_qa.ui import valid_turns

    good = _turn()
    bad = [None, "x", {**good, "id": "1"}, {**good, "citations": [{"n": 1}]}, {k: v for k, v in good.items() if k != "answer"}]
    assert valid_turns([*bad, good]) == [good]
    assert valid_turns({"not": "a list"}) == [] and len(valid_turns([good] * 80)) == 50


def test_upload_progress_lines_are_korean():
    from untact_qa.ui_render import upload_status

    assert upload_status("a.pdf", "read", {"bytes": 2048}) == "⏳ a.pdf: 읽는 중… 2 KB"
    assert upload_status("a.pdf", "split", {"chars": 1200, "sentences": 30, "chunks": 4}) == \
        "⏳ a.pdf: 나누는 중… 1,200자 → 문장 30개, 청크 4개"
    assert upload_status("a.pdf", "embed", {"done": 10, "total": 34}) == "⏳ a.pdf: 임베딩 중… 10/34"
    # the write stage is announced before it starts: its size, not "0/4 청크"
    assert upload_status("a.pdf", "write", {"done": 0, "total": 4}) == "⏳ a.pdf: 색인에 쓰는 중… 청크 4개"


def test_feedback_is_written_as_jsonl_one_row_per_answer(tmp_path):
    from untact_qa.ui import record_feedback

    turn = _turn(citations=[{"n": 1, "doc": "d", "heading": "", "lines": [1, 2], "passage": "p", "evidence": [0, 1]}])
    other = _turn(id=2, question="다른 질문", answer="다른 답 [1]")
    record_feedback(tmp_path / "fb" / "feedback.jsonl", turn, "like")
    record_feedback(tmp_path / "fb" / "feedback.jsonl", other, "like")
    record_feedback(tmp_path / "fb" / "feedback.jsonl", turn, "dislike")  # a changed vote replaces the first
    rows = [json.loads(line) for line in (tmp_path / "fb" / "feedback.jsonl").read_text().splitlines()]
    assert [(r["question"], r["vote"]) for r in rows] == [("다른 질문", "like"), ("q", "dislike")]
    assert rows[1]["citations"][0]["lines"] == [1, 2]


def test_login_is_required_when_configured(tmp_path_factory, settings, built_index):
    from gradio_client import Client

    tmp = tmp_path_factory.mktemp("ui-auth")
    proc, url, _ = launch_app(tmp, settings, {"UNTACT_QA_USER": "kim", "UNTACT_QA_PASSWORD": "s3cret"})
    try:
        with pytest.raises(Exception):
            Client(url, verbose=False).predict("재택근무", "hybrid", 3, api_name="/ask")
        out = _ask(Client(url, auth=("kim", "s3cret"), verbose=False), "재택근무 실시율은?", top_k=3)
        assert "0.01%~0.64%" in out["turns"][-1]["answer"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_only_the_newest_conversation_exports_stay_on_disk(engine, tmp_path):
    from untact_qa.ui import ExportFiles
    from untact_qa.ui_render import make_turn

    turns = [make_turn(engine.ask("줌 하루 이용자는 몇 명까지 늘었어?"), 1, "줌 하루 이용자는 몇 명까지 늘었어?")]
    files = ExportFiles(tmp_path, keep=2)
    written = [files.write(turns) for _ in range(4)]
    for md, js in written[:2]:  # the oldest pairs are gone with their folders
        assert not md.exists() and not js.exists() and not md.parent.exists()
    for md, js in written[2:]:
        assert "2억" in md.read_text(encoding="utf-8") and json.loads(js.read_text(encoding="utf-8"))
    assert len(list(tmp_path.iterdir())) == 2


def test_scoped_retrieval_filters_inside_the_store(tmp_path, small_corpus, fake_embedder):
    """A scope is a filter of the search itself, not of its top k: a document that ranks below
    the overall top k is still found, and a scoped search still returns k passages."""
    from dataclasses import replace

    from untact_qa import Settings, build_index
    from untact_qa.retrieval import Retriever
    from untact_qa.stores import open_store

    settings = replace(Settings(), corpus_dir=small_corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "c")
    build_index(settings, progress=False, embedder=fake_embedder)
    retriever = Retriever(open_store(settings, expected_model=fake_embedder.model_id), fake_embedder)
    q = "줌 하루 이용자는 몇 명까지 늘었어?"
    assert "notes/memo.md" not in {h.chunk.doc_id for h in retriever.retrieve(q, top_k=20).hits}
    memo = retriever.retrieve(q, top_k=5, docs=["notes/memo.md"]).hits
    assert memo and {h.chunk.doc_id for h in memo} == {"notes/memo.md"}
    report = retriever.retrieve(q, top_k=5, docs=["untact-economy-report.txt"]).hits
    assert len(report) == 5 and {h.chunk.doc_id for h in report} == {"untact-economy-report.txt"}


def test_excluded_passages_are_not_answered_from(engine):
    """다시 답하기's next best: the passages already answered from are left out of the search."""
    first = engine.ask("일본에서 재택근무가 잘 안 되는 이유는?")
    cited = frozenset(c.chunk_id for c in first.citations)
    assert cited
    again = engine.ask("일본에서 재택근무가 잘 안 되는 이유는?", exclude=cited)
    assert not cited & {h.chunk.chunk_id for h in again.hits}
    assert not cited & {c.chunk_id for c in again.citations}


def test_restore_takes_the_saved_copy_or_once_the_older_versions_copy(engine):
    """The page's saved copy (JSON text) wins; a conversation an older version kept in the
    BrowserState is taken over when there is no copy yet, and that old copy is emptied; a damaged
    copy starts an empty conversation instead of failing the page."""
    from untact_qa.ui import ChatApp

    app = ChatApp(engine)
    old = [_turn(id=1, question="예전 질문")]
    conv, _, turns, delta, legacy = app.restore(old, None)
    assert [t["question"] for t in turns] == ["예전 질문"] and "예전 질문" in conv
    assert delta["save"]["all"] == turns and legacy == []  # saved in the new place, emptied in the old
    conv, _, turns, delta, legacy = app.restore(old, json.dumps([_turn(id=4, question="새 질문")]))
    assert [t["id"] for t in turns] == [4] and legacy == []
    _, _, turns, delta, legacy = app.restore([], "{not json")
    assert turns == [] and delta["save"]["all"] == [] and legacy == {"__type__": "update"}


def test_no_event_after_an_answer_is_sent_the_other_conversations(engine):
    """The page sends every input's value with an event: an event that runs after every answer
    (or on a rename) must not take the shelf of other conversations (all their turns, up to
    megabytes) or the saved conversation, only the titles kept in the session."""
    import gradio as gr

    from untact_qa.ui import build_app

    demo = build_app(engine)
    browser_held = {b._id for b in demo.blocks.values()  # the small `meta` ({id, title}) may go
                    if isinstance(b, gr.BrowserState) and b.storage_key != "untact-qa-current"}
    assert len(browser_held) == 2  # the shelf, and the old versions' saved conversation
    per_answer = [fn for fn in demo.fns.values()
                  if getattr(fn.fn, "__name__", "") in ("first_title", "rename_conversation", "respond", "vote")]
    assert {getattr(fn.fn, "__name__", "") for fn in per_answer} >= {"first_title", "rename_conversation",
                                                                      "respond", "vote"}
    for fn in per_answer:
        assert not {b._id for b in fn.inputs} & browser_held, fn.fn.__name__
    # and the conversation list is still titled from the first question, from the kept titles
    from untact_qa.ui import ChatApp

    update, title = ChatApp(engine).first_title([_turn(question="첫 질문입니다")], [["다른 대화", "b"]], {"id": "a", "title": ""})
    assert update["choices"] == [("첫 질문입니다", "a"), ("다른 대화", "b")] and title == "첫 질문입니다"


def test_a_slide_deck_upload_is_answered_and_cited_by_slide(app_url):
    """An Office upload through the page: the table cell answers, and the citation names the
    slide, table and row a person looks at in the original."""
    import sys

    from gradio_client import Client, handle_file

    sys.path.insert(0, str(ROOT / "tests" / "formats"))
    from docmakers import make_pptx

    url, corpus, tmp = app_url
    deck = make_pptx(tmp / "스마트물류.pptx")
    client = Client(url, verbose=False)
    status, table, *_ = client.predict(handle_file(str(deck)), api_name="/add_document")
    # kept as its extracted text (the original beside it, in uploads/.sources), as PDFs are
    assert "추가됨" in status and "uploads/스마트물류.pptx.md" in _rows(table), status
    out = _ask(client, "#스마트물류 김해 센터의 자동화율은?")
    turn = out["turns"][-1]
    assert not turn["abstained"] and "64%" in turn["answer"], turn
    # the 김해 row (3행), alone or with the row before it
    where = turn["citations"][0]["location"]
    assert where in ("슬라이드 2 표 1 3행", "슬라이드 2 표 1 2–3행"), where
    assert f"{where} · " in out["conversation"]  # the card says where, before the lines
    status, *_ = client.predict("uploads/스마트물류.pptx.md", api_name="/remove_document")
    assert "삭제됨" in status
