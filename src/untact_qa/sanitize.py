"""Text that crosses a boundary (a question, an uploaded file, a conversation restored from
the browser, a command-line argument) is made safe to store, encode and render here.

* a lone surrogate (a browser can send one; a command line with undecodable bytes gives
  one) cannot be encoded as UTF-8: it becomes U+FFFD;
* NUL and other control characters are dropped from documents (tab, line breaks and the
  form feed that separates PDF pages stay) and become spaces in one-line text;
* a turn restored from the browser is client data: :func:`clean_turns` rebuilds every turn
  from typed fields, so nothing but strings, integers and booleans reaches the renderer.
"""

from __future__ import annotations

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


# -- turns restored from the browser ----------------------------------------------------------
MAX_FIELD_CHARS = 20_000


def _int(value, lo: int = 0, hi: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(value)
    return value


def _str(value, limit: int = MAX_FIELD_CHARS) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return clean_text(value)[:limit]


def _lines(value) -> list[int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(value)
    return [_int(value[0]), _int(value[1])]


TURN_KINDS = ("answer", "near_miss", "abstain", "summary", "comparison")


def clean_turn(t) -> dict | None:
    """A restored turn rebuilt from typed fields, or None when it is malformed."""
    try:
        if not isinstance(t, dict):
            return None
        citations = []
        for c in t["citations"]:
            passage = _str(c["passage"])
            s, e = _lines(c["evidence"])
            citations.append({"n": _int(c["n"], 1, 1000), "doc": _str(c["doc"], 500), "heading": _str(c["heading"], 1000),
                              "lines": _lines(c["lines"]), "passage": passage,
                              "evidence": [min(s, len(passage)), min(max(s, e), len(passage))]})
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
                "retry_of": None if t.get("retry_of") is None else _int(t["retry_of"], 1, 10**9)}
    except (KeyError, TypeError, ValueError, IndexError):
        return None
