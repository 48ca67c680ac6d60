"""Gradio chat UI: streamed cited answers, a sources panel, follow-ups, uploads, feedback.

One :class:`~untact_qa.engine.Engine` (model + index) is loaded per process and shared
by every session. All document and user text is escaped before it is rendered.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no request may leave the machine

import gradio as gr  # noqa: E402

from .config import MODES, Settings  # noqa: E402
from .errors import UntactQAError  # noqa: E402

EXAMPLES = [
    "우리나라 재택근무 실시율은 어느 정도야?",
    "일본에서 재택근무가 잘 안 되는 이유는?",
    "줌 하루 이용자는 몇 명까지 늘었어?",
    "베트남의 현금 사용률은?",
]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_STREAM_STEP = 12  # characters per streamed update
_STREAM_PAUSE = 0.004  # seconds between updates: visible streaming without holding a worker long
_feedback_lock = threading.Lock()

CSS = """
.uqa-sources { font-size: 0.92rem; }
.uqa-cite { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; background: #fff; }
.uqa-cite .uqa-n { font-weight: 700; color: #0b5cad; margin-right: 4px; }
.uqa-meta { color: #57606a; font-size: 0.82rem; margin: 2px 0 6px; }
.uqa-passage { white-space: pre-wrap; line-height: 1.5; color: #24292f; }
.uqa-passage mark { background: #fff3a3; padding: 0 1px; }
.uqa-abstain { border: 1px dashed #bf8700; background: #fff8e6; padding: 8px 10px; border-radius: 8px; }
.uqa-searched { color: #57606a; font-size: 0.85rem; }
"""


def escape_markdown(text: str) -> str:
    """Make untrusted text inert in the chat bubble: no HTML, no links, no formatting."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def render_answer_markdown(answer) -> str:
    """Chat bubble text: the answer, then a compact source list; abstentions look different."""
    if answer.abstained:
        return "🔎 **근거를 찾지 못했습니다**\n\n" + escape_markdown(answer.text)
    body = escape_markdown(answer.text)
    refs = "  \n".join(
        f"\\[{c.n}\\] {escape_markdown(c.doc_id)} · {c.line_start}–{c.line_end}행" for c in answer.citations
    )
    return f"{body}\n\n<sub>{refs}</sub>" if refs else body


def render_sources_html(answer) -> str:
    """The sources panel: cited passages with the evidence highlighted, other hits collapsed."""
    if answer is None:
        return "<div class='uqa-sources'><p>질문하면 답의 근거가 된 문단이 여기에 표시됩니다.</p></div>"
    parts = ["<div class='uqa-sources'>"]
    if answer.abstained:
        parts.append(f"<div class='uqa-abstain'><b>근거 없음</b> — {html.escape(answer.reason)}</div>")
    cited_ids = {c.chunk_id for c in answer.citations}
    for c in answer.citations:
        before = html.escape(c.passage[: c.evidence_start])
        ev = html.escape(c.passage[c.evidence_start: c.evidence_end])
        after = html.escape(c.passage[c.evidence_end:])
        parts.append(
            f"<div class='uqa-cite' id='cite-{c.n}'>"
            f"<div><span class='uqa-n'>[{c.n}]</span><b>{html.escape(c.heading)}</b></div>"
            f"<div class='uqa-meta'>{html.escape(c.doc_id)} · {c.line_start}–{c.line_end}행</div>"
            f"<div class='uqa-passage'>{before}<mark>{ev}</mark>{after}</div></div>"
        )
    others = [h for h in answer.hits if h.chunk.chunk_id not in cited_ids]
    if others:
        parts.append(f"<details><summary>검색되었지만 인용되지 않은 문단 ({len(others)})</summary>")
        for h in others:
            ch = h.chunk
            parts.append(
                f"<div class='uqa-cite'><div><b>{html.escape(ch.heading)}</b></div>"
                f"<div class='uqa-meta'>{html.escape(ch.doc_id)} · {ch.line_start}–{ch.line_end}행 · "
                f"순위 {h.rank}</div><div class='uqa-passage'>{html.escape(ch.text)}</div></div>"
            )
        parts.append("</details>")
    parts.append("</div>")
    return "".join(parts)


def record_feedback(path: Path, turn: dict, vote: str) -> None:
    """Append one vote (question, answer, citations) to the feedback JSONL file."""
    row = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "vote": vote, "question": turn["question"],
           "searched_query": turn["searched_query"], "answer": turn["answer"], "abstained": turn["abstained"],
           "citations": turn["citations"]}
    path.parent.mkdir(parents=True, exist_ok=True)
    with _feedback_lock, open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _documents_table(store) -> list[list]:
    return [[d.doc_id, d.chunks, "업로드" if d.uploaded else "기본"] for d in store.list()]


def build_app(engine, feedback_path: Path | None = None):
    """The Blocks app around a loaded engine."""
    from .documents import DocumentStore

    store = DocumentStore(engine)
    feedback_path = feedback_path or Path(os.environ.get("UNTACT_QA_DATA", "data")) / "feedback.jsonl"

    def respond(message, chat, turns, mode, top_k):
        chat = list(chat or [])
        turns = list(turns or [])
        chat.append({"role": "user", "content": escape_markdown(message or "")})
        chat.append({"role": "assistant", "content": "…"})
        yield chat, gr.update(), gr.update(), turns, ""
        history = [(t["searched_query"], t["answer"]) for t in turns if not t["abstained"]]
        try:
            answer = engine.ask(message or "", mode=mode, top_k=int(top_k), history=history)
        except UntactQAError as exc:
            chat[-1] = {"role": "assistant", "content": "⚠️ " + escape_markdown(str(exc))}
            yield chat, gr.update(), "", turns, ""
            return
        full = render_answer_markdown(answer)
        searched = ""
        if answer.searched_query != answer.question:
            searched = f"<div class='uqa-searched'>검색한 질문: {html.escape(answer.searched_query)}</div>"
        sources = render_sources_html(answer)
        for end in range(_STREAM_STEP, len(full), _STREAM_STEP):
            # never cut inside a backslash escape or an HTML entity while streaming
            cut = full[:end]
            cut = re.sub(r"(\\|&[a-z#0-9]*)$", "", cut)
            chat[-1] = {"role": "assistant", "content": cut}
            yield chat, gr.update(), searched, turns, ""
            time.sleep(_STREAM_PAUSE)
        chat[-1] = {"role": "assistant", "content": full}
        d = answer.to_dict()
        turns.append({"question": answer.question, "searched_query": answer.searched_query, "answer": answer.text,
                      "abstained": answer.abstained, "citations": d["citations"], "message_index": len(chat) - 1})
        yield chat, sources, searched, turns, ""

    def on_like(turns, data: gr.LikeData):
        idx = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = next((t for t in turns or [] if t["message_index"] == idx), None)
        if turn is None:
            return
        liked = data.liked
        vote = "like" if liked is True or liked == "Like" else "dislike" if liked in (False, "Dislike") else str(liked)
        record_feedback(feedback_path, turn, vote)

    def add_document(file):
        if file is None:
            return "파일을 선택하세요.", _documents_table(store), gr.update()
        path = Path(file if isinstance(file, str) else file.name)
        original = Path(getattr(file, "orig_name", None) or path.name).name
        try:
            info = store.add(path, original)
        except UntactQAError as exc:
            return (f"❌ 추가하지 않았습니다: {escape_markdown(str(exc))}", _documents_table(store),
                    gr.update(choices=[d.doc_id for d in store.list() if d.uploaded]))
        return (f"✅ {escape_markdown(info.doc_id)} 추가됨 (청크 {info.chunks}개)", _documents_table(store),
                gr.update(choices=[d.doc_id for d in store.list() if d.uploaded], value=None))

    def remove_document(doc_id):
        if not doc_id:
            return "삭제할 문서를 고르세요.", _documents_table(store), gr.update()
        try:
            store.remove(doc_id)
        except UntactQAError as exc:
            return f"❌ {escape_markdown(str(exc))}", _documents_table(store), gr.update()
        return (f"🗑️ {escape_markdown(doc_id)} 삭제됨", _documents_table(store),
                gr.update(choices=[d.doc_id for d in store.list() if d.uploaded], value=None))

    with gr.Blocks(title="untact-qa · 비대면 경제 문서 Q&A", analytics_enabled=False) as demo:
        gr.Markdown("## 비대면 경제 문서 Q&A\n질문하면 문서에서 찾은 문장으로 답하고, 모든 문장에 출처 [n]을 붙입니다.")
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="대화", height=480, elem_id="chat", sanitize_html=True,
                                     feedback_options=("Like", "Dislike"), layout="bubble",
                                     placeholder="예: 일본에서 재택근무가 잘 안 되는 이유는?")
                searched = gr.HTML("", elem_id="searched")
                with gr.Row():
                    question = gr.Textbox(placeholder="질문을 입력하세요 (Enter로 전송)", show_label=False,
                                          elem_id="question", scale=5, max_lines=4)
                    send = gr.Button("질문", variant="primary", scale=1, elem_id="send")
                gr.Examples(EXAMPLES, inputs=question, label="예시 질문")
                with gr.Accordion("검색 설정", open=False):
                    mode = gr.Radio(list(MODES), value=engine.settings.retrieval.mode, label="검색 방식",
                                    info="hybrid: 의미(e5) + 형태소(BM25) 결합")
                    top_k = gr.Slider(1, 10, value=engine.settings.retrieval.top_k, step=1, label="검색 문단 수 (top-k)")
            with gr.Column(scale=2):
                gr.Markdown("### 출처")
                sources = gr.HTML(render_sources_html(None), elem_id="sources")
        with gr.Accordion("문서 관리", open=False):
            gr.Markdown(f"`.txt`, `.md`, `.pdf` (최대 5 MB)를 추가하면 바로 검색됩니다. 추가한 문서는 "
                        f"`{html.escape(str(store.upload_dir))}`에 저장되어 재시작 후에도 남습니다.")
            with gr.Row():
                upload = gr.File(label="문서 추가", file_types=[".txt", ".md", ".pdf"], elem_id="upload")
                with gr.Column():
                    upload_status = gr.Markdown("", elem_id="upload-status")
                    removable = gr.Dropdown([d.doc_id for d in store.list() if d.uploaded], label="업로드 문서",
                                            elem_id="removable")
                    remove = gr.Button("선택한 문서 삭제", variant="stop")
            docs = gr.Dataframe(_documents_table(store), headers=["문서", "청크 수", "종류"], interactive=False,
                                elem_id="documents")

        outputs = [chatbot, sources, searched, turns, question]
        inputs = [question, chatbot, turns, mode, top_k]
        question.submit(respond, inputs, outputs, api_name="ask")
        send.click(respond, inputs, outputs, api_name=False)
        chatbot.like(on_like, [turns], None, api_name=False)
        upload.upload(add_document, [upload], [upload_status, docs, removable], api_name="add_document",
                      concurrency_limit=1)
        remove.click(remove_document, [removable], [upload_status, docs, removable], api_name="remove_document",
                     concurrency_limit=1)
    # Two cores: two answers at a time keeps one core free for the web server and uploads.
    demo.queue(default_concurrency_limit=2, max_size=64)
    return demo


def serve(host: str = "127.0.0.1", port: int = 7860, settings: Settings | None = None,
          prevent_thread_lock: bool = False):
    """Load (building on first run) the index and model once, then launch the UI."""
    from .engine import Engine

    settings = settings or Settings.from_env()
    print(f"Loading untact-qa (corpus {settings.corpus_dir}/, index {settings.index_dir}/)…", file=sys.stderr)
    engine = Engine.load_or_build(settings, progress=True)
    demo = build_app(engine)
    user, password = os.environ.get("UNTACT_QA_USER"), os.environ.get("UNTACT_QA_PASSWORD")
    auth = (user, password) if user and password else None
    print(f"untact-qa UI on http://{host}:{port}" + (" (login required)" if auth else ""), file=sys.stderr)
    return demo.launch(server_name=host, server_port=port, auth=auth, share=False, show_error=False,
                       prevent_thread_lock=prevent_thread_lock, footer_links=["api"],
                       theme=_offline_theme(), css=CSS, max_file_size="5mb", quiet=True)


def _offline_theme():
    # The stock themes pull Google Fonts; local font stacks keep the page fully offline.
    return gr.themes.Soft(font=["system-ui", "Noto Sans KR", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def main(argv: list[str] | None = None) -> int:
    """``python app.py [--host H] [--port P]``."""
    import argparse

    p = argparse.ArgumentParser(description="untact-qa chat UI")
    p.add_argument("--host", default=os.environ.get("UNTACT_QA_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("UNTACT_QA_PORT", "7860")))
    args = p.parse_args(argv)
    try:
        serve(args.host, args.port)
    except UntactQAError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0
