"""What the chat UI shows, as plain functions of a conversation (no Gradio here).

A conversation is a list of *turns*: JSON-able dicts made by :func:`make_turn` from an
:class:`~untact_qa.schema.Answer`. They are kept in the browser (so a reload restores the
chat) and rendered here to HTML, plain text (copy) and Markdown/JSON (export). Every
piece of document or user text is escaped with :func:`html.escape` before it reaches HTML.
"""

from __future__ import annotations

import html
import json
import re
import time

MAX_TURNS = 50  # kept in the browser; older turns drop off (localStorage holds ~5 MB)
MAX_OTHER_HITS = 4  # retrieved-but-not-cited passages kept per turn

TITLE = "비대면 경제 문서 Q&A"
EMPTY_CONVERSATION = ("질문하면 문서에서 찾은 문장으로 답하고, 문장마다 출처 번호 [n]을 붙입니다. "
                      "번호를 누르면 근거 문단으로 이동합니다.")
EMPTY_SOURCES = "질문하면 답의 근거가 된 문단이 여기에 표시됩니다."
NO_EVIDENCE = "근거를 찾지 못했습니다"
NEAR_MISS = "질문한 내용은 문서에 없습니다"
CLOSEST = "가장 가까운 내용"


def make_turn(answer, turn_id: int, raw_question: str, keep: int = 500, truncated_to: int | None = None) -> dict:
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
                       "passage": c.passage, "evidence": [c.evidence_start, c.evidence_end]}
                      for c in citations],
        "others": [{"doc": h.chunk.doc_id, "heading": h.chunk.heading, "rank": h.rank,
                    "lines": [h.chunk.line_start, h.chunk.line_end], "passage": h.chunk.text} for h in others],
        "vote": None,
    }


def history_for_followups(turns: list[dict]) -> list[tuple[str, str]]:
    """(searched question, answer) of the answered turns, for follow-up completion."""
    return [(t["searched_query"], t["answer"]) for t in turns if not t["abstained"]]


# -- HTML ---------------------------------------------------------------------------------
def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _lines(c: dict) -> str:
    a, b = c["lines"]
    return _e(f"{a}행" if a == b else f"{a}–{b}행")


def _answer_html(turn: dict) -> str:
    """The answer text with each ``[n]`` of a real citation turned into a chip button."""
    ns = {c["n"] for c in turn["citations"]}
    out, pos = [], 0
    text = turn["answer"]
    for m in re.finditer(r"\[(\d+)\]", text):
        n = int(m.group(1))
        if n not in ns:
            continue
        out.append(_e(text[pos:m.start()]))
        out.append(f"<button type='button' class='uqa-chip' data-turn='{turn['id']}' data-n='{n}' "
                   f"aria-label='출처 {n} 보기'>[{n}]</button>")
        pos = m.end()
    out.append(_e(text[pos:]))
    return "".join(out)


def _question_html(turn: dict) -> str:
    q = _e(turn["question"])
    if turn["question_chars"] > len(turn["question"]):
        q += f"… <span class='uqa-muted'>(총 {turn['question_chars']:,}자 중 앞부분)</span>"
    return f"<div class='uqa-q'><span class='uqa-who'>질문</span><div class='uqa-q-text'>{q}</div></div>"


def render_source_cards(turn: dict, prefix: str) -> str:
    """The cited passages of one turn (evidence highlighted), then the other retrieved ones."""
    parts = []
    for c in turn["citations"]:
        s, e = c["evidence"]
        p = c["passage"]
        parts.append(
            f"<div class='uqa-card' id='{prefix}-{turn['id']}-{c['n']}' tabindex='-1'>"
            f"<div class='uqa-card-head'><span class='uqa-n'>[{c['n']}]</span> {_e(c['heading']) or _e(c['doc'])}</div>"
            f"<div class='uqa-meta'>{_e(c['doc'])} · {_lines(c)}</div>"
            f"<div class='uqa-passage'>{_e(p[:s])}<mark>{_e(p[s:e])}</mark>{_e(p[e:])}</div></div>")
    if turn.get("others"):
        parts.append(f"<details class='uqa-others'><summary>검색되었지만 인용되지 않은 문단 {len(turn['others'])}개</summary>")
        for h in turn["others"]:
            parts.append(f"<div class='uqa-card uqa-other'><div class='uqa-card-head'>{_e(h['heading']) or _e(h['doc'])}</div>"
                         f"<div class='uqa-meta'>{_e(h['doc'])} · {_lines(h)} · 검색 순위 {_e(h['rank'])}</div>"
                         f"<div class='uqa-passage'>{_e(h['passage'])}</div></div>")
        parts.append("</details>")
    return "".join(parts)


def _turn_html(turn: dict, streaming_text: str | None = None) -> str:
    k = turn["id"]
    parts = [f"<article class='uqa-turn' id='turn-{k}' data-turn='{k}' aria-label='질문 {k}'>", _question_html(turn)]
    if turn.get("truncated_to"):
        parts.append(f"<div class='uqa-notice'>질문이 길어 앞 {turn['truncated_to']:,}자만 검색에 사용했습니다 "
                     f"(전체 {turn['question_chars']:,}자).</div>")
    if turn["searched_query"] and turn["searched_query"] != turn["question"] and not turn.get("truncated_to"):
        parts.append(f"<div class='uqa-searched'>검색한 질문: {_e(turn['searched_query'])}</div>")
    if streaming_text is not None:
        parts.append(f"<div class='uqa-a' aria-busy='true'>{_e(streaming_text)}▍</div></article>")
        return "".join(parts)
    if turn.get("kind") == "near_miss":
        # its own state: not an answer, not a bare "nothing found" — what is there instead
        missing, _, closest = turn["answer"].partition(f"{CLOSEST}:")
        parts.append(f"<div class='uqa-a uqa-nearmiss' role='note'><div class='uqa-nearmiss-title'>📌 {NEAR_MISS}</div>"
                     f"<div>{_e(missing.strip())} <span class='uqa-muted'>{_e(turn['reason'])}</span></div>"
                     f"<div class='uqa-closest'><span class='uqa-closest-label'>{CLOSEST}</span> "
                     f"{_answer_html({**turn, 'answer': closest.strip()})}</div></div>")
    elif turn["abstained"]:
        parts.append(f"<div class='uqa-a uqa-abstain'><div class='uqa-abstain-title'>🔎 {NO_EVIDENCE}</div>"
                     f"<div>{_e(turn['reason'])}</div></div>")
    else:
        parts.append(f"<div class='uqa-a'>{_answer_html(turn)}</div>")
    vote = turn.get("vote")
    parts.append(
        "<div class='uqa-actions'>"
        f"<button type='button' class='uqa-copy' data-turn='{k}'>복사</button>"
        f"<button type='button' class='uqa-vote' data-turn='{k}' data-vote='like' aria-pressed='{str(vote == 'like').lower()}'"
        " aria-label='도움이 됐어요'>👍</button>"
        f"<button type='button' class='uqa-vote' data-turn='{k}' data-vote='dislike' "
        f"aria-pressed='{str(vote == 'dislike').lower()}' aria-label='도움이 안 됐어요'>👎</button>"
        "</div>")
    parts.append(f"<div class='uqa-plain' id='plain-{k}' hidden>{_e(plain_text(turn))}</div>")
    if turn["citations"] or turn.get("others"):
        n = len(turn["citations"])
        parts.append(f"<details class='uqa-inline-sources'><summary>출처 {n}개 보기</summary>"
                     f"{render_source_cards(turn, 'isrc')}</details>")
    parts.append("</article>")
    return "".join(parts)


def render_conversation(turns: list[dict], streaming: tuple[dict, str] | None = None) -> str:
    """The conversation panel: every turn, and optionally one being streamed."""
    body = [_turn_html(t) for t in turns]
    if streaming is not None:
        body.append(_turn_html(streaming[0], streaming_text=streaming[1]))
    if not body:
        body.append(f"<p class='uqa-empty'>{_e(EMPTY_CONVERSATION)}</p>")
    return f"<div class='uqa-log' role='log' aria-live='polite' aria-label='대화'>{''.join(body)}</div>"


def render_sources(turns: list[dict]) -> str:
    """The sources panel: one section per answered turn, the latest shown; a chip shows its own."""
    answered = turns
    if not answered:
        return f"<div class='uqa-sources'><p class='uqa-empty'>{_e(EMPTY_SOURCES)}</p></div>"
    latest = answered[-1]["id"]
    parts = ["<div class='uqa-sources'>"]
    for t in answered:
        hidden = "" if t["id"] == latest else " hidden"
        title = _e(t["question"][:60]) + ("…" if len(t["question"]) > 60 else "")
        parts.append(f"<section class='uqa-turn-sources' data-turn='{t['id']}'{hidden}>"
                     f"<div class='uqa-sources-title'>질문 {t['id']}: {title}</div>")
        if t.get("kind") == "near_miss":
            parts.append(f"<div class='uqa-abstain uqa-nearmiss'><div class='uqa-abstain-title'>{NEAR_MISS}</div>"
                         f"{_e(t['reason'])} 아래는 {CLOSEST}의 출처입니다.</div>")
        elif t["abstained"]:
            parts.append(f"<div class='uqa-abstain'><div class='uqa-abstain-title'>{NO_EVIDENCE}</div>"
                         f"{_e(t['reason'])}</div>")
        parts.append(render_source_cards(t, "src") if (t["citations"] or t.get("others"))
                     else "<p class='uqa-empty'>관련 문단이 없습니다.</p>")
        parts.append("</section>")
    parts.append("</div>")
    return "".join(parts)


# -- plain text and exports -----------------------------------------------------------------
def plain_text(turn: dict) -> str:
    """What 복사 puts on the clipboard: the answer and its sources, no markup."""
    if turn["abstained"] and turn.get("kind") != "near_miss":
        return f"{NO_EVIDENCE}: {turn['reason']}"
    lines = [turn["answer"]] + ([f"({turn['reason']})"] if turn.get("kind") == "near_miss" else [])
    if turn["citations"]:
        lines.append("")
        lines.append("출처")
        for c in turn["citations"]:
            s, e = c["evidence"]
            lines.append(f"[{c['n']}] {c['doc']} · {_lines(c)} · {c['heading']}".rstrip(" ·"))
            lines.append(f"    “{c['passage'][s:e]}”")
    return "\n".join(lines)


def _md(text) -> str:
    """Document or user text for Markdown: raw HTML (``<script>``, ``<img onerror=…>``) and
    entities are escaped, so a Markdown viewer shows them as text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;")


def export_markdown(turns: list[dict]) -> str:
    """The conversation as a Markdown document (questions, answers, quoted sources)."""
    out = [f"# {TITLE} — 대화 기록", "", f"내보낸 시각: {time.strftime('%Y-%m-%d %H:%M')}", ""]
    for t in turns:
        out += [f"## 질문 {t['id']} ({_md(t.get('time', ''))})", "", "> " + _md(t["question"]).replace("\n", "\n> "), ""]
        if t["searched_query"] != t["question"]:
            out += [f"검색한 질문: {_md(t['searched_query'])}", ""]
        if t.get("kind") == "near_miss":
            out += [f"**{NEAR_MISS}** — {_md(t['reason'])}", ""]
        elif t["abstained"]:
            out += [f"**{NO_EVIDENCE}** — {_md(t['reason'])}", ""]
            continue
        out += [_md(t["answer"]), ""]
        if t["citations"]:
            out.append("**출처**")
            out.append("")
            for c in t["citations"]:
                s, e = c["evidence"]
                a, b = c["lines"]
                out.append(f"- [{c['n']}] {_md(c['doc'])}, {a if a == b else f'{a}–{b}'}행 — {_md(c['heading'])}")
                out.append(f"  > {_md(c['passage'][s:e])}")
            out.append("")
    return "\n".join(out)


def export_json(turns: list[dict]) -> str:
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
    elif stage in ("embed", "write") and counts.get("total"):
        detail = f"{counts['done']:,}/{counts['total']:,}" + (" 문장·청크" if stage == "embed" else " 청크")
    else:
        detail = ""
    return f"⏳ {name}: {label}…" + (f" {detail}" if detail else "")
