"""Complete short or elliptical follow-up questions from the previous turns.

"그럼 일본은?" after "중국의 원격근무 현황은?" means "일본의 원격근무 현황은?". Without a
language model we do it structurally: a follow-up is a short question that names a new
topic (usually a country, company or year) and leans on the last question for the rest.
"""

from __future__ import annotations

import re

from .tokenization import kiwi

_FOLLOWUP_START = re.compile(r"^(그럼|그러면|그렇다면|그리고|또|그 ?외에?|and|what about|how about)\s*", re.I)
_TAIL = re.compile(r"(은|는|도|의 경우는?|에서는?|쪽은|은요|는요|도요|요)?\s*[?？.!]*$")
_TOPIC_TAGS = ("NNP", "NNG", "SL", "SN", "NR")


def is_followup(question: str) -> bool:
    """A short question that opens with 그럼/그러면/또… or is a bare topic with a particle."""
    q = question.strip()
    if _FOLLOWUP_START.match(q):
        return True
    content = [t for t in kiwi().tokenize(q) if t.tag.split("-")[0] in _TOPIC_TAGS]
    return len(q) <= 12 and 0 < len(content) <= 2 and not re.search(r"(나|까|가)\s*[?？]?$", q)


def complete_question(question: str, history: list[tuple[str, str]]) -> str:
    """Rewrite *question* using the most recent earlier question, or return it unchanged."""
    if not history or not is_followup(question):
        return question
    previous = history[-1][0]
    topic = _FOLLOWUP_START.sub("", question.strip())
    topic = _TAIL.sub("", topic).strip()
    if not topic:
        return question
    # Replace the previous question's topic (its first proper noun / place / year) with the new one.
    tokens = kiwi().tokenize(previous)
    anchor = next((t for t in tokens if t.tag.split("-")[0] in ("NNP", "SL", "SN")), None)
    if anchor is None:
        return f"{topic} {previous}"
    end = anchor.start + anchor.len
    # extend over a counter/unit attached to a number ("2019년")
    m = re.match(r"\S*", previous[end:])
    end += len(m.group(0)) if anchor.tag == "SN" and m else 0
    rest = previous[end:]
    return (previous[: anchor.start] + topic + rest).strip()
