"""Which article of a statute says it: "국회의원 불체포특권은 헌법 몇 조야?".

A statute's passages sit under their article's heading (``대한민국헌법 > 제3장 국회 > 제44조``,
a bill's ``법률 제 호 > 제36조(손해액의 인정)``): the article a question asks for is the
heading of the passage that answers the rest of it. :func:`asks_article` tells such a
question, :func:`subject_of` is what is left to answer ("대통령 임기"), and
:func:`article_answer` names the article before the answer's quote. A question nothing
answers (a concept the text never names, 면책특권) is still refused: the passage retrieval
ranks first for it is often another article (제44조 on arrest), and naming it would mislead.

"몇 조" also asks for trillions ("거래액이 몇 조야?"): nothing changes unless the passage is
an article's.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .schema import Answer

# "몇 조야?", "헌법 몇 조에 나와?", "어느 조항을 고치는 건가요?", "몇 조 몇 항을 …", "무슨 조문이야?"
_ASKS = re.compile(r"(?:(?:헌법|법|법률|법안|개정안)\s*)?(?:몇|어느|무슨|어떤)\s*(?:조(?:항|문)?|조항)(?:\s*몇\s*항)?"
                   r"(?=$|\s|[?？.!]|에|을|를|이|가|은|는|야|예요|이에요|인가|인지|인데|이죠|이야)"
                   # (a sum: "몇 조 원이야?", "몇 조 달러")
                   r"(?!\s*(?:원|달러|위안|엔|유로|억|개|명))")
# what follows the asked article: its particle and the predicate ("에 나와?", "를 고치는 거야?")
_REST = re.compile(r"^\s*(?:에|을|를|이|가|은|는)?\s*(?:\S+\s*){0,3}[?？.!]*\s*$")
_PARTICLE = re.compile(r"^(?:에|을|를|이|가|은|는)\s*")
# an article's heading: "제44조", "제36조(손해액의 인정)", "제50조의3"
_LABEL = re.compile(r"^(제\s*\d+\s*조(?:의\s*\d+)?)(?:\s*\(([^)]*)\))?")
# an answer that names the article itself ("제71조제2항제4호 중 …를 … 로 한다")
_NAMED = re.compile(r"제\s*\d+\s*조")


def asks_article(text: str) -> bool:
    """Does *text* ask which article (조항) of a statute says something?"""
    return _ASKS.search(text or "") is not None


def subject_of(text: str) -> str:
    """*text* without its asking for an article: what the article is asked about
    ("국회의원 불체포특권은 헌법 몇 조야?" → "국회의원 불체포특권")."""
    m = _ASKS.search(text)
    if m is None:
        return text
    head, rest = text[:m.start()].strip(), text[m.end():]
    if not _REST.match(rest):
        # "몇 조가 국회의원 체포를 정해?": the rest says what, kept without the particle
        said = _PARTICLE.sub("", rest.strip())
        head = f"{head} {said}".strip()
    return re.sub(r"(?:은|는|이|가|을|를|의|에서|에)\s*$", "", head).strip(" ,") or text


def states_article(text: str) -> bool:
    """Does an answer's text name an article itself ("헌법 제60조제2항의 규정에 따라 …")?"""
    return _NAMED.search(text or "") is not None


def article_of(heading_path) -> str | None:
    """The article a passage sits under ("대한민국헌법 제44조", "제36조(손해액의 인정)" of its
    document), or None for a passage of no article."""
    found = _article_parts(heading_path)
    return " ".join(x for x in found if x) if found else None


def _article_parts(heading_path) -> tuple[str, str] | None:
    """``(document, article)`` of :func:`article_of` ("" for the document of a path that is
    the article alone)."""
    parts = [p for p in (heading_path or ()) if p]
    for i in range(len(parts) - 1, -1, -1):
        m = _LABEL.match(parts[i].strip())
        if m:
            label = re.sub(r"\s+", "", m.group(1)) + (f"({m.group(2)})" if m.group(2) else "")
            # an addendum's articles are numbered on their own: "부칙 제2조", not the 제2조
            if any(p.strip().startswith("부칙") for p in parts[1:i]):
                label = f"부칙 {label}"
            # (a bill's title without its "(유선호의원 대표발의 )")
            doc = re.sub(r"\s*\([^)]*\)\s*$", "", parts[0]).strip() if i > 0 else ""
            return doc, label
    return None


def article_answer(answer: Answer) -> Answer | None:
    """*answer* with the article it quotes named first ("대한민국헌법 제70조에 나옵니다: …");
    None when it abstained, names the article itself, or quotes no article's passage (the
    question asked something else: "몇 조" of a sum)."""
    if not answer.abstained and answer.citations:
        if states_article(answer.text):
            return None  # "제71조제2항제4호 중 …": the quote says it
        found = [_article_parts(tuple(c.heading.split(" > "))) for c in answer.citations]
        found = [x for x in dict.fromkeys(found) if x]
        if not found:
            return None
        # one document named once: "대한민국헌법 제68조·제70조"
        named: dict[str, list[str]] = {}
        for doc, label in found:
            named.setdefault(doc, []).append(label)
        lead = ", ".join(f"{doc} {'·'.join(labels)}".strip() for doc, labels in named.items()) + "에 나옵니다: "
        span = (answer.span[0] + len(lead), answer.span[1] + len(lead)) if answer.span else None
        return replace(answer, text=lead + answer.text, span=span)
