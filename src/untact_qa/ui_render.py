"""What the chat UI shows, as plain functions of a conversation (no Gradio here).

A conversation is a list of *turns*: JSON-able dicts made by :func:`make_turn` from an
:class:`~untact_qa.schema.Answer`. They are kept in the browser (so a reload restores the
chat) and rendered here to HTML (through the Jinja2 macros of ``data/templates/chat.html``,
which auto-escape every document and user string), plain text (copy) and Markdown/JSON (export).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from functools import lru_cache
from importlib import resources
from typing import TypedDict

MAX_TURNS = 50  # kept in the browser; older turns drop off (localStorage holds ~5 MB)
# the browser's copy of the current conversation: plain JSON in localStorage, written by ui.js
SAVED_KEY = "untact-qa-conversation-v2"
MAX_OTHER_HITS = 4  # retrieved-but-not-cited passages kept per turn

TITLE = "비대면 경제 문서 Q&A"
# not the page's subtitle again: what to do next
EMPTY_CONVERSATION = "아직 주고받은 질문이 없습니다. 아래 입력창에 질문을 쓰거나 예시 질문을 눌러 보세요."
EMPTY_SOURCES = "질문하면 답의 근거가 된 문단이 여기에 표시됩니다."
NO_EVIDENCE = "근거를 찾지 못했습니다"
NEAR_MISS = "질문한 내용은 문서에 없습니다"
CLOSEST = "가장 가까운 내용"


class CitedPassage(TypedDict):
    """A citation of a turn: the passage, and where its quoted evidence is."""

    n: int
    doc: str
    heading: str
    lines: list[int]  # [first, last] line of the original file
    passage: str
    evidence: list[int]  # [start, end) in passage


class OtherPassage(TypedDict):
    """A passage retrieved for a turn but not cited."""

    doc: str
    heading: str
    rank: int
    lines: list[int]
    passage: str


class Turn(TypedDict):
    """One question and its answer, as kept in the browser and shown again after a reload
    (JSON as it is; :func:`untact_qa.sanitize.clean_turn` checks one restored from a client)."""

    id: int
    time: str
    question: str
    question_chars: int
    searched_query: str
    truncated_to: int | None
    answer: str
    abstained: bool
    kind: str  # one of schema.ANSWER_KINDS
    reason: str
    citations: list[CitedPassage]
    others: list[OtherPassage]
    vote: str | None  # "like", "dislike" or None
    scope: list[str] | None  # the documents searched, when the question was limited to some
    cited: list[str]  # chunk ids answered from for this question so far (다시 답하기 skips them)
    retry_of: int | None  # the turn this one answers again (다시 답하기)


def make_turn(answer, turn_id: int, raw_question: str, keep: int = 500, truncated_to: int | None = None,
              scope: list[str] | None = None) -> Turn:
    """A turn of the conversation from an answer (everything needed to show it again later).

    The question is kept up to *keep* characters (what was searched); a longer one is shown
    shortened, with its full length.
    """
    raw = raw_question.strip()
    # a near-miss shows the closest content the documents have, cited like an answer
    citations = answer.citations or (answer.closest.citations if answer.closest else ())
    cited = {c.chunk_id for c in citations}
    others = [h for h in answer.hits if h.chunk.chunk_id not in cited][:MAX_OTHER_HITS]
    return {
        "id": turn_id,
        "time": time.strftime("%Y-%m-%d %H:%M"),
        "question": raw[:keep],
        "question_chars": len(raw),
        "searched_query": answer.searched_query,
        "truncated_to": truncated_to,
        "answer": answer.text,
        "abstained": answer.abstained,
        "kind": answer.kind,
        "reason": answer.reason,
        "citations": [{"n": c.n, "doc": c.doc_id, "heading": c.heading, "lines": [c.line_start, c.line_end],
                       "passage": c.passage, "evidence": [c.evidence_start, c.evidence_end], "chunk_id": c.chunk_id,
                       # where a person looks in the original (3쪽, 슬라이드 2, '매출' 시트 5행): not for plain text
                       **({"location": c.location} if c.location else {})}
                      for c in citations],
        "others": [{"doc": h.chunk.doc_id, "heading": h.chunk.heading, "rank": h.rank,
                    "lines": [h.chunk.line_start, h.chunk.line_end], "passage": h.chunk.text} for h in others],
        "vote": None,
        "scope": list(scope) if scope else None,
        "cited": [c.chunk_id for c in citations],
        "retry_of": None,
        # how the message was read (untact_qa.dialog): a rewritten one offers "원래 질문 그대로 검색"
        "intent": getattr(answer, "intent", "new"),
        # a summary's headline and grouped bullets, a comparison's table (texts carry their [n])
        "outline": getattr(answer, "outline", None),
        "table": getattr(answer, "table", None),
        # the answer phrase the reader found, [start, end) in "answer": shown bold
        "span": list(answer.span) if getattr(answer, "span", None) else None,
    }


def history_for_followups(turns: list[Turn]) -> list[Turn]:
    """The turns a message is read against (:mod:`untact_qa.dialog`): questions, answers,
    what they quoted (chunk ids) and the documents they were limited to, oldest first.
    Abstained turns stay ("왜?" after one leans on the last answered turn)."""
    return list(turns)


# -- HTML ---------------------------------------------------------------------------------
def _lines_label(lines) -> str:
    a, b = lines
    return f"{a}행" if a == b else f"{a}–{b}행"


def _where(c: dict) -> str:
    """A citation's place: its location in the original (a page, slide, sheet row) when the
    format has one, and the lines of the extracted text the viewer shows."""
    lines = _lines_label(c["lines"])
    return f"{c['location']} · {lines}" if c.get("location") else lines


def _segments(text: str, turn: Turn) -> list[tuple[str, int | None]]:
    """*text* cut at each ``[n]`` of a real citation: (text, None) pieces and (marker, n) chips."""
    ns = {c["n"] for c in turn["citations"]}
    out: list[tuple[str, int | None]] = []
    pos = 0
    for m in re.finditer(r"\[(\d+)\]", text):
        n = int(m.group(1))
        if n in ns:
            out += [(text[pos:m.start()], None), (m.group(0), n)]
            pos = m.end()
    out.append((text[pos:], None))
    span = turn.get("span")
    if span and text == turn["answer"] and 0 <= span[0] < span[1] <= len(text):
        # the answer phrase in bold (escaped here, so the template prints it as markup)
        from markupsafe import Markup, escape

        at, bolded = 0, []
        for piece, n in out:
            a, b = max(span[0] - at, 0), min(span[1] - at, len(piece))
            at += len(piece)
            if n is None and a < b:
                piece = Markup(f"{escape(piece[:a])}<strong class='uqa-span'>{escape(piece[a:b])}</strong>"
                               f"{escape(piece[b:])}")
            bolded.append((piece, n))
        out = bolded
    return out


def _near_miss_part(turn: Turn, which: int) -> str:
    """A near-miss answer's two parts: what is missing (0), the closest content (1)."""
    missing, _, closest = turn["answer"].partition(f"{CLOSEST}:")
    return (missing if which == 0 else closest).strip()


# how a message was read, shown above its answer (see untact_qa.dialog)
INTENT_LABELS = {"new": "검색한 질문", "ellipsis": "앞 질문에 이어 검색한 질문", "reference": "가리키는 대상을 넣어 검색한 질문",
                 "why": "앞 답의 이유를 찾음", "more": "앞 답을 더 자세히", "summary": "요약 범위", "comparison": "비교"}


@lru_cache(maxsize=1)
def _templates():
    """The macros of ``data/templates/chat.html``, auto-escaping everything they are given."""
    import jinja2

    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters.update(lines_label=_lines_label, where=_where, segments=_segments, near_miss_part=_near_miss_part, plain=plain_text)
    env.globals["labels"] = {"near_miss": NEAR_MISS, "closest": CLOSEST, "no_evidence": NO_EVIDENCE,
                             "empty_conversation": EMPTY_CONVERSATION, "empty_sources": EMPTY_SOURCES,
                             "intents": INTENT_LABELS}
    source = resources.files("untact_qa").joinpath("data", "templates", "chat.html").read_text(encoding="utf-8")
    return env.from_string(source).module


def render_source_cards(turn: Turn, prefix: str) -> str:
    """The cited passages of one turn (evidence highlighted), then the other retrieved ones."""
    return str(_templates().source_cards(turn, prefix))


_renders = itertools.count(1)


def render_conversation(turns: list[Turn], gone=frozenset()) -> str:
    """The conversation panel, every turn (a full render: page load, clear, undo, switch);
    citations of documents in *gone* (deleted since) are marked."""
    return str(_templates().conversation(turns, next(_renders), gone))


def render_turn(turn: Turn, streaming_text: str | None = None) -> str:
    """One turn's ``<article>`` (with *streaming_text*: the turn while it is being answered)."""
    return str(_templates().turn_html(turn, streaming_text))


def render_sources(turns: list[Turn], gone=frozenset()) -> str:
    """The sources panel: one section per answered turn, the latest shown; a chip shows its own."""
    return str(_templates().sources(turns, next(_renders), gone))


def cited_but_gone(turns: list[Turn], doc_ids) -> frozenset:
    """Documents cited in *turns* that are no longer indexed (deleted since they were cited)."""
    return frozenset({c["doc"] for t in turns for c in t["citations"]} - set(doc_ids))


def render_sources_section(turn: Turn) -> str:
    """The sources of one turn, as a section of the sources panel (shown)."""
    return str(_templates().sources_section(turn, True))


def render_delta(turns=(), sources=(), drop=(), done: bool = False, save: dict | None = None) -> dict:
    """What one update of the conversation sends: only the turns and source sections that are
    new or changed (ui.js puts each in place by its turn id), ids of turns that fell off the
    end, and whether the question being answered is finished (the next queued one may go).

    *save* changes the browser's saved copy of the conversation (ui.js keeps it in
    ``localStorage``, see :data:`SAVED_KEY`): ``{"put": [turn, …]}`` adds or replaces turns by
    id (an answer, a vote; *drop* removes the ids that fell off), ``{"all": turns}`` replaces
    it (load, clear, undo, switching conversations). So an answer carries its own turn, never
    the whole conversation again."""
    out = {"seq": next(_renders), "turns": list(turns), "sources": list(sources), "drop": list(drop), "done": done}
    if save is not None:
        out["save"] = save
    return out


def render_documents(docs, guides: dict | None = None) -> str:
    """The documents panel: every indexed document with its kind and chunk count, and each
    one's guide (*guides*: doc id → overview, see :mod:`untact_qa.overview`; None for those not
    made yet)."""
    return str(_templates().documents(docs, guides or {}))


def render_viewer(doc_id: str, text: str, first: int, last: int, page: dict | None = None) -> str:
    """The document viewer: every line of *text* numbered as in the file, lines *first*–*last*
    (a citation's) highlighted; for a PDF, *page* first: the cited page as an image with the
    cited sentence boxed (``{"page", "src", "width", "height", "boxes"}``, or ``{"page",
    "error"}`` when it could not be drawn)."""
    return str(_templates().viewer(doc_id, text.split("\n"), first, last, page))


def render_viewer_title(doc_id: str, where: str, first: int, last: int) -> str:
    """The viewer's header: the document, where the citation is in the original (a page, a
    slide, a sheet row) and its lines."""
    return str(_templates().viewer_title(doc_id, where, first, last))


def render_upload_report(rows: list[dict]) -> str:
    """The status of an upload of several files: how many are done, then one line per file
    (*rows*: ``{"name", "state": "wait" | "busy" | "ok" | "error", "text"}``)."""
    ok = sum(r["state"] == "ok" for r in rows)
    bad = sum(r["state"] == "error" for r in rows)
    done = ok + bad
    if done < len(rows):
        summary = f"파일 {len(rows):,}개 중 {done:,}개 끝남 (추가 {ok:,}개, 실패 {bad:,}개)… 추가하는 동안에도 질문할 수 있습니다."
    elif bad:
        summary = (f"파일 {len(rows):,}개 중 {ok:,}개를 추가했고 {bad:,}개는 추가하지 않았습니다 (❌ 줄에 이유가 있습니다)."
                   + (" 추가한 문서에 대해 질문할 수 있습니다." if ok else ""))
    else:
        summary = (f"파일 {len(rows):,}개를 모두 추가했습니다. 이제 이 문서들에 대해 질문할 수 있습니다." if len(rows) > 1
                   else "이제 이 문서에 대해 질문할 수 있습니다.")
    return str(_templates().upload_report(rows, summary, done, ok))


def render_index_notice(notice: str) -> str:
    """The page-wide warning that the index could not be refreshed, with why."""
    return str(_templates().index_notice(notice))


def render_documents_intro(max_mb: int, folder: str) -> str:
    """The documents panel's heading: what may be added, and where uploads are kept."""
    return str(_templates().documents_intro(max_mb, folder))


def render_status(text: str, kind: str = "info") -> str:
    """A notice line (``role=alert`` for an error), or "" for no text."""
    return str(_templates().status(text, kind))


# -- plain text and exports -----------------------------------------------------------------
def plain_text(turn: Turn) -> str:
    """What 복사 puts on the clipboard: the answer and its sources, no markup."""
    if turn["abstained"] and turn.get("kind") != "near_miss":
        return f"{NO_EVIDENCE}: {turn['reason']}"
    lines = [turn["answer"]] + ([f"({turn['reason']})"] if turn.get("kind") == "near_miss" else [])
    if turn["citations"]:
        lines.append("")
        lines.append("출처")
        for c in turn["citations"]:
            s, e = c["evidence"]
            lines.append(f"[{c['n']}] {c['doc']} · {_where(c)} · {c['heading']}".rstrip(" ·"))
            lines.append(f"    “{c['passage'][s:e]}”")
    return "\n".join(lines)


def _md(text) -> str:
    """Document or user text for Markdown: raw HTML (``<script>``, ``<img onerror=…>``) and
    entities are escaped, so a Markdown viewer shows them as text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;")


def export_markdown(turns: list[Turn]) -> str:
    """The conversation as a Markdown document (questions, answers, quoted sources)."""
    out = [f"# {TITLE} — 대화 기록", "", f"내보낸 시각: {time.strftime('%Y-%m-%d %H:%M')}", ""]
    for t in turns:
        out += [f"## 질문 {t['id']} ({_md(t.get('time', ''))})", "", "> " + _md(t["question"]).replace("\n", "\n> "), ""]
        if t["searched_query"] != t["question"]:
            out += [f"검색한 질문: {_md(t['searched_query'])}", ""]
        if t.get("scope"):
            out += ["검색한 문서: " + ", ".join(_md(d) for d in t["scope"]), ""]
        if t.get("kind") == "near_miss":
            out += [f"**{NEAR_MISS}** — {_md(t['reason'])}", ""]
        elif t["abstained"]:
            out += [f"**{NO_EVIDENCE}** — {_md(t['reason'])}", ""]
            continue
        if t.get("table"):
            out += markdown_table(t["table"]) + [""]
        elif t.get("outline"):
            o = t["outline"]
            out += [f"**{_md(o['label'])} 요약** — {_md(o['headline'])}", ""]
            for g in o["groups"]:
                out += ([f"*{_md(g['title'])}*", ""] if g["title"] else []) + [f"- {_md(i)}" for i in g["items"]] + [""]
        else:
            out += [_md(t["answer"]), ""]
        if t["citations"]:
            out.append("**출처**")
            out.append("")
            for c in t["citations"]:
                s, e = c["evidence"]
                out.append(f"- [{c['n']}] {_md(c['doc'])}, {_md(_where(c))} — {_md(c['heading'])}")
                out.append(f"  > {_md(c['passage'][s:e])}")
            out.append("")
    return "\n".join(out)


def markdown_table(table: dict) -> list[str]:
    """A comparison as Markdown table lines (a cell's own ``|`` escaped; "문서에 없음" where a
    side is silent)."""
    def cell(text: str) -> str:
        return _md(text).replace("|", "\\|").replace("\n", " ")

    cols = table["columns"]
    lines = ["| 항목 | " + " | ".join(cell(c) for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for r in table["rows"]:
        lines.append(f"| {cell(r['aspect'])} | " + " | ".join(
            cell(r["cells"][c]["text"]) if r["cells"].get(c) else "문서에 없음" for c in cols) + " |")
    return lines


def export_json(turns: list[Turn]) -> str:
    """The conversation as JSON: every turn with its answer, citations and passages."""
    return json.dumps({"title": TITLE, "exported": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "turns": turns},
                      ensure_ascii=False, indent=2)


# -- documents panel ------------------------------------------------------------------------
UPLOAD_STAGES = {"read": "읽는 중", "split": "나누는 중", "embed": "임베딩 중", "write": "색인에 쓰는 중"}


def upload_status(name: str, stage: str, counts: dict) -> str:
    """One line of upload progress, e.g. ``임베딩 중… 24/40 (청크 12개, 문장 28개)``."""
    label = UPLOAD_STAGES.get(stage, stage)
    if stage == "read":
        detail = f"{counts.get('bytes', 0) / 1024:,.0f} KB"
    elif stage == "split":
        detail = f"{counts['chars']:,}자 → 문장 {counts['sentences']:,}개, 청크 {counts['chunks']:,}개"
    elif stage == "embed" and counts.get("total"):
        # the model's inputs (chunks, and sentences when they are embedded on their own), not chunks
        detail = f"{counts['done']:,}/{counts['total']:,}"
    elif stage == "write" and counts.get("total"):
        # the write is reported once, before it starts: "0/4" read as no progress
        detail = f"청크 {counts['total']:,}개"
    else:
        detail = ""
    return f"⏳ {name}: {label}…" + (f" {detail}" if detail else "")
