"""The JSON API, mounted at ``/api`` beside the chat page (same server, same login or
token, same request-size limits; see :mod:`untact_qa.http_guard`).

| route | what |
|---|---|
| ``POST /api/ask`` | ``{question, mode?, top_k?, docs?, history?, literal?, write?, passages?}`` → the answer, its citations, how it was read (intent, searched), table / outline, timings |
| ``GET /api/search?q=…&mode=&top_k=&docs=`` | ranked passages |
| ``GET /api/documents`` | every document with its chunk count and guide (overview) |
| ``POST /api/documents`` | upload one file (multipart ``file``, ``on_conflict`` keep / replace / refuse) |
| ``GET /api/documents/{doc}`` | one document's text and guide |
| ``DELETE /api/documents/{doc}`` | delete an uploaded document everywhere |
| ``GET /api/health`` | the server is up; how many documents |
| ``GET /api/docs``, ``GET /api/openapi.json`` | this description (offline HTML) and its OpenAPI schema |

Stateless: a follow-up sends the earlier answers as ``history`` (the answers this route
returned can be sent back as they are). Every answer goes through
:meth:`untact_qa.serve.service.Service.ask`, the path the chat page uses. Errors are JSON:
``{"detail": "한국어 (English)", "error": {"message", "type", "ko", "en"}}`` with 400 (a bad
value: the value and what is allowed are named), 401 (no token or login), 404, 413 (too
large), 422 (a wrong type), 500 (never a traceback).
"""


import html
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import DiskError, UntactQAError

API_TITLE = "untact-qa API"
API_DESCRIPTION = ("문서에서 인용한 문장으로 답하는 질의응답 API입니다. 모든 답의 문장에는 근거 [n]이 붙고, citations가 문서·줄·인용 "
                   "문장을 알려 줍니다. Cited answers from your documents: every sentence carries [n], and each "
                   "citation names the document, lines and quoted sentence.")


def error_body(status: int, ko: str, en: str, kind: str = "") -> dict:
    """The JSON of an error, the same on every route: the reason in Korean and English.
    (``error.message`` is what OpenAI clients read.)"""
    kind = kind or {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
                    413: "request_too_large", 422: "invalid_request_error", 429: "rate_limit_error",
                    507: "insufficient_storage"}.get(status, "server_error")
    message = f"{ko} ({en})" if en and en != ko else ko
    return {"detail": message, "error": {"message": message, "type": kind, "code": kind, "ko": ko, "en": en}}


def json_response(data, status: int = 200):
    """A JSON response with Korean kept as it is (not \\uXXXX)."""
    from starlette.responses import Response

    return Response(json.dumps(data, ensure_ascii=False), status_code=status,
                    media_type="application/json; charset=utf-8")


def error_response(status: int, ko: str, en: str, kind: str = ""):
    return json_response(error_body(status, ko, en, kind), status)


def status_of(exc: UntactQAError) -> int:
    """The HTTP status of a refusal: 507 a full disk, 404 a document that is not there, else 400."""
    from ..scope import ScopeError

    if isinstance(exc, DiskError):
        return 507
    if isinstance(exc, ScopeError) and exc.missing:
        return 404
    return 400


def install_errors(app) -> None:
    """JSON errors in Korean and English for every failure of *app*: a refused request, a
    wrong type or bad JSON, an unknown route, and anything unexpected (no traceback)."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    @app.exception_handler(UntactQAError)
    async def refused(request, exc: UntactQAError):
        return error_response(status_of(exc), exc.korean(), str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        if first.get("type") == "json_invalid":
            return error_response(400, "요청 본문이 올바른 JSON이 아닙니다.", f"the request body is not valid JSON: "
                                                                     f"{first.get('msg', '')}")
        shown = repr(first.get("input"))[:80]
        return error_response(422, f"{where}: 값의 형식이 맞지 않습니다 (받은 값: {shown}). {first.get('msg', '')}",
                              f"{where}: {first.get('msg', 'invalid value')}, got {shown}")

    @app.exception_handler(HTTPException)
    async def http_error(request, exc: HTTPException):
        if exc.status_code == 404:
            return error_response(404, f"{request.url.path}: 그런 경로가 없습니다. /api/docs에서 경로를 확인하세요.",
                                  f"no route {request.url.path}; see /api/docs")
        if exc.status_code == 405:
            return error_response(405, f"{request.method} {request.url.path}: 이 방식으로는 부를 수 없습니다.",
                                  f"method {request.method} not allowed on {request.url.path}", "invalid_request_error")
        return error_response(exc.status_code, str(exc.detail), str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request, exc: Exception):
        return error_response(500, f"서버에서 처리하지 못했습니다 ({type(exc).__name__}).",
                              f"internal error ({type(exc).__name__})")


def docs_page(schema: dict) -> str:
    """The API description as one offline HTML page (no scripts, fonts or styles from
    elsewhere): every route with its parameters, body fields and their descriptions."""
    e = html.escape
    comps = schema.get("components", {}).get("schemas", {})

    def fields(ref: str) -> str:
        model = comps.get(ref.rsplit("/", 1)[-1], {})
        rows = []
        for name, f in model.get("properties", {}).items():
            kind = f.get("type") or " | ".join(x.get("type", "?") for x in f.get("anyOf", []))
            rows.append(f"<tr><td><code>{e(name)}</code>{' *' if name in model.get('required', []) else ''}</td>"
                        f"<td>{e(str(kind))}</td><td>{e(f.get('description', ''))}</td></tr>")
        return "<table><tr><th>field</th><th>type</th><th>설명 / description</th></tr>" + "".join(rows) + "</table>"

    parts = [f"<h1>{e(schema['info']['title'])}</h1><p>{e(schema['info'].get('description', ''))}</p>",
             "<p>OpenAPI: <a href='openapi.json'>openapi.json</a></p>"]
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            parts.append(f"<section><h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(op.get('summary', ''))}"
                         f"</p><p>{e(op.get('description', ''))}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>설명 / description</th></tr>" + "".join(
                    f"<tr><td><code>{e(p['name'])}</code>{' *' if p.get('required') else ''}</td><td>{e(p['in'])}</td>"
                    f"<td>{e(p.get('description', ''))}</td></tr>" for p in params) + "</table>")
            body = op.get("requestBody", {}).get("content", {})
            for media, spec in body.items():
                ref = spec.get("schema", {}).get("$ref")
                parts.append(f"<p>body ({e(media)})</p>" + (fields(ref) if ref else ""))
            parts.append("</section>")
    style = ("body{font-family:system-ui,'Noto Sans CJK KR',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
             "line-height:1.5}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #8884;"
             "padding:.2rem .5rem;text-align:left;vertical-align:top}code{font-family:ui-monospace,monospace}"
             "section{border-top:1px solid #8884;margin-top:1.5rem}")
    return (f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{e(schema['info']['title'])}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")


def create_api(service):
    """The FastAPI app of the JSON API around *service* (mount it at ``/api``)."""
    from fastapi import FastAPI, Query
    from pydantic import BaseModel, ConfigDict, Field
    from starlette.responses import HTMLResponse

    class AskBody(BaseModel):
        model_config = ConfigDict(extra="forbid")
        question: str = Field(description="질문 (최대 20,000자, 앞 500자를 검색). The question; `#문서이름` limits it "
                                          "to that document.")
        mode: str | None = Field(None, description="검색 방식 hybrid | dense | bm25 (기본: 서버 설정). Retrieval mode.")
        top_k: int | None = Field(None, description="검색할 문단 수 1–100 (기본 5). Passages to retrieve.")
        docs: list[str] | None = Field(None, description="이 문서들에서만 찾기 (문서 id). Only these documents.")
        history: list[Any] | None = Field(None, description="앞선 대화, 오래된 것부터: 이 API의 답을 그대로, 또는 "
                                                            "[질문, 답] 쌍. Earlier turns, oldest first: this "
                                                            "API's answers as returned, or [question, answer] pairs.")
        literal: bool = Field(False, description="앞 질문에 이어 읽지 않고 그대로 검색. Search the question as typed.")
        write: bool = Field(True, description="언어 모델이 설정되어 있으면 답을 쓰게 함. Let the configured LLM "
                                              "write the answer.")
        passages: bool = Field(False, description="검색된 문단도 돌려받기. Also return the retrieved passages.")

    app = FastAPI(title=API_TITLE, description=API_DESCRIPTION, version="1", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    install_errors(app)

    @app.post("/ask", summary="질문에 답하기 / Answer a question",
              description="답(answer), 근거(citations: n, doc, section, lines, text, evidence), 답을 찾지 못한 이유(abstained, "
                          "reason, closest), 검색한 질문(searched), 의도(intent), 비교표(table), 요약(outline), 걸린 시간(timings). "
                          "An LLM-written answer carries `written` (model, kept and dropped sentences) and the quoted "
                          "answer in `quoted`.")
    def ask(body: AskBody):
        reply = service.ask(body.question, mode=body.mode, top_k=body.top_k, docs=body.docs, history=body.history,
                            literal=body.literal, write=body.write)
        return json_response(reply.to_dict(passages=body.passages))

    @app.get("/search", summary="문단 검색 / Search passages",
             description="순위, 점수, 문서, 줄, 본문. Ranked passages: rank, score, chunk_id, doc, heading, lines, text.")
    def search(q: str = Query(description="검색어. The query."),
               mode: str | None = Query(None, description="hybrid | dense | bm25"),
               top_k: int | None = Query(None, description="1–100"),
               docs: list[str] | None = Query(None, description="이 문서들에서만. Only these documents.")):
        return json_response({"query": q, "passages": service.search(q, mode=mode, top_k=top_k, docs=docs)})

    _document_routes(app, service)

    @app.get("/health", summary="상태 / Health", description="서버가 답할 수 있는지. The server is up.")
    def health():
        return json_response({"status": "ok", "documents": len(service.doc_ids()),
                              "llm": bool(service.writer)})

    @app.get("/docs", include_in_schema=False)
    def docs():
        return HTMLResponse(docs_page(app.openapi()))

    return app


def _document_routes(app, service) -> None:
    """``/documents``: list, upload, read, delete."""
    from fastapi import File, Form, UploadFile
    from starlette.concurrency import run_in_threadpool

    @app.get("/documents", summary="문서 목록 / List documents",
             description="문서 id, 청크 수, 업로드 여부, 문서 안내(요약 bullets와 확인된 질문; 만드는 중이면 null). "
                         "Each document with its chunk count and guide (null while it is being made).")
    def documents():
        return json_response({"documents": service.list_documents()})

    @app.post("/documents", summary="문서 올리기 / Upload a document",
              description=".txt, .md, .pdf 한 개 (최대 5 MB). One file; `on_conflict`: keep (이름 (2).txt로 둘 다 유지), "
                          "replace, refuse.")
    async def upload(file: UploadFile = File(description="올릴 파일. The file."),
                     on_conflict: str = Form("keep", description="keep | replace | refuse")):
        folder = Path(tempfile.mkdtemp(prefix="untact-qa-api-"))
        try:
            name = Path(file.filename or "document.txt").name or "document.txt"
            path = folder / "upload"
            with open(path, "wb") as out:
                await run_in_threadpool(shutil.copyfileobj, file.file, out, 1024 * 1024)
            info = await run_in_threadpool(service.add_document, path, name, on_conflict)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return json_response({"document": {"doc": info.doc_id, "chunks": info.chunks, "uploaded": True,
                                           "replaced": info.replaced, "renamed_from": info.renamed_from}}, 201)

    @app.get("/documents/{doc_id:path}", summary="문서 하나 / One document",
             description="문서의 본문과 안내. The document's text and guide.")
    def document(doc_id: str):
        doc, text = service.document_text(doc_id)
        return json_response({"doc": doc, "text": text,
                              "overview": service.engine.overviews.get(doc, compute=False)})

    @app.delete("/documents/{doc_id:path}", summary="업로드 문서 삭제 / Delete an uploaded document",
                description="색인, 문서 폴더, 내려받기 사본에서 한 번에 지웁니다. Removed from the index, the corpus "
                            "folder and every served copy at once.")
    def delete(doc_id: str):
        return json_response({"deleted": service.remove_document(doc_id)})
