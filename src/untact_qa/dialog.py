"""Turn interpretation: what a message means in its conversation, decided once and shown.

A chat message is one of a few intents, read from the message's own form (does it have a
topic and a predicate of its own?), never from its length alone:

========== ======================================== =========================================
intent     examples                                  what is searched
========== ======================================== =========================================
new        "재택근무 중 집중 근무 시간은?",            the message as typed, never rewritten
           "통신비는 얼마야?"
ellipsis   "그럼 일본은?", "일본도?", "면적은?"        the previous question with one slot
                                                     replaced (:mod:`untact_qa.followup`)
reference  "그 회사는 어디야?", "거기서는?",           the message with the demonstrative
           "그걸 만든 곳은?", "그 중 가장 큰 건?"      replaced by what it points at
why        "왜?", "그 이유는?", "왜 그런 거야?"        the previous answer's claim: its cause
                                                     or reason statements are looked for
more       "더 자세히", "좀 더 설명해줘"               the previous answer's passage, expanded
summary    "요약해줘", "이 보고서 전체 요약"           (a broad request, see summary.py)
comparison "한국과 중국을 비교해줘"
========== ======================================== =========================================

A bare common noun with a particle ("통신비는?") is the one form that can be either: it
completes the previous question when the documents pair it with the previous subject (a
passage names both: "면적은?" after "서울의 인구는?"), and stands on its own when the documents
name it elsewhere but never with that subject (an uploaded note's 통신비 after a question
about Vietnam's cash use). A noun phrase of two or more content words ("재택근무 중 집중 근무
시간은?") names its own topic and is a new question. A message in another script than the
previous one is new. A message that names its own documents (``#이름``) is decided by the
caller (a new scope is a new question).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .followup import _RELATIONS, MARKET_FIGURES, PROPERTIES, _fix_particle
from .korean import ends_a_word, josa

INTENTS = ("new", "ellipsis", "reference", "why", "more", "summary", "comparison")
FOLLOWING = ("ellipsis", "reference", "why", "more")  # intents that lean on an earlier turn

_END = r"\s*[?？.!…~]*\s*$"
_LEAD = r"^\s*(?:그럼|그러면|그렇다면|그런데|근데|그래서|그리고|음|아)?\s*,?\s*"
_SUBJ = r"(?:(?:그건|그게|그것은|이건|이게|저건|그렇게|그렇다면|그럼)\s*)?"
# "왜?" and its kin, with nothing of their own to ask about
_WHY = re.compile(
    _LEAD + _SUBJ + r"(?:왜(?:요|죠|지|일까요?|인가요?|인데|그래요?|그런\s*(?:거야|건가요?|걸까요?|거죠|거예요|가요?|지)|"
    r"\s*그렇게\s*\S*|\s*그런\s*\S*)?|어째서(?:요)?|무엇\s*때문(?:이야|인가요?|에요?|이죠)?|뭐\s*때문(?:이야|에|이지)?|"
    r"(?:그\s*)?(?:이유|원인|까닭|근거|취지|목적)(?:는|은|가|이)?(?:\s*(?:뭐야|뭔가요|무엇인가요|뭐예요|뭐지|뭐래|뭐래요|있어|있나요|알려\s*줘|알려줘|"
    r"말해\s*줘|설명해\s*줘))?|why(?:\s+is\s+that|\s+so|\s+not)?|how\s+come)" + _END, re.I)
# "…해 줘" and its polite and asking forms ("해 줄래요?", "해 주실 수 있어요?")
_GIVE = r"(?:줘(?:요)?|줄래(?:요)?|주세요|주실래요|주시겠어요|줄\s*수\s*있(?:어|어요|나요|니)|주실\s*수\s*있(?:어요|나요))"
# "더 자세히" and its kin
_MORE = re.compile(
    _LEAD + _SUBJ + r"(?:(?:좀|조금|더|좀\s*더|조금\s*더|더욱)\s*)*(?:(?:자세히|자세하게|상세히|상세하게|구체적으로|길게|많이)(?:요)?)?\s*"
    r"(?:(?:설명|얘기|이야기|말|말씀)\s*(?:해|좀\s*해)\s*" + _GIVE + "?|알려\s*" + _GIVE + "|"
    r"보여\s*" + _GIVE + r"|부탁해(?:요)?|해\s*" + _GIVE + r"|알고\s*싶어(?:요)?)?" + _END + "|"
    r"^\s*(?:(?:tell|give|show)\s+me\s+more(?:\s+(?:details?|information|about\s+(?:it|that|this)))?|"
    r"more(?:\s+details?)?(?:\s+please)?|elaborate|go\s+on|(?:can\s+you\s+)?explain\s+more)"
    + _END + "|"
    # "자세한 내용 좀 알려줘", "구체적으로 뭘 한다는 건데?": the details of what was just said
    r"^\s*(?:그럼\s*|그래서\s*)?(?:좀\s*더\s*)?(?:자세한|구체적인|상세한)\s*(?:내용|설명|얘기)(?:은|는|을|를|이|좀)?\s*(?:좀\s*)?"
    r"(?:알려\s*" + _GIVE + r"|설명해\s*" + _GIVE + r"|있어(?:요)?|뭐야|뭐예요)?" + _END + "|"
    r"^\s*(?:그래서\s*|그럼\s*)?구체적으로(?:는)?\s*(?:뭘|뭐|무엇을|어떻게)?\s*(?:한다는|하는|했다는|된다는|하겠다는)?\s*"
    r"(?:건데|거야|건가요|거예요|거지|건지)?\s*(?:좀\s*)?(?:더\s*)?(?:알려\s*" + _GIVE + r"|설명해\s*" + _GIVE + r")?" + _END + "|"
    # "관련해서 더 있는 내용도 알려 주세요", "그다음엔 어떻게 되는데?": what the passage says next
    r"^\s*(?:그럼\s*)?(?:관련해서|관련된|이와\s*관련해)\s*(?:더|또)\s*(?:있는|나온)?\s*(?:내용|얘기|것)(?:도|은|이)?\s*"
    r"(?:알려\s*" + _GIVE + r"|있어(?:요)?|있나요)?" + _END, re.I)
# "그 다음 내용은?", "다음 조항도 알려줘": the text's next part
_NEXT_PART = re.compile(r"^\s*(?:그럼\s*)?(?:그\s*)?다음\s*(?:내용|부분|조항|항목|문단|거|건)(?:은|는|도|을|를|이|좀)?\s*"
                        r"(?:뭐야|뭐예요|뭔데|알려\s*" + _GIVE + r"|보여\s*" + _GIVE + r")?" + _END)
# "그다음엔 어떻게 되는데?", "그 후엔?": what the passage says next (no "더" needed)
_NEXT = re.compile(r"^\s*(?:그럼\s*)?(?:그\s*다음|그다음|그\s*뒤|그\s*후|그러고\s*나서|그리고\s*나서|그래서|그러자|그랬더니|"
                   r"결국|끝내|마침내)"
                   r"(?:에는|엔|에|은|는|로|로는)?\s*"
                   r"(?:어떻게\s*(?:돼|되는데|되나요|돼요|되지|되는\s*거야|하는데|해)|뭐야|뭐예요|뭘\s*해|"
                   # "그 다음엔 뭐라고 돼 있어?": what the text says next
                   r"뭐라고\s*(?:돼|되어|나와|적혀)\s*(?:있어|있어요|있나요|있는데)|"
                   r"어떻게\s*(?:됐는데|됐어|됐어요|됐나요|되었어)|"
                   # "그 다음엔 어떻게 진행됐어?": what the text tells next
                   r"어떻게\s*(?:진행|전개)\s*(?:됐어|됐어요|됐나요|됐는데|되었어|되었나요|돼|됐지)|"
                   # "그 다음엔 어떻게 해야 돼?", "그 뒤엔 뭘 해야 해?": the step the text states next
                   r"(?:어떻게|뭘|무엇을)\s*해야\s*(?:돼|돼요|해|해요|하나요|되나요|하는데|되는데|하지|하는\s*거야)|"
                   r"어떻게\s*(?:됐는지|되었는지|됐나|됐어|됐어요|되었나요)\s*(?:좀\s*)?(?:더\s*)?(?:알려\s*" + _GIVE + ")?)?" + _END)
# "예외는 없어?", "예외도 있어요?", "Any exceptions?": the exception to the rule just quoted
_EXCEPTION_ASKED = re.compile(r"^\s*(?:그럼\s*|혹시\s*)*예외(?:는|도|가|\s*사항은?)?\s*(?:없어|있어|없나요|있나요|없어요|있어요|"
                              r"없습니까|있습니까|없니|있니|는요|요)?" + _END + r"|^\s*(?:are\s+there\s+)?any\s+exceptions?"
                              + _END, re.I)
# "또?", "다른 건?", "그 밖에는?", "또 뭐가 있어?": more of what was just said
_ANYTHING_ELSE = re.compile(
    r"^\s*(?:그럼\s*|그리고\s*)?(?:또(?:는|요)?|다른\s*(?:건|거|것은|것도|게|건요|거는)|그\s*(?:밖에|외에)(?:는|도)?|"
    r"또\s*(?:뭐|뭐가|무엇이|어떤\s*게)?\s*(?:있어|있나요|있니|있어요|없어)|다른\s*(?:건|거|것은)?\s*(?:없어|있어)|"
    # "또 바뀌는 거 있어?", "또 달라지는 건 없어?": more of what the answer said changes
    r"또\s*[가-힣]{1,6}(?:는|된|한)\s*(?:거|것|게|건)\s*(?:있어|있나요|있니|있어요|없어|없나요)|"
    r"anything\s+else|what\s+else|"
    # "더 없어?", "계속해줘", "예를 들면?": more of the same
    r"더\s*(?:없어|없나요|없어요|있어|있나요|있어요)|계속\s*(?:해|해\s*줘|해줘|해\s*주세요|해주세요|해\s*봐)?|"
    r"예를\s*(?:들면|들어|들어서)(?:요)?|예컨대|"
    # "나머지도 알려줘", "나머지는?": the rest of what the answer began to tell
    r"나머지(?:들)?(?:도|는|도요|는요)?\s*(?:좀\s*)?(?:다\s*)?(?:알려\s*" + _GIVE + r"|말해\s*" + _GIVE + r"|뭐야|있어)?|"
    # "다른 플랫폼 얘기도 더 있어?": more of the same kind of thing the answer told
    r"다른\s*[가-힣A-Za-z]{1,8}\s*(?:얘기|이야기|내용|사례)(?:도|는)?\s*(?:더|또)?\s*(?:있어|있나요|있어요|없어|있니))"
    r"\s*[?？.!]*\s*$", re.I)
# "그거 말고 새로 생기는 조항 또 있어?", "그것 말고 다른 건?": more besides what was said
_BESIDES = re.compile(r"^\s*(?:그럼\s*|그리고\s*)?(?:그거|그것|이거|이것|그건|그\s*내용)\s*(?:말고|외에|빼고)(?:는|도)?\s*")
_BESIDES_REST = re.compile(r"(?:(?:[가-힣A-Za-z0-9·]+\s+){0,5}(?:또|더)\s*(?:있어|있나요|있어요|있니|없어|없나요|없어요)|"
                           r"다른\s*(?:내용|얘기|이야기|것)(?:은|는|도)?(?:\s*(?:있어|있나요|있어요))?)\s*[?？.!]*\s*$")
_MORE_WORD = re.compile(r"더|자세|상세|구체|more|elaborate|explain", re.I)
# demonstratives pointing back ("그 회사", "거기", "그걸"), English "it/they/there"
_REF = re.compile(r"(?<![가-힣])(?:그|이|저|해당)\s*(회사|기업|업체|은행|기관|단체|위원회|부대|곳|나라|국가|도시|지역|사람|인물|분|여자|남자|"
                  r"제품|상품|서비스|앱|어플|플랫폼|프로그램|기술|제도|정책|법률안|법률|법안|법|조항|시장|산업|분야|것|거|중)"
                  r"|(?<![가-힣])(거기|그곳|그쪽|저기|그걸|그것|그거|그게|그건|이것|이거|그들|그녀|그분|걔네들|걔네|얘네|쟤네|(?:걔|얘|쟤)(?![가-힣]{2}|기)|"
                  # "그의 아버지는?", "그는 언제 죽었어?": 그 alone before a particle is "he"
                  r"그(?=(?:의|는|가|를|에게|와|도)(?:\s|$|[?？])))")
# (case-sensitive: "IT 투자" is information technology, not "it")
_REF_EN = re.compile(r"\b([Ii]t|[Ii]ts|[Tt]hey|[Tt]hem|[Tt]heir|[Tt]here|[Tt]hat one|[Tt]his one|[Hh]e|[Hh]im|[Hh]is|[Ss]he|"
                     r"[Hh]er|"
                     # "How many copies does a record need to sell for that?": that, at the end after a
                     # preposition (not "tell me more about that", "more detail on that": more of the same)
                     r"(?:(?<=\bfor )|(?<=\bof )|(?<=\bwith )|(?<=\blike ))[Tt]hat(?=\s*[?？.!]*\s*$)|"
                     r"(?:[Tt]hat|[Tt]his|[Tt]he) (?:company|firm|business|service|platform|app|country|city|person|bill|law|"
                     r"section|part|route|stretch|segment|"
                     r"unit|post|office|position|agency|committee|program|policy|product|plan|amendment|market|industry|sector|"
                     r"show|drama|film|movie|song|album|track|series))\b")
# what an English phrase calls a work ("the show's highest rating"): the title the turn was about
_WORKS_EN = frozenset({"show", "drama", "film", "movie", "song", "album", "track", "series"})
# "그 드라마로", "그 결과는": 그 before any noun (the kinds above are handled by _REF)
_REF_ANY = re.compile(r"(?<![가-힣])그\s+([가-힣]{1,6}?)(?=으로|로|에서|에게|의|은|는|이|가|을|를|와|과|도|만|\s|[?？]|$)")
_NOT_REF = {"외", "때", "후", "뒤", "전", "동안", "다음", "날", "해", "당시", "밖", "이상", "이하", "만큼", "대로"}
_PLACE_HEADS = {"곳", "나라", "국가", "도시", "지역", "거기", "그곳", "그쪽", "저기"}
_ORG_HEADS = {"회사", "기업", "업체", "은행", "기관", "단체", "위원회", "부대",
              "걔네들", "걔네", "얘네", "쟤네"}  # "걔네 스마트 과제는?": the company just named
_PERSON_HEADS = {"사람", "인물", "분", "그녀", "그분", "그들", "그", "여자", "남자", "걔", "얘", "쟤",  # (걔: "that kid", anyone)
                 "he", "him", "his", "she", "her"}
# how a text names a woman ("라 모트 부인", "마리 왕비"): who "그 여자", "그녀" point at first
_WOMAN_TITLES = "부인|여사|왕비|왕후|공주|여왕|황후|여제|모친|어머니"
_WOMAN = re.compile(f"(?:{_WOMAN_TITLES})$")


# what a public body's name ends in (헌법재판소, 중앙선거관리위원회, 감사원, 국회, 대법원)
_BODY_END = re.compile(r"(?:재판소|위원회|법원|감사원|행정원|진흥원|연구원|국회|정부|처|청)$")


def _body_answered(prior: Prior) -> str | None:
    """The first public body (:data:`_BODY_END`) the previous answer names that its question
    did not, or None."""
    asked = re.sub(r"\s+", "", prior.asked)
    for w in re.findall(r"[가-힣]{2,12}", re.sub(r"\[\d+\]", " ", prior.answer)):
        w = re.sub(r"(?:의|은|는|이|가|에|에서|을|를|과|와|으로|로)$", "", w)
        if len(w) >= 3 and _BODY_END.search(w) and w not in asked:
            return w
    return None


def _named_as_its_kind(head: str, kind: str, cands: list[str], prior: Prior) -> str | None:
    """What the previous answer calls by the kind the demonstrative asks for, or None: "거기
    장은 …?" after "…해산은 어디서 결정하나요?" answered "…헌법재판소의 심판에 의하여 …" is
    the body it named (not a word of the question); "그 여자" after an answer naming "라 모트
    부인" is the one it calls a woman."""
    if kind == "org" and head in ("거기", "저기", "그곳", "기관") and re.search(r"어디", prior.asked):
        return _body_answered(prior)
    if head not in ("여자", "그녀", "she", "her"):
        return None
    woman = [c for c in cands if _WOMAN.search(c) or re.search(re.escape(c) + rf"\s*(?:{_WOMAN_TITLES})", prior.answer)]
    return (woman or _women_named(prior.answer) or [None])[0]


def _women_named(text: str) -> list[str]:
    """The women *text* names by a title ("가람 부인"): up to two words before it that are
    no phrase ending in a particle ("개요는" is not a name). (Not a kin word: "X 어머니" is X's
    mother, not a woman called X.)"""
    out = []
    for m in re.finditer(r"((?:[가-힣A-Za-z]+\s+){0,2})(부인|여사|왕비|왕후|공주|여왕|황후)(?![가-힣]{2})", text):
        words = m.group(1).split()
        while words and re.search(r"(?:은|는|을|를|의|에|에서|와|과|도|로|으로)$", words[0]):
            words.pop(0)
        if words:
            out.append(" ".join(words + [m.group(2)]))
    return out
# "그는 왜 죽었어?": a question of its own about the person the conversation named, not "why?"
_HE = re.compile(r"(?<![가-힣])(그|그녀|그분|그들)(의|는|은|가|이|를|을|에게|와|도)(?=\s|$|[?？])")
# how a word for a group of people ends (피해자, 노동자, 직원, 국민, 학생 …)
_PEOPLE_END = re.compile(r"(자|원|민|생|인|들)$")
# a name that says it is a place (티베트 고원, 한라산, 낙동강, 제주도, 타클라마칸 사막)
_GEO_END = re.compile(r"(고원|산맥|산|강|섬|반도|사막|호수|해협|평야|분지|계곡|폭포|바다|해안|만|항|도시|마을|지역|지방)$")
# how the name of an organisation ends
_ORG_END = re.compile(r"(회사|기업|업체|은행|그룹|재단|협회|공사|공단|증권|전자|통신|텔레콤|항공|연구소|연구원|"
                      r"위원회|조합|재단법인|주식회사|철도|사)$")


@dataclass(frozen=True)
class Prior:
    """What interpreting a message needs of an earlier turn of its conversation."""

    question: str  # as typed
    searched: str  # as interpreted and searched
    answer: str = ""
    intent: str = "new"
    abstained: bool = False
    # what the answer quoted: (chunk id, evidence start, evidence end) inside the chunk's text
    cited: tuple[tuple[str, int, int], ...] = ()
    docs: tuple[str, ...] | None = None  # the documents it was limited to

    @property
    def quoted_chunks(self) -> list[str]:
        """The chunk ids its answer quoted, in order, each once."""
        return list(dict.fromkeys(c[0] for c in self.cited))

    @property
    def quoted_docs(self) -> set[str]:
        """The documents its answer quoted."""
        return {c[0].rpartition("#")[0] for c in self.cited}

    @property
    def asked(self) -> str:
        """The question the turn was about: a why/more turn's searched "X — 이유" is about X;
        without what the user said of themselves first ("초등학교 교사인데요, …", "기자입니다.")
        nor an aside in parentheses ("국가공무원법 일부개정법률안(의안번호 9891) …")."""
        asked = _without_preface((self.searched or self.question).split(" — ")[0] or self.question)
        return re.sub(r"\s*\((?:의안번호|번호|안|No\.?)\s*[^()]{1,20}\)", "", asked) or asked


def _last_answered(priors: list[Prior]) -> Prior | None:
    """The latest turn that was answered, or None."""
    return next((p for p in reversed(priors) if not p.abstained), None)


def _quoting_turn(question: str, priors: list[Prior], probe: Probe | None) -> Prior | None:
    """The turn a Korean question may be asked in the frame of (its document, bill or
    country): the last answered one, when it quoted something and the documents can be
    asked; else None."""
    from .followup import script_of

    last = _last_answered(priors)
    if probe is None or last is None or not last.cited or script_of(question) != "hangul":
        return None
    return last


def _without_preface(question: str) -> str:
    """*question* without the statements before it ("나 지방공무원인데 애가 초등학교 2학년이야.
    지방공무원법 개정안 통과되면 …?" → "지방공무원법 개정안 통과되면 …?"): they say who asks, not
    what about. A message of two questions ("대법원장은? 연임도 돼?") is kept whole."""
    parts = [p for p in re.split(r"(?<=[.!])\s+|(?<=인데요,)\s*|(?<=거든요,)\s*|(?<=인데,)\s*", question.strip())
             if p.strip()]
    if len(parts) > 1 and not any(re.search(r"[?？]\s*$", p) for p in parts[:-1]) and len(parts[-1]) >= 6:
        return parts[-1].strip()
    return question


def as_priors(history: Iterable | None) -> list[Prior]:
    """Earlier turns as :class:`Prior`\\ s, from what callers keep: ``(searched, answer)`` pairs
    (the CLI, the eval), turn dicts of the chat page, or priors."""
    out = []
    for h in history or ():
        if isinstance(h, Prior):
            out.append(h)
        elif isinstance(h, dict):
            cited = []
            for c in h.get("citations") or ():
                ev = c.get("evidence") or (0, 0)
                cid = c.get("chunk_id") or ""
                cited.append((cid, int(ev[0]), int(ev[1])))
            out.append(Prior(question=h.get("question", ""), searched=h.get("searched_query") or h.get("question", ""),
                             answer=h.get("answer", ""), intent=h.get("intent") or "new",
                             abstained=bool(h.get("abstained")), cited=tuple(cited),
                             docs=tuple(h["scope"]) if h.get("scope") else None))
        elif hasattr(h, "citations") and hasattr(h, "searched_query"):  # an Answer (the eval keeps them)
            out.append(Prior(question=h.question, searched=h.searched_query or h.question, answer=h.text,
                             intent=getattr(h, "intent", "new"), abstained=h.abstained,
                             cited=tuple((c.chunk_id, c.evidence_start, c.evidence_end) for c in h.citations)))
        else:
            searched, answer = h[0], h[1]
            out.append(Prior(question=searched, searched=searched, answer=answer))
    return out


@dataclass(frozen=True)
class Interpretation:
    """What a message means: its intent, the question to search, the turn it leans on."""

    intent: str
    searched: str
    prior: Prior | None = None
    candidates: tuple[str, ...] = field(default=(), compare=False)  # readings weighed (for the record)

    @property
    def rewritten(self) -> bool:
        return self.intent in ("ellipsis", "reference")


class Probe:
    """What the documents say about a reading, for the one ambiguous form (a bare noun):
    *together(a, b)* — does a passage name both; *known(term)* — does any passage name it;
    *common(term)* — is it a word most passages use (so it names no topic of its own);
    *titled(noun)* — does a passage write it as a title (《싸움》), so a name."""

    def __init__(self, together: Callable[[str, str], bool], known: Callable[[str], bool],
                 common: Callable[[str], bool], count: Callable[[str], int] | None = None,
                 share: Callable[[str], float] | None = None,
                 passages: Callable[[list[str]], list[str]] | None = None,
                 titled: Callable[[str], bool] | None = None,
                 in_documents: Callable[[str, list[str]], bool] | None = None,
                 verbal: Callable[[str], bool] | None = None,
                 leading_document: Callable[[str], str] | None = None) -> None:
        self.together, self.known, self.common = together, known, common
        self.titled = titled or (lambda noun: False)
        # does one of these documents (by id) use the word, as written
        self.in_documents = in_documents or (lambda word, doc_ids: False)
        # do the documents use the noun as a verb (해제하여야, 처벌한다): an act, not a thing
        self.verbal = verbal or (lambda noun: True)
        # the document whose passage the words match best (BM25), "" when none does
        self.leading_document = leading_document or (lambda text: "")
        # the text (headings included) of passages by chunk id: where an earlier answer quoted
        self.passages = passages or (lambda ids: [])
        # how many passages name the phrase (up to a small cap): 1–2 is a topic of its own
        self.count = count or (lambda phrase: 1 if known(phrase) else 0)
        # the share of passages using a word (its rarest morpheme): lower is more specific
        self.share = share or (lambda term: 0.5)


def intent_of_form(question: str) -> str | None:
    """why / more from the message's own form, when it has nothing of its own to ask about."""
    if _WHY.match(question):
        return "why"
    if (_MORE.match(question) and _MORE_WORD.search(question)) or _ANYTHING_ELSE.match(question) or \
            _NEXT.match(question) or _NEXT_PART.match(question) or _EXCEPTION_ASKED.match(question):
        return "more"
    parts = [p for p in re.split(r"(?<=[.?!？])\s+", question.strip()) if p]
    if len(parts) == 2 and (re.match(r"\s*what\s+else\b", parts[0], re.I) or _REF_EN.search(parts[0])) \
            and intent_of_form(parts[1]) == "more":
        # "What else does that bill change? Give me more detail.", "What kind of platform is it
        # exactly? Tell me more.": more of what was just said
        return "more"
    besides = _BESIDES.match(question)
    if besides and (_ANYTHING_ELSE.match(question[besides.end():]) or _BESIDES_REST.match(question[besides.end():])):
        return "more"
    return None


# what opens a message that changes the subject: "그건 그렇고", "그나저나", "아 그리고", "참,"
# ("그건 됐고", "다른 얘긴데", "별개 질문인데", "아 그거 말고," with its comma: "그거 말고 또 있어?"
# asks for more besides it)
_CHANGING_SUBJECT = re.compile(r"^\s*(?:아\s*)?(?:그건\s*그렇고|그거는\s*그렇고|그나저나|아\s*그리고|아\s*참|참|"
                               r"(?:그건|그거는|그거|그건\s*이제)\s*됐고|(?:그거|그건|그것)\s*말고\s*,|"
                               r"(?:다른|별개|별도|딴)\s*(?:얘긴데|얘기인데|이야긴데|이야기인데|질문인데|건데|얘기지만|질문이지만)|"
                               r"화제\s*(?:를\s*)?(?:바꿔서|돌려서))[,.\s]\s*")


# "둘 중", "그 둘 중에서", "두 나라 중": one of the two the conversation named
_OF_THE_TWO = re.compile(r"^\s*(?:그럼|그러면|그리고|근데)?\s*(?:그\s*)?(?:둘|두\s*(?:나라|곳|회사|기업|개|가지|사람))\s*중(?:에|에서|에서는)?\s+")


def _one_of_the_two(question: str, priors: list[Prior], probe: Probe | None) -> Interpretation | None:
    """"둘 중 일본에서는 뭐가 늘어난 거야?" after "알서포트가 한국이랑 일본에서 … 얼마나
    늘었대?": one of the two the last turn named, asked of what it was about; else None."""
    two = _OF_THE_TWO.match(question)
    prior = _last_answered(priors) if two else None
    if prior is None or len(question) - two.end() < 4:
        return None
    rest = question[two.end():]
    topic = _topic_of(prior.asked, probe, rest)
    if not topic or all(_says_word(rest, w) for w in topic.split()):
        return None
    return Interpretation("reference", _prefix_topic(topic, rest), prior, candidates=(question,))


# "다시 중국 얘기,", "처음 거 다시,", "아까 이러닝 얘기 다시,", "처음 거로 돌아가서,", "아까 행정절차법
# 거,", "처음 그 통신사 말이야,": going back to what an earlier turn was about (the thing named)
_EARLIER = r"아까|처음|맨\s*처음|앞에서"
_RETURNING = re.compile(
    r"^\s*(?:그럼|근데|그리고)?\s*(?:"
    r"(?P<w1>" + _EARLIER + r")\s*(?P<x1>[^,，?？]{0,20}?)\s*(?:얘기|이야기|거|것|질문)?\s*(?:로|으로)?\s*"
    r"(?:다시|돌아가서|돌아가면|돌아가자면)\s*[,，]?|"
    r"다시\s+(?P<x2>[^,，?？]{1,20}?)\s*(?:얘기|이야기)(?:로)?\s*[,，]|"
    r"(?P<w3>" + _EARLIER + r")\s+(?P<x3>[^,，?？]{1,20}?)\s*(?:거|것|얘기|이야기)?\s*말이야\s*[,，]?|"
    r"(?P<w4>" + _EARLIER + r")\s+(?P<x4>[^,，?？\s]{1,12}(?:\s+[^,，?？\s]{1,12})?)\s+(?:거|것)(?:는|은)?\s*[,，]?"
    r")\s*")


def _returning(question: str, priors: list[Prior], embedder, probe: Probe | None, broad) -> Interpretation | None:
    """A message that goes back to an earlier turn ("아까 행정절차법 거, 현행은 며칠이었어?"):
    what follows the going back, read after the turns up to the one it goes back to — the
    first for "처음", else the latest before the last that named what it says (행정절차법), else
    the one before the last; None when it says no such thing."""
    m = _RETURNING.match(question)
    rest = question[m.end():].strip() if m else ""
    if m is None or len(priors) < 2 or len(rest) < 4:
        return None
    word = next((m.group(g) for g in ("w1", "w3", "w4") if m.group(g)), "") or ""
    raw = next((m.group(g) for g in ("x1", "x2", "x3", "x4") if m.group(g)), "") or ""
    named = re.sub(r"^(?:그|이)\s+", "", raw).strip()
    turns = range(len(priors) - 1) if "처음" in word else range(len(priors) - 2, -1, -1)
    key = re.sub(r"\s+", "", named)
    k = next((k for k in turns if key and key in re.sub(r"\s+", "", f"{priors[k].asked} {priors[k].answer}")),
             0 if "처음" in word else len(priors) - 2)
    if named and re.match(r"(?:그|이)\s", raw):
        rest = f"그 {named} {rest}"  # "처음 그 통신사 말이야, …": that one, of the turn gone back to
    got = interpret(rest, priors[:k + 1], embedder, probe, broad)
    if got.intent == "new" and got.searched == rest and not (_REF.search(rest) or _REF_ANY.search(rest)) and \
            len([w for w in _content_nouns(rest) if w not in _GENERIC and w not in _NO_TOPIC]) >= 3:
        return None  # ("다시 중국 얘기로, B2C로 시작한 언택트 산업이 …": a question of its own, as typed)
    searched = got.searched
    if named and not _REF.search(rest) and key not in re.sub(r"\s+", "", searched) and len(named) <= 12:
        searched = _prefix_topic(named, searched)  # ("아까 자본금 거, …" the earlier turn's 자본금)
    return Interpretation("reference" if got.intent in ("new", "ellipsis") else got.intent, searched,
                          got.prior or priors[k], candidates=(question,))


_JUST_SAID = re.compile(r"(?<![가-힣])(?:지금|방금|막)\s*(?:얘기한|말한|얘기했던|말했던|나온|물어본)\s+(?=[가-힣])")


def as_just_said(question: str) -> str:
    """*question* with "지금 얘기한 법안", "방금 말한 회사" said as "그 법안", "그 회사": the one
    just talked about (for a message that follows a turn)."""
    return _JUST_SAID.sub("그 ", question)


_COLLOQUIAL_WORDS = {"엄마": "어머니", "아빠": "아버지"}
_COLLOQUIAL = re.compile(r"(?<![가-힣])(엄마|아빠)(?=은|는|이|가|의|도|를|을|랑|하고|\s|[?？]|$)")


def interpret(question: str, history: Iterable | None, embedder=None, probe: Probe | None = None,
              broad: str | None = None) -> Interpretation:
    """The :class:`Interpretation` of *question* after *history* (oldest first).

    *broad* is ``"summary"`` or ``"comparison"`` when the question analysis found a broad
    request; *probe* answers the documents' side of an ambiguous bare noun (see the module)."""
    priors = as_priors(history)
    turn = _CHANGING_SUBJECT.match(question)
    if turn is not None and priors and len(question) - turn.end() >= 6:
        # "그건 그렇고 헌법재판소 재판관은 몇 명이야?": a turn to another subject — "그건" there
        # points at nothing (it was read as the statute of the turn before)
        question = question[turn.end():]
    if priors:  # (the words documents use: "엄마는요?" asks of 어머니)
        question = _COLLOQUIAL.sub(lambda m: _COLLOQUIAL_WORDS[m.group(1)], question)
        question = as_just_said(question)
    earlier = (_one_of_the_two(question, priors, probe) or _returning(question, priors, embedder, probe, broad)
               ) if priors else None
    if earlier is not None:
        return earlier
    first = _resolve_first_said(question, priors) if priors else None
    if first is not None:
        # "그럼 처음 말한 시장은 …?": what a turn before asked about, named (a question of its own
        # by its words, it was glued to the last turn's country)
        return Interpretation("reference", first, priors[-1], candidates=(question,))
    got = _interpret(question, priors, embedder, probe, broad)
    if got.intent == "new" and got.searched == question and priors and turn is None:
        carried = _carry_document_topic(question, priors, probe) or _carry_statute(question, priors, probe) or \
            _carry_country(question, priors, probe)
        if carried is not None:
            # (the completed reading, when it is the same topic put first: "주연 배우는요?" after
            # "라라랜드 감독 누구예요?" → "라라랜드 주연 배우 누구예요?", its question kept)
            from .followup import fragment_of

            frag = fragment_of(question)
            topic = carried[:-len(question.strip())].strip() if carried.endswith(question.strip()) else ""
            full = next((c for c in got.candidates if frag is not None and topic and
                         c.startswith(f"{topic} {frag.noun} ")), None)
            return Interpretation("ellipsis", full or carried, got.prior or priors[-1], candidates=(question,))
    return got


def _carry_document_topic(question: str, priors: list[Prior], probe: Probe | None) -> str | None:
    """*question* asked of the document the conversation is about, when it names nothing of
    its own: "첫 출항한 배 이름은?" after "금강산 관광은 언제 시작됐어?" (and answers from the
    article 금강산) is about 금강산 — in a library of articles, a question without its
    article's name may be answered from another. The document is the one the last answer
    quoted, its title a name an earlier question of the conversation used; the question
    names no other (nor a country), and the documents pair the title with its words."""
    from .question import places_in
    from .summary import _doc_label

    last = _quoting_turn(question, priors, probe)
    if last is None:
        return None
    titles = {_doc_label(d).strip() for d in last.quoted_docs}
    if len(titles) != 1:
        return None
    title = titles.pop()
    flat = re.sub(r"\s+", "", title)
    asked = [re.sub(r"\s+", "", p.question) for p in priors]
    if len(flat) < 2 or not re.fullmatch(r"[가-힣 ]+", title) or flat in re.sub(r"\s+", "", question) or \
            not any(flat in a for a in asked):
        return None
    if [n for n in _names(question) if not n.isdigit()] or places_in("country", question):
        return None  # "2002년 프랑스 대선 결선에 오른 후보는?": about something named
    words = [w for w in _content_nouns(question) if w not in _GENERIC and w not in PROPERTIES]
    # (a title as written: Kiwi splits 중천 into 중/천)
    written = [re.sub(r"(은|는|이|가|을|를|의|도|에서|에|으로|로)$", "", w) for w in re.findall(r"[가-힣]{2,}", question)]
    if any(probe.titled(w) for w in written) or any(len(w) >= 3 and w[:2] == flat[:2] for w in words) or \
            _WORK.search(question):
        return None  # "영화 중천은 …" (《중천》), "원진재단은 …" (of 원진레이온): a name of its own
    if not words or sum(probe.together(title, w) for w in words) * 2 < len(words):
        return None
    # (the word that opened the turn opens no phrase: "근데 그때 음방은 …" → "방탄소년단 그때 음방은 …")
    return f"{title} {re.sub(_OPENING_WORD, '', question).strip() or question.strip()}"


def _carry_statute(question: str, priors: list[Prior], probe: Probe | None) -> str | None:
    """*question* asked of the bill the conversation is about, when it names no statute,
    name or country of its own and the bill's text uses its words: "보증보험은 얼마짜리 들어야
    하나요?" after a question on 결혼중개업법 개정안 is about that bill — among ten bills that
    share their vocabulary (시행, 자본금, 육아휴직), a question without its statute is answered
    from whichever another bill says it in. The statute is as the user named it ("결혼중개업법
    개정안"), the bill the one the last answer quoted, and the Constitution is left alone (one
    document: nothing to tell apart)."""
    from .question import _NOT_STATUTES, _STATUTE, places_in

    last = _quoting_turn(question, priors, probe)
    if last is None:
        return None
    docs = last.quoted_docs
    if len(docs) != 1 or _STATUTE.search(question) or _names(question) or places_in("country", question):
        return None
    named = ""
    for p in reversed(priors):
        m = next((m for m in _STATUTE.finditer(p.question) if m.group(1) not in _NOT_STATUTES), None)
        if m is not None:
            bill = re.match(r"\s*(개정안|개정법률안|일부개정법률안)", p.question[m.end():])
            named = m.group(1) + (" 개정안" if bill else "")
            break
    # (the bill writes its statute in full, "결혼중개업의 관리에 관한 법률": its stem is what it shares)
    stem = named.split()[0][:-1] if named else ""
    if len(stem) < 2 or stem.endswith("헌") or not probe.in_documents(stem, list(docs)):
        return None
    words = [w for w in _content_nouns(question) if w not in _GENERIC and w not in _NO_TOPIC]
    if not words or sum(probe.in_documents(w, list(docs)) for w in words) * 2 < len(words) + 1:
        return None
    if probe.leading_document(question) in docs:
        return None  # as typed, it is found in that bill already: a question of its own
    # (the word that opened the turn opens no phrase: "근데 휴직 기간도 바뀌어?" → "…개정안 휴직 기간도 …")
    return f"{named} {re.sub(_OPENING_WORD, '', question).strip() or question.strip()}"


def _carry_country(question: str, priors: list[Prior], probe: Probe | None) -> str | None:
    """A bare noun phrase asked of the country the conversation is about, when it names no
    country, place, name or statute of its own and every word it is about is one the
    documents write beside that country: "원격진료 시장은?", "SaaS 업체들은 어떻게 대응했어?"
    after questions on 중국 are 중국's — a report organised by country says each of these of
    one country, in that country's part."""
    from .followup import fragment_of
    from .question import _STATUTE, places_in

    last = _quoting_turn(question, priors, probe)
    if last is None or (fragment_of(question) is None and len(question) > 30):
        return None
    if _names(question) or places_in("country", question) or places_in("place", question) or _STATUTE.search(question):
        return None
    countries = places_in("country", last.asked)
    if len(countries) != 1:
        return None
    country = next(iter(countries))
    said = " ".join(probe.passages(last.quoted_chunks))
    if country not in places_in("country", said):
        return None
    words = _own_words(question) if fragment_of(question) is not None else _topic_words(question)
    if fragment_of(question) is None and len(words) < 2:
        return None  # ("비용은 얼마나 들어요?": a side, of the previous topic, not of the country)
    if not words or not all(probe.together(country, w) for w in words):
        return None
    return _prefix_topic(country, question)


def _topic_words(question: str) -> list[str]:
    """The words a question with a predicate is about: its own words (:func:`_own_words`)
    but not a noun made the predicate (대응 in 대응했어)."""
    from .tokenization import question_tokens

    toks = list(question_tokens(question))
    verbal = {k for k in range(len(toks) - 1) if toks[k + 1].tag in ("XSV", "XSA")}
    nouns = [t.form for k, t in enumerate(toks) if t.tag in ("NNG", "NNP", "SL", "SH", "XR") and k not in verbal]
    return [w for w in nouns if w not in _GENERIC and w not in _NO_TOPIC and w not in _MODIFIERS]


def as_typed(question: str, interp: Interpretation, priors: list[Prior] = ()) -> Interpretation | None:
    """A noun phrase of its own words that :func:`interpret` completed with the topic ("UAE
    파견 부대 교대 주기는?" → "…청해부대 …"), read as typed: the reading to try when the
    completed one finds nothing; else None. (A question read as its own is never glued to
    the topic in its turn: "통신비는?" that nothing answers is answered so, not as "베트남의
    현금 통신비는?".)"""
    from .followup import fragment_of
    from .question import roles_in

    frag = fragment_of(question)
    if interp.intent != "ellipsis" or interp.candidates != (question,) or frag is None:
        return None
    # (words as written: "삼성SDS" is one name, though Kiwi reads 삼성 and SDS)
    own = [w for w in frag.noun.split() if _own_words(w)]
    series = bool(priors) and priors[-1].intent == "ellipsis" and fragment_of(priors[-1].question) is not None
    if len(own) < 2 or series or _CONNECTIVE.match(question) or \
            frag.particle.startswith("도") or frag.adverbial or roles_in(frag.noun):
        # one word ("그럼 대만은?", "민간 기업은?"), an office ("지방의회 의원은?") or one
        # more of a series of fragments asks the previous question of it, and a predicate
        # without a topic ("연임할 수 있어?") is about the previous topic: when that finds
        # nothing the honest answer is the near miss, not whatever else a passage says of
        # the words as typed
        return None
    return Interpretation("new", question)


def asked_of_topic(question: str, priors: list[Prior], probe: Probe | None) -> Interpretation | None:
    """*question* (read as its own) asked of the last answered turn's topic, or None."""
    from .followup import fragment_of, script_of

    prior = _last_answered(priors)
    if prior is None or not prior.searched or script_of(question) != script_of(prior.asked) or \
            fragment_of(question) is not None or len(question) > 30:
        return None
    words = (_carried_topic(prior) or _topic_of(prior.asked, probe, question)).split()
    if _opens_as(question, prior.asked) or (len(words) > 1 and _says_word(question, words[0])):
        # "오스카 수명은 보통 몇 년이야?" after "오스카 번식에 처음 성공한 곳은 어디야?": it names
        # what the conversation is about itself; the rest of that topic (번식) is another side of it
        return None
    topic = " ".join(w for w in words if not _says_word(question, w))
    # ("VoiceTube는 사용자 몇 명 늘었어?" after a turn on Hahow names its own: glued to Hahow it
    # quoted Hahow's figure for it)
    latin = [n for n in _names(question) if re.fullmatch(r"[A-Za-z][A-Za-z0-9]{2,}", n) and n not in topic]
    if not topic or _own_topic_ko(question) or latin:
        # "대통령 연임은 가능해?" after "선거권은 몇 살부터 생겨?" names its own office: glued
        # to 선거권 it quoted the 피선거권 sentence the conversation was on
        return None
    return Interpretation("ellipsis", _prefix_topic(topic, question), prior, candidates=(question,))


def _opens_as(question: str, previous: str) -> bool:
    """Does *question* open with the word *previous* opens with ("오스카 …" after "오스카 …"),
    a word of its own, not a connective or question word ("그럼", "어디서")?"""
    first = re.match(r"\s*([가-힣A-Za-z0-9]{2,})\s", question)
    said = previous.split()[:1]
    return bool(first and said and first.group(1) not in _OPENERS and _says_word(said[0], first.group(1)))


_OPENERS = frozenset({"그럼", "그러면", "그리고", "그래서", "근데", "그런데", "그건", "그게", "그거", "그걸", "이건", "이게",
                      "혹시", "아까", "어느", "무슨", "어떤", "언제", "어디", "어디서", "누가", "누구", "얼마", "얼마나",
                      "그냥", "다시", "그때"})


# "영화 중천", "드라마 아이리스": a kind of work followed by its title
_WORK = re.compile(r"(?<![가-힣])(영화|드라마|소설|노래|앨범|작품|게임|프로그램|예능|만화|웹툰|책)\s+[가-힣A-Za-z0-9]")


def _interpret(question: str, priors: list[Prior], embedder, probe: Probe | None,
               broad: str | None) -> Interpretation:
    """:func:`interpret` of a question that leans on nothing but its own turn's rules."""
    from .followup import fragment_of, script_of

    prior = _last_answered(priors) or (priors[-1] if priors else None)
    form = intent_of_form(question)
    from .explain import _ANOTHER

    if prior is not None and prior.intent == "new" and _ANOTHER.search(question) and \
            _WHY_WORD.search(prior.question) and (form is not None or _about_previous(question, prior, probe)):
        # "다른 이유는 없어?" after "일본은 재택근무가 왜 제대로 안 돼요?": its answer quoted
        # reasons; the other reasons are what its passage says next, not a cause of a cause
        return Interpretation("more", question, prior)
    if form is not None:
        # "왜?" after an abstention has nothing to explain: it leans on the last answered turn
        return Interpretation(form, question, prior)
    if prior is not None and _more_of_what_was_said(question, prior, probe):
        return Interpretation("more", question, prior)
    if prior is not None and not prior.abstained and _WHY_WORD.search(question) and not asks_source(question) and (
            _about_previous(question, prior, probe) or (prior.intent == "comparison" and "차이" in question)) and \
            not _attribute_fragment(question) and not _HE.search(question):
        # "왜 그렇게 늘었어?", "그게 왜 문화적 충격이야?": the reason for what was just said
        return Interpretation("why", question, prior)
    if broad == "comparison" and priors:
        both = _the_two_of_the_conversation(question, priors)
        if both is not None:
            # "그럼 두 나라를 비교해줘" after questions on 일본 and 한국: those two, on the topic
            return Interpretation(broad, both, prior, candidates=(question,))
    if broad == "comparison" and prior is not None and not prior.abstained:
        other = _compared_with_previous(question, prior) or _compared_with_the_topic(question, prior)
        if other is not None:
            # "청해부대랑 임무를 비교해줘" after a turn on the UAE unit's mission: 임무 is what is
            # compared, and the other side is what the conversation was about
            return Interpretation(broad, other, prior, candidates=(question,))
    if broad in ("summary", "comparison"):
        return Interpretation(broad, question, prior)
    if prior is None:
        return Interpretation("new", question)
    previous = (prior := _past_the_reason(question, prior, priors)).asked
    swapped = _asked_for_another_slot(question, previous, priors[-1].asked)
    if swapped is not None:
        # "어디서?" after "마리 앙투아네트는 언제 태어났어?": the same question, asked for another
        # slot; "반대로 배달 안 하는 곳은?" after "…배달하는 음식점 매출 …?": of the other side
        return Interpretation("ellipsis", swapped, prior, candidates=(question,))
    if script_of(question) not in ("hangul", "latin") or (script_of(question) != script_of(previous)):
        ref = _resolve_reference(question, prior, probe, priors) if script_of(question) == "hangul" and \
            (_REF.search(question) or _ORDINAL.search(question)) else None
        if ref is not None:
            # "그 서비스 만든 회사 이름은?" after an English question answered from Korean text:
            # the thing its answer named (줌)
            return Interpretation("reference", ref, prior)
        return _in_another_language(question, prior, previous, probe, embedder, priors)
    back = _going_back(question, priors, probe) or _after_that(question, prior) or _source_or_case(question, prior)
    if back is not None:
        return back
    ref = _resolve_reference(question, prior, probe, priors)
    if ref is not None:
        return _read_reference(question, ref, prior, probe, embedder)
    short = as_fragment(question, previous)
    if short != question:
        # "베트남 정부도 그랬어요?" asks the previous question of 베트남 정부, as "베트남 정부도?" does
        got = _read_fragment(short, fragment_of(short), prior, previous, probe, embedder, series=True)
        if got.intent == "ellipsis":
            return replace(got, candidates=(question,))
    frag = fragment_of(question)
    if frag is None:
        return _read_predicate(question, prior, probe)
    last = priors[-1]
    if last is not prior and last.abstained and last.intent == "new" and last.searched == last.question:
        # a fragment after a question the user asked that went unanswered asks that question
        # of something else ("일본은 어때?" after "한국은 어떻게 규제해?"); one after a rewrite
        # that went unanswered leans on the last answer, as the rewrite may be what failed
        prior, previous = last, last.question
    # "민간 기업은?" right after "공무원은?" (read as the previous question asked of 공무원):
    # one more of the series, whatever the documents pair — a phrase of two words of its own
    # ("재택근무 중 집중 근무 시간은?") is still weighed as a question of its own
    series = last.intent == "ellipsis" and fragment_of(last.question) is not None and len(_own_words(frag.noun)) < 2
    return _read_fragment(question, frag, prior, previous, probe, embedder, series)


# a question for a figure: "몇 배 늘었어?", "얼마야?", "몇 %야?"
_ASKS_FIGURE = re.compile(r"몇\s*(?:배|%|퍼센트|프로|명|개|곳|건|위)|얼마")


def _past_the_reason(question: str, prior: Prior, priors: list[Prior]) -> Prior:
    """The turn a figure question leans on: past a why-question asked in its own words ("대만에서는
    몇 배 늘었어?" after "…한국에서 얼마나 늘었어?", "일본은?", "일본은 왜 원격제어 쪽이 더 많이
    늘었대?" asks the figure again, of 대만 — a reason has no figure to ask of another place)."""
    if prior.intent != "new" or not _WHY_WORD.search(prior.question) or not _ASKS_FIGURE.search(question) or \
            prior not in priors:
        return prior
    before = priors[:priors.index(prior)]
    return next((p for p in reversed(before) if not p.abstained and not _WHY_WORD.search(p.question)), prior)


def _read_reference(question: str, ref: str, prior: Prior, probe: Probe | None, embedder) -> Interpretation:
    """The reading of a message whose demonstrative :func:`_resolve_reference` replaced (*ref*)."""
    from .followup import complete_question, fragment_of

    searched = ref
    # (one with words of its own besides the demonstrative, "거기 원장 임기는?" → "감사원 원장
    # 임기는?", asks its own question of the referent: not the previous one again)
    # (an attribute is words of its own, "그 부대 규모는?"; "그거 내용은?" asks nothing new)
    own = [w for w in _content_nouns(_REF.sub(" ", question)) if w not in _SAYS_NOTHING]
    if fragment_of(ref) is not None and not (own and _REF.search(question)):
        # "거기서는?" → "베트남에서는?": a fragment, completed as one
        searched = complete_question(ref, [(prior.asked, prior.answer)], embedder)
    elif fragment_of(ref) is not None:
        searched = re.sub(r"(은|는|이|가)요(?=\s*[?？]?\s*$)", r"\1", ref)  # "…임기는요?" → "…임기는?"
    elif _PLACE_REF.search(question):
        # "거기서는 어떤 문제가 있었어?" after "줌은 어느 나라 기업이야?" (미국): Zoom's
        # problems there, as a question naming only a country continues the topic
        searched = _placed_elsewhere(ref, prior.asked, probe, set_place=False) or ref
    return Interpretation("reference", searched, prior)


def _a_part_it_told(question: str, prior: Prior) -> bool:
    """Does *question* open with a word placed as the previous answer placed it ("남북으로는
    얼마나 돼?" after "…동서로 40킬로미터, 남북으로 60킬로미터 …") and mark no topic of its own:
    a part of what the conversation is about, not a name of its own?"""
    from .question import places_in

    m = re.match(r"\s*(?:그럼|그러면)?\s*([가-힣A-Za-z0-9]{1,10}?)(으로|로|에서)(?:는|도)?\s+(\S.*)$", question)
    if m is None or prior.abstained or re.search(r"[가-힣A-Za-z0-9](?:은|는|이|가)\s", m.group(3)) or \
            places_in("country", m.group(1)) or places_in("place", m.group(1)):
        return False  # (a country or place is asked of in its own way: _asked_in_another_country)
    return re.sub(r"\s+", "", m.group(1) + m.group(2)) in re.sub(r"\s+", "", prior.answer or "")


# taking effect, said of a statute: "시행은 언제부터야?", "언제 시행돼?" (see _LAW_ACT)
_IN_FORCE = re.compile(r"(?<![가-힣])시행(?:은|일|시기|되|돼|하|해|할|한)")


def _read_predicate(question: str, prior: Prior, probe: Probe | None) -> Interpretation:
    """The reading of a message with a predicate of its own (no bare fragment) after *prior*."""
    previous = prior.asked
    if prior.searched and (_lacks_topic(question, previous, probe) or _a_part_it_told(question, prior)):
        # "어떤 방안이 있어?", "위원은 어떻게 구성돼?", "언제부터 적용돼?": a predicate whose
        # topic was the previous question's — asked about that topic (one left unanswered
        # too: "국회는 언제까지 의결해야 해?" after "정부는 예산안을 언제까지 국회에 내야 해?"
        # is still about the budget bill, whether or not that answer was found)
        # (what takes effect is a statute: "시행은 언제부터야?" after turns on a bill's article)
        statute = _statute_of([prior], probe, False) if _IN_FORCE.search(question) else ""
        # ("무슨 뜻이야?" after "쇼와 천황의 어릴 적 궁호는?": the meaning of the name answered)
        meant = _name_answered_for(prior) if _ASKS_MEANING.search(question) else ""
        topic = statute or meant or _answered_name(prior) or _carried_topic(prior) or _topic_of(previous, probe, question)
        # of a topic phrase, the words the question does not already say ("예산안이 의결되지
        # 못하면?" after "…예산안 국회는 …": 국회, not "예산안 국회 예산안이 …")
        topic = " ".join(w for w in topic.split() if not _says_word(question, w))
        topic = _owner_of(topic, question)
        if topic:
            return Interpretation("ellipsis", _prefix_topic(topic, question), prior, candidates=(question,))
    if prior.searched and not prior.abstained:
        placed = _asked_in_another_country(question, previous) or _placed_elsewhere(question, previous, probe)
        if placed is not None:
            return Interpretation("ellipsis", placed, prior, candidates=(question,))
    return Interpretation("new", question)


# "X도 그랬어요?", "X도 마찬가지야?", "X도 똑같아?": the previous question, of X
_SAME_AS = re.compile(r"^\s*(?:그럼|그러면|그리고)?\s*(?P<noun>[^?？\s][^?？]*?)\s*도\s*(?:그랬|그래|그런|마찬가지|똑같|같|"
                      r"알려|말해|궁금)[가-힣\s]{0,6}[?？.!]*\s*$")


def as_fragment(question: str, previous: str = "") -> str:
    """"X도 그랬어요?", "X도 마찬가지야?", "X도 알려줘" as the fragment "X도?", "What about X?" as "X는?"
    (what it asks), "그럼 새누리당 원내대표는 언제 했어?" after "김무성 한나라당 원내대표 언제
    했어?" as "새누리당 원내대표는?" (:func:`_asked_again_of`); else *question*."""
    from .followup import fragment_of

    same = _SAME_AS.match(question)
    short = f"{same.group('noun')}도?" if same else (_what_about_in_korean(question) or _asked_again_of(question, previous))
    return short if short and fragment_of(short) is not None else question


_AGAIN_OF = re.compile(r"^\s*(?:그럼|그러면)\s+(?P<noun>[^?？]+?)(?P<particle>은|는|도)\s+(?P<qword>언제|어디|누가|누구|몇|얼마|뭐|무엇)"
                       r"(?P<rest>[^?？]{0,12}?)\s*[?？.]*\s*$")


def _asked_again_of(question: str, previous: str) -> str:
    """"그럼 X는 <the previous question's question word>…?" where X ends in the word the previous
    question's subject ends in ("그럼 새누리당 원내대표는 언제 했어?" after "김무성 한나라당
    원내대표 언제 했어?"): the previous question asked of X, as the fragment "X는?"; else ""."""
    from .followup import replaced_by

    m = _AGAIN_OF.match(question)
    if m is None or not previous or m.group("qword") not in previous or not replaced_by(m.group("noun"), previous):
        return ""
    return f"{m.group('noun')}{m.group('particle')}?"


_COMPARE_ASPECT = re.compile(r"^\s*(?P<side>[^?]+?)(?:와|과|하고|이랑|랑)\s+(?P<aspect>[가-힣]+?)(?:을|를)\s*"
                             r"(?P<rest>(?:서로\s*)?(?:비교|대비)\S*)\s*[?？.!]*\s*$")


def _countries(text: str) -> set[str]:
    """The countries *text* names (UAE and 아랍에미리트 are one)."""
    from .question import places_in

    return places_in("country", text)


_THE_TWO = re.compile(r"(?<![가-힣])(?:이\s*|그\s*)?(두\s*(?:나라|국가|회사|기업|업체|법안|도시|제품|서비스|부대|사람)|둘|양국|양사)"
                      r"(?:의|을|를|은|는|이|가)?\s*")


def _the_two_of_the_conversation(question: str, priors: list[Prior]) -> str | None:
    """A comparison of "두 나라" / "둘" / "양국": the request naming the two countries the
    conversation asked about, latest two in their order ("일본과 한국의 재택근무를 비교해줘"),
    on what they were asked about; None when it did not ask about two."""
    m = _THE_TWO.search(question)
    if m is None:
        return None
    seen: list[str] = []
    topic = ""
    for p in reversed(priors):
        asked = p.searched or p.question
        places = sorted(_countries(asked), key=lambda c: asked.find(c) if c in asked else len(asked))
        for c in reversed(places):
            if c not in seen and len(seen) < 2:
                seen.insert(0, c)
        if not topic:
            words = [w for w in _content_nouns(asked) if w not in _GENERIC and not _countries(w) and len(w) >= 2]
            topic = " ".join(words[:2])
        if len(seen) == 2:
            break
    if len(seen) < 2:
        return _the_two_named(question, m, priors)
    rest = re.sub(r"^(을|를)\s*", "", question[m.end():].strip())
    mark = "을" if rest.startswith("비교") else "의"  # "…을 비교해줘", "…의 차이는?"
    last = f"{seen[1]}의 {topic}" if topic else seen[1]
    return f"{josa(seen[0], '과')} {josa(last, mark)} {rest}".strip()


def _the_two_named(question: str, m, priors: list[Prior]) -> str | None:
    """"둘이 비교해줘" after turns on two bills or two offices (not countries): the request
    naming the last two the conversation asked about, on what the first of them was asked
    ("국가공무원법 개정안과 교육공무원법 개정안의 육아휴직 나이를 비교해줘"); None when it did
    not ask about two such."""
    from .question import _STATUTE, roles_in

    seen: list[tuple[str, str]] = []  # (name, the question it was asked in)
    for p in reversed(priors[-3:]):
        asked = p.searched or p.question
        named = _STATUTE.search(asked)
        if named is not None:  # (the bill, when the statute is followed by it: "국가공무원법 개정안")
            name = named.group(0) + (" 개정안" if "개정안" in asked[named.end():named.end() + 4] else "")
        else:
            name = next(iter(sorted(roles_in(asked))), "")
        name = re.sub(r"\s*(?:은|는|이|가|의)$", "", name)
        if name and name not in (n for n, _ in seen):
            seen.insert(0, (name, asked))
        if len(seen) == 2:
            break
    if len(seen) < 2:
        return None
    (first, asked), (second, _) = seen
    words = [w for w in _content_nouns(asked) if w not in _GENERIC and w not in _NO_TOPIC and len(w) >= 2
             and w not in first and w not in second]
    topic = " ".join(words[:2])
    if not topic:
        return None
    return f"{josa(first, '과')} {second}의 {josa(topic, '을')} 비교해줘"


# "일본이랑 비교하면?", "대법원장이랑 비교해줘": one side named, the other what the conversation is on
_COMPARED_WITH = re.compile(r"^\s*(?:그럼|그러면|그리고)?\s*(?P<side>[가-힣A-Za-z0-9·]+?(?:\s+[가-힣A-Za-z0-9·]+?)?)"
                            r"(?:이랑|랑|하고|와|과)\s*(?:비교하면|비교해\s*(?:보면|봐|줘|주세요|줄래)|비교하면\s*어때)"
                            r"\s*(?:어때|어떄)?\s*[?？.!]*\s*$")


def _compared_with_the_topic(question: str, prior: Prior) -> str | None:
    """"일본이랑 비교하면?" after "중국 원격근무 현황은?": the two sides (what the previous
    question named of the side's kind: a country for a country, an office for an office, else
    its subject) on what it asked ("중국과 일본의 원격근무 현황을 비교해줘"); else None."""
    from .question import roles_in

    m = _COMPARED_WITH.match(question)
    if m is None or prior.intent in ("summary", "comparison"):
        return None  # (a summary or a table asked no question of one side to compare on)
    side = m.group("side")
    asked = re.sub(r"[?？.!]+\s*$", "", prior.searched or prior.question)
    if _countries(side):
        other = next((c for c in sorted(_countries(asked), key=asked.find) if c not in _countries(side)), "")
    elif roles_in(side):
        other = next((o for o in sorted(roles_in(asked)) if o not in roles_in(side)), "")
    else:
        other = _subject_of(asked)
    other = re.sub(r"(의|은|는|이|가)$", "", other or "").strip()
    if not other or other == side:
        return None
    # what was asked of the other side, in its own words ("원격근무 현황"), else its nouns
    phrase = re.sub(r"(?<![가-힣])(?:" + re.escape(other) + r"|앞으로|현재|지금)(?:의|은|는|이|가|에서는|에서)?(?:\s+|$)", "",
                    _matter_of(asked)).strip()
    words = [w for w in _content_nouns(asked) if w not in _GENERIC and w not in _NO_TOPIC and len(w) >= 2
             and w not in other and w not in side and not _countries(w) and not roles_in(w)
             and w not in ("요약", "정리", "설명", "비교")]
    topic = phrase if 2 <= len(phrase) <= 20 else " ".join(words[:3])
    return f"{josa(other, '과')} {side}의 {josa(topic, '을')} 비교해줘" if topic else f"{josa(other, '과')} {side}을 비교해줘"


def _compared_with_previous(question: str, prior: Prior) -> str | None:
    """A comparison naming one side and a side of things ("청해부대랑 임무를 비교해줘"): the
    request with the previous question's subject as the other side ("청해부대와 아랍에미리트의
    임무를 비교해줘"), or None."""
    m = _COMPARE_ASPECT.match(question)
    if not m or m.group("aspect") not in PROPERTIES | _GENERIC:
        return None
    side, aspect = m.group("side"), m.group("aspect")
    before = prior.searched or prior.question
    phrase = _matter_of(before) or _subject_of(before)  # "UAE 파견 부대의 임무": the owner of 임무
    words = [w for w in phrase.split() if w != aspect and w not in PROPERTIES]
    subject = re.sub(r"(의|은|는|이|가)$", "", " ".join(words)).strip()
    named = [w for w in subject.split() if _countries(w)]
    if len(named) == 1:
        subject = re.sub(r"(의|은|는|이|가)$", "", named[0])  # "UAE 파견 부대": the side is UAE's
    same_place = _countries(side) and _countries(side) == _countries(subject)
    if not subject or subject == side or side in subject or same_place:
        return None  # "UAE 부대랑 인원을 비교해줘" after a turn on 아랍에미리트: one side
    return f"{josa(side, '와')} {subject}의 {josa(aspect, '을')} {m.group('rest')}"


def _read_fragment(question: str, frag, prior: Prior, previous: str, probe: Probe | None,
                   embedder, series: bool = False) -> Interpretation:
    """The :class:`Interpretation` of a bare noun phrase (*frag*) after *previous*: a side of
    the same matter, the previous question asked of it, or a question of its own."""
    from .followup import complete_question, sibling_swapped
    from .question import places_in, roles_in

    named = _answered_name(prior) if frag.noun.split()[-1] in _SIDES_OF_A_THING and not frag.is_name else ""
    if named and named not in question and not series:
        # "관객 수는?" after "김태희가 처음 주연을 맡은 장편 영화는 뭐야?" (answered 《중천》): the
        # side of the thing the answer named, not the previous question with it in the place of
        # 영화 ("…주연을 맡은 관객 수는 뭐야?")
        # (a title as the answer wrote it, 《중천》: the documents mark it so, and so does retrieval)
        named = f"《{named}》" if f"《{named}》" in prior.answer else named
        return Interpretation("ellipsis", f"{josa(named, '의')} {question.strip()}", prior, candidates=(question,))
    own = set(_content_nouns(frag.noun)) - _GENERIC
    of_act = frag.noun.split()[-1] in _OF_ACTS
    from .followup import counterpart_in

    # (not a sibling of a word of it: "행정예고기간은?" after "…입법예고기간은 어떻게 바뀌어?")
    if own and (own <= set(_content_nouns(previous)) or of_act) and not frag.is_name and not frag.adverbial \
            and counterpart_in(frag.noun, previous) is None:
        # "사망 원인은?" after "…김봉환은 언제 사망했어?": nothing new but a side of the same
        # matter, asked of what the previous question was about ("공립학교는?" after "…몇 개
        # 학교에…" names 공립: not this case); so is what only an act has ("정족수는?" after
        # "국무위원 해임 건의는 누가 할 수 있어?": the 건의's, not in the place of 해임 건의)
        about = _named_head(_topic_noun_phrase(previous)) or _topic_of(previous, probe, question)
        if about and about not in question:
            # (an act's side follows it bare: Kiwi reads "건의의" as 건 + 의의)
            about = about if of_act else josa(about, "의")
            return Interpretation("ellipsis", f"{about} {question.strip()}", prior, candidates=(question,))
    if frag.noun.split()[0] in _MODIFIERS:
        # "관련 기업은?", "주요 사례는?": of the topic ("비대면 진료 관련 기업은?"), not in the
        # previous question's attribute slot ("…어떤 관련 기업에서 허용됐어?")
        from .question import lexicon

        about = _topic_of(previous, probe, question).split()
        while about and about[-1] in lexicon().topic_heads:
            about.pop()  # "원격근무 현황" → 원격근무: its cases, not its situation's
        if about:
            return Interpretation("ellipsis", f"{' '.join(about)} {question.strip()}", prior, candidates=(question,))
    titled = probe.titled if probe is not None else None
    if titled is not None and not frag.is_name and titled(frag.noun):
        frag = replace(frag, is_name=True)  # "싸움은?" where the documents write 《싸움》: a name
    completed = complete_question(question, [(previous, prior.answer)], embedder, titled)
    if completed == question:
        return Interpretation("new", question)
    if _one_of_the_named(frag, previous, prior):
        # "Hahow는?" after "대만 이러닝 시장에서 뜨는 스타트업 알려줘" answered "PaGamO, Hahow,
        # VoiceTube …": the list is what was asked; its item is asked about in its own right
        return Interpretation("ellipsis", question.strip(), prior, candidates=(completed,))
    # (one item of the list the answer gave for another is the same question, whatever else
    # the documents say of it)
    # (what a person or an office has, "박민수의 사인은?", "대통령의 임기는?": the fragment made
    # theirs, never a question of its own)
    # (…and another of the kind asked about, "행정절차법 개정안은?" after "하도급법 개정안은 …?")
    from .followup import _one_of_a_kind, _slots

    # (one word is of no kind: no need to read the previous question's slots again)
    kind_of = " " in frag.noun.strip() and _one_of_a_kind(frag, previous, _slots(previous)) == completed
    owner = re.fullmatch(r"(\S+)의 " + re.escape(question.strip()), completed)
    owned = owner is not None and (bool(roles_in(owner.group(1))) or (
        _person_like(owner.group(1)) and not places_in("country", owner.group(1)) and not places_in("place", owner.group(1))))
    if not series and not owned and not kind_of and sibling_swapped(frag.noun, previous, prior.answer) is None and \
            _stands_alone(question, frag, previous, probe, prior.answer):
        side = _side_of_what_was_said(question, frag, prior, probe)
        if side is not None:
            return Interpretation("ellipsis", side, prior, candidates=(question,))
        return Interpretation("new", question, candidates=(completed,))
    return Interpretation("ellipsis", completed, prior, candidates=(question,))


# a question asking which ones: "뜨는 스타트업 알려줘", "외국계는 어디야?", "뭐가 있어?"
_ASKS_NAMES = re.compile(r"(?<![가-힣])(어디|어느|누구|뭐|무엇|무슨|어떤)|알려\s*(?:줘|주세요|줄래)|(?:있어|있나요|있어요)\s*[?？]*\s*$")


def _one_of_the_named(frag, previous: str, prior: Prior) -> bool:
    """Whether *frag* is a name the previous answer gave among others and its question did not
    ask of (no country or place: "일본은?" after an answer on 한국 and 일본 asks the same of 일본)."""
    from .question import _key, lexicon

    if not frag.is_name or frag.adverbial or prior.abstained or re.search(r"\d", frag.noun):
        return False
    noun = frag.noun.strip()
    if _key(noun) in lexicon().name_of or noun in previous or not _ASKS_NAMES.search(previous):
        return False
    if any(lexicon().name_of.get(_key(n)) is None for n in _names(previous)):
        return False  # "YBM넷은?" after "알서포트 수익률은?": a sibling of the one asked of
    return _listed(noun, prior.answer)


def _listed(noun: str, said: str) -> bool:
    """Does *said* write *noun* as an item of a list: beside another name with a comma, 와/과 or ·?"""
    said = re.sub(r"\[\d+\]", " ", said)
    return bool(re.search(r"(?:[,·]\s*|(?:와|과)\s+)" + re.escape(noun) + r"|" + re.escape(noun) + r"(?:\s*[,·]|(?:와|과)\s)", said))


def _side_of_what_was_said(question: str, frag, prior: Prior, probe: Probe | None) -> str | None:
    """A noun phrase of words the previous answer just said, asked of what that answer was
    about: "공고 기간은?" after "헌법 개정은 누가 제안할 수 있어?" answered "제안된 헌법개정안은
    대통령이 20일 이상의 기간 이를 공고하여야 한다" is the 공고 기간 of 헌법 개정 — a person
    picks up words of the answer they just read; they name no topic of their own. (The words
    must all be in the answer: "재택근무 중 집중 근무 시간은?" after an answer on 줌 is new.)"""
    if frag.is_name or frag.adverbial or prior.abstained or not prior.answer:
        return None
    words = _own_words(frag.noun)
    said = re.sub(r"\[\d+\]", " ", prior.answer)
    # (a word ending a compound counts: "배달 앱" is said by "음식배달 앱" — a kind of 배달 —
    # but not one opening it: "감사원" by "감사원장", the head of 감사원, which is no 감사원)
    if not words or not all(ends_a_word(said, w) if len(w) >= 2 else _says_word(said, w) for w in words):
        return None
    if script_of_text(prior.asked) != "hangul":
        return None  # (an English question's topic is not in Korean words to search with)
    # (after a completed fragment, the topic it carried: "S8 배터리 용량은?" was about S8)
    topic = _carried_topic(prior) or _topic_of(prior.asked, probe, question)
    parts = (topic or "").split()
    cut = next((i for i, w in enumerate(parts) if i and any(o in w or w in o for o in words if len(o) >= 2)), None)
    if cut is not None:
        # "비현금 결제는?" after "베트남 현금 사용률은 얼마야?": what the phrase stands beside
        # (현금 사용률, a word of it shared) is not its topic; the subject before it is
        topic = " ".join(parts[:cut])
    if not topic or any(_says_word(question, w) for w in topic.split()):
        return None
    if not all(w in said for w in _content_nouns(topic)):
        return None  # what the answer was about, it says ("반대" of "반대로 배달 안 하는 곳은?" is not)
    return f"{topic} {question.strip()}"


_CONNECTIVE = re.compile(r"^\s*(그럼|그러면|그렇다면|그리고|또|그\s?외에?|and|what about|how about)\b", re.I)
# ("그건 뭘 위해서 주는 거야?": what it is for is why it is there)
_WHY_WORD = re.compile(r"(?<![가-힣])(왜|어째서|무엇\s*때문|뭐\s*때문|(?:뭘|뭐를|무엇을)\s*위해|이유|원인|근거(?!\s*자료))|"
                       r"\bwhy\b", re.I)
# "나머지" is the rest of what was just listed ("왜 나머지는 없어졌어?" after the one temple left)
_POINTING = re.compile(r"(?<![가-힣])(그게|그건|그것|그렇게|그런|이런|이렇게|저렇게|그래서|나머지)(?![가-힣]{2})|"
                       # "왜 그 숫자로 정한 거예요?": the figure the answer just gave
                       r"(?<![가-힣])(?:그|이)\s*(?:숫자|수치|기간|나이|날짜|금액|비율|인원|규모|액수)(?![가-힣]{2})")
# words a question may have without naming a topic of its own
_GENERIC = {"방안", "방법", "문제", "문제점", "이유", "원인", "전망", "현황", "영향", "대책", "사례", "특징", "장점", "단점",
            "해결책", "해결방안", "해법", "대안", "개선책", "개선방안", "한계", "과정", "배경", "목적", "성과", "반응",
            "계획", "효과", "결과", "과제", "의미", "내용", "예", "예시", "것", "거", "점", "때문", "정도", "수준", "규모",
            "어떤", "무엇", "뭐", "무슨", "얼마", "몇"}


# what an act has ("그 예외는?", "그 절차는?"): asked of the act the previous question was about
# (and the steps that decide on it: "그 의결은 어떻게 해?" after "국무총리의 해임은 누가 건의해?")
_OF_THE_ACT = {"예외", "조건", "요건", "절차", "기간", "기준", "제한", "한도", "대상", "범위", "방법", "방식",
               "의결", "표결", "투표", "심사", "승인", "동의", "공고", "처분"}


def _act_asked(question: str) -> str:
    """The act *question* asks about, as the noun its verb is made of ("체포" in "국회의원은
    회기 중에 체포될 수 있어?", "선출" in "대통령은 누가 선출해?"); "" when it asks of none."""
    from .tokenization import kiwi

    toks = list(kiwi().tokenize(question))
    acts = [t.form for t, nxt in zip(toks, toks[1:]) if t.tag == "NNG" and nxt.tag == "XSV" and len(t.form) >= 2]
    return acts[-1] if acts else ""


# generic words that ask nothing of their own (see _read_reference)
_SAYS_NOTHING = {"내용", "것", "거", "점", "어떤", "무엇", "뭐", "무슨", "얼마", "몇", "때문", "정도", "예", "예시"}


# what only a decision or an act has: asked of the whole act the previous question was about
_OF_ACTS = {"정족수", "의결정족수", "기한", "시한"}

# nouns a question uses to qualify what it asks for ("관련 산업은 뭐가 있어?")
_MODIFIERS = {"관련", "주요", "기타", "대표", "핵심", "최초"}

# a superlative opening a question with one noun asks for the top one of something unnamed
_SUPERLATIVE = re.compile(r"^\s*(그럼\s*)?(가장|제일)\s")

# nouns a question uses to say when, or what kind of answer it wants, not what it is about:
# "지금은 어떤 회사야?", "처음 만든 사람은?" have no topic of their own
_NO_TOPIC = {"지금", "현재", "처음", "요즘", "최근", "당시", "이후", "이전", "나중", "마지막", "사람", "회사", "기업",
             "곳", "장소", "나라", "이름", "단체", "기관", "때", "시기", "날",
             "프로그램", "작품", "제품", "상품",  # "대표 프로그램은?": the topic's, a kind of thing
             "앞", "향후", "미래", "장래", "앞날", "전망",  # "앞으로는 어떻게 될 것 같아?": the future of the topic
             "그동안", "애초", "원래", "예전", "여태", "지금껏",  # "왜 그동안 …?": since when, of the topic
             "이내", "이상", "이하", "미만", "초과", "정도", "가량", "내외"}  # "인원은 몇 명 이내야?": how much


NATIVE_FLOOR = 0.82  # e5 cosine (query prompt) of a name to its Korean form in the quoted passages (.84-.90 measured)
NATIVE_NEAR = 0.02  # a word of the best phrase this close stands for it (see _native_topic)
NATIVE_RARE = 0.01  # a one-word phrase used by at most this share of passages may be a name


def _across_languages(question: str, previous: str, prior: Prior, probe: Probe | None, embedder) -> str | None:
    """A Korean question without a topic of its own after a question in another language,
    completed with that question's topic as the documents write it, or None (a question of
    its own). A fragment ("회고록 제목은?") is asked of the topic ("알렉산더 헤이그의 회고록
    제목은?") when the documents name the two together; a predicate ("위원은 어떻게 구성돼?")
    when it lacks a topic (:func:`_lacks_topic`)."""
    from .followup import fragment_of

    frag = fragment_of(question)
    swapped = _swap_place(frag.noun, previous) if frag is not None else None
    if swapped is not None:
        return swapped  # "그럼 일본은?" after "How many companies in China …?": Japan in China's place
    from .crosslingual import korean_phrase

    topic = _topic_of(previous, probe, question)
    # (an English question names its topic in lower case too: "… to run for president?" → 대통령)
    in_words = not topic and frag is None and script_of_text(previous) == "latin"
    topic = topic or (korean_phrase(previous) if in_words else "")
    if not topic:
        return None
    native = _native_topic(topic, prior, probe, embedder)
    if frag is not None:
        if frag.is_name and not native:
            return None
        if probe is not None and not probe.together(native or topic, frag.noun):
            return None  # "통신비는?": nothing the documents say of the topic — its own question
        return f"{josa(native or topic, '의')} {question.strip()}"
    # (weighed against the previous question in the documents' words: "선거는 언제 치러?" after
    # "How old do you have to be to run for president?" pairs 선거 with 대통령)
    said = f"{native or topic} {korean_phrase(previous)}" if in_words else previous
    if _lacks_topic(question, said, probe, own_words=False):
        return _prefix_topic(native or topic, question)
    return None


def _in_another_language(question: str, prior: Prior, previous: str, probe: Probe | None,
                         embedder, priors: list[Prior] = ()) -> Interpretation:
    """A message in another language than the previous question: a new question, unless it
    has no topic of its own ("위원은 어떻게 구성돼?", "회고록 제목은?" after an English question
    about the election commission's members, about Alexander Haig), which it then takes in
    the documents' words, or asks "what about X?" of a country or place the lexicon names in
    Korean ("What about Taiwan?" after "베트남의 현금 사용률은?": that question, of 대만)."""
    from .followup import fragment_of, script_of

    if script_of(question) == "hangul" and not prior.abstained:
        switched = _across_languages(question, previous, prior, probe, embedder)
        if switched is not None:
            return Interpretation("ellipsis", switched, prior, candidates=(question,))
    if script_of(previous) != "hangul" or prior.abstained:
        return Interpretation("new", question)
    swapped = _asked_again_in_english(question, previous, prior)
    if swapped is not None:
        # "Where was he born?" after "쇼와 천황은 언제 태어났어?": the same question, for where
        return Interpretation("ellipsis", swapped, prior, candidates=(question,))
    what = _WHAT_ABOUT.match(question) or _AND_X.match(question)
    his = re.fullmatch(r"(?:his|her)\s+([a-z][a-z ]*?)", what.group(1).strip(), re.I) if what else None
    if his is not None:
        from .crosslingual import korean_phrase

        # "And his mother?" after "정성공은 나중에 청나라랑 어떻게 됐어?": the person's 어머니, not
        # the previous question asked of 어머니 ("정성공은 나중에 어머니랑 …")
        thing, person = korean_phrase(his.group(1), whole=True), _it_in_korean(previous, prior, probe, question)
        if thing and person:
            return Interpretation("reference", f"{josa(person, '의')} {josa(thing, '은')}?", prior, candidates=(question,))
    korean = _what_about_in_korean(question)
    if korean is not None and fragment_of(korean) is not None:  # (a name of three words may be none)
        got = _read_fragment(korean, fragment_of(korean), prior, previous, probe, embedder)
        if got.intent == "ellipsis":
            return replace(got, candidates=(question,))
    if _WHO_SAID_EN.match(question) or _WHERE_FROM_EN.match(question):
        # "Who said that?" / "Where's that figure from?": the Korean "그건 누가 말했어?" — of the
        # whole matter just answered
        ref = _resolve_reference("그건 누가 말했어?" if _WHO_SAID_EN.match(question) else "그 수치 어디서 나온 거야?",
                                 prior, probe)
        if ref is not None:
            return Interpretation("reference", ref, prior, candidates=(question,))
    # (or one that points back with "it/them/there" and names nothing: "Who covers the cost of
    # sending them?" after a question on the UAE deployment)
    # (a name is a capitalised word past the first; an acronym, "CEO", names nothing; a person
    # pronoun points back whatever else is named: "What song did Arsenal fans base his chant on?")
    pronoun = _REF_EN.search(question)
    # ("what about the finance sector? who's fighting for control there?": "there" is the
    # sector it just named, not the previous topic)
    named_first = _WHAT_ABOUT_THEN.match(question)
    points_back = bool(pronoun) and (not _names_en(question) or pronoun.group(1).lower() in _PERSON_HEADS) and \
        not (named_first and pronoun.start() > named_first.end(1))
    # (one that goes on with the conversation and names nothing of its own is asked of its topic)
    goes_on = bool(_GOES_ON_EN.search(question)) and not _names_en(question) and not _own_topic_en(question)
    # ("And the fine for …?" after turns on a bill: a side of the conversation's statute)
    and_of = bool(re.match(r"\s*and\s", question, re.I)) and not pronoun and not _names_en(question) and \
        not _own_topic_en(question) and not re.search(r"\b(?:after|before|since|until)\s+(?:that|this|then)\b", question, re.I)
    topic = (_it_in_korean(previous, prior, probe, question, priors) if points_back else "") or (
        _statute_of(list(priors) or [prior], probe, False) if and_of else "") or (
        _topic_of(previous, probe, question) if _asks_nothing_named(question) or points_back or goes_on else "")
    if topic and points_back and pronoun.group(1).lower() in ("it", "its", "they", "them", "their"):
        # "Which company makes it?" after "줌 하루 이용자는 …?": "it" is the thing (줌), not a figure of it
        # ("What ship do they operate?" after "청해부대 인원은 …?": the unit, not its personnel)
        topic = _without_sides(topic) or topic
    if topic:
        # "And how many companies?" after "중국에서 … 근무한 인원이 몇 명이야?": asked of the
        # same topic, in the documents' words (the English words still find their Korean ones)
        said = _REF_EN.search(question) if points_back else None
        if said is not None and " " in said.group(1):
            # "Who is the CEO of that company?": the phrase names its kind, so it stands for the
            # topic in place ("… of 알서포트?") — or for the word of that kind the conversation
            # used ("Who commands that unit …?": 국군부대, not the country it went to)
            topic = _called_so(said.group(1).split()[-1], topic, prior, priors, probe)
            asked = (question[:said.start()] + topic + question[said.end():]).strip()
            # (the Korean of what it asks, not of the phrase the topic stands for: "that company")
            rest = question[:said.start()] + " " + question[said.end():]
            return Interpretation("reference", _with_its_korean(asked, rest), prior, candidates=(question,))
        return Interpretation("reference" if points_back else "ellipsis",
                              _with_its_korean(f"{topic} {question.strip()}", question), prior, candidates=(question,))
    return Interpretation("new", question)


# an English question word and the Korean one that takes its place in a Korean question
# (not "how many": of people or of things, the English does not say which)
_EN_ASKS = re.compile(r"^\s*(?:and\s+|so\s+|then\s+)?(where|when|who)\b(.*)$", re.I)
_EN_ASKS_KO = {"where": "어디서", "when": "언제", "who": "누가"}
# English words that say nothing of what is asked: pronouns, auxiliaries, articles
_EN_FRAME = frozenset("""he she it they him her his its their them there then was were is are be been did do does
                         has have had will would can could the a an of in at on to from by for""".split())


def _asked_again_in_english(question: str, previous: str, prior: Prior) -> str | None:
    """*previous* (a Korean question) asked for another slot, when the English *question* is
    only a question word and words whose Korean *previous* already says ("Where was he born?"
    after "쇼와 천황은 언제 태어났어?" → "쇼와 천황은 어디서 태어났어?"); "What does it mean?"
    after a name was answered, that name's meaning ("미치노미야는 무슨 뜻이야?"); else None."""
    from .crosslingual import korean_terms

    if re.match(r"^\s*(?:and\s+|so\s+)?what\s+does\s+(?:it|that|this|the\s+name)\s+mean\s*[?？.!]*\s*$", question, re.I):
        name = _name_answered_for(prior)
        return f"{josa(name, '은')} 무슨 뜻이야?" if name else None
    m = _EN_ASKS.match(question.strip())
    if m is None:
        return None
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", m.group(2).lower()) if w not in _EN_FRAME]
    if not words or len(words) > 3:
        return None
    said = re.sub(r"\s+", "", previous)
    for w in words:
        terms = [re.sub(r"\s+", "", t) for t in korean_terms(w)]
        if not any(t in said or (len(t) >= 2 and t[:-1] in said and re.search(r"[가-힣]", t)) for t in terms):
            return None
    return _swap_question_word(_EN_ASKS_KO[m.group(1).lower()] + "?", previous)


def _acronym_in_korean(acronym: str) -> bool:
    """Does the glossary give *acronym* a Korean word the documents use instead (KOSDAQ: 코스닥),
    not the acronym itself among its words (UAE: the documents write "UAE")?"""
    from .crosslingual import korean_terms

    terms = korean_terms(acronym)
    return bool(terms) and acronym not in terms


def _called_so(kind: str, topic: str, prior: Prior, priors, probe: Probe | None) -> str:
    """What an English phrase of *kind* ("that unit", "the show") stands for: the work the
    turn was about, for a work; else the conversation's word of that kind ("Who commands that
    unit …?": 국군부대, not the country it went to); else *topic* as that kind."""
    # ("What does that company do?" after "링네트 수익률은 얼마야?": the company, not its figure)
    thing = (_without_sides(topic) or topic) if kind.lower() in _THINGS_EN else topic
    return (_work_of_the_turn(prior) if kind.lower() in _WORKS_EN else "") or \
        next((w for p in reversed(list(priors) or [prior]) if (w := _of_kind(kind, p, probe))), "") or \
        _topic_as_kind(thing, kind)


# what an English phrase may call a named thing ("that company"): the thing, never a figure of it
_THINGS_EN = frozenset({"company", "firm", "business", "service", "platform", "app", "country", "city", "person",
                        "agency", "committee", "program", "product"})


def _topic_as_kind(topic: str, kind: str) -> str:
    """*topic* as the *kind* of thing an English phrase calls it: "the market" after a question
    on "대만 음식배달 앱 사용률" is 대만 음식배달 앱 시장 (a market has no 사용률); else *topic*."""
    from .crosslingual import korean_phrase

    ko = korean_phrase(kind) if kind.lower() in ("market", "industry", "sector") else ""
    if not ko or topic.endswith(ko):
        return topic
    words = _without_sides(topic).split()
    while len(words) > 1 and re.search(r"(?:률|율|량|액)$", words[-1]):
        words.pop()  # a figure of it (사용률, 판매량): not what a market is
    return f"{' '.join(words)} {ko}"


def _own_topic_en(question: str) -> bool:
    """Does an English question name, in the documents' words, an office, a body, a place or
    a statute ("And how long is the President's term?": 대통령) — a topic of its own?"""
    from .crosslingual import korean_phrase

    return _own_topic_ko(korean_phrase(question))


def _own_topic_ko(question: str) -> bool:
    """Does a Korean question name an office, a body, a place or a statute (:func:`_own_topic_en`)?"""
    from .question import _STATUTE, places_in, roles_in

    return bool(roles_in(question) or places_in("country", question) or places_in("place", question)
                or _STATUTE.search(question) or _OWN_TOPIC_KO.search(question))


def _names_en(question: str) -> list[str]:
    """The names an English question uses: its runs of capitalised words past the first word
    that the glossary has no Korean for ("the National Assembly" is 국회, a body every Korean
    passage names, not a name of something new)."""
    from .crosslingual import korean_phrase

    runs = re.finditer(r"(?<!^)(?<![.?!]\s)\b[A-Z][a-z]+\w*(?:\s+[A-Z][a-z]+\w*)*", question.strip())
    return [r.group() for r in runs if not korean_phrase(r.group(), whole=True)]


def _with_its_korean(asked: str, question: str) -> str:
    """*asked* (an English question given its Korean topic) led by the Korean words of what
    the question asks that it does not say yet: "교육공무원법 Does it create any extra cost?" →
    "비용 교육공무원법 Does …" — the documents' word for it, which the words searched and shown
    then name. (Before the question: the question's own ending still says what kind of answer
    it wants, where a trailing 비용 would ask for an amount.)"""
    from .crosslingual import korean_phrase

    more = [w for w in korean_phrase(question).split() if w not in asked]
    return f"{' '.join(more)} {asked}" if more else asked


# "마니 어머니는 …", "정성공의 아버지는 …": whose relative a question asks about
_RELATIVE_OF = re.compile(r"\s*([가-힣]{2,4})(?:의)?\s+(?:" + "|".join(sorted(_RELATIONS)) + r")(?:은|는|이|가|의)?\s")


def _it_in_korean(previous: str, prior: Prior, probe: Probe | None, question: str = "",
                  earlier: Iterable[Prior] = ()) -> str:
    """What "it/they/that unit" of an English follow-up points at, when the conversation names
    it plainly: the statute it is about ("Does it create any extra cost?" after questions on
    교육공무원법 개정안), or the name the previous question starts its topic with and the noun
    after it ("How often do they rotate?" after "UAE 파견부대 주둔 시설이랑 훈련장은 …?":
    UAE 파견부대, not 훈련장); "" when neither."""
    from .question import _STATUTE, roles_in

    if re.search(r"\b(?:he|him|his|she|her)\b", question, re.I):
        # "How did he die?" after "예언자 마니는 어디서 태어났어?": the person the question was
        # about (마니), not a Latin word its answer wrote ("AD 226")
        from .tokenization import question_tokens

        # (the first name of a person the question used: "이방원이 지은 책은 …" is about 이방원,
        # though 책 is its topic)
        person = next((t.form for t in question_tokens(previous) if t.tag == "NNP" and _person_like(t.form)), "")
        # (the one a turn of the conversation made its subject, first: "올리비에 지루가 아스널로
        # 이적한 게 언제야?" — not the club a later question opened with)
        subjects = [toks[k].form for p in [previous, *[e.asked for e in reversed(list(earlier)[-6:])]]
                    for toks in [list(question_tokens(p or ""))] for k in range(len(toks) - 1)
                    if toks[k].tag == "NNP" and toks[k + 1].tag in ("JKS", "JX") and _person_like(toks[k].form)]
        person = subjects[0] if subjects else person
        # (or the one whose relative it asked about, as written: Kiwi reads "마니 어머니는" as 말+니)
        owner = _RELATIVE_OF.match(previous)
        if person or owner:
            return person or owner.group(1)
        words = _topic_noun_phrase(previous, subject=True).split()
        while len(words) > 1 and (words[-1] in _RELATIONS or words[-1] in PROPERTIES):
            words.pop()  # ("정성공 아버지는 누구야?" then "And his mother?": his is 정성공)
        return _named_head(" ".join(words)) if words else ""
    offices = [o for o in roles_in(previous) if o in previous]
    if re.search(r"\b(?:they|them|their)\b", question, re.I) and len(offices) == 1:
        # "Can they hold other positions?" after "국회의원은 국회에서 한 발언에 책임져?": the
        # office the question was about, not its rarest word (발언)
        return offices[0]
    statute = _STATUTE.search(previous) or _STATUTE.search(prior.searched or "")
    if statute is not None:
        return _statute_of([prior], probe, False) or statute.group(0)
    if re.search(r"(뭐지|뭐야|뭐였|무엇|어디|누구|이름)", previous) and not (
            "누구" in previous and re.search(r"\b(?:it|its)\b", question, re.I)):
        # (not after "누구": "Who stars in it?" after "라라랜드 감독은 누구야?" — "it" is no person)
        # "How much did its … increase?" after "…대만 온라인 강좌 플랫폼 뭐지" (Hahow): the name
        # the answer gave, which the question could not say
        said = [n for n in re.findall(r"(?<![A-Za-z])[A-Z][A-Za-z0-9]+", prior.answer) if n not in previous]
        if said:
            return said[0]
    named = re.match(r"\s*([A-Z][A-Za-z0-9]+|[가-힣A-Za-z0-9]*[A-Z]{2,}[A-Za-z0-9]*)\s+([가-힣]{2,})(?=\s)", previous)
    return f"{named.group(1)} {named.group(2)}" if named else ""


def _of_kind(kind: str, prior: Prior, probe: Probe | None = None) -> str:
    """The word of the previous turn that ends in *kind*'s Korean ("unit" → 부대: "국군부대"),
    its question's before its answer's and the passage that answer quoted; "" when none (or
    *kind* has no Korean)."""
    from .crosslingual import korean_terms

    texts = [prior.searched or prior.question, prior.answer]
    if probe is not None and prior.cited:
        texts += probe.passages(prior.quoted_chunks)
    for ko in korean_terms(kind)[:1]:
        for text in texts:
            # (with the name before it: "UAE 국군부대", not any 국군부대)
            found = re.findall(r"(?:[A-Z][A-Za-z0-9]*\s+)?[가-힣A-Za-z0-9]*" + re.escape(ko) + r"(?![가-힣])", text or "")
            # (the kind word alone names nothing: "that company" after "…개발 기업 알서포트 …" is
            # the company the question was about, not "기업")
            found = [f for f in found if f != ko]
            if found:
                return max(found, key=len)
    return ""


_WHERE_FROM_EN = re.compile(r"^\s*(?:and\s+)?where(?:'s|\s+is|\s+does|\s+did|\s+do)\s+(?:that|this|the|it|these|those)"
                            r"(?:\s+(?:figure|number|data|statistic|stat|estimate|survey|report)s?)?\s*(?:come\s+)?from"
                            r"\s*[?？.!]*\s*$", re.I)
_WHO_SAID_EN = re.compile(r"^\s*(?:and\s+)?(?:who|which\s+\w+)\s+(?:said|says|stated|reported|claimed|announced|estimated|"
                          r"published|released|compiled|produced)"
                          r"\s+(?:that|this|it|so|(?:those|these|the|that|this)\s+(?:figures?|numbers?|data|statistics|stats|"
                          r"estimates?|results?))\s*[?？.!]*\s*$", re.I)
# English words that name nothing a question could be about on their own: question words, a
# follow-up's connectives, pronouns and kinds of things or figures ("how many companies?")
_EN_UNNAMED = frozenset("""and so then also what which who whom whose when where why how many much long often
is are was were be been do does did done has have had can could will would should the a an of in on at for to by
from with about it its they them their there this that these those one ones number numbers share rate rates
percent percentage figure figures total amount size count companies company firms firm businesses people persons
users workers employees staff students schools year years time month months growth grow grew grown increase
increased rise rose fall fell drop dropped change changed big large high low per each more than hour hours day days
daily week weeks weekly monthly yearly annual annually minute minutes""".split())
# an English turn that goes on with the conversation: "And the ones that don't offer delivery?"
# (those of the matter just asked about), "what's the current localization rate, then?"
_GOES_ON_EN = re.compile(r"^\s*(?:and|but|so|what\s+about)\s+(?:the\s+ones|those|the\s+others?|the\s+rest)\b|"
                         r",?\s*\b(?:then|too|also|as\s+well)\s*[?？.!]*\s*$", re.I)
# what a question names of its own in the documents' words: an office, a body, a place, a statute
_OWN_TOPIC_KO = re.compile(r"국회|정부|법원|헌법재판소|위원회|감사원|헌법")


def _asks_nothing_named(question: str) -> bool:
    """Is an English message a follow-up with nothing of its own to be about ("And how many
    companies?", "How much did it grow?"): short, every word a question word, connective,
    pronoun or kind of figure (:data:`_EN_UNNAMED`)?"""
    words = re.findall(r"[A-Za-z]+", question)
    return 0 < len(words) <= 8 and all(w.lower() in _EN_UNNAMED for w in words)


_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?:the\s+)?(.+?)\s*[?？.!]*\s*$", re.I)


_AND_X = re.compile(r"^\s*and\s+(?:the\s+)?([^?？.!]+?)\s*[?？.!]*\s*$", re.I)
# "what about the finance sector? who's …": a thing named, then a question about it
_WHAT_ABOUT_THEN = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?:the\s+)?([^?？]+?)\s*[?？]\s*\S", re.I)


def _what_about_in_korean(question: str) -> str | None:
    """"What about Taiwan?" as the Korean fragment "대만은?" when the lexicon knows the
    country or place by that English name, else None."""
    from .question import _key, lexicon

    def in_korean(english: str) -> str | None:  # the lexicon's Korean name of a country or place
        found = lexicon().name_of.get(_key(english))
        if found is None:
            return None
        table = lexicon().countries if found[0] == "country" else lexicon().places
        return next((n for n in table.get(found[1], ()) if re.fullmatch(r"[가-힣]+", n)), None)

    m = _WHAT_ABOUT.match(question) or _AND_X.match(question)
    where = re.match(r"(?:in|at|during)\s+(?:the\s+)?(.+)$", m.group(1).strip(), re.I) if m else None
    if where is not None:
        # "And in December?", "What about in 2019?": the previous question asked then ("12월에는?")
        when = where.group(1).strip().rstrip("?").strip()
        from .crosslingual import MONTHS_EN

        if when.lower() in MONTHS_EN:
            return f"{MONTHS_EN.index(when.lower()) + 1}월에는?"
        if re.fullmatch(r"(?:19|20)\d{2}", when):
            return f"{when}년에는?"
        # "And in Korea?": the previous question asked there ("한국에서는?")
        korean = in_korean(where.group(1))
        return f"{korean}에서는?" if korean else None
    found = lexicon().name_of.get(_key(m.group(1))) if m else None
    if found is None:
        name = m.group(1).strip() if m else ""
        from .crosslingual import korean_phrase

        year = re.fullmatch(r"(.+?)\s+(?:for|in|of)\s+((?:19|20)\d{2})", name)
        if name and year and korean_phrase(year.group(1), whole=True):
            # "What about the budget for 2011?": "2011년 예산은?"
            return f"{year.group(2)}년 {josa(korean_phrase(year.group(1), whole=True), '은')}?"
        if name and (" " in name or not name[0].isupper()) and \
                all(_acronym_in_korean(a) for a in re.findall(r"\b[A-Z]{2,}\b", name)) and korean_phrase(name, whole=True):
            # "What about the term of office?", "What about the Prime Minister?": every word
            # has its Korean (임기, 국무총리) — asked as a Korean speaker would ("임기는?"); an
            # acronym the glossary does not know stays as the documents write it ("UAE 파견은?",
            # below), one it knows is Korean too ("KOSDAQ index": "코스닥 지수는?")
            return f"{josa(korean_phrase(name, whole=True), '은')}?"
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9.&'-]*(?:\s+[A-Za-z0-9.&'-]+){0,2}", name) or \
                any(w.lower() in _EN_UNNAMED for w in name.split()):
            return None
        from .crosslingual import korean_terms

        korean = korean_terms(name)
        if len(korean) == 1 and not name[0].isupper():
            return f"{josa(korean[0], '은')}?"  # "What about civil servants?": "공무원은?"
        from .crosslingual import korean_phrase

        if not name[0].isupper() and " " in name and korean_phrase(name, whole=True):
            return f"{josa(korean_phrase(name, whole=True), '은')}?"  # "And toilet paper sales?": "화장지 매출은?"
        head, _, rest = name.partition(" ")
        said = [korean_terms(w) for w in rest.split()]
        if head[0].isupper() and rest and rest == rest.lower() and all(said):
            # "What about the UAE deployment?": the name as written, the common nouns after it
            # in Korean ("UAE 파견은?"), as a Korean speaker would ask it
            return f"{josa(' '.join([head] + [t[0] for t in said]), '은')}?"
        if " " in name and all(korean_terms(w) for w in name.split()):
            # "What about Constitutional Court justices?": every word has its Korean (헌법재판소 재판관)
            return f"{josa(' '.join(korean), '은')}?"
        # "What about Microsoft?", "And FDI?": a name, as written ("Microsoft는?")
        return f"{josa(name, '은')}?" if name[0].isupper() else None
    korean = in_korean(m.group(1))
    return f"{josa(korean, '은')}?" if korean else None


def _swap_place(noun: str, previous: str) -> str | None:
    """*previous* (a question in another language) with the country or place it names replaced
    by *noun*'s name in that language, when *noun* is a country or place of the lexicon with
    such a name ("일본" → Japan in "How many companies in China …?"), else None."""
    from .question import _key, lexicon

    lex = lexicon()
    found = lex.name_of.get(_key(noun))
    if found is None:
        return None
    kind, canon = found
    table = lex.countries if kind == "country" else lex.places
    mine = next((n for n in table.get(canon, ()) if re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", n)), None)
    if mine is None:
        return None
    for other, names in list(lex.countries.items()) + list(lex.places.items()):
        if other == canon:
            continue
        for n in sorted((n for n in names if re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", n) and len(n) >= 3),
                        key=len, reverse=True):
            m = re.search(rf"\b{re.escape(n)}\b", previous)
            if m:
                return previous[:m.start()] + mine + previous[m.end():]
    return None


_PLACE_REF = re.compile(r"(?<![가-힣])(거기|그곳|그쪽|저기|그\s*(나라|국가|도시|지역|곳))")


_IN_COUNTRY = re.compile(r"^\s*(?:그럼\s*|그러면\s*)?([가-힣]{2,6}?)(?:에서는|에선|에서|은|는)\s+(.+)$")
_FIGURE_WORDS = {"몇", "배", "얼마", "얼마나", "퍼센트", "프로", "명", "개", "정도"}


def _asked_in_another_country(question: str, previous: str) -> str | None:
    """"대만에서는 몇 배 늘었어?" after "알서포트 … 사용이 일본에서 얼마나 늘었어?": the previous
    question, of 대만, with this one's predicate ("…사용이 대만에서 몇 배 늘었어?") — when the
    message names one country and nothing else of its own, and the previous question one
    other country it was asked in; else None."""
    from .question import places_in
    from .tokenization import question_tokens

    m = _IN_COUNTRY.match(question)
    if m is None or not places_in("country", m.group(1)):
        return None
    rest = [t.form for t in question_tokens(m.group(2)) if t.tag in ("NNG", "NNP", "SL", "SH", "XR", "NNB")]
    if any(w not in _FIGURE_WORDS and w not in _GENERIC for w in rest):
        return None
    theirs = [c for c in re.finditer(r"(?<![가-힣])([가-힣]{2,6})(?=에서|에선)", previous) if places_in("country", c.group(1))]
    if len(theirs) != 1 or theirs[0].group(1) == m.group(1) or theirs[0].start() == 0:
        return None  # (a previous question opening with its country is asked of it: another reading)
    return f"{previous[:theirs[0].start()]}{m.group(1)}에서 {m.group(2).strip()}"


def _placed_elsewhere(question: str, previous: str, probe: Probe | None, set_place: bool = True) -> str | None:
    """"미국에서는 어떤 문제가 있었어?" after "대만에서는 왜 줌을 금지했지?": a question naming
    only a country (as its setting) and general words asks the previous question's topic (줌)
    about that country — when the documents name the two together (and, with *set_place*,
    the previous question set a place of its own); else None."""
    from .question import places_in
    from .tokenization import question_tokens

    if probe is None or len(question) > 30:
        return None
    toks = list(question_tokens(question))
    nouns = [t.form for t in toks if t.tag in ("NNG", "NNP", "SL", "SH", "XR")]
    places = [n for n in nouns if places_in("country", n)]
    rest = [n for n in nouns if n not in places and n not in _GENERIC]
    if len(places) != 1 or rest:
        return None
    prev_toks = list(question_tokens(previous))
    # its nouns (a one-syllable one too: 줌), not a noun made a verb (금지 in 금지했지)
    topics = [t.form for k, t in enumerate(prev_toks) if t.tag in ("NNG", "NNP", "SL", "SH")
              and not (k + 1 < len(prev_toks) and prev_toks[k + 1].tag in ("XSV", "XSA"))
              and t.form not in _GENERIC and not places_in("country", t.form) and t.form not in question]
    topic = next((w for w in topics if probe.together(w, places[0])), None)
    if topic is None or set_place and not any(places_in("country", t.form) for t in prev_toks):
        return None  # the previous question set no place: this one changes the subject
    return _prefix_topic(topic, question)


def leans_on_document(question: str, prior: Prior, probe: Probe, doc_ids: list[str]) -> bool:
    """Does a short question with one topic word, read as a question of its own, use a word
    of the documents *prior* quoted ("본사는 어디야?" after an answer from the page on 캐나다
    태평양 철도, which names its 본사)? Names and two topic words make it its own."""
    word = lone_topic_word(question)
    return bool(word) and bool(doc_ids) and probe.in_documents(word, doc_ids)


def lone_topic_word(question: str) -> str:
    """The one topic word of a short question without names ("본사는 어디야?" → 본사), "" when
    it has none or more than one (two make a topic of its own)."""
    from .tokenization import question_tokens

    if len(question) > 30 or _names(question):
        return ""
    toks = list(question_tokens(question))
    words = [t.form for k, t in enumerate(toks) if t.tag in ("NNG", "XR") and t.form not in _GENERIC
             and t.form not in _NO_TOPIC and not (k + 1 < len(toks) and toks[k + 1].tag in ("XSV", "XSA"))]
    # (a compound written as one word is one word: 국민투표, which Kiwi reads as 국민 + 투표)
    joined = [question[a.start:b.start + b.len] for a, b in zip(toks, toks[1:])
              if a.tag == b.tag == "NNG" and a.start + a.len == b.start]
    if len(words) == 2 and len(joined) == 1 and joined[0] == "".join(words):
        return joined[0]
    return words[0] if len(words) == 1 and len(words[0]) >= 2 else ""


def _own_words(noun: str) -> list[str]:
    """The words of a noun phrase that could name a topic: not a general word (방안, 단점), a
    kind or time word (회사, 지금) or a qualifier (관련, 주요)."""
    return [w for w in _content_nouns(noun) if w not in _GENERIC and w not in _NO_TOPIC and w not in _MODIFIERS]


def _says_word(text: str, word: str) -> bool:
    """Does *text* have *word* at the start of one of its words ("예산안이" has 예산안; "완성됐어"
    has no 성)?"""
    return bool(re.search(rf"(?<![가-힣A-Za-z0-9]){re.escape(word)}", text))


def _carried_topic(prior: Prior) -> str:
    """The topic a completed turn carried, when what it asked of it was only a side of it
    ("남편은 누구야?" → "마리 앙투아네트 남편은 누구야?": the conversation is still about
    마리 앙투아네트, so "언제 처형됐어?" is asked of her, not of "마리 앙투아네트 남편"); else ""."""
    from .followup import fragment_of

    if prior.intent not in ("ellipsis", "reference") or not prior.question:
        return ""
    if prior.intent == "reference" and asks_source(prior.question) and prior.searched:
        # "그건 누가 밝혔어?" asked who stated the matter ("베트남의 온라인 교육 이용자"): the
        # conversation is still about that matter, not about its first word (베트남)
        return _matter_of(prior.searched)
    asked = prior.question.strip()
    at = prior.searched.find(asked)
    if at <= 0:
        return ""
    from .tokenization import question_tokens

    toks = list(question_tokens(asked))
    # (not a noun made an adjective, the predicate: 가능 of "연임은 가능해?"; a verb's noun
    # still counts, 구성 of "위원은 어떻게 구성돼?": a phrase asked of, not one side)
    said = {t.form for t, n in zip(toks, toks[1:]) if n.tag == "XSA"}
    own = [w for w in _content_nouns(asked) if w not in _GENERIC and w not in said]
    # ("대표 프로그램은?": a kind of thing, with a qualifier, is a side of the topic too)
    side = own and all(w in PROPERTIES or w in _RELATIONS or w in _NO_TOPIC or w in _MODIFIERS for w in own)
    if not side and (len(own) != 1 or fragment_of(asked) is not None):
        # one word asked something of ("소속사는 어디야?") or only sides of it: a side of the
        # topic, which stays (else "멤버는 몇 명이야?" asks of "방탄소년단 소속사"); a phrase of
        # its own ("관광객 피격 사건은 언제 있었어?") or a bare noun ("공무원은?": the previous
        # question asked of it) is the topic now
        return ""
    return re.sub(r"(은|는|의)$", "", prior.searched[:at].strip()).strip()


def _owner_of(topic: str, question: str) -> str:
    """*topic* without the side of it the previous question asked ("대통령 임기" → 대통령)
    when *question* asks another side (연임, 뽑는 방법) or names none of its own."""
    from .followup import TENURE

    words = topic.split()
    own = [w for w in _content_nouns(question) if w not in _NO_TOPIC]
    if not own or any(w in PROPERTIES or w in _GENERIC for w in own):
        while len(words) > 1 and words[-1] in TENURE:
            words.pop()
    return " ".join(words)


# a condition, not a topic: "체포할 때는 …", "없을 경우에는 …"
_WHEN_NOUNS = frozenset({"때", "경우", "동안", "사이", "즈음", "무렵"})


_OPENING_WORD = r"^\s*(?:그럼|그러면|그렇다면|그런데|근데|그리고)\s*,?\s+"


def _prefix_topic(topic: str, question: str) -> str:
    """*question* asked of *topic*: "위원은 어떻게 구성돼?" → "중앙선거관리위원회 위원은 …" (its
    first noun already the topic or subject: the two make one phrase); "정당에 가입할 수
    있어?" → "중앙선거관리위원회 위원은 정당에 …" (the topic marked as such)."""
    from .tokenization import question_tokens

    # (the word that opened the turn opens no phrase: "그럼 첫 영화는?" → "김민희의 첫 영화는?")
    q = re.sub(_OPENING_WORD, "", question).strip() or question.strip()
    toks = list(question_tokens(q))
    k = 0
    while k < len(toks) and toks[k].tag in ("NNG", "NNP", "XSN", "XPN", "SL", "SH", "SN"):
        k += 1
    if k and k < len(toks) and (toks[k].tag in ("JKS", "JKC") or (toks[k].tag == "JX" and toks[k].form in ("은", "는"))):
        return f"{topic} {q}"
    if re.search(r"[가-힣]$", topic) and any(t.tag == "JX" and t.form in ("은", "는") and j and
                                              toks[j - 1].tag in ("NNG", "NNP", "NNB", "SL", "SH") and
                                              toks[j - 1].form not in _WHEN_NOUNS
                                              for j, t in enumerate(toks)):
        # "대표적인 플랫폼은?": its own phrase is marked as the topic — the topic owns it
        # ("베트남의 대표적인 플랫폼은?", not "베트남은 대표적인 플랫폼은?")
        return f"{josa(topic, '의')} {q}"
    if re.search(r"[가-힣]$", topic):
        return f"{josa(topic, '은')} {q}"
    return f"{topic} {q}"


def _native_topic(topic: str, prior: Prior, probe: Probe | None, embedder) -> str:
    """*topic*, written in another script ("National Election Commission"), as the passages the
    previous answer quoted write it ("중앙선거관리위원회"): their name-like noun phrase (with a
    proper noun, a compound, or a word few passages use: never a common word such as 정부)
    closest in meaning — the multilingual encoder puts a name and its translation together —
    or "" when none is close."""
    import numpy as np

    from .tokenization import question_tokens

    if probe is None or embedder is None or not prior.cited:
        return ""
    phrases: list[str] = []
    for text in probe.passages(prior.quoted_chunks):
        for line in text.splitlines():
            for run in _runs(question_tokens(line), lambda t, _: t.tag in ("NNG", "NNP", "XSN", "XPN", "SL", "SH")):
                p = _span(line, run)
                # the run and each of its words: "국가공무원법 일부개정법률안" holds 국가공무원법
                words = [run] + (_split_run(line, run) if " " in p else [])
                for k, toks in enumerate(words):
                    # (the unit of an article or chapter number is no word of a name: "제3장 국회"
                    # is 국회, not "장 국회")
                    q = re.sub(r"^(장|절|관|편|조|항|호)\s+", "", _span(line, toks))
                    if len(q) >= 2 and re.search(r"[가-힣]", q) and q not in _GENERIC and \
                            ((k == 0 and _name_like(run)) or _name_like(toks) or probe.share(q) <= NATIVE_RARE):
                        phrases.append(q)
    phrases = list(dict.fromkeys(phrases))[:40]
    if not phrases:
        return ""
    # both sides with the query prompt: two short names, compared as equals
    V = np.stack([embedder.encode_query(x) for x in [topic] + phrases])
    sims = V[1:] @ V[0]
    j = int(sims.argmax())
    if float(sims[j]) < NATIVE_FLOOR:
        return ""
    # a word of the best phrase nearly as close names it as well and no more ("국가공무원법" of
    # "국가공무원법 일부개정법률안": the rest is what every bill's title says)
    words = [(float(v), p) for p, v in zip(phrases, sims) if p != phrases[j] and p in phrases[j].split()
             and v >= sims[j] - NATIVE_NEAR]
    return max(words)[1] if words else phrases[j]


def _name_like(run: list) -> bool:
    """Does a run of noun tokens name one thing: it holds a proper noun, or it is a compound
    ("국가공무원법", "선거관리위원회"), not one common word ("정부", "감소")?"""
    return any(t.tag in ("NNP", "SH") for t in run) or sum(1 for t in run if t.tag in ("NNG", "NNP")) >= 2


def _split_run(text: str, run: list) -> list[list]:
    """A run's tokens grouped by the space-separated words of *text* they fall in."""
    words: list[list] = []
    for t in run:
        if words and " " not in text[words[-1][-1].start + words[-1][-1].len: t.start]:
            words[-1].append(t)
        else:
            words.append([t])
    return words


def _runs(toks, keep: Callable) -> list[list]:
    """The maximal runs of consecutive tokens that *keep(token, run so far)* accepts: the
    noun phrases of a text, as Kiwi tokens."""
    runs: list[list] = []
    cur: list = []
    for t in toks:
        if keep(t, cur):
            cur.append(t)
            continue
        if cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _span(text: str, run: list) -> str:
    """The text a run of tokens covers, spaces between them included."""
    return text[run[0].start: run[-1].start + run[-1].len]


def _content_nouns(text: str) -> list[str]:
    from .tokenization import question_tokens

    return [t.form for t in question_tokens(text) if t.tag in ("NNG", "NNP", "SL", "SH", "XR")]


def _attribute_fragment(question: str) -> bool:
    """"사망 원인은?", "그 이유는 뭐였어?" with a noun before 원인/이유: a noun phrase asking for an
    attribute (completed like any fragment), not "why?" about the previous claim."""
    from .followup import fragment_of

    if _WHY_EN.match(question):
        return False  # "Why did he resign?": English words read as a name, asking why all the same
    frag = fragment_of(question)
    return frag is not None and len([n for n in _content_nouns(frag.noun) if n not in _GENERIC]) >= 1


# words a more-request uses for what it wants more of, naming nothing ("해적 얘기 좀 더 자세히요")
# (and "예외는 없어? 더 알려줘": the exceptions of the rule just quoted, which its text states next)
_MORE_OF = {"얘기", "이야기", "내용", "부분", "쪽", "관련", "절차", "설명", "다음", "예외", "단서"}


def _more_of_what_was_said(question: str, prior: "Prior", probe: Probe | None) -> bool:
    """Is *question* a more-request with words of its own ("해적 얘기 좀 더 자세히요", "소추되고
    나면 어떻게 돼? 좀 더 알려줘", "좀 더 구체적으로, 조문이 어떻게 바뀌는 건데?") whose words
    are all what the previous turn said (else "일본 얘기 좀 더 해줘" after China is a question
    of its own)?"""
    if not _MORE_WORD.search(question) or prior.abstained:
        return False
    cuts = [m.end() for m in re.finditer(r"[\s,.?!？]+", question.strip())]
    for k in cuts:
        head, tail = question[:k].strip(), question[k:].strip()
        for request, rest in ((tail, head), (head.rstrip(",. "), tail)):
            if request and rest and intent_of_form(request) == "more" and _MORE_WORD.search(request):
                nouns = [n for n in _content_nouns(rest) if n not in _GENERIC and n not in _MORE_OF]
                if _all_said(nouns, prior) or _about_previous(rest, prior, probe) or _THAT.search(rest):
                    return True
    return False


# "그걸로 계산하면 어떻게 되는지 좀 더 자세히": a more-request about what the answer just said
_THAT = re.compile(r"(?<![가-힣])(?:그걸|그거|그것)(?:로|으로|을|를|이|은|는|만)?(?![가-힣])")


_WHY_EN = re.compile(r"\s*(?:and\s+|but\s+|so\s+)?why\b", re.I)
# an English question ending on what it points at: "… like that?", "… so much?"
_POINTING_EN = re.compile(r"\b(?:like\s+(?:that|this)|that\s+way|this\s+way|so\s+(?:much|many|long|few|little|low|high|fast))"
                          r"\s*[?.!]*\s*$", re.I)


# "…하는 건 왜 그런 거야?": a why-question's own ending, pointing at its own clause, not back
_WHY_SO_END = re.compile(r"(?:건|것은|게)\s*왜\s*(?:그런|그렇)[가-힣\s]{0,8}[?？.!]*\s*$")


def _names_its_own(question: str, said: str) -> bool:
    """Does an English question name what the previous turn (*said*, squashed) did not: a
    year, or a word whose Korean it never used ("Why did she stop acting after 2006?" after
    "김희선은 어떻게 데뷔했어?": 2006, 연기)?"""
    from .crosslingual import korean_terms

    if any(y not in said for y in re.findall(r"\b(?:1[89]|20)\d{2}\b", question)):
        return True
    return any(t not in said for t in korean_terms(question) if len(t) >= 2)


def _all_said(nouns: list[str], prior: "Prior") -> bool:
    """Did the previous turn (its question as searched, its answer) say every one of *nouns* —
    a one-syllable noun as a word, not inside one (상 of "상도 받았어?" is not in 이상 or 대상)?"""
    told = f"{prior.searched} {prior.answer}"
    said = re.sub(r"\s+", "", told)
    return all(n in said if len(n) >= 2 else _says_word(told, n) for n in nouns)


def _about_previous(question: str, prior: "Prior", probe: Probe | None = None) -> bool:
    """Does a why-question ask about what the previous turn said (it points back, or names
    nothing the previous question and answer did not — or, having no topic of its own,
    nothing the passage the answer quoted did not)?"""
    own_clause = _WHY_SO_END.search(question)
    # (an opening "그래서 …" carries the conversation on: "그래서 UAE 파견 동의안은 헌법 몇 조에
    # 근거한 거야?" asks what it names, pointing at nothing)
    pointed = re.sub(r"^\s*그래서\s+(?=\S+\s)", "", question[:own_clause.start()] if own_clause else question)
    if _POINTING.search(pointed):
        return True
    words = re.findall(r"[A-Za-z']+", question)
    english_why = bool(_WHY_EN.match(question))
    said = re.sub(r"\s+", "", f"{prior.searched} {prior.answer}")
    if english_why and 0 < len(words) <= 7 and \
            not re.search(r"[가-힣]", question) and not any(w[0].isupper() for w in words[1:] if w != "I") and \
            not _names_its_own(question, said):
        return True  # "why only two weeks though?": a short English why, naming nothing of its own
    if english_why and _POINTING_EN.search(question):
        return True  # "Why shift the burden of proof like that?": what was just said, pointed at
    if any(y not in said for y in re.findall(r"(?<!\d)(?:1[0-9]|20)\d{2}(?=년|\D|$)", question)):
        return False  # "1992년에 왜 구속됐어?" after a turn on 1984: a year of its own, a question of its own
    nouns = [n for n in _content_nouns(question) if n not in _GENERIC and n not in _NO_TOPIC]
    if _all_said(nouns, prior):
        return True
    if re.search(r"[가-힣]", question) and len(question.strip()) <= 20 and not _topic_words(question):
        # "왜 실패했어?" after "…탈출은 곧 발각되었고 … 수포로 돌아갔고": a verb alone, naming
        # nothing — what was just told, in other words (it was glued to the topic: "마리
        # 앙투아네트는 왜 실패했어?" quoted her birth)
        return True
    if probe is None or not prior.cited or not nouns or not _lacks_topic(question, prior.asked, probe):
        return False  # "티베트 고원은 왜 건조해?": a topic of its own, a question of its own
    # "왜 흥행에 실패했어?" after the quote "…34만 명의 관객을 동원하는 데 그쳤다", whose passage
    # says "…모두 흥행에 실패했다": the reason for the claim just quoted
    read = re.sub(r"\s+", "", " ".join(probe.passages(prior.quoted_chunks)))
    return all(n in read for n in nouns)


SPECIFIC = 2  # a phrase in at most this many passages names a topic of its own
SETTING_SHARE = 0.5  # a name in more than this share of passages is what the documents are all about
EVERYWHERE = 0.3  # a word in this share of passages or more pairs with anything (코로나 in the report)


def _stands_alone(question: str, frag, previous: str, probe: Probe | None, said: str = "") -> bool:
    """Is a bare noun phrase with a particle a question of its own (see the module)? *said*
    is the previous answer."""
    from .question import roles_in

    if _CONNECTIVE.match(question) or frag.particle.startswith("도") or frag.is_name or frag.adverbial:
        return False  # "그럼 …", "X도?", a name, a year, a place or time: it leans on the previous
    from .followup import counterpart_in

    if counterpart_in(frag.noun, previous):
        return False  # "남자는?" after a question on 여자 교육공무원: the same of the other
    words = frag.noun.split()
    if len(words) >= 2 and words[-1] in PROPERTIES and roles_in(" ".join(words[:-1])) and words[-1] not in previous:
        # "감사원장 임기는?" after "감사원은 몇 명으로 구성돼?": an office's property, a whole
        # question of its own (after "대통령의 임기는?" it is the same question of another office)
        return True
    if words[-1] in PROPERTIES:
        return False  # "임명 절차는?", "회사 로고는?": a side of something, the previous topic
    office = roles_in(frag.noun)
    if office and roles_in(f"{previous} {said}") - office:
        return False  # "지방의회 의원은?" after a turn about 국회의원: the same question of another office
    from .followup import _a_body

    if _a_body(frag.noun) and _a_body(_subject_of(previous) or ""):
        return False  # "중앙선관위는?" after "헌법재판소는 규칙 만들 수 있어?": of another body
    words = _own_words(frag.noun)
    if not words or frag.noun.split()[-1] in _GENERIC:
        # "단점은?", "관련 기업은?", "해결 방안은?": a kind of thing, of the topic — nothing of
        # its own to be about
        return False
    if said and len(frag.noun) >= 2 and re.search(r"(?:량|률|율|액|고도|기온|온도|면적|인구|높이|길이)$", frag.noun) and \
            re.search(r"(?<![가-힣])" + re.escape(frag.noun) + r"(?:은|는)\s", said):
        # "산소량은?" after "커커시리의 최저 기온은?" answered "…산소량은 해수면 산소량의 60% …,
        # 최저 기온은 …": a measure of the matter the answer itself told of, as its own topic
        return False
    if probe is None:
        return len(words) >= 2
    n = probe.count(frag.noun)
    if len(words) >= 2 and n <= SPECIFIC:
        # "재택근무 중 집중 근무 시간은?": a phrase one passage is about (or none: then it is
        # still a question of its own, answered honestly that the documents do not say)
        return True
    subject = _subject_of(previous)
    others = [w for w in _content_nouns(previous) if w not in _GENERIC and w not in frag.noun][:4]
    for w in ([subject] if subject else []) + others:
        if probe.together(w, frag.noun):
            # the documents pair it with what was asked: "면적은?" after "서울의 인구는?",
            # "국회의원은?" after "대통령의 임기는?"
            return False
    # named by a passage or two (or none) and never with the previous topic: a topic of its own
    # (an uploaded note's "통신비" after a question about Vietnam's cash use; without the note,
    # an honest "not in the documents" about 통신비 beats a glued "베트남의 현금 통신비는?")
    return n <= SPECIFIC and not probe.common(frag.noun)


# where someone studied: "대학은 어디 나왔어?" asks it of the person the conversation is about
_SCHOOLING = frozenset({"대학", "대학교", "모교", "전공", "학교"})


def _lacks_topic(question: str, previous: str, probe: Probe | None, own_words: bool = True) -> bool:
    """Does a question with a predicate leave out what it is about ("언제부터 적용돼?", "위원은
    어떻게 구성돼?", "국회는 언제까지 의결해야 해?", "어떤 방안이 있어?")? Its topic words are
    its nouns that are not the predicate (적용 in 적용돼); it lacks a topic when it has none, or
    only general ones, or one word the documents pair with the previous question's topic. A
    compound ("스마트 과제는 몇 건 추진했어?"), two topic words or a name make a question of
    its own, and with *own_words* so does a word one passage or two are about ("원진재단")."""
    from .tokenization import question_tokens

    if len(question) > 30 or [n for n in _names(question) if not n.isdigit() and (probe is None or
                                                                                   probe.share(n) <= SETTING_SHARE)]:
        # (a name nearly every passage uses, 코로나, is the setting, not a topic of its own; a year
        # is when, not what: "1975년에는 뭐 했어?")
        return False
    toks = _joined_properties(list(question_tokens(question)))
    nounish = ("NNG", "XR", "XPN")
    # a noun made a verb (적용 in 적용돼) is the predicate; one made a modifier (대표적인,
    # 구체적인) or 관련 says what kind of thing is asked, not what it is about
    is_pred = [k + 1 < len(toks) and (toks[k + 1].tag in ("XSV", "XSA") or toks[k + 1].form == "적"
                                      and toks[k + 1].tag == "XSN") or toks[k].form in _MODIFIERS
               for k in range(len(toks))]
    if any(toks[k].tag in nounish and toks[k + 1].tag in nounish and not is_pred[k + 1] and not is_pred[k]
           and toks[k + 1].form not in PROPERTIES for k in range(len(toks) - 1)):
        return False  # a compound noun: a topic of its own (not "과세 대상": a side of one)
    # (a noun keeps its suffix: 선거+권 is 선거권, a word of its own, not 선거)
    # (what a question word picks, "어떤 언어를 배웠어?", is what is asked, not what it is about —
    # unless nothing else is marked as the topic: "감사원은 또 무슨 일을 해?" has its own)
    marked = any(t.tag in ("NNG", "NNP", "SL", "SH") and n.form in ("은", "는", "이", "가") and n.tag in ("JX", "JKS")
                 for t, n in zip(toks, toks[1:]))
    topic_words = [t.form + (toks[k + 1].form if k + 1 < len(toks) and toks[k + 1].tag == "XSN" else "")
                   for k, t in enumerate(toks) if t.tag in ("NNG", "XR") and not is_pred[k]
                   and t.form not in _GENERIC and t.form not in _NO_TOPIC
                   and (marked or not (k and toks[k - 1].form in ("어떤", "무슨", "어느")))]
    if not topic_words:
        return True  # "언제부터 적용돼?", "어떤 방안이 있어?", "무슨 상을 받았어?"
    from .followup import TENURE

    if len(topic_words) >= 2 and all(w in TENURE or w in PROPERTIES for w in topic_words):
        return True  # "연임 제한은 있어?": sides of what the conversation is about
    if len(topic_words) >= 2 or probe is None:
        return False
    word = topic_words[0]
    if _SUPERLATIVE.match(question):
        return True  # "가장 높은 봉우리는?": the highest of what the conversation is about
    if (word in PROPERTIES or word in _RELATIONS or word in _SCHOOLING) and word not in MARKET_FIGURES:
        # "본사는 어디야?", "아버지는 누구야?", "예산은 얼마래?": a side of someone or something,
        # the topic's, whether or not its page says it (a 주가 may be another company's: the
        # documents decide, below)
        return True
    from .question import roles_in

    if roles_in(word) and not roles_in(word) & roles_in(previous) and re.search(re.escape(word) + r"(은|는)\s", question):
        # "국무총리는 누가 임명해?" after a question on 대통령: an office, the topic of its own
        # question (not "대통령이 요구할 때는 …": a clause about the previous topic)
        return False
    if own_words and re.search(re.escape(word) + r"(은|는)\s", question) and not _says_word(previous, word) \
            and word not in PROPERTIES and not re.search(r"(관련|주요|기타)\s*" + re.escape(word), question) \
            and not probe.verbal(word) and not _event_of(word, previous, probe, question):
        # "예산안은 언제까지 제출해야 해?", "계엄은 누가 선포해?" after a question on 국회의원:
        # a thing, marked as what its own question is about, that the previous question did
        # not name — not an act done to the previous topic ("해제는 어떻게 요구해?" after a
        # question on 계엄: the documents write 해제하여야) nor a part of it ("위원은 …")
        return False
    if own_words and len(word) >= 3 and probe.count(word) <= SPECIFIC and probe.known(word):
        # a word one passage or two are about ("원진재단"): a topic of its own — unless the
        # previous question was in another language, whose topic this one cannot have named
        # in its own words ("발의자는 몇 명이야?" after a question on a bill asked in English)
        return False
    topic = _topic_of(previous, probe, question)
    pieces = [topic] + [w for w in _content_nouns(topic) if w not in _GENERIC] if topic else []
    # (after a question in another language a word is taken as a side of its topic — unless
    # it is a word of so many passages that it is the documents' setting: "지금까지 헌법이 몇
    # 번 개정됐어?" is about the Constitution, whatever the English question before it asked)
    return any(probe.together(p, word) for p in pieces if p and p != word) or (
        bool(topic) and script_of_text(previous) != "hangul" and probe.share(word) < EVERYWHERE)


def _joined_properties(toks: list) -> list:
    """*toks* with a side Kiwi cut in two (선두+주자) as the one word it is ("선두주자는 어디로
    나와?" asks the leader of the topic, not about a compound of its own)."""
    from .tokenization import Tok

    out: list = []
    for t in toks:
        out.append(t)
        # (a suffix too, and again with the word before: 공동+발의+자 is 공동발의자)
        while len(out) >= 2 and out[-2].tag == "NNG" and out[-1].tag in ("NNG", "XSN") and \
                out[-2].start + out[-2].len == out[-1].start and out[-2].form + out[-1].form in PROPERTIES:
            p, q = out[-2], out.pop()
            out[-1] = Tok(p.form + q.form, "NNG", p.start, p.len + q.len)
    return out


def _event_of(word: str, previous: str, probe: Probe, question: str) -> bool:
    """Is *word* something that happens to the previous question's office ("선거는 언제
    치러?" after "대통령 임기는 몇 년이야?": its election), as the documents write it right
    after the office ("대통령선거", "대통령의 선거")?"""
    from .question import roles_in

    offices = roles_in(previous)
    return any(probe.together(f"{o}{word}", word) or probe.together(f"{o}의 {word}", word) for o in offices)


def script_of_text(text: str) -> str:
    from .followup import script_of

    return script_of(text)


def _names(text: str) -> list[str]:
    """The names *text* writes: what Kiwi tags a name, a year, and a word it does not know
    at all (딜리버루, 포스아이씨티: its placeholder morphemes)."""
    from .tokenization import question_tokens

    # (Kiwi's own tokens keep their morpheme id; a determiner joined to a name is tagged NNP)
    return [t.form for t in question_tokens(text) if t.tag in ("NNP", "SL", "SH") or
            (t.tag == "SN" and len(t.form) == 4) or (t.tag == "NNG" and getattr(t, "id", _UNKNOWN_IDS) < _UNKNOWN_IDS)]


_TIME_WORD = re.compile(r"\d|(작년|지난해|올해|금년|내년|지난|이번)$")


def _topic_of(question: str, probe: Probe | None, asking: str = "") -> str:
    """What the previous *question* was about (see :func:`_topic_phrase_of`), without a
    general word it ends on ("청해부대 파견 연장 이유는?" is about 청해부대 파견 연장: a
    follow-up "비용은 얼마나 들어?" asks its cost, not the reason's)."""
    from .question import lexicon

    topic = _topic_phrase_of(question, probe, asking)
    words = topic.split()
    # a time the question asked at ends what it was about: "줌 하루 이용자 3월에 몇 명까지
    # 늘었어?" is about 줌 하루 이용자, not "줌 하루 이용자 3"
    cut = next((k for k, w in enumerate(words) if k and _TIME_WORD.match(w)), len(words))
    words = words[:cut]
    while len(words) > 1 and (words[-1] in _GENERIC or words[-1] in lexicon().topic_heads):
        words.pop()
    topic = " ".join(words)
    # a name Kiwi cut before its Latin part ("포스" of 포스ICT): the whole name as written
    whole = re.search(re.escape(topic) + r"[A-Za-z0-9]+", question) if topic else None
    return whole.group(0) if whole else topic


def _topic_phrase_of(question: str, probe: Probe | None, asking: str = "") -> str:
    """What the previous *question* was about, as a noun phrase to put before a new predicate
    (*asking*): its most specific noun phrase that *asking* does not already name — the rarest
    in the documents ("정부는 예산안을 언제까지 국회에 내야 해?" → 예산안, when the new question
    names 국회), for English the longest capitalised name ("National Election Commission")."""
    from .tokenization import question_tokens

    if script_of_text(question) == "latin":
        caps = re.findall(r"(?:[A-Z][\w-]+\s?)+", question)
        # a run may open with a capitalised function word ("In Korea", "The KOSDAQ"): not the name
        caps = [re.sub(r"^(?:In|On|At|For|From|The|A|An|By|Of|To|With|During|After|Before)\s+", "", c.strip())
                for c in caps]
        caps = [c for c in caps if c and c.split()[0].lower() not in ("how", "what", "who", "when", "where", "why",
                                                                       "which", "is", "are", "can", "does", "do",
                                                                       "in", "on", "at", "the")]
        return max(caps, key=len) if caps else ""
    toks = list(question_tokens(question))
    # what the question is about, in the order a reader would take it: a possessor ("금강산의"),
    # a name ("정도전은"), else its most specific noun phrase
    for k, t in enumerate(toks):
        if t.tag == "JKG" and k > 0:
            j = k - 1
            while j > 0 and toks[j - 1].tag in ("NNG", "NNP", "SL", "SH", "XPN", "XSN"):
                j -= 1
            owner = question[toks[j].start: t.start].strip()
            # (not a question word: "정도전은 누구의 문하생이야?" is about 정도전, not 누구)
            if owner and owner not in asking and owner not in _GENERIC and owner not in _QUESTION_OWNERS:
                return _owner_with_its_matter(question, toks, k, owner, asking)
            break
    names = [_glued_name(question, toks, k) for k, t in enumerate(toks)
             if t.tag in ("NNP", "SL", "SH") and len(t.form) >= 2 and t.form not in asking]
    if probe is not None:
        # a name most passages use ("코로나" in a report on the pandemic) is the setting, not a topic
        names = [n for n in names if probe.share(n) <= SETTING_SHARE]
    if names:
        # the phrase marked as the topic (은/는) when it is more specific than the name, which
        # is then only a setting: "코로나 이후 … 원격진료는 얼마나 성장했어?" is about 원격진료
        marked = _topic_noun_phrase(question)
        if marked and _WHO.search(question) and marked.startswith(names[0]) and len(marked.split()) == len(
                names[0].split()) + 1:
            # "라라랜드 감독은 누구야?": the director is what was asked, the film the topic
            return names[0]
        if marked and marked not in asking and marked not in _GENERIC and (
                names[0] in marked or (probe is not None and probe.share(marked) < probe.share(names[0]))):
            # …and the whole phrase when the name is part of it ("VNPT E-Learning 이용자")
            return marked
        return ("" if marked else _named_phrase(question, toks, names[0], asking)) or names[0]
    # a noun made a verb ("구성" in "구성돼", "설립" in "설립됐어") is the predicate, never the topic
    verbal = {id(toks[k]) for k in range(len(toks) - 1) if toks[k + 1].tag in ("XSV", "XSA")}
    for k in range(len(toks) - 2, -1, -1):
        # …and so is a noun glued to one ("대표" in "대표발의한": the act, not what was asked of)
        if id(toks[k + 1]) in verbal and toks[k].tag == "NNG" and toks[k].start + toks[k].len == toks[k + 1].start:
            verbal.add(id(toks[k]))
    phrases = [_span(question, r) for r in _runs(toks, lambda t, _: t.tag in ("NNG", "NNP", "SL", "SH", "XR", "SN",
                                                                          "XSN", "XPN") and id(t) not in verbal)]
    from .followup import _QUESTION_NOUNS

    # (nor a phrase of the question word: "며칠 안" of "…며칠 안에 공포해야 하나요?")
    phrases = [p for p in phrases if p not in _GENERIC and p not in ("필요", "가능", "중요") and len(p) >= 2
               and p not in asking and p not in _NO_TOPIC and not set(p.split()) & _QUESTION_NOUNS]
    if not phrases:
        return ""
    if probe is None:
        return max(phrases, key=len)
    lead = re.match(r"\s*(?:그럼|그러면|그리고)?\s*([가-힣]{2,})(?:은|는|이|가|을|를)\s", asking)
    if lead is not None and len(phrases) > 1 and lead.group(1) not in _GENERIC:
        # "조직은 어떻게 정해?" after "헌법재판소가 위헌결정을 하려면 …": the phrase the documents
        # write as the owner of what is asked ("헌법재판소의 조직"), not the rarest one (위헌결정)
        owners = [p for p in phrases if probe.count(f"{p}의 {lead.group(1)}")]
        if len(owners) == 1:
            return owners[0]
    return min(phrases, key=lambda p: (probe.share(p), -len(p)))


def _named_phrase(question: str, toks: list, name: str, asking: str) -> str:
    """The noun phrase *name* opens, when it goes on for two words or more and the question
    marks no topic ("금강산 신계사 복원 공사 언제 시작했어?" is about 신계사 복원 공사 of 금강산, and
    "언제 끝났어?" asks that of it, not of 금강산); else ""."""
    from .question import places_in

    start = question.find(name)
    if start < 0 or not re.search(r"[가-힣]", asking) or asking.isascii():
        return ""  # (an English follow-up names its kind itself: "that company" is the name alone)
    run = [t for t in toks if t.start >= start]
    k = 0
    while k < len(run) and run[k].tag in ("NNG", "NNP", "SL", "SH", "XSN", "XPN") and \
            (k == 0 or run[k].start - (run[k - 1].start + run[k - 1].len) <= 1) and \
            not (k and (places_in("country", run[k].form) or run[k].form in _WHEN_WORDS)):
        k += 1  # (a country after it is where, not what; "앞으로", "이후" when)
    if k < 3:
        return ""
    phrase = question[start: run[k - 1].start + run[k - 1].len]
    return phrase if phrase not in asking else ""


# (not 때 or 당시: "쇼와 천황 황태자 때 유럽 …" is what happened then, the phrase goes on)
_WHEN_WORDS = frozenset({"앞", "뒤", "전", "후", "이후", "이전", "중", "동안", "요즘", "최근", "현재", "지금", "향후",
                         "올해", "작년", "내년"})
_WHO = re.compile(r"(?<![가-힣])누구")
_QUESTION_OWNERS = frozenset({"누구", "무엇", "어디", "어느", "무슨", "어떤", "몇"})


def _glued_name(question: str, toks: list, k: int) -> str:
    """The name at token *k* with the nouns written against it ("스마트팩토리", which Kiwi reads
    스마트/NNG 팩토리/NNP): the word as written, not the piece Kiwi tagged a name."""
    nounish = ("NNG", "NNP", "SL", "SH")
    i = j = k
    while i > 0 and toks[i - 1].tag in nounish and toks[i - 1].start + toks[i - 1].len == toks[i].start:
        i -= 1
    while j + 1 < len(toks) and toks[j + 1].tag in nounish and toks[j].start + toks[j].len == toks[j + 1].start:
        j += 1
    return question[toks[i].start: toks[j].start + toks[j].len]


def _owner_with_its_matter(question: str, toks, k: int, owner: str, asking: str) -> str:
    """*owner* (the possessor at token *k*) with the matter a topic head is said of: "베트남의
    온라인 교육 현황은?" is about 베트남's 온라인 교육 (a later "대표적인 플랫폼은?" asks of that,
    not of Vietnam's video-conferencing platforms); else *owner*."""
    from .question import lexicon

    j = k + 1
    while j < len(toks) and toks[j].tag in ("NNG", "NNP", "SL", "SH") and toks[j].form not in lexicon().topic_heads:
        j += 1
    if j == k + 2 and j < len(toks) and toks[j].tag == "JX" and toks[j].form in ("은", "는") and \
            toks[k - 1].tag == "NNG" and _a_thing_of(owner, toks[k + 1].form, asking):
        # "신체의 자유는 어떻게 보장돼?" is about 신체의 자유 — one thing, named by a common noun
        # and what it owns — not about 신체 (a name, an office or a country owns what is asked)
        return f"{josa(owner, '의')} {toks[k + 1].form}"
    if j == k + 1 or j >= len(toks) or toks[j].form not in lexicon().topic_heads:
        return owner
    matter = question[toks[k + 1].start: toks[j - 1].start + toks[j - 1].len].strip()
    if not matter or matter in asking or any(w in PROPERTIES or w in _GENERIC for w in matter.split()):
        return owner
    return f"{josa(owner, '의')} {matter}"


def _a_thing_of(owner: str, noun: str, asking: str) -> bool:
    """Is "*owner*의 *noun*" one thing to carry to a question (*asking*) that names neither:
    a common-noun owner that is no office, place or country, and a noun that is no side or
    figure of it (임기, 규모, 현황 …)?"""
    from .followup import TENURE
    from .question import lexicon, places_in, roles_in

    return len(noun) >= 2 and noun not in PROPERTIES and noun not in _GENERIC and noun not in TENURE and \
        noun not in lexicon().topic_heads and noun not in asking and owner not in asking and \
        not roles_in(owner) and not places_in("country", owner) and not places_in("place", owner)


def _topic_noun_phrase(question: str, subject: bool = False) -> str:
    """The noun phrase the question is about, marked by 은/는 ("원진레이온 노동자 김봉환은 언제
    사망했어?" → "원진레이온 노동자 김봉환"), or ""; with *subject*, else the one marked by
    이/가 ("줌 하루 이용자가 얼마나 늘었어?" → "줌 하루 이용자")."""
    from .tokenization import question_tokens

    toks = list(question_tokens(question))
    marks = (("JX", ("은", "는")), ("JKS", ("이", "가"))) if subject else (("JX", ("은", "는")),)
    for k, t in ((k, t) for tag, forms in marks for k, t in enumerate(toks) if t.tag == tag and t.form in forms):
        if k > 0 and toks[k - 1].tag in ("NNG", "NNP", "SL", "SH", "XSN"):
            j = k - 1
            while j > 0 and (toks[j - 1].tag in ("NNG", "NNP", "SL", "SH", "SN", "XSN", "XPN") or (
                    toks[j - 1].tag == "SO" and toks[j - 1].start + toks[j - 1].len == toks[j].start)):
                j -= 1  # a hyphen inside a name ("E-Learning") does not end the phrase
            start = toks[j].start
            while start > 0 and not question[start - 1].isspace() and question[start - 1] not in "‘'\"“(《":
                start -= 1  # the whole word: "유연근무제" is 유연/XR + 근무제 to Kiwi
            return question[start: toks[k - 1].start + toks[k - 1].len].strip()
    return ""


def _named_head(phrase: str) -> str:
    """The name a descriptive phrase ends on ("원진레이온 노동자 김봉환" → 김봉환: the worker is
    named, what describes him only adds words to search), else the phrase."""
    from .tokenization import question_tokens

    toks = list(question_tokens(phrase)) if phrase else []
    k = len(toks)
    while k > 0 and toks[k - 1].tag == "NNP":
        k -= 1
    if 0 < k < len(toks) and toks[k - 1].tag == "NNG":
        return phrase[toks[k].start:].strip()
    return phrase


def _subject_of(question: str) -> str:
    from .followup import _slots

    s = _slots(question)
    return question[slice(*s.subject)].strip() if s.subject else ""


# -- references ------------------------------------------------------------------------------
def _resolve_said_thing(question: str, prior: Prior, probe: Probe | None, earlier) -> str | None:
    """The reading of "그 수치는 …?", "그건 누가 밝혔어?" and "그 법 …" (see
    :func:`_resolve_reference`), else None."""
    named = re.search(r"(?<![가-힣])그\s+([가-힣]{2,})\s+(?:수치|숫자|통계|자료|데이터|조사)", question)
    told = " ".join(p.answer for p in [*list(earlier)[-3:], prior])
    if named is not None and probe is not None and prior.cited:
        told += " ".join(probe.passages(prior.quoted_chunks))
    if named is not None and named.group(1) in re.sub(r"\s+", "", told):
        # "그 실업 통계는 누가 낸 거예요?": the statistic the answer told of, named by its own word
        return (question[:named.start()] + question[named.start(1):]).strip()
    said = _SAID_THING.search(question)
    if said is not None and not _REPORTED.search(question[said.end():]) and \
            re.match(r"(?:그|이)\s*(수치|숫자|통계|자료|데이터|조사)", said.group(0)):
        # "그 수치는 언제 집계한 거야?": the figure of the matter just asked about
        matter = _matter_of(prior.searched or prior.question) or _topic_of(prior.asked, probe, question)
        if matter:
            thing = said.group(0)[said.group(0).find(said.group(1)):]  # "수치는", its particle kept
            return (question[:said.start()] + f"{matter}의 {thing}" + question[said.end():]).strip()
    said = _pointing_at_source(question)
    if said is not None:
        # "그 수치 어디서 나온 거야?", "그건 누가 밝혔어?": where what the previous answer states
        # comes from, or who stated it — asked of the whole matter ("베트남의 온라인 교육 이용자
        # 증가"), not of the first thing the answer names (2월, 베트남)
        matter = _matter_of(prior.searched or prior.question)
        if matter:
            rest = re.sub(r"^(은|는|이|가|을|를)\s*", "", question[said.end():].strip())
            from .tokenization import question_tokens

            first = question_tokens(rest[:12])
            # "그거 출처가 어디야?": the matter's 출처 ("…시장의 출처가"); "그건 누가 밝혔어?": the
            # matter is the topic ("…시장은 누가 밝혔어?")
            of = bool(first) and first[0].tag in ("NNG", "NNP") and rest.startswith(first[0].form)
            return f"{josa(matter, '의' if of else '은')} {rest}".strip()
    law = _THAT_LAW.search(question)
    statute = _statute_of(list(earlier) or [prior], probe, law.group(1) != "법") if law else ""
    if statute:
        # "그 개정안에선 휴직기간도 바뀌어요?", "그 법 시행은 언제부터야?": the statute the
        # conversation is about, as the question or the quoted passage names it
        kind = law.group(1)
        # (a bill, "그 법안", amends the statute it names: "고등교육법 개정안", not the statute)
        said = f"{statute} 개정안" if kind in ("개정안", "법안", "법률안") else statute
        return (question[:law.start()] + said + question[law.end():]).strip()
    return None


# "첫 번째 거 DAU는?", "두 번째 회사는?", "마지막 거는?": one of the names the answer listed
_ORDINAL = re.compile(r"(?<![가-힣])(첫|두|세|네|다섯|마지막)\s*(?:번째)?\s*(거|것|회사|업체|기업|스타트업|플랫폼|서비스|앱|나라|곳)"
                      r"(?=은|는|이|가|을|를|의|도|\s|$)")
_ORDINALS = {"첫": 0, "두": 1, "세": 2, "네": 3, "다섯": 4, "마지막": -1}


def _resolve_ordinal(question: str, prior: Prior) -> str | None:
    """*question* with "첫 번째 거" replaced by the first name the previous answer listed
    ("PaGamO, Hahow, VoiceTube와 같은 …" → PaGamO), or None."""
    from .question import places_in

    m = _ORDINAL.search(question)
    if m is None:
        return None
    answer = re.sub(r"\[\d+\]", " ", prior.answer)
    # the listed names in order: the first run of words joined by commas ("PaGamO, Hahow,
    # VoiceTube와 같은 …"), the last one's particle dropped
    run = re.search(r"[^\s,]+(?:\s*,\s*[^\s,]+)+", answer)
    listed = [re.sub(r"(와|과|및|등|도|은|는|이|가)$", "", w.strip()) for w in run.group(0).split(",")] if run else []
    listed = [w for w in listed if w and not places_in("country", w) and not re.fullmatch(r"\d+", w)]
    k = _ORDINALS[m.group(1)]
    if len(listed) < 2 or k >= len(listed):
        return None
    return _put_in_place(question, m, m.group(2), listed[k])


def _resolve_it_by_its_turn(question: str, m, prior: Prior, probe: Probe | None, earlier) -> str | None:
    """"그건 …" that points at the statute of an unanswered last turn, or at what an English
    question asked (see :func:`_resolve_reference`), else None."""
    if m is None:
        return None
    last = list(earlier)[-1] if earlier else prior
    if m.group(2) in _IT and last is not prior:
        from .question import _STATUTE

        named = _STATUTE.search(last.searched or last.question)
        if named is not None:
            # "그건 누가 대표발의했어?" right after "결혼중개업법은?" went unanswered: that statute,
            # not what the last answered turn was about
            return _put_in_place(question, m, m.group(2), _statute_of([last], probe, False) or named.group(0))
    head = m.group(1) or m.group(2)
    event = _EVENT_ASKED.search(prior.asked) if head in _IT or head in ("거", "것") else None
    if event is not None:
        # "그거 누가 꾸민 사기였어?" after "마리 앙투아네트 목걸이 사건 언제 일어났어?": the event
        # asked about (목걸이 사건), not a name its answer gave in passing (부르봉 왕가)
        return _put_in_place(question, m, head, event.group(1))
    if (head in _IT or head in ("거", "것")) and not re.search(r"[가-힣]", prior.asked) and _matter_of(prior.asked):
        # "그거 출처가 어디야?" after an English question: what it asked about, in the documents'
        # words ("중국 온라인 교육 시장 …"), not its first English words
        return _put_in_place(question, m, head, _matter_of(prior.asked))
    return None


# an event a question asked when or where of ("…목걸이 사건 언제 일어났어?"): its name
_EVENT_ASKED = re.compile(r"((?:[가-힣A-Za-z0-9]+\s+)?[가-힣A-Za-z0-9]*(?:사건|사고|전쟁|혁명|운동|사태|참사|정변|의\s*난))"
                          r"(?:은|는|이|가)?\s+(?:언제|어디서|어디에서|몇\s*년)")


# "아까 그 회사 얘기로 돌아가서, …", "처음에 말한 그 제품은 …": a demonstrative pointing past
# the last turn, to one before it
_BACK = r"(?<![가-힣])(아까|앞서|앞에서|처음에|먼저)\s*(말한|얘기한|나온|물어본)?\s*"
_GOING_BACK = re.compile(_BACK + r"(?=그\s*[가-힣]|그거|그것)")


# "처음 말한 시장", "아까 얘기한 회사": the thing of that kind a turn before asked about
_FIRST_SAID = re.compile(r"(?<![가-힣])(?P<when>맨\s*처음|처음|아까|앞에서|먼저)\s*(?:에\s*)?(?:말한|얘기한|말했던|얘기했던|"
                         r"물어본|물어봤던|물었던)\s+(?P<noun>[가-힣]{2,6}?)(?=은|는|이|가|을|를|의|에서|도|\s|[?？]|$)")


def _resolve_first_said(question: str, priors: list[Prior]) -> str | None:
    """"그럼 처음 말한 시장은 이용자가 언제 급증했어?" after turns on 중국 원격진료 시장 and then
    온라인 교육: the phrase ending in that kind word that the first turn asking of one asked
    about ("중국 원격진료 시장"; "아까 말한 …": the latest turn before the last that did), in its
    place. None when the question says no such thing or no turn asked of one."""
    m = _FIRST_SAID.search(question)
    if m is None:
        return None
    noun = m.group("noun")
    turns = list(priors) if "처음" in m.group("when") else list(reversed(priors[:-1] or priors))
    for p in turns:
        said = re.search(r"(?:[가-힣A-Za-z0-9]+\s+){0,2}?[가-힣A-Za-z0-9]*" + re.escape(noun) +
                         r"(?=은|는|이|가|을|를|의|에|도|\s|[?？]|$)", p.question or p.asked or "")
        if said is not None and said.group(0) != noun:
            asked = question[:m.start()] + said.group(0) + _fix_particle(question[m.end():], said.group(0))
            return re.sub(r"^\s*(?:그럼|그러면|그리고|근데)\s+", "", asked).strip()
    return None


def _going_back(question: str, priors: list[Prior], probe: Probe | None) -> Interpretation | None:
    """A reference that says it goes back ("아까 그 회사 …") resolved against the answered turns
    before the last one, the latest first, the words that said so kept; None when it says no
    such thing or none of those turns has what it points at."""
    m = _GOING_BACK.search(question)
    if m is None or len(priors) < 2:
        return None
    for k in range(len(priors) - 2, -1, -1):
        earlier = priors[k]
        if earlier.abstained or not earlier.cited:
            continue
        ref = _resolve_reference(question, earlier, probe, priors[:k + 1])
        if ref is not None:
            # what it goes back to, then what it asks: "아까 알서포트 … 얘기로 돌아가서, 일본에서
            # …" searched as "알서포트 … 일본에서 …" (the going back is no word of the documents)
            ref = re.sub(_BACK, "", ref, count=1)
            ref = re.sub(r"\s*(얘기|이야기|내용|질문)(로|으로)\s*(다시\s*)?돌아가(서|면|자면)\s*[,，]?\s*", " ", ref)
            return Interpretation("reference", ref.strip(), earlier)
    return None


def _resolve_reference(question: str, prior: Prior, probe: Probe | None, earlier: list[Prior] = ()
                       ) -> str | None:
    """*question* with its demonstrative ("그 회사", "거기", "그걸") replaced by the entity of
    the previous turn it points at (or, for "그 회사", of the turns before it: *earlier*), or
    None when it has none."""
    got = _resolve_said_thing(question, prior, probe, earlier) or _resolve_ordinal(question, prior) or \
        _resolve_first_said(question, list(earlier) or [prior])
    if got is not None:
        return got
    m = _REF.search(question)
    got = _resolve_it_by_its_turn(question, m, prior, probe, earlier)
    if got is not None:
        return got
    if m is None:
        got = _resolve_that_noun(question, prior, probe)
        if got is not None:
            return got
    # (not in a Korean question: "러브 유어셀프 Her 앨범은?" names an album, not "her")
    english = None if m or re.search(r"[가-힣]", question) else _REF_EN.search(question)
    if m is None and english is None:
        return None
    head = (m.group(1) or m.group(2)) if m else english.group(1).lower()
    if head == "중":  # "그 중 가장 큰 건?": the set the previous question asked about
        if prior.intent in ("summary", "comparison"):
            # "그 중 온라인 교육 얘기는?" after "베트남 부분만 요약해줘": that part's, not the request's
            from .summary import _clean_label

            label = _clean_label(prior.question)
            if label:
                return f"{josa(label, '의')} {question[m.end():].strip()}".strip()
        asked = prior.asked
        if re.search(r"\b[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b", asked) and re.search(r"[가-힣]", asked):
            # (an English turn searched with its Korean words first, "임기 헌법재판소 재판관 How long
            # is their term": the set is those Korean words, less what was asked of them)
            topic = " ".join(w for w in re.findall(r"[가-힣]+", asked) if w not in PROPERTIES)
        else:
            topic = _topic_phrase(asked)  # (of a why/more turn, what it was about)
        return (question[:m.start()] + f"{topic} 중" + question[m.end():]).strip() if topic else None
    if m and head in _IT and _LAW_ACT.search(question[m.end():]):
        # "그건 언제부터 시행되는 거야?" after turns on a bill: what takes effect is the statute
        # the conversation is about (행정절차법), not a word of the last answer (행정청)
        statute = _statute_of(list(earlier) or [prior], probe, False)
        if statute:
            return _put_in_place(question, m, head, statute)
    named = _object_of_the_same_verb(question, m, prior.answer) if m and head in _IT else None
    if named is not None:
        # "돈 없어서 그걸 못 구하면?" after an answer saying "…스스로 변호인을 구할 수 없을
        # 때에는": what the answer has done the same thing to (변호인), not the question's words
        return _put_in_place(question, m, head, named)
    named = (_named_after_kind(head, prior.answer) or _asked_for_before(head, earlier)) if m and m.group(1) else None
    if named is not None:
        # "그 앱" after "…음식배달 앱 딜리버루 철수 사례…": the name the answer wrote after the word
        return _put_in_place(question, m, head, named)
    named = _that_kind_named(head, prior) if m and head in _KIND_HEADS else None
    if named is not None:
        # "그 산업" after an answer on Japan's "서비스 산업": the one of that kind it named
        return _put_in_place(question, m, head, named)
    if m and head in _LAW_HEADS:  # (with no statute in the conversation)
        return _the_act_named(question, m, head, prior)
    kind = ("place" if head in _PLACE_HEADS or head == "there" else "org" if head in _ORG_HEADS
            else "person" if head in _PERSON_HEADS else "thing")
    got = _there_the_one_named(question, m, english, head, prior)
    if got is not None:
        return got
    if head in ("거기", "저기", "그곳") and re.search(r"어디", prior.asked) and \
            re.match(r"(?:는|가|도|의|를|은|서는|서|에서는|에서)(?:\s|$)|\s+[가-힣]{1,4}(?:은|는|이|가)\s", question[m.end():]):
        # "거기는 원가를 얼마나 줄였어?" after "선두주자는 어디로 나와?" (포스ICT): "거기" with a
        # subject's particle (or 서: "거기서 …"), after a which-one question, is the one named — a
        # company as often as a place
        kind = "org"
    # "그거", "그것": "it"; "그 서비스", "그 앱": the product the question was about, as "it" is
    pronoun = bool(m and (m.group(2) or m.group(1) in ("것", "거", "서비스", "앱", "어플", "플랫폼", "제품", "프로그램")))
    cands = _kind_candidates(kind, prior, probe, question, earlier, pronoun=pronoun)
    if not cands:
        return None
    pick = _named_as_its_kind(head, kind, cands, prior) or _choose_referent(question, cands, kind, pronoun, prior, probe, m)
    if english is not None:
        return (question[:english.start()] + pick + question[english.end():]).strip()
    return _put_in_place(question, m, head, pick)


# what only a statute does: take effect, be promulgated, proposed, passed
_LAW_ACT = re.compile(_IN_FORCE.pattern + r"|공포(?:되|돼|하|해)|발의(?:되|돼|하|해|했)|통과(?:되|돼|하|해)")
# "그 법", "그 법안", "그 개정안", "이 법률": the statute the conversation is about
_THAT_LAW = re.compile(r"(?<![가-힣])(?:그|이|해당)\s*(법률안|법안|개정안|법률|법)(?=은|는|이|가|을|를|의|에|에서|도|\s|$)")


# the words "그 …" names a statute by (in _REF the longer first: "그 법안" is not 그 법 + 안)
_LAW_HEADS = frozenset({"법률안", "법률", "법안", "법"})


def _the_act_named(question: str, m, head: str, prior: Prior) -> str:
    """"그 법안은 어떤 내용이었어?" when the conversation names no statute (it became "책임정부안은
    …"): the act the answer named ("…반란손해조례를 통과하는 …"), else the one just talked of
    ("그 법률" after "…의결된 법률안은 …" is 법률)."""
    act = re.search(r"(?<![가-힣])([가-힣]{2,12}(?:조례|법안|법률안|법))(?=을|를|이|가|은|는|의|에|으로|로|\s)", prior.answer or "")
    return _put_in_place(question, m, head, act.group(1)) if act else (question[:m.start()] + question[m.start(1):]).strip()


# kind words whose members' names end in a syllable of their own: 비로봉 is a 봉우리, 표훈사 a 사찰
_KIND_ENDS = {"봉우리": "봉", "산봉우리": "봉", "사찰": "사", "폭포": "폭포"}


def _statute_of(priors: list[Prior], probe: Probe | None, bill: bool) -> str:
    """The statute the last turn's question names ("결혼중개업법", answered or not), else the
    one the last answered turn's question, answer or quoted passages name (their headings: a
    bill's title); "" when none does. A *bill* ("그 법안") is never the Constitution."""
    from .question import _NOT_STATUTES, _STATUTE

    texts = [priors[-1].searched or priors[-1].question] if priors else []
    prior = _last_answered(priors)
    if prior is not None:
        texts += [prior.searched or prior.question, prior.answer]
        if probe is not None and prior.cited:
            texts += probe.passages(prior.quoted_chunks)
    for text in texts:
        for m in _STATUTE.finditer(text or ""):
            if m.group(1) not in _NOT_STATUTES and not (bill and m.group(1).endswith("헌법")):
                return m.group(1)
    for text in texts:
        # else a bill's title, which names its statute in full: "결혼중개업의 관리에 관한 법률"
        titled = re.search(r"(?<![가-힣ㆍ·])([가-힣]+(?:의\s+[가-힣]+)?에\s+관한\s+법률)", text or "")
        if titled:
            return titled.group(1)
    return ""


def _resolve_that_noun(question: str, prior: Prior, probe: Probe | None) -> str | None:
    """"그 결과는?", "그 드라마로 받은 상은?", "그 도장 문화라는 게 뭔데?": 그 before a noun
    the kinds of :data:`_REF` do not cover, resolved; None when it is none of these."""
    g = _REF_ANY.search(question)
    noun, end = (_noun_at(question, g.start(1)) or (g.group(1), g.end())) if g is not None else ("", 0)
    if g is None or re.sub(r"(에는|엔|에)$", "", noun) in _NOT_REF:
        return None
    if g.group(1) != noun and g.group(1).startswith(noun) and g.group(1) in _GENERIC | _OF_THE_ACT:
        noun, end = g.group(1), g.end(1)  # (Kiwi reads "그 방안의" as 방 + 안)
    kind = _named_by_its_end(noun, prior.answer, particled=True, besides=prior.asked) if noun in _OF_THE_ACT else None
    if kind is not None:
        # "그 투표에서 통과하려면 …?" after an answer on what follows the 의결 ("…국민투표에
        # 붙여 …"): the one of that kind the answer named, not the 의결's 투표
        return (question[:g.start()] + kind + question[end:]).strip()
    if noun in _GENERIC or noun in _OF_THE_ACT:  # "그 결과는?": the result of what was just talked about
        asked = prior.asked
        topic = _topic_noun_phrase(asked) or _topic_of(asked, probe, question)
        act = _act_asked(asked) if noun in _OF_THE_ACT else ""
        done = re.search(r"(?:[가-힣]+\s+)?" + re.escape(act), asked) if act and noun == "처분" else None
        if done is not None:
            # "그 처분에 불복해서 …" after "국회의원 제명하려면 찬성이 얼마나 필요해?": the act
            # itself is the 처분 (국회의원 제명), not what it takes (찬성)
            topic = done.group(0).strip()
        elif topic and act and act not in topic:
            # "그 예외는 뭐야?" after "국회의원은 회기 중에 체포될 수 있어?": the exception to
            # the act asked of it (국회의원 체포의 예외), not one of 국회의원
            topic = f"{topic} {act}"
        if topic and topic.split()[-1].endswith(noun):
            # "그 문제로 …" after "…보안 문제는 없었어?": that very 문제, not "보안 문제의 문제"
            return (question[:g.start()] + topic + question[end:]).strip()
        return (question[:g.start()] + f"{josa(topic, '의')} {noun}" + question[end:]).strip() if topic else None
    work = _work_answered(noun, prior)
    if work:
        # "그 곡은 빌보드 핫 100에 몇 위로 들어갔어?" after "…함께 낸 곡은 뭐야?" answered
        # '…참여한 "MIC Drop"의 리믹스 버전을 …': the work the answer named
        return (question[:g.start()] + work + _fix_particle(question[end:], work)).strip()
    marked = _topic_noun_phrase(prior.asked)
    if marked and len(marked.split()) >= 2 and marked.split()[-1] == noun:
        # "그 사건 누가 꾸민 거야?" after "다이아몬드 목걸이 사건은 언제 일어났어?": that very 사건
        return (question[:g.start()] + marked + _fix_particle(question[end:], marked)).strip()
    # "그 드라마로 받은 상은?": the thing of that kind the previous turn named — the one it
    # calls by that noun ("드라마 《아이리스》"), else the first
    pick = _named_by_its_end(_KIND_ENDS[noun], prior.answer, particled=True, besides=prior.asked, shortest=1) \
        if noun in _KIND_ENDS else None
    if pick is not None:
        # "그 봉우리 높이는?" after "…금강산의 주봉인 비로봉과 …": the name of that kind (…봉),
        # not the first thing the answer named (주분서령); the question's own word (주봉) is not it
        return (question[:g.start()] + pick + _fix_particle(question[end:], pick)).strip()
    cands = _referents(prior, "thing")
    said = f"{prior.searched} {prior.answer}"
    said_so = _the_word_said(question, g, noun, prior, cands, said)
    if said_so is not None:
        return said_so
    two = re.match(r"([가-힣A-Za-z0-9]+\s+[가-힣A-Za-z0-9]+?)(?:이라는|라는|이란|란|은|는|이|가|을|를|의)?(?=\s|$|[?？])",
                   question[g.start(1):])
    if cands and _called(cands, noun, said) is None and (
            _named_as_such(noun, said) or (two is not None and _named_as_such(two.group(1), said))):
        # "그 도장 문화라는 게 뭔데?" after an answer naming ‘도장 문화’: that very thing
        return (question[:g.start()] + question[g.start(1):]).strip()
    # (the one the answer quotes as a name that ends in the noun: "그 문화" after an answer on
    # ‘도장 문화’ and "일중시 사회문화" is 도장 문화)
    quoted = [c for c in cands if c.endswith(noun) and c != noun and
              re.search(r"[‘'“\"]" + re.escape(c) + r"[’'”\"]", said)]
    named = quoted[0] if len(quoted) == 1 else _called(cands, noun, said) if cands else None
    ending = [c for c in cands if c.endswith(noun) and len(c) > len(noun) + 1]
    if named is None and len(ending) == 1:
        # "그 센터 밑에는?" after an answer naming 원진재단 and 원진노동자건강센터: the one whose
        # name ends in the word
        named = ending[0]
    if named is None:
        # "그 앱" after "…음식배달 앱 딜리버루 철수 사례…": the name written after the kind word
        named = _named_after_kind(noun, prior.answer) or _named_by_its_end(noun, prior.answer)
    if not cands and named is None:
        return None
    pick = named or cands[0]
    # the particle agrees with the name now before it ("그 당선자는" → "김대중은")
    return (question[:g.start()] + pick + _fix_particle(question[end:], pick)).strip()


def _the_word_said(question: str, g, noun: str, prior: Prior, cands: list[str], said: str) -> str | None:
    """"그 X" that is the word X the previous turn said itself, as *question* without 그; else None."""
    whole = g.group(1)
    if whole != noun and len(whole) >= 3 and (not cands or _called(cands, whole, said) is None) and \
            re.search(r"(?<![가-힣])" + re.escape(whole), prior.answer or ""):
        # "그 감사위원은 누가 임명해?" after "…11인 이하의 감사위원으로 구성한다": the word the
        # answer said, whole (Kiwi reads 감사 + 위원, and 감사 became 감사원: "감사원위원은")
        return (question[:g.start()] + question[g.start(1):]).strip()
    called = _called(cands, noun, said) if cands else None
    if noun.startswith(whole) and len(noun) >= 2 and (called is None or noun in called) and \
            re.search(r"(?<![가-힣])" + re.escape(noun) + r"(?=\s|은|는|이|가|을|를|의)", prior.asked) and \
            re.search(r"(?<![가-힣])" + re.escape(noun) + r"(?![가-힣])", prior.answer or ""):
        # "그 목걸이 가격이 얼마짜리였는데?" after "…목걸이 사건은 몇 년에 터졌어?" answered "…목걸이
        # 사건이 발생했다": the very thing both said, not the whole matter ("…목걸이 사건 가격이")
        return (question[:g.start()] + question[g.start(1):]).strip()
    return None


def _work_of_the_turn(prior: Prior) -> str:
    """The work the previous turn was about: the title its question marks ("김태희는 《아이리스》
    에서 …"), else the one its answer gave for a question asking for one ("…타이틀곡이 뭐야?");
    "" when neither."""
    asked = re.search(r"(" + "|".join(_WORK_KINDS) + r")(?:은|는|이|가)?\s*(?:뭐|무엇)", prior.question or "")
    answered = _work_answered(asked.group(1), prior, inside=True) if asked else ""
    marked = re.search(r"《[^《》]{1,40}》", prior.question or "")
    # ("《화양연화 pt.1》 타이틀곡이 뭐야?": the song is the one answered, not the album asked of)
    return answered or (marked.group() if marked else "")


def _work_answered(kind: str, prior: Prior, inside: bool = False) -> str:
    """The title the previous answer gave when its question asked for a work of *kind* ("…낸
    곡은 뭐야?"): the first it marks as a title (《…》) or quotes ("MIC Drop"); else ""."""
    # (*inside*: the kind word may end a longer one, 타이틀곡)
    if kind not in _WORK_KINDS or prior.abstained or \
            not re.search(("" if inside else "(?<![가-힣])") + rf"{kind}(?:은|는|이|가)?\s*(?:뭐|무엇)", prior.question or ""):
        return ""
    said = prior.answer or ""
    # (the one written right after the kind word first: "…의 타이틀곡 ‘I NEED U’로 …")
    m = re.search(kind + r"\s*(?:인\s*)?(?:《([^《》]{1,40})》|[\"“‘']([^\"“”‘’']{1,40})[\"”’'])", said) or \
        re.search(r"《([^《》]{1,40})》|[\"“]([^\"“”]{1,40})[\"”]", said)
    if m is None:
        return ""
    return f"《{m.group(1)}》" if m.group(1) else f'"{m.group(2)}"'


def _asked_for_before(kind: str, priors) -> str | None:
    """"그 플랫폼" after "대만 정부가 사용 금지한 화상회의 플랫폼은 뭐야?" (answered 줌) and a turn
    on something else: the name a turn asking for one of that kind was answered with, the
    latest such turn; None when no turn asked for one."""
    for p in reversed(list(priors)):
        asked = _WHICH_ONE.search(p.question or "")
        if asked is not None and asked.group(1) == kind and not p.abstained:
            # (or the word after the kind word that the answer glosses in Latin: "플랫폼 줌(Zoom)")
            glossed = re.search(re.escape(kind) + r"\s+([가-힣A-Za-z0-9]+)\s*\([A-Za-z][^()]*\)", p.answer or "")
            return _answered_name(p) or (glossed.group(1) if glossed else None)
    return None


# "…플랫폼 이름이 뭐였지?", "어떤 회사야?", "…만드는 곳은?": a question for the name of one of a kind
_NAME_OF_KIND = re.compile(r"([가-힣]{1,6})\s*(?:이름|명칭)(?:이|은)?\s*(?:뭐|무엇)|(?:어떤|무슨|어느)\s*([가-힣]{1,6}?)(?:이|가|야|예요|인가요|\s|$)|"
                           r"([가-힣]{1,6}?)(?:은|는|이|가)\s*(?:뭐|무엇|어디)|(?<=[는은한운된])\s+(곳|데|업체|회사|기업)(?:은|는|이|가)?\s*[?？]*$")
# what a place word may stand for in a name the answer gives: the kinds of firm
_FIRMS = ("기업", "회사", "업체")


def _there_the_one_named(question: str, m, english, head: str, prior: Prior) -> str | None:
    """*question* with "거기" ("that company", "there") replaced by the one the previous answer
    named of the kind its question asked the name of ("거기 코로나 이후로 뭐가 늘었어?" after
    "…강좌 플랫폼 이름이 뭐였지?" answered "…플랫폼인 Hahow도 …": Hahow, not the country;
    "Who runs that company?" after "…플랫폼 이름이 뭐야?"), or None."""
    there = head in ("거기", "저기", "그곳") or re.fullmatch(r"there|(?:that|this|the) (?:company|firm|business|agency)", head)
    named = _named_of_the_kind_asked(prior) if there else None
    if named is None:
        return None
    if english is not None:
        return (question[:english.start()] + named + question[english.end():]).strip()
    return _put_in_place(question, m, head, named)


def _named_of_the_kind_asked(prior: Prior) -> str | None:
    """The name the previous answer gave for the kind of thing its question asked the name of
    ("플랫폼인 Hahow", "…개발 기업 알서포트(131370)" for "…만드는 곳은?"), or None: what "거기"
    points at after such an answer, before any place."""
    from .question import places_in

    m = _NAME_OF_KIND.search(prior.asked or "")
    if m is None or prior.abstained:
        return None
    kind = next(g for g in m.groups() if g)
    if places_in("country", kind) or kind in ("나라", "국가", "도시", "지역", "사람", "누구"):
        return None
    for k in (kind,) + (_FIRMS if kind in ("곳", "데") + _FIRMS else ()):
        named = _named_after_kind(k, prior.answer)
        if named is not None:
            return named
    return None


def _named_after_kind(kind: str, said: str) -> str | None:
    """The one name *said* writes right after the kind word *kind* ("앱 딜리버루", "플랫폼
    VnEdu"): a word Kiwi tags a name or does not know at all (its placeholder morphemes), so
    never "앱 사용률"; None when there is none, or several."""
    from .tokenization import kiwi

    toks = list(kiwi().tokenize(re.sub(r"\[\d+\]", " ", said or "")))
    # (the word right after, or after "…인": "플랫폼인 VnEdu를")
    after = [(k, k + 1) for k in range(len(toks) - 1)] + [
        (k, k + 3) for k in range(len(toks) - 3) if toks[k + 1].tag == "VCP" and toks[k + 2].tag == "ETM"]
    # (or past the quote mark it is written in: "타이틀곡 ‘I NEED U’로")
    after += [(k, k + 2) for k in range(len(toks) - 2) if toks[k + 1].tag == "SSO"]
    found = {toks[j].form for k, j in after
             if toks[k].form == kind and toks[j].start > toks[k].start + toks[k].len
             and (toks[j].tag in ("NNP", "SL") or toks[j].tag == "NNG" and toks[j].id < _UNKNOWN_IDS)}
    if len(found) == 1 and (quoted := re.search(re.escape(kind) + r"\s*[‘'“\"]([^’'”\"]{2,30})[’'”\"]", said)):
        return quoted.group(1).strip()  # the whole title, of several words
    return found.pop() if len(found) == 1 else None


def _named_before_kind(kind: str, said: str) -> str | None:
    """The one name *said* writes right before the kind word *kind*, its gloss between them
    or not ("프티 트리아농 궁전", "커커시리(Kekexili) 지역"): the name with its kind; None when
    there is none, or several."""
    from .tokenization import kiwi

    text = re.sub(r"\[\d+\]", " ", said or "")
    toks = list(kiwi().tokenize(text))
    found = set()
    for k, t in enumerate(toks):
        if t.form != kind or k == 0:
            continue
        j = k - 1
        if toks[j].tag == "SSC":  # past the gloss: "커커시리(Kekexili) 지역"
            while j > 0 and toks[j].tag != "SSO":
                j -= 1
            j -= 1
        first = j
        while first >= 0 and (toks[first].tag in ("NNP", "SL") or
                              toks[first].tag == "NNG" and toks[first].id < _UNKNOWN_IDS):
            first -= 1
        if first < j:
            found.add(f"{text[toks[first + 1].start:toks[j].start + toks[j].len]} {kind}")
    if not found:
        # a foreign name Kiwi cuts into common words ("프티 트리아농" → 프 + 티 + 트리 + …): the
        # bare words right before the kind word, back to one that carries a particle or ending
        for m in re.finditer(r"(?<![가-힣A-Za-z0-9])((?:[가-힣A-Za-z]+\s+){1,3})" + re.escape(kind) +
                             r"(?:을|를|이|가|은|는|의|에|에서|으로|로|과|와|도)?(?![가-힣])", text):
            kept: list[str] = []
            for w in reversed(m.group(1).split()):
                toks_w = kiwi().tokenize(w)
                # (a word Kiwi reads whole, or as known words of two syllables, is no such name:
                # "글로벌 화상회의 플랫폼" names a kind, not one platform)
                if not all(t.tag.startswith(("NN", "SL")) for t in toks_w) or not any(
                        t.tag in ("NNP", "SL") or len(t.form) == 1 or t.id < _UNKNOWN_IDS for t in toks_w):
                    break
                kept.insert(0, w)
            if len("".join(kept)) >= 3:
                found.add(f"{' '.join(kept)} {kind}")
    return found.pop() if len(found) == 1 else None


def _named_by_its_end(kind: str, said: str, particled: bool = False, besides: str = "",
                      shortest: int = 2) -> str | None:
    """The one word *said* writes ending in the kind word *kind* (or its 학교 form) and longer
    than it ("그 대학" after an answer naming 서울대학교): None when there is none, or several.
    *particled*: the word may carry a particle ("국민투표에"); *besides*: words it uses (the
    question's) are not it; *shortest*: the shortest *kind* that names one (a syllable, 봉 of
    비로봉, only where the kind word is mapped to it: :data:`_KIND_ENDS`)."""
    tail = r"(?=[가-힣]{0,2}(?:[\s,.]|$))" if particled else r"(?![가-힣])"
    words = {m.group(1) for m in re.finditer(r"([가-힣]+" + re.escape(kind) + r"(?:교)?)" + tail,
                                             re.sub(r"\[\d+\]", " ", said or ""))}
    words = {w for w in words if w not in re.sub(r"\s+", "", besides)} if besides else words
    return words.pop() if len(words) == 1 and len(kind) >= shortest else None


# "대표적인 플랫폼은 뭐야?", "선두주자는 어디야?": a question for the name of a kind of thing
_WHICH_ONE = re.compile(r"([가-힣]{2,}?)(?:은|는|이|가)?\s*(?:뭐|무엇|어디|누구)")


def _asked_kind(question: str) -> str:
    """The kind of thing *question* asks the name of ("대표적인 플랫폼은 뭐야?" → 플랫폼, "외딴
    지역 이름이 뭐야?" → 지역), or ""."""
    m = _WHICH_ONE.search(question or "")
    if m is None:
        # ("어떤 드라마로 얼굴 알렸어?": which 드라마)
        which = re.search(r"(?<![가-힣])(?:어떤|어느|무슨)\s+([가-힣]{2,}?)(?:로|으로|에서|에|을|를|이|가)?\s", question or "")
        return which.group(1) if which else ""
    if m.group(1) in ("이름", "명칭"):  # "플랫폼 이름은 뭐야?": the name of a 플랫폼
        before = re.search(r"([가-힣]{2,})\s*$", question[:m.start()])
        return before.group(1) if before else m.group(1)
    return m.group(1)


def _answered_name(prior: Prior) -> str:
    """The name the previous turn's answer gave for the kind of thing its question asked
    ("VnEdu" after "그 나라에서 대표적인 플랫폼은 뭐야?", answered "…온라인 교육 플랫폼인
    VnEdu를 …"): the conversation is about it now ("몇 개 학교에 배포했어?"); else ""."""
    kind = _asked_kind(prior.question)
    if not kind or prior.abstained or prior.intent not in ("new", "reference", "ellipsis"):
        return ""
    named = _named_after_kind(kind, prior.answer) or _named_before_kind(kind, prior.answer)
    if named is None and kind in _WORK_KINDS:
        # "…받은 드라마가 뭐야?" answered "2003년에는 《천국의 계단》에서 … 이 드라마로 …": the title
        # of the sentence that calls it by that kind (else of the first that writes one)
        sentences = [x for x in re.split(r"(?<=[.!?])\s+|\[\d+\]", prior.answer) if "《" in x]
        said = [x for x in sentences if re.search(r"(?<![가-힣])(?:이|그)\s*" + kind, x)] or sentences
        named = re.search(r"《([^》]{1,40})》", said[0]).group(1) if said else None
    return named or ""


# what a thing is, asked of "그게"/"그건": "그게 뭔데?", "그건 뭐야?", "그게 어떤 거야?"
_WHAT_IT_IS = re.compile(r"\s*(?:뭔데|뭐야|뭐예요|뭔가요|뭐지|뭐에요|무엇이야|무엇인가요|어떤\s*거야|어떤\s*건데|무슨\s*뜻이야)"
                         r"(?:요)?\s*[?？.]*\s*$")
# a question for what a word means: "무슨 뜻이야?", "의미가 뭐야?"
_ASKS_MEANING = re.compile(r"(?:무슨|어떤)\s*(?:뜻|의미)|(?:뜻|의미)(?:은|는|이|가)?\s*(?:뭐|무엇)")


def _name_answered_for(prior: Prior) -> str:
    """The name the previous answer gave for what its bare question asked ("궁호(宮號)는
    미치노미야(…)이다" for "쇼와 천황의 어릴 적 궁호는?"): a word written right after the asked noun
    and its topic particle, ending where its own aside or copula begins; "" when none is."""
    asked = re.search(r"([가-힣]{2,}?)(?:은|는|이|가)\s*(?:뭐야|뭐예요|뭐지|뭐였어|뭐였지|무엇이야|무엇인가요|뭔가요)?"
                      r"\s*[?？]?\s*$", prior.asked or "")
    if asked is None or prior.abstained:
        return ""
    m = re.search(re.escape(asked.group(1)) + r"(?:\([^)]{0,20}\))?\s*(?:은|는)\s+([가-힣A-Za-z]{2,15}?)"
                  # (its kind may follow: "…기법은 은하장부 기술이다")
                  r"(?=\(|이다|였다|이며|이고|[.,]|\s+[가-힣]{1,6}(?:이다|였다|이며|이고))",
                  re.sub(r"\[\d+\]", " ", prior.answer))
    return m.group(1) if m else ""


# kinds of place a question may ask the name of ("외딴 지역 이름이 뭐야?")
_PLACE_KINDS = frozenset({"지역", "도시", "마을", "장소", "섬", "지방", "동네", "고장", "항구", "해역"})
_WORK_KINDS = frozenset({"영화", "드라마", "소설", "노래", "앨범", "작품", "게임", "책", "곡", "음반", "시리즈"})
# what every work has: asked alone after a question answered by a work's title
_WORK_SIDES = frozenset({"관객", "관객수", "제작비", "감독", "각본", "개봉일", "개봉", "흥행", "수익", "시청률", "발매일",
                         "수록곡", "장르", "줄거리", "주연", "출연진"})
_SIDES_OF_A_THING = PROPERTIES | _WORK_SIDES


# Kiwi's morpheme ids below this are its placeholders for a word it does not know (2: NNG, 3: NNP)
_UNKNOWN_IDS = 16


def _what_the_answer_named(question: str, cands: list[str], kind: str, pronoun: bool, prior: Prior, m) -> str:
    """The name the previous answer gave for what its question asked, when the demonstrative
    *m* means it whatever else the message's words pair with; else ""."""
    named = _name_answered_for(prior) if pronoun and m and _WHAT_IT_IS.match(question[m.end():]) else ""
    if named and named not in (prior.asked or ""):
        # "그게 뭔데?" after "암호화폐를 … 관리하는 핵심 기법은?" (answered "…핵심 기법은 블록체인
        # 기술이다"): what the answer named, new to the conversation — not the topic, 암호화폐
        return named
    if kind == "place" and _asked_kind(prior.question) in _PLACE_KINDS and cands[0] == _answered_name(prior):
        # "거기 산소량은?" after "…외딴 지역 이름이 뭐야?": the place the answer named, whatever
        # other place the documents pair with the words asked (인도, of the monsoon's air)
        return cands[0]
    return ""


def _choose_referent(question: str, cands: list[str], kind: str, pronoun: bool, prior: Prior,
                     probe: Probe | None, m) -> str:
    """Which of *cands* (see :func:`_kind_candidates`) the demonstrative *m* points at."""
    from .followup import fragment_of
    from .question import places_in

    pick = (_called(cands, m.group(1), f"{prior.searched} {prior.answer}") if m and m.group(1) else None) or cands[0]
    named = _what_the_answer_named(question, cands, kind, pronoun, prior, m)
    if named:
        return named
    if m and m.group(1) in ("위원회", "부대", "은행", "재단", "협회"):
        # "그 위원회" after a question on 중앙선거관리위원회 (Kiwi: four common nouns): the
        # name that ends in the word, as written
        named = re.findall(r"[가-힣A-Za-z0-9]{2,}" + m.group(1), f"{prior.searched or prior.question} {prior.answer}")
        if named:
            return max(named, key=len)
    frag = fragment_of(as_fragment(prior.question)) if prior.intent == "ellipsis" and kind in ("thing", "org") else None
    if frag is not None and frag.is_name and not frag.adverbial and not places_in("country", frag.noun):
        # "그거 어떤 서비스예요?" right after "Hahow는요?": the name the user just asked about,
        # whatever else its answer names
        return frag.noun
    from .question import _STATUTE

    subject = _topic_noun_phrase(prior.asked, subject=True) if kind == "thing" and pronoun else ""
    if subject and cands[0] != subject and cands[0] in subject and _without_sides(subject) != cands[0] and \
            not (m and m.group(1) in _PRODUCTS):
        # "그걸 처음 보도한 곳은?" after "줌 개인정보 문제가 뭐였어?": the whole phrase the
        # question asked about (줌 개인정보 문제), not the name that opens it — unless the rest
        # is a side of it ("줌 하루 이용자": "그걸 만든 회사" made 줌)
        return subject
    if subject and cands[0] not in subject and places_in("country", cands[0]) == {cands[0]} and \
            not places_in("country", subject):
        # "그걸 만든 곳은?" after "베트남에서 쓰는 현지 화상회의 프로그램은 뭐가 있어?": what the
        # question asked about, of that country — a country is no thing one makes or uses
        return f"{cands[0]} {subject}"
    if subject and cands[0] not in subject and not _says_word(question, subject) and \
            re.search(re.escape(cands[0]) + r"(?:에서|에게)\s", prior.asked) and \
            not re.search(re.escape(cands[0]) + r"(?:은|는|이|가|을|를)\s", prior.asked):
        # "대통령이 그거 거부하면?" after "국회에서 의결된 법률안은 …": the thing asked about
        # (법률안), not who or where in a clause that describes it (국회에서; "신상정보에 새로
        # 들어가는 항목" is inside 신상정보, which "그거" is)
        return subject
    if kind == "thing" and pronoun and (cands[0] == _topic_noun_phrase(prior.asked) or _STATUTE.match(cands[0])):
        # "그거" of the phrase the question was about (see _referents), or of the statute it
        # named: that phrase, that statute — "그 서비스" of "줌 하루 이용자" the product itself (줌)
        return _without_sides(cands[0]) if m and m.group(1) in _PRODUCTS else cands[0]
    if kind == "thing" and m and m.group(1) in _PRODUCTS:
        # (of a subject phrase too: "줌 하루 이용자가 …")
        cands, pick = [_without_sides(c) for c in cands], _without_sides(pick)
    members = re.search(r"\d+\s*(?:인|명)의\s*([가-힣]{2,4}?)(?:으로|로)\s*구성", prior.answer or "") \
        if kind == "person" else None
    if members and members.group(1) not in pick:
        # "그 사람들 임기는?" after "중앙선관위는 어떻게 구성돼?" answered "… 3인의 위원으로
        # 구성한다": its members, not the body
        return f"{pick} {members.group(1)}"
    if kind == "person" and re.search(r"누구|(?i:\bwho\b)", prior.asked or ""):
        # "그 사람의 다른 작품은?" after "라라랜드 감독은 누구야?": the one the answer gave as
        # who (데이미언 셔젤; _people_first put them first), whatever the documents pair 작품 with
        # — or the one the answer puts where the question put 누구 ("누구한테 넘겨?" answered
        # "…입증책임을 원사업자에게 전환": 원사업자, whom Kiwi reads as a common noun)
        return _in_the_place_of_who(prior.asked, prior.answer) or pick
    if kind == "person" and cands[0] == _subject_of(prior.asked) and _person_like(cands[0]):
        # "그 사람 어머니는 …?" after "예언자 마니는 어디서 태어났어?": the person the question was
        # about (마니), not a name its answer gave (알마다, where he was born)
        return cands[0]
    if probe is not None and len(cands) > 1:
        rest = _REF.sub(" ", question) if m else _REF_EN.sub(" ", question)
        # the message's own content words ("들은 어떻게 됐어" has none: no pairing to weigh)
        # (not a kind word, "그걸 만든 회사는?": any company; nor a word most passages use,
        # 코로나, which pairs with everything)
        words = [w for w in _content_nouns(rest) if len(w) >= 2 and w not in _GENERIC and w not in _NO_TOPIC]
        for c in cands:  # the first the documents pair with what the message asks
            if kind == "org" and _any_of_a_place(c):
                continue  # ("한일 양국" pairs with 일본, and is no company)
            if probe.share(c) < EVERYWHERE and any(probe.together(c, w) for w in words[:3]):
                return c
    return pick


def _owner_asked_of(asked: str) -> str:
    """Whose side the question's subject phrase asks ("줌 하루 이용자" → 줌), or "" when its
    subject is no side of something."""
    subject = _subject_of(asked)
    subject = re.sub(r"(의|은|는|이|가)$", "", subject) if subject else ""
    bare = _without_sides(subject) if subject else ""
    return bare if bare and bare != subject and bare not in _GENERIC and bare not in _NO_TOPIC else ""


# kinds of thing a demonstrative names by its kind word ("그 산업", "그 시장", "그 제도")
_KIND_HEADS = frozenset({"산업", "분야", "시장", "기술", "제도", "정책"})


def _that_kind_named(head: str, prior: Prior) -> str | None:
    """The one thing of kind *head* the previous answer (else its question) names, as a noun
    right before the kind word ("서비스 산업" in "…서비스 산업을 경제성장의 동력으로 …"); None
    when it names none, or several."""
    for text in (re.sub(r"\[\d+\]", " ", prior.answer or ""), prior.asked or ""):
        found = [w for w in re.findall(r"([가-힣A-Za-z0-9·]{2,})\s*" + re.escape(head) +
                                       r"(?=(?:은|는|이|가|을|를|의|에|과|와|도|으로|로)?(?![가-힣]))", text)
                 if not re.search(r"(은|는|이|가|을|를|의|에|로|와|과|도|한|된|인|적)$", w) and w not in _GENERIC
                 and w not in _MODIFIERS and w not in ("해당", "다른", "전체", "각종", "여러", "신규", "기존")]
        kinds = list(dict.fromkeys(found))
        if len(kinds) == 1:
            return f"{kinds[0]} {head}"
        if kinds:
            return None
    return None


def _object_of_the_same_verb(question: str, m, said: str) -> str | None:
    """The noun *said* makes the object (을/를) of the verb the question does to "그걸": of
    "그걸 못 구하면?" and "…스스로 변호인을 구할 수 없을 때에는", 변호인 — the one such noun;
    else None."""
    from .tokenization import question_tokens

    verb = next((t.form for t in question_tokens(question[m.end():]) if t.tag.startswith("VV")), None)
    if verb is None or len(verb) < 2:
        return None  # (one syllable — 하, 되, 보 — is done to anything)
    toks = [t for t in question_tokens(re.sub(r"\[\d+\]", " ", said)) if t.tag not in ("SF", "SP", "SW")]
    found = set()
    for k, t in enumerate(toks):
        if t.tag.startswith("VV") and t.form == verb and k >= 2 and toks[k - 1].tag == "JKO":
            j = k - 2
            while j > 0 and toks[j - 1].tag.split("-")[0] in ("NNG", "NNP") and toks[j - 1].start + toks[j - 1].len == toks[j].start:
                j -= 1  # (a compound written as one word: 육아휴직)
            if toks[k - 2].tag.split("-")[0] in ("NNG", "NNP"):
                found.add(" ".join(x.form for x in toks[j:k - 1]) if j < k - 2 else toks[k - 2].form)
    return found.pop() if len(found) == 1 else None


def _put_in_place(question: str, m, head: str, pick: str) -> str:
    """*question* with the demonstrative *m* replaced by *pick*, its particle agreeing."""
    if pick.isascii() and re.search(r"[가-힣]", question):
        from .crosslingual import korean_terms

        korean = korean_terms(pick)  # a name from an English question, as the documents write it (줌)
        pick = korean[0] if len(korean) == 1 else pick
    start, end = m.start(), m.end()
    after = question[end:]
    particle = re.match(r"(에서는|에서|에는|으로|로|에|은|는|이|가|을|를|의|도|와|과)?", after).group(1) or ""
    glued = {"그걸": "을", "그건": "은", "그게": "이", "그거": "", "그것": ""}.get(head, None)
    if glued is not None and not particle:
        particle = glued
    if head in ("거", "것", "그거", "그것") and not particle and re.match(r"\s+[가-힣]+(이|가|은|는|을|를)\s", after):
        particle = "의"  # "그거 핵심이 뭔데": its 핵심 ("한국판 뉴딜의 핵심이 …")
    if head in ("거기", "그곳", "그쪽", "저기") and after.startswith("선"):  # 거기선 = 거기에서는
        particle, after = "에서는", "에서는" + after[1:]
    elif head in ("거기", "그곳", "그쪽", "저기") and after.startswith("서"):  # 거기서 = 거기에서
        particle, after = "에서", "에" + after
    for body in pick.split() if not particle else ():
        head_of = re.match(r"\s+" + re.escape(body[-1]) + r"장(?=(?:은|는|이|가|을|를|의|도)?(?![가-힣]))", after)
        if head_of:
            # "거기 원장" of 감사원 is 감사원장, as Korean writes the head of 감사원 (법제처장,
            # 국세청장); of "감사원 감사위원" the place is its first word, 감사원
            return (question[:start] + body + "장" + after[head_of.end():]).strip()
    word = josa(pick, particle) if particle else pick
    consumed = len(particle) if after.startswith(particle) else 0  # "그걸": the particle was glued
    return (question[:start] + word + after[consumed:]).strip()


def _named_as_such(noun: str, said: str) -> bool:
    """Is *noun* a thing the previous turn called by that very name: a phrase of two words it
    says ("도장 문화"), or a word it quotes (‘도장’)?"""
    if " " in noun.strip():
        return re.sub(r"\s+", "", noun) in re.sub(r"\s+", "", said)
    return bool(re.search(r"[‘'“\"《〈「]" + re.escape(noun) + r"[’'”\"》〉」]", said))


_IT = {"그건", "그게", "그거", "그것", "이건", "이거", "이것", "그걸"}
# a question about who stated something, or where it was stated
_REPORTED = re.compile(r"(누가|어디서|어디에서|어느\s*(기관|곳|매체|단체|업체))\s*\S*(밝혔|밝힌|말했|말한|발표|주장|보도|조사|추산|추정|추계|계산|집계|전했|분석|"
                       r"나온|나왔|낸|냈)|출처|근거|"
                       # "그 말 한 사람 누구예요?"
                       r"(?:한|했던|밝힌|말한|낸)\s*(?:사람|곳|기관|매체|데)\s*(?:은|이|는|가)?\s*(?:누구|어디)|"
                       # "그 말 누가 한 거야?", "그거 누가 했어?"
                       r"누가\s*(?:한|했)(?:\s*(?:거|것|말))?(?![가-힣])")
# "그 수치는 언제 집계한 거야?": when a figure was counted is told where its source is
_WHEN_COUNTED = re.compile(r"언제\s*\S*(집계|조사|발표|측정|나온|나왔)")
# what the previous answer stated, named as a figure or a statement ("그 수치", "그 자료")
_SAID_THING = re.compile(r"(?<![가-힣])(?:그|이)\s*(수치|숫자|통계|자료|데이터|추정치|추산치|조사\s*결과|조사|내용|얘기|말)"
                         r"(?:은|는|이|가|을|를|의)?(?=\s|$|[?？])")


# a message that is nothing but a request for the source: "출처는?", "근거 자료가 뭐야?", "출처 어디야?"
# (not "근거는?" alone: after a statute's article it asks the legal ground, a why)
_BARE_SOURCE = re.compile(r"^\s*(?:그럼|그러면|그리고)?\s*(?:출처|근거\s*자료|자료\s*출처|통계\s*출처)\s*(?:는|은|가|이)?\s*"
                          r"(?:뭐야|뭐예요|뭔가요|뭔데|뭐지|어디야|어디예요|어디에요|어딘가요|어딘데|어디지|있어|있어요|알려\s*줘)?"
                          r"\s*[?？.]*\s*$")


def asks_only_source(question: str) -> bool:
    """Is the message nothing but a request for the source ("출처는?", "근거 자료가 뭐야?")?"""
    return bool(_BARE_SOURCE.match(question))


def asks_source(question: str) -> bool:
    """Does the message ask who stated, or where it comes from, what the previous answer said
    ("그 수치 어디서 나온 거야?", "그건 누가 밝혔어?", "출처는?", "Who said that?")?"""
    return bool(_WHO_SAID_EN.match(question)) or asks_only_source(question) or _pointing_at_source(question) is not None


def _pointing_at_source(question: str):
    """The words pointing at what the previous answer said ("그 수치", "그건") when the rest of
    the message asks who stated it or where it comes from; else None."""
    said = _SAID_THING.search(question)
    if said is None:
        m = _REF.search(question)
        said = m if m is not None and (m.group(2) in _IT or m.group(1) in ("거", "것")) else None
    rest = question[said.end():] if said is not None else ""
    if said is not None and said.re is _SAID_THING and said.group(1) in ("말", "얘기") and \
            re.match(r"\s*누가\s*(?:한|했|하였)", rest):
        return said  # "그 말 누가 했어?": who said what the answer quoted
    return said if said is not None and (_REPORTED.search(rest) or _WHEN_COUNTED.search(rest)) else None


def _matter_of(question: str) -> str:
    """What a question asks about, with its possessor: "베트남의 온라인 교육 이용자는 얼마나
    늘었어?" → "베트남의 온라인 교육 이용자" (its 은/는 phrase from the possessor on); of an
    English question, its words in Korean ("How fast has China's online education market been
    growing?" → "중국 온라인 교육 시장 증가")."""
    if not re.search(r"[가-힣]", question):
        from .crosslingual import korean_phrase

        phrase = korean_phrase(question)
        return phrase if len(phrase.split()) >= 2 else ""
    phrase = _topic_noun_phrase(question)
    if not phrase:
        # "일본에서 재택근무가 제대로 안 되는 이유가 뭐야?": the subject asked for, with all
        # that qualifies it ("…안 되는 이유")
        asked = re.match(r"^\s*(.*?[가-힣A-Za-z0-9])(?:이|가)\s*(?:뭐|무엇|뭔|어디|누구|얼마|몇)", question)
        if asked and len(asked.group(1).split()) >= 2:
            return asked.group(1)
        # "육아휴직 가능 연령을 8세로 늘리면 추가 재정이 드나요?": what it changes, then what it
        # asks of that ("육아휴직 가능 연령 추가 재정"), the condition's value left out
        cond = re.match(r"^\s*([가-힣A-Za-z0-9 ]+?)(?:을|를)\s+\S+\s+\S*면\s+((?:[가-힣A-Za-z0-9]+\s+)*?[가-힣A-Za-z0-9]+?)"
                        r"(?:이|가)\s+\S+\s*$", question)
        return f"{cond.group(1)} {cond.group(2)}" if cond else ""
    at = question.find(phrase)
    owner = re.search(r"((?:\S+\s+){0,2}\S+의)\s*$", question[:at])
    return f"{owner.group(1)} {phrase}" if owner else phrase


def _person_of_answering_sentence(cands: list[str], asked: str, answer: str) -> str | None:
    """Of *cands*, the one named in the quoted sentence of *answer* that shares the most words
    with *asked* (a tie: None)."""
    words = [w for w in _content_nouns(asked) if w not in _GENERIC and len(w) >= 2]
    scored = []
    for sentence in re.split(r"\s*\[\d+\]\s*", answer):
        named = [c for c in cands if c.split()[0] in sentence and _person_like(c.split()[0])]
        # (the one the sentence makes its subject: "…컨설턴트 로쉘 콥은 \"…\"고 밝힘", not
        # 코로나 of 코로나19가)
        subject = [c for c in named if re.search(re.escape(c.split()[0]) + r"(?:\s[가-힣]{1,3})?(?:은|는|이|가)\s", sentence)]
        named = subject + [c for c in named if c not in subject]
        if named:
            scored.append((sum(1 for w in words if w in sentence), named[0]))
    scored.sort(key=lambda x: -x[0])
    if len(scored) >= 2 and scored[0][0] > scored[1][0] or len(scored) == 1:
        return scored[0][1]
    return None


def _people_first(cands: list[str], prior: Prior) -> list[str]:
    """Person candidates (see :func:`_kind_candidates`), the one "그 사람" likeliest means first."""
    # "그 사람들" after "원진레이온 피해자는 몇 명이야?": the people the question was about
    asked = prior.asked
    group = _topic_noun_phrase(asked)
    if group and _PEOPLE_END.search(group):
        cands = [group] + [c for c in cands if c != group]
    desc = re.search(r"([가-힣]{2,}?)\s*(?:은|는|이|가)?\s*누구", asked)
    called = _called(cands, desc.group(1), prior.answer) if desc else None
    if desc and not called and len(cands) > 1:
        # "…말한 사람은 누구야?" answered with two sentences: the person of the one that says
        # what was asked (로쉘 콥, who said it), not of the one beside it (아베신조)
        called = _person_of_answering_sentence(cands, asked, prior.answer)
    if called:
        # "그 사람" after "…말한 컨설턴트 누구였지": the one the answer calls 컨설턴트 (로쉘 콥),
        # not the first person it names (with the rest of a name Kiwi split: "로쉘 콥")
        rest = re.match(r"\s([가-힣]{1,2}?)(?=(?:은|는|이|가|의)(?:\s|$)|\s|$)",
                        prior.answer[prior.answer.find(called) + len(called):])
        whole = called + rest.group(0) if rest and called in prior.answer else called
        cands = [whole] + [c for c in cands if c not in (called, whole)]
    return cands


def _kind_candidates(kind: str, prior: Prior, probe: Probe | None, question: str, earlier, pronoun: bool
                     ) -> list[str]:
    """What a demonstrative of *kind* may point at, the likeliest first (see
    :func:`_resolve_reference`)."""
    cands = _referents(prior, kind, pronoun=pronoun)
    if kind == "person":
        cands = _people_first(cands, prior)
    if kind == "place":
        # "거기 절이 몇 개 있어?" after questions on 금강산, a place no list names: what the
        # previous question was about — first, when its own name says it is a place ("그곳의
        # 기후는?" after a question on 티베트 고원, whose answer names 인도 in passing)
        asked = prior.asked
        topic = _topic_noun_phrase(asked)
        topic = re.sub(r"(의|은|는|이|가)$", "", topic) if topic else ""
        flat = re.sub(r"\s+", "", asked)
        orgs = [c for c in _referents(prior, "org") if _ORG_END.search(c) or re.sub(r"\s+", "", c) not in flat]
        from .question import places_in

        owner = _owner_asked_of(asked)
        answered = _answered_name(prior)
        if answered and _asked_kind(prior.question) in _WORK_KINDS | _PLACE_KINDS:
            # "거기서 맡은 역할은?" after "…뉴스타상 받은 드라마가 뭐야?": the work (or place) named
            cands = [answered] + [c for c in cands if c != answered]
        elif owner and not (places_in("country", asked) or places_in("place", asked)):
            # "거기 보안 문제 있었다며?" after "줌 하루 이용자가 … 늘었어?": what the question
            # was about, whose users it asked (a company, a service), not the country its answer
            # names in passing (미국 기업 줌비디오커뮤니케이션)
            cands = [owner] + [c for c in cands if c != owner]
        elif topic and _GEO_END.search(topic) and topic not in cands:
            cands = [topic] + cands
        elif orgs and _ASKS_ORG.search(asked):
            # "거기는 재택근무를 얼마 동안 했어?" after "베트남의 삼성이라고 불리는 기업이 어디야?":
            # the company the answer named (빈그룹), not the country the question did
            cands = [c for c in orgs if re.sub(r"\s+", "", c) not in flat] or orgs
        elif not cands and re.search(r"(?<![가-힣])(회사|기업|업체|기관|단체)", asked):
            # "거기서 만든 …은?" after "VnEdu를 만든 회사는?": the company the answer named
            cands = [c for c in _referents(prior, "org") if _ORG_END.search(c)]
        if not cands:
            topic = topic or _topic_of(asked, probe, question)
            if topic and topic.split()[-1] in PROPERTIES:  # ("거기서 …" after "시행일은?": the statute)
                topic = _statute_of([prior], probe, True) or topic
            cands = [re.sub(r"(의|은|는|이|가)$", "", topic)] if topic else []
    if kind == "org":
        # "그 회사는 어느 나라 기업이야?" after "줌 하루 이용자는 …": what the question was about
        # (its phrase's first noun, 줌, a name Kiwi reads as a common noun), before the media
        # outlet its answer happens to name
        from .tokenization import question_tokens

        asked = prior.asked
        # the possessor of "줌의 일일 사용자는 …" (the phrase marked as the topic starts after it)
        owner = re.match(r"\s*([가-힣A-Za-z0-9]+)의\s", asked)
        phrase = f"{owner.group(1)} 것" if owner else _topic_noun_phrase(asked, subject=True)
        toks = [t for t in question_tokens(phrase)] if phrase else []
        # (or which one it was: "선두주자는 어디로 나와?")
        asked_org = re.search(r"(?<![가-힣])(기업|회사|업체)(은|는|이|가)?\s*[?？]?$|(어떤|어느|무슨)\s*(기업|회사|업체)|"
                              r"(?<![가-힣])어디(?:로|야|예요|에요|였|인가|일까)", asked)
        if asked_org:
            # "그 회사는 …?" after "스마트팩토리 관련 기업은?": a company the answer named (포스ICT),
            # not a piece of what the question asked about
            flat = re.sub(r"\s+", "", asked)
            cands = [c for c in cands if re.sub(r"\s+", "", c) not in flat] or cands
        if len(toks) >= 2 and not asked_org and toks[0].tag == "NNG" \
                and toks[0].form not in _GENERIC | _NO_TOPIC | PROPERTIES and not _countries(toks[0].form) \
                and not any(t.tag in ("NNP", "SL", "SH") for t in question_tokens(asked)):
            cands = [toks[0].form] + [c for c in cands if c != toks[0].form]
    if kind == "org" and cands:
        # "그 회사": a name that says it is one (…철도회사, …업체) before a word that happens
        # to be a name too (비버, the logo; 코로나) — from an earlier turn when the last one
        # named none ("왜 비버야?" answered about the logo of the 철도회사 asked before)
        def org_like(c: str) -> bool:
            return bool(_ORG_END.search(c)) and not _any_of_a_place(c)

        if not any(org_like(c) for c in cands):
            for p in reversed(earlier[-4:]):
                if p is not prior:
                    cands += [c for c in _referents(p, kind) if org_like(c) and c not in cands]
        # …and a name before a phrase describing a field ("포스ICT" before "팩토리 산업"); "일본
        # 기업" (any company of a country) or "한일 양국" is no company of its own
        cands = sorted(cands, key=lambda c: (_any_of_a_place(c), not org_like(c), " " in c))
    return cands


def _any_of_a_place(c: str) -> bool:
    """"일본 기업", "중국 업체들", "국내 회사" (the companies of a place, none in particular) or
    "한일 양국": no company of its own for "그 회사" to point at."""
    from .question import places_in

    m = re.fullmatch(r"([가-힣]+)\s+(기업|회사|업체|기관)(들)?", c)
    return bool(m and (places_in("country", m.group(1)) or m.group(1) in ("국내", "해외", "국외", "외국"))) or \
        bool(re.search(r"양국|두\s*나라|각국", c))


# a question asking which company or body: "…기업이 어디야?", "어떤 회사가 …?"
_ASKS_ORG = re.compile(r"(?<![가-힣])(회사|기업|업체|기관|단체)(은|는|이|가)?\s*(어디|어느\s*곳|누구|뭐)|"
                       r"(어떤|어느|무슨)\s*(회사|기업|업체|기관|단체)")


def _called(cands: list[str], noun: str, text: str) -> str | None:
    """The first of *cands* that *text* calls a *noun* — the noun right before it, past a
    quote or title mark ("회사인 줌"), right after it ("아이리스 드라마"), or taken as its part
    ("셔젤이 감독을 맡았다") — else a title in 《》 the text gives right after the noun
    ("드라마 《아이리스》"), or None."""
    if len(noun) < 2:
        return None
    n = re.escape(noun)
    # a title the text gives it, whether or not it was taken for a name ("드라마 《아이리스》"),
    # and whole: Kiwi's name for "《천국의 계단》" is 천국
    title = re.search(rf"{n}\s*[《〈「『]\s*([^》〉」』]{{1,30}}?)\s*[》〉」』]", text)
    if title and any(title.group(1).strip().startswith(c) for c in cands):
        return title.group(1).strip()
    for c in cands:
        e = re.escape(c)
        if re.search(rf"{n}(인|이자)?\s*[《〈「『\"'“‘(]?\s*{e}|{e}\s*[》〉」』\"'”’)]?\s*(라는\s*|이라는\s*)?{n}", text):
            return c
    for c in cands if noun not in _RELATIONS else ():
        # "데이미언 셔젤이 감독과 각본을 맡았다": the one who took the 감독's part (not a relative:
        # "정성공은 아버지와 …" is 정성공's father, "그의 아버지인 정지룡" the one called so)
        if re.search(rf"{re.escape(c)}\s*(이|가|은|는)\s*{n}(을|를|과|와|으로|로|이자|,)", text):
            return c
    for c in cands:
        # "노기 마레스케를 제10대 가쿠슈인 원장으로 임명해": the one made the *noun*
        if re.search(rf"{re.escape(c)}\s*(을|를)\s*(?:[^\s.]+\s+){{0,3}}{n}(으로|로)\s*(임명|선출|지명|추대|삼|뽑|위촉|기용)",
                     text):
            return c
    return title.group(1).strip() if title else None


def _noun_at(text: str, start: int) -> tuple[str, int] | None:
    """The noun Kiwi reads at *start* and where it ends ("결과" in "그 결과는?", which a
    pattern alone would cut before 과 as if it were a particle), or None."""
    from .tokenization import question_tokens

    toks = list(question_tokens(text[start:]))
    if toks and toks[0].start == 0 and toks[0].tag in ("NNG", "NNP"):
        return toks[0].form, start + toks[0].len
    return None


_QWORD = r"(?:언제|어디|누구|누가|무엇|뭐|뭘|몇|얼마|어느|어떤|어떻게)"
# the question word of a previous question with what belongs to it ("어디에서", "누구에게")
_QWORD_SLOT = re.compile(r"(?<![가-힣])(언제|어디(?:에서|에서는|서|에|로)?|누구(?:에게|의|를|와|한테)?|누가|"
                         r"무엇(?:을|이|으로)?|뭘|뭐(?:가|를|라고)?)(?![가-힣])")


# "그 뒤에", "그 이후로", "그 전에는": after (or before) what the previous question asked about
_AFTER_THAT = re.compile(r"(?<![가-힣])그\s*(?P<when>뒤|후|이후|다음|전|이전)(?P<p>에|에는|엔|로|부터)?(?=\s|$|[?？])")
# (a question word of a slot, or how much, how many, why: none of them names the event)
_QUESTION_WORDS = re.compile(_QWORD_SLOT.pattern + r"|(?<![가-힣])(?:얼마나|몇\s*[가-힣]+|왜)(?![가-힣])")


def _source_or_case(question: str, prior: Prior) -> Interpretation | None:
    """"출처는?" after "유연근무제 도입률은 얼마야?": where what was just answered comes from
    ("유연근무제 도입률의 출처는?"), not the previous question with 출처 in 도입률's place; else
    :func:`_in_case_of` (a case the message names), or None."""
    if not _BARE_SOURCE.match(question) or prior.abstained:
        return _in_case_of(question, prior)
    matter = _matter_of(prior.searched or prior.question)
    return Interpretation("reference", f"{josa(matter, '의')} 출처는?", prior) if matter else None


def _after_that(question: str, prior: Prior) -> Interpretation | None:
    """"다낭시는 그 뒤에 어떻게 했어?" after "…총리 지시령은 언제 발표됐어?": after that event
    ("…총리 지시령 발표 이후에"), the event the previous question asked about as the noun of
    its predicate, or its clause ("반기문은 유엔 사무총장이 되기 전에는 …" for "그 전에는 …"
    after "반기문은 언제 유엔 사무총장이 됐어?"); None when the question says no "그 뒤/전" or
    that question has no predicate to make one of."""
    from .tokenization import kiwi

    m = _AFTER_THAT.search(question)
    asked = prior.asked
    if m is None or not asked or re.search(r"[가-힣]면\s*$", question[:m.start()]):
        return None  # ("탄핵소추 되면 그 다음엔 어떻게 돼?": after the event it names itself)
    toks = list(kiwi().tokenize(asked))
    # the predicate: a noun made a verb (발표+되), else the last verb ("거리 두기" inside a
    # name is not it)
    acts = [k for k in range(1, len(toks)) if toks[k].tag == "XSV" and toks[k - 1].tag == "NNG"
            and toks[k - 1].start + toks[k - 1].len == toks[k].start]
    # (not the "있" of "내릴 수 있어": the act is 내리)
    verbs = [k for k in range(1, len(toks)) if toks[k].tag in ("VV", "VA") and not (
        toks[k].form in ("있", "없") and toks[k - 1].form == "수" and toks[k - 1].tag == "NNB")]
    k = acts[-1] if acts else (verbs[-1] if verbs else None)
    # "…아미 공식 결성은 언제였어?": no verb, the event is the noun the question is about (결성)
    topics = [j for j in range(len(toks) - 1) if toks[j].tag == "NNG" and toks[j + 1].tag in ("JX", "JKS")]
    if k is None and not topics:
        return None
    noun = toks[k - 1] if acts else toks[topics[-1]] if k is None else None
    start = noun.start if noun is not None else toks[k].start
    before = _QUESTION_WORDS.sub(" ", asked[:start]).split()
    after = m.group("when") in ("뒤", "후", "이후", "다음")
    if noun is not None:
        if before:
            before[-1] = re.sub(r"(?<=[가-힣])(은|는|이|가|을|를)$", "", before[-1])
        event = " ".join(before + [noun.form, "이후" if after else "이전"])
    else:
        # (the clause made a time: 되 → "되기 전", "된 뒤")
        verb = kiwi().join([(toks[k].form, toks[k].tag), ("ᆫ", "ETM")]) + " 뒤" if after else toks[k].form + "기 전"
        if re.search(r"[가-힣](은|는)\s", question[:m.start()]):
            # "국회는 그 뒤에 뭘 해?": the question has its topic; the event's is its subject
            # ("국회는 대통령이 긴급명령을 내린 뒤에 …", not "국회는 대통령은 …")
            before = [josa(w[:-1], "이") if re.fullmatch(r"[가-힣]+[은는]", w) and len(w) > 2 else w for w in before]
        event = " ".join(before + [verb])
    said = question[:m.start()] + event + (m.group("p") or "") + question[m.end():]
    return Interpretation("reference", re.sub(r"\s+", " ", said).strip(), prior, candidates=(question,))


# "대통령인 경우는요?", "법인이 아닐 때는?", "작전에 참여할 때는?": a case, and nothing else
_CASE_ASKED = re.compile(r"^\s*(?:그럼|그러면|그리고|근데|그런데)?\s*(?P<case>[가-힣A-Za-z0-9·\s]{0,30}[가-힣])\s*"
                         r"(?P<when>경우|때)(?:는|에는|엔|에|라면|도)?(?:요)?\s*[?？]*\s*$")
_QWORD_IN = re.compile(r"(?<![가-힣])(?:언제|어디|누구|누가|무엇|뭐|몇|얼마|어느|어떤|어떻게|왜)")


def _in_case_of(question: str, prior: Prior) -> Interpretation | None:
    """"개인사업자면?" after "국제결혼중개업 하려면 자본금 얼마 있어야 돼?": the previous question
    in the case the message names (a noun with 이면/라면, nothing else) — "개인사업자인 경우
    국제결혼중개업 하려면 …"; None for any other message (a verb's "궐위되면?" is a fragment)."""
    from .tokenization import question_tokens

    case = _CASE_ASKED.match(question)
    if case is not None and prior.asked and not _QWORD_IN.search(case.group("case")):
        # "대통령인 경우는요?", "연합해군사 작전 참여할 때는?": the previous question in that case
        # (not "일본의 경우는?", the previous question asked of another country)
        from .question import places_in

        said = case.group("case")
        # (a clause ends on a modifier, whose last syllable closes on ㄴ or ㄹ: 인, 아닐, 참여할, 하는)
        # ("…를 단심으로 못 하는 경우는?" asks which cases those are: a question of its own)
        which = case.group("when") == "경우" and not re.search(r"(?:인|일|아닌|아닐)$", said) or \
            re.search(r"(?<![가-힣])(?:못|안)(?![가-힣])|[가-힣](?:을|를)\s", said)
        if (ord(said[-1]) - 0xAC00) % 28 in (4, 8) and not which and not places_in("country", said) and \
                not places_in("place", said):
            # (in place of the case the previous question named: "대통령 임기가 끝나면 후임자는 …"
            # → "대통령이 궐위된 때 후임자는 …")
            own = re.match(r".{0,30}?[가-힣](?:으면|면|때에는|때는|때|경우에는|경우에|경우)(?:\s*,)?\s+", prior.asked)
            own = None if own and re.search(r"려면(?:\s*,)?\s+$", own.group(0)) else own  # (a purpose: "의결하려면")
            rest = prior.asked[own.end():] if own and _QWORD_IN.search(prior.asked[own.end():]) else prior.asked
            return Interpretation("ellipsis", f"{said} {case.group('when')} {rest}", prior, candidates=(question,))
    toks = [t for t in question_tokens(question) if t.tag != "SF"]
    if len(toks) < 3 or toks[-2].tag != "VCP" or toks[-1].form not in ("면", "라면", "이면") or \
            not all(t.tag in ("NNG", "NNP", "SL", "SH", "SN", "XSN") for t in toks[:-2]) or not prior.asked:
        return None
    noun = question[toks[0].start: toks[-3].start + toks[-3].len].strip()
    return Interpretation("ellipsis", f"{noun}인 경우 {prior.asked}", prior, candidates=(question,))


# "(반대로) 배달 안 하는 곳은?": those that do not do the act, asked alone
_NOT_DOING = re.compile(r"^\s*(?:반대로|그럼|그러면|그리고)?\s*(?P<phrase>(?P<act>[가-힣]{2,})(?:을|를)?\s*(?:안|못)\s*"
                        r"(?:하는|하던|한)\s*(?:데|곳|업체|기업|회사|사람|경우|식당|가게|음식점))"
                        r"(?:은|는)?(?:요)?\s*[?？]?\s*$")


_DOING = re.compile(r"^\s*(?:반대로|그럼|그러면|그리고)?\s*(?:(?P<act>[가-힣]{2,})(?:을|를)?\s*)?(?:하는|한)\s*"
                    r"(?:데|곳|업체|기업|회사|사람|경우|식당|가게|음식점)(?:은|는|들은)?(?:요)?\s*[?？]?\s*$")


def _the_other_side(question: str, previous: str) -> str | None:
    """*previous* asked of those that do not do what its subject does ("대만에서 배달 안 하는
    곳 매출 1~2월에 얼마나 늘었어?" for "반대로 배달 안 하는 곳은?" after "대만에서 배달하는
    음식점 매출 1~2월에 얼마나 늘었어?"), when *question* only names them and *previous*
    names the doers; else None."""
    m = _NOT_DOING.match(question)
    if m is None:
        # "하는 데는?" after "배달 안 하는 식당들 매출은 …?": the doers, the 안 taken away
        doing = _DOING.match(question)
        negated = re.search(r"(?<=[가-힣])\s+(?:안|못)\s+(?=(?:하는|하던|한)\s)", previous) if doing else None
        if negated is None or (doing.group("act") and doing.group("act") not in previous[:negated.start()]):
            return None
        return previous[:negated.start()] + previous[negated.end():]
    act = m.group("act")
    doers = re.search(r"[가-힣]*" + re.escape(act) + r"\s*(?:을|를)?\s*(?:하는|하던|한)\s+(?P<head>[가-힣]+?)"
                      r"(?P<p>은|는|이|가|의|에서)?(?=\s|$)", previous)
    if doers is None:
        return None
    phrase = m.group("phrase")
    particle = doers.group("p") or ""
    return previous[:doers.start()] + (josa(phrase, particle) if particle else phrase) + previous[doers.end():]


def _asked_for_another_slot(question: str, previous: str, last_asked: str) -> str | None:
    """*previous* asked again for the slot *question* names alone: its question word ("어디서?",
    "그럼 언제?"; in English, "When was that?" after "…어떻게 죽었어?" → "…언제 죽었어?"), its
    ordinal ("두 번째는?"), or the other side of the last question asked, answered or not
    (:func:`_the_other_side`, which names the doers); None when *question* is no such phrase."""
    from .followup import script_of

    asked = _WHEN_WAS_THAT.match(question)
    if asked is not None or _WHEN_WAS_IT.match(question):
        # ("그게 몇 년이야?" after "정도전은 어떻게 죽었어?": when it happened, not "정도전이 몇 년")
        word = _WH_KO[asked.group(1).lower()] if asked is not None else "언제"
        return _swap_question_word(word, previous) or _how_asked_as(word, previous)
    if script_of(question) != script_of(previous):
        return None
    from .followup import _first_of_another

    return _the_other_side(question, last_asked) or _swap_question_word(question, previous) or \
        _swap_ordinal(question, previous) or _first_of_another(question, previous)


# "When was that?", "Where did it happen?", "Who did that?": the previous question, asked for
# another slot, in English
_WHEN_WAS_THAT = re.compile(r"^\s*(?:and\s+|so\s+)?(when|where|who)(?:\s+(?:was|is|did|does)\s+(?:that|it|this)"
                            r"(?:\s+(?:happen|take\s+place|happening))?|\s+did\s+(?:that|it|this))?\s*[?？.!]*\s*$", re.I)
_WH_KO = {"when": "언제", "where": "어디서", "who": "누가"}
# "그게 몇 년이야?", "그건 언제였어?": when what was just asked about happened
_WHEN_WAS_IT = re.compile(r"^\s*(?:그럼\s*)?(?:그게|그건|그거|그것은|그때가)\s*(?:몇\s*년(?:도)?|언제)\s*"
                          r"(?:이야|야|였어|이었어|인데|였는데|예요|이에요|였지|였어요)?\s*[?？.!]*\s*$")


_NTH = r"(?:첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열|\d+)\s*(?:번\s*)?째"
# "두 번째는?", "그럼 세 번째 앨범은?": only an ordinal (and what it counts) of its own
_NTH_ASKED = re.compile(r"^\s*(?:그럼|그러면|그리고|그럼\s*또)?\s*(" + _NTH + r"|막내|맏이)\s*([가-힣]{0,4}?)\s*"
                        r"(?:는|은|도|는요|은요|도요)?\s*[?？.!]*\s*$")


def _swap_ordinal(question: str, previous: str) -> str | None:
    """*previous* with its ordinal replaced by *question*'s ("두 번째는?" after "방탄소년단 첫
    번째 정규 앨범 뭐야?" → "방탄소년단 두 번째 정규 앨범 뭐야?"); None unless *question* is only
    an ordinal (and, if any, the word it counts, which *previous* must use after its own)."""
    m = _NTH_ASKED.match(question)
    old = re.search(r"(?<![가-힣])" + _NTH, previous)
    if m is None or old is None or re.sub(r"\s+", "", old.group(0)) == re.sub(r"\s+", "", m.group(1)):
        return None
    counted = m.group(2)
    if counted and counted not in previous[old.end():]:
        return None
    return previous[:old.start()] + m.group(1) + previous[old.end():]


def _how_asked_as(word: str, previous: str) -> str | None:
    """*previous* "…어떻게 죽었어?" asked with *word* for its 어떻게 ("…언제 죽었어?"), when an
    act follows it (not "어떻게 돼?", which asks what becomes of it); else None."""
    m = re.search(r"(?<![가-힣])어떻게(?=\s+(?!돼|되|된|될|해야|하면)[가-힣])", previous)
    return None if m is None else (previous[:m.start()] + word + previous[m.end():]).strip()


def _swap_question_word(question: str, previous: str) -> str | None:
    """*previous* with its question word replaced by *question*'s, when *question* is only a
    question phrase ("어디서?", "누구 군사들에게?", "그럼 언제?") and *previous* has one; else None."""
    from .tokenization import question_tokens

    phrase = re.sub(r"^\s*(그럼|그러면|그리고|그럼\s*또|또)\s*", "", re.sub(r"[?？.!\s]+$", "", question)).strip()
    if not phrase or len(phrase) > 16 or not re.match(_QWORD, phrase):
        return None
    light = _LIGHT_VERB_ASKED.fullmatch(phrase)
    if light is not None:
        # "어디서 했어?" after "쇼와 천황의 장례식은?": 하다 says nothing of its own — the
        # previous question asked for that slot, or the thing it named asked where
        m = _QWORD_SLOT.search(previous)
        if m is not None and previous[m.start(): m.end()] != light.group(1):
            return (previous[:m.start()] + light.group(1) + previous[m.end():]).strip()
        # (a noun phrase asked about, no predicate of its own: "쇼와 천황의 장례식은?")
        bare = re.fullmatch(r"\s*([^?？]{2,40}?(?:은|는))\s*[?？.!]*\s*", previous)
        return f"{bare.group(1)} {phrase}?" if m is None and bare and not re.search(_QWORD, previous) else None
    toks = list(question_tokens(phrase))
    # ("어떻게?" is a question word, though Kiwi reads it as the adjective 어떻다)
    if phrase != "어떻게" and any(t.tag.startswith(("VV", "VA", "VX", "XSV", "XSA", "VCP", "EF", "EC", "EP")) for t in toks):
        return None  # "어디서 샀어?": a predicate of its own, a question of its own
    m = _QWORD_SLOT.search(previous)
    if m is None and phrase in ("언제", "어디서", "어디에서", "누가") and _how_asked_as(phrase, previous):
        return _how_asked_as(phrase, previous)  # ("언제?" after "정도전 어떻게 죽었어?": 언제 죽었어)
    if m is None:
        # (a which-one phrase asked before goes: "언제부터?" after "…어떤 업계가 재택근무를 하고
        # 있어?" asks when, of the same predicate)
        previous = re.sub(r"(?<![가-힣])(?:어떤|어느|무슨)\s+[가-힣]+(?:이|가|을|를|은|는|에서|에)?\s+", "", previous, count=1)
        if not re.search(_QWORD, previous):
            return _asked_into(phrase, previous)
    if m is None or previous[m.start(): m.end()] == phrase:
        return None
    return (previous[:m.start()] + phrase + previous[m.end():]).strip()


# a question word with only 하다/되다 after it: "어디서 했어?", "언제 했대?", "어디서 열렸어?"
_LIGHT_VERB_ASKED = re.compile(r"(언제|어디서|어디에서|어디)\s*(?:했어|했어요|했대|했대요|했나요|했지|한\s*거야|됐어|됐어요|열렸어|열렸어요)")


def _asked_into(phrase: str, previous: str) -> str | None:
    """*previous*, a yes/no question with a predicate, asked for *phrase*'s slot: "언제부터?"
    after "대만 기업들은 재택근무를 하고 있어?" → "대만 기업들은 언제부터 재택근무를 하고
    있어?" (after its topic, else first); None when *previous* ends on no predicate."""
    from .tokenization import question_tokens

    toks = [t for t in question_tokens(previous) if t.tag not in ("SF", "SP", "SW")]
    if not toks or not any(t.tag.startswith(("VV", "VA", "VX", "XSV", "XSA")) for t in toks[-4:]):
        return None
    topic = re.match(r"\s*\S.*?(?:은|는)\s", previous)
    at = topic.end() if topic and topic.end() < len(previous) * 0.6 else 0
    return (previous[:at] + phrase + " " + previous[at:].lstrip()).strip()


def _topic_phrase(question: str) -> str:
    """What a question asks about, without its question ending ("중국의 비대면 산업 분야는?" →
    "중국의 비대면 산업 분야")."""
    q = re.sub(r"[?？.!]+\s*$", "", question).strip()
    q = re.sub(r"\s*(은|는|이|가)?\s*(뭐야|뭐지|무엇인가요|무엇이야|뭔가요|(?:어떤\s*(?:게|것이)|뭐가|무엇이|뭐)\s*있(?:어|나요|어요|니)"
               r"|어때|어떻게\s*돼|있어|어디야|어디예요|어디에요|어디지|누구야|누구예요|누구지)$", "", q)
    from .tokenization import question_tokens

    # (a topic marker, not the 는 of a modifier: "…시장에서 주목받는 스타트업 어디야")
    jx = {t.start for t in question_tokens(q) if t.tag == "JX" and t.form in ("은", "는")}
    marked = next((m for m in re.finditer(r"([가-힣A-Za-z0-9])(은|는)\s+\S", q) if m.start(2) in jx), None)
    marked = re.match(r"(.+?[가-힣A-Za-z0-9])(?:은|는)\s", q[:marked.end()]) if marked else None
    if marked is None:
        # "…도입률이 통계청 기준으로 몇 %예요": the phrase marked as the subject (이/가 as its
        # last syllable agrees: not the 이 of 나이)
        marked = next((m for m in re.finditer(r"([가-힣A-Za-z0-9])(이|가)\s+\S", q)
                       if josa(q[:m.start(2)].split()[-1], "이").endswith(m.group(2))), None)
        marked = re.match(r"(.+?[가-힣A-Za-z0-9])(?:이|가)\s", q[:marked.end()]) if marked else None
    if marked and re.search(r"(어|아|야|니|나요|까|지|요|혀|려|여|워|와|해|돼|래|대|죠|냐|데)$", q):
        # a predicate of its own ("…시장은 어떻게 변했어"): the phrase it is said of — without
        # the question word that is its subject ("재택근무 관련주로 뭐가 꼽혀?" is about
        # 재택근무 관련주: what counts as one)
        said = marked.group(1).strip()
        bare = re.sub(r"\s+(?:뭐|무엇|누구|어디|어떤\s*(?:것|거|곳))$", "", said)
        if bare != said:
            bare = re.sub(r"(?<=[가-힣]{2})(?:으로|로)$", "", bare)
        return bare or said
    return re.sub(r"(은|는|이|가)$", "", q).strip()


def _first_noun_of_topic(asked: str) -> list[str]:
    """"그걸" with no name in the question: the thing its noun phrase is about — the first noun
    of a compound ("줌 하루 이용자" → 줌), as Korean puts the modifier first; [] when none."""
    from .question import places_in
    from .tokenization import question_tokens

    topic = _topic_of(asked, None)
    toks = list(question_tokens(topic))
    # (a prefix stays with its noun: 비+대면 is 비대면, "untact", not 대면, "face-to-face")
    first = [(toks[k - 1].form if k and toks[k - 1].tag == "XPN" else "") + t.form
             for k, t in enumerate(toks) if t.tag in ("NNG", "NNP", "SL", "SH")]
    if len(first) >= 2 and first[0] not in _GENERIC and not places_in("country", first[0]):
        # (of a word written as one, the whole word: 신상정보, not 신상)
        word = topic.split()[0] if topic.split() else first[0]
        whole = re.sub(r"(?:은|는|이|가|을|를|의|에는|에|도)$", "", word)
        if whole.startswith(first[0]) and len(topic.split()) == 1:
            return [whole]
        # the phrase without the side of it the question asked and a time word ("줌 하루
        # 이용자" → 줌, "디지털 헬스케어 수요" → 디지털 헬스케어, not 디지털)
        return [_without_sides(topic)]
    return []


_PRODUCTS = {"서비스", "앱", "어플", "플랫폼", "제품", "프로그램"}  # "그 서비스": the product named


def _without_sides(phrase: str) -> str:
    """*phrase* without the sides and time words it ends in ("줌 하루 이용자" → 줌)."""
    words = phrase.strip().split()
    while len(words) > 1 and (words[-1] in PROPERTIES or words[-1] in _SIDES or words[-1] in _NO_TOPIC
                              or words[-1] in ("하루", "연간", "월간", "일일", "주간")):
        words.pop()
    return " ".join(words)


# what a topic phrase may end in that is a side of what it is about ("디지털 헬스케어 수요")
_SIDES = {"수요", "시장", "산업", "성장", "증가", "감소", "현황", "동향", "규모", "전망", "매출", "이용", "사용"}


def _statute_first(asked: str, old: list[str]) -> list[str]:
    """*old* (what "그거" may mean, from the question) with the statute the question is about
    first: "그건 누가 대표발의했어?" after "결혼중개업법은?" is the statute, whole (not 결혼), and
    "그거 언제부터 시행돼?" after "안상수 의원이 대표발의한 고등교육법 개정안은 …" the bill, not
    안상수 ("그거" is no person) — unless the question was about something else it names
    ("신상정보에는 뭐가 추가돼?" of a bill: 신상정보)."""
    from .question import _STATUTE

    statute = None if any(_STATUTE.search(o) for o in old) else _STATUTE.search(asked)
    if statute is None or old and statute.group(0) not in (_topic_noun_phrase(asked) or ""):
        return old
    bill = re.match(r"\s*(개정안|일부개정법률안|개정법률안)", asked[statute.end():])
    return [statute.group(0) + (f" {bill.group(1)}" if bill else "")] + old


# a question for what someone said: "로쉘 콥은 뭐라고 했어?", "대표는 어떻게 말했어?"
_ASKED_WHAT_SAID = re.compile(r"(?:뭐라고|뭐라|무엇이라고|어떻게)\s*(?:했|말했|밝혔|주장했|평가했|얘기했|설명했|전망했)")


# what an answer puts where the question put 누구: "누구한테" → "…에게", "누구를" → "…을/를"
_WHO_PARTICLES = {"한테": "에게|한테", "에게": "에게|한테", "를": "을|를", "와": "와|과", "랑": "와|과|랑|이랑"}


def _in_the_place_of_who(asked: str, answer: str) -> str:
    """The one group of people (…자 of three syllables or more: 원사업자) the answer writes with
    the particle the question put on 누구 ("누구한테 넘겨?" → "원사업자에게"), not named in the
    question; "" when there is none, or several."""
    from .followup import _PEOPLE

    m = re.search(r"누구(한테|에게|를|와|랑)", asked or "")
    if m is None:
        return ""
    found = {w for w in re.findall(r"([가-힣]{3,6})(?:" + _WHO_PARTICLES[m.group(1)] + r")(?=\s|$)", answer or "")
             if _PEOPLE.match(w) and w not in asked}
    return found.pop() if len(found) == 1 else ""


def _picked_by_a_clause(asked: str, answer: str) -> str:
    """The name the answer writes after the kind word a question picked one of by a clause
    ("대만 정부가 사용 금지한 화상회의 플랫폼은 뭐야?" answered "…화상회의 플랫폼 줌(Zoom)의 경우
    …" → 줌), else ""."""
    which = re.search(r"[가-힣](?:한|는|된|던)\s+(?:[가-힣]+\s+){0,2}([가-힣]+)(?:은|는|이|가)\s*(?:뭐|무엇)", asked)
    named = re.search(re.escape(which.group(1)) + r"\s+([가-힣A-Za-z0-9]{1,12}?)(?=\(|의\s|은\s|는\s|이\s|가\s|,)",
                      answer) if which else None
    return named.group(1) if named else ""


def _speaker_first(people: list[str], asked: str, answer: str) -> list[str]:
    """*people*, with the one *asked* asked what they said first ("로쉘 콥은 뭐라고 했어?": a
    speaker, though Kiwi reads the name as common nouns) when the answer names them."""
    speaker = _topic_noun_phrase(asked) if _ASKED_WHAT_SAID.search(asked) else ""
    return [speaker] + [p for p in people if p != speaker] if speaker and speaker in answer else people


# the language a name is glossed in ("쇼와 천황(일본어: 昭和天皇 …)"): no one a turn points at
_LANGUAGE = re.compile(r"(?:일본|영|중국|한국|프랑스|독일|러시아|스페인|이탈리아|라틴|그리스|아랍|몽골|티베트|베트남|네덜란드|"
                       r"포르투갈|산스크리트)어|한자|영문|원어")


# "X에 Y도 있어?": Y, said to be in X
_THERE_IS = re.compile(r"(?<![가-힣])([가-힣A-Za-z0-9·]+)(?:에서|에)\s+([가-힣A-Za-z0-9·]+(?:\s+[가-힣A-Za-z0-9·]+)?)"
                       r"(?:도|은|는|이|가)\s*(?:있어|있나|있니|있나요|있어요|있습니까|없어|없나요|없어요)")


def _asked_subject(asked: str) -> str:
    """The subject of a question, without its particle; of "X에 Y도 있어?" Y ("헌법에 특별법원
    규정도 있어?": 헌법 is where it is, 특별법원 규정 what is asked about)."""
    subject = _subject_of(asked)
    # (a particle left on it goes — not the end of a word that is the subject whole: 국가원로자문회의는)
    whole = subject and re.search(re.escape(subject) + r"(?:은|는|이|가|을|를|의|도)(?:\s|$|[?？])", asked)
    subject = (subject if whole else re.sub(r"(의|은|는|이|가)$", "", subject)) if subject else ""
    inside = _THERE_IS.search(asked) if subject else None
    return inside.group(2) if inside is not None and inside.group(1) == subject else subject


def _the_one_picked(prior: Prior, new: list[str], pronoun: bool) -> str:
    """The thing the previous answer named for a question that picked one ("그거 언제 지어진
    건데?" after "…선물 받은 궁전이 뭐야?": 프티 트리아농 궁전), or ""; "그게 뭔데?" of 블록체인
    기술 is 블록체인, the name without its kind, when the answer names it alone too (*new*)."""
    answer = re.sub(r"\[\d+\]", " ", prior.answer)
    picked = _picked_by_a_clause(prior.searched or prior.question, answer) or _name_answered_for(prior) or \
        _answered_name(prior)
    if pronoun and " " in picked and picked.rsplit(" ", 1)[0] in new:
        return picked.rsplit(" ", 1)[0]
    return picked


def _referents(prior: Prior, kind: str, pronoun: bool = False) -> list[str]:
    """Entities of the previous turn a demonstrative of *kind* may point at: those its answer
    brought (not in its question) first, then its question's; places by the country list."""
    from .question import places_in
    from .tokenization import question_tokens

    answer = re.sub(r"\[\d+\]", " ", prior.answer)
    asked = prior.searched or prior.question
    out: list[str] = []

    def names(text: str) -> list[str]:
        # (a country ends a run: "알서포트 화상회의 솔루션 일본에서" names 알서포트's solution, then 일본)
        runs = _runs(question_tokens(text), lambda t, cur: (t.tag in ("NNP", "SL", "SH") or (
            bool(cur) and t.tag == "NNG" and kind in ("org", "thing"))) and not (cur and places_in("country", t.form)))
        return [f for f in (_span(text, r) for r in runs) if len(f) >= 2 and not _LANGUAGE.fullmatch(f)]

    def in_order(text: str, found) -> list[str]:
        return sorted(found, key=lambda p: (text.find(p) if p in text else len(text)))

    if kind == "place":
        for text in (asked, answer):
            out += [_as_written(p, text) for p in in_order(text, places_in("country", text) | places_in("place", text))]
        return list(dict.fromkeys(out))
    places = set(places_in("country", asked + " " + answer) | places_in("place", asked + " " + answer))
    def timeless(found: list[str]) -> list[str]:
        # (a time is no thing one points at: "그 서비스" after "작년 12월말엔?" is 줌, not 작년 12월말)
        return [o for o in found if not re.search(r"\d+\s*(년|월|일)|(작년|지난해|올해|금년|내년)", o)]

    new = timeless([n for n in names(answer) if n not in asked])
    named_too: list[str] = []
    if kind in ("thing", "org"):
        # what the answer quotes as a name (‘한국판 뉴딜’) before a word that merely opens it (21세기형)
        quoted = [q.strip() for q in re.findall(r"[‘'“\"《「]([^’'”\"》」]{2,15})[’'”\"》」]", answer)
                  if q.strip() and not re.search(r"\d", q)]
        new = list(dict.fromkeys([q for q in quoted if q not in asked] + new))
        # a name the question used and the answer quotes as one ("한국판 뉴딜 핵심이 뭐야?" →
        # ‘한국판 뉴딜’): what the conversation is about, though Kiwi reads it as common nouns
        named_too = [q for q in quoted if q in asked]
    old = list(dict.fromkeys(named_too + timeless(names(asked))))
    subject = _asked_subject(asked)
    if subject and timeless([subject]) and subject not in old and not places_in("country", subject) and \
            not any(o.startswith(subject) for o in old):  # "포스" of "포스ICT": the whole name
        # (not the side asked of it: 줌, not 줌 하루 이용자 — unless what is left is a kind word:
        # "회사 로고" stays, 회사 alone names no company)
        bare = _without_sides(subject)
        old.insert(0, subject if bare in _NO_TOPIC or bare in _GENERIC else bare)
    if kind == "thing":  # "그걸 만든 곳": what the conversation is about, else what the answer brought up
        marked = _topic_noun_phrase(asked) if pronoun else ""
        if marked and re.search(r"[‘'“\"《「]" + re.escape(marked) + r"[’'”\"》」]", answer):
            # "그거 핵심이 뭔데?" after "정부가 추진한다는 한국판 뉴딜은 어떤 내용이야": the phrase the
            # question was about, which its answer quotes as a name (‘한국판 뉴딜’), not its
            # clause's subject (정부)
            old = [marked] + [o for o in old if o != marked]
        if pronoun:
            old = _statute_first(asked, old)
        if not old and pronoun:
            old = _first_noun_of_topic(asked)
        # after a question asking what something is called or which one it is ("…뉴딜 이름이
        # 뭐였더라"), "그거" is what the answer named (‘한국판 뉴딜’), not a word of the question
        picked = _the_one_picked(prior, new, pronoun)
        new = ([picked] + [n for n in new if n != picked]) if picked else new
        asks_identity = re.search(r"(이름|명칭|뭐라고\s*(불|하)|뭐였더라|어디야|어디예요|어디였)", asked) or picked
        out = (new + old) if asks_identity and new else (old + new) if old else new
    elif kind == "person":  # "그 사람": a person the conversation named (a bill or a body is not one)
        out = _speaker_first(_people_before_others(old + new, answer), asked, answer)
    else:  # "그 회사": who the conversation is about first, then who the answer named — unless the
        # question asked which one it is ("선두주자는 어디로 나와?": 포스ICT, the answer's name)
        if new and re.search(r"어디|누구|이름|명칭", asked):
            # (the one the answer makes its subject: "…선두주자라고 할 수 있는 포스ICT는", not
            # "팩토리 산업" Kiwi found inside 스마트팩토리)
            subject = [n for n in new if re.search(re.escape(n) + r"(?:은|는|이|가)\s", answer)]
            out = subject + [n for n in new if n not in subject] + old
        else:
            out = old + new
        # a title is no company ("동방선상 CEO": 동방선상), and a company is named without the
        # person before it ("Mr.Tsai 동방선상")
        out = [re.sub(r"^(?:Mr|Ms|Mrs|Dr)\.\s*[A-Za-z]+\s+", "", o) for o in out if not _TITLE.fullmatch(o)]
    return list(dict.fromkeys(o for o in timeless(out) if o and (kind == "thing" or o not in places)))


_TITLE = re.compile(r"C[EFTOI]O|대표(?:이사)?|회장|사장|부사장|이사|의장|위원장|장관|총리|대통령|CEO\s*겸\s*\S+")


def _people_before_others(names: list[str], answer: str) -> list[str]:
    """*names* with those of people first: one the answer gives life dates ("존 벨 해처(1861-1904)"),
    then one that reads as a person's name (:func:`_person_like`)."""
    dated = [o for o in names if re.search(re.escape(o) + r"\s*\(\s*\d{3,4}\s*[-–~]\s*\d{3,4}", answer)]
    rest = [o for o in names if o not in dated]
    return dated + [o for o in rest if _person_like(o)] + [o for o in rest if not _person_like(o)]


def _as_written(place: str, text: str) -> str:
    """*place* (a canonical name) as *text* writes it: "거기" after "UAE에 가는 국군부대는 …" is
    UAE, the name the conversation and the documents use, not the lexicon's 아랍에미리트."""
    from .question import lexicon

    lex = lexicon()
    names = lex.countries.get(place) or lex.places.get(place) or (place,)
    found = [(text.find(n), n) for n in names if n and n in text]
    return min(found)[1] if found else place


# endings of names that are not people: laws, bills, bodies, offices, parties, places
_NOT_PERSON = re.compile(r"(법|법안|개정안|안|회|위원회|청|처|부|당|국|군|시|도|원회|소|단|사업|기관|은행|대학교?)$")


def _person_like(name: str) -> bool:
    """Could *name* be a person's: two to four Hangul syllables not ending like a law or a
    body ("정의화", not "국가공무원법"), or two or three capitalised Latin words."""
    if re.fullmatch(r"[가-힣]{2,4}", name):
        return not _NOT_PERSON.search(name) or (len(name) == 3 and name[-1] in "도회")  # 김영도, 박정회
    if re.fullmatch(r"[가-힣]{1,5}(?: [가-힣]{1,5}){1,2}", name):
        return not _NOT_PERSON.search(name)  # a foreign name Kiwi knows whole: "올리비에 지루"
    return bool(re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z.]+){1,2}", name))


def with_intent(answer, interpretation: Interpretation):
    """*answer* carrying the interpretation it answers (its intent and searched question)."""
    return replace(answer, intent=interpretation.intent)
