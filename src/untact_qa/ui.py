"""Gradio chat UI: streamed cited answers with clickable sources, history kept in the
browser, copy/export, retry/undo, document uploads with progress.

One :class:`~untact_qa.engine.Engine` (model + index) is loaded per process and shared by
every session. What is shown is rendered by :mod:`untact_qa.ui_render` (all document and
user text escaped); the little JavaScript there is (``data/ui.js``) only scrolls, copies
and forwards votes.
"""

from __future__ import annotations

import html
import json
import os
import queue
import secrets
import sys
import threading
import time
import uuid
from dataclasses import replace
from importlib import resources
from pathlib import Path

from .config import MODES, Settings, UploadConfig, quiet_libraries

quiet_libraries()  # before Gradio loads: no request may leave the machine

import gradio as gr  # noqa: E402

from .errors import UntactQAError  # noqa: E402
from .formats import SUFFIXES  # noqa: E402
from .korean import josa  # noqa: E402
from .schema import location_at  # noqa: E402
# the request → answer path every surface shares; ExportFiles is one of the page's served files
from .serve.files import ExportFiles  # noqa: E402,F401
from .serve.service import Service, search_options, search_scope  # noqa: E402,F401
from .ui_render import (  # noqa: E402
    MAX_TURNS,
    SAVED_KEY,
    TITLE,
    history_for_followups,
    make_turn,
    cited_but_gone,
    render_conversation,
    render_delta,
    render_documents,
    render_documents_intro,
    render_index_notice,
    render_sources,
    render_sources_section,
    render_status,
    render_turn,
    render_upload_report,
    render_viewer,
    render_viewer_title,
    upload_status,
)

EXAMPLES = [
    "우리나라 재택근무 실시율은 어느 정도야?",
    "일본에서 재택근무가 잘 안 되는 이유는?",
    "줌 하루 이용자는 몇 명까지 늘었어?",
    "베트남의 현금 사용률은?",
]
MODE_LABELS = {"hybrid": "하이브리드 (의미 + 형태소)", "dense": "의미 검색 (e5)", "bm25": "형태소 검색 (BM25)"}
# Gradio labels its own widgets ("Drop File Here", "Use via API", …) in the browser's
# language; these override them in every language it ships, so the page is Korean for all.
GRADIO_LABELS_KO = {
    "upload_text.drop_file": "파일을 여기에 놓으세요", "upload_text.click_to_upload": "눌러서 파일 고르기",
    "upload_text.uploading": "올리는 중…", "common.or": "또는", "common.complete": "완료", "common.clear": "지우기",
    "common.download": "내려받기", "common.error": "오류", "common.loading": "불러오는 중", "common.remove": "제거",
    "common.empty": "비어 있음", "common.settings": "설정", "common.built_with_gradio": "Gradio로 만듦",
    "errors.use_via_api": "API로 사용", "errors.use_via_api_or_mcp": "API 또는 MCP로 사용",
}
GRADIO_LOCALES = ("en", "en-US", "en-GB", "ar", "ca", "de", "es", "et", "eu", "fa", "fr", "he", "id", "ja", "ko",
                  "lt", "nb", "pt", "pt-BR", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz", "zh-CN", "zh-TW")
# Gradio's own cache (uploaded files, anything it copies to serve): every hour, files of
# this app older than a day are deleted, and all of them when the server stops.
DELETE_CACHE = (3600, 86400)


def _asset(name: str) -> str:
    return resources.files("untact_qa").joinpath("data", name).read_text(encoding="utf-8")


CSS = _asset("ui.css")
CONVERSATION_JS = (_asset("ui.js").replace("__SAVED_KEY__", json.dumps(SAVED_KEY))
                   .replace("__MAX_UPLOAD_BYTES__", str(UploadConfig.max_bytes))
                   .replace("__SUFFIXES__", json.dumps(list(SUFFIXES))))
# js_on_load of the update channel: each new value is applied to the page by ui.js
# (an update that arrives before ui.js has bound waits for it)
DELTA_JS = ("watch('value', () => window.uqaApply ? window.uqaApply(props.value)"
            " : (window.uqaEarly = window.uqaEarly || []).push(props.value));")
# runs on the page as a question is sent (before the server sees it): empties the box there
SENT_JS = "(...args) => { if (window.uqaSent) window.uqaSent(args[0]); return args; }"
# page load: the saved copy's text (null when there is none) goes to `restore` with the old copy
RESTORE_JS = f"(legacy, saved) => [legacy, localStorage.getItem({json.dumps(SAVED_KEY)})]"
HEAD = _asset("head.html")


def record_feedback(path: Path, turn: dict, vote: str) -> None:
    """Write one vote (question, answer, citations) to the feedback JSONL file: one row per
    answer (a changed vote replaces it), rotated by size (see :mod:`untact_qa.feedback`)."""
    from .feedback import record

    record(path, turn, vote)


_status = render_status


# A written answer (UNTACT_QA_LLM_URL) is marked, and the quoted answer it was checked against
# is one click away; the saved copy keeps the quoted answer, so a reload shows what was quoted.
WRITTEN_CSS = """
.uqa-written { margin: .4rem 0 0; padding: .35rem .6rem; border-left: 3px solid #7c5cff; font-size: .9em; }
.uqa-written details { margin-top: .25rem; }
.uqa-written .uqa-quoted-text { white-space: pre-wrap; margin-top: .25rem; }
"""


def written_view(turn: dict) -> dict:
    """The turn as it is shown: with the written answer and its citations in place of the
    quoted ones when an LLM wrote it, else *turn* itself."""
    w = turn.get("written")
    if not w:
        return turn
    return {**turn, "answer": w["answer"], "citations": w["citations"], "span": None, "outline": None,
            "table": None, "kind": "answer", "abstained": False}


def render_answer(turn: dict) -> str:
    """One turn's HTML: a written answer carries a mark (which model, how many sentences were
    checked, how many dropped) and the quoted answer under 인용한 원문 답 보기."""
    w = turn.get("written")
    if not w:
        return render_turn(turn)
    dropped = f" 근거가 확인되지 않은 문장 {w['dropped']}개는 뺐습니다." if w["dropped"] else ""
    mark = (f"<div class='uqa-written' role='note' data-kept='{int(w['kept'])}' data-dropped='{int(w['dropped'])}'>"
            f"✍️ 언어 모델({html.escape(str(w['model']))})이 검색된 문장으로 쓴 답입니다. 문장 {int(w['kept'])}개가 "
            f"인용한 문장과 맞는지 확인했습니다.{dropped}<details class='uqa-quoted'><summary>인용한 원문 답 보기"
            f"</summary><div class='uqa-quoted-text'>{html.escape(turn['answer'])}</div></details></div>")
    anchor = "<div class='uqa-actions'>"
    return render_turn(written_view(turn)).replace(anchor, mark + anchor, 1)

# A question that failed is put back in the box, up to this many characters: anything a person
# types (the hard limit is 20,000) comes back whole, a 30 MB paste from a client does not.
ECHO_CHARS = 50_000


def valid_turns(value) -> list[dict]:
    """Turns restored from the browser, rebuilt from typed fields; anything malformed is
    dropped (it is client data: see :func:`untact_qa.sanitize.clean_turn`)."""
    from .sanitize import clean_turn

    turns = value[-MAX_TURNS:] if isinstance(value, list) else []
    return [t for t in map(clean_turn, turns) if t is not None]


def session_turns(value) -> list[dict]:
    """The conversation held in the server's session state (``turns``). Everything in it was
    checked by :func:`valid_turns` when it came from the browser (restore, switching) or was
    made here, so the per-answer handlers only bound its length: re-checking every turn cost
    3-7 ms per answer at 20-50 turns."""
    return list(value[-MAX_TURNS:]) if isinstance(value, list) else []


def new_meta() -> dict:
    """A new conversation's id and (empty: titled from its first question) title."""
    return {"id": uuid.uuid4().hex[:12], "title": ""}


def valid_meta(value) -> dict:
    """The current conversation's id and title restored from the browser, checked."""
    from .sanitize import clean_line, clean_title

    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"]:
        return {"id": clean_line(value["id"])[:40], "title": clean_title(str(value.get("title") or ""))}
    return new_meta()


def valid_shelf(value) -> list[dict]:
    """The other conversations restored from the browser (at most 30), each checked."""
    out = []
    for c in value[:30] if isinstance(value, list) else []:
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            meta = valid_meta(c)
            out.append({**meta, "turns": valid_turns(c.get("turns"))})
    return out


def browser_secret(data_dir: Path, configured: str = "") -> str:
    """The key Gradio's BrowserState scrambles the saved conversation with, kept across
    restarts (Gradio's default is a new key per launch, which would forget every conversation).

    This is obfuscation, not encryption: the page receives the key (it is in /config), so
    anyone who can open the page and read this browser's localStorage can read the
    conversation. It keeps the text from being readable at a glance, nothing more."""
    if configured:  # UNTACT_QA_SECRET: several servers behind one address share it
        return configured
    path = data_dir / ".browser-secret"
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass
    key = secrets.token_urlsafe(24)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass  # read-only data folder: conversations last until the next restart
    return key


class ChatApp:
    """The chat page's event handlers, one named method per event, around one engine (the
    model and index are shared by every session; a session's turns live in its state)."""

    def __init__(self, engine, feedback_path: Path | None = None, service: Service | None = None) -> None:
        self.engine = engine
        self.service = service or Service(engine)
        self.documents = self.service.documents
        serve = engine.settings.serve
        self.data_dir = serve.data_dir
        self.feedback_path = feedback_path or serve.data_dir / "feedback.jsonl"
        from gradio.utils import get_upload_folder

        from .serve.files import ServedFiles

        self.served = ServedFiles(Path(get_upload_folder()))
        self.served.sweep()  # what earlier servers left behind (a killed one cannot clean up)
        self.service.served = self.served  # a delete through any surface takes the served copies too
        engine.overviews.refresh_later()  # each document's guide, made in the background
        self.export_files = ExportFiles(self.served.root, keep=serve.keep_exports, max_bytes=serve.export_bytes)
        self.demo: gr.Blocks | None = None  # set by layout()

    # -- what every turn-changing event returns -------------------------------------------
    def export(self, turns, fmt: str):
        """The ``Markdown/JSON으로 저장`` button: a fresh export of *turns*, written only when
        asked (not after every answer), handed to the hidden download button."""
        turns = valid_turns(turns)
        if not turns:
            return gr.update(), _status("저장할 대화가 없습니다.")
        md, js = self.export_files.write(turns)
        return str(md if fmt == "md" else js), ""

    def view(self, turns):
        """A full render: conversation, sources, turns state, and an update that replaces the
        browser's saved copy."""
        gone = cited_but_gone(turns, self.doc_ids())
        return render_conversation(turns, gone), render_sources(turns, gone), turns, render_delta(save={"all": turns})

    @staticmethod
    def unchanged():
        return (gr.update(),) * 4

    # -- asking ---------------------------------------------------------------------------
    def respond(self, message, turns, mode, top_k, scope=None, meta=None, current=None):
        """Ask (the ``/ask`` API): the answer, as one update carrying only the new turn and its
        sources (never the whole conversation). The answer is computed in one step, so it is
        sent whole; the page shows the question as "답을 찾는 중…" meanwhile, on its own.
        The box was emptied on the page when the question was sent; an error puts it back.

        *meta* is the conversation the question was sent from (as the page had it then) and
        *current* the one this session shows now: when another conversation was started or
        opened while the question waited, its answer is filed into the conversation it was
        asked in (:meth:`file_orphan`), not into the one on screen."""
        from .sanitize import clean_question

        turns = session_turns(turns)
        message = clean_question(message if isinstance(message, str) else "")  # a lone surrogate, NUL, …
        asked_in = meta.get("id") if isinstance(meta, dict) else None
        if asked_in and isinstance(current, str) and current and asked_in != current:
            return (render_delta(done=True), gr.update(), gr.update(), _status("", "info"), gr.update(),
                    {"conv": asked_in, "question": message[:ECHO_CHARS], "mode": mode, "top_k": top_k,
                     "scope": scope if isinstance(scope, list) else None, "nonce": uuid.uuid4().hex})
        try:
            turn = self._answer_turn(message, turns, mode, top_k, scope)
        except UntactQAError as exc:
            return self._refused(message, exc, scope)
        return (*self._answered(turns, turn), gr.update(), gr.update())

    def _answer_turn(self, message: str, turns: list[dict], mode, top_k, scope, literal: bool = False) -> dict:
        """The new turn answering *message* after *turns* (read in their conversation, see
        :mod:`untact_qa.dialog`), in the documents of *scope* or of its ``#이름``s; *literal*:
        searched as typed. Validated and answered by :meth:`Service.ask`, as every surface is."""
        reply = self.service.ask(message, mode=mode, top_k=top_k, docs=scope, turns=history_for_followups(turns),
                                 literal=literal)
        k = turns[-1]["id"] + 1 if turns else 1
        return self._turn(reply, k, message)

    def _turn(self, reply, k: int, message: str) -> dict:
        """The page's turn of a :class:`~untact_qa.serve.service.Reply`: the quoted answer (what
        the page saves and restores), and the written one with its checks when an LLM wrote it."""
        limit = self.engine.settings.max_query_chars
        turn = make_turn(reply.answer, k, message, keep=limit, truncated_to=limit if reply.truncated else None,
                         scope=reply.docs)
        if reply.written is not None:
            w = reply.written
            turn["written"] = {"answer": w.text, "model": w.model, "kept": w.kept, "dropped": len(w.dropped),
                               "citations": [{"n": c.n, "doc": c.doc_id, "heading": c.heading,
                                              "lines": [c.line_start, c.line_end], "passage": c.passage,
                                              "evidence": [c.evidence_start, c.evidence_end], "chunk_id": c.chunk_id}
                                             for c in w.citations]}
        if reply.notice:
            turn["notice"] = reply.notice
        return turn

    def _refused(self, message: str, exc: UntactQAError, scope=None):
        """The outputs of a question that was not answered: the reason next to the box, the
        question back in it (capped), and a scope list without the documents that are gone."""
        from .scope import ScopeError

        scope_update = gr.update()
        if isinstance(exc, ScopeError) and exc.missing:
            live = self.doc_ids()
            kept = [d for d in (scope if isinstance(scope, list) else []) if d in set(live)]
            scope_update = gr.update(choices=live, value=kept)
        return (render_delta(done=True), gr.update(), message[:ECHO_CHARS], _status(exc.korean(), "error"),
                scope_update, gr.update())

    def literal(self, turns, mode, top_k, scope=None, meta=None, current=None, evt: gr.EventData = None):
        """"원래 질문 그대로 검색" under a rewritten question (forwarded by ui.js): that
        question asked again as typed, as a new turn."""
        data = getattr(evt, "_data", None) or {}
        if data.get("action") != "literal":
            return (gr.update(),) * 6
        turns = session_turns(turns)
        asked_in = meta.get("id") if isinstance(meta, dict) else None
        if asked_in and isinstance(current, str) and current and asked_in != current:
            return (render_delta(done=True), *(gr.update(),) * 5)
        turn = next((t for t in turns if t["id"] == data.get("turn")), None)
        if turn is None:
            return (render_delta(done=True), gr.update(), gr.update(), _status("그 질문을 찾을 수 없습니다."),
                    gr.update(), gr.update())
        try:
            new = self._answer_turn(turn["question"], turns, mode, top_k, turn.get("scope"), literal=True)
        except UntactQAError as exc:
            return self._refused(turn["question"], exc, scope)
        return (*self._answered(turns, new), gr.update(), gr.update())

    def file_orphan(self, orphan, shelf, turns, meta):
        """An answer whose conversation was left while it waited: answered with that
        conversation's own turns as history and filed into it (in the browser's list of other
        conversations), with a notice. Runs only then (the orphan state changed), so ordinary
        answers never send the other conversations."""
        from .sanitize import clean_line

        unchanged = (gr.update(),) * 4
        if not isinstance(orphan, dict) or not isinstance(orphan.get("conv"), str):
            return unchanged
        shelf, meta = valid_shelf(shelf), valid_meta(meta)
        target = next((c for c in shelf if c["id"] == orphan["conv"]), None)
        question = clean_line(orphan.get("question") or "")[:80]
        if target is None:  # its first question: the conversation was still empty when it was left
            target = {"id": orphan["conv"], "title": "", "turns": []}
            shelf.insert(0, target)
        try:
            turn = self._answer_turn(orphan.get("question") or "", target["turns"], orphan.get("mode"),
                                     orphan.get("top_k"), orphan.get("scope"))
        except UntactQAError as exc:
            return (*unchanged[:3], _status(f"‘{self._title(target, target['turns'])}’ 대화의 질문: {exc.korean()}",
                                            "error"))
        target["turns"] = (target["turns"] + [turn])[-MAX_TURNS:]
        others = self._others(shelf)
        title = self._title(target, target["turns"])
        return (shelf, others, self.conversation_list(session_turns(turns), others, meta)[0],
                _status(f"답을 기다리는 동안 대화를 바꿔서, 질문 ‘{question}’의 답은 ‘{title}’ 대화에 넣었습니다."))

    @staticmethod
    def _answered(turns: list[dict], turn: dict):
        """The outputs of a new answer: its turn and sources on the page and in the saved copy
        (a written answer is shown marked, with the quoted one; an LLM's failure is said by the box)."""
        kept = (turns + [turn])[-MAX_TURNS:]
        dropped = [t["id"] for t in turns[:len(turns) + 1 - len(kept)]]
        shown = written_view(turn)
        delta = render_delta([render_answer(turn)], [render_sources_section(shown)], dropped, done=True,
                             save={"put": [turn]})
        return delta, kept, gr.update(), _status(turn["notice"]) if turn.get("notice") else ""

    def example(self, text: str):
        """The handler of one example button: asks *text*."""
        def ask_example(turns, mode, top_k, scope, meta=None, current=None):
            return self.respond(text, turns, mode, top_k, scope, meta, current)
        return ask_example

    def retry(self, turns, mode, top_k, scope=None, meta=None, current=None):
        """다시 답하기: the next-best supported answer to the last question, from passages not
        answered from yet, as a new turn (the earlier answer and its vote stay); or a notice
        that there is no other."""
        turns = session_turns(turns)
        nothing = (render_delta(done=True), *(gr.update(),) * 2)
        done = (gr.update(), gr.update())  # the scope list and the orphan, untouched
        asked_in = meta.get("id") if isinstance(meta, dict) else None
        if asked_in and isinstance(current, str) and current and asked_in != current:
            return (*nothing, _status("다시 답하기를 누른 뒤 대화가 바뀌어 다시 답하지 않았습니다."), *done)
        if not turns:
            return (*nothing, _status("다시 답할 질문이 없습니다."), *done)
        last = turns[-1]
        tried = frozenset(last.get("cited") or ())
        try:
            # the question as it was searched (a follow-up already completed), in the same documents
            reply = self.service.ask(last["searched_query"] or last["question"], mode=mode, top_k=top_k,
                                     docs=last.get("scope"), exclude=tried, mentions=False, turns=[])
        except UntactQAError as exc:
            return (*nothing, _status(exc.korean(), "error"), *done)
        answer = reply.answer
        new = {c.chunk_id for c in answer.citations}
        if answer.abstained or not new or new <= tried:
            return (*nothing, _status(f"질문 {last['id']}에는 문서에서 근거를 찾은 다른 답이 없습니다. "
                                      f"지금 답이 가장 나은 답입니다."), *done)
        reply.truncated, reply.docs = False, last.get("scope")
        turn = self._turn(reply, last["id"] + 1, last["question"])
        turn["searched_query"] = last["searched_query"]
        turn["cited"] = sorted(tried | new)
        turn["retry_of"] = last.get("retry_of") or last["id"]
        return (*self._answered(turns, turn), *done)

    def undo(self, turns):
        turns = valid_turns(turns)
        if not turns:
            return (*self.unchanged(), gr.update(), _status("취소할 대화가 없습니다."))
        last = turns.pop()
        return (*self.view(turns), last["question"],
                _status(josa(f"질문 {last['id']}", "을") + " 취소했습니다. 질문은 입력창에 돌려놓았습니다."))

    def clear(self, turns):
        """대화 지우기: the conversation is cleared (and its saved copy), and kept in this session
        for 지운 대화 되돌리기 until the next clear."""
        turns = valid_turns(turns)
        if not turns:
            return (*self.view([]), "", "", gr.update(), gr.update())
        return (*self.view([]), "", _status(f"대화를 지웠습니다 (질문 {len(turns)}개). 실수였다면 ‘지운 대화 되돌리기’를 누르세요."),
                turns, gr.update(visible=True))

    def unclear(self, cleared, turns):
        """지운 대화 되돌리기: the cleared conversation back (only while nothing new was asked)."""
        cleared = valid_turns(cleared)
        if not cleared or valid_turns(turns):
            return (*self.unchanged(), gr.update(), _status("되돌릴 대화가 없습니다."), [], gr.update(visible=False))
        return (*self.view(cleared), gr.update(), _status("지운 대화를 되돌렸습니다."), [], gr.update(visible=False))

    def restore(self, legacy, saved):
        """Page load: the conversation saved in this browser (the JSON text ui.js keeps, see
        :data:`SAVED_KEY`), checked. A conversation saved by an older version in Gradio's
        scrambled BrowserState (*legacy*) is taken over once, and that copy emptied."""
        from .sanitize import parse_saved

        # a damaged, oversized or absurdly nested copy gives None: start empty rather than fail the page
        turns = parse_saved(saved) if isinstance(saved, str) and saved else None
        if turns is None and valid_turns(legacy):
            turns = legacy
        return (*self.view(valid_turns(turns)), [] if legacy else gr.update())

    def vote(self, turns, evt: gr.EventData):
        """A 👍/👎 on an answer (forwarded by ui.js as a click on the conversation): that turn
        is sent again with its vote pressed."""
        data = getattr(evt, "_data", None) or {}
        turns = session_turns(turns)
        unchanged = (gr.update(),) * 3
        if data.get("action") != "vote" or data.get("vote") not in ("like", "dislike"):
            return unchanged
        turn = next((t for t in turns if t["id"] == data.get("turn")), None)
        if turn is None:
            return unchanged
        try:
            record_feedback(self.feedback_path, turn, data["vote"])
        except UntactQAError as exc:  # a full disk: the vote is not kept, and the page says why
            return gr.update(), turns, _status(exc.korean(), "error")
        turn["vote"] = data["vote"]
        return render_delta([render_turn(turn)], save={"put": [turn]}), turns, ""

    # -- conversations (the sidebar) -------------------------------------------------------
    # The current conversation is `turns` (saved as before, with every answer); the others live
    # in the browser in `shelf` and are written only when a conversation is started, switched,
    # renamed or deleted, so an answer's update stays the size of its turn.
    @staticmethod
    def _title(meta, turns) -> str:
        title = (meta or {}).get("title") or (turns[0]["question"][:40] if turns else "")
        return title or "새 대화"

    def _others(self, shelf) -> list[list[str]]:
        """The other conversations as the list shows them ([title, id]), kept in the session
        (``others``) so that the events after an answer or a rename are not sent the whole shelf
        (every other conversation's turns, up to megabytes) by the page."""
        return [[self._title(c, c["turns"]), c["id"]] for c in shelf]

    def conversation_list(self, turns, others, meta):
        """The sidebar's list (the current conversation first, titled from its first question)
        and the current title, for the rename box."""
        choices = [(self._title(meta, turns), meta["id"])] + [(str(t), str(i)) for t, i in others]
        return gr.update(choices=choices, value=meta["id"]), self._title(meta, turns)

    def sidebar_load(self, turns, shelf, meta):
        """Page load: the current conversation's id (kept from now on), the list, and the other
        conversations' titles kept in the session."""
        meta, others = valid_meta(meta), self._others(valid_shelf(shelf))
        return (meta, *self.conversation_list(session_turns(turns), others, meta), others, meta["id"])

    def first_title(self, turns, others, meta):
        """After an answer: the list again only when it was the conversation's first."""
        turns, meta = session_turns(turns), valid_meta(meta)
        if len(turns) != 1 or meta.get("title"):
            return gr.update(), gr.update()
        return self.conversation_list(turns, others if isinstance(others, list) else [], meta)

    def _shelve(self, turns, shelf, meta) -> list:
        """*shelf* with the current conversation put first (when it has anything in it)."""
        if not turns and not meta.get("title"):
            return shelf
        return [{"id": meta["id"], "title": meta.get("title", ""), "turns": turns}] + shelf

    def _show(self, turns, shelf, meta, status=""):
        """Every output of a sidebar action: the conversation, the saved copies, the list."""
        others = self._others(shelf)
        return (*self.view(turns), "", _status(status), shelf, meta, *self.conversation_list(turns, others, meta),
                others, meta["id"])

    def new_conversation(self, turns, shelf, meta):
        turns, shelf, meta = valid_turns(turns), valid_shelf(shelf), valid_meta(meta)
        return self._show([], self._shelve(turns, shelf, meta), new_meta())

    def switch_conversation(self, target, turns, shelf, meta):
        turns, shelf, meta = valid_turns(turns), valid_shelf(shelf), valid_meta(meta)
        chosen = next((c for c in shelf if c["id"] == target), None)
        if chosen is None or target == meta["id"]:
            return (gr.update(),) * 12
        rest = [c for c in shelf if c["id"] != target]
        return self._show(chosen["turns"], self._shelve(turns, rest, meta),
                          {"id": chosen["id"], "title": chosen["title"]})

    def rename_conversation(self, title, turns, others, meta):
        from .sanitize import clean_title

        turns, meta = session_turns(turns), valid_meta(meta)
        meta = {**meta, "title": clean_title(title)}  # no lone surrogate, NUL, BEL or U+202E
        return (meta, *self.conversation_list(turns, others if isinstance(others, list) else [], meta))

    def delete_conversation(self, turns, shelf, meta):
        """이 대화 삭제 (asked twice on the page, see ui.js): the next conversation, or a new
        one, takes its place."""
        turns, shelf, meta = valid_turns(turns), valid_shelf(shelf), valid_meta(meta)
        nxt, rest = (shelf[0], shelf[1:]) if shelf else ({**new_meta(), "turns": []}, [])
        return self._show(nxt["turns"], rest, {"id": nxt["id"], "title": nxt["title"]},
                          josa(f"대화 ‘{self._title(meta, turns)}’", "을") + " 삭제했습니다.")

    # -- the document viewer ---------------------------------------------------------------
    def open_document(self, evt: gr.EventData):
        """"문서에서 보기" on a source card (forwarded by ui.js): the whole document with the
        cited lines highlighted; for a PDF the cited page as an image with the cited sentence
        marked (:meth:`_page_view`); the header's title; and the original file to download (the
        .pdf, .docx, .hwp … as uploaded, else the text file itself; one served copy per version
        of the document, see :class:`~untact_qa.serve.files.ServedFiles`). Only a document the
        index holds now, inside the corpus folder, is opened; anything else says why."""
        from .corpus import read_document
        from .sanitize import clean_line
        from .scope import canonical_doc_id

        data = getattr(evt, "_data", None) or {}
        unchanged = (gr.update(),) * 5
        if data.get("action") != "open_doc":
            return unchanged
        try:
            doc_id = canonical_doc_id(data.get("doc"))
        except UntactQAError as exc:
            return (*unchanged[:4], _status(exc.korean(), "error"))
        if doc_id not in set(self.doc_ids()):
            return (*unchanged[:4], _status(f"{josa(doc_id, '은')} 삭제되었거나 색인에 없는 문서라 열 수 없습니다.", "error"))
        root = Path(self.engine.settings.corpus_dir).resolve()
        path = (root / doc_id).resolve()
        try:
            first, last = (int(x) for x in str(data.get("lines", "1-1")).split("-", 1))
        except ValueError:
            first = last = 1
        # the cited sentence as the card shows it: only searched for on the page, never shown
        quote = clean_line(data.get("quote") if isinstance(data.get("quote"), str) else "", 1000)
        if not path.is_relative_to(root):
            return (*unchanged[:4], _status(f"{doc_id}: 문서 폴더 밖의 파일은 열 수 없습니다.", "error"))
        try:
            doc = read_document(path, doc_id)
            # a bundled document (or an upload made before originals were kept) is its own original
            original = self.documents.original(doc_id) or path
            copy = self.served.view_copy(doc_id, original)
        except UntactQAError as exc:
            return (*unchanged[:4], _status(exc.korean(), "error"))
        except OSError as exc:
            return (*unchanged[:4], _status(f"{doc_id}: 문서를 읽을 수 없습니다 ({exc.strerror or type(exc).__name__}).",
                                            "error"))
        page = self._page_view(doc_id, doc, original, first, last, quote)
        where = location_at(doc.locations, first, last)  # the rule of a citation's location
        return (render_viewer(doc_id, doc.text, first, last, page), render_viewer_title(doc_id, where, first, last),
                str(copy), gr.update(visible=True), "")

    def _page_view(self, doc_id: str, doc, original: Path, first: int, last: int, quote: str) -> dict | None:
        """For a PDF, the page of the cited lines as the viewer shows it: an image rendered in a
        limited child process (:func:`untact_qa.extract.render_pdf_page`), served from Gradio's
        cache, with the cited sentence (*quote*) — or, when the page's text layer does not hold
        it, the cited lines — marked by boxes. None for any other document; a page that cannot
        be rendered gives its reason instead of the image."""
        from urllib.parse import quote as url_quote

        from .extract import render_pdf_page
        from .formats import format_for, page_of

        if not doc.locations or format_for(original, original.name) != "pdf":
            return None
        starts = [line for line, _ in doc.locations]
        k = max((i for i, line in enumerate(starts) if line <= first), default=0)
        page = page_of(doc.locations[k][1])
        if page is None:
            return None
        # the cited lines on that page (a citation across two pages is shown on its first)
        end = starts[k + 1] - 1 if k + 1 < len(starts) else last
        lines = doc.text.split("\n")[max(first, starts[k]) - 1:min(last, end)]
        try:
            image, info = self.served.page_image(doc_id, original, page, [quote, "\n".join(lines)], render_pdf_page)
        except UntactQAError as exc:
            return {"page": page, "error": exc.korean()}
        except OSError as exc:
            return {"page": page, "error": f"{page}쪽을 그림으로 보여 줄 수 없습니다 ({exc.strerror or type(exc).__name__})."}
        return {"page": page, "src": "gradio_api/file=" + url_quote(str(image)), "width": int(info["width"]),
                "height": int(info["height"]), "boxes": int(info["boxes"])}

    # -- documents ------------------------------------------------------------------------
    def doc_ids(self) -> list[str]:
        """Every indexed document's id (what a scope may name)."""
        return self.service.doc_ids()

    def answer(self, question: str, mode: str = "hybrid", top_k: int = 5, docs: list[str] | None = None,
               history: list | None = None) -> dict:
        """The ``/answer`` API: the JSON API's answer (``POST /api/ask``) through the page's
        server, stateless (*history*: earlier answers as returned, or [question, answer] pairs).
        Refusals are errors with the Korean and English reason."""
        try:
            return self.service.ask(question, mode=mode, top_k=top_k, docs=docs, history=history).to_dict()
        except UntactQAError as exc:
            raise gr.Error(f"{exc.korean()} ({exc})") from None

    def uploaded_choices(self) -> list[str]:
        return [d.doc_id for d in self.documents.list() if d.uploaded]

    def _add_one(self, path: Path, name: str, on_conflict: str, progress=None, sweep: bool = True):
        """One uploaded file (Gradio's copy at *path*, the user's name *name*) through the add
        path every surface shares: ``(its row, "")``, or ``(None, the Korean reason)``."""
        claim = info = None
        error = ""
        try:
            # this request's own link: a same-bytes upload by someone else shares Gradio's path
            claim = self.served.claim(path)
            info = self.service.add_document(claim[0], name, on_conflict=on_conflict, progress=progress)
        except UntactQAError as exc:
            error = exc.korean()
        except Exception as exc:  # noqa: BLE001 - shown to the user, the index is unchanged
            error = f"{name}: 추가하지 못했습니다 ({type(exc).__name__}). 색인은 바뀌지 않았습니다."
        finally:
            if claim is not None:  # (a replaced version's served copies went in add_document)
                self.served.release(path, *claim, doc_id=info.doc_id if info else None)
            if sweep:
                self.served.sweep()
        return info, error

    @staticmethod
    def _upload_name(file) -> tuple[Path, str]:
        """Gradio's path of an uploaded file and the name the user gave it."""
        from .sanitize import clean_line

        path = Path(file if isinstance(file, str) else file.name)
        return path, clean_line(Path(getattr(file, "orig_name", None) or path.name).name)

    @staticmethod
    def _added_text(info, seconds: float) -> str:
        how = (f" 같은 이름의 문서({info.renamed_from})가 있어 둘 다 유지했습니다." if info.renamed_from else
               " 같은 이름의 기존 문서를 바꿨습니다." if info.replaced else "")
        return f"✅ {info.doc_id} 추가됨: 청크 {info.chunks}개 ({seconds:.1f}초).{how}"

    def add_document(self, file, on_conflict="keep"):
        """One file (the ``/add_document`` API, kept for programs): its stages as they happen,
        then the result. The page's upload takes several files: :meth:`add_documents`."""
        if file is None:
            yield "", gr.update(), gr.update(), gr.update()
            return
        path, name = self._upload_name(file)
        on_conflict = on_conflict if on_conflict in ("keep", "replace") else "keep"
        events: queue.Queue = queue.Queue()
        result: dict = {}

        def work():
            try:
                result["info"], result["error"] = self._add_one(
                    path, name, on_conflict, progress=lambda stage, counts: events.put((stage, counts)))
            finally:
                events.put(None)

        t0 = time.perf_counter()
        threading.Thread(target=work, daemon=True).start()
        while (ev := events.get()) is not None:
            yield _status(upload_status(name, *ev)), gr.update(), gr.update(), gr.update()
        docs = self.documents.list()
        if result.get("error") or not result.get("info"):
            yield (_status(f"❌ 추가하지 않았습니다 — {result.get('error')}", "error"), self.documents_html(docs),
                   gr.update(choices=self.uploaded_choices()), self.scope_choices())
            return
        yield (_status(f"{self._added_text(result['info'], time.perf_counter() - t0)} 이제 이 문서에 대해 질문할 수 있습니다."),
               self.documents_html(docs), gr.update(choices=self.uploaded_choices(), value=None), self.scope_choices())

    def add_documents(self, files, on_conflict="keep"):
        """The page's upload (the ``/add_documents`` API): several files at once — chosen
        together, dropped, or a folder's (ui.js) — each through the path of :meth:`add_document`,
        one after another, with a line per file that says where it is (기다리는 중, its stage)
        and how it ended (✅, or ❌ with the reason); a file that fails does not stop the others,
        and the documents list grows as each one is added. The files are added in a thread of
        their own and answers have their own queue, so questions are answered meanwhile. The
        picker is emptied at the end, ready for the next files."""
        files = [f for f in (files if isinstance(files, list) else [files]) if f is not None]
        if not files:
            yield "", gr.update(), gr.update(), gr.update(), gr.update()
            return
        on_conflict = on_conflict if on_conflict in ("keep", "replace") else "keep"
        rows = []
        for f in files:
            path, name = self._upload_name(f)
            rows.append({"name": name, "path": path, "state": "wait", "text": f"{name}: 기다리는 중"})
        changed: queue.Queue = queue.Queue()

        def work():
            try:
                for i, row in enumerate(rows):
                    row["state"], row["text"] = "busy", f"⏳ {row['name']}: 읽는 중…"
                    changed.put("stage")

                    def stage(st, counts, row=row):
                        row["text"] = upload_status(row["name"], st, counts)
                        changed.put("stage")

                    t0 = time.perf_counter()
                    info, error = self._add_one(row["path"], row["name"], on_conflict, progress=stage,
                                                sweep=i == len(rows) - 1)
                    if info is not None:
                        row["state"], row["text"] = "ok", self._added_text(info, time.perf_counter() - t0)
                    else:
                        row["state"], row["text"] = "error", f"❌ 추가하지 않았습니다 — {error}"
                    changed.put("file")
            finally:
                changed.put(None)

        threading.Thread(target=work, daemon=True).start()
        finished = False
        while not finished:
            got = [changed.get()]
            while not changed.empty():  # stages that came meanwhile are shown once, as they are now
                got.append(changed.get_nowait())
            finished = None in got
            if finished:
                break
            docs = self.documents_html() if "file" in got else gr.update()
            yield render_upload_report(rows), docs, gr.update(), gr.update(), gr.update()
        yield (render_upload_report(rows), self.documents_html(), gr.update(choices=self.uploaded_choices(), value=None),
               self.scope_choices(), None)

    def ask_remove(self, doc_id):
        """삭제…: asks for a confirmation, naming the document (escaped: a typed name is text,
        never Markdown or HTML); a name that is no uploaded document is refused at once."""
        from .scope import canonical_doc_id

        hide = gr.update(visible=False)
        if not doc_id:
            return _status("삭제할 문서를 고르세요."), hide, ""
        try:
            doc_id = canonical_doc_id(doc_id)
            self.documents.check_removable(doc_id)
        except UntactQAError as exc:
            return _status(f"❌ {exc.korean()}", "error"), hide, ""
        return ("", gr.update(visible=True),
                f"<p><strong>{html.escape(josa(doc_id, '을'))}</strong> 삭제할까요? 검색과 답, 문서 목록, 출처 보기에서 "
                f"바로 빠지고, 되돌리려면 다시 올려야 합니다.</p>")

    def remove_document(self, doc_id, turns=None):
        """Delete (the ``/remove_document`` API), after the confirmation: the document leaves
        the index, the corpus folder and every file served for it at once; the conversation is
        shown again with that document's citations marked as deleted."""
        hide = gr.update(visible=False)
        if not doc_id:
            return _status("삭제할 문서를 고르세요."), gr.update(), gr.update(), hide, *(gr.update(),) * 3
        try:
            doc_id = self.service.remove_document(doc_id)  # the index, the corpus folder, the served copies
        except UntactQAError as exc:
            return (_status(f"❌ {exc.korean()}", "error"), self.documents_html(), gr.update(), hide,
                    *(gr.update(),) * 3)
        return (_status(f"🗑️ {doc_id} 삭제됨: 색인, 문서 폴더, 내려받기 사본에서 모두 지웠습니다. 이 문서를 고른 검색 범위는 "
                        f"다음 질문 때 알려 드립니다."), self.documents_html(),
                gr.update(choices=self.uploaded_choices(), value=None), hide, self.scope_choices(),
                *self.view(valid_turns(turns))[:2])

    def refresh_documents(self):
        """Every page load: the documents table and the choices of the delete and scope lists as they are now."""
        return (self.documents_html(), gr.update(choices=self.uploaded_choices(), value=None),
                self.scope_choices())

    def documents_html(self, docs=None) -> str:
        """The documents panel with each document's guide (those ready; the rest are being made)."""
        docs = self.documents.list() if docs is None else docs
        guides = {d.doc_id: self.engine.overviews.get(d.doc_id, compute=False) for d in docs}
        return render_documents(docs, {k: v for k, v in guides.items() if v is not None})

    def scope_choices(self):
        """The scope list's choices, every indexed document (what was chosen stays, if it still exists)."""
        return gr.update(choices=self.doc_ids())


def layout(app: ChatApp) -> gr.Blocks:
    """The page: conversation and question box, sources, documents panel; events wired to
    *app*'s handlers."""
    engine, store = app.engine, app.documents
    secret = browser_secret(app.data_dir, engine.settings.serve.secret)
    with gr.Blocks(title=f"untact-qa · {TITLE}", analytics_enabled=False, delete_cache=DELETE_CACHE) as demo:
        gr.HTML(f"<h1 class='uqa-title'>{TITLE}</h1><p class='uqa-muted'>질문하면 문서에서 찾은 문장으로 답하고, "
                "문장마다 출처 [n]을 붙입니다. 번호를 누르면 근거 문단으로 이동합니다.</p>", js_on_load=None)
        if getattr(engine, "notice", ""):
            gr.HTML(render_index_notice(engine.notice), js_on_load=None)
        turns = gr.State([])
        cleared = gr.State([])  # the conversation 대화 지우기 last cleared, for 되돌리기
        # the current conversation is saved by ui.js (SAVED_KEY); this is where versions before it
        # kept it, read once on load to take it over
        legacy = gr.BrowserState([], storage_key="untact-qa-conversation", secret=secret)
        # carries the saved copy's text from the page into `restore` (filled by RESTORE_JS)
        saved = gr.Textbox(visible=False, elem_id="saved-copy")
        shelf = gr.BrowserState([], storage_key="untact-qa-conversations", secret=secret)
        meta = gr.BrowserState(None, storage_key="untact-qa-current", secret=secret)
        others = gr.State([])  # the other conversations' [title, id], see ChatApp._others
        current = gr.State(None)  # the id of the conversation this session shows now
        orphan = gr.State(None)  # a question whose conversation was left while it waited
        with gr.Sidebar(label="대화 목록", open=True, elem_id="conversations"):
            new_btn = gr.Button("새 대화", variant="primary", size="sm", elem_id="new-conversation")
            conv_list = gr.Radio([], label="대화 (누르면 바뀝니다)", elem_id="conversation-list")
            conv_title = gr.Textbox(label="이 대화 이름", elem_id="conversation-title", max_lines=1)
            with gr.Row():
                rename_btn = gr.Button("이름 바꾸기", size="sm", elem_id="rename-conversation", min_width=60)
                delete_conv_btn = gr.Button("이 대화 삭제", size="sm", variant="stop", elem_id="delete-conversation",
                                            min_width=60)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                conversation = gr.HTML(render_conversation([]), elem_id="conversation", js_on_load=CONVERSATION_JS,
                                       max_height=640, autoscroll=False, padding=True)
                # the update channel: carries only what changed (see ui_render.render_delta), shows nothing
                delta = gr.HTML({}, html_template="", elem_id="turn-delta", container=False, padding=False,
                                js_on_load=DELTA_JS)
                with gr.Row():
                    question = gr.Textbox(label="질문", placeholder="질문을 입력하세요 (Enter로 보내기, Shift+Enter 줄바꿈)",
                                          show_label=False, elem_id="question", scale=5, lines=1, max_lines=6,
                                          autofocus=True)
                    send = gr.Button("보내기", variant="primary", scale=1, elem_id="send", min_width=80)
                # right under the box: a refused question's reason is where the eyes are (a bad #이름
                # put it below the fold and Enter seemed to do nothing)
                ask_status = gr.HTML("", elem_id="ask-status", js_on_load=None)
                # which documents a question searches: none chosen = all (the list has its own search box)
                # allow_custom_value: a client may name a document added after the page (or the
                # server) started; ChatApp checks every name against the index as it is now
                scope = gr.Dropdown(app.doc_ids(), value=[], multiselect=True, filterable=True,
                                    allow_custom_value=True,
                                    label="검색할 문서 (비워 두면 모든 문서, 질문에 #문서이름으로도 고를 수 있습니다)",
                                    elem_id="scope")
                with gr.Row(elem_id="turn-actions"):
                    retry_btn = gr.Button("다시 답하기", size="sm", elem_id="retry", min_width=90)
                    undo_btn = gr.Button("마지막 질문 취소", size="sm", elem_id="undo", min_width=90)
                    clear_btn = gr.Button("대화 지우기", size="sm", variant="stop", elem_id="clear", min_width=90)
                    unclear_btn = gr.Button("지운 대화 되돌리기", size="sm", elem_id="unclear", min_width=90,
                                            visible=False)
                    md_btn = gr.Button("Markdown으로 저장", size="sm", elem_id="export-md", min_width=90)
                    json_btn = gr.Button("JSON으로 저장", size="sm", elem_id="export-json", min_width=90)
                # written when asked, then downloaded by a click on these (hidden by CSS)
                md_file = gr.DownloadButton("Markdown", elem_id="export-md-file", elem_classes="uqa-hidden")
                json_file = gr.DownloadButton("JSON", elem_id="export-json-file", elem_classes="uqa-hidden")
                gr.HTML("<p class='uqa-muted' id='saved-note'>대화는 이 브라우저의 저장소에만 저장되어 "
                        "새로 고쳐도 남습니다. 암호화하지 않으니(다른 대화 목록도 읽기 어렵게 섞어 둔 것뿐입니다), 함께 쓰는 "
                        "컴퓨터에서는 대화를 지우거나 삭제하세요.</p>", js_on_load=None)
                gr.HTML("<div class='uqa-muted'>예시 질문 (누르면 바로 물어봅니다)</div>", js_on_load=None)
                with gr.Row(elem_id="examples"):
                    example_buttons = [gr.Button(text, size="sm", min_width=150) for text in EXAMPLES]
                with gr.Accordion("검색 설정", open=False):
                    mode = gr.Radio([(MODE_LABELS[m], m) for m in MODES], value=engine.settings.retrieval.mode,
                                    label="검색 방식")
                    top_k = gr.Slider(1, 10, value=engine.settings.retrieval.top_k, step=1, label="검색할 문단 수")
            with gr.Column(scale=2, elem_id="sources-column"):
                gr.HTML("<h2 class='uqa-panel-title'>출처</h2>", js_on_load=None)
                sources = gr.HTML(render_sources([]), elem_id="sources", js_on_load=None)
        # The document viewer: a dialog over the whole page, the sidebar included (ui.css), on a
        # backdrop that closes it when tapped (ui.js); its header (title, download, close) stays
        # put while the document scrolls under it.
        with gr.Column(visible=False, elem_id="doc-viewer") as viewer_box:
            with gr.Column(elem_id="doc-viewer-panel"):
                with gr.Row(elem_id="doc-viewer-bar"):
                    viewer_title = gr.HTML("", elem_id="doc-viewer-title", js_on_load=None, container=False,
                                           padding=False)
                    viewer_file = gr.DownloadButton("원본 파일 내려받기", size="sm", elem_id="doc-download", min_width=90,
                                                    scale=0)
                    viewer_close = gr.Button("닫기", size="sm", elem_id="doc-close", min_width=60, scale=0)
                viewer = gr.HTML("", elem_id="doc-viewer-text", js_on_load=None)  # shown and scrolled by ui.js
        with gr.Column(elem_id="documents"):
            gr.HTML(render_documents_intro(engine.settings.upload.max_bytes // (1024 * 1024),
                                           f"{store.upload_dir.parent.name}/{store.upload_dir.name}"), js_on_load=None)
            with gr.Row():
                with gr.Column(scale=3):
                    docs = gr.HTML(app.documents_html(), elem_id="documents-list", js_on_load=None)
                with gr.Column(scale=2):
                    # several files at once (or a folder's, through the button below: ui.js)
                    upload = gr.File(label="문서 추가 (여러 파일을 한꺼번에 고르거나 놓을 수 있습니다)",
                                     file_types=list(SUFFIXES), file_count="multiple", elem_id="upload")
                    gr.HTML("<button type='button' id='upload-folder' class='uqa-folder'>📁 폴더째 추가…</button>"
                            "<input type='file' id='upload-folder-input' webkitdirectory multiple hidden "
                            "aria-label='추가할 폴더 고르기'>", js_on_load=None, container=False, padding=False)
                    # one file per call, for programs (the gradio_client API `/add_document`): not shown
                    upload_one = gr.File(file_types=list(SUFFIXES), visible=False, elem_id="upload-one")
                    on_conflict = gr.Radio([("둘 다 유지 (이름 (2).txt)", "keep"), ("기존 문서 바꾸기", "replace")],
                                           value="keep", label="같은 이름의 문서가 이미 있으면", elem_id="on-conflict")
                    upload_info = gr.HTML("", elem_id="upload-status", js_on_load=None)
                    # choices are refreshed on every page load; a session that began before an upload
                    # (or an API client) may still name it: Uploads.remove checks the name itself
                    removable = gr.Dropdown(app.uploaded_choices(), label="삭제할 업로드 문서", elem_id="removable",
                                            value=None, allow_custom_value=True)
                    remove = gr.Button("삭제…", variant="stop", size="sm", elem_id="remove")
                    with gr.Column(visible=False, elem_id="confirm-remove") as confirm_row:
                        confirm_text = gr.HTML("", js_on_load=None)  # escaped by ChatApp.ask_remove
                        with gr.Row():
                            confirm_yes = gr.Button("삭제", variant="stop", size="sm", elem_id="confirm-yes")
                            confirm_no = gr.Button("취소", size="sm", elem_id="confirm-no")

        state_out = [conversation, sources, turns, delta]
        full_out = [*state_out, question, ask_status]
        ask_out = [delta, turns, question, ask_status, scope, orphan]
        settings_in = [mode, top_k, scope]
        # the conversation a question is sent from (the page's copy, taken as it is sent) and
        # the one on screen when it is answered: they differ when 새 대화 came in between
        conv_in = [meta, current]
        # Up to four answers at a time: while one waits on the query encoder (which releases the
        # GIL) the others run their Python. With onnxruntime's thread spinning off they no longer
        # spin against each other. 20 clients, several runs each: one at a time (spinning, as
        # before) 23-28 answers/s, two 24-30, four 28-31 (bench section 5).
        answering = {"concurrency_limit": 4, "concurrency_id": "answer"}
        asked = [question.submit(app.respond, [question, turns, *settings_in, *conv_in], ask_out, api_name="ask",
                                 js=SENT_JS, **answering),
                 send.click(app.respond, [question, turns, *settings_in, *conv_in], ask_out, api_name=False, js=SENT_JS,
                            **answering)]
        for b, text in zip(example_buttons, EXAMPLES):
            asked.append(b.click(app.example(text), [turns, *settings_in, *conv_in], ask_out, api_name=False,
                                 **answering))
        retry_btn.click(app.retry, [turns, *settings_in, *conv_in], ask_out, api_name=False, **answering)
        orphan.change(app.file_orphan, [orphan, shelf, turns, meta], [shelf, others, conv_list, ask_status],
                      api_name=False, **answering)
        undo_btn.click(app.undo, [turns], full_out, api_name=False)
        clear_btn.click(app.clear, [turns], [*full_out, cleared, unclear_btn], api_name=False)
        unclear_btn.click(app.unclear, [cleared, turns], [*full_out, cleared, unclear_btn], api_name=False)
        conversation.click(app.vote, [turns], [delta, turns, ask_status], api_name=False)
        conversation.click(app.open_document, None, [viewer, viewer_title, viewer_file, viewer_box, ask_status],
                           api_name=False)
        conversation.click(app.literal, [turns, *settings_in, *conv_in], ask_out, api_name=False, **answering)
        viewer_close.click(None, None, None, js="() => { if (window.uqaCloseViewer) window.uqaCloseViewer(); }")
        for btn, file, fmt in ((md_btn, md_file, "md"), (json_btn, json_file, "json")):
            name = "export_markdown" if fmt == "md" else "export_json"  # the API can save a session's chat too
            btn.click(lambda t, fmt=fmt: app.export(t, fmt), [turns], [file, ask_status], api_name=name).success(
                None, None, None, js=f"() => document.querySelector('#{file.elem_id}')?.click()")
        # no progress timers on first paint: these take milliseconds and flashed "0.8s" spinners
        demo.load(app.restore, [legacy, saved], [*state_out, legacy], js=RESTORE_JS, api_name=False,
                  show_progress="hidden").then(
            app.sidebar_load, [turns, shelf, meta], [meta, conv_list, conv_title, others, current], api_name=False,
            show_progress="hidden").then(
            # the page is ready when its saved conversation is back: scripts and tests wait for this
            None, None, None, js="() => { document.body.dataset.uqaReady = '1'; }")
        side_in = [turns, shelf, meta]
        side_out = [*full_out, shelf, meta, conv_list, conv_title, others, current]
        # renaming and an answer's title need only the titles (`others`), not the whole shelf
        title_in = [turns, others, meta]
        new_btn.click(app.new_conversation, side_in, side_out, api_name=False)
        conv_list.input(app.switch_conversation, [conv_list, *side_in], side_out, api_name=False)
        rename_btn.click(app.rename_conversation, [conv_title, *title_in], [meta, conv_list, conv_title],
                         api_name=False)
        conv_title.submit(app.rename_conversation, [conv_title, *title_in], [meta, conv_list, conv_title],
                          api_name=False)
        delete_conv_btn.click(app.delete_conversation, side_in, side_out, api_name=False)
        # a new conversation's first answer gives it its title in the list (later answers: no update)
        for dep in asked:
            dep.success(app.first_title, title_in, [conv_list, conv_title], api_name=False, show_progress="hidden")
        demo.load(app.refresh_documents, None, [docs, removable, scope], api_name=False, show_progress="hidden")
        # Uploads run side by side, up to four events of both kinds together (each file is read in
        # its own limited process, see untact_qa.extract); only the index update is one at a time
        # (the index lock). A batch of files is one event that adds them one after another.
        upload.upload(app.add_documents, [upload, on_conflict], [upload_info, docs, removable, scope, upload],
                      api_name="add_documents", concurrency_limit=4, concurrency_id="upload")
        upload_one.upload(app.add_document, [upload_one, on_conflict], [upload_info, docs, removable, scope],
                          api_name="add_document", concurrency_limit=4, concurrency_id="upload")
        remove.click(app.ask_remove, [removable], [upload_info, confirm_row, confirm_text], api_name=False)
        confirm_no.click(lambda: gr.update(visible=False), None, confirm_row, api_name=False)
        confirm_yes.click(app.remove_document, [removable, turns],
                          [upload_info, docs, removable, confirm_row, scope, conversation, sources],
                          api_name="remove_document", concurrency_limit=1)
        # the documented, stateless answer for programs (the JSON API's, see untact_qa.serve.api)
        gr.api(app.answer, api_name="answer", api_description="질문에 답합니다: JSON API의 POST /api/ask와 같은 답(answer, "
               "citations, intent, table, outline, timings). 상태를 두지 않으니 이어지는 질문은 앞선 답들을 history로 보내세요. "
               "Answers as POST /api/ask does; stateless: send earlier answers as history.", **answering)
    # Other events (votes, uploads, exports) two at a time; answers have their own limit above.
    demo.queue(default_concurrency_limit=2, max_size=256)
    app.demo = demo
    return demo


def build_app(engine, feedback_path: Path | None = None) -> gr.Blocks:
    """The Blocks app around a loaded engine."""
    return layout(ChatApp(engine, feedback_path))


def serve(settings: Settings | None = None, prevent_thread_lock: bool = False):
    """Load (building on first run) the index and model once, then launch the UI on
    ``settings.serve`` (address, port, login)."""
    from .engine import Engine

    settings = settings or Settings.from_env()
    print(f"Loading untact-qa (corpus {settings.corpus_dir}/, index {settings.index_dir}/)…", file=sys.stderr)
    engine = Engine.load_or_build(settings, progress=True)
    app = ChatApp(engine)
    demo = layout(app)
    cfg = settings.serve
    print(f"untact-qa UI on http://{cfg.host}:{cfg.port}" + (" (login required)" if cfg.auth else "")
          + "; JSON API /api/docs, OpenAI-compatible /v1, MCP /mcp" + (" (token required)" if cfg.api_token else "")
          + (f"; answers written by {settings.llm.url}" if settings.llm.url else ""), file=sys.stderr)
    from .http_guard import guards
    from .serve.mount import surface_kwargs

    cfg.trust_proxies()  # before launch: uvicorn reads it as the server starts
    # the JSON API, the OpenAI-compatible route and MCP: routes of the same app, behind the same guards
    app_kwargs = {"middleware": guards(cfg.auth is not None, settings.upload.max_bytes, cfg.api_token),
                  **surface_kwargs(app.service, cfg.host)}
    return demo.launch(server_name=cfg.host, server_port=cfg.port, auth=cfg.auth, share=False, show_error=False,
                       prevent_thread_lock=prevent_thread_lock, footer_links=["api"], app_kwargs=app_kwargs,
                       theme=_offline_theme(), css=CSS + WRITTEN_CSS, head=HEAD,
                       max_file_size=f"{settings.upload.max_bytes // (1024 * 1024)}mb", quiet=True,
                       i18n=gr.I18n(**{loc: GRADIO_LABELS_KO for loc in GRADIO_LOCALES}))


def with_address(settings: Settings, host: str | None, port: int | None) -> Settings:
    """*settings* listening on *host*/*port* when given (command-line flags beat the environment)."""
    given = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    return replace(settings, serve=replace(settings.serve, **given)) if given else settings


def _offline_theme():
    # The stock themes pull Google Fonts; local font stacks keep the page fully offline.
    return gr.themes.Soft(font=["system-ui", "Noto Sans CJK KR", "Noto Sans KR", "sans-serif"],
                          font_mono=["ui-monospace", "monospace"])


def main(argv: list[str] | None = None) -> int:
    """``python app.py [--host H] [--port P]``."""
    import argparse

    p = argparse.ArgumentParser(description="untact-qa chat UI")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1 or $UNTACT_QA_HOST)")
    p.add_argument("--port", type=int, help="port (default 7860 or $UNTACT_QA_PORT)")
    args = p.parse_args(argv)
    try:
        serve(with_address(Settings.from_env(), args.host, args.port))
    except UntactQAError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0
