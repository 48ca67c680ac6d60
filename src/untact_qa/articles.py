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
from dataclasses import dataclass, replace

from .korean import josa
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


# ---------------------------------------------------------------------------------------------
# An article asked for by its number: "헌법 제1조가 뭐야?", "제12조 제4항 내용 알려줘", and in a
# conversation "그 다음 항은?", "다음 조는?", "3항은?". Retrieval cannot answer these — "제1조"
# means nothing to an embedding and little to BM25 — but a statute's passages sit under their
# article's heading, so the article is looked up by its label and quoted whole (or the asked
# paragraph, ① ② …), cited like every answer. Only where the documents have such headings: a
# bill's amending text ("제71조제2항제4호 중 …") is not its own article and is left to retrieval.

# "제1조", "1조", "제50조의3", "제12조 제4항", "12조 4항"; not a sum ("1조 원")
_REF = re.compile(r"(?<![\d가-힣])(?:제\s*)?(\d{1,3})\s*조(?:\s*의\s*(\d{1,2}))?(?:\s*(?:제\s*)?(\d{1,2})\s*항)?"
                  r"(?!\s*(?:원|달러|위안|엔|유로|억|개|명|건))(?![가-힣\d]{2})")
# a word naming the statute: "헌법", "대한민국헌법", "행정절차법", "…법률"
_LAW_WORD = re.compile(r"^(?:대한민국\s*)?([가-힣·]*(?:헌법|법률|법))(?:안|개정안)?(?:의|에서|에|은|는)?$")
# what a message asking for an article's text may say besides the article: "뭐야", "내용 알려줘",
# "어떻게 돼 있어?", "원문 보여줘" (anything else — "…주권은 누구에게 있어?" — is a question
# about its content, for retrieval)
_ASKING = re.compile(r"(?:내용|원문|전문|조문|문구|규정|뭐라고|무슨|뭐|무엇|뭔|뭘|어떻게|되어|돼|나와|적혀|쓰여|"
                     r"있|알려|보여|읽어|말해|줘|주세요|주실래요|주라|좀|그럼|근데|그리고|다시|한번|거|건|게|것|"
                     r"뭐였|였|이었|했|하|해|대해|대한|관해|관한|설명|대한민국)*"
                     r"(?:은|는|이|가|을|를|의|에는|엔|에|요|야|이야|지|죠|냐|니|임|나요|어요|어|습니까|까|고|"
                     r"인지|는지|더라|인가요|인데|예요|이에요|봐|줄래)*")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
MAX_ARTICLE_SENTENCES = 8  # an article quoted whole up to this many sentences (제12조 has 20)


@dataclass(frozen=True)
class ArticleRef:
    """An article asked for by number: *law* as named ("" when not), *label* ("제1조",
    "제50조의3") and *paragraph* (2 for 제2항; None: the whole article)."""

    law: str
    label: str
    paragraph: int | None = None

    def phrase(self, title: str = "") -> str:
        """The question this reference stands for ("대한민국헌법 제1조 제2항")."""
        law = title or self.law
        para = f" 제{self.paragraph}항" if self.paragraph else ""
        return f"{law} {self.label}{para}".strip()


def asks_article_text(text: str) -> ArticleRef | None:
    """The article *text* asks to read ("헌법 제1조가 뭐야?" → 헌법, 제1조), or None when it
    names none or asks something about its content ("헌법 제1조에서 주권은 누구에게 있어?")."""
    text = text or ""
    refs = list(_REF.finditer(text))
    if len(refs) != 1:
        return None
    m = refs[0]
    law = ""
    words = re.findall(r"[^\s?？.!,~]+", text[:m.start()] + " " + text[m.end():])
    for w in words:
        lw = _LAW_WORD.match(w)
        if lw and not law:
            law = lw.group(1)
        elif not _ASKING.fullmatch(w):
            return None
    label = f"제{m.group(1)}조" + (f"의{m.group(2)}" if m.group(2) else "")
    return ArticleRef(law, label, int(m.group(3)) if m.group(3) else None)


# a follow-up that moves within a statute: "그 다음 항은?", "앞 조는?", "3항은?", "제5조는요?"
_MOVE = re.compile(r"^\s*(?:그럼\s*|그러면\s*|그리고\s*|근데\s*)?(?:그\s*)?(다음|앞|이전|바로\s*다음|바로\s*앞)\s*(항|조|조문|조항)"
                   r"(?:은|는|도|이|가)?(?:요|은요|는요)?\s*(?:뭐야|뭐예요|내용은|알려\s*줘)?\s*[?？.!]*\s*$")
_JUMP = re.compile(r"^\s*(?:그럼\s*|그러면\s*|그리고\s*|근데\s*)?(?:제\s*)?(\d{1,3})\s*(항|조)(?:\s*(?:제\s*)?(\d{1,2})\s*항)?"
                   r"(?:은|는|도|이|가)?(?:요|은요|는요)?\s*(?:뭐야|뭐예요|내용은|알려\s*줘)?\s*[?？.!]*\s*$")


# "그 조항 내용 좀 알려줘", "해당 조문은 뭐라고 돼 있어?": the article the last answer named
_THAT_ARTICLE = re.compile(r"^\s*(?:그럼\s*|그러면\s*|근데\s*)?(?:(?P<law>[가-힣·]*(?:헌법|법률|법))(?:에서|에선|의|에는)?\s+)?"
                           r"(?:그|해당|이|저|거기\s*나온)\s*(?:헌법\s*|법\s*)?(조항|조문|조|규정)"
                           r"(?:은|는|이|가|을|를|의|에는)?\s*")


def named_article(question: str, answer_text: str, asked: str = "") -> ArticleRef | None:
    """The article a message asks to read when it points at "그 조항" and the previous answer
    names exactly one ("…헌법 제60조 제2항의 규정에 따라 동의한다" → 헌법 제60조 제2항) — or,
    of several, the one the previous question *asked* named ("…관련법령에 헌법 제5조도
    있던데" → 제5조 of "헌법 제5조 제1항, 제60조 제2항") — with the statute written before it
    (or the one the message names: "헌법에서 그 조항 …"); None otherwise."""
    m = _THAT_ARTICLE.match(question or "")
    if m is None or not all(_ASKING.fullmatch(w) for w in re.findall(r"[^\s?？.!,~]+", question[m.end():])):
        return None
    refs = {(r.group(1), r.group(2), r.group(3)): r for r in _REF.finditer(answer_text or "")}
    if len(refs) > 1:
        named = {(r.group(1), r.group(2)) for r in _REF.finditer(asked or "")}
        refs = {k: r for k, r in refs.items() if (k[0], k[1]) in named}
    if len(refs) != 1:
        return None
    r = next(iter(refs.values()))
    before = re.findall(r"[^\s(（]+", answer_text[max(0, r.start() - 20):r.start()])
    law = _LAW_WORD.match(before[-1]) if before else None
    label = f"제{r.group(1)}조" + (f"의{r.group(2)}" if r.group(2) else "")
    return ArticleRef(m.group("law") or (law.group(1) if law else ""), label, int(r.group(3)) if r.group(3) else None)


def moves_in_a_statute(text: str) -> bool:
    """Is *text* one of the messages :func:`moved_article` reads ("그 다음 항은?", "3항은?")?"""
    return bool(_MOVE.match(text or "") or _JUMP.match(text or ""))


def moved_article(text: str, at: ArticleRef) -> ArticleRef | None:
    """The article or paragraph a follow-up asks for after a turn that quoted *at*: "그 다음
    항은?" (the next paragraph), "앞 조는?" (the article before), "3항은?" (that paragraph of
    the same article), "5조는?"; None for any other message."""
    m = _MOVE.match(text or "")
    if m:
        step = 1 if "다음" in m.group(1) else -1
        if m.group(2) == "항":
            para = (at.paragraph or 1) + step
            return replace(at, paragraph=para) if para >= 1 else None
        n = int(re.match(r"제(\d+)조", at.label).group(1)) + step
        return ArticleRef(at.law, f"제{n}조") if n >= 1 else None
    m = _JUMP.match(text or "")
    if m is None:
        return None
    if m.group(2) == "항":
        return replace(at, paragraph=int(m.group(1)))
    return ArticleRef(at.law, f"제{m.group(1)}조", int(m.group(3)) if m.group(3) else None)


def article_ref_of(heading_path, sentence_text: str = "") -> ArticleRef | None:
    """The article a quoted passage sits under, with the paragraph its quoted sentence opens
    (① …), for "그 다음 항은?" after any answer from a statute."""
    found = _article_parts(heading_path)
    if not found or found[1].startswith("부칙"):
        return None
    label = re.match(r"제\d+조(?:의\d+)?", found[1]).group(0)
    head = sentence_text.lstrip()[:1]
    return ArticleRef("", label, _CIRCLED.index(head) + 1 if head and head in _CIRCLED else None)


def article_index(records) -> dict[str, dict]:
    """``{doc id: {"title": str, "articles": {label: [chunk id, …]}}}`` of the documents whose
    passages sit under article headings, from the store's records (in corpus order)."""
    out: dict[str, dict] = {}
    for rec in records:
        ch = rec.chunk
        found = _article_parts(ch.heading_path)
        if not found or found[1].startswith("부칙"):
            continue
        label = re.match(r"제\d+조(?:의\d+)?", found[1]).group(0)
        doc = out.setdefault(ch.doc_id, {"title": found[0] or ch.heading_path[0], "articles": {}})
        doc["articles"].setdefault(label, []).append(ch.chunk_id)
    return out


def statute_for(ref: ArticleRef, index: dict[str, dict], talked: list[str]) -> str | None:
    """The document *ref* is of: the one its law names ("헌법" → 대한민국헌법), else the one
    the conversation was about (*talked*, most recent first) that has the article, else the
    only document that has it; None when that is not one document."""
    if ref.law:
        key = re.sub(r"\s+", "", ref.law)
        named = [d for d, v in index.items() if key in re.sub(r"\s+", "", v["title"])]
        return named[0] if len(named) == 1 else None
    for d in talked:
        if d in index and ref.label in index[d]["articles"]:
            return d
    having = [d for d, v in index.items() if ref.label in v["articles"]]
    return having[0] if len(having) == 1 else None


def article_text_answer(question: str, ref: ArticleRef, title: str, chunks, searched: str, intent: str,
                        labels=()) -> Answer:
    """The article's text (or its asked paragraph) quoted sentence by sentence with citations;
    an honest abstention when the statute has no such article or paragraph. *chunks*: the
    article's passages in order (empty: the statute has no such article, whose *labels* are
    then named by their range)."""
    from .explain import citation_of

    def refuse(reason: str) -> Answer:
        return Answer(question=question, text=reason, citations=(), abstained=True, reason=reason,
                      searched_query=searched, kind="abstain", intent=intent, expected_type="describe")

    if not chunks:
        nums = sorted(int(n) for n in re.findall(r"^제(\d+)조", "\n".join(labels), re.M))
        have = f"(제{nums[0]}조–제{nums[-1]}조가 있습니다)" if nums else ""
        return refuse(f"{title}에는 {josa(ref.label, '가')} 없습니다{have}. 조 번호를 확인해 주세요.")
    seen: dict[int, tuple] = {}
    for ch in chunks:
        for s in ch.sentences:
            seen.setdefault(s.start, (ch, s))
    sents = [seen[k] for k in sorted(seen)]
    paras: list[list[tuple]] = []
    for ch, s in sents:
        opens = s.text.lstrip()[:1] in _CIRCLED
        if opens or not paras:
            paras.append([])
        paras[-1].append((ch, s))
    numbered = all(p[0][1].text.lstrip()[:1] in _CIRCLED for p in paras)
    if ref.paragraph is not None:
        if not numbered or ref.paragraph > len(paras):
            count = f"{len(paras)}개 항({_CIRCLED[0]}–{_CIRCLED[len(paras) - 1]})" if numbered and paras else "항 구분 없이 한 문단"
            return refuse(f"{title} {ref.label}에는 제{ref.paragraph}항이 없습니다: {josa(ref.label, '는')} {count}입니다.")
        picked = paras[ref.paragraph - 1]
        where = f"{ref.label} 제{ref.paragraph}항"
    else:
        picked = [x for p in paras for x in p]
        where = ref.label
    shown = picked[:MAX_ARTICLE_SENTENCES]
    body = " ".join(f"{' '.join(s.text.split())} [{n}]" for n, (_, s) in enumerate(shown, 1))
    rest = ""
    if len(picked) > len(shown):
        rest = (f" (이하 생략: {josa(ref.label, '는')} {len(paras)}개 항입니다. ‘{ref.label} 제{len(paras)}항’처럼 "
                f"항을 물어보세요.)" if numbered else f" (이하 생략: {ref.label}의 나머지는 인용 [1]의 원문에서 보세요.)")
    cites = tuple(citation_of(ch, s, n) for n, (ch, s) in enumerate(shown, 1))
    return Answer(question=question, text=f"{title} {where}: {body}{rest}", citations=cites, abstained=False,
                  searched_query=searched, confidence=1.0, kind="answer", intent=intent, expected_type="describe")
