"""Answers that lean on the previous answer: "왜?" (its reason) and "더 자세히" (its passage,
expanded), quoted from the documents with citations like every answer.

**Why.** The previous answer's claim is the sentence it quoted. Its reason is a statement
that gives a cause or purpose (때문, 원인, 이유, 로 인해, 덕분, 위해 …) and is about the
claim (shares its content words). It is looked for where writers put it — the claim's own
sentence and passage first, then its section, then the documents at large (retrieved for the
claim) — and a reason found nearer wins over a better-worded one farther away. When no such
statement exists the answer says so: the documents do not give a reason, and the closest
passage is not passed off as one. A bill states why it changes anything in its 제안이유, not
beside each article: a why about what a bill does is answered from there.

**What it is now.** "지금은?" after a turn on what a bill changes: the words its amending
sentence replaces ("제43조 중 “20일이상”을 “50일 이상”으로 한다"), quoted with that sentence;
"기존 업체는요?": its transitional provision ("이 법 시행 당시 종전의 규정에 따라 …").

**More.** The previous answer's passage and section, expanded: the sentences that follow the
quoted one (the next statements of a 개조식 list, the rest of the paragraph), then those
before it, in document order, never one the previous answers already quoted, never a
heading or a fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .korean import josa
from .question import expected_type, lexicon, roles_in
from .schema import Answer, Chunk, Citation
from .textrepair import bill_part, in_comparison_table
from .tokenization import content_words

# cause / reason / purpose markers, strong ones first (weights, set on the report's tune chains)
_STRONG = re.compile(r"(?<=[인는한은운된던])\s*만큼|때문|원인(?!을?\s*(?:규명|조사|밝히|밝혀|파악|분석|찾))|"
                     # (a cause looked for, "침몰 원인을 규명할 합동조사단", is none stated)
                     r"이유(?!를?\s*(?:묻|물어|물었|조사|밝히|밝혀|파악|분석|찾))|로\s*인해|으로\s*인해|로\s*인한|으로\s*인한|으?로\s*인하여|덕분|덕택|탓|계기로|계기가|까닭|배경(에는|으로|은)|"
                     r"영향으로|영향을\s*받|영향에|촉진제|요인|로\s*풀이|으로\s*풀이|because|due\s+to|owing\s+to|as\s+a\s+result|"
                     # "참패에 모든 책임을 지고 당대표에서 사퇴하였다": why one stepped down
                     r"책임을\s*지고|책임을\s*물어|에\s*항의하(여|며|는)|"
                     # "그는 … 터가 너무 좁아 왕도로 적당하지 않다고 주장했다": the ground one argued
                     # for a stance is why one took it
                     r"(?<=[가-힣])(다|라)고\s*(주장|반박)(했|하였|함|한다)|"
                     # "해킹을 우려해 … 당부": what was feared, or weighed, is why
                     r"(우려|염려|걱정|감안|고려)(해|하여|해서|한\s*(탓|결과|조치))(?![가-힣])|"
                     # "외국 언론의 보도를 염려한 노동부가 적극적인 태도를 …": the one who acted, by what it feared
                     r"(을|를)\s*(우려|염려|걱정)한\s+[가-힣]|"
                     # "…실업 문제가 심각하다는 점을 감안하면 이런 고용 투자 확대는 이례적임": the
                     # ground a judgement is made on
                     r"점을\s*(감안|고려)하면|(감안|고려)(?:할|했을|하였을)\s*때|에\s*비추어|"
                     # "…재택근무가 거의 도입되지 못하고 있는 상황에서 이 같은 변화는 엄청난 경험":
                     # the situation a judgement of "this" is made in
                     r"(?<=[는은던])\s*상황에서\s*(?:이|그)\s*(?:같은|러한|런)\s|"
                     # "이미 소문이 난데다 짐이 많고 진행속도가 느렸던 탈출은 곧 발각되었고": what
                     # piled up is why it ended so
                     r"(?<=[난한운은는던된인])\s?데다(?:가)?(?=\s)")
# a bill's stated purpose ("…정착하려는 것임", "…하고자 함"): why its other provisions are (of the
# claim itself it says only what it does: "…전환시키며 … 하려는 것임" is no reason of its own)
_PURPOSE = re.compile(r"려는\s*것(임|이다|입니다)|하고자\s*(함|한다|하는\s*것)")
# "제4조에 따라", "법률에 의하여": which rule applies, not why
_LEGAL_REF = re.compile(r"(제\s*\d+\s*(조|항|호)(의\s*\d+)?|법률?|규정|시행령|대통령령|조례|기준)\s*에\s*(따라|따른|의하여|의한)")
_WEAK = re.compile(r"위해|위하여|위한|따라|따른|므로|으므로|결과|니까|되자|하자|since|so\s+that")


def states_a_cause(text: str) -> bool:
    """Does *text* state a cause or a purpose at all (a strong or weak marker, a bill's purpose,
    or "…을 목적으로", "…로 인하여", "…계기", "…배경", "in order to")? What a sentence must say to
    answer a why, whatever it is about."""
    return bool(_STRONG.search(text) or _WEAK.search(text) or _PURPOSE.search(text) or _ANY_CAUSE.search(text))


# (besides the markers above, which are weighed as reasons of a claim)
_ANY_CAUSE = re.compile(r"로\s*인하여|계기|배경|려는|하고자|목적|만큼|in\s+order", re.I)
_CAUSAL_ENDING = re.compile(r"[가-힣](므로|니까)(?![가-힣])")
# a clause of the claim that says what brought its point about: "보안 문제가 제기되자 …
# 사용금지를 지시", "올림픽 개최가 연기됨에 따라 … 심화될 전망" (not "이에 따라": what came before)
# (a verb made a noun: 확산됨, 취함, 높아짐, and "소비가 늘어남에 따라" — not a noun of its own,
# "프로그램에 따라")
_CAUSAL_CLAUSE = re.compile(r"[가-힣]{2}(되|하|지|나|오|늘|커지|알려지)자[,\s]|"
                            r"(?:[가-힣](됨|함|짐)|(?<![가-힣])[가-힣](?:어|아|여)(?:남|짐|듦))에\s*따라|"
                            # "…인구구조 변화에 대응하여 … 주목", "…심각하다는 점을 감안하면 … 이례적임"
                            r"[가-힣]{2}에\s*대응(하여|해|하기\s*위해)[,\s]|점을\s*(감안|고려)하면|"
                            # "격리 활동이 심화될수록 … 클라우드 수요는 더욱 늘어날 것": what drives it
                            r"[가-힣]{2}수록[,\s]|"
                            # "…체력적인 한계를 느껴 야수로 전향하게 되었다": what made them do it
                            r"[가-힣]{2}(을|를)\s*느껴[,\s]|"
                            # "…더 큰 위기를 막아야겠다는 절박함에 따른 선택": what drove a decision
                            r"[가-힣]{2}에\s*따른\s*(선택|결정|조치)|"
                            # "…안전망과 비대면 서비스 확산이라는 관점에서 긍정적으로 변화": the view
                            # that brings the change about
                            r"[가-힣](이)?라는\s*(관점|시각)에서|"
                            # "…업무가 이뤄지도록 하고 있어 ERP 등 … 수요가 증가할 것": "-고 있어(서)"
                            # joining a clause is "because"
                            r"(?:[가-힣]|\s)(하|되)고\s*있어(서)?\s+\S|"
                            # "…오프라인 학원들이 문을 닫게 되면서 온라인 교육이 더욱 활성화", "비대면
                            # 소비가 떠오르면서 주목받고": what happening brought the change
                            r"[가-힣]면서[,\s]+[^.]{0,24}(주목|활성화|증가|늘어|늘었|성장|확대|확산|커지|높아지)|"
                            # "…무료 서비스를 확대 제공함으로써 급증하는 기업 수요를 충족": what it was for
                            r"함으로써\s|"
                            # "…다양한 기술이 갖춰져야 함으로 관련 인프라에 대한 투자가 확대될 필요":
                            # 하므로, as reports often write it
                            r"(?:해야|어야|져야)\s*함으로(?!써)\s|"
                            # "코로나19 여파로 재택근무가 확산되면서 … 필요성이 크게 높아짐": the claim's
                            # own aftermath (beside it, an aftermath is too loose a link to be a reason)
                            r"[가-힣0-9]\s*여파로\s")
# "…차질을 빚은 제조업체는 위기에 능동적으로 대처하기 위해 스마트팩토리 등 … 박차를 가하는 추세":
# what an act is done for is why it is done — said by the sentence that answered, not by
# another one quoted beside it (its purpose is of another matter)
_ACT_KINDS = frozenset({"other", "describe", "change", "reason", "list"})  # questions on what happened, or how
# (or of an act named by its noun: "…대규모 지역사회 전파 차단을 위해 … 거리두기를 실시")
_PURPOSE_CLAUSE = re.compile(r"[가-힣](기|을|를)\s*위(해|하여)(서)?[,\s]")
# a claim that opens with a consequence ("따라서 …로 개정하려는 것임") states the conclusion of
# what comes just before it: that is its reason, in the writer's own order
_CONSEQUENCE = re.compile(r"^\s*[-·•○□■◦▪*]?\s*(따라서|그러므로|그러니까|그래서|그 결과|결국|이에\s*따라|이로\s*인해|"
                          # "이러한 통계를 바탕으로 어림잡아 …": an estimate made from what came before
                          r"(?:이러한|이와\s*같은|이런)\s*(?:통계|자료|결과|조사|분석|수치)(?:를|을)\s*(?:바탕으로|근거로|토대로)|"
                          r"이를\s*(?:바탕으로|근거로|토대로)|"
                          # a bill's "이에 육아휴직 가능 시기를 … 확대하여 … 하려는 것임" and "이러한 4년제
                          # 간호 교육의 필요성 … 을 고려하고 …": what it does in answer to what came before
                          r"이에(?=\s)(?!\s*(?:대해|대한|대하여|관해|관한|관하여|비해|비하여|반해|반하여|더해|더하여|그치지))|"
                          r"(?:이러한|이와\s*같은|이런)\s*[^.]{0,40}?(?:을|를)\s*(?:고려|감안|반영)하|"
                          r"(이\s*)?때문에|그렇기\s*때문에|이러한\s*이유로|therefore|thus|hence|as\s+a\s+result|"
                          # "이 사건 때문에 보수당은 물러났다": the event just told is the cause
                          r"(이|그|이런|이러한|그런|그러한)\s*(사건|일|사태|상황|결정|조치|영향|문제|사고|논란)(들)?\s*"
                          r"(때문에|으로\s*인해|로\s*인해|으로\s*말미암아|을\s*계기로|를\s*계기로))")
# a sentence that ends on its cause: "…포함되어 있지 않기 때문이다."
_BECAUSE_END = re.compile(r"(때문|까닭|덕분|탓)(이다|입니다|이었다|이었음|임|이라고\s*한다)?[\s.。\"'”’)]*$")
# "그는 …라고 주장했다": what the one just named argued
_ARGUED_BY_THEM = re.compile(r"^\s*(?:그|그녀|그들|이들)(?:는|은|가|이)\s.*[가-힣](?:다|라)고\s*(?:주장|반박)(?:했|하였|함|한다)")
# "다음 이유로 연장하고자 함": the reasons are the statements that follow
_FORWARD = re.compile(r"(다음|아래)(과|와)?\s*(같은\s*)?(이유|사유|까닭|목적|배경)")
# "이것이 훗날 제1차 왕자의 난의 원인이 되었다": a sentence naming the claim's event as the effect
# of what it points back to — it and the statement it points at are the reason, however far
# from the claim the writer put them
_CAUSE_OF = re.compile(r"((?:\S+\s+){0,3}\S+?)의\s*(?:직접적인\s*|주된\s*|결정적인\s*)?(?:원인|발단|도화선|불씨|계기)(?:이|가)\s*(?:되|됐)")
_POINTS_BACK = re.compile(r"^\s*(이것|이는|이\s*일|이\s*사건|이러한|이런|그것|그\s*일)")
# a statement that names its source: "EO Intelligence에 따르면", "…조사에 의하면", "…는 …라고 밝힘"
_SOURCE = re.compile(r"에\s*(따르면|의하면|의한\s*(조사|자료))|(밝혔|밝힘|발표했|발표함|보도했|보도함|분석했|분석함|전했|추산했|"
                     r"추산함|집계했|집계함)(다|음)?[\s.\"'”’)]*$|(고|라고)\s*(밝혔|밝힘|말했|말함|전했|설명했)")
# a statement that opens with its source, for what it and the lines after it say
_LEAD_SOURCE = re.compile(r"^\W*[^.。]{0,40}(집계|조사|통계|자료|발표|보고서)[^.。]{0,12}에\s*(따르면|의하면)")
WHY_MIN_OVERLAP = 0.12  # share of the claim's content words a reason must name
WHY_MIN_SCORE = 0.45
SPECIFIC_SHARE = 0.1  # a word in at most this share of passages links a reason to a claim
ASKED_BONUS = 0.3  # a reason naming what the why-question names ("왜 기회가 …?": 기회)
MORE_SENTENCES = 4
CLAIM_QUERY_CHARS = 200  # the claim's words searched for a passage that explains it
_LIST_ITEM = re.compile(r"^\s*(\d{1,2}[.)]|[가-하][.)]|[①-⑳]|[-·○◦▪•□])\s*\S")
MORE_CHARS = 520
# a bill's own reasons: its 제안이유 (searched in its first chunks), asked of by a why about a
# change; above a premise the text marks nearby (1.5), as the bill states why it changes anything
PROPOSAL_SCORE = 1.55
REASON_PART_CHUNKS = 6
# "지금은?", "현행은?", "원래는 며칠이었어?", "그거 현행법으로는 며칠이에요?": the rule as it stands
NOW_MAX_CHARS = 25
_NOW = re.compile(r"(?<![가-힣])(지금|현행|현재|원래|기존|개정\s*전|바뀌기\s*전|고치기\s*전)(?:은|는|에는|엔|법|규정|으로는|대로|$|\s|[?？])")
# those already under the old rule: "기존 업체는요?", "지금 다니는 학생들은?", "이미 영업 중인 …"
ALREADY_MAX_CHARS = 40
_ALREADY = re.compile(r"(?<![가-힣])(기존|이미|종전|(지금|현재)\s*(다니|있는|영업|재학|근무|진행)|(재학|영업|진행|근무)\s*중인|"
                      # "원래 등록돼 있던 업체는 …": those registered under the old rule
                      r"원래\s*(등록|허가|신고|인가)\S*\s*있던|(이전|예전)부터\s*(하던|영업하던|있던))")
_IN_FORCE_THEN = re.compile(r"(이\s*법|이\s*헌법)\s*시행\s*당시")
# an amending sentence: "제43조 중 “20일이상”을 “50일 이상”으로 한다", "제26조제1항 … 중 “3년”을 “5년”으로, …"
_AMENDS = re.compile(r"(제\s*\d+\s*조(?:의\s*\d+)?)[^“”]{0,60}?중\s*“")
_REPLACES = re.compile(r"“([^”]{1,80})”\s*(?:을|를)\s*“([^”]{1,80})”\s*(?:으로|로)")
_ARTICLE = re.compile(r"안\s*(제\s*\d+\s*조(?:의\s*\d+)?)")
# what a bill is called in its every part, which says nothing of what was asked about it
_BILL_WORDS = frozenset({"개정안", "법안", "개정", "법률안"})
_COST_PART = re.compile(r"비용|추계|재정|미첨부|예산|경비|돈")
_PROBLEM = re.compile(r"문제|부족|어려움|실정|우려|피해|미비|곤란|한계")
_PURPOSE_END = re.compile(r"려는\s*것|하고자\s*(함|한다)|목적으로")
_EXPECTED = re.compile(r"기대(됨|된다|하고)|전망(임|이다)")
# a why about what a bill does: changes, adds, raises, sends ("왜 늘리는 거야?", "왜 올리자는 거예요?")
_ASKS_CHANGE = re.compile(r"바꾸|바꿔|바뀌|바꾼|늘리|늘려|늘린|올리|올려|올린|높이|낮추|줄이|강화|확대|연장|신설|도입|개정|"
                          r"상향|자는|려는|보내|파견")
MIN_SENTENCE_CHARS = 18


@dataclass
class _Sent:
    chunk: Chunk
    index: int
    where: str  # "claim", "passage", "neighbour", "section", "elsewhere"

    @property
    def sentence(self):
        return self.chunk.sentences[self.index]

    @property
    def key(self) -> tuple:
        s = self.sentence
        return (self.chunk.doc_id, s.start, s.end)


def citation_of(chunk: Chunk, sentence, n: int) -> Citation:
    """A :class:`Citation` of one sentence of *chunk*."""
    return Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, heading=chunk.heading,
                    line_start=sentence.line_start, line_end=sentence.line_end, passage=chunk.text,
                    evidence_start=sentence.start - chunk.start, evidence_end=sentence.end - chunk.start,
                    passage_lines=(chunk.line_start, chunk.line_end),
                    location=chunk.location_at(sentence.line_start, sentence.line_end))


def _chunk_no(chunk_id: str) -> tuple[str, int] | None:
    doc, _, no = chunk_id.rpartition("#")
    return (doc, int(no)) if no.isdigit() else None


class Explainer:
    """Why and more over a :class:`~untact_qa.stores.base.Store` (see the module)."""

    def __init__(self, store, retrieve) -> None:
        self.store = store
        self.retrieve = retrieve  # retrieve(text, docs) -> hits

    # -- what the previous answer quoted ---------------------------------------------------
    def claim(self, prior) -> list[_Sent]:
        """The sentences the previous answer quoted (found again by retrieval when the
        caller kept only its text, as the command line and the eval do)."""
        out: list[_Sent] = []
        ids = [c for c, _, _ in prior.cited if c]
        if ids:
            batch = self._fetch(ids)
            for (cid, a, b) in prior.cited:
                ch = batch.get(cid)
                if ch is None:
                    continue
                for i, s in enumerate(ch.sentences):
                    lo, hi = s.start - ch.start, s.end - ch.start
                    if lo < b and hi > a:
                        out.append(_Sent(ch, i, "claim"))
        if out or not prior.answer:
            return out
        quoted = re.sub(r"\s*\[\d+\]\s*", " ", prior.answer)
        flat = re.sub(r"\s+", "", quoted)
        for h in self.retrieve(prior.searched or prior.question, prior.docs)[:5]:
            for i, s in enumerate(h.chunk.sentences):
                if len(s.text) >= 10 and re.sub(r"\s+", "", s.text) in flat:
                    out.append(_Sent(h.chunk, i, "claim"))
            if out:
                break
        return out

    def _fetch(self, ids: list[str]) -> dict[str, Chunk]:
        have = [i for i in dict.fromkeys(ids) if i]
        if not have:
            return {}
        try:
            batch = self.store.fetch(have)
        except (KeyError, IndexError):
            out = {}
            for i in have:  # one at a time: a deleted document's chunk is simply gone
                try:
                    b = self.store.fetch([i])
                    out.update({c.chunk_id: c for c in b.chunks})
                except (KeyError, IndexError):
                    pass
            return out
        return {c.chunk_id: c for c in batch.chunks}

    def _around(self, claim: list[_Sent], span: int) -> list[Chunk]:
        """The claim's chunks and up to *span* chunks on each side in the same document."""
        ids = []
        for s in claim:
            got = _chunk_no(s.chunk.chunk_id)
            if got:
                doc, no = got
                ids += [f"{doc}#{k:04d}" for k in range(max(0, no - span), no + span + 1)]
        counts = self.store.doc_counts()
        ids = [i for i in dict.fromkeys(ids) if (p := _chunk_no(i)) and p[1] < counts.get(p[0], 0)]
        found = self._fetch(ids)
        return [found[i] for i in ids if i in found]

    # -- why -----------------------------------------------------------------------------
    def why(self, question: str, prior, top_k: int = 5) -> Answer:
        """The reason the documents give for the previous answer's claim, or an honest "they
        do not say"."""
        from .tokenization import morphemes

        claim = self.claim(prior)
        if not claim:
            return _no_prior(question, "why")
        claim_text = " ".join(s.sentence.text for s in claim)
        roles = _roles_within(claim_text)
        # the claim's words, and the why-question's own ("왜 그렇게 늘었어?": the growth)
        words = {w for w in morphemes(claim_text + " " + (prior.searched or "") + " " + question) if len(w) >= 2}
        words -= {"이유", "원인", "때문", "그것", "무엇", "어떻다", "하다", "되다", "있다"}
        cands = self._why_candidates(claim, prior, top_k)
        # of a claim quoted in two sentences, the one that answered: a reason of the other
        # ("금강산으로 널리 알려진 이유는 …" beside the autumn name) is not added to its own
        focus = _focus(claim, prior)
        home = ({s.chunk.doc_id for s in claim}, _names(f"{claim_text} {prior.searched or ''}"),
                _countries_of(claim))
        premises, conclusions = _premises(claim, cands, words)
        if "필요" in question:
            # "국산화는 왜 필요하다는 거야?" of "…외산 제품에 의해 지배될 수 있음. 이들 제품에 대한
            # 국산화율을 높일 수 있도록 … 필요함": what a report says just before a need is why
            for key, rank in _needs_premises(claim, cands).items():
                premises.setdefault(key, rank)
        if focus is not None:
            # "따라서 …36%에 달했다는 것은 …" quoted beside the sentence that answered: what led
            # to that other sentence is no reason for the one asked about
            premises = _of_the_focus(premises, claim, focus, conclusions, cands)
        # the writer said "therefore" / "because": a premise outranks any cause word found by overlap
        scored = [(1.5 - 0.1 * rank, cands[key]) for key, rank in premises.items()]
        asked = _asked_words(question)
        scored += _claim_causes(claim, conclusions, asked, prior)
        # (an act's purpose explains the act when what was asked is what happened or how, not
        # who or when: "초기 식민지의 행정권은 누구에게 있었어?" is not answered by the settlers'
        # reforms, whatever they were for — unless the why asks why it is done: "그건 왜 두는 건데?")
        asks_done = _asks_why_done(question)
        answered = frozenset([focus] if focus is not None else [s.key for s in claim] if len(claim) == 1 else []) \
            if expected_type(prior.asked).kind in _ACT_KINDS or asks_done else frozenset()
        done = _acts_asked(question) if asks_done else frozenset()
        for sent in cands.values():
            if sent.key not in premises and sent.key not in conclusions:
                score = self._cause_score(sent, words, asked, roles, home, answered, done)
                if score is not None:
                    scored.append((score, sent))
        stems = _asked_predicates(question)
        # "왜 그렇게 낮았는데?" of "…활용률은 … 매우 낮은 수준이었으나 이번 사태를 겪으면서 큰 폭의
        # 성장 가능성을 보여주고 있음": the cause clause explains the growth after it, not the low
        # rate the question asks about, which the sentence states before that clause
        scored = [(score, sent) for score, sent in scored if not _explains_another_clause(sent.sentence.text, stems)]
        echoed = {st for st in stems if st in claim_text}
        if echoed:
            # …and when the question echoes the claim's own predicate ("낮았는데" of "매우 낮은
            # 수준"), a reason told elsewhere speaks of it: a sentence on why the need for remote
            # tools "크게 높아짐" does not say why the rate was low
            scored = [(score, sent) for score, sent in scored
                      if sent.where == "claim" or any(st in sent.sentence.text for st in echoed)]
        if _DIFFERENCE.search(question) or prior.intent == "comparison":
            scored += [(1.45, sent) for sent in _contrasts(claim, cands)]
        # (a reason the text repeats, as a bill's body repeats its 제안이유, is quoted where it was found)
        found = {" ".join(s.sentence.text.split()): s for _, s in scored}
        scored += [(score, found.get(" ".join(r.sentence.text.split()), r))
                   for score, r in self._proposal_reasons(claim, prior, question, words)]
        another = prior.intent == "why" or bool(_ANOTHER.search(question))
        if another:
            # "다른 이유는?" after a reason: another one, never the reason just given again
            given = {s.key for s in claim}
            scored = [(score, sent) for score, sent in scored if sent.key not in given]
        scored = _of_the_one_named(_of_the_claim_asked(scored, claim, focus, asked), question, claim_text, set(premises))
        return _reason_answer(question, scored, claim, claim_text, focus, another)

    def _proposal_reasons(self, claim: list[_Sent], prior, question: str, words: set[str]) -> list[tuple]:
        """``(score, sentence)`` of a bill's 제안이유 when the why-question asks why the bill
        changes what the claim says ("왜 늘리는 거야?" of 입법예고기간 50일 이상, "이유가
        뭐예요?" after "개정안이 통과되면 …"): a bill states its reasons in that part, not next
        to each article — the likest to the claim first. None of a claim in that part itself
        (its own order tells), of a figure asked about ("왜 5.6%야?"), or of a bare "왜?" after
        a question on the bill's cost (its reasoning is the cost estimate's)."""
        docs = {s.chunk.doc_id for s in claim}
        if len(docs) != 1 or re.search(r"\d", question):
            return []
        bare = not _asked_words(question) or bool(re.fullmatch(r"\W*(왜|이유|이유는|이유가\s*뭐\S*)\W*", question.strip()))
        costed = bool(_COST_PART.search(prior.asked or ""))  # "추가 비용이 생겨?" answered from the estimate
        if not (_ASKS_CHANGE.search(question) or bare and not costed and _ASKS_CHANGE.search(prior.asked or "")):
            return []
        reasons = self._reason_part(docs.pop())
        keys = {r.key for r in reasons}
        if any(s.key in keys for s in claim):
            # the answer quoted the 제안이유 itself: the problem it states is the reason, said to
            # be in the quote ("앞서 인용한 문장이 이유도 …"); else the text's own order tells
            return [(score, s) for s in claim if s.key in keys and (score := _proposal_rank(s, words)) >= PROPOSAL_SCORE + 0.1]
        # ("다음 이유로 연장하고자 함" points at the reasons after it: :func:`_premises` quotes those)
        return [(_proposal_rank(r, words), r) for r in reasons if not _FORWARD.search(r.sentence.text)]

    def _reason_part(self, doc_id: str) -> list[_Sent]:
        """The statements of a bill's 제안이유 (with or without its 주요내용 in one part), in
        order: after the line that names the part, up to the next part; [] for a document
        that has none among its first chunks (any document that is no bill)."""
        out: list[_Sent] = []
        inside = False
        for s in self._doc_sentences(doc_id, REASON_PART_CHUNKS):
            line = bill_part(s.sentence.text)
            head = bill_part(s.chunk.heading_path[-1]) if s.chunk.heading_path else None
            if line is not None and line.startswith("제안이유"):
                inside = True  # (the part's own line: what follows it)
                continue
            if line is not None or (head is not None and not head.startswith("제안이유")):
                if out:
                    return out
                inside = False
                continue
            inside = inside or head is not None
            if inside and _is_statement(s):
                out.append(s)
        return out

    def _doc_sentences(self, doc_id: str, chunks: int | None = None) -> list[_Sent]:
        """The sentences of *doc_id*'s first *chunks* chunks (all: None), in document order,
        each once (neighbouring chunks overlap by a sentence)."""
        n = self.store.doc_counts().get(doc_id, 0)
        n = n if chunks is None else min(n, chunks)
        found = self._fetch([f"{doc_id}#{k:04d}" for k in range(n)])
        out: dict[tuple, _Sent] = {}
        for k in range(n):
            ch = found.get(f"{doc_id}#{k:04d}")
            for i in range(len(ch.sentences) if ch is not None else 0):
                s = _Sent(ch, i, "elsewhere")
                out.setdefault(s.key, s)
        return sorted(out.values(), key=lambda s: s.sentence.start)

    def _why_candidates(self, claim: list[_Sent], prior, top_k: int) -> dict[tuple, _Sent]:
        """Sentences a reason may be: the claim's passage and its neighbours (placed by how near
        they are), then passages retrieved for the claim with cause words."""
        cands: dict[tuple, _Sent] = {}
        claim_keys = {s.key for s in claim}
        claim_sections = {(s.chunk.doc_id, s.chunk.heading) for s in claim}
        for ch in self._around(claim, 2):
            same = any(ch.chunk_id == s.chunk.chunk_id for s in claim)
            for i, _ in enumerate(ch.sentences):
                sent = _Sent(ch, i, "passage" if same else
                             "section" if (ch.doc_id, ch.heading) in claim_sections else "neighbour")
                if sent.key in claim_keys:
                    sent.where = "claim"
                cands.setdefault(sent.key, sent)
        # what was asked, then what was answered: the claim's own words find a passage that
        # explains its event without the question's wording ("…왕자의 난의 원인이 되었다")
        claim_text = " ".join(s.sentence.text for s in claim)[:CLAIM_QUERY_CHARS]
        # (the claim's words by BM25 alone: a passage naming its event need not be near it in
        # meaning, and embedding 200 characters would cost more than the rest of the answer)
        asked = [h.chunk for h in self.retrieve(f"{prior.searched or prior.question} 이유 원인 때문", prior.docs)[:top_k]]
        for chunk in asked + self._lexical(f"{claim_text} 이유 원인 때문", prior.docs, top_k):
            for i, _ in enumerate(chunk.sentences):
                sent = _Sent(chunk, i, "section" if (chunk.doc_id, chunk.heading) in claim_sections else "elsewhere")
                cands.setdefault(sent.key, sent)
        return cands

    def _lexical(self, text: str, docs, k: int) -> list[Chunk]:
        """The *k* passages BM25 ranks first for *text* (within *docs*, when given)."""
        from .tokenization import morphemes

        ids = [i for i, _ in self.store.lexical_search(morphemes(text), k, list(docs) if docs else None)]
        found = self._fetch(ids)
        return [found[i] for i in ids if i in found]

    def _cause_score(self, sent: _Sent, words: set[str], asked: set[str], roles: set[str] = frozenset(),
                     home: tuple = (set(), set(), set()), answered: frozenset = frozenset(),
                     done: frozenset = frozenset()) -> float | None:
        """How well *sent* gives the claim's reason by its own cause or purpose words (None:
        it does not). *roles*: the offices the claim names (대법원장): a sentence outside it
        about other offices only does not explain it. *home*: the claim's documents, the
        names it (or its question) uses — a sentence of another document must name one — and
        the countries it is about: a sentence far from it about other countries only does
        not explain it. *answered*: the claim sentence(s) that answered, whose purpose clause
        is a reason. *done*: the acts a "왜 …는 거야?" asks about (두 of "왜 두는 건데?"): a
        sentence beside the claim that states what that act is done for gives its reason
        ("…사무를 처리하기 위하여 선거관리위원회를 둔다")."""
        text = sent.sentence.text
        strong = bool(_STRONG.search(text)) or (sent.where != "claim" and bool(_PURPOSE.search(text))) or \
            (sent.where == "claim" and bool(_CAUSAL_ENDING.search(text) or _CAUSAL_CLAUSE.search(text))) or \
            (sent.key in answered and bool(_PURPOSE_CLAUSE.search(text))) or \
            (sent.where == "passage" and bool(done) and _purpose_of_the_act(text, done))
        weak = bool(_WEAK.search(_LEGAL_REF.sub(" ", text)))
        if not (strong or weak) or len(text) < MIN_SENTENCE_CHARS:
            return None
        overlap = _overlap(words, text)
        # "이게 왜 이례적이라는 거야?": beside the claim, a sentence that makes the very judgement
        # asked about on a stated ground ("…점을 감안하면 이런 고용 투자 확대는 이례적임") is
        # its reason, however few of the claim's words it repeats
        names_asked = bool(asked) and any(w in text for w in asked)
        judged = strong and sent.where in ("passage", "neighbour") and names_asked
        # a purpose or sequence word ("위해", "이에 따라") explains only a sentence that is
        # plainly about the same thing; a cause word ("때문", "원인") needs less
        if overlap < (WHY_MIN_OVERLAP if strong else 2.5 * WHY_MIN_OVERLAP) and not judged:
            return None
        if sent.where == "claim" and not strong:
            # the claim explains itself only with a cause word ("…등의 이유로") or a causal
            # ending ("녹음이 깔리므로 봉래산"), not with a purpose or sequence ("위해", "따라")
            return None
        if sent.where == "elsewhere" and overlap < 2.5 * WHY_MIN_OVERLAP:
            return None  # far from the claim, a reason must plainly be about it
        if sent.where in ("section", "neighbour", "elsewhere") and not self._shares_specific(words, text):
            return None  # outside the claim's passage, sharing only 코로나19/시장/대만 is no link
        if sent.where != "claim" and roles and (theirs := roles_in(text)) and not (theirs & roles):
            return None  # the 대통령's term rule does not explain the 대법원장's
        if sent.where in ("elsewhere", "neighbour") and _another_country(sent, home[2]):
            # a reason in the section on 국내 does not explain a claim about 일본, nor does the
            # next section's first passage when it is another country's (일본 after 중국)
            return None
        docs, names = home[0], home[1]
        if docs and sent.chunk.doc_id not in docs and not (names & _names(text)):
            # another article's "영화의 흥행 덕분에 …" (유아인's) does not explain why 김태희's
            # film failed: another document explains a claim only about what the claim names
            return None
        place = {"claim": 0.22, "passage": 0.3, "neighbour": 0.2, "section": 0.15, "elsewhere": 0.0}[sent.where]
        # "그게 왜 기회가 된다는 거야?": a reason that speaks of the 기회 asked about comes first
        named = ASKED_BONUS if names_asked else 0.0
        return (0.35 if strong else 0.12) + min(overlap, 0.6) + place + named

    def _shares_specific(self, words: set[str], text: str) -> bool:
        """Does *text* share with *words* one that few passages use (in at most
        :data:`SPECIFIC_SHARE` of them)? Without the index's counts: any shared word."""
        shared = words & content_words(text)
        stats = getattr(self.store, "stats", None)
        df, n = getattr(stats, "chunk_df", None), getattr(stats, "n_chunks", 0)
        if not df or not n:
            return bool(shared)
        return any(df.get(w, 0) / n <= SPECIFIC_SHARE for w in shared)

    def _next_section(self, claim: list[_Sent], around: list[Chunk], section: set, anchor: int,
                      asked: str = "", next_step: bool = False) -> list[_Sent]:
        """The statements of the section that follows the claim's, in document order, from the
        first that shares a specific word (see :meth:`_shares_specific`) with both what was
        *asked* and the claim ("처벌은 어떻게 강화돼?": the penalties' item); none when no
        statement does (the next section is about something else)."""
        doc = claim[0].chunk.doc_id
        later = [ch for ch in around if ch.doc_id == doc and ch.start >= anchor and (ch.doc_id, ch.heading) not in section]
        if not later:
            return []
        heading = min(later, key=lambda ch: ch.start).heading
        words = {w for s in claim for w in content_words(s.sentence.text)}
        out: dict[tuple, _Sent] = {}
        for ch in sorted(later, key=lambda ch: ch.start):
            if ch.heading != heading:
                continue
            for i, _ in enumerate(ch.sentences):
                sent = _Sent(ch, i, "neighbour")
                out.setdefault(sent.key, sent)
        ordered = sorted(out.values(), key=lambda s: s.sentence.start)
        # what the document is (its title's words: 결혼중개업) is shared by all; what was asked of it is not
        title = re.sub(r"\s+", "", " ".join(claim[0].chunk.heading_path[:1]))
        keys = {w for w in content_words(asked) if w not in title} & words
        if next_step and ordered and tuple(ordered[0].chunk.heading_path[:-1]) == tuple(claim[0].chunk.heading_path[:-1]):
            # "그 다음엔 어떻게 돼?" after 제128조 (proposal): the next article of the same chapter
            # (제130조, the Assembly's vote) is what comes next, whatever words it shares
            return ordered
        first = next((k for k, s in enumerate(ordered) if self._shares_specific(keys, s.sentence.text)), None)
        return [] if first is None else ordered[first:]

    # -- source --------------------------------------------------------------------------
    def source(self, question: str, prior, bare: bool = False) -> Answer | None:
        """"그 수치 어디서 나온 거야?": the previous answer's own sentences that name where what
        they state comes from ("EO Intelligence에 따르면 …"), quoted; None when none does (the
        question is then read as any question about the matter) — unless *bare* (the message
        asks nothing but the source, "출처는?"): then the document and place it was quoted from."""
        claim = self.claim(prior)
        said = [s for s in claim if _SOURCE.search(s.sentence.text)]
        preface = "앞서 인용한 문장이 출처를 밝히고 있습니다: "
        if not said:
            said = self._lead_in_source(claim)
            preface = "앞서 인용한 문장 바로 앞의 문장이 출처를 밝히고 있습니다: "
        if not said and bare and claim:
            # "출처는?" of a sentence that names no source (a statute's article, a report's own
            # claim): the source is the document and the place it was quoted from
            first = claim[0]
            start, end = first.sentence.line_start, first.sentence.line_end
            where = " > ".join(first.chunk.heading_path) or first.chunk.heading
            place = first.chunk.location_at(start, end) or (f"{start}–{end}행" if end != start else f"{start}행")
            said = [first]
            preface = (f"문장 안에 따로 밝힌 출처는 없고, 앞의 답은 문서 ‘{first.chunk.doc_id}’"
                       + (f"의 {where}" if where else "") + f" ({place})에서 인용했습니다: ")
        if not said:
            return None
        cites = [citation_of(s.chunk, s.sentence, n) for n, s in enumerate(said, 1)]
        body = " ".join(f"{s.sentence.text.strip()} [{n}]" for n, s in enumerate(said, 1))
        return Answer(question=question, text=preface + body, citations=tuple(cites),
                      abstained=False, searched_query=question, confidence=1.0, kind="answer", intent="reference",
                      expected_type="source")

    def _lead_in_source(self, claim: list[_Sent]) -> list[_Sent]:
        """The statement right before the claim, in its section, that opens with where the
        figures come from ("4월 2주차 집계된 알서포트의 통계에 따르면, 한일 양국의 … 차이가
        있음" before "한국에서는 리모트미팅의 사용시간이 … 증가"): a 개조식 report names its
        source once, for the lines that follow it."""
        if not claim:
            return []
        first = min(claim, key=lambda s: s.sentence.start)
        section = (first.chunk.doc_id, first.chunk.heading)
        cands = {x.key: x for ch in self._around([first], 1) if (ch.doc_id, ch.heading) == section
                 for x in (_Sent(ch, i, "section") for i in range(len(ch.sentences)))}
        before = [x for x in _just_before(first, cands, len(cands)) if _is_statement(x)]
        return before[-1:] if before and _LEAD_SOURCE.search(before[-1].sentence.text) else []

    # -- what a bill changes -------------------------------------------------------------
    def before_the_change(self, question: str, prior) -> Answer | None:
        """"지금은?", "현행법으로는 며칠이에요?" after a turn on what a bill changes: the words
        its amending sentence replaces ("제43조 중 “20일이상”을 “50일 이상”으로 한다." → 20일이상),
        quoted with that sentence; None when the question is no such request, the previous
        turn was not on a bill's change, or no amending sentence of the bill is about it."""
        if len(question) > NOW_MAX_CHARS or not _NOW.search(question) or not _ASKS_CHANGE.search(prior.asked or ""):
            return None
        claim = self.claim(prior)
        docs = {s.chunk.doc_id for s in claim}
        if len(docs) != 1:
            return None
        doc = docs.pop()
        if not self._reason_part(doc):
            return None  # no bill (its 제안이유 opens it): nothing amends anything
        sents = self._doc_sentences(doc)
        said = " ".join([prior.answer or ""] + [s.sentence.text for s in claim])
        asked = set(content_words(prior.asked or "")) - _BILL_WORDS
        # the articles the bill's own summary names beside what was asked ("입법예고기간과 … 50일
        # 이상으로 연장함(안 제43조 및 제46조의2)")
        named = {a for x in sents if asked & set(content_words(x.sentence.text))
                 for a in _ARTICLE.findall(x.sentence.text)}
        best, score = None, 0
        for x in sents:
            pairs = _REPLACES.findall(x.sentence.text)
            if not pairs or not _AMENDS.search(x.sentence.text):
                continue
            article = _AMENDS.search(x.sentence.text).group(1)
            new = [b for _, b in pairs if _squash(b) and _squash(b) in _squash(said)]
            got = 3 * bool(new) + 2 * (article in named) + len(asked & set(content_words(x.sentence.text)))
            if got > score:
                best, score, replaced = x, got, pairs
        if best is None or score < 2:
            return None
        cites = [citation_of(best.chunk, best.sentence, 1)]
        if len(replaced) == 1:
            (old, new), = replaced
            lead = f"현행 규정은 ‘{old}’입니다 — 개정안은 이를 ‘{new}’{josa(new, '로')[len(new):]} 바꿉니다"
        else:
            lead = "현행 규정 → 개정안: " + ", ".join(f"‘{old}’ → ‘{new}’" for old, new in replaced)
        text = f"{lead}: {best.sentence.text.strip()} [1]"
        return Answer(question=question, text=text, citations=tuple(cites), abstained=False, searched_query=question,
                      confidence=1.0, kind="answer", intent="ellipsis", expected_type="other")

    def in_transition(self, question: str, prior) -> Answer | None:
        """"기존 업체는요?", "지금 다니는 학생들은?", "이미 영업 중인 업체들은 언제까지 갖춰야
        돼요?" after a turn on a bill: what its transitional provision says of those already
        under the old rule ("이 법 시행 당시 종전의 규정에 따라 등록된 국제결혼중개업자는 …
        다만, … 1년 이내에 … 갖추어야 한다."), quoted with the "다만" that follows it; None
        when the question is no such request, the turn was on no bill, or the bill has none."""
        if len(question) > ALREADY_MAX_CHARS or not _ALREADY.search(question):
            return None
        claim = self.claim(prior)
        docs = {s.chunk.doc_id for s in claim}
        if len(docs) != 1:
            return None
        doc = docs.pop()
        if not self._reason_part(doc):
            return None  # no bill: no transitional provision
        ordered = self._doc_sentences(doc)
        words = set(content_words(f"{question} {prior.asked or ''} {' '.join(s.sentence.text for s in claim)}"))
        provisions = [k for k, x in enumerate(ordered) if _IN_FORCE_THEN.search(x.sentence.text)]
        if not provisions:
            return None
        k = max(provisions, key=lambda k: (len(words & set(content_words(ordered[k].sentence.text))), -k))
        picked = [ordered[k]] + [x for x in ordered[k + 1:k + 2] if x.sentence.text.lstrip().startswith("다만")]
        cites = [citation_of(x.chunk, x.sentence, n) for n, x in enumerate(picked, 1)]
        body = " ".join(f"{x.sentence.text.strip()} [{n}]" for n, x in enumerate(picked, 1))
        return Answer(question=question, text=f"이미 종전 규정을 따르던 경우는 부칙의 경과조치가 정합니다: {body}",
                      citations=tuple(cites), abstained=False, searched_query=question, confidence=1.0,
                      kind="answer", intent="ellipsis", expected_type="other")

    # -- more ----------------------------------------------------------------------------
    def more(self, question: str, prior, quoted: set[tuple] | None = None) -> Answer:
        """The previous answer's passage and section, expanded (see the module)."""
        claim = self.claim(prior)
        if not claim:
            return _no_prior(question, "more")
        quoted = set(quoted or ()) | {s.key for s in claim}
        focused = self._focused(question, claim, quoted)
        if focused is not None:
            return focused
        # (what else it changes is another item of the summary, not the text of this one)
        articles = [] if _ELSE.search(question) else self._articles_referred_to(claim, quoted, prior)
        if articles:
            # "…입증책임을 전환시키려는 것임(안 제35조 및 제36조 신설)" then "더 자세히": the
            # provisions the bill's summary points to, as the bill's text writes them
            return _more_answer(question, articles)
        section = {(s.chunk.doc_id, s.chunk.heading) for s in claim}
        seen: dict[tuple, _Sent] = {}
        anchor = max(s.sentence.end for s in claim)
        around = self._around(claim, 3)
        for ch in around:
            if (ch.doc_id, ch.heading) not in section:
                continue
            for i, _ in enumerate(ch.sentences):
                sent = _Sent(ch, i, "section")
                seen.setdefault(sent.key, sent)
        ordered = sorted(seen.values(), key=lambda s: (s.chunk.doc_id, s.sentence.start))
        first = min(x.sentence.start for x in claim)
        after = [s for s in ordered if s.sentence.start >= anchor]
        before = [s for s in reversed(ordered) if s.sentence.end <= first]
        # a statement between two quoted ones (the answer quoted ‘도장 문화’ and, two sentences
        # on, the fax example): the nearest detail of all, skipped by "after" and "before"
        between = [s for s in ordered if first < s.sentence.start < anchor and s.key not in quoted
                   and s.chunk.doc_id == claim[0].chunk.doc_id]
        if _NEXT_STEP.search(question):
            # "그다음엔 어떻게 돼?": what follows the claim, never what led up to it
            before = between = []
        if not after:
            # the claim ends its section ("…등록기준을 강화하고자 함" closing a bill's 제안이유):
            # its details are what the next section says of the same thing (주요내용 가. …),
            # rather than what led up to the claim
            after = self._next_section(claim, around, section, anchor, prior.searched or prior.question or "",
                                       next_step=bool(_NEXT_STEP.search(question)))
            before = before if not after else []
        picked: list[_Sent] = []
        chars = 0
        # the items of a list the claim opens ("다음의 목적을 위한 경비는 …: 1. … 2. …") are its
        # next statements however short: the run of them right after the claim
        items = set()
        for s in after:
            if not _LIST_ITEM.match(s.sentence.text) or len(s.sentence.text.strip()) < 6:
                break
            items.add(s.key)
        for s in between + after + before:
            text = s.sentence.text.strip()
            if s.key in quoted or (s.key not in items and not _is_statement(s)):
                continue
            if len(picked) >= MORE_SENTENCES + len(items) or chars + len(text) > MORE_CHARS and picked:
                break
            picked.append(s)
            chars += len(text)
        if not picked:
            # "그래서 어떻게 됐어?" of "…조치를 취함에 따라 … 많은 변화가 발생": the result is in
            # the sentence quoted already
            told = [c for c in claim if _ASKS_RESULT.search(question) and _STATES_RESULT.search(c.sentence.text)]
            if told:
                answer = _more_answer(question, told[:1])
                return replace(answer, text="앞서 인용한 문장이 그 결과도 밝히고 있습니다: " + answer.text)
            return _abstained(question, "앞의 답이 인용한 부분에 대해 문서에 더 나온 내용이 없습니다. 다른 질문으로 물어보세요.",
                              "more")
        return _more_answer(question, picked)

    def _articles_referred_to(self, claim: list[_Sent], quoted: set, prior) -> list[_Sent]:
        """The text of the articles a bill's summary sentence refers to ("…하도록 함(안 제35조 및
        제36조 신설)"), from the bill's own amending text (between "…일부를 다음과 같이 개정한다"
        and its 부칙 or comparison table): each article's sentences, not those quoted already,
        within :data:`MORE_CHARS`; [] when the claim refers to none or the bill has no such text.
        Of a claim of several sentences, only those that speak of what was asked refer (a second
        quoted item on 자본금 does not, after "신상정보에는 뭐가 추가돼?")."""
        asked = _asked_words(prior.searched or prior.question or "")
        # (words of the bill's own name, which every item repeats, say nothing of what was asked)
        about = [s for s in claim if len(claim) == 1 or any(w in s.sentence.text and w not in s.chunk.heading
                                                            and w not in _BILL_WORDS for w in asked)]
        refs = [(s.chunk.doc_id, n) for s in about for m in _BILL_REF.finditer(s.sentence.text)
                for n in _ARTICLE_NO.findall(m.group(1))]
        if not refs:
            return []
        doc = refs[0][0]
        wanted = {re.sub(r"\s+", "", n) for d, n in refs if d == doc}
        picked, chars, current = [], 0, ""
        for sent in _amending_text(self._doc_sentences(doc)):
            text = sent.sentence.text.strip()
            # (the article a sentence belongs to: the heading it stands under, "제35조(손해배상책임)",
            # or the one an amending instruction opens with, "제43조 중 …")
            opens = _ARTICLE_OPENS.match(sent.chunk.heading.rpartition(" > ")[2]) or _ARTICLE_OPENS.match(text)
            current = re.sub(r"\s+", "", opens.group(1)) if opens is not None else current
            if current not in wanted or sent.key in quoted:
                continue
            if picked and (chars + len(text) > MORE_CHARS or len(picked) >= MORE_SENTENCES + 2):
                break
            picked.append(sent)
            chars += len(text)
        return picked

    def _focused(self, question: str, claim: list[_Sent], quoted: set) -> Answer | None:
        """"해적 얘기 좀 더 자세히요", "예외는 없어?": more about what the question names, from
        the claim's document — the statements naming it, the nearest to the claim first (those
        after it before those before it) — or the quoted rule's exception (:meth:`_exception`).
        None when the question names nothing of its own, or nothing in the document states it
        (the plain expansion then answers)."""
        exception = bool(_ASKS_EXCEPTION.search(question))
        # (a word the answer did not use asks for something else — "그 다음 절차": what comes
        # next, which the plain expansion gives — not more about something it said)
        claim_text = " ".join(s.sentence.text for s in claim)
        words = {w for w in _more_focus(question) if w in claim_text}
        if not words and not exception:
            return None
        if exception:
            return self._exception(question, claim, quoted)
        doc = claim[0].chunk.doc_id
        first = min(s.sentence.start for s in claim)
        anchor = max(s.sentence.end for s in claim)
        naming = [s for s in self._doc_sentences(doc) if _is_statement(s) and any(w in s.sentence.text for w in words)]
        hits = [s for s in naming if s.key not in quoted]
        if naming and not hits:
            # "반려 사유 다른 것도 있으면 더 알려줘" after an answer that quoted the article's
            # five grounds: the document says nothing more of it, and another part is no answer
            return _abstained(question, f"앞의 답이 문서에서 ‘{sorted(words, key=len)[-1]}’에 대해 말하는 문장을 "
                                        "모두 인용했습니다. 더 나온 내용이 없습니다.", "more")
        hits.sort(key=lambda s: (s.sentence.start - anchor) if s.sentence.start >= anchor
                  else FOCUS_BEFORE + (first - s.sentence.end))
        picked, chars = [], 0
        for s in hits:
            text = s.sentence.text.strip()
            if len(picked) >= MORE_SENTENCES or picked and chars + len(text) > MORE_CHARS:
                break
            picked.append(s)
            chars += len(text)
        return _more_answer(question, picked) if picked else None

    def _exception(self, question: str, claim: list[_Sent], quoted: set) -> Answer | None:
        """The exception to the rule the claim quoted: its own "다만, …" clause, pointed at,
        or the one that follows a quoted rule in its paragraph (before the next ② or item)."""
        own = [s for s in claim if _EXCEPTION.search(s.sentence.text)]
        if own:
            cites = [citation_of(s.chunk, s.sentence, n) for n, s in enumerate(own, 1)]
            clauses = " ".join(f"‘{_short(_exception_clause(s.sentence.text), 160)}’ [{n}]" for n, s in enumerate(own, 1))
            return Answer(question=question, text=f"앞의 답이 인용한 문장에 예외가 함께 나옵니다: {clauses}",
                          citations=tuple(cites), abstained=False, searched_query=question, confidence=1.0,
                          kind="answer", intent="more", expected_type="describe")
        from .textrepair import opens_article

        pool = sorted({s.key: s for ch in self._around(claim, 1)
                       for s in (_Sent(ch, i, "section") for i in range(len(ch.sentences)))}.values(),
                      key=lambda s: (s.chunk.doc_id, s.sentence.start))
        picked: dict[tuple, _Sent] = {}
        listed = 0
        for rule in claim:
            # (each quoted rule's own paragraph: a claim may quote two articles)
            in_list = False
            for s in pool:
                if s.chunk.doc_id != rule.chunk.doc_id or s.sentence.start < rule.sentence.end:
                    continue
                if in_list and _LIST_ITEM.match(s.sentence.text) and not re.match(r"\s*[①-⑳]", s.sentence.text):
                    # "다만, 다음 각 호의 어느 하나에 해당하는 경우에는 예고를 하지 아니할 수 있다.":
                    # the exceptions are its items (up to the next paragraph, ②)
                    picked[s.key] = s
                    listed += 1
                    continue
                if _LIST_ITEM.match(s.sentence.text) or opens_article(s.sentence.text):
                    break
                if s.key not in quoted and _EXCEPTION.search(s.sentence.text):
                    picked.setdefault(s.key, s)
                    in_list = bool(_EXCEPTION_LIST.search(s.sentence.text))
        return _more_answer(question, list(picked.values())[:MORE_SENTENCES + listed]) if picked else None


# an exception that lists its cases next: "다만, 다음 각 호의 어느 하나에 해당하는 경우에는 …"
_EXCEPTION_LIST = re.compile(r"(?:다만|단)\s*,.*다음\s*각\s*호")


def _exception_clause(text: str) -> str:
    """A rule's exception as it reads: from its "다만," on, or the whole sentence when the
    exception is inside the rule ("…현행범인인 경우를 제외하고는 …")."""
    m = re.search(r"(?:^|[\s.])((?:다만|단)\s*,.*)", text, re.S)
    return m.group(1) if m else text.strip()


_ELSE = re.compile(r"(?<![가-힣])(?:또|다른|그\s*밖|그\s*외)|\b(?:else|other)\b", re.I)
# a bill's summary pointing at its provisions: "(안 제35조 및 제36조 신설)", "(안 제10조의2제1항제2호)"
_BILL_REF = re.compile(r"\(\s*안\s*(제\s*\d+\s*조[^)]*)\)")
_ARTICLE_NO = re.compile(r"제\s*\d+\s*조(?:\s*의\s*\d+)?")
# a sentence of the amending text that starts an article: "제35조(손해배상책임) …", "제43조 중 …"
_ARTICLE_OPENS = re.compile(rf"({_ARTICLE_NO.pattern})(?![\d의])")
_AMENDING_OPENS = re.compile(r"다음과\s*같이\s*개정한다")
# a sentence that opens the 부칙 or the comparison table (a heading of either: textrepair.bill_part)
_AMENDING_ENDS = re.compile(r"^\s*(?:부\s*칙|신\s*[·ㆍ⋅.]?\s*구\s*조\s*문)")


def _amending_text(sents: list[_Sent]) -> list[_Sent]:
    """The sentences of a bill's amending text: after "…를 다음과 같이 개정한다", before its
    부칙 or its comparison table (whose two columns repeat the articles in fragments)."""
    start = next((k for k, s in enumerate(sents) if _AMENDING_OPENS.search(s.sentence.text)), None)
    if start is None:
        return []
    out = []
    for s in sents[start + 1:]:
        # (a part's heading is what the chunker made of textrepair.bill_part's line)
        if _AMENDING_ENDS.match(s.sentence.text) or \
                bill_part(s.chunk.heading_path[-1] if s.chunk.heading_path else "") in ("부칙", "신구조문대비표"):
            break
        out.append(s)
    return out


def _more_answer(question: str, picked: list[_Sent]) -> Answer:
    """The more-answer quoting *picked*, in document order."""
    picked = sorted(picked, key=lambda s: (s.chunk.doc_id, s.sentence.start))
    cites = [citation_of(s.chunk, s.sentence, n) for n, s in enumerate(picked, 1)]
    body = " ".join(f"{s.sentence.text.strip()} [{n}]" for n, s in enumerate(picked, 1))
    return Answer(question=question, text=body, citations=tuple(cites), abstained=False, searched_query=question,
                  confidence=1.0, kind="answer", intent="more", expected_type="describe")


# the words of a more-request that ask for more, not what about ("좀 더 자세히 설명해 줘",
# "관련해서 더 있는 내용도", "구체적으로"): what is left names the focus ("해적 얘기" → 해적)
_MORE_WORDS = frozenset({"설명", "내용", "얘기", "이야기", "관련", "부분", "구체", "정도", "조금", "사항", "정보",
                         "추가", "자세", "다음", "이후", "예외", "나머지", "전부", "전체", "말씀", "부탁", "더", "좀",
                         "이유", "원인", "까닭", "근거"})
# "예외는 없어?", "예외도 있어요?": a law's exception is its "다만, …" (단서) or what it excludes
_ASKS_EXCEPTION = re.compile(r"예외|exception", re.I)
_EXCEPTION = re.compile(r"(?:^|[\s.])(?:다만|단)\s*,|예외|제외(?:하고|한다|하며|한\s)")
# "그다음엔 어떻게 돼?", "그 뒤로는?": only what follows
_NEXT_STEP = re.compile(r"(그\s*)?다음(에는|엔|은|에|으로)|그\s*뒤|그\s*후|이후(에는|엔|는)?\s*(어떻게|뭐)|그래서\s*어떻게|"
                        r"그러자|그랬더니|next|after that", re.I)
# "그래서 어떻게 됐어?": the result of what was said; a sentence that states one of its own
_ASKS_RESULT = re.compile(r"그래서|그러자|그랬더니|결과")
_STATES_RESULT = re.compile(r"(?:에\s*따라|면서|으로\s*인해|로\s*인해|결과)[^.]{0,80}(?:발생|되었|됐|증가|감소|변화|늘어|줄어)")
FOCUS_BEFORE = 10 ** 6  # a statement before the claim ranks after every one that follows it


def _more_focus(question: str) -> set[str]:
    """The nouns a more-request names of its own ("해적 얘기 좀 더 자세히요" → {해적}); not why
    it asks ("다른 이유는?" is more of the reasons, not more about the word 이유)."""
    return {w for w in _asked_words(question) if w not in _MORE_WORDS and w.lower() not in _MORE_ENGLISH}


_MORE_ENGLISH = frozenset({"more", "tell", "detail", "details", "about", "please", "explain", "me", "it", "that", "this",
                           "the", "and", "what", "else", "further", "exactly", "kind", "is", "of"})


# "왜 그런 차이가 생긴 거야?", "Why the difference?", "일본 쪽이 훨씬 많이 는 건 왜?"
_DIFFERENCE = re.compile(r"차이|다르|달라|differ|훨씬|더\s*많이|쪽이|쪽은", re.I)
# "…을 중시하는 국내의 경우 …한 반면, …을 중요시하는 일본의 경우 …": two sides set against each other
_CONTRAST = re.compile(r"반면|(와|과)\s*달리|에\s*비해|에\s*반해")


def _contrasts(claim: list[_Sent], cands: dict[tuple, _Sent]) -> list[_Sent]:
    """Sentences near the claim that set the claim's two sides against each other (the
    countries it names; 국내 is Korea): why two sides differ is what the writer says each
    side is like."""
    sides = _countries_of(claim)
    if len(sides) < 2:
        return []
    out = []
    for sent in cands.values():
        text = sent.sentence.text
        if sent.where in ("claim", "passage", "section") and _CONTRAST.search(text):
            named = _countries_of([sent]) | ({"한국"} if re.search(r"국내|우리나라", text) else set())
            if len(named & sides) >= 2:
                out.append(sent)
    return out


def _needs_premises(claim: list[_Sent], cands: dict[tuple, _Sent]) -> dict[tuple, int]:
    """The statement just before each claim sentence that states a need ("…이 필요함"), in its
    document: the problem the need answers (rank 0)."""
    out: dict[tuple, int] = {}
    for c in claim:
        text = c.sentence.text
        if not re.search(r"필요(함|하다|합니다|한\s*상황|성이\s*있음)?[.\s]*$", text) or \
                _STRONG.search(text) or _CAUSAL_ENDING.search(text) or _CAUSAL_CLAUSE.search(text):
            continue  # (a need that says its own cause, "…어려울 수 있으므로 … 필요", is answered by it)
        before = _just_before(c, cands, 1)
        if before and _is_statement(before[0]):
            out[before[0].key] = 0
    return out


def _just_before(sent: _Sent, cands: dict[tuple, _Sent], n: int) -> list[_Sent]:
    """The *n* candidate sentences right before *sent* in its document, in order."""
    return sorted((x for x in cands.values() if x.chunk.doc_id == sent.chunk.doc_id
                   and x.sentence.end <= sent.sentence.start), key=lambda x: x.sentence.start)[-n:]


def _of_the_focus(premises: dict[tuple, int], claim: list[_Sent], focus: tuple, conclusions: set,
                  cands: dict[tuple, _Sent]) -> dict[tuple, int]:
    """*premises* without those that led to another sentence of the claim than the one that
    answered (*focus*), but for the statement right before the focus, its premise all the
    same: "이 중에서 재택근무유형 비중은 … 0.6%로 조사되었다. 이러한 통계를 바탕으로 어림잡아 …
    0.01%~0.64% …. 따라서 …36%" — the survey is why the estimate (the focus) is so low."""
    others = [s for s in claim if s.key != focus and s.key in conclusions]
    mine = next((s for s in claim if s.key == focus), None)
    right_before = {x.key for x in _just_before(mine, cands, 1)} if mine is not None else set()
    return {k: r for k, r in premises.items()
            if k in right_before or not any(_leads_to(cands[k], o, cands) for o in others)}


def _leads_to(premise: _Sent, conclusion: _Sent, cands: dict[tuple, _Sent]) -> bool:
    """Is *premise* one of the two sentences just before *conclusion* in its document?"""
    return premise.key in {x.key for x in _just_before(conclusion, cands, 2)}


def _countries_of(sents: list[_Sent]) -> set[str]:
    """The countries the sentences, or the sections they are in, are about."""
    from .question import places_in

    out: set[str] = set()
    for s in sents:
        out |= places_in("country", f"{' '.join(s.chunk.heading_path)} {s.sentence.text}")
    return out


def _another_country(sent: _Sent, countries: set[str]) -> bool:
    """Is *sent* (by its own words or its section's heading) about countries, none of them
    *countries* (the claim's)?"""
    if not countries:
        return False
    theirs = _countries_of([sent])
    return bool(theirs) and not (theirs & countries)


def _overlap(words: set[str], text: str) -> float:
    """The share of the claim's *words* (at most 12 counted) that *text* uses."""
    mine = content_words(text)
    return len(words & mine) / max(1, min(len(words), 12))


def _names(text: str) -> set[str]:
    """The proper nouns (and foreign words) of *text*, of two characters or more."""
    from .tokenization import kiwi

    return {t.form for t in kiwi().tokenize(text) if t.tag in ("NNP", "SL", "SH") and len(t.form) >= 2}


def _item_label(text: str) -> str | None:
    """The label a report puts before an item of its list ("(원격근무) 기존에 …" → 원격근무),
    or None."""
    m = re.match(r"\s*[(（]([^()（）]{1,12})[)）]\s*\S", text)
    return m.group(1).strip() if m else None


def _of_the_claim_asked(scored: list[tuple], claim: list[_Sent], focus: tuple | None,
                        asked: set[str] = frozenset()) -> list[tuple]:
    """*scored* without the reasons of another item than the claim's, and with those the
    claim's other sentences state ranked below the focus sentence's own — or below a sentence
    beside the claim that makes the judgement the question names (*asked* words the claim
    does not use)."""
    labels = {_item_label(c.sentence.text) for c in claim} - {None}
    if labels:
        # "(온라인 교육) … 이번 방역 사태를 계기로 …" is why online education grows, not why
        # the claim "(원격근무) … 앞으로 원격근무 산업이 빠르게 성장할 것" says so: a
        # sentence under another item's label explains that item
        scored = [(score, sent) for score, sent in scored if _item_label(sent.sentence.text) in labels | {None}]
    said = " ".join(c.sentence.text for c in claim)
    fresh = {w for w in asked if w not in said}
    judged = focus is not None and fresh and any(
        sent.where != "claim" and any(w in sent.sentence.text for w in fresh) for _, sent in scored)
    if focus is not None and (judged or any(sent.key == focus for _, sent in scored)):
        # ("그게 왜 이례적이라는 거야?" after two quoted sentences, the hiring one answering: "…점을
        # 감안하면 이런 고용 투자 확대는 이례적임" beside them is the judgement asked about; the
        # other quoted sentence's own cause, "디지털 수요가 늘어나면서", is not its reason)
        # of two quoted sentences, when the one that answered states its own cause, a cause
        # the other states is that one's: "코로나19 확산으로 … 위축될 것으로 보이며, 특히 도쿄
        # 올림픽 개최가 연기됨에 따라 …" is why it gets worse, not "…인구구조 변화에 대응하여
        # …" quoted before it (a sentence that states none — "보수당은 1873년 물러났다" — may
        # be explained by the one before it: "…태평양 스캔들에서 뇌물에 흔들려 …")
        scored = [(score - OTHER_CLAIM_PENALTY if sent.where == "claim" and sent.key != focus else score, sent)
                  for score, sent in scored]
    return scored


def _of_the_one_named(scored: list[tuple], question: str, claim_text: str, premises: set) -> list[tuple]:
    """*scored* narrowed to the reasons that name what the why-question names of the claim's
    names ("삼일포는 왜 그런 이름이 붙었어?" after an answer naming 삼일포 and 향로봉 of 해금강:
    why 삼일포 is so called, not how 해금강 got its name) — when any does. A premise the
    writer linked to the claim (*premises*) stays: "…정도전은 반대하였다" is explained by the
    sentence after it whether or not that one repeats the name."""
    from .tokenization import kiwi

    named = {t.form for t in kiwi().tokenize(question) if t.tag == "NNP" and len(t.form) >= 2 and t.form in claim_text}
    naming = [(score, sent) for score, sent in scored
              if sent.key in premises or any(n in sent.sentence.text for n in named)]
    return naming if named and naming else scored


OTHER_CLAIM_PENALTY = 0.15  # below the focus sentence's own cause and a premise found beside it


def _focus(claim: list[_Sent], prior) -> tuple | None:
    """Of a claim quoted in several sentences, the one that answered: it alone names most of
    the previous question's words ("가을" of "가을에는 뭐라고 불려?"); None when none does."""
    if len(claim) < 2:
        return None
    # (not by the document's title words, which its every sentence is about: of "쇼와 천황 결혼할
    # 때 야마가타가 파혼하자고 했다며?", 야마가타 and 파혼 tell the sentence, 천황 does not)
    title = " ".join(claim[0].chunk.heading_path[:1])
    for asked in dict.fromkeys(q for q in (prior.question, prior.searched) if q):
        # the user's own words first: a completed follow-up added the conversation's topic
        words = {w for w in _asked_words(asked) if w not in title}
        named = sorted(((sum(1 for w in words if _said_in(w, s.sentence.text)), s.key) for s in claim), reverse=True)
        if named[0][0] > named[1][0]:
            return named[0][1]
    return None


def _said_in(word: str, text: str) -> bool:
    """Does *text* say *word*, or the name in it before a particle the tagger left on it
    ("야마가타가" of a question is the 야마가타 of "야마가타 아리토모는")?"""
    return word in text or (len(word) >= 3 and word[-1] in "가이은는을를의도" and word[:-1] in text)


def _asked_words(question: str) -> set[str]:
    """The content nouns a why-question names of its own ("그게 왜 기회가 된다는 거야?" → 기회)."""
    from .tokenization import kiwi

    skip = {"이유", "원인", "때문", "그것", "그거", "무엇", "뭐", "거", "것", "왜"}
    words = {t.form for t in kiwi().tokenize(question) if t.tag in ("NNG", "NNP", "SL", "SH")
             and len(t.form) >= 2 and t.form not in skip}
    if not re.search(r"[가-힣]", question):
        # "Why will cloud demand keep growing?": the documents' words for what it names (클라우드 수요)
        from .crosslingual import korean_terms

        words |= {w for w in korean_terms(question) if len(w) >= 2 and w not in skip}
    return words


@lru_cache(maxsize=256)
def _acts_asked(asked: str) -> frozenset[str]:
    """The acts a question asks about: its verb stems and the nouns of its 하다 verbs (운영해 → 운영);
    cached, as each sentence of a claim is weighed against the same question."""
    from .tokenization import kiwi

    toks = kiwi().tokenize(asked)
    acts = {t.form for t in toks if t.tag == "VV" and t.form not in _EMPTY_PREDICATES}
    acts |= {t.form for t, nxt in zip(toks, toks[1:]) if t.tag == "NNG" and nxt.tag == "XSV" and len(t.form) >= 2}
    return frozenset(acts)


def _purpose_of_the_act(text: str, acts: frozenset[str]) -> bool:
    """Does *text* state, in a purpose clause ("…하기 위해"), why it does one of *acts*
    (:func:`_acts_asked`) — the act right after the clause?"""
    # (by the stem too: "감사원을 둔다" is the 두 of "왜 두는 건데?")
    return any(any(a in text[m.end():m.end() + 30] for a in acts) or acts & _act_stems(text[m.end():m.end() + 30])
               for m in _PURPOSE_CLAUSE.finditer(text))


@lru_cache(maxsize=1024)
def _act_stems(text: str) -> frozenset[str]:
    """The verb stems of *text* (둔다 → 두), cached: each candidate's clause is read for every act."""
    from .tokenization import kiwi

    return frozenset(t.form for t in kiwi().tokenize(text) if t.tag == "VV")


def _roles_within(text: str) -> set[str]:
    """The offices *text* names (:func:`roles_in`), and those it names inside a longer word:
    "중앙선거관리위원회는 …" is about the 선거관리위원회 a sentence on its purpose names."""
    solid = re.sub(r"\s+", "", text)
    return roles_in(text) | {canon for canon, names in lexicon().roles.items()
                             if any(re.sub(r"\s+", "", n) in solid for n in names)}


def _asks_why_done(question: str) -> bool:
    """Does the why-question ask why something is done ("그건 왜 두는 건데?", "그거 왜 하는
    거야?")? Then the answered sentence's purpose clause is its reason, whatever the previous
    question asked of it (how far apart, which office it belongs to)."""
    from .tokenization import kiwi

    return any(t.tag == "VV" and t.form not in ("그러", "이러", "저러") for t in kiwi().tokenize(question))


def _asked_predicates(question: str) -> set[str]:
    """The verb and adjective stems a why-question asks about ("왜 그렇게 낮았는데?" → 낮), not
    the empty ones (하다, 되다, 있다, 그렇다)."""
    from .tokenization import kiwi

    return {t.form for t in kiwi().tokenize(question) if t.tag in ("VV", "VA") and t.form not in _EMPTY_PREDICATES}


_EMPTY_PREDICATES = frozenset({"하", "되", "있", "없", "그렇", "이렇", "저렇", "그러", "이러", "저러", "보", "말하", "이",
                               "아니", "같"})


def _explains_another_clause(text: str, stems: set[str]) -> bool:
    """Does the cause in claim sentence *text* explain another of its clauses than the one
    the question asks about: the asked predicate stated before the cause, and not after it?"""
    cause = _STRONG.search(text) or _CAUSAL_ENDING.search(text) or _CAUSAL_CLAUSE.search(text)
    if cause is None or not stems:
        return False
    before, after = text[:cause.start()], text[cause.start():]
    return any(s in before for s in stems) and not any(s in after for s in _same_change(stems))


# a change said in other words is the same change: "왜 그렇게 늘었어?" of "…공간이 늘었고 …
# 두꺼워졌기 때문으로 … 약 1000 mAh가량 증가한 수치" asks about the growth stated after the cause
_CHANGE_KIN = (frozenset({"늘", "늘어나", "증가", "확대", "상승"}), frozenset({"줄", "줄어들", "감소", "하락", "축소"}))


def _same_change(stems: set[str]) -> set[str]:
    """*stems* with the other words for the rise or fall they name."""
    return set(stems).union(*(kin for kin in _CHANGE_KIN if kin & set(stems)))


def _premises(claim: list[_Sent], cands: dict[tuple, _Sent], words: set[str]) -> tuple[dict[tuple, int], set]:
    """Reasons the writer marked by the order of the text, ranked (0 nearest), and the
    conclusions and pointers that are no reason themselves:

    * "A. 따라서 B.": A is B's reason. When B is the claim, or restates it (the answer quoted
      A and B's figure: "만 8세"), A is the reason asked for; B itself is a conclusion (one
      about something else is not: it is scored as any sentence is);
    * "…기 때문이다." within three sentences after the claim, in its passage, explains it
      however few words it shares;
    * "다음 이유로 연장하고자 함": the statements that follow it;
    * "이것이 훗날 제1차 왕자의 난의 원인이 되었다", the claim's event named as an effect: it,
      and the statement its "이것" points at, wherever the document says it.
    """
    claim_keys = {s.key for s in claim}
    ordered = sorted(cands.values(), key=lambda c: (c.chunk.doc_id, c.sentence.start))
    premises: dict[tuple, int] = {}
    conclusions: set = set()

    for c in ordered:
        if not _CONSEQUENCE.match(c.sentence.text):
            continue
        near_claim = any(c.chunk.chunk_id == x.chunk.chunk_id for x in claim)
        if not (c.key in claim_keys or near_claim and _overlap(words, c.sentence.text) >= 2.5 * WHY_MIN_OVERLAP):
            # a conclusion about something else may still state this claim's purpose ("이에 따라
            # … 등록기준을 강화하고자 함" for the bill's capital requirement): scored like any
            continue
        conclusions.add(c.key)
        before = [x for x in ordered if x.chunk.doc_id == c.chunk.doc_id and x.sentence.end <= c.sentence.start]
        for rank, x in enumerate(reversed(before[-2:])):
            if _is_statement(x):
                premises.setdefault(x.key, rank)
    for c in claim:
        for x in ordered:
            gap = x.index - c.index
            if x.chunk.chunk_id == c.chunk.chunk_id and 1 <= gap <= 3 and x.key not in claim_keys \
                    and _BECAUSE_END.search(x.sentence.text):
                premises.setdefault(x.key, gap)
            elif x.chunk.chunk_id == c.chunk.chunk_id and gap == 1 and x.key not in claim_keys \
                    and _ARGUED_BY_THEM.match(x.sentence.text):
                # "…재상은 반대하였다. 그는 … 땅이 너무 좁아 … 맞지 않다고 주장했다.": the ground
                # the one just named argued, right after, is why (sharing no word but "그는")
                premises.setdefault(x.key, gap)
    claim_docs = {c.chunk.doc_id for c in claim}
    for c in ordered:
        # the claim's own pointer, or one of its document plainly about the same thing (a bill's
        # "…파견기간을 연장하고자 함. 다음 이유로" when the answer quoted its form line "파견 연장
        # 기간 : …")
        if _FORWARD.search(c.sentence.text) and (c.key in claim_keys or c.chunk.doc_id in claim_docs and
                                                 _overlap(words, c.sentence.text) >= 2.5 * WHY_MIN_OVERLAP):
            after = [x for x in ordered if x.chunk.doc_id == c.chunk.doc_id and x.sentence.start >= c.sentence.end]
            for rank, x in enumerate(after[:2]):
                if _is_statement(x):
                    premises.setdefault(x.key, rank)
            conclusions.add(c.key)  # the pointer itself gives no reason
    for x in ordered:
        m = _CAUSE_OF.search(x.sentence.text)
        if m is None or x.key in claim_keys or not _names_claim_event(m.group(1), claim):
            continue
        before = [y for y in ordered if y.chunk.chunk_id == x.chunk.chunk_id and y.index == x.index - 1]
        if _POINTS_BACK.match(x.sentence.text) and before and _is_statement(before[0]):
            premises.setdefault(before[0].key, 0)  # what "이것" is: the cause itself
        premises.setdefault(x.key, 1)
    return premises, conclusions


def _names_claim_event(effect: str, claim: list[_Sent]) -> bool:
    """Is *effect* ("훗날 제1차 왕자의 난") the claim's own event: its longest run of words
    that the claim's sentences name together (at least two syllables of a name, not one
    general word)?"""
    words = effect.split()
    said = re.sub(r"\s+", "", " ".join(s.sentence.text for s in claim))
    for n in range(len(words), 0, -1):
        for i in range(len(words) - n + 1):
            phrase = "".join(words[i:i + n])
            if len(phrase) >= 4 and phrase in said:
                return True
    return False



def _claim_causes(claim: list, conclusions: set, asked: set[str], prior) -> list[tuple]:
    """``(score, sentence)`` of the claim's own sentences that state the cause asked about,
    ahead of what the writer's order says (see :meth:`Explainer.why`)."""
    scored: list[tuple] = []
    for sent in claim:
        # a claim that opens "이에 따라 …" yet states, in the clause the question asks about,
        # its own cause ("…해킹을 우려해 화면 공유를 피할 것을 당부" for "왜 그런 당부를?"):
        # that cause, before what "이에" points back to
        text = sent.sentence.text
        cause = _STRONG.search(text)
        # (in a clause of its own: "따라서 이번 코로나19를 계기로 … 36%" is still the premise's)
        if sent.key in conclusions and cause and asked and any(w in text[cause.start():] for w in asked) \
                and re.search(r"[가-힣](며|고|으나|지만|는데)[,\s]", text[:cause.start()]):
            scored.append((1.6, sent))
        elif cause and asked and sent.key not in conclusions and len(claim) > 1 and \
                any(w in text for w in asked) and \
                not any(w in o.sentence.text for o in claim if o.key != sent.key for w in asked):
            # "미국은 왜 빠진 거야?" of a two-sentence answer whose second sentence alone
            # names 미국 and states its cause ("…소통 문제를 우려한 … 진언으로 미국은 제외"):
            # that cause, not the premise of the other sentence
            scored.append((1.6, sent))
        elif not asked and _purpose_of_the_act(text, _acts_asked(prior.asked)):
            # "왜?" of "…지원하기 위해 비상 지원센터를 운영" (누가 운영해?): the purpose of the act asked
            scored.append((1.6, sent))
    return scored


def _is_statement(sent: _Sent) -> bool:
    """Is *sent* a statement that may be quoted: long enough, no heading or fragment, and not
    from a bill's old/new comparison table (:func:`untact_qa.textrepair.in_comparison_table`)?"""
    return len(sent.sentence.text.strip()) >= MIN_SENTENCE_CHARS and not _is_heading(sent.sentence.text) \
        and not in_comparison_table(sent.chunk.heading_path)


def _is_heading(text: str) -> bool:
    """A heading, caption or table fragment, not a statement: short and without an ending."""
    t = text.strip()
    if re.match(r"^(\d+[.)]|[□■○●◦▪◆◇※-]|[IVX]+\.|[가-하]\.)\s*\S{0,30}$", t):
        return True
    if len(t) >= 40 or re.search(r"(다|음|함|됨|임|요|했음|있음|없음|것)[.。]?\s*$", t):
        return False
    # a report's clipped statement ends in a noun ("…직원을 더 채용하겠다는 계획을 발표"): what
    # no heading has is an object ("계획을") in four words or more
    return not (len(t.split()) >= 4 and re.search(r"\S[을를]\s", t))


def _short(text: str, n: int = 40) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    return t if len(t) <= n else t[: n - 1] + "…"


_ANOTHER = re.compile(r"(?<![가-힣])(다른|또\s*다른|그\s*밖의|그\s*외의?)\s*(이유|원인)")



def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _proposal_rank(r: _Sent, words: set[str]) -> float:
    """The score of a 제안이유 statement as the reason: the problem the bill answers first
    ("…돌보는 제도가 부족하여 … 실정임"), then what it means to do about it ("이에 … 하려는
    것임"), then the rest; the likest to the claim (*words*) first."""
    text = r.sentence.text
    if _PURPOSE_END.search(text) or _EXPECTED.search(text):
        # (what the bill expects to follow, "…를 계기로 … 확대 등이 기대됨", is no cause of it)
        tier = 1 if _PURPOSE_END.search(text) else 0
    else:
        tier = 2 if _STRONG.search(text) or _PROBLEM.search(text) else 0
    return PROPOSAL_SCORE + 0.05 * tier + 0.01 * min(4, len(words & set(content_words(text))))


# a sentence that announces reasons it gives next: "여러 이유 때문에 시작한 사업이었다", "다음과
# 같은 이유로"
_REASONS_FOLLOW = re.compile(r"(?:여러|몇\s*가지|다음과\s*같은|다음의|아래와\s*같은)\s*(?:이유|원인|까닭|배경)")
LEAD_IN_REASONS = 2  # the reasons quoted after such a sentence


def _reason_answer(question: str, scored: list[tuple], claim: list[_Sent], claim_text: str, focus, another: bool
                   ) -> Answer:
    """The why-answer from *scored* ``(score, sentence)`` reasons: the best one, and the next
    sentence of its passage when that explains too; or the honest abstention."""
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][0] < WHY_MIN_SCORE:
        said = "다른 이유나 원인" if another else "이유나 원인"
        return _abstained(question, f"문서에는 ‘{_short(claim_text)}’의 {said}을 밝힌 문장이 없습니다. "
                                    f"근거 없는 이유를 지어내지 않았습니다.", "why")
    best = scored[0][1]
    picked = [best]
    # a reason often runs over two sentences: the next one in the same passage if it too explains
    nxt = (best.chunk.doc_id, best.index + 1)
    for score, sent in scored[1:3]:
        if (sent.chunk.doc_id, sent.index) == nxt and sent.chunk.chunk_id == best.chunk.chunk_id and \
                score >= WHY_MIN_SCORE and not (focus is not None and sent.key in {c.key for c in claim}) and \
                sent.key not in {p.key for p in picked}:
            picked.append(sent)
    if len(picked) == 1 and _REASONS_FOLLOW.search(best.sentence.text):
        # "…보수당이 여러 이유 때문에 시작한 사업이었다." announces its reasons: they are the
        # sentences after it in its passage (those the previous answer did not quote)
        quoted = {c.key for c in claim}
        after = [_Sent(best.chunk, i, best.where) for i in range(best.index + 1, len(best.chunk.sentences))]
        picked += [s for s in after if s.key not in quoted and _is_statement(s)][:LEAD_IN_REASONS]
    cites = [citation_of(s.chunk, s.sentence, n) for n, s in enumerate(picked, 1)]
    body = " ".join(f"{s.sentence.text} [{n}]" for n, s in enumerate(picked, 1))
    lead = "앞서 인용한 문장이 이유도 밝히고 있습니다: " if best.where == "claim" else ""
    return Answer(question=question, text=lead + body, citations=tuple(cites), abstained=False,
                  searched_query=question, confidence=min(1.0, scored[0][0]), kind="answer", intent="why",
                  expected_type="reason")


def _abstained(question: str, reason: str, intent: str) -> Answer:
    """An honest "the documents do not say": the reason is the answer's text too, so every
    surface (the JSON API, the OpenAI-compatible route, the CLI) says it, not an empty reply."""
    return Answer(question=question, text=reason, citations=(), abstained=True, searched_query=question,
                  reason=reason, kind="abstain", intent=intent)


def _no_prior(question: str, intent: str) -> Answer:
    what = "이유를" if intent == "why" else "더 자세한 내용을"
    return _abstained(question, f"무엇에 대한 {what} 묻는지 알 수 없습니다: 앞에서 문서로 답한 질문이 없습니다. "
                                f"궁금한 내용을 먼저 물어보세요.", intent)
