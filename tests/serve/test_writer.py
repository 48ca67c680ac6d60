"""LLM-written answers (untact_qa.serve.writer, grounding): against a scripted OpenAI-compatible
server started here, every unsupported sentence is dropped and every supported one kept; a
timeout, an error, a refusal or too little support gives the quoted answer with a notice."""

from __future__ import annotations

import pytest

from llmkit import INVENTED, INVENTED_NAME, MODEL, ScriptedLLM

QUESTION = "줌 하루 이용자는 몇 명까지 늘었어?"


@pytest.fixture(scope="module")
def scripted_llm():
    llm = ScriptedLLM()
    try:
        yield llm
    finally:
        llm.close()


def _service(engine, url, timeout=20.0):
    from untact_qa.serve.service import Service
    from untact_qa.serve.writer import AnswerWriter

    return Service(engine, writer=AnswerWriter(url, timeout=timeout))


def _lines(reply):
    return [line for line in reply.written.text.splitlines() if line.strip()]


# -- the checker on its own ------------------------------------------------------------------------
def _sources():
    from untact_qa.serve.grounding import Source

    a = "2020년 2월 대만의 음식배달 앱 사용률은 35.6%로 집계됐다."
    b = "줌(ZOOM)의 하루 이용자는 3월 2억명까지 늘었다."
    return [Source(1, "d#0001", "d.txt", "해외 > 대만", a, 0, len(a), 3, 3, (3, 4)),
            Source(2, "d#0002", "d.txt", "해외 > 미국", b, 0, len(b), 9, 9, (9, 9))]


@pytest.mark.parametrize("sentence,reason", [
    ("대만의 음식배달 앱 사용률은 35.6%였다 [1].", ""),
    ("대만에서는 2020년 2월 음식배달 앱을 35.6%가 썼다. [1]", ""),
    ("줌 이용자는 2억명으로 늘었다[2].", ""),
    ("줌 이용자는 2,000만명에서 늘었다 [2].", "숫자 2000"),  # 2,000 = 2000: not in [2]
    ("대만의 사용률은 36.5%였다 [1].", "숫자 36.5"),
    ("줌 이용자는 3월 2억명까지 늘었다 [1].", "숫자 3"),  # cites the wrong sentence
    ("줌 이용자가 늘었다.", "인용 표시가 없음"),
    ("줌 이용자가 늘었다 [7].", "없는 근거 번호 [7]"),
    ("에릭 위안 대표는 2억명이라고 말했다 [2].", "이름 에릭"),
    ("베트남의 사용률은 35.6%였다 [1].", "이름 베트남"),
    ("대만의 사용률은 높았다 [1].", ""),  # 대만: the cited passage's section names it
])
def test_a_sentence_must_cite_and_its_numbers_and_names_must_be_in_what_it_cites(sentence, reason):
    from untact_qa.serve.grounding import check_sentence

    verdict = check_sentence(sentence, {s.n: s for s in _sources()})
    assert (verdict.reason == "") if not reason else (reason in verdict.reason), verdict


def test_written_text_is_split_into_sentences_with_their_markers():
    from untact_qa.serve.grounding import assemble, check, split_written

    text = "1. 대만의 사용률은 35.6%였다. [1]\n- 줌 이용자는 2억명으로 늘었다[2].\n[1]\n---"
    assert [s for s, _ in split_written(text)] == ["1. 대만의 사용률은 35.6%였다. [1]", "- 줌 이용자는 2억명으로 늘었다[2]. [1]",
                                                   "---"]
    verdicts = check("줌 이용자는 2억명으로 늘었다[2]. 대만의 사용률은 35.6%였다 [1].", _sources())
    body, citations = assemble([v for v in verdicts if v.kept], _sources())
    # renumbered in order of first use, each citation the very sentence it quotes
    assert body == "줌 이용자는 2억명으로 늘었다[1]. 대만의 사용률은 35.6%였다 [2]."
    assert [(c.n, c.chunk_id, c.evidence) for c in citations] == [(1, "d#0002", _sources()[1].text),
                                                                   (2, "d#0001", _sources()[0].text)]


# -- the scripted server ------------------------------------------------------------------------------
def test_a_good_written_answer_keeps_every_sentence_with_its_citations(engine, scripted_llm):
    reply = _service(engine, scripted_llm.url("good")).ask(QUESTION)
    w = reply.written
    assert w is not None and w.model == MODEL and not w.dropped and w.kept >= 2 and not reply.notice
    assert reply.text == w.text and "[1]" in w.text and "[2]" in w.text
    # the prompt held numbered sentences, the quoted answer's evidence first
    prompt = scripted_llm.requests[-1]["body"]["messages"][-1]["content"]
    assert QUESTION[:5] in prompt and "[1] (untact-economy-report.txt" in prompt
    assert reply.answer.citations[0].evidence.split()[0] in prompt.split("\n[2]")[0]
    for c in w.citations:  # every citation quotes a sentence of its passage
        assert c.evidence and c.evidence in c.passage and c.line_start >= 1
    d = reply.to_dict()
    assert d["answer"] == w.text and d["written"]["dropped"] == 0 and d["quoted"]["answer"] == reply.answer.text
    assert [c["n"] for c in d["citations"]] == list(range(1, len(w.citations) + 1))


@pytest.mark.parametrize("script,invented", [("invented", INVENTED), ("name", INVENTED_NAME),
                                             ("unknown", "[99]")])
def test_an_unsupported_sentence_is_dropped_and_the_supported_ones_kept(engine, scripted_llm, script, invented):
    good = _service(engine, scripted_llm.url("good")).ask(QUESTION).written
    reply = _service(engine, scripted_llm.url(script)).ask(QUESTION)
    w = reply.written
    assert w is not None and len(w.dropped) >= 1 and all(invented in t for t, _ in w.dropped)
    assert invented not in w.text and w.kept == good.kept  # exactly the supported sentences stay
    assert w.text == good.text


@pytest.mark.parametrize("script,notice", [
    ("nocite", "근거 문장으로 확인된 것이"),
    ("refuse", "답할 수 없다고 했습니다"),
    ("error", "HTTP 500"),
    ("shape", "OpenAI 형식이 아닙니다"),
])
def test_a_reply_that_cannot_be_used_gives_the_quoted_answer_with_a_notice(engine, scripted_llm, script, notice):
    reply = _service(engine, scripted_llm.url(script)).ask(QUESTION)
    assert reply.written is None and notice in reply.notice and "인용한 답을 보여 드립니다" in reply.notice
    assert reply.text == reply.answer.text and reply.notice_en
    assert engine.ask(QUESTION).text == reply.text


def test_a_model_that_never_answers_times_out_to_the_quoted_answer(engine, scripted_llm):
    reply = _service(engine, scripted_llm.url("hang"), timeout=0.5).ask(QUESTION)
    assert reply.written is None and "0.5초 안에 답하지 않았습니다" in reply.notice
    assert reply.text == engine.ask(QUESTION).text


def test_an_unreachable_server_and_an_abstention_are_never_written(engine, scripted_llm):
    from appkit import free_port

    reply = _service(engine, f"http://127.0.0.1:{free_port()}/v1").ask(QUESTION)
    assert reply.written is None and "연결하지 못했습니다" in reply.notice
    asked = len(scripted_llm.requests)
    reply = _service(engine, scripted_llm.url("good")).ask("화성 이주 계획의 예산은 얼마야?")
    assert reply.answer.abstained and reply.written is None and not reply.notice
    assert len(scripted_llm.requests) == asked  # nothing to write from: the model is not asked


def test_answers_stay_quoted_without_an_llm(engine):
    from untact_qa.serve.service import Service

    assert engine.settings.llm.url == "" and Service(engine).writer is None


def test_the_json_api_gives_the_written_and_the_quoted_answer(engine, scripted_llm):
    from starlette.testclient import TestClient

    from untact_qa.serve.api import create_api

    with TestClient(create_api(_service(engine, scripted_llm.url("invented")))) as client:
        r = client.post("/ask", json={"question": QUESTION})
        d = r.json()
        assert r.status_code == 200 and d["written"]["model"] == MODEL and d["written"]["dropped"] == 1
        assert INVENTED in d["written"]["dropped_sentences"][0]["text"] and INVENTED not in d["answer"]
        assert d["quoted"]["answer"] == engine.ask(QUESTION).text
        quoted = client.post("/ask", json={"question": QUESTION, "write": False}).json()
        assert quoted["written"] is None and quoted["answer"] == d["quoted"]["answer"]


def test_the_page_marks_a_written_answer_and_offers_the_quoted_one(engine, scripted_llm, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    from untact_qa.ui import ChatApp
    from untact_qa.ui_render import _lines_label

    app = ChatApp(engine, tmp_path / "feedback.jsonl", service=_service(engine, scripted_llm.url("invented")))
    delta, turns, _box, status, *_ = app.respond(QUESTION, [], "hybrid", 5, [])
    html, sources, saved = delta["turns"][0], delta["sources"][0], delta["save"]["put"][0]
    assert "uqa-written" in html and "인용한 원문 답 보기" in html and "문장 1개는 뺐습니다" in html
    assert INVENTED not in html and status == ""
    # the page shows the written text with its own sources; the saved copy keeps the quoted answer
    written = turns[-1]["written"]
    assert saved["answer"] == engine.ask(QUESTION).text and written["answer"] != saved["answer"]
    first = written["citations"][0]
    assert first["doc"] in sources and _lines_label(first["lines"]) in sources
    # a failing model: the quoted answer, and the reason by the box
    app = ChatApp(engine, tmp_path / "feedback.jsonl", service=_service(engine, scripted_llm.url("error")))
    delta, _turns, _box, status, *_ = app.respond(QUESTION, [], "hybrid", 5, [])
    assert "uqa-written" not in delta["turns"][0] and "HTTP 500" in status
