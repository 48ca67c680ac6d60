"""Text that crosses a boundary (a question, an uploaded file, a conversation restored from
the browser, a command-line argument) is made safe to store, encode and render here.

* a lone surrogate (a browser can send one; a command line with undecodable bytes gives
  one) cannot be encoded as UTF-8: it becomes U+FFFD;
* NUL and other control characters are dropped from documents (tab, line breaks and the
  form feed that separates PDF pages stay) and become spaces in one-line text;
* a turn restored from the browser is client data: :func:`clean_turn` rebuilds every turn
  from typed fields, so nothing but strings, integers and booleans reaches the renderer, and
  refuses one over the caps (citations, passages, serialized size) before anything of it is
  shown, voted on or written; :func:`parse_saved` parses the saved conversation's text with
  a size and nesting cap;
* a conversation title (:func:`clean_title`) is one short line with no control, format or
  bidi-override character, so it cannot hide or reorder what the list shows.
"""

from __future__ import annotations

import json
import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, LF, FF and CR; DEL and the C1 block
_DOC_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def fix_surrogates(text: str) -> str:
    """*text* with every lone surrogate replaced by U+FFFD (a valid pair never occurs in a str)."""
    return _SURROGATE.sub("\ufffd", text)


def clean_document_text(text: str) -> str:
    """An uploaded document's text: no surrogates, no NUL or other control characters."""
    return _DOC_CONTROL.sub("", fix_surrogates(text))


def clean_line(text, limit: int | None = None) -> str:
    """One-line user text (a question, a label): surrogates fixed, controls made spaces."""
    text = fix_surrogates(str(text if text is not None else ""))
    text = "".join(" " if unicodedata.category(ch)[0] == "C" and ch not in "\n\t" else ch for ch in text)
    return text[:limit] if limit else text


def clean_question(text) -> str:
    """A question as typed: lone surrogates, NUL and other control characters (but line
    breaks and tabs) become spaces, as :func:`~untact_qa.retrieval.clean_query` treats them."""
    text = _SURROGATE.sub(" ", str(text if text is not None else ""))
    return "".join(" " if unicodedata.category(ch)[0] == "C" and ch not in "\n\t" else ch for ch in text)


def clean_text(text) -> str:
    """Multi-line user or document text for display: surrogates fixed, control characters dropped."""
    return clean_document_text(str(text if text is not None else ""))


# -- conversation titles ----------------------------------------------------------------------
MAX_TITLE_CHARS = 80
# zero-width joiners join an emoji sequence (👨‍👩‍👧) and some scripts' letters: the only
# format characters a title keeps
_TITLE_KEEP = {"\u200c", "\u200d"}


def clean_title(text) -> str:
    """A conversation title as typed: lone surrogates, control characters (NUL, BEL, …) and
    format characters (bidi overrides and isolates such as U+202E, zero-width spaces) removed,
    whitespace runs collapsed to one space, at most :data:`MAX_TITLE_CHARS` characters."""
    text = str(text if text is not None else "")[:MAX_TITLE_CHARS * 50]  # a 30 MB paste is not walked whole
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isspace():
            out.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch not in _TITLE_KEEP):
            out.append(" " if cat == "Cc" else "")  # a control between words still separates them
        else:
            out.append(ch)
    return " ".join("".join(out).split())[:MAX_TITLE_CHARS].rstrip()


# -- turns restored from the browser ----------------------------------------------------------
MAX_FIELD_CHARS = 20_000
# What a real turn holds, with a wide margin: an answer cites one or two quoted spans and a
# summary or comparison six sentences (summary.MAX_SENTENCES, 2 × SIDE_SENTENCES), each from
# one of at most top_k ≤ 100 retrieved passages, so no turn cites more than 100; a turn keeps
# ui_render.MAX_OTHER_HITS (4) passages it did not cite.
MAX_CITATIONS = 100
MAX_OTHERS = 20
# A real turn is a few KB to ~40 KB as JSON (six 900-character passages, four others); the
# whole turn, cleaned, must fit here, or it is dropped before anything of it is kept.
MAX_TURN_BYTES = 512 * 1024
# The saved conversation's text as the page sends it on load: the browser's localStorage
# holds about 5 MB per site, so a longer text was not saved by this app.
MAX_SAVED_CHARS = 8_000_000
MAX_SAVED_DEPTH = 32  # a turn nests 4 deep (list → turn → citations → citation → lines)
# A JSON string, or an unterminated one up to the end: every match succeeds where it starts
# and never backtracks (possessive), so removing the strings is one linear pass, even for
# '"\\"\\"\\"…' (no rescans).
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\[\s\S]?)*+(?:"|\Z)')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deep *text*'s arrays and objects nest (brackets inside strings do not count), in
    linear time and without recursion."""
    import numpy as np

    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    b = np.frombuffer(brackets.encode("ascii"), np.uint8)
    return int(np.cumsum(np.where((b == ord("[")) | (b == ord("{")), 1, -1)).max())


def parse_saved(text) -> list | None:
    """The conversation the page sent on load (the JSON text kept in localStorage), or None
    when it is missing, over :data:`MAX_SAVED_CHARS`, nested deeper than
    :data:`MAX_SAVED_DEPTH`, not JSON or not a list. The caller still checks every turn
    (:func:`clean_turn`). Never raises: 100,000 nested ``[`` are refused before the parser
    (which would raise RecursionError) sees them."""
    if not isinstance(text, str) or not text or len(text) > MAX_SAVED_CHARS:
        return None
    if json_depth(text) > MAX_SAVED_DEPTH:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, list) else None


def _int(value, lo: int = 0, hi: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(value)
    return value


def _str(value, limit: int = MAX_FIELD_CHARS) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return clean_text(value[:limit])  # cut first: an 11 MB field is not cleaned whole


def _lines(value) -> list[int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(value)
    return [_int(value[0]), _int(value[1])]


TURN_KINDS = ("answer", "near_miss", "abstain", "summary", "comparison")


def clean_turn(t) -> dict | None:
    """A restored turn rebuilt from typed fields, or None when it is malformed or over the caps
    (:data:`MAX_CITATIONS`, :data:`MAX_OTHERS`, :data:`MAX_FIELD_CHARS` a text,
    :data:`MAX_TURN_BYTES` the whole turn as JSON): a crafted turn is dropped whole, before a
    vote or an export can write it."""
    try:
        if not isinstance(t, dict):
            return None
        if not isinstance(t["citations"], list) or len(t["citations"]) > MAX_CITATIONS:
            return None
        if not isinstance(t.get("others") or [], list) or len(t.get("others") or []) > MAX_OTHERS:
            return None
        turn = _clean_turn(t)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if turn is None or len(json.dumps(turn, ensure_ascii=False).encode("utf-8", "replace")) > MAX_TURN_BYTES:
        return None
    return turn


def _clean_turn(t: dict) -> dict | None:
    """:func:`clean_turn` without the caps; raises on a malformed field."""
    citations = []
    for c in t["citations"]:
        passage = _str(c["passage"])
        s, e = _lines(c["evidence"])
        citations.append({"n": _int(c["n"], 1, 1000), "doc": _str(c["doc"], 500), "heading": _str(c["heading"], 1000),
                          "lines": _lines(c["lines"]), "passage": passage,
                          "evidence": [min(s, len(passage)), min(max(s, e), len(passage))],
                          # which chunk it quotes: what "왜?" and "더 자세히" start from
                          "chunk_id": _str(c["chunk_id"], 600) if isinstance(c.get("chunk_id"), str) else ""})
        if isinstance(c.get("location"), str) and c["location"].strip():
            citations[-1]["location"] = _str(c["location"], 80)  # 3쪽, 슬라이드 2: only formats that have one
    others = []
    for h in t.get("others") or []:
        others.append({"doc": _str(h["doc"], 500), "heading": _str(h["heading"], 1000),
                       "rank": _int(h["rank"], 1, 1000), "lines": _lines(h["lines"]),
                       "passage": _str(h["passage"])})
    if not isinstance(t["abstained"], bool):
        return None
    truncated = t.get("truncated_to")
    vote = t.get("vote")
    return {"id": _int(t["id"], 1, 10**9), "time": _str(t.get("time", ""), 40),
            "question": _str(t["question"]), "question_chars": _int(t["question_chars"]),
            "searched_query": _str(t["searched_query"]),
            "truncated_to": None if truncated is None else _int(truncated, 1),
            "answer": _str(t["answer"]), "abstained": t["abstained"], "reason": _str(t["reason"]),
            "kind": t.get("kind") if t.get("kind") in TURN_KINDS else ("abstain" if t["abstained"] else "answer"),
            "citations": citations, "others": others,
            "vote": vote if vote in ("like", "dislike") else None,
            # the documents the question was limited to (None: all of them)
            "scope": [_str(d, 500) for d in t["scope"][:200]] if isinstance(t.get("scope"), list) else None,
            # the chunks answered from so far for this question (다시 답하기 skips them)
            "cited": [_str(c, 500) for c in t["cited"][:500]] if isinstance(t.get("cited"), list) else [],
            "retry_of": None if t.get("retry_of") is None else _int(t["retry_of"], 1, 10**9),
            "intent": t["intent"] if t.get("intent") in INTENTS else "new",
            "span": _span(t.get("span"), len(_str(t["answer"]))),
            "outline": _outline(t.get("outline")),
            "table": _table(t.get("table"))}


INTENTS = ("new", "ellipsis", "reference", "why", "more", "summary", "comparison")  # untact_qa.dialog.INTENTS


def _span(value, n: int) -> list[int] | None:
    """The bold answer phrase [start, end) of a restored turn, inside its answer, or None."""
    if value is None:
        return None
    a, b = _lines(value)
    return [a, b] if a < b <= n else None


def _outline(o) -> dict | None:
    """A summary's headline and grouped bullets, rebuilt from strings (at most 12 groups of 12)."""
    if o is None:
        return None
    groups = [{"title": _str(g["title"], 300), "items": [_str(i, 4000) for i in g["items"][:12]]}
              for g in o["groups"][:12]]
    return {"label": _str(o.get("label", ""), 300), "headline": _str(o["headline"], 4000), "groups": groups}


def _table(t) -> dict | None:
    """A comparison table rebuilt from strings and citation numbers (at most 4 columns, 12 rows)."""
    if t is None:
        return None
    columns = [_str(c, 200) for c in t["columns"][:4]]
    rows = []
    for r in t["rows"][:12]:
        cells = {}
        for c in columns:
            cell = r["cells"].get(c)
            cells[c] = None if cell is None else {"text": _str(cell["text"], 4000),
                                                  "citation": _int(cell["citation"], 1, 1000)}
        rows.append({"aspect": _str(r["aspect"], 300), "cells": cells})
    return {"columns": columns, "rows": rows}
