"""Complete elliptical follow-up questions from the previous turn.

Only a question that really lacks something is rewritten: one that opens with a
connective ("그럼 일본은?", "what about Japan?") or consists of nothing but a noun phrase
and a particle ("면적은?", "2019년에는?"). A complete question ("서울의 인구는?") is never
touched, however short.

The fragment then replaces one slot of the previous question:

* the **subject** — its possessor ("서울의", "중국과 미국의") or first name — when the fragment
  is a name, number or year ("그럼 일본은?" after "중국의 원격근무 현황은?" → "일본의 원격근무
  현황은?");
* the **attribute** — the last noun before the question ends ("인구는?") — when the fragment
  is a common noun that is closer in meaning to the attribute than to the subject ("면적은?"
  after "서울의 인구는?" → "서울의 면적은?"; "국회의원은?" after "대통령의 임기는?" replaces the
  subject instead, because 국회의원 is nearer to 대통령 than to 임기). Closeness is the cosine
  of the e5 query vectors, so it works for any domain without a word list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .korean import josa, word_at
from .tokenization import question_tokens

_CONNECTIVE = re.compile(r"^(그럼|그러면|그렇다면|그리고|또|그 ?외에?|and|what about|how about)\s*", re.I)
_NOUN_TAGS = ("NNG", "NNP", "NNB", "NR", "SL", "SH", "SN", "XSN", "XPN")
_NAME_TAGS = ("NNP", "SL", "SH", "SN")
_PARTICLE = re.compile(r"^J|^VCP$|^EF$|^SF$|^SP$|^SS")
_COMPARE_END = re.compile(r"\s*(을|를)\s*비교(하면|해|해줘|해 줘|하라|한다면|해 주세요|해주세요)?\s*[?？.!]*$")
_MAX_FRAGMENT_CHARS = 14


@dataclass(frozen=True)
class Fragment:
    """The noun phrase of an elliptical question, its trailing particle and its kind."""

    noun: str
    particle: str  # "은", "에는", … as written
    is_name: bool  # a proper noun, foreign word, number or year
    adverbial: bool  # 에/에서 (time or place): prefixed to the previous question


_HOW_ABOUT = re.compile(r"(은|는|도)\s*(어때|어때요|어떤가|어떤가요|어떻습니까|어떨까|어떻지|어떤데|어떤데요|어떤지)\s*[?？.!]*$")


_WHICH_COUNTRY = re.compile(r"(?:어떤|어느|무슨)\s*(?:나라|국가)")
_CASE_OF = re.compile(r"^(.+?)의\s*경우(?:는|에는|엔|에|도)?\s*(?:어때|어때요|어떤가요)?\s*[?？.!]*$|"
                      # "미국 경우엔?" (without 의; not "대통령인 경우는?", a case of its own)
                      r"^(.+?[^인한는할된던운은을\s])\s+경우(?:는|에는|엔|에|도)?\s*(?:어때|어때요|어떤가요)?\s*[?？.!]*$")


def _not_a_noun(toks, i: int) -> bool:
    """Do *toks* from *i* read "(이|가) 아닌" and then a noun?"""
    k = i + 1 if toks[i].tag in ("JKS", "JKC") else i
    return k + 2 < len(toks) and toks[k].tag == "VCN" and toks[k + 1].tag == "ETM" and \
        toks[k + 2].tag.split("-")[0] in _NOUN_TAGS


def fragment_of(question: str) -> Fragment | None:
    """The fragment if *question* is elliptical (see the module docstring), else None."""
    q = question.strip()
    connective = bool(_CONNECTIVE.match(q))
    rest = _CONNECTIVE.sub("", q).strip()
    # "일본은 어때?", "대만은 어떤가요?": "what about …?" asks nothing of its own ("재학생은
    # 어떻게 돼?" does: what happens to them)
    rest = _HOW_ABOUT.sub(r"\1?", rest)
    # "대통령의 경우는?", "일본의 경우엔?": the case of X is X
    rest = _CASE_OF.sub(lambda m: josa(m.group(1) or m.group(2), "은") + "?", rest)
    # "Hahow는요?", "YBM넷은요?": the polite 요 after a particle (Kiwi may read it as a determiner)
    rest = re.sub(r"(은|는|이|가|도)요(?=\s*[?？.!]*$)", r"\1", rest)
    # "공무원 쪽은?", "일본 측은?": that side is the thing itself
    rest = re.sub(r"([가-힣A-Za-z0-9]+)\s+(?:쪽|측)(은|는|도|이|가)(?=\s*[?？.!]*$)",
                  lambda m: josa(m.group(1), {"는": "은", "가": "이"}.get(m.group(2), m.group(2))), rest)
    if not rest:
        return None
    titled = re.fullmatch(r"(《[^《》]{1,40}》)(은|는|이|가|도)\s*[?？.!]*", rest)
    if titled:
        # "《그랑프리》는?": a work's title as the documents mark it, one name whatever its words
        return Fragment(titled.group(1), titled.group(2), True, False)
    office = re.fullmatch(r"([가-힣]{2,}의\s*[가-힣]+?)(은|는|이|가|도)\s*[?？.!]*", rest)
    if office and _office_named(office.group(1)):
        # "행정각부의 장은?": an office whose name has 의 in it is still one noun
        return Fragment(office.group(1), office.group(2), False, False)
    bare = re.fullmatch(r"([가-힣]{2,})(은|는|이|가|도)\s*[?？.!]*", rest)
    if bare and bare.group(1) in PROPERTIES:
        # "요건은?": Kiwi reads 요거+ㄴ+은 ("this one"); a property word alone is a fragment
        return Fragment(bare.group(1), bare.group(2), False, False)
    toks = [t for t in question_tokens(rest) if t.tag not in ("SF", "SP", "SW")]
    if not toks:
        return None
    i = 0
    # (a root before a noun is part of the phrase: 유연 of "유연 단축 근무제는?"; before 하다 it
    # is a predicate, 유연 of "유연한가?")
    while i < len(toks):
        if toks[i].tag.split("-")[0] in _NOUN_TAGS or toks[i].tag == "XR" and i + 1 < len(toks) \
                and toks[i + 1].tag.split("-")[0] in _NOUN_TAGS and toks[i + 1].tag != "XSN":
            i += 1
        elif i and _about_noun(toks, i):
            i += 3  # "발언에 대한 책임은?": a noun about a noun is still one noun phrase
        elif i and _not_a_noun(toks, i):
            # "대법관(이) 아닌 법관은?": a noun that is not another is still one noun phrase
            i += 3 if toks[i].tag in ("JKS", "JKC") else 2
        else:
            break
    nouns, tail = toks[:i], toks[i:]
    if not nouns or any(not _PARTICLE.match(t.tag) for t in tail):
        return None  # a verb, adverb or question word: a question of its own
    if any(t.tag == "JKG" for t in tail):
        return None
    if not connective and len(re.sub(r"[\s?？.!]", "", rest)) > _MAX_FRAGMENT_CHARS:
        return None
    noun = rest[nouns[0].start: nouns[-1].start + nouns[-1].len]
    particle = rest[nouns[-1].start + nouns[-1].len:].strip(" ?？.!")
    if not particle and len(nouns) == 1 and len(noun) >= 6 and noun.endswith("도"):
        # "웨스턴오스트레일리아도?": a name Kiwi does not know, read with its 도 as one word
        noun, particle = noun[:-1], "도"
    way = re.fullmatch(r"(.+?)(으로|로)", noun)
    if way and way.group(1) in COUNTERPART_WORDS:
        # "동서로는?" (Kiwi reads 동서로 as one name): the other direction, 로 its particle
        return Fragment(way.group(1), way.group(2) + particle, False, True)
    return Fragment(noun, particle, any(t.tag.split("-")[0] in _NAME_TAGS for t in nouns),
                    any(t.tag == "JKB" for t in tail))


def _about_noun(toks, i: int) -> bool:
    """Whether toks[i:i+3] is 에 대한/에 관한 and a noun follows (the phrase goes on)."""
    return (i + 3 < len(toks) and toks[i].form == "에" and toks[i].tag == "JKB"
            and toks[i + 1].form in ("대하", "관하") and toks[i + 2].tag == "ETM"
            and toks[i + 3].tag.split("-")[0] in _NOUN_TAGS)


def is_followup(question: str) -> bool:
    """True when *question* leans on an earlier one (connective or bare noun phrase)."""
    return fragment_of(question) is not None


@dataclass(frozen=True)
class _Slots:
    subject: tuple[int, int] | None  # character span in the question
    attribute: tuple[int, int] | None


def _slots(question: str) -> _Slots:
    letters = [ch for ch in question if ch.isalpha()]
    if letters and sum(ch.isascii() for ch in letters) / len(letters) > 0.5:
        # English: the subject is the last capitalised word after the first ("… in China?")
        caps = [m for m in re.finditer(r"\b[A-Z][\w-]*", question) if m.start() > 0]
        return _Slots((caps[-1].start(), caps[-1].end()) if caps else None, None)
    toks = list(question_tokens(question))
    subject = attribute = None
    # subject: the possessor phrase "X의" / "X과 Y의" (from its first noun), else the first name
    for k, t in enumerate(toks):
        if t.tag == "JKG":
            j = k - 1
            while j > 0 and (toks[j - 1].tag.split("-")[0] in _NOUN_TAGS or toks[j - 1].tag == "JC"):
                j -= 1
            if j >= 0:
                subject = (toks[j].start, t.start)
            break
    if subject is None:
        # a common-noun phrase marked as the topic or subject ("중앙선거관리위원회 위원은 정당에
        # …", "헌법재판소 재판관은 몇 명이야?"), early in the question with more to ask after it
        # (one with a name: the name)
        k = 0
        while k < len(toks) and toks[k].tag.split("-")[0] in ("NNG", "XSN", "XPN"):
            k += 1
        if k >= 2 and k < len(toks) - 1 and toks[k].tag in ("JX", "JKS") and toks[k].form in ("은", "는", "이", "가") \
                and toks[k].start <= len(question) * 0.6 and (
                    any(t.tag.split("-")[0] in ("NNG", "NNP") for t in toks[k + 1:])
                    or any(t.form in ("몇", "얼마") for t in toks[k + 1:]) and _an_office(toks[k - 1].form)):
            subject = (toks[0].start, toks[k - 1].start + toks[k - 1].len)
    if subject is None:
        names = [t for t in toks if t.tag.split("-")[0] in _NAME_TAGS]
        nouns_ = [t for t in toks if t.tag.split("-")[0] in ("NNG", "NNP")]
        k0 = toks.index(nouns_[0]) if nouns_ else -1
        particle_next = 0 <= k0 < len(toks) - 1 and toks[k0 + 1].tag.startswith("J")
        if not names and len(nouns_) >= 2 and particle_next and nouns_[0].start < len(question) // 2:
            # no possessor and no name: the first noun phrase is what is asked about
            # ("대통령으로 선거될 수 있는 나이는?" → 대통령), the last one its attribute
            t = nouns_[0]
            end = t.start + t.len
            subject = (t.start, end)
        elif names:
            t = names[0]
            end = t.start + t.len
            m = re.match(r"[0-9가-힣A-Za-z]*?(?=[은는이가을를의에도]|\s|$)", question[end:])
            if t.tag == "SN" and m:  # a number keeps its unit: "2019년"
                end += len(m.group(0))
            latin = re.match(r"[A-Za-z0-9]+", question[end:])
            if latin:  # a name Kiwi cut before its Latin part: "포스" of 포스ICT
                end += len(latin.group(0))
            model = re.match(r" [A-Z][A-Za-z]*\d[A-Za-z0-9+]*(?![A-Za-z0-9])", question[end:])
            if model:  # a product's model code is part of its name: "갤럭시 S8"
                end += len(model.group(0))
            subject = (t.start, end)
    # attribute: the last noun word before the question's particle or predicate
    # (not a noun made a verb: "도입" in "도입됐어" is the predicate, not what is asked about)
    # (nor a question word: "며칠" in "…며칠로 늘어나?" is what is asked, not about what)
    # (nor a setting: "통계청 기준으로", "전년 대비" say by what measure, not what is asked)
    setting = {k for k, t in enumerate(toks) if t.form in _SETTINGS}
    setting |= {k - 1 for k in setting if k > 0 and toks[k - 1].tag.split("-")[0] in ("NNG", "NNP", "SL")}
    # (nor what a question word makes: 얼마씩, "어느 정도")
    asking = {k for k, t in enumerate(toks) if k > 0 and toks[k - 1].form in _QUESTION_NOUNS | {"어느", "어떤"}
              and (t.tag == "XSN" or t.form in ("정도", "수준"))}
    # (nor a counter's suffix: 간 of "지난 5년간" says for how long)
    nouns = [t for k, t in enumerate(toks) if t.tag.split("-")[0] in ("NNG", "NNP", "XSN")
             and not (k + 1 < len(toks) and toks[k + 1].tag.split("-")[0] in ("XSV", "XSA"))
             and not (t.tag == "XSN" and k > 0 and toks[k - 1].tag in ("NNB", "SN", "NR"))
             and t.form not in _QUESTION_NOUNS and k not in setting and k not in asking]
    for t in reversed(nouns):
        k = toks.index(t)
        if t.form in _HEADS and k > 0 and toks[k - 1].tag.split("-")[0] in ("NNG", "NNP") and \
                toks[k - 1].form not in _HEADS and not question[toks[k - 1].start + toks[k - 1].len:t.start].strip():
            # "원격진료 시장": the kind of market is what a fragment replaces ("온라인 교육은?")
            t = toks[k - 1]
        word_start = question.rfind(" ", 0, t.start) + 1
        span = (word_start, t.start + t.len)
        if subject is None or span[0] >= subject[1]:
            attribute = span
        break
    return _Slots(subject, attribute)


def _office_named(phrase: str) -> bool:
    """Is *phrase* the whole name of an office of the lexicon ("행정각부의 장")?"""
    from .question import lexicon

    key = re.sub(r"\s+", "", phrase)
    return any(re.sub(r"\s+", "", n) == key for names in lexicon().roles.values() for n in names)


def _an_office(word: str) -> bool:
    """Is *word* an office (재판관, 위원)? (How many of them there are is asked of them.)"""
    from .question import roles_in

    return bool(roles_in(word))


# nouns a compound ends with that say what kind of thing its first noun is about: "원격진료
# 시장", "배달 산업"
_HEADS = frozenset({"시장", "산업", "업계", "분야", "현황", "동향", "실태", "추세", "규모"})
# "러브 유어셀프 Her 앨범은?" after "…WINGS 앨범 빌보드 200에서 몇 위까지 갔어?": another work of the kind
_WORK_HEADS = frozenset({"앨범", "싱글", "영화", "드라마", "노래", "곡", "작품", "소설", "시리즈", "법안", "개정안"})
KIND_HEADS = ("시장", "산업", "업계", "분야")  # of these, the ones whose first noun is a kind of business


_SETTINGS = frozenset({"기준", "대비", "동안", "사이", "당시", "이후", "이전"})
_QUESTION_NOUNS = frozenset({"며칠", "몇", "얼마", "무엇", "뭐", "언제", "어디", "누구", "어느", "무슨"})


def _topic(noun: str) -> str:
    """은 after a final consonant, 는 after a vowel (Latin letters and digits: 은)."""
    last = noun[-1]
    if "가" <= last <= "힣":
        return "은" if (ord(last) - 0xAC00) % 28 else "는"
    return "은"


def _fix_particle(after: str, noun: str) -> str:
    """Re-agree the particle right after a replaced noun (은/는, 이/가, 을/를)."""
    noun = noun.rstrip("》」』〉’”'\"") or noun  # (a title's particle agrees with its last word)
    has_final = "가" <= noun[-1] <= "힣" and (ord(noun[-1]) - 0xAC00) % 28 != 0
    m = re.match(r"(으로|로)(?![가-힣])|(으로|로)(서|써|는|도|만|부터)", after)
    if m:  # 으로/로: ㄹ and a vowel take 로 ("서울로"), other finals 으로 ("청문으로")
        from .korean import josa

        return josa(noun, "으로")[len(noun):] + after[len(m.group(1) or m.group(2)):]
    m = re.match(r"(이랑|랑|이나|나|이며|며)(?![가-힣])", after)
    if m:  # the "and/or" particles drop their 이 after a vowel: "전작이랑", "크기랑"
        bare = m.group(1).removeprefix("이")
        return ("이" if has_final else "") + bare + after[len(m.group(1)):]
    pairs = {"은": "는", "는": "은", "이": "가", "가": "이", "을": "를", "를": "을"}
    if after[:1] in pairs:
        want = {"은": "은", "는": "은", "이": "이", "가": "이", "을": "을", "를": "을"}[after[0]]
        if not has_final:
            want = {"은": "는", "이": "가", "을": "를"}[want]
        return want + after[1:]
    return after


def script_of(text: str) -> str:
    """The writing system most of *text*'s letters are in: ``hangul``, ``latin``, ``han``
    (Chinese characters), ``kana`` or ``other`` (no letters: ``none``)."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            s = "hangul"
        elif ch.isascii() or 0x00C0 <= o <= 0x024F:
            s = "latin"
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            s = "han"
        elif 0x3040 <= o <= 0x30FF:
            s = "kana"
        else:
            s = "other"
        counts[s] = counts.get(s, 0) + 1
    if not counts:
        return "none"
    # Japanese mixes kana with Chinese characters: any kana makes it Japanese
    if counts.get("kana"):
        return "kana"
    # a Korean sentence naming a Latin-script product ("그럼 PaGamO는?", "VNPT E-Learning
    # 이용자는 몇 명이야?") is Korean: most of its words carry Hangul (particles, endings),
    # while an English one has at most a Hangul name among its words
    if counts.get("hangul"):
        words = text.split()
        korean = sum(1 for w in words if re.search(r"[가-힣]", w))
        # (…or ends on a Korean predicate: "방탄소년단 YOU NEVER WALK ALONE 언제 냈어?", a title
        # of four English words in it)
        ending = bool(words) and bool(re.search(r"[가-힣](?:어|야|요|까|니|지|냐|다|나|래|대|데|게|죠)[?？.!~]*$", words[-1]))
        if len(re.findall(r"[A-Za-z]+", text)) <= 2 or korean >= len(words) - korean or ending:
            return "hangul"
    return max(counts, key=counts.get)


# a year, with its month or part ("2008년 말", "2020년 3월", "2019년 상반기"), also one said
# relative to now ("작년 말", "지난해 12월말", "지난 3월")
# (a year of history too: "1394년엔?" after "…1395년 1월에 편찬한 책 뭐야?")
_TIME = re.compile(r"(?:(?<!\d)(?:1[0-9]|20)\d{2}\s*년|(?<![가-힣])(?:작년|지난해|올해|금년|내년))(?:\s*\d{1,2}\s*월)?"
                   r"(?:\s*(?:말|초|중반|상반기|하반기|1분기|2분기|3분기|4분기))?|"
                   r"(?<![가-힣])(?:지난|이번|올)\s*\d{1,2}\s*월(?:\s*(?:말|초))?")
_YEAR = re.compile(r"(?<!\d)(?:1[0-9]|20)\d{2}\s*년")
# a month said without its year ("3월에", "12월 말"): the time slot of a question that has no _TIME
_MONTH = re.compile(r"(?<![\d가-힣])\d{1,2}\s*월(?:\s*(?:말|초))?")
TITLE_MARKS = ("《》", "『』", "「」", "〈〉")  # how documents mark a work's title: a common word inside is a name


SIBLING_SPAN = 80  # two items of one list in an answer are at most this many characters apart


def sibling_swapped(noun: str, previous: str, said: str) -> str | None:
    """*previous* asked of *noun* in place of the item of the same list of the previous answer
    (*said*) that it named: "유연 단축 근무제는?" after "…전원 재택근무 하는 곳은 몇 퍼센트?",
    whose answer listed "22.2%는 유연 단축 근무제를, 19%는 전원 재택근무를" — the same question
    of the other item; else None. Items of one list carry the same particle, close together."""
    text = re.sub(r"\[\d+\]", " ", said)
    ends = r"(?=(을|를|이|가|은|는|와|과|의|,))"
    # (의 only for an owner, below: "국회의 임시회는" does not make 국회 an item beside 임시회)
    mine = [(m.start(), m.group(1)) for m in re.finditer(r"(?<![가-힣A-Za-z0-9])" + re.escape(noun) + ends, text)]
    if not mine:
        return None
    words = previous.split()
    for n in (3, 2, 1):
        for k in range(len(words) - n + 1):
            span = " ".join(words[k:k + n])
            # an item of the list as the owner of what was asked: "정기회의 회기는 며칠을 넘을 수
            # 없어?" answered "정기회의 회기는 100일을, 임시회의 회기는 30일을 …" — "임시회는?"
            # asks the same of 임시회, whose 회기 it is (not "임시회는 며칠을 …")
            owner = span[:-1] if n == 1 and span.endswith("의") and len(span) > 2 else None
            for cand, tail in ((span, ""), (owner, "의")):
                if cand is None or len(re.sub(r"[^가-힣A-Za-z]", "", cand)) < 2 or noun in cand or cand in noun:
                    continue
                for m in re.finditer(r"(?<![가-힣A-Za-z0-9])" + re.escape(cand) + ends, text):
                    if (m.group(1) == "의") != bool(tail):
                        continue
                    if any(abs(m.start() - at) <= SIBLING_SPAN and m.group(1) == p for at, p in mine):
                        return " ".join(words[:k] + [noun + tail] + words[k + n:])
    return None


def _at_another_time(noun: str, previous: str) -> str | None:
    """*previous* asked of the time *noun* names, or None when *noun* is no time or
    *previous* has none to swap."""
    noun = re.sub(r"^(?:그\s*해|같은\s*해)\s+(?=\d)", "", noun)  # ("그해 6월엔?": a month of the year asked)
    now = _NOW_OF_A_LAW.search(previous) if noun in ("개정안", "개정 후", "개정되면") else None
    if now is not None:
        # "개정안에선?" after "국가공무원법상 지금 육아휴직 가능한 자녀 나이는 몇 살이야?": the same
        # question of the bill, in the place of the law as it stands
        law = f"{now.group(1)} " if now.group(1) else ""
        return (previous[:now.start()] + f"{law}개정안에서 " + previous[now.end():].lstrip()).strip()
    if _MONTH.fullmatch(noun) and _MONTH.search(previous):
        # "12월에는?" after "줌 하루 이용자는 3월에 몇 명이야?": the same question of that month
        return _MONTH.sub(noun, previous, count=1).strip()
    if not _TIME.fullmatch(noun):
        return None
    if _TIME.search(previous):
        # "2009년 말은?" after "… 2008년 말까지 관광객은 몇 명이야?": the same question of another
        # time; a year alone keeps the month or part ("2021년은?" after "2020년 2월 …": 2021년 2월)
        return (_YEAR if _YEAR.fullmatch(noun) else _TIME).sub(noun, previous, count=1).strip()
    month = _MONTH.search(previous)
    if month is None:
        return None
    # "작년 12월말엔?" after "줌 하루 이용자 3월에 몇 명까지 늘었어?": its month is the time asked
    # for (a year alone is that month of the year: "2019년은?" → "2019년 3월에")
    said = f"{noun} {month.group(0)}" if _YEAR.fullmatch(noun) else noun
    return _MONTH.sub(lambda m: said, previous, count=1).strip()


# the law as it stands, in a question: "국가공무원법상 지금 …", "현행법상 …", "현재 …"
_NOW_OF_A_LAW = re.compile(r"(?:(?<![가-힣])([가-힣]+법)(?:상|에서는|에서|은|는)?\s+)?(?<![가-힣])(?:지금|현재|현행(?:법상)?)(?![가-힣])\s*")


def written_as_title(noun: str, text: str) -> bool:
    """Does *text* write *noun* as a title (《싸움》)?"""
    return any(f"{o}{noun}{c}" in text for o, c in TITLE_MARKS)


# the other of a pair: "남자는?" after "…여자 교육공무원의 육아휴직 기간은?" asks the same of men;
# a statute for another ("결혼중개업법은?" after "행정절차법 개정안 발의자는 몇 명이에요?")
COUNTERPARTS = (("남자", "여자"), ("남성", "여성"), ("국내", "해외"), ("공공", "민간"), ("정규직", "비정규직"),
                ("상반기", "하반기"), ("오전", "오후"), ("찬성", "반대"), ("대기업", "중소기업"), ("도시", "농촌"),
                ("전면", "후면"), ("앞면", "뒷면"), ("상원", "하원"), ("수출", "수입"), ("1심", "2심"), ("여당", "야당"),
                # the courts a case goes through: "항소심에서는?" after a question on the first trial
                ("1심", "항소심"), ("항소심", "상고심"), ("2심", "3심"), ("동서", "남북"),
                # one season for another ("겨울엔?" after "…여름엔 뭐야?")
                *((a, b) for i, a in enumerate(("봄", "여름", "가을", "겨울")) for b in ("봄", "여름", "가을", "겨울")[i + 1:]))


def counterpart_in(noun: str, previous: str) -> str | None:
    """The word of *previous* that *noun* is the other of (여자 for 남자; a statute for a
    statute), else None."""
    for a, b in COUNTERPARTS:
        for mine, theirs in ((a, b), (b, a)):
            if noun == mine and re.search(r"(?<![가-힣])" + theirs, previous):
                return theirs
    from .question import _STATUTE

    noun = _BILL_OF.sub("", noun)  # ("행정절차법 개정안은?": a bill is asked of by its statute)
    if _STATUTE.fullmatch(noun) or noun == "헌법":  # (헌법: one syllable before 법, no _STATUTE)
        other = _STATUTE.search(previous) or re.search(r"(?<![가-힣])헌법(?![가-힣])", previous)
        if other is not None and other.group(0) != noun:
            return other.group(0)
    return _sibling_in(noun, previous)


def _sibling_in(noun: str, previous: str) -> str | None:
    """The compound of *previous* that *noun* is a sibling of, the same head noun after
    another modifier noun: 입법예고 (of 입법예고기간) for 행정예고, 국가공무원 for 지방공무원
    — "행정예고는요?" after "…입법예고기간을 며칠 이상으로 바꿔요?" asks the same of
    행정예고기간. None unless *noun* is one word of two nouns and *previous* has such a word."""
    from .tokenization import question_tokens

    if not re.fullmatch(r"[가-힣]{4,}", noun):
        return None
    mine = question_tokens(noun)
    # (or of three: 행정예고기간 for 입법예고기간, the head 예고기간)
    # (or of four: 국내결혼중개업 for 국제결혼중개업, its last noun may be one syllable, 업)
    if len(mine) not in (2, 3, 4) or any(not t.tag.startswith("NN") for t in mine) or \
            any(len(t.form) < 2 for t in mine[:-1]) or \
            "".join(t.form for t in mine) != noun:
        return None
    modifier, head = mine[0].form, noun[len(mine[0].form):]
    for word in re.findall(r"[가-힣]+", previous):
        at = word.find(head, 2)
        other = word[:at]
        if at < 0 or other == modifier or not re.fullmatch(r"[가-힣]{2,}", other) or head in other:
            continue
        tokens = question_tokens(word)
        if len(tokens) >= 2 and tokens[0].form == other and tokens[1].start == len(other) and \
                tokens[0].tag.startswith("NN"):
            return other + head
    return None


def _counterpart_swapped(noun: str, previous: str) -> str | None:
    """*previous* asked of *noun* in place of its other (see :data:`COUNTERPARTS`), or None."""
    theirs = counterpart_in(noun, previous)
    if theirs is None:
        return None
    at = re.search(r"(?<![가-힣])" + re.escape(theirs), previous)
    after = previous[at.end():]
    start = at.start()
    if theirs not in COUNTERPART_WORDS and theirs.endswith("법"):
        # "하도급거래 공정화법 개정안 …": the word that opens the question without a particle is
        # the statute's name too
        lead = re.fullmatch(r"\s*[가-힣]{2,}\s+", previous[:start])
        start = 0 if lead and not re.search(r"(은|는|이|가|을|를|의|에|도)\s+$", lead.group()) else start
        bill = _BILL_AT.match(after)
        if _BILL_OF.search(noun) and bill:
            after = after[bill.end():]  # (the new bill's 개정안 is the fragment's own)
    if noun == "헌법":
        # "헌법은?" after "결혼중개업법 개정안은 언제부터 시행돼?": the Constitution itself, not
        # an amendment to it (its 개정안 was the bill's)
        after = re.sub(r"^\s*(?:일부)?개정(?:법률)?안", "", after)
    # (inside a longer compound, 행정예고 + 기간을, what follows is the compound's, not a particle)
    inside = bool(re.match(r"[가-힣]", after)) and theirs not in COUNTERPART_WORDS and \
        bool(_opens_with_noun(after))
    return (previous[:start] + noun + (after if inside else _fix_particle(after, noun))).strip()


def _country_swapped(frag: Fragment, previous: str) -> str | None:
    """*previous* asked of the country *frag* names, in place of the one country it names
    wherever it stands: "한국은?" after "알서포트 화상회의 솔루션 사용이 일본에서 얼마나
    늘었어?" is "…사용이 한국에서 얼마나 늘었어?" (the subject slot took it: "한국 화상회의 솔루션
    사용이 일본에서 …"); a country with the word the previous question put after its own
    ("소말리아 파견부대는?" after "UAE 파견 규모는 …?") takes both places. None when *frag* is
    no such country or *previous* names no other one."""
    from .question import lexicon, places_in

    mine = places_in("country", frag.noun)
    words = frag.noun.split()
    if frag.adverbial or len(mine) != 1 or len(words) > 2 or (len(words) == 2 and not places_in("country", words[0])):
        return None
    theirs = places_in("country", previous)
    if len(theirs) != 1 or theirs & mine:
        return None
    (other,) = theirs
    names = sorted({n for n in (other, *lexicon().countries.get(other, ())) if n}, key=len, reverse=True)
    for name in names:
        at = word_at(previous, name)
        if at is None:
            continue
        end = at.end()
        if len(words) == 2:
            # "소말리아 파견부대는?" after "UAE 파견 규모는 몇 명이야?": the country and the word
            # after it (파견), which the fragment's own word extends, both replaced
            after = re.match(r"\s+([가-힣]{2,}?)(?:은|는|이|가|을|를|의|도)?(?=\s)", previous[end:])
            if after is None or not (words[1].startswith(after.group(1)) or after.group(1).startswith(words[1])):
                return None
            end += after.end(1)  # (its particle stays, agreeing with the new word)
        return (previous[:at.start()] + frag.noun + _fix_particle(previous[end:], frag.noun)).strip()
    return None


COUNTERPART_WORDS = {w for pair in COUNTERPARTS for w in pair}
# a bill named by its statute: "행정절차법 개정안", "…법 일부개정법률안"
_BILL_AT = re.compile(r"\s*(?:일부)?개정(?:법률)?안")
_BILL_OF = re.compile(_BILL_AT.pattern + "$")


def _opens_with_noun(text: str) -> bool:
    """Does *text* open with a noun (기간을 …), not a particle (은 …)?"""
    from .tokenization import question_tokens

    first = question_tokens(text[:12])
    return bool(first) and first[0].tag.startswith("NN") and text.startswith(first[0].form)


# "첫 국회의원선거는?", "그럼 마지막 앨범은?": the first (or last) of a kind
_FIRST_OF = re.compile(r"\s*(?:그럼\s*|그러면\s*)?(첫|마지막)\s+([가-힣A-Za-z0-9]+?)(?:은|는|도)\s*[?？.!]*\s*")


def _first_of_another(question: str, previous: str) -> str | None:
    """"첫 국회의원선거는?" after "첫 대통령선거는 언제까지 했어?": the first of another kind,
    in the place of the one *previous* asked the first of; None otherwise."""
    first = _FIRST_OF.fullmatch(question)
    there = re.search(r"(?<![가-힣])" + first.group(1) + r"\s+([가-힣A-Za-z0-9]+?)(?=(?:은|는|이|가|을|를|의)?\s)", previous) \
        if first else None
    if there is None:
        return None
    return (previous[:there.start(1)] + first.group(2) + _fix_particle(previous[there.end(1):], first.group(2))).strip()


def complete_question(question: str, history: list[tuple[str, str]], embedder=None,
                      titled: Callable[[str], bool] | None = None) -> str:
    """Rewrite *question* using the most recent earlier question, or return it unchanged.

    A question in another language or script than the previous one ("日本的远程办公为什么不普及"
    after an English question) is a new question, never a follow-up; so is one Kiwi cannot
    read as a bare fragment. *embedder* (anything with ``encode_query``) decides, for a
    common-noun fragment, whether it stands for the previous subject or attribute; without
    it, such fragments replace the attribute. *titled(noun)*: do the documents write *noun*
    as a title (《싸움》) — then a common word is a name ("싸움은?" after "영화 중천은 관객이
    몇 명이었어?" asks about the film 싸움, not about 중천's 싸움).
    """
    if not history:
        return question
    previous = history[-1][0].strip()
    mine = script_of(question)
    if mine != "hangul" or script_of(previous) != mine:
        # Only Korean fragments are analysed (Kiwi reads Korean); an English "what about
        # Japan?" after an English question is still completed below.
        if not (mine == "latin" and script_of(previous) == "latin"):
            return question
    frag = fragment_of(question)
    if frag is None:
        return _first_of_another(question, previous) or question
    said = history[-1][1] or ""

    def is_title(noun: str) -> bool:  # as the previous answer or the documents write it
        return written_as_title(noun, said) or (titled is not None and titled(noun))

    if not frag.is_name and is_title(frag.noun):
        frag = replace(frag, is_name=True)
    slots = _slots(previous)
    # (a title or an office restated; another time; the one office's property; a time before a fragment)
    early = _restated(frag, previous) or _at_another_time(frag.noun, previous) or _office_property(frag, previous, slots) or \
        _one_of_a_kind(frag, previous, slots) or _timed_instead(frag, history, embedder, titled) or \
        (_of_the_person(frag, previous, slots) if slots.attribute and slots.subject else None)
    if early is not None:
        return early
    if frag.adverbial:
        return _placed_adverbially(frag, previous)
    swapped = _counterpart_swapped(frag.noun, previous) or sibling_swapped(frag.noun, previous, said) or \
        _country_swapped(frag, previous)
    if swapped is not None:
        return swapped
    placed = _name_or_country_placed(frag, previous) or _kind_swapped(frag, previous) or _population_of(frag, previous, slots)
    if placed is not None:
        return placed
    again = _attribute_again(frag, previous, slots, embedder)
    if again is not None:
        return again
    from .question import roles_in

    # a name, or an office after a turn about another ("지방의회 의원은?" after 국회의원's
    # immunity), is who the question is about, not what it asks
    office = bool(roles_in(frag.noun)) and bool(roles_in(f"{previous} {said}") - roles_in(frag.noun))
    target = _slot_for(frag, previous, slots, embedder, office)
    owned = _owned_instead(frag, previous, slots, target, office)
    if owned is not None:
        return owned
    if target == "attribute" and slots.attribute is None:
        target = "subject"
    if target == "subject":
        at = _title_at(previous, slots, is_title) if is_title(frag.noun) else None
        if at is not None:
            # "싸움은?" after "영화 중천은 …" (the documents write 《싸움》, 《중천》): one title
            # for another, the kind word kept
            a, b = at
            return (previous[:a] + frag.noun + _fix_particle(previous[b:], frag.noun)).strip()
        if slots.subject is None:
            swapped = _office_replaced(frag.noun, previous) if office else None
            return swapped or f"{frag.noun}의 {previous}"
        swapped = (_office_swap(frag, previous, slots) if office else None) or _of_the_person(frag, previous, slots)
        if swapped is not None:
            return swapped
        return _subject_swapped(frag, previous, slots, embedder)
    a, b = slots.attribute
    asked = _asked_instead(frag, previous, slots)
    if asked is not None:
        return asked
    return _attribute_replaced(frag.noun, previous, a, b, slots.subject[1] if slots.subject else 0)


def _restated(frag: Fragment, previous: str) -> str | None:
    """"감사원장 임기는?" after "대통령 임기는 몇 년이야?": a fragment that ends in the noun the
    previous question asked of its subject, with a subject of its own before it — the same
    question of that subject, in place of all that came before the noun; a marked title in
    place of the title (:func:`_title_swapped`). None otherwise."""
    titled = _title_swapped(frag, previous)
    if titled is not None:
        return titled
    words = frag.noun.split()
    if len(words) < 2 or frag.adverbial:
        return None
    head = words[-1]
    at = re.search(r"(?<![가-힣])" + re.escape(head) + r"(?=은|는|이|가|을|를|도|\s|[?？]|$)", previous)
    if at is None or any(re.search(r"(?<![가-힣])" + re.escape(w), previous) for w in words[:-1]):
        return None
    from .question import roles_in

    # (an office for an office: "온라인 교육 시장은?" after "중국의 원격진료 시장 규모는?" is
    # still 중국's, which the subject slot keeps)
    if not (roles_in(" ".join(words[:-1])) and roles_in(previous[:at.start()])):
        return None
    # (joined to the noun as the previous subject was: "대통령의 임기" → "재판관의 임기")
    joint = re.search(r"의?\s*$", previous[:at.start()]).group(0) or " "
    return (" ".join(words[:-1]) + joint + head + _fix_particle(previous[at.end():], head)).strip()


def _title_swapped(frag: Fragment, previous: str) -> str | None:
    """"《그랑프리》는?" after "김태희 주연 영화 《싸움》은 관객이 몇 명 들었어?": the same
    question of the other work, in the place of the one title *previous* marks; None unless
    the fragment is a marked title and *previous* marks exactly one other."""
    if not frag.noun.startswith("《"):
        return None
    works = list(re.finditer(r"《[^《》]{1,40}》", previous))
    if len(works) != 1 or works[0].group() == frag.noun:
        return None
    a, b = works[0].span()
    return (previous[:a] + frag.noun + _fix_particle(previous[b:], frag.noun)).strip()


def _placed_adverbially(frag: Fragment, previous: str) -> str:
    """A fragment with a place particle ("2020년에는?", "항소심에서는?"): the other of a pair
    in its place ("…1심에서 무슨 형을 …?": the other court), else placed before *previous*."""
    paired = any(frag.noun in pair for pair in COUNTERPARTS) and counterpart_in(frag.noun, previous)
    return (_counterpart_swapped(frag.noun, previous) if paired else None) or _placed_before(frag, previous)


def _of_the_person(frag: Fragment, previous: str, slots) -> str | None:
    """"대학은?" after "김이수는 어디서 태어났어?" (a question with no attribute about a person
    Kiwi knows by name): the person's 대학 ("김이수의 대학은?"), not another subject of the
    same question ("대학은 어디서 태어났어?"); else None."""
    from .question import places_in, roles_in

    # (an office beside the name is no attribute asked of: "김이수 전 헌법재판관은 어디서 …";
    # nor is where one went: "올리비에 지루가 아스널로 이적한 게 …")
    held = slots.attribute is not None and (bool(roles_in(previous[slots.attribute[0]:slots.attribute[1]])) or
                                            bool(re.match(r"(?:\s*[A-Za-z]+)?(?:으로|로|에서|에게)\s", previous[slots.attribute[1]:])))
    if (slots.attribute is not None and not held) or frag.is_name or " " in frag.noun or re.search(r"\d", frag.noun) or \
            frag.particle not in ("은", "는") or places_in("country", frag.noun) or places_in("place", frag.noun) or \
            roles_in(frag.noun):
        return None
    a, b = slots.subject
    # (read in its question: alone, "김봉환" is 김 + 봉 + 환 to Kiwi)
    toks = [t for t in question_tokens(previous) if t.start >= a and t.start + t.len <= b] or question_tokens(previous[a:b])
    # (a foreign name Kiwi knows whole, "올리비에 지루", too)
    if len(toks) != 1 or toks[0].tag != "NNP" or not re.fullmatch(r"[가-힣]{2,4}|[가-힣]{1,5}(?: [가-힣]{1,5}){1,2}",
                                                                  toks[0].form):
        return None
    return f"{josa(toks[0].form, '의')} {josa(frag.noun, '은')}?"


# a word for a group of people: 공무원, 근로자, 소비자, 학생, 시민, 청년, 중장년층 … (not 인원,
# a headcount, nor 수요층; a …자 of three syllables or more is someone who does something —
# 의자, 원자, 투자 are not)
_PEOPLE = re.compile(r"^(?:공무원|교직원|직원|회사원|연구원|교원|학생|대학생|초등학생|중학생|고등학생|유학생|시민|국민|"
                     r"주민|청년|청소년|여성|남성|노인|아동|어린이|직장인|자영업자|소상공인|외국인|중장년층|고령층|"
                     r"(?!.*(?:투|적|흑|이|문|숫|수요|공급)자$)[가-힣]{2,4}자)$")


def _population_of(frag: Fragment, previous: str, slots) -> str | None:
    """"공무원은?" after "유연근무제는 몇 퍼센트 정도 도입돼 있어?": the same asked of that
    group of people ("공무원의 유연근무제는 …"), when the previous question asked it of a thing
    no one owned — not "공무원은 몇 퍼센트 정도 도입돼 있어?", which lost what was asked about;
    else None."""
    from .question import places_in, roles_in

    if frag.is_name or " " in frag.noun or frag.particle not in ("은", "는") or not _PEOPLE.match(frag.noun) or \
            slots.subject is None:
        return None
    a, b = slots.subject
    subject = previous[a:b]
    if re.search(r"의\s*$", previous[:a]) or roles_in(subject) or _PEOPLE.match(subject.split()[-1]) or \
            any(_PEOPLE.match(w) for w in re.findall(r"[가-힣]+", previous[:a])) or \
            places_in("country", subject) or places_in("place", subject) or frag.noun in previous:
        return None
    return (previous[:a] + f"{josa(frag.noun, '의')} " + previous[a:]).strip()


# kinds too broad to say two things are of one kind: a market, a government, a field …
_BROAD_KINDS = frozenset({"시장", "산업", "정부", "업계", "분야", "기업", "회사", "업체", "국가", "나라", "도시", "지역",
                          "서비스", "플랫폼", "솔루션"})


def _one_of_a_kind(frag: Fragment, previous: str, slots) -> str | None:
    """"다이쇼 천황은?" after "쇼와 천황은 몇 대 천황이야?": another of the kind the subject is
    (its last word, 천황), asked the same — in the subject's place, not the attribute's
    ("쇼와 천황은 몇 다이쇼 천황이야?"); else None. Not of a broad kind (시장, 정부 …): "원격진료
    시장은?" after "중국 온라인 교육 시장의 …" is still about 중국's, as the rest decides."""
    from .question import lexicon

    mine = frag.noun.split()
    if frag.adverbial or len(mine) < 2 or mine[-1] in _BROAD_KINDS or mine[-1] in lexicon().topic_heads or \
            mine[-1] in PROPERTIES:  # (임기 is a side, not a kind: "헌법재판소 재판관 임기는?")
        return None
    if slots.subject is not None:
        a, b = slots.subject
        theirs = previous[a:b].strip().split()
        if len(theirs) >= 2 and mine[-1] == theirs[-1] and mine[:-1] != theirs[:-1]:
            return (previous[:a] + frag.noun + _fix_particle(previous[b:], frag.noun)).strip()
    # (or the owner of what was asked: "소말리아 파견연장 동의안은?" after "UAE 파견 동의안의 관련
    # 법령은 뭐야?"; or the phrase the question opens with, when Kiwi found no subject:
    # "국가공무원법 개정안은?" after "지방공무원법 개정안은 몇 조를 고치는 거야?")
    owner = re.search(r"((?:[가-힣A-Za-z0-9]+\s+){1,3}" + re.escape(mine[-1]) + r")의\s", previous) or \
        re.match(r"\s*((?:[가-힣A-Za-z0-9]+\s+){1,3}" + re.escape(mine[-1]) + r")(?=(?:은|는|이|가)\s)", previous)
    if owner and owner.group(1).split()[:-1] != mine[:-1]:
        return (previous[:owner.start(1)] + frag.noun + _fix_particle(previous[owner.end(1):], frag.noun)).strip()
    return None


def _office_property(frag: Fragment, previous: str, slots) -> str | None:
    """"임기는?" after "대통령 선거에 나가려면 몇 살 이상이어야 해?" (a question with no subject
    to give the property to, about one office): that office's property ("대통령의 임기는?");
    else None."""
    from .question import roles_in

    if slots.subject is not None or frag.noun not in PROPERTIES or frag.particle not in ("은", "는"):
        return None
    offices = [o for o in roles_in(previous) if o in previous]
    if len(offices) != 1:
        return None
    return f"{josa(offices[0], '의')} {josa(frag.noun, '은')}?"


# a year or month that opens a fragment ("2011년 예산은?"): the fragment asked then
_LEAD_TIME = re.compile(rf"^((?:{_YEAR.pattern})도?|{_MONTH.pattern})\s+(\S.*)$")


def _timed_instead(frag: Fragment, history, embedder, titled) -> str | None:
    """"2011년 예산은?" after "… 파견 기간은 언제까지야?": the fragment without its time
    completed as usual ("… 파견 예산은?"), asked of that time; else None."""
    m = _LEAD_TIME.match(frag.noun)
    if m is None or re.search(r"\d\s*(년|월)", history[-1][0]):
        return None  # (a question of its own time is asked at another: _at_another_time)
    rest = f"{m.group(2)}{frag.particle}?"
    got = complete_question(rest, history, embedder, titled)
    return f"{m.group(1)} {got}" if got != rest else None


def _kind_swapped(frag: Fragment, previous: str) -> str | None:
    """"온라인 교육 시장은?" after "중국 원격진료 시장은 …": a market (industry, field) of
    another kind takes the place of the one asked about, what is asked kept — so does another
    work ("… Her 앨범은?" for "WINGS 앨범"); else one of the same thing (:func:`_head_swapped`)."""
    words = frag.noun.split()
    if len(words) < 2 or words[-1] not in _HEADS | _WORK_HEADS:
        return _head_swapped(frag, previous)
    from .question import places_in

    for m in re.finditer(r"(?<![가-힣A-Za-z0-9])([가-힣A-Za-z0-9]+)\s+" + re.escape(words[-1]) + r"(?=[은는이가을를의도에]|\s|$)",
                         previous):
        if m.group(1) in _HEADS or places_in("country", m.group(1)) or m.group(1) == words[-2]:
            continue
        return (previous[:m.start()] + frag.noun + _fix_particle(previous[m.end():], frag.noun)).strip()
    return _head_swapped(frag, previous)


def _head_swapped(frag: Fragment, previous: str) -> str | None:
    """"소말리아 해역 파견부대는?" after "UAE 파견 부대 규모가 몇 명이야?": another one of the
    very thing the previous question named by the same last word (spacing aside) takes the place
    of the words that told it apart (see :func:`replaced_by`); else None."""
    found = _replaced_span(frag.noun, previous)
    if found is None:
        return None
    start, end, put = found
    return (previous[:start] + put + _fix_particle(previous[end:], put)).strip()


def replaced_by(noun: str, previous: str) -> str:
    """The phrase of *previous* that the fragment *noun* takes the place of when both end in the
    same word: its last word and the words before it that tell the previous one apart — as many
    as *noun* has ("새누리당 원내대표" replaces "한나라당 원내대표" of "김무성 한나라당 원내대표
    언제 했어?", 김무성 kept); "" when they share no last word."""
    found = _replaced_span(noun, previous)
    return previous[found[0]:found[1]] if found else ""


def _replaced_span(noun: str, previous: str) -> tuple[int, int, str] | None:
    """Where in *previous* :func:`replaced_by`'s phrase is, and what goes in its place:
    ``(start, end, text)``, or None."""
    words = noun.split()
    head = words[-1] if len(words) >= 2 else ""
    sub = re.fullmatch(r"([부총전현차준])([가-힣]{2,})", noun)
    if sub is not None:
        # "부의장은?" after "국무회의 의장은 누구야?": a rank prefix (부, 총, 전, 현, 차, 준) makes
        # another of the word the previous question asked of (the 부의장 of the same 국무회의)
        m = re.search(r"(?<![가-힣])" + re.escape(sub.group(2)) + r"(?=[은는이가을를의도에]|\s|$)", previous)
        return (m.start(), m.end(), noun) if m else None
    if len(head) < 2 or not re.fullmatch(r"[가-힣]+", head):
        return None
    m = re.search(r"(?<![가-힣])" + r"\s*".join(map(re.escape, head)) + r"(?=[은는이가을를의도에]|\s|$)", previous)
    # (or the head ending a word of its own, "국회의원", "파견부대": of the same kind)
    whole = re.search(r"(?<![가-힣])[가-힣]{2,}" + re.escape(head) + r"(?=[은는이가을를의도에]|\s|$)", previous) \
        if m is None else None
    if m is None and whole is None:
        return None
    at = m or whole
    before = list(re.finditer(r"\S+", previous[:at.start()]))
    # (only words that tell the thing apart: no particle or punctuation, not the fragment's own)
    k = 0
    while k < min(len(words) - 1, len(before)) and re.fullmatch(r"[가-힣A-Za-z0-9·]+", w := before[-1 - k].group()) and \
            not re.search(r"(?:은|는|이|가|을|를|에서|에게)$", w) and w not in words:
        k += 1
    if whole is not None:
        # "소말리아 부대" after "UAE 파견부대 …": 소말리아 for UAE, the word of the kind kept
        # ("소말리아 파견부대"); "지방의회 의원" after "국회의원 …": the word itself, its first
        # part being what told it apart
        if k:
            return before[-k].start(), whole.end(), " ".join(words[:-1][-k:] + [whole.group()])
        return (whole.start(), whole.end(), noun) if len(words) == 2 else None
    return (before[-k].start(), m.end(), noun) if k else None


def _placed_before(frag: Fragment, previous: str) -> str:
    """*previous* asked at the time or place *frag* gives ("2019년에는?", "한국에서는?"): in
    the place of the country it names so, else before it."""
    from .question import places_in

    there = re.search(r"(?<![가-힣])([가-힣]{2,})(?=에서|에\s)", previous)
    if there and places_in("country", frag.noun) and places_in("country", there.group(1)) and \
            there.group(1) != frag.noun:
        # "한국에서는?" after "일본에서 … 얼마나 늘었어": the same question, of 한국 instead
        return (previous[:there.start()] + frag.noun + previous[there.end():]).strip()
    # "중국에서는?" after "일본은 장기적으로 어떻게 될 거 같대?" (or "일본 서비스 산업은 …"): the
    # question asked of the one country it names, now of this one, as "중국은?" is — "중국에서
    # 일본은 …" asks nothing the documents could state
    swapped = _country_swapped(replace(frag, adverbial=False), previous)
    if swapped is not None:
        return swapped
    work = re.search(r"《[^》]{1,40}》(?=에서|에\s)", previous)
    if work and frag.particle.startswith(("에서", "에")) and not places_in("country", frag.noun):
        # "아이리스에서는?" after "김태희는 《천국의 계단》에서 무슨 역할 했어?": the same question
        # of the other work, in its place
        return (previous[:work.start()] + f"《{frag.noun.strip('《》')}》" + previous[work.end():]).strip()
    same = _same_place_word(frag, previous)
    if same is not None:
        # "싸움에선?" after "김태희 그랑프리에선 무슨 역이었어?": the same question, of the one
        # thing the previous question placed the same way ("그랑프리에선"), in its place
        return (previous[:same[0]] + frag.noun + previous[same[1]:]).strip()
    return f"{frag.noun}{frag.particle.rstrip('는은')} {previous}".strip()


# the place particles, by what they say: "에선" and "에서는" are the same "in"
_PLACE_PARTICLE = {"에선": "에서", "에서는": "에서", "에서": "에서", "에서도": "에서", "에는": "에", "엔": "에", "에": "에"}
_TIME_WORD = re.compile(r"\d|(?:년|월|일|분기|시기|기간|때|이후|이전|전|후|초|말)$")


def _same_place_word(frag: Fragment, previous: str) -> tuple[int, int] | None:
    """Where *previous* writes the one word it places with the particle *frag* uses (both
    "…에선"), when neither is a time (a year is placed before another question, not swapped
    for a month), it is another word and no 의-phrase ends in it; else None."""
    kind = _PLACE_PARTICLE.get(frag.particle)
    if kind is None or _TIME_WORD.search(frag.noun):
        return None
    found = [m for m in re.finditer(r"(?<![가-힣])([가-힣A-Za-z0-9]{2,}?)(에선|에서는|에서도|에서|에는|엔|에)(?=\s)", previous)
             if _PLACE_PARTICLE[m.group(2)] == kind]
    if len(found) != 1 or _TIME_WORD.search(found[0].group(1)) or found[0].group(1) == frag.noun or \
            re.search(r"[가-힣]의\s+$", previous[:found[0].start()]):
        return None  # (nor the last word of a phrase: "천국의 계단에서" is one title)
    return found[0].start(1), found[0].end(1)


def _name_or_country_placed(frag: Fragment, previous: str) -> str | None:
    """*previous* with *frag* in the place of its one Latin-script name, or of its "which
    country" question word; None when neither applies."""
    from .question import places_in

    latin = set(re.findall(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9.&'-]+", previous))
    if len(latin) > 1:
        # (an acronym beside a name is what is asked of it: "PaGamO DAU는 …" asks PaGamO's DAU)
        latin = {w for w in latin if not re.fullmatch(r"[A-Z]{2,5}", w)} or latin
    if frag.noun.isascii() and script_of(previous) == "hangul" and len(latin) == 1:
        # "Hahow는요?" after "대만 PaGamO 하루 활성 사용자가 …": one Latin-script name for the other
        (other,) = latin
        at = previous.find(other)
        return (previous[:at] + frag.noun + _fix_particle(previous[at + len(other):], frag.noun)).strip()
    which = _WHICH_COUNTRY.search(previous)
    if which and places_in("country", frag.noun):
        # "미국은 어때?" after "비대면 진료는 어떤 나라에서 허용됐어?": the country asked about,
        # in the question word's place ("…미국에서 허용됐어?")
        return (previous[:which.start()] + frag.noun + previous[which.end():]).strip()
    return None


def _attribute_replaced(noun: str, previous: str, a: int, b: int, floor: int = 0) -> str:
    """*previous* with *noun* in its attribute's place (``a:b``); a figure word said of the
    old attribute goes with it ("기후는?" after "티베트 고원의 평균 고도는?": 평균 was said
    of 고도, not of 기후, and "최고 고도는?" brings its own). A phrase of its own ("비현금
    결제는?" after "베트남 현금 사용률은 얼마야?"), or a company's own figure ("주가는?" after
    "아마존 화장지 판매량은 …"), takes the place of the whole noun phrase after the subject
    (which ends at *floor*), not of its last word only."""
    a = _attribute_start(previous, a, noun)
    if " " in noun.strip() or noun in COMPANY_FIGURES:
        while True:
            m = re.search(r"(?<=\s)([가-힣]+)\s+$", previous[:a])
            if m is None or m.start() < floor or not all(
                    t.tag.split("-")[0] in ("NNG", "XSN", "XPN") for t in question_tokens(m.group(1))):
                break
            a = m.start()
    return (previous[:a] + noun + _fix_particle(previous[b:], noun)).strip()


# a listed company's market figures (a 주가 may be another company's: the documents decide)
MARKET_FIGURES = frozenset({"주가", "수익률", "시가총액", "점유율"})
# figures that are a company's own, whatever product the question was about
COMPANY_FIGURES = MARKET_FIGURES | {"매출", "매출액", "영업이익"}


def _attribute_start(previous: str, a: int, noun: str) -> int:
    """Where *noun* goes in *previous* in place of the attribute at *a*: before a figure
    word said of the old attribute, and before the words *noun* repeats ("파견 인원은?" after
    "청해부대 파견 기간은 …": its 파견 is the one asked of, not a second)."""
    measure = _MEASURE.search(previous[:a])
    if measure:
        a = measure.start()
    lead = noun.split()[:-1]
    while lead and previous[:a].endswith(" ") and previous[:a].rstrip().endswith(" " + lead[-1]):
        a = len(previous[:a].rstrip()) - len(lead.pop())
    return a


def _slot_for(frag: Fragment, previous: str, slots: _Slots, embedder, office: bool) -> str:
    """"subject" or "attribute": the slot of *previous* the fragment takes — a name's or an
    office's the subject's; a common noun the one *embedder* puts it nearer to."""
    target = "subject" if frag.is_name or office else "attribute"
    attr = previous[slice(*slots.attribute)].strip() if slots.attribute else ""
    if len(attr) >= 2 and attr != frag.noun and (attr in frag.noun or frag.noun in attr) and not office:
        # "피선거권은?" after "…선거권은 …": another side of it, however Kiwi tags it (not an
        # office that opens with it: "헌법재판소 재판관은요?" after "국회의원 정수는 헌법에 …")
        return "attribute"
    if target == "attribute" and slots.subject and _a_body(frag.noun) and _a_body(previous[slice(*slots.subject)]):
        return "subject"  # "중앙선관위는?" after "헌법재판소는 규칙 만들 수 있어?": one body for another
    if target == "attribute" and slots.subject and slots.attribute and embedder is not None:
        import numpy as np

        v = [embedder.encode_query(x) for x in (frag.noun, previous[slice(*slots.subject)],
                                                 previous[slice(*slots.attribute)])]
        if float(np.dot(v[0], v[1])) > float(np.dot(v[0], v[2])):
            target = "subject"
    return target


# the ends of a body's name: 헌법재판소, 대법원, 감사원, 국회, 중앙선관위, 선거관리위원회
_BODY_END = re.compile(r"(?:재판소|법원|위원회|선관위|감사원|국회|정부|의회|회의|[가-힣]{2}[부청처])$")  # (not 일부, 내부)


def _a_body(text: str) -> bool:
    """Is *text* (its particle aside) the name of a public body ("헌법재판소는", "중앙선관위")?"""
    return bool(_BODY_END.search(re.sub(r"(?:은|는|이|가|의)$", "", text.strip())))


def _attribute_again(frag: Fragment, previous: str, slots: _Slots, embedder) -> str | None:
    """"재판관 임기는?" after "대통령의 임기는 몇 년인가?": a fragment ending on the attribute
    asked (all its words) asks it of another subject — not "재판관 임기의 임기는 …"; else None."""
    if not (slots.subject and slots.attribute and " " in frag.noun):
        return None
    words = frag.noun.split()
    asked = re.sub(r"^(의|은|는|이|가)\s", "", previous[slots.subject[1]: slots.attribute[1]].strip() + " ").split()
    if not 0 < len(asked) < len(words) or words[-len(asked):] != asked:
        return None
    return _subject_swapped(replace(frag, noun=" ".join(words[:-len(asked)])), previous, slots, embedder)


def _subject_swapped(frag: Fragment, previous: str, slots: _Slots, embedder) -> str:
    """*previous* asked of *frag* in its subject's place (the caller checks it has one)."""
    a, b = slots.subject
    words = previous[a:b].split()
    if len(words) >= 3 and " " not in frag.noun and not frag.is_name and embedder is not None:
        # one word of a longer phrase is what a common noun stands for: "임시회는?" after
        # "국회 정기회 회기는 …" asks about 국회 임시회 회기, not about 임시회 alone (a name
        # replaces the whole phrase: "UAE는?" after "소말리아 파견 청해부대의 …")
        import numpy as np

        v = embedder.encode_query(frag.noun)
        k = int(np.argmax([float(np.dot(v, embedder.encode_query(w))) for w in words]))
        words[k] = frag.noun
        return (previous[:a] + " ".join(words) + _fix_particle(previous[b:], frag.noun)).strip()
    before, after = previous[:a], previous[b:]
    last = frag.noun.split()[-1]
    if " " in frag.noun and re.match(rf"{re.escape(last)}(?:은|는|이|가|을|를|의|에서|에|도|과|와|까지|부터|으로|로)?"
                                     r"(?:\s|$|[?？])", after.lstrip()):
        # "2009년 말은?" after "2008년 말까지 …": the fragment brings its own 말 (not "2009년 말 말까지")
        after = after.lstrip()[len(last):]
    rewritten = before + frag.noun + _fix_particle(after, frag.noun)
    if " 과 " not in rewritten and previous[a:b].count("과") + previous[a:b].count("와") > 0:
        # "중국과 미국의 …을 비교하면?" → one subject left: ask about it, no comparison
        rewritten = _COMPARE_END.sub(lambda m: _topic(_COMPARE_END.split(rewritten)[0].rstrip()) + "?", rewritten)
    return rewritten.strip()


def _asked_instead(frag: Fragment, previous: str, slots: _Slots) -> str | None:
    """When a fragment in the attribute's place does not ask the previous question again —
    a property of what the question was about, or an attribute that wants another kind of
    answer — the question it asks instead, else None."""
    a, b = slots.attribute
    if not previous[:a].strip() and frag.noun.split()[-1] in PROPERTIES and \
            previous[a:b].split()[-1] not in PROPERTIES:
        # "임기는?" after "국회는 …": a property of what the question was all about
        return _property_of(previous[a:b], frag.noun)
    if slots.subject is not None and frag.noun.split()[-1] in ORGANISATION_SIDES:
        # "개발사는?" after "바이오쇼크는 어떤 게임이야?": its developer, not "어떤 개발사가야?"
        return _property_of(previous[slice(*slots.subject)], frag.noun)
    if slots.subject is not None and frag.noun.split()[-1] in PROPERTIES and \
            re.match(r"\s*(을|를)\s", previous[b:]):
        # "주가는?" after "아마존은 직원을 몇 명 뽑았어?": the subject's property, not a thing
        # it did something to ("아마존은 주가를 몇 명 뽑았어?")
        return _property_of(previous[slice(*slots.subject)], frag.noun)
    if _asks_otherwise(frag.noun, previous):
        # "인원은?" after "청해부대 파견 기간은 언제까지 연장돼?": the question words asked for a
        # date, the new attribute is a count; "…인원은 언제까지 연장돼?" asks nothing sensible.
        # When the noun replaced was all the question was about ("국회는 누가 뽑아?"), the
        # fragment is an attribute of it: "임기는?" asks "국회의 임기는?"
        if not previous[:a].strip():
            return _property_of(previous[a:b], frag.noun)
        return f"{previous[:_attribute_start(previous, a, frag.noun)]}{josa(frag.noun, '은')}?".strip()
    topic = re.match(r"\s*((?:[가-힣A-Za-z0-9·]+\s+){0,3}?[가-힣A-Za-z0-9·]+?)(?:은|는|이|가)\s", previous)
    if topic and frag.noun.split()[-1] in PROPERTIES and _a_value_asked_of_an_act(frag.noun, previous):
        # "시행일은?" after "결혼중개업법 개정안은 뭘 바꿔?": the date of what the question was
        # about (its phrase marked as the topic), not "결혼중개업법 시행일은 뭘 바꿔?"
        return _property_of(topic.group(1), frag.noun)
    return None


def _a_value_asked_of_an_act(noun: str, previous: str) -> bool:
    """Does the property *noun* want a value (a date, a count …) where *previous* asked what
    something does or how ("뭘 바꿔?", "어떻게 해?")?"""
    from .question import expected_type

    return expected_type(f"{noun}{_topic(noun)}?").kind in _TYPED and expected_type(previous).kind not in _TYPED


def _title_at(previous: str, slots: _Slots, is_title: Callable[[str], bool]) -> tuple[int, int] | None:
    """The span of the title *previous* is about: the last word of its subject phrase ("바람"
    in "영화 바람은 …") or, when Kiwi finds no subject (it splits 중천 into 중/천), of the
    phrase it opens with — or None when that word is not written as a title."""
    if slots.subject is not None:
        a, b = slots.subject
        phrase = previous[a:b].rstrip()
        span = (a + len(phrase) - len(phrase.split()[-1]), a + len(phrase)) if phrase.split() else None
    else:
        span = _opening_topic(previous)
    if span is not None and is_title(previous[slice(*span)]):
        return span
    # "김태희 중천 관객 몇 명 …": the word of the question written as a title, particle aside
    for w in re.finditer(r"[가-힣A-Za-z0-9&]+?(?=(?:은|는|이|가|의|을|를|에서)?(?:\s|[?？]|$))", previous):
        if is_title(w.group(0)):
            return w.start(), w.end()
    # "김태희 나온 드라마 아이리스 시청률 …": the work its kind word names, wherever it stands
    for m in re.finditer(r"(?<![가-힣])(?:영화|드라마|소설|노래|앨범|작품|곡)\s+", previous):
        # (a title of up to three words, the longest the documents write as one: 《푸른 별》)
        for n in (3, 2, 1):
            t = re.match(r"[가-힣A-Za-z0-9&]+?(?:\s+[가-힣A-Za-z0-9&]+?){%d}(?=(?:은|는|이|가|의|을|를)?(?:\s|[?？]|$))"
                         % (n - 1), previous[m.end():])
            if t and is_title(t.group(0)):
                return m.end(), m.end() + t.end()
    return None


def _opening_topic(question: str) -> tuple[int, int] | None:
    """The span of the last word of the noun phrase a question opens with as its topic or
    subject ("중천" in "영화 중천은 관객이 몇 명이었어?"), or None."""
    toks = list(question_tokens(question))
    i = 0
    while i < len(toks) and toks[i].tag.split("-")[0] in _NOUN_TAGS:
        i += 1
    if i == 0 or i >= len(toks) or toks[i].tag not in ("JX", "JKS") or toks[i].form not in ("은", "는", "이", "가"):
        return None
    start = toks[i - 1].start
    while start > 0 and not question[start - 1].isspace():
        start -= 1  # the whole last word, not its last morpheme
    return start, toks[i - 1].start + toks[i - 1].len


def _office_replaced(noun: str, previous: str) -> str | None:
    """*previous* with the other office it names replaced by the office *noun* ("대통령은?"
    after "국회의원 피선거권은 몇 살부터야?"), or None when it names none."""
    from .question import lexicon, role_regex, roles_in

    mine = [m for c in roles_in(noun) for n in lexicon().roles[c] if (m := role_regex(n).search(noun))]
    for canon in sorted(roles_in(previous) - roles_in(noun)):
        for n in lexicon().roles[canon]:
            m = role_regex(n).search(previous)
            if not m:
                continue
            rest = noun[mine[0].end():] if mine else ""
            if rest and previous[m.end():].startswith(rest):
                # "국회의원선거는?" after "대통령선거는 언제까지 했어?": office for office, the
                # word they share (선거) kept once
                return (previous[:m.start()] + noun[mine[0].start():mine[0].end()] + previous[m.end():]).strip()
            act = re.match(r"\s+[가-힣]{2,}?(?=(?:은|는|이|가|을|를|의|도)?\s)", previous[m.end():]) \
                if re.fullmatch(r"\s+[가-힣]{2,}", rest) else None
            end = m.end() + act.end() if act else m.end()
            # ("국무총리 해임건의는?" after "대통령 탄핵소추 발의하려면 …": the office's act for the other's)
            return (previous[:m.start()] + noun + _fix_particle(previous[end:], noun)).strip()
    return None


def _office_swap(frag: Fragment, previous: str, slots: _Slots) -> str | None:
    """An office fragment after a turn about another office (the caller checks), when the
    question's subject phrase holds another office: that
    office swapped ("국무위원도?" after "국무총리 해임은 누가 건의해?" asks "국무위원 해임은
    …"); after one whose subject is neither office nor name, the question asked of the office
    ("지방의회 의원은?" after "발언에 대한 책임은?": "지방의회 의원의 발언에 대한 책임은?").
    None when the fragment is no office or the subject is a name."""
    from .question import lexicon, role_regex, roles_in

    mine = roles_in(frag.noun)
    if frag.is_name or not mine:
        return None
    a, b = slots.subject
    phrase = previous[a:b]
    for canon in sorted(roles_in(phrase) - mine):
        for n in lexicon().roles[canon]:
            m = role_regex(n).search(phrase)
            if m and not phrase[m.end():].strip():
                return None  # the office heads the phrase ("헌법재판소 재판관"): all of it is replaced
            if m:
                return (previous[:a + m.start()] + frag.noun + phrase[m.end():]
                        + previous[b:]).strip()
    if not roles_in(phrase):
        # "국회의원은요?" after "대한민국 대통령 임기는 몇 년이에요?" (its subject 대한민국, a name):
        # the office the question names elsewhere is the one swapped
        for canon in sorted(roles_in(previous) - mine):
            for n in lexicon().roles[canon]:
                m = role_regex(n).search(previous)
                if m:
                    return (previous[:m.start()] + frag.noun + previous[m.end():]).strip()
    if roles_in(phrase) or any(t.tag == "NNP" for t in question_tokens(phrase)):
        return None
    return f"{josa(frag.noun, '의')} {previous.strip()}"


def _property_of(owner: str, noun: str) -> str:
    """The question asking *owner*'s *noun* ("금강산의 높이는?")."""
    return f"{josa(owner.strip(), '의')} {josa(noun, '은')}?"


def _owned_instead(frag: Fragment, previous: str, slots: _Slots, target: str, office: bool) -> str | None:
    """The subject's property or relation the fragment names (:func:`_owned_by_subject`) when
    it takes no slot of its own: the question had no attribute to replace, or a property came
    out nearer the subject — "발언에 대한 책임은?" after "국회의원은 회기 중에 체포될 수 있어?"
    is 국회의원's, never put in its place; else None."""
    if target == "attribute" and slots.attribute is None or \
            target == "subject" and not (frag.is_name or office) and frag.noun.split()[-1] in PROPERTIES:
        return _owned_by_subject(frag, previous, slots)
    return None


def _owned_by_subject(frag: Fragment, previous: str, slots: _Slots) -> str | None:
    """A property or relation of the previous question's subject, when *frag* names one and
    the question had no attribute of its own to replace, else None."""
    if slots.subject is None:
        return None
    a, b = slots.subject
    last = frag.noun.split()[-1]
    if last in PROPERTIES:
        # "높이는?" after "금강산은 어디에 있어?": the property of what was asked about, not
        # a thing to ask the same of ("높이는 어디에 있어?")
        return _property_of(previous[a:b], frag.noun)
    if last in _RELATIONS:
        # "아버지는?" after "마리 앙투아네트는 언제 태어났어?": the same asked of her father
        owner = josa(previous[a:b].strip(), "의")
        return (previous[:a] + f"{owner} {frag.noun}" + _fix_particle(previous[b:], frag.noun)).strip()
    return None


# nouns that name a property or a side of something (its height, its population, its procedure,
# its logo): asked alone after a question about a thing, they ask that thing's property
PROPERTIES = frozenset({"높이", "길이", "넓이", "깊이", "면적", "인구", "크기", "무게", "나이", "임기", "규모", "예산",
                        "인원", "위치", "수도", "가격", "뜻", "의미", "특징", "역사", "유래", "기원", "종류", "정의",
                        "절차", "대상", "책임", "방법", "조건", "자격", "요건", "기준", "범위", "목적", "로고", "이름",
                        "명칭", "권한", "의무", "역할", "임무", "구성", "주가", "매출", "점유율", "수익률",
                        "본명", "별명", "별칭", "시호", "국적", "고향", "출생지", "학력", "직업"})
# what every office has: how long and how often one holds it, how one gets and loses it
TENURE = frozenset({"임기", "연임", "중임", "재임", "선출", "임명", "해임", "정년", "선임"})
PROPERTIES |= TENURE
# how much or how many of something: "사람 수는?" asks the count of the previous topic's people
PROPERTIES |= frozenset({"수", "개수", "숫자", "건수", "비율", "비중", "금액", "액수", "비용", "성장률", "증가율", "감소율",
                        "제한"})
# what every bill has: who proposed it, when, from when it applies
PROPERTIES |= frozenset({"발의자", "공동발의자", "대표발의자", "제안자", "발의일", "제안일", "시행일", "소관위원회"})
# what a decision takes: "정족수는?" after a question on 해임건의 asks its quorum
PROPERTIES |= frozenset({"정족수", "의결정족수", "기한", "시한"})
# what every law and decision has: "효력은 언제부터 생겨요?" after a question on a promulgated
# 법률안 asks when that law takes effect
LAW_SIDES = frozenset({"효력"})
PROPERTIES |= LAW_SIDES
# who uses or works for something, and how much of it sells: "이용자는 언제 늘었대?" after a
# question on 중국 원격진료 asks about its users
PROPERTIES |= frozenset({"이용자", "사용자", "가입자", "판매량", "거래액", "매출액", "선두주자"})
# the sides only an organisation (or a bill) has, and every one has
ORGANISATION_SIDES = frozenset({"본사", "본부", "소재지", "창업자", "설립자", "창립자",
                                "발의자", "제안자", "제안이유", "주요내용", "시행일", "발의일", "발의연월일", "공포일",
                                "개발사", "제작사", "배급사", "출판사", "제조사", "소속사"})
PROPERTIES |= ORGANISATION_SIDES


# words that say which figure of an attribute is meant ("평균 고도"): they go with it
_MEASURE_WORDS = ("평균", "최고", "최저", "최대", "최소", "연평균", "월평균", "총", "전체", "누적")
_MEASURE = re.compile(r"(?<![가-힣])(?:" + "|".join(_MEASURE_WORDS) + r")\s+$")


# nouns that name someone by their relation to another: "아버지는?" asks the same of X's father
_RELATIONS = frozenset({"아버지", "어머니", "부모", "남편", "아내", "부인", "아들", "딸", "형", "동생", "누나", "언니",
                        "오빠", "자녀", "후임", "전임", "후임자", "전임자", "후계자", "스승", "제자", "할아버지",
                        "할머니", "조부", "조모", "손자", "손녀", "외할아버지", "외할머니", "장인", "장모", "시아버지",
                        "시어머니", "형제", "자매", "남매", "삼촌", "큰아버지", "작은아버지", "고모", "이모", "외삼촌",
                        "사촌", "조카", "배우자", "약혼자", "며느리", "사위"})


# answer types a noun alone can ask for ("인원은?" a count, "기간은?" a period, "예산은?" an amount)
_TYPED = frozenset({"count", "amount", "period", "date", "rate", "person", "place", "organisation"})


def _asks_otherwise(noun: str, previous: str) -> bool:
    """Does the attribute *noun*, asked alone, want another kind of answer than *previous*
    asked for (both kinds known: a count after a date, an amount after a person)?"""
    from .question import expected_type

    mine = expected_type(f"{noun}{_topic(noun)}?").kind
    theirs = expected_type(previous).kind
    # a property whose kind is not one of these ("길이는?" after "…본사는 어디야?") is still no
    # place: it asks for itself, not for the previous question's kind of answer
    return theirs in _TYPED and mine != theirs and (mine in _TYPED or noun.split()[-1] in PROPERTIES)
