"""The MCP server (Model Context Protocol, through the official ``mcp`` SDK): agents and
desktop assistants search, ask and add documents as tools, and read documents as resources.

* ``untact-qa mcp`` runs it over stdio (:func:`run_stdio`): a client starts the command;
* the chat server also serves it as streamable HTTP at ``/mcp`` (:func:`http_routes`),
  behind the same login or token as the JSON API.

Tools (descriptions in Korean and English): ``search``, ``ask``, ``list_documents``,
``add_document``. Every document is a resource ``untact-qa://documents/{id}`` (its text), listed
as the index holds them now. Every call goes through :class:`~untact_qa.serve.service.Service`,
the page's path; a refused call is a tool error with the Korean and English reason.
"""

from __future__ import annotations

import base64
import binascii
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import UntactQAError

URI_PREFIX = "untact-qa://documents/"
INSTRUCTIONS = ("untact-qa는 색인된 문서에서 인용한 문장으로 답합니다. 답의 모든 문장에는 근거 [n]이 붙고, citations에 문서와 줄, "
                "인용 문장이 있습니다. 답을 전할 때 [n]과 출처를 함께 전하세요. untact-qa answers from the indexed "
                "documents with quoted, cited sentences; pass the [n] markers and their sources on with the answer.")


def _refusal(exc: UntactQAError):
    from mcp.server.mcpserver.exceptions import ToolError

    return ToolError(f"{exc.korean()} ({exc})")


def create_mcp(service):
    """The MCP server (an ``MCPServer``) around *service*."""
    from mcp.server.mcpserver import MCPServer
    from mcp_types import Resource

    class DocumentServer(MCPServer):
        """The documents are listed as the index holds them when a client asks, not as they
        were when the server started (an upload or a delete shows at once)."""

        async def list_resources(self):
            return [Resource(uri=URI_PREFIX + quote(doc, safe="/"), name=doc, mime_type="text/plain",
                             description=f"{doc} 전체 본문 ({n:,}개 청크). The document's text.")
                    for doc, n in service.engine.index.doc_counts().items()]

    server = DocumentServer("untact-qa", title="untact-qa 문서 Q&A", instructions=INSTRUCTIONS, version="1",
                            log_level="WARNING")
    _answer_tools(server, service)
    _document_tools(server, service)
    return server


def _answer_tools(server, service) -> None:
    """The tools ``search`` and ``ask``."""

    @server.tool(description="문서에서 질문과 관련된 문단을 찾습니다 (순위, 점수, 문서, 줄, 본문). "
                             "Search the documents: ranked passages with rank, score, doc, heading, lines, text. "
                             "mode: hybrid | dense | bm25; top_k: 1-100; docs: only these document ids.")
    def search(query: str, mode: str | None = None, top_k: int | None = None,
               docs: list[str] | None = None) -> dict[str, Any]:
        try:
            return {"passages": service.search(query, mode=mode, top_k=top_k, docs=docs)}
        except UntactQAError as exc:
            raise _refusal(exc) from None

    @server.tool(description="문서에서 인용한 문장으로 질문에 답합니다. 답(answer)의 문장마다 [n]이 붙고 citations가 문서, 줄, "
                             "인용 문장을 줍니다. 근거가 없으면 abstained=true와 이유(reason). 이어지는 질문은 앞선 답들을 "
                             "history로 보내세요. Answer a question with quoted, cited sentences: `answer` carries [n] "
                             "markers, `citations` the document, lines and quoted sentence of each; abstained=true with "
                             "a reason when the documents do not say. For a follow-up, pass the earlier answers (as "
                             "returned) in `history`. `#문서이름` in the question limits it to that document.")
    def ask(question: str, mode: str | None = None, top_k: int | None = None, docs: list[str] | None = None,
            history: list[Any] | None = None) -> dict[str, Any]:
        try:
            return service.ask(question, mode=mode, top_k=top_k, docs=docs, history=history).to_dict()
        except UntactQAError as exc:
            raise _refusal(exc) from None


def _document_tools(server, service) -> None:
    """The tools ``list_documents`` and ``add_document``, and the documents as resources."""
    from mcp.server.mcpserver.exceptions import ResourceNotFoundError

    @server.tool(description="색인된 문서 목록: 문서 id, 청크 수, 업로드 여부, 안내(요약과 확인된 질문). "
                             "The indexed documents: id, chunk count, uploaded or not, and a guide (summary bullets "
                             "and questions checked to be answerable).")
    def list_documents() -> dict[str, Any]:
        return {"documents": service.list_documents()}

    @server.tool(description="문서를 추가합니다: .txt/.md는 text에 본문을, .pdf는 content_base64에 파일을 (최대 5 MB). "
                             "on_conflict: keep (둘 다 유지) | replace | refuse. Add a document: its text in `text` "
                             "(.txt, .md), or the file base64-encoded in `content_base64` (.pdf; at most 5 MB).")
    def add_document(name: str, text: str | None = None, content_base64: str | None = None,
                     on_conflict: str = "keep") -> dict[str, Any]:
        from mcp.server.mcpserver.exceptions import ToolError

        if (text is None) == (content_base64 is None):
            raise ToolError("text와 content_base64 중 하나만 보내세요. (Send exactly one of text or content_base64.)")
        limit = service.engine.settings.upload.max_bytes
        if text is not None:
            data = text.encode("utf-8", "replace")
        else:
            try:
                data = base64.b64decode(content_base64[: limit * 2], validate=True)
            except (binascii.Error, ValueError):
                raise ToolError("content_base64가 올바른 base64가 아닙니다. (content_base64 is not valid base64.)") from None
        if len(data) > limit:
            mb = limit // (1024 * 1024)
            raise ToolError(f"파일이 너무 큽니다 (최대 {mb} MB). (The file is over {mb} MB.)")
        folder = Path(tempfile.mkdtemp(prefix="untact-qa-mcp-"))
        try:
            path = folder / "upload"
            path.write_bytes(data)
            info = service.add_document(path, name, on_conflict)
        except UntactQAError as exc:
            raise _refusal(exc) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return {"doc": info.doc_id, "chunks": info.chunks, "replaced": info.replaced,
                "renamed_from": info.renamed_from}

    @server.resource(URI_PREFIX + "{+doc_id}", name="document", mime_type="text/plain",
                     description="색인된 문서의 본문. The text of an indexed document.")
    def document(doc_id: str) -> str:
        try:
            return service.document_text(doc_id)[1]
        except UntactQAError as exc:
            raise ResourceNotFoundError(f"{exc.korean()} ({exc})") from None


def http_routes(service, host: str = "127.0.0.1"):
    """The streamable-HTTP transport at ``/mcp`` for the chat server: its routes, and the
    lifespan that runs its session manager (``launch(app_kwargs={"routes", "lifespan"})``).
    Stateless, JSON responses: each call stands alone, as the JSON API's do."""
    from contextlib import asynccontextmanager

    server = create_mcp(service)
    app = server.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=True, host=host)

    @asynccontextmanager
    async def lifespan(_app):
        async with server.session_manager.run():
            yield

    return list(app.routes), lifespan


def run_stdio(settings) -> None:
    """``untact-qa mcp``: load the engine (building the index on first run, progress on
    stderr: stdout is the protocol's) and serve MCP over stdio until the client closes it."""
    from ..engine import Engine
    from .service import Service

    engine = Engine.load_or_build(settings, progress=True)
    create_mcp(Service(engine)).run("stdio")
