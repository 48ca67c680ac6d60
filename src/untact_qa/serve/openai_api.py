"""An OpenAI-compatible chat route, mounted at ``/v1``: Open WebUI, LibreChat or any OpenAI
client can use untact-qa as a model.

* ``GET /v1/models`` lists one model, ``untact-qa`` (``untact-qa-hybrid``, ``-dense``,
  ``-bm25`` are accepted too and choose the retrieval mode);
* ``POST /v1/chat/completions`` (``stream`` true or false) answers the last user message
  through :meth:`untact_qa.serve.service.Service.ask`, the page's path. The earlier
  user/assistant messages are the conversation: an assistant message this server wrote
  recently is recognised (by its text) and brings its citations back, so "왜?" and "더
  자세히" work; any other is read as a plain ``(question, answer)`` pair. System messages
  are ignored (the answer comes from the documents, not from instructions).

The reply's ``content`` is the answer with its ``[n]`` markers, then a Markdown source list
(``**출처**`` and one line per citation: document, lines, section, quoted sentence). Two
extra fields carry the structure for clients that read it: ``citations`` (the same objects as
the JSON API's) and ``untact_qa`` (the JSON API's whole answer). Streamed, the text comes in
pieces and the last chunk carries both fields. Extra request fields ``mode``, ``top_k`` and
``docs`` work as in the JSON API; ``temperature`` and the like are accepted and ignored.
"""


import hashlib
import json
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any

from ..config import MODES
from .api import install_errors, json_response
from .service import RequestError, citation_json

MODEL = "untact-qa"
MODELS = (MODEL, *(f"{MODEL}-{m}" for m in MODES))
SOURCES_HEADING = "**출처**"
RECENT = 1024  # assistant messages remembered (by their text) to bring their citations back


def model_mode(model) -> str | None:
    """The retrieval mode a model name chooses (None: the configured one); refuses others."""
    if model not in MODELS:
        shown = str(model)[:60]
        raise RequestError(f"model must be one of {', '.join(MODELS)}, got {shown!r}",
                           ko=f"모델은 {', '.join(MODELS)} 중 하나입니다 (받은 값: {shown}).")
    return None if model == MODEL else model[len(MODEL) + 1:]


def content_text(content) -> str:
    """A message's text: a string, or the text parts of a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"
                         and isinstance(p.get("text"), str))
    raise RequestError(f"message content must be a string or a list of parts, got {type(content).__name__}",
                       ko=f"메시지 내용은 문자열이나 부분들의 목록이어야 합니다 (받은 값의 형식: {type(content).__name__}).")


def markdown_sources(citations) -> str:
    """The citations as the Markdown list that ends a reply."""
    lines = []
    for c in citations:
        lines_label = f"{c.line_start}행" if c.line_start == c.line_end else f"{c.line_start}–{c.line_end}행"
        section = f" · {c.heading}" if c.heading else ""
        evidence = " ".join(c.evidence.split())
        lines.append(f"[{c.n}] {c.doc_id} · {lines_label}{section} — “{evidence}”")
    return f"{SOURCES_HEADING}\n" + "\n".join(f"- {line}" for line in lines) if lines else ""


def reply_content(reply) -> str:
    """The assistant message of a reply: the answer with [n], a notice if any, the sources."""
    text = reply.text or reply.answer.reason
    parts = [text]
    if reply.notice:
        parts.append(f"_{reply.notice}_")
    sources = markdown_sources(reply.citations)
    if sources:
        parts.append(sources)
    return "\n\n".join(p for p in parts if p)


def _key(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "replace")).hexdigest()


class Recent:
    """The last :data:`RECENT` replies this route sent, by their text: a conversation sent
    back brings its citations (what "왜?" starts from) with it. Bounded, thread-safe."""

    def __init__(self, size: int = RECENT) -> None:
        self.size = size
        self._items: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, content: str, turn: dict) -> None:
        with self._lock:
            self._items[_key(content)] = turn
            self._items.move_to_end(_key(content))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, content: str) -> dict | None:
        with self._lock:
            return self._items.get(_key(content))


def conversation(messages, recent: Recent) -> tuple[str, list]:
    """The question (the last user message) and the history (earlier user/assistant pairs)."""
    if not isinstance(messages, list) or not messages:
        raise RequestError("messages must be a non-empty list", ko="messages: 메시지가 하나 이상 있어야 합니다.")
    talk = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str):
            raise RequestError(f"messages[{i}] must be an object with a role",
                               ko=f"messages[{i}]: role이 있는 객체여야 합니다.")
        if m["role"] in ("user", "assistant"):
            talk.append((m["role"], content_text(m.get("content"))))
    if not talk or talk[-1][0] != "user":
        raise RequestError("the last message must be the user's question",
                           ko="마지막 메시지는 사용자의 질문이어야 합니다.")
    history, question = [], None
    for role, text in talk[:-1]:
        if role == "user":
            question = text
        elif question is not None:
            known = recent.get(text)
            answer = text.split(f"\n\n{SOURCES_HEADING}", 1)[0]
            history.append({**known, "question": question} if known else [question, answer])
            question = None
    return talk[-1][1], history


def create_openai_api(service):
    """The FastAPI app of the OpenAI-compatible route around *service* (mount it at ``/v1``)."""
    from fastapi import FastAPI
    from pydantic import BaseModel, ConfigDict, Field
    from starlette.responses import StreamingResponse

    recent = Recent()

    class ChatBody(BaseModel):
        model_config = ConfigDict(extra="allow")  # temperature, max_tokens, …: accepted, not used
        model: str = Field(MODEL, description=f"{', '.join(MODELS)}")
        messages: list[dict[str, Any]] = Field(description="대화: 마지막 user 메시지가 질문. The conversation; the last "
                                                           "user message is the question.")
        stream: bool = Field(False, description="server-sent events로 나눠 보내기. Stream the reply.")
        mode: str | None = Field(None, description="hybrid | dense | bm25 (모델 이름보다 우선)")
        top_k: int | None = Field(None, description="검색할 문단 수 1–100. Passages to retrieve.")
        docs: list[str] | None = Field(None, description="이 문서들에서만 찾기. Only these documents.")

    app = FastAPI(title="untact-qa OpenAI-compatible API", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    install_errors(app)

    @app.get("/models", summary="모델 목록 / List models")
    def models():
        now = int(time.time())
        return json_response({"object": "list", "data": [{"id": m, "object": "model", "created": now,
                                                          "owned_by": "untact-qa"} for m in MODELS]})

    @app.post("/chat/completions", summary="질문에 답하기 / Chat completion")
    def chat(body: ChatBody):
        mode = body.mode if body.mode is not None else model_mode(body.model)
        question, history = conversation(body.messages, recent)
        reply = service.ask(question, mode=mode, top_k=body.top_k, docs=body.docs, history=history)
        content = reply_content(reply)
        data = reply.to_dict()
        recent.put(content, {k: data[k] for k in ("question", "answer", "searched", "intent", "abstained", "docs")}
                   | {"citations": [{"chunk_id": c["chunk_id"], "evidence_span": c["evidence_span"]}
                                    for c in data["citations"]]})
        cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        # the citations of the text shown (a near-miss: its closest content's), as the JSON API gives them
        extra = {"citations": [citation_json(c) for c in reply.citations], "untact_qa": data}
        if not body.stream:
            return json_response({"id": cid, "object": "chat.completion", "created": created, "model": body.model,
                                  "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                               "finish_reason": "stop"}],
                                  "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}, **extra})

        def chunk(delta: dict, finish=None, **more) -> str:
            return "data: " + json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                          "model": body.model, "choices": [{"index": 0, "delta": delta,
                                                                            "finish_reason": finish}], **more},
                                         ensure_ascii=False) + "\n\n"

        def events():
            yield chunk({"role": "assistant", "content": ""})
            # the answer is computed whole; it goes out in a few pieces (by line) so that a
            # client renders it as it would a model's stream
            pieces = content.split("\n")
            for i, piece in enumerate(pieces):
                yield chunk({"content": piece + ("\n" if i < len(pieces) - 1 else "")})
            yield chunk({}, "stop", **extra)
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream; charset=utf-8",
                                 headers={"cache-control": "no-store"})

    return app

