"""The machine surfaces on the running server, through real clients: httpx against /api/*, the
official openai SDK against /v1, the mcp SDK against /mcp, gradio_client against the page's
/answer. One app for the module, with a login and an API token configured."""

from __future__ import annotations

import json

import pytest

from conftest import load_questions
from servekit import PASSWORD, TOKEN, USER, declared, running


@pytest.fixture(scope="module")
def app(tmp_path_factory, settings, built_index):
    with running(tmp_path_factory.mktemp("serve-api"), settings) as app:
        yield app


@pytest.fixture(scope="module")
def api(app):
    """An httpx client of the app, bearing the token."""
    import httpx

    with httpx.Client(base_url=app.url.rstrip("/"), headers=app.auth, timeout=120, trust_env=False) as client:
        yield client


def _same(d: dict, a) -> None:
    """The API's answer *d* is Engine.ask's *a*: text, verdict, how it was read, every citation."""
    assert (d["answer"], d["abstained"], d["kind"], d["reason"], d["intent"], d["searched"]) == \
           (a.text, a.abstained, a.kind, a.reason, a.intent, a.searched_query), d["question"]
    assert [(c["chunk_id"], c["lines"], c["evidence_span"], c["evidence"]) for c in d["citations"]] == \
           [(c.chunk_id, [c.line_start, c.line_end], [c.evidence_start, c.evidence_end], c.evidence)
            for c in a.citations], d["question"]
    assert (d["closest"] is None) == (a.closest is None)
    if a.closest:
        assert d["closest"]["answer"] == a.closest.text
        assert [c["chunk_id"] for c in d["closest"]["citations"]] == [c.chunk_id for c in a.closest.citations]
    assert (d["table"], d["outline"]) == (a.table, a.outline)
    assert d["span"] == (None if a.span is None else {"start": a.span[0], "end": a.span[1],
                                                      "text": a.text[a.span[0]:a.span[1]]})


# -- the JSON API -------------------------------------------------------------------------------------
def test_the_api_answers_every_eval_question_as_engine_ask_does(api, engine):
    """Done-when of issue 30: the report's questions through POST /api/ask, compared with Engine.ask."""
    questions = load_questions()
    assert len(questions) >= 150
    for q in questions:
        r = api.post("/api/ask", json={"question": q["question"]})
        assert r.status_code == 200, r.text
        _same(r.json(), engine.ask(q["question"]))


def test_a_follow_up_is_read_from_the_history_sent_back(api):
    first = api.post("/api/ask", json={"question": "중국의 원격근무 현황은?"}).json()
    second = api.post("/api/ask", json={"question": "그럼 일본은?", "history": [first]}).json()
    assert second["intent"] == "ellipsis" and second["searched"] == "일본의 원격근무 현황은?"
    assert "일본" in second["answer"] and second["citations"]
    why = api.post("/api/ask", json={"question": "왜?", "history": [first]}).json()
    assert why["intent"] == "why"
    # stateless: the same question without history is a new one, and a [question, answer] pair works too
    assert api.post("/api/ask", json={"question": "그럼 일본은?"}).json()["intent"] != "ellipsis"
    pair = api.post("/api/ask", json={"question": "그럼 일본은?",
                                      "history": [[first["question"], first["answer"]]]}).json()
    assert pair["searched"] == "일본의 원격근무 현황은?"


def test_search_scope_and_passages(api):
    rows = api.get("/api/search", params={"q": "재택근무 실시율", "top_k": 3, "mode": "bm25"}).json()["passages"]
    assert [r["rank"] for r in rows] == [1, 2, 3] and all(r["doc"] == "untact-economy-report.txt" for r in rows)
    d = api.post("/api/ask", json={"question": "베트남의 현금 사용률은?", "top_k": 3, "passages": True,
                                   "docs": ["./untact-economy-report.txt"]}).json()
    assert d["docs"] == ["untact-economy-report.txt"] and len(d["passages"]) == 3 and "90%" in d["answer"]
    assert {"section", "lines", "text", "evidence", "n", "doc"} <= set(d["citations"][0])
    assert d["timings"]["engine"] > 0 and "total" in d["timings"]


def test_documents_upload_list_read_ask_delete(api, app):
    doc = app.tmp / "주간회의.md"
    doc.write_text("# 주간 회의\n- 우리 팀의 주간 회의는 매주 수요일 오전 10시에 열린다.\n", encoding="utf-8")
    with open(doc, "rb") as f:
        r = api.post("/api/documents", files={"file": ("주간회의.md", f, "text/markdown")})
    assert r.status_code == 201, r.text
    doc_id = r.json()["document"]["doc"]
    assert doc_id == "uploads/주간회의.md" and r.json()["document"]["chunks"] == 1
    listed = {d["doc"]: d for d in api.get("/api/documents").json()["documents"]}
    assert listed[doc_id]["uploaded"] and listed["untact-economy-report.txt"]["overview"] is not None
    assert "수요일" in api.get(f"/api/documents/{doc_id}").json()["text"]
    d = api.post("/api/ask", json={"question": "주간 회의는 무슨 요일이야?", "docs": [doc_id]}).json()
    assert "수요일" in d["answer"] and d["citations"][0]["doc"] == doc_id
    assert api.delete(f"/api/documents/{doc_id}").json() == {"deleted": doc_id}
    assert doc_id not in {d["doc"] for d in api.get("/api/documents").json()["documents"]}
    gone = api.post("/api/ask", json={"question": "주간 회의는 무슨 요일이야?", "docs": [doc_id]})
    assert gone.status_code == 404 and "삭제되었을 수 있습니다" in gone.json()["error"]["ko"]
    again = api.delete(f"/api/documents/{doc_id}")
    assert again.status_code == 400 and "그런 업로드 문서가 없습니다" in again.json()["detail"]
    assert api.delete("/api/documents/untact-economy-report.txt").status_code == 400  # not an upload


def test_the_openapi_schema_is_served_and_matches_the_routes(api):
    schema = api.get("/api/openapi.json").json()
    routes = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert routes == {("POST", "/ask"), ("GET", "/search"), ("GET", "/documents"), ("POST", "/documents"),
                      ("GET", "/documents/{doc_id}"), ("DELETE", "/documents/{doc_id}"), ("GET", "/health")}
    assert {"question", "mode", "top_k", "docs", "history"} <= set(schema["components"]["schemas"]["AskBody"]
                                                                    ["properties"])
    page = api.get("/api/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for _, path in routes:  # the offline page lists every route, and loads nothing from elsewhere
        assert path in page.text
    assert "http://" not in page.text and "https://" not in page.text and "<script" not in page.text
    v1 = {(m.upper(), p) for p, ops in api.get("/v1/openapi.json").json()["paths"].items() for m in ops}
    assert v1 == {("GET", "/models"), ("POST", "/chat/completions")}


# -- errors ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body,status,says", [
    ("{not json", 400, "올바른 JSON이 아닙니다"),
    ('{"question": 5}', 422, "question"),
    ('{"question": "q", "top_k": "many"}', 422, "top_k"),
    ('{"question": "q", "history": "x"}', 422, "history"),
    ('{"question": "q", "extra": 1}', 422, "extra"),
    ('["question"]', 422, "body"),
    ('{"question": "   "}', 400, "질문이 비어 있습니다"),
    ('{"question": "q", "mode": "fast"}', 400, "hybrid, dense, bm25 중 하나"),
    ('{"question": "q", "top_k": 0}', 400, "1에서 100 사이"),
    ('{"question": "q", "history": [{"question": 1, "answer": "a"}]}', 400, "history[0].question"),
    ('{"question": "q", "history": [["only one"]]}', 400, "[질문, 답]"),
    ('{"question": "#없는문서 질문"}', 400, "그런 이름의 문서가 없습니다"),
    ('{"question": "q", "docs": ["../etc/passwd"]}', 404, "검색 범위의 문서"),
])
def test_a_bad_request_gets_a_json_error_in_korean_and_english(api, body, status, says):
    r = api.post("/api/ask", content=body.encode(), headers={"content-type": "application/json"})
    d = r.json()
    assert r.status_code == status and says in d["detail"], d
    assert d["error"]["ko"] and d["error"]["en"] and "Traceback" not in r.text


def test_huge_bodies_unknown_routes_and_wrong_methods_are_json(app, api):
    status, body = declared(app.url, "/api/ask", 9 * 1024 * 1024, {**app.auth, "Content-Type": "application/json"})
    assert status == 413 and "너무 큽니다" in body["detail"] and "8 MB" in body["error"]["message"]
    status, body = declared(app.url, "/api/documents", 6 * 1024 * 1024,
                            {**app.auth, "Content-Type": "multipart/form-data; boundary=x"})
    assert status == 413 and "5 MB" in body["detail"]
    assert api.get("/api/nothing").json()["error"]["type"] == "not_found_error"
    assert api.put("/api/ask").status_code == 405 and "error" in api.put("/api/ask").json()
    r = api.post("/v1/chat/completions", json={"model": "gpt-4", "messages": [{"role": "user", "content": "x"}]})
    assert r.status_code == 400 and "untact-qa" in r.json()["error"]["message"]
    r = api.post("/v1/chat/completions", json={"model": "untact-qa", "messages": [{"role": "assistant",
                                                                                   "content": "x"}]})
    assert r.status_code == 400 and "마지막 메시지" in r.json()["error"]["message"]


# -- who may call -----------------------------------------------------------------------------------------
def test_every_new_route_refuses_without_the_token_or_the_login(app, api):
    import httpx

    routes = [(m.upper(), "/api" + p) for p, ops in api.get("/api/openapi.json").json()["paths"].items() for m in ops]
    routes += [(m.upper(), "/v1" + p) for p, ops in api.get("/v1/openapi.json").json()["paths"].items() for m in ops]
    routes += [("GET", "/api/docs"), ("GET", "/api/openapi.json"), ("GET", "/v1/openapi.json"), ("POST", "/mcp"),
               ("GET", "/mcp"), ("GET", "/api/unknown")]
    assert len(routes) >= 14
    with httpx.Client(base_url=app.url.rstrip("/"), timeout=60, trust_env=False) as anon:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN}):
            for method, path in routes:
                concrete = path.replace("{doc_id}", "untact-economy-report.txt")
                r = anon.request(method, concrete, headers=headers, json={"question": "재택근무 실시율은?"})
                assert r.status_code == 401, (method, concrete, headers, r.status_code)
                assert "Bearer" in r.json()["detail"] and "재택" not in r.text
        # the login's session cookie opens them too (the page's own scripts use it)
        login = anon.post("/login", data={"username": USER, "password": PASSWORD})
        assert login.status_code == 200
        r = anon.post("/api/ask", json={"question": "재택근무 실시율은?"})
        assert r.status_code == 200 and r.json()["citations"]


# -- other clients ------------------------------------------------------------------------------------------
def test_the_openai_sdk_gets_cited_answers_streamed_and_not(app, engine):
    from openai import OpenAI

    client = OpenAI(base_url=app.url + "v1", api_key=TOKEN)
    assert "untact-qa" in [m.id for m in client.models.list()]
    question = "줌 하루 이용자는 몇 명까지 늘었어?"
    r = client.chat.completions.create(model="untact-qa", messages=[{"role": "system", "content": "be brief"},
                                                                     {"role": "user", "content": question}])
    content, extra = r.choices[0].message.content, r.model_extra
    a = engine.ask(question)
    assert content.startswith(a.text) and "**출처**" in content and "[1] untact-economy-report.txt" in content
    assert extra["citations"][0]["chunk_id"] == a.citations[0].chunk_id and extra["untact_qa"]["answer"] == a.text
    assert r.choices[0].finish_reason == "stop"
    # streamed: the same text in pieces, the citations on the last chunk; the history comes from messages
    messages = [{"role": "user", "content": "중국의 원격근무 현황은?"}]
    first = client.chat.completions.create(model="untact-qa", messages=messages).choices[0].message.content
    messages += [{"role": "assistant", "content": first}, {"role": "user", "content": "그럼 일본은?"}]
    chunks = list(client.chat.completions.create(model="untact-qa-hybrid", messages=messages, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    last = chunks[-1]
    assert len(chunks) > 3 and last.choices[0].finish_reason == "stop"
    assert last.model_extra["untact_qa"]["searched"] == "일본의 원격근무 현황은?" and "일본" in text
    assert last.model_extra["citations"] and "**출처**" in text
    # the assistant message sent back brings its citations: "왜?" starts from the quoted sentence
    why = client.chat.completions.create(model="untact-qa", messages=messages[:2] + [{"role": "user",
                                                                                       "content": "왜?"}])
    assert why.model_extra["untact_qa"]["intent"] == "why"
    from openai import AuthenticationError

    with pytest.raises(AuthenticationError):
        OpenAI(base_url=app.url + "v1", api_key="wrong").models.list()


def test_the_mcp_sdk_over_http_searches_asks_adds_and_reads(app, api):
    import anyio
    import httpx2
    from mcp.client import Client
    from mcp.client.streamable_http import streamable_http_client

    async def session():
        http = httpx2.AsyncClient(headers=app.auth, timeout=120)
        async with Client(streamable_http_client(app.url + "mcp", http_client=http)) as c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            assert set(tools) == {"search", "ask", "list_documents", "add_document"}
            assert all("문서" in t.description and "the" in t.description.lower() for t in tools.values())
            answer = (await c.call_tool("ask", {"question": "베트남의 현금 사용률은?"})).structured_content
            assert "90%" in answer["answer"] and answer["citations"][0]["doc"] == "untact-economy-report.txt"
            refused = await c.call_tool("ask", {"question": "q", "mode": "fast"})
            assert refused.is_error and "hybrid, dense, bm25" in refused.content[0].text
            found = (await c.call_tool("search", {"query": "도장 문화", "top_k": 2})).structured_content
            assert len(found["passages"]) == 2
            added = await c.call_tool("add_document", {"name": "mcp메모.txt",
                                                       "text": "비대면 교육 점검은 매달 셋째 주 금요일에 한다."})
            assert not added.is_error and added.structured_content["doc"] == "uploads/mcp메모.txt"
            uris = [str(r.uri) for r in (await c.list_resources(cache_mode="refresh")).resources]
            assert any(u.endswith("uploads/mcp%EB%A9%94%EB%AA%A8.txt") for u in uris), uris
            text = (await c.read_resource(next(u for u in uris if "uploads/" in u))).contents[0].text
            assert "셋째 주 금요일" in text
            docs = (await c.call_tool("list_documents", {})).structured_content["documents"]
            assert "uploads/mcp메모.txt" in {d["doc"] for d in docs}
        await http.aclose()

    anyio.run(session)
    assert api.delete("/api/documents/uploads/mcp메모.txt").status_code == 200


def test_gradio_client_gets_the_same_answer_from_the_page(app, api):
    from gradio_client import Client

    client = Client(app.url, auth=(USER, PASSWORD), verbose=False)
    names = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/ask", "/answer", "/add_document", "/remove_document"} <= set(names)
    assert [p["parameter_name"] for p in names["/answer"]["parameters"]] == ["question", "mode", "top_k", "docs",
                                                                            "history"]
    got = client.predict("베트남의 현금 사용률은?", "hybrid", 5, None, None, api_name="/answer")
    want = api.post("/api/ask", json={"question": "베트남의 현금 사용률은?"}).json()
    assert json.dumps({k: got[k] for k in ("answer", "citations", "intent", "searched")}, sort_keys=True) == \
           json.dumps({k: want[k] for k in ("answer", "citations", "intent", "searched")}, sort_keys=True)
    follow = client.predict("그럼 중국은?", "hybrid", 5, None, [got], api_name="/answer")
    assert follow["intent"] == "ellipsis" and "중국" in follow["searched"]
