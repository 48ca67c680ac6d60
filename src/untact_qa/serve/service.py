"""One request → answer path for every surface: the chat page, the JSON API, the
OpenAI-compatible route, MCP and the command line all call :meth:`Service.ask` (and
:meth:`Service.search`, the document calls), so a question is cleaned, scoped, limited and
answered the same way whoever sends it.

What :meth:`Service.ask` does, in order:

1. cleans the question (lone surrogates, NUL and other controls, see
   :func:`untact_qa.sanitize.clean_question`) and checks the mode and passage count
   (:func:`search_options`);
2. reads ``#이름`` mentions and the scope against the documents the index holds *now*
   (:func:`search_scope`): a name that names nothing, or a chosen document that is gone, is
   refused, never widened;
3. checks the history the caller passed (:func:`history_turns`: the page's turns, the API's
   own answers, ``[question, answer]`` pairs), starting afresh when ``#`` names other documents
   than the last turn's;
4. asks the engine (at most :data:`ANSWER_SLOTS` answers at a time, whichever surface asks);
5. with an LLM configured (``UNTACT_QA_LLM_URL``), has it write the answer from the retrieved,
   numbered sentences and keeps only what the cited sentences support
   (:mod:`untact_qa.serve.writer`); anything else falls back to the quoted answer with a notice.

Every refusal is an :class:`~untact_qa.errors.UntactQAError` with a Korean and an English
reason; the surfaces turn it into their own error (a notice by the box, a JSON error, an MCP
tool error, an ``Error:`` line).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from ..config import MODES
from ..errors import UntactQAError

# Answers computed at once, across every surface: while one waits on the query encoder (which
# releases the GIL) the others run their Python; more only queue for the same two cores
# (bench/results.md section 5: one at a time 23-28 answers/s, four 28-31).
ANSWER_SLOTS = 4
# the turns a question is read against (the page keeps as many, ui_render.MAX_TURNS)
MAX_HISTORY = 50
MAX_TEXT = 20_000  # a history text, as the page's restored turns (sanitize.MAX_FIELD_CHARS)
MAX_CITED = 100
FOLLOWING = ("ellipsis", "reference", "why", "more")


class Slots:
    """At most *n* holders at a time, served first come, first served: a request that waits
    is handed the next free slot before any later one (a plain semaphore lets a newcomer take
    a slot just freed, so under load some requests waited several times as long as others)."""

    def __init__(self, n: int) -> None:
        self._lock = threading.Lock()
        self._free = n
        self._waiting: deque[threading.Event] = deque()

    def __enter__(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # set by the holder that hands its slot over

    def __exit__(self, *exc) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


class RequestError(UntactQAError):
    """A request a client sent that is malformed (a wrong type, a bad history item): said in
    Korean and English, with the bad value and what is allowed."""


def search_options(mode, top_k) -> tuple[str, int]:
    """The retrieval mode and passage count a client sent, checked (the API takes any value)."""
    if mode not in MODES:
        shown = str(mode)[:40]
        raise RequestError(f"mode must be one of {', '.join(MODES)}, got {shown!r}",
                           ko=f"검색 방식은 {', '.join(MODES)} 중 하나입니다 (받은 값: {shown}).")
    try:
        k = int(float(top_k))  # the slider sends 5 or 5.0
    except (TypeError, ValueError, OverflowError):
        k = 0
    if isinstance(top_k, bool) or not 1 <= k <= 100:
        raise RequestError(f"top_k must be between 1 and 100, got {top_k!r}",
                           ko=f"검색할 문단 수는 1에서 100 사이여야 합니다 (받은 값: {str(top_k)[:20]}).")
    return mode, k


def search_scope(message: str, selected, doc_ids) -> tuple[str, list[str] | None, bool]:
    """The question to search, the documents to search, and whether ``#`` named them: those
    named with ``#이름``, else those chosen in the scope list, else all (None). Checked against
    *doc_ids* (the index's documents now): a ``#name`` that names no document, and a chosen
    document that is gone, are refused (:class:`~untact_qa.scope.ScopeError`), never widened."""
    from ..scope import mention_error, resolve_mentions, resolve_scope

    ids = list(doc_ids)
    m = resolve_mentions(message, ids)
    err = mention_error(m)
    if err is not None:
        raise err
    if m.docs:
        return m.text, m.docs, True
    return message, resolve_scope(selected, ids), False


def _text(value, where: str, limit: int = MAX_TEXT) -> str:
    from ..sanitize import clean_question

    if not isinstance(value, str):
        raise RequestError(f"{where} must be a string, got {type(value).__name__}",
                           ko=f"{where}: 문자열이어야 합니다 (받은 값의 형식: {type(value).__name__}).")
    return clean_question(value[:limit])


def history_turns(value) -> list[dict]:
    """Earlier turns a client sent, checked and rebuilt as the turn dicts the conversation is
    read against (:func:`untact_qa.dialog.as_priors`), oldest first, at most
    :data:`MAX_HISTORY`. An item is one of:

    * an answer of this API sent back (``question``, ``answer``, and optionally ``searched``,
      ``intent``, ``abstained``, ``citations`` with ``chunk_id`` and ``evidence_span``, ``docs``);
    * a turn of the chat page (``searched_query``, ``scope``, citations with ``evidence`` as
      ``[start, end]``);
    * a ``[question, answer]`` pair.

    Anything else is refused with the item's position (:class:`RequestError`)."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise RequestError(f"history must be a list of earlier turns, got {type(value).__name__}",
                           ko=f"history는 앞선 대화의 목록이어야 합니다 (받은 값의 형식: {type(value).__name__}).")
    out = []
    for i, item in enumerate(list(value)[-MAX_HISTORY:]):
        where = f"history[{i}]"
        if isinstance(item, list | tuple):
            if len(item) != 2:
                raise RequestError(f"{where} must be [question, answer], got {len(item)} items",
                                   ko=f"{where}: [질문, 답] 두 개여야 합니다 (받은 항목 {len(item)}개).")
            question, answer = _text(item[0], where + "[0]"), _text(item[1], where + "[1]")
            out.append({"question": question, "searched_query": question, "answer": answer, "intent": "new",
                        "abstained": False, "citations": [], "scope": None})
            continue
        if not isinstance(item, dict) or "question" not in item or "answer" not in item:
            raise RequestError(f"{where} must be an object with question and answer, or a [question, answer] pair",
                               ko=f"{where}: question과 answer가 있는 객체나 [질문, 답] 쌍이어야 합니다.")
        question, answer = _text(item["question"], where + ".question"), _text(item["answer"], where + ".answer")
        searched = item.get("searched", item.get("searched_query")) or question
        cites = item.get("citations") or []
        if not isinstance(cites, list):
            raise RequestError(f"{where}.citations must be a list", ko=f"{where}.citations: 목록이어야 합니다.")
        citations = []
        for j, c in enumerate(cites[:MAX_CITED]):
            if not isinstance(c, dict):
                raise RequestError(f"{where}.citations[{j}] must be an object",
                                   ko=f"{where}.citations[{j}]: 객체여야 합니다.")
            span = c.get("evidence_span", c.get("evidence"))
            if not (isinstance(span, list | tuple) and len(span) == 2 and all(
                    isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 10**7 for x in span)):
                span = (0, 0)  # a citation without its span still names the chunk "왜?" starts from
            chunk = c.get("chunk_id")
            citations.append({"chunk_id": _text(chunk, f"{where}.citations[{j}].chunk_id", 600) if chunk else "",
                              "evidence": [int(span[0]), int(span[1])]})
        docs = item.get("docs", item.get("scope"))
        if docs is not None and not (isinstance(docs, list) and all(isinstance(d, str) for d in docs)):
            raise RequestError(f"{where}.docs must be a list of document ids",
                               ko=f"{where}.docs: 문서 이름의 목록이어야 합니다.")
        intent = item.get("intent")
        out.append({"question": question, "searched_query": _text(searched, where + ".searched"), "answer": answer,
                    "intent": intent if isinstance(intent, str) else "new",
                    "abstained": item.get("abstained") is True, "citations": citations,
                    "scope": [_text(d, where + ".docs", 500) for d in docs[:200]] if docs else None})
    return out


def citation_json(c) -> dict:
    """A citation as the JSON API, MCP and the OpenAI route give it: its number, document,
    section, lines, the passage (``text``) and the quoted sentence(s) (``evidence``)."""
    from ..schema import citation_to_dict

    d = citation_to_dict(c)
    d["section"] = c.heading
    return d


@dataclass
class Reply:
    """What one question got: the engine's (quoted) answer, what was searched, and the
    written answer when an LLM wrote one that its citations support."""

    question: str  # as asked, cleaned
    answer: object  # the engine's Answer (quoted sentences)
    docs: list[str] | None  # the documents searched (None: all)
    truncated: bool = False  # only the first max_query_chars were searched
    written: object | None = None  # serve.writer.Written
    notice: str = ""  # why an LLM was asked but its answer is not shown (Korean)
    notice_en: str = ""
    timings_ms: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The answer shown: the written one when there is one, else the quoted one."""
        return self.written.text if self.written is not None else self.answer.text

    @property
    def citations(self) -> tuple:
        """The citations of :attr:`text` (a near-miss: those of its closest content)."""
        if self.written is not None:
            return self.written.citations
        a = self.answer
        return a.citations or (a.closest.citations if a.closest else ())

    def to_dict(self, passages: bool = False) -> dict:
        """The JSON form every machine surface returns (see docs in :mod:`untact_qa.serve.api`)."""
        a = self.answer
        d = a.to_dict(with_hits=passages)
        d["citations"] = [citation_json(c) for c in a.citations]
        if d.get("closest"):
            d["closest"]["citations"] = [citation_json(c) for c in a.closest.citations]
        d["searched"] = d.pop("searched_query")
        d["question"] = self.question
        d["docs"] = self.docs
        d["truncated"] = self.truncated
        d["timings"] = {**d.pop("timings_ms"), **{k: round(v, 2) for k, v in self.timings_ms.items()}}
        d["notice"] = self.notice
        d["notice_en"] = self.notice_en
        d["written"] = None
        d["quoted"] = None
        if self.written is not None:
            w = self.written
            d["quoted"] = {"answer": a.text, "span": d["span"], "citations": d["citations"]}
            d["answer"], d["span"] = w.text, None
            d["citations"] = [citation_json(c) for c in w.citations]
            d["written"] = {"model": w.model, "kept": w.kept, "dropped": len(w.dropped),
                            "dropped_sentences": [{"text": t, "reason": r} for t, r in w.dropped]}
        return d


class Service:
    """The request → answer path around one :class:`~untact_qa.engine.Engine` (see the
    module). *served*: the chat page's files (:class:`~untact_qa.serve.files.ServedFiles`),
    so a document deleted through any surface loses its served copies too."""

    def __init__(self, engine, writer=None, served=None) -> None:
        from ..documents import Uploads

        self.engine = engine
        self.documents = Uploads(engine)
        self.served = served
        if writer is None:
            from .writer import AnswerWriter

            writer = AnswerWriter.from_config(engine.settings.llm) if engine.settings.llm.url else None
        self.writer = writer or None
        self._slots = Slots(ANSWER_SLOTS)

    # -- asking ---------------------------------------------------------------------------
    def doc_ids(self) -> list[str]:
        """Every indexed document's id, now (what a scope may name)."""
        return list(self.engine.index.doc_counts())

    def ask(self, question, mode=None, top_k=None, docs=None, history=None, literal: bool = False,
            exclude=frozenset(), mentions: bool = True, write: bool = True, turns=None) -> Reply:
        """Answer *question* (see the module for the steps). *mode*/*top_k*: None for the
        configured ones; *docs*: the scope (ids, ``#이름``s in the question win); *history*:
        earlier turns from a client (:func:`history_turns`); *turns*: the chat page's own
        turns, already checked; *literal*: searched as typed; *exclude*: chunk ids not to
        answer from; *mentions*: read ``#이름``; *write*: let the LLM write it, when one is set."""
        from ..retrieval import clean_query
        from ..sanitize import clean_question

        t0 = time.perf_counter()
        if not isinstance(question, str):
            raise RequestError(f"question must be a string, got {type(question).__name__}",
                               ko=f"질문은 문자열이어야 합니다 (받은 값의 형식: {type(question).__name__}).")
        question = clean_question(question)
        settings = self.engine.settings.retrieval
        mode, top_k = search_options(settings.mode if mode is None else mode,
                                     settings.top_k if top_k is None else top_k)
        if docs is not None and not (isinstance(docs, list | tuple | str) and all(isinstance(d, str) for d in docs)):
            raise RequestError("docs must be a list of document ids", ko="docs: 문서 이름의 목록이어야 합니다.")
        prior = list(turns) if turns is not None else history_turns(history)
        if mentions:
            text, scope, named = search_scope(question, docs, self.doc_ids())
        else:
            from ..scope import resolve_scope

            text, scope, named = question, resolve_scope(docs, self.doc_ids()), False
        import warnings

        with warnings.catch_warnings():  # "question truncated" is said by the reply itself
            warnings.simplefilter("ignore")
            q = clean_query(text, self.engine.settings)
        # a question that names its own documents starts afresh unless they are the last turn's
        if named and prior and sorted(scope or []) != sorted(prior[-1].get("scope") or []):
            prior = []
        with self._slots:
            t1 = time.perf_counter()
            answer = self.engine.ask(text, mode=mode, top_k=top_k, history=prior, docs=scope, literal=literal,
                                     exclude=exclude)
            t2 = time.perf_counter()
        if scope is None and answer.intent in FOLLOWING and prior:
            scope = prior[-1].get("scope")  # a follow-up searched the conversation's documents
        reply = Reply(question, answer, list(scope) if scope else None, q.truncated)
        if write and self.writer is not None and not answer.abstained:
            self.writer.write_into(reply, self.engine.aliases)
        reply.timings_ms.update({"wait": (t1 - t0) * 1000, "engine": (t2 - t1) * 1000,
                                 "request": (time.perf_counter() - t0) * 1000})
        return reply

    def search(self, query, mode=None, top_k=None, docs=None) -> list[dict]:
        """Ranked passages for *query* (cleaned, scoped and limited like :meth:`ask`), as
        JSON rows (rank, score, chunk_id, doc, heading, lines, text)."""
        from ..schema import hit_to_dict
        from ..sanitize import clean_question

        if not isinstance(query, str):
            raise RequestError(f"query must be a string, got {type(query).__name__}",
                               ko=f"검색어는 문자열이어야 합니다 (받은 값의 형식: {type(query).__name__}).")
        settings = self.engine.settings.retrieval
        mode, top_k = search_options(settings.mode if mode is None else mode,
                                     settings.top_k if top_k is None else top_k)
        text, scope, _ = search_scope(clean_question(query), docs, self.doc_ids())
        from ..retrieval import clean_query

        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            q = clean_query(text, self.engine.settings)
        with self._slots:
            result = self.engine.retriever.retrieve(q.text, mode=mode, top_k=top_k, docs=scope)
        return [hit_to_dict(h) for h in result.hits]

    # -- documents --------------------------------------------------------------------------
    def list_documents(self, overviews: bool = True) -> list[dict]:
        """Every indexed document: id, chunks, whether it was uploaded, and its guide
        (summary bullets and checked questions; None while it is being made)."""
        rows = []
        for d in self.documents.list():
            guide = self.engine.overviews.get(d.doc_id, compute=False) if overviews else None
            rows.append({"doc": d.doc_id, "chunks": d.chunks, "uploaded": d.uploaded, "overview": guide})
        return rows

    def document_text(self, doc_id) -> tuple[str, str]:
        """The canonical id and the text of an indexed document (refused when it is not
        indexed now, or outside the corpus folder)."""
        from ..corpus import read_document
        from ..korean import josa
        from ..scope import canonical_doc_id

        doc_id = canonical_doc_id(doc_id)
        if doc_id not in set(self.doc_ids()):
            raise RequestError(f"{doc_id}: no such document in the index (deleted?)",
                               ko=f"{josa(doc_id, '은')} 삭제되었거나 색인에 없는 문서입니다.")
        root = Path(self.engine.settings.corpus_dir).resolve()
        path = (root / doc_id).resolve()
        if not path.is_relative_to(root):
            raise RequestError(f"{doc_id}: outside the corpus folder", ko=f"{doc_id}: 문서 폴더 밖의 파일입니다.")
        return doc_id, read_document(path, doc_id).text

    def add_document(self, path, name: str, on_conflict: str = "keep", progress=None):
        """Add the file at *path* as the upload *name* (see
        :meth:`untact_qa.documents.Uploads.add`): the old version's served copies go when it
        replaced one, and its guide is made in the background. Returns its row."""
        from ..documents import CONFLICT_POLICIES
        from ..sanitize import clean_line

        if on_conflict not in CONFLICT_POLICIES:
            shown = str(on_conflict)[:40]
            raise RequestError(f"on_conflict must be one of {', '.join(CONFLICT_POLICIES)}, got {shown!r}",
                               ko=f"같은 이름 처리 방식은 {', '.join(CONFLICT_POLICIES)} 중 하나입니다 (받은 값: {shown}).")
        name = clean_line(Path(name).name) if isinstance(name, str) and name.strip() else Path(path).name
        info = self.documents.add(path, name, on_conflict=on_conflict, progress=progress)
        if info.replaced and self.served is not None:
            self.served.purge_doc(info.doc_id)
        self.engine.overviews.refresh_later([info.doc_id])
        return info

    def remove_document(self, doc_id) -> str:
        """Delete an uploaded document everywhere at once (index, corpus folder, served
        copies); returns its canonical id."""
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise RequestError("name the uploaded document to delete", ko="삭제할 문서를 고르세요.")
        doc_id = self.documents.remove(doc_id)
        if self.served is not None:
            self.served.purge_doc(doc_id)
        return doc_id
