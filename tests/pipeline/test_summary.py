"""Summaries and comparisons (issue 27): the outline and the table the engine returns, the
sentences they may quote, their scope, and the sides of a comparison."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from conftest import CACHE, squash
from untact_qa.question import frame_question
from untact_qa.summary import comparison_sides, is_statement

CITED = re.compile(r"^(?P<text>.+) \[(?P<n>\d+)\]$")



def _quoted(outline: dict) -> list[str]:
    """The headline and every bullet of an outline."""
    return [outline["headline"]] + [it for g in outline["groups"] for it in g["items"]]


def _check_outline(a, min_bullets: int = 3) -> list[str]:
    """The outline's shape, and that each quoted line is a cited statement whose citation
    quotes it; returns the sentences."""
    o = a.outline
    assert a.kind == "summary" and not a.abstained and o is not None, a.text
    assert set(o) == {"label", "headline", "groups"} and o["label"]
    bullets = [it for g in o["groups"] for it in g["items"]]
    assert min_bullets <= len(bullets) <= 7, o
    assert all(set(g) == {"title", "items"} and g["items"] for g in o["groups"])
    by_n = {c.n: c for c in a.citations}
    sentences = []
    for line in _quoted(o):
        m = CITED.match(line)
        assert m, line
        text, n = m.group("text"), int(m.group("n"))
        assert squash(by_n[n].evidence) == squash(text)
        sentences.append(text)
    assert len(set(sentences)) == len(sentences)
    assert sorted(by_n) == list(range(1, len(sentences) + 1))
    return sentences


def _brackets_close(text: str) -> bool:
    """Every "(" closes and no ")" is left over, footnote marks ("원격진료2)") aside."""
    t = text
    while True:
        u = re.sub(r"\([^()]*\)", "", t)
        if u == t:
            break
        t = u
    t = re.sub(r"(?<=[가-힣A-Za-z])\d{1,2}\)", "", t)
    return "(" not in t and ")" not in t


def _not_a_fragment(text: str, headings: set[str]) -> bool:
    """Independent of is_statement: long enough, not a heading, no table cell or caption, no
    unbalanced bracket (a two-column table read across), not a list of stock codes."""
    t = text.strip()
    return (len(t) >= 25 and squash(t) not in headings and not re.search(r"\(생\s*략\)|현행과 같음|<신\s*설>|^\[표\]|^자료\s*:", t)
            and _brackets_close(t) and len(re.findall(r"\(\d{6}\)", t)) < 2
            and not re.match(r"^[-─=]{3,}", t))


@pytest.mark.parametrize("text", [
    "따라서 이번 코로나19를 계기로 한시적이나마 재택근무를 도입하거나 체험한 경우가 36%에 달했다는 것은 문화적 충격이라고 보아도 무관.",
    "중국 컨설팅기관 EO Intelligence(亿欧智库)에 따르면, 금년 2월 3일~16일 기간 중 국의 약 1,800만 개 기업 및 3억 명의 인원이 온라인으로 근무한 것으로 추정",
    "유연 근무제를 모두 포함하고 있으며, 전체 유연근무제 활용 중에서 재택 및 원격근무제 비중은 5.8%(2017년 8월 기준)에 불과하다(통계청 KOSIS).",
    "2월 중국 상무부는 코로나19의 영향으로 원격진료2), 원격근무3), 온라인 교육 등 분야가 빠르게 성장할 것으로 예상했으며, 3월에는 크게 성장할 것으로 전망",
    "VNPT사 E-Learing 담당자는 “Covid19 이후 프로그램 이용자가 4배 증가한 500만 명을 기록했다”고 밝힘",
    "마. 결혼중개업의 건전화를 위해 벌금을 상향하여 벌칙을 각각 강화함(안 제26조).",
])
def test_statements_a_summary_may_quote(text):
    assert is_statement(text)


@pytest.mark.parametrize("text", [
    "해외 비대면 산업 현황 향후 전망",  # a heading
    "최근 재택근무관련 주로 꼽히는 알서포트(131370)(-7.24%), 링네트(042500)(-0.39%)를 비롯해 YBM넷(057030)(2.59%)이 양호한 수익률을 기록",
    "[표] 육아휴직급여 수급자의 수 및 대체인력 고용 현황: 2007~2011년(단위: 명, % )",
    "-----1년 이 내 (여 자 교 육 공만, 여자 교육공무원의 경우 무원 3년 이내)로 하되, 분할任用權者는 2年의 범위내에서 하여 휴직할 수 있다.",
    "(휴업ㆍ폐업 및 재개의 신고) 결혼중개업자가 휴업 또는 고) ① 결혼중개업자가 휴업 또폐업하거나 휴업 후 영업을 재는 폐업하거나 하고자 할 때",
    "제63조(휴직) ① (생 략)제63조(휴직) ① (현행과 같음)",
    "1. 헌법이나 법률에 의하여 설치된 기관 또는 시설의 유지·운영에 관한 사항",
])
def test_headings_tables_and_debris_are_not_statements(text):
    assert not is_statement(text)


def test_a_whole_report_summary_is_an_outline_by_part_and_country(engine):
    a = engine.ask("이 보고서의 핵심 내용을 요약해줘")
    sentences = _check_outline(a, min_bullets=5)
    o = a.outline
    assert o["label"] == "보고서 전체" and a.text.startswith("보고서 전체 요약")
    # the headline is the report's opening statement; the bullets walk its chapters, and its
    # foreign chapter by country
    assert a.citations[0].heading.startswith("국내 비대면 산업 현황")
    titles = [g["title"] for g in o["groups"]]
    assert "시사점" in titles and {"중국", "일본", "대만", "베트남", "미국"} & set(titles)
    tops = {c.heading.split(" > ")[0] for c in a.citations}
    assert tops == {"국내 비대면 산업 현황", "해외 비대면 산업 현황", "시사점"}
    assert all(is_statement(s) for s in sentences)


def test_a_part_summary_stays_in_the_part_and_says_so(engine):
    a = engine.ask("국내 비대면 산업 현황을 요약해줘")
    _check_outline(a)
    assert a.outline["label"] == "‘국내 비대면 산업 현황’"
    assert all(c.heading.startswith("국내 비대면 산업 현황") for c in a.citations)


def test_a_topic_summary_gathers_the_topic_across_the_report(engine):
    a = engine.ask("보고서에 나온 각국의 온라인 교육 현황을 정리해줘")
    _check_outline(a)
    assert "온라인 교육" in a.outline["label"]
    countries = {c.heading.split(" > ")[1] for c in a.citations if c.heading.startswith("해외")}
    assert len(countries) >= 3  # 각국: several countries, not the best one's section only


@pytest.mark.parametrize("q,name", [
    ("줌 요약해줘", "줌"),  # one syllable: it was dropped as a request word, and the whole report summarised
    ("아마존 요약해줘", "아마존"),  # a name no heading gives: it opened on a 대만 sentence not naming it
])
def test_a_summary_of_a_name_quotes_what_is_said_of_it(engine, q, name):
    a = engine.ask(q)
    sentences = _check_outline(a, min_bullets=2)
    assert a.outline["label"] == f"‘{name}’", a.outline["label"]
    assert all(name in s for s in sentences), sentences
    # what is said of it, not a list it is an item of ("슬랙, 웹엑스 및 줌과 같은 …", on Japan)
    from untact_qa.summary import _only_listed

    assert not any(_only_listed(s, [name]) for s in sentences), sentences


def test_a_name_only_listed_among_others_is_not_what_a_sentence_is_about():
    from untact_qa.summary import _only_listed

    assert _only_listed("많은 다국적 기업들이 슬랙, 웹엑스 및 줌과 같은 메시징 소프트웨어로", ["줌"])
    assert _only_listed("베트남은 현재 줌(ZOOM), 웹엑스(Webex) 등과 같은 글로벌 기업의 플랫폼이", ["줌"])
    assert not _only_listed("줌에 따르면 지난해 12월말까지 1000만명 수준이던 줌 하루 이용자가", ["줌"])
    assert not _only_listed("화상회의 플랫폼 줌(Zoom)의 경우, 보안 문제가 제기되자", ["줌"])
    assert not _only_listed("재택근무가 늘었다", ["줌"])  # not named at all: not a list of it either


def test_a_whole_summary_of_an_article_without_sections_walks_its_paragraphs(written_engine):
    """An encyclopedia article is one section: its summary quoted the opening paragraphs (the
    mountain's names and geology) and nothing of its temples, its law or its tourism. Its
    paragraphs now take turns, each quoted by the sentence that opens it. (A document written
    for this test.)"""
    eng = written_engine({"청산.md": "# 청산\n\n"
        "청산은 남쪽 바닷가에 있는 산으로, 예로부터 경치가 아름답기로 이름났다. 청산의 봉우리는 모두 화강암으로 이루어져 있고 골짜기가 깊다. "
        "청산의 바위는 오랜 풍화 작용으로 기이한 모양을 이루고 있다. 청산의 계곡에는 크고 작은 폭포가 서른 개 넘게 있다. "
        "청산의 숲은 소나무와 참나무가 섞인 숲으로 사철 푸르다.\n\n"
        "청산의 총면적은 120제곱킬로미터이며 동청산과 서청산으로 나뉜다. 동청산은 바다에 접해 있어 해안 절벽이 이어진다. "
        "서청산에는 해발 1,000미터가 넘는 봉우리들이 모여 있다. 청산의 가장 높은 봉우리는 해발 1,200미터의 청봉이다. "
        "청산의 봉우리와 계곡은 계절마다 다른 빛깔을 띤다.\n\n"
        "청산에는 한때 크고 작은 절이 서른 곳 넘게 있었지만 전쟁과 화재로 대부분 사라졌다. "
        "지금 남은 두 절은 모두 조선 시대에 다시 지은 것이다.\n\n"
        "2005년 제정된 청산 보호법에 따라 청산의 나무와 바위는 엄격히 보호된다. "
        "허가 없이 나무를 베거나 바위를 캐면 무거운 벌금을 물어야 한다.\n\n"
        "청산 관광은 2010년 5월 1일 첫 유람선이 뜨면서 본격적으로 시작되었다. "
        "관광객은 해마다 늘어 2019년에는 30만 명이 청산을 찾았다.\n"})
    a = eng.ask("청산 문서 전체를 요약해줘")
    sentences = _check_outline(a, min_bullets=4)
    text = " ".join(sentences)
    for point in ("120제곱킬로미터", "서른 곳", "청산 보호법", "첫 유람선"):
        assert point in text, (point, sentences)


def test_summarise_mid_conversation_whole_document_or_its_topic(engine):
    first = engine.ask("일본의 재택근무 현황은?")
    history = [(first.searched_query, first)]
    whole = engine.ask("요약해줘", history=history)
    _check_outline(whole, min_bullets=5)
    assert whole.outline["label"].endswith("전체")  # the scope is explicit
    topic = engine.ask("이 주제 요약해줘", history=history)
    _check_outline(topic)
    assert "일본" in topic.outline["label"] and not topic.outline["label"].endswith("전체")
    assert all("일본" in c.heading for c in topic.citations)


def test_this_topic_is_what_the_conversation_has_been_about(engine):
    """"이 주제 요약해줘" after four questions about 줌 (its users, maker, ban in 대만, trouble in
    미국) summarises 줌, not the last question's "줌은 미국에서는 어떤 문제가 있었어"."""
    answers = []
    for q in ("줌 하루 이용자는 몇 명까지 늘었어?", "그걸 만든 회사는 어디야?", "대만에서는 왜 그걸 금지했지?",
              "미국에서는 어떤 문제가 있었어?", "이 주제 요약해줘"):
        answers.append(engine.ask(q, history=answers))
    a = answers[-1]
    sentences = _check_outline(a, min_bullets=2)
    assert a.searched_query == "줌 요약" and a.outline["label"] == "‘줌’", (a.searched_query, a.outline["label"])
    assert all("줌" in s for s in sentences), sentences


@pytest.mark.parametrize("q", ["요약해줘", "중국의 비대면 산업 현황을 정리해줘", "미국의 비대면 산업 현황을 요약해줘",
                               "포스트 코로나 시대 비대면 경제로의 전환 과제를 요약해줘"])
def test_report_summaries_quote_no_heading_or_fragment(engine, q):
    a = engine.ask(q)
    headings = {squash(h) for c in a.citations for h in c.heading.split(" > ")}
    for s in _check_outline(a):
        assert _not_a_fragment(s, headings), s


def test_law_summaries_quote_no_heading_or_fragment(law_engine):
    docs = sorted(law_engine.index.doc_counts())
    assert len(docs) >= 5
    for doc in docs:
        a = law_engine.ask("이 문서를 요약해줘", docs=[doc])
        assert {c.doc_id for c in a.citations} == {doc}
        headings = {squash(h) for c in a.citations for h in c.heading.split(" > ")}
        for s in _check_outline(a, min_bullets=2):
            assert _not_a_fragment(s, headings), (doc, s)
            assert not re.search(r"다음과 같이 (개정|신설)한다|이 법은 .*시행한다", s), (doc, s)


def test_korquad_summaries_quote_no_heading_or_fragment(settings):
    from untact_qa import Engine

    suite = CACHE / "suites" / "korquad-open"
    if not (suite / "index").exists():
        pytest.skip("the korquad-open suite's index is not built (untact-qa eval builds it)")
    eng = Engine.load(settings=replace(settings, corpus_dir=suite / "corpus", index_dir=suite / "index"))
    docs = sorted(eng.index.doc_counts())
    for doc in docs[:: max(1, len(docs) // 6)][:6]:
        a = eng.ask("이 문서를 요약해줘", docs=[doc])
        headings = {squash(h) for c in a.citations for h in c.heading.split(" > ")}
        for s in _check_outline(a, min_bullets=2):
            assert _not_a_fragment(s, headings), (doc, s)


def test_a_comparison_is_a_table_with_a_cell_per_side(engine):
    a = engine.ask("중국과 일본의 재택근무 현황을 비교해줘")
    t = a.table
    assert a.kind == "comparison" and a.outline is None and t is not None
    assert t["columns"] == ["중국", "일본"] and 2 <= len(t["rows"]) <= 6
    # the request's own topic is the first row, stated by both sides
    assert t["rows"][0]["aspect"] == "재택근무 현황" and all(t["rows"][0]["cells"].values())
    by_n = {c.n: c for c in a.citations}
    for row in t["rows"]:
        assert row["aspect"] and set(row["cells"]) == {"중국", "일본"}
        for side, cell in row["cells"].items():
            if cell is None:
                continue
            m = CITED.match(cell["text"])
            assert m and int(m.group("n")) == cell["citation"]
            c = by_n[cell["citation"]]
            assert squash(c.evidence) == squash(m.group("text")) and is_statement(m.group("text"))
            assert side in c.heading  # a side's cell is from its own sections
    assert a.text.startswith("중국 · 일본 비교")
    # no two rows read as the same aspect (the sixth row's kind was the third's: "향후 전망" twice)
    assert len({r["aspect"] for r in t["rows"]}) == len(t["rows"]), [r["aspect"] for r in t["rows"]]


def test_a_comparison_on_a_topic_quotes_only_statements_about_it(engine):
    """"대만과 베트남의 온라인 교육 시장을 비교해줘": 대만's passage on online education also
    states its 정보보호 outlook and its food-delivery trade, which filled two rows. Every cell
    now names education (or an e-learning word of the same sentence) or sits under its heading."""
    a = engine.ask("대만과 베트남의 온라인 교육 시장을 비교해줘")
    t = a.table
    assert a.kind == "comparison" and t["columns"] == ["대만", "베트남"]
    cells = [c["text"] for r in t["rows"] for c in r["cells"].values() if c]
    assert len(cells) >= 4, cells
    assert not any("정보보호" in c or "음식배달" in c or "외식" in c for c in cells), cells
    by_n = {c.n: c for c in a.citations}
    for r in t["rows"]:
        for cell in r["cells"].values():
            if cell:
                c = by_n[cell["citation"]]
                assert "교육" in c.evidence + c.heading or "학습" in c.evidence, c.evidence


def test_a_side_the_document_is_silent_on_says_so(engine):
    a = engine.ask("아마존과 줌을 비교해줘")
    t = a.table
    assert a.kind == "comparison" and t["columns"] == ["아마존", "줌"]
    assert any(None in r["cells"].values() for r in t["rows"]) and "문서에 없음" in a.text
    by_n = {c.n: c for c in a.citations}
    for row in t["rows"]:
        for side, cell in row["cells"].items():
            if cell is not None:
                assert side in by_n[cell["citation"]].evidence  # a name, not a place: its sentences
    # 아마존's hiring has no counterpart about 줌
    hiring = next(r for r in t["rows"] if r["cells"]["아마존"] and "10만 명" in r["cells"]["아마존"]["text"])
    assert hiring["cells"]["줌"] is None


@pytest.mark.parametrize("q", ["중국과 베트남의 온라인 교육을 비교해줘", "아마존과 줌을 비교해줘",
                               "중국과 일본의 재택근무 현황을 비교해줘", "베트남과 미국이 코로나19로 받은 경제 타격을 비교해줘"])
def test_a_side_is_not_called_silent_on_what_another_row_quotes_it_stating(engine, q):
    """"중국과 베트남의 온라인 교육을 비교해줘" had a 향후 전망 row reading 중국: 문서에 없음 while
    its first row quoted 중국's market "…확장세가 더욱 가속화될 것으로 보임": the lone outlook of
    베트남 had no distinctive word in common with it. A side's statement of the row's kind now
    fills the cell, the same sentence again if it is in the table already."""
    from untact_qa.summary import _LOOSE_KINDS, _facet, _facets

    a = engine.ask(q)
    t = a.table
    assert a.kind == "comparison" and t is not None
    for row in t["rows"]:
        for side, cell in row["cells"].items():
            other = next(c for s, c in row["cells"].items() if s != side)
            if cell is not None or other is None:
                continue
            kind = _facet(CITED.match(other["text"]).group("text"))
            if kind in _LOOSE_KINDS:
                continue
            stated = [r["cells"][side]["text"] for r in t["rows"] if r["cells"][side]
                      and kind in _facets(CITED.match(r["cells"][side]["text"]).group("text"))]
            assert not stated, (row["aspect"], side, kind, stated)
    if q.startswith("중국과 베트남"):
        outlook = [r for r in t["rows"] if r["aspect"].startswith("향후 전망")]
        assert outlook and all(all(r["cells"].values()) for r in outlook), outlook


@pytest.mark.parametrize("q, sides", [
    ("한일 화상회의 이용 행태 차이를 비교해줘", ["한국", "일본"]),
    ("대만과 베트남의 원격근무 현황을 비교해줘", ["대만", "베트남"]),
    ("국내 스마트팩토리와 디지털 금융의 변화를 비교해줘", ["스마트팩토리", "디지털 금융"]),
    ("아마존과 줌을 비교해줘", ["아마존", "줌"]),
    # two phrases of one head word (the comparison had columns 관광 and 육: 로 read as a particle)
    ("해로 관광이랑 육로 관광을 비교해줘", ["해로 관광", "육로 관광"]),
])
def test_comparison_sides(q, sides):
    assert comparison_sides(frame_question(q)) == sides


def test_korea_and_japan_in_one_sentence_fill_both_cells(engine):
    """"한일": 한국 is written about as 국내 and in sentences that state both countries."""
    a = engine.ask("한일 화상회의 이용 행태 차이를 비교해줘")
    t = a.table
    assert a.kind == "comparison" and t["columns"] == ["한국", "일본"]
    assert "한일" not in t["rows"][0]["aspect"]
    korea = " ".join(r["cells"]["한국"]["text"] for r in t["rows"] if r["cells"]["한국"])
    assert "34배" in korea and ("국내의 경우" in korea or "한국에서는" in korea)
    both = [r for r in t["rows"] if r["cells"]["한국"] and r["cells"]["한국"] == r["cells"]["일본"]]
    assert both and all("일본" in r["cells"]["한국"]["text"] for r in both)


def test_a_bills_main_content_is_its_main_content_part(law_engine):
    """"…법률안의 주요 내용은?" summarises the bill's 주요내용 part — its 가.–마. items — not
    the reasons, the amended articles or the addenda."""
    a = law_engine.ask("결혼중개업의 관리에 관한 법률 일부개정법률안의 주요 내용은?")
    _check_outline(a, min_bullets=2)
    quoted = [c.passage[c.evidence_start:c.evidence_end] for c in a.citations]
    assert len(quoted) >= 4 and all(re.match(r"[가나다라마]\. ", q) for q in quoted), quoted
    assert any("자본금 1억원" in q for q in quoted) and any("5년 이하 징역" in q for q in quoted)


def test_a_whole_bill_is_summarised_from_its_own_reasons_and_main_content(law_engine):
    """A bill states its own summary (제안이유, 주요내용): "이 법안 요약해줘" quotes those parts,
    not the amended articles, the addenda or the old/new table."""
    first = law_engine.ask("결혼중개업 등록 시 필요한 자본금은?")
    a = law_engine.ask("이 법안 요약해줘", history=[first])
    _check_outline(a, min_bullets=3)
    parts = {c.heading.split(" > ")[-1] for c in a.citations}
    assert parts <= {"제안이유", "주요내용"} and "주요내용" in parts, parts
    assert "5년 이하 징역" in a.text and "정신질환" in a.text


def test_this_bill_mid_conversation_is_the_bill_talked_about(law_engine):
    """"이 법안 요약해줘" after a question about one bill summarises that bill (named in the
    label and the shown interpretation), not the first bill the request's words retrieve."""
    first = law_engine.ask("하도급법 개정안에서 손해배상 입증책임은 누구에게 있어?")
    assert not first.abstained
    doc = first.citations[0].doc_id
    a = law_engine.ask("이 법안 요약해줘", history=[first])
    _check_outline(a, min_bullets=2)
    assert {c.doc_id for c in a.citations} == {doc}, a.text
    assert "하도급" in a.searched_query and "하도급" in a.outline["label"], (a.searched_query, a.outline["label"])


def test_a_whole_summary_of_a_document_named_by_its_title(written_engine):
    """"러시아 원정 전체를 요약해줘" summarises the document titled 러시아 원정, even when
    retrieval ranks first another page that talks of 러시아 and 원정 (in korquad-open, the
    천안함 page's "러시아 보고서"), and even in a conversation about another document; a
    title is matched as whole words ("과학기술" does not name a page titled 과학). (Documents
    written for this test.)"""
    eng = written_engine({
        "러시아_원정.md": "# 러시아 원정\n\n1812년 6월 나폴레옹의 대군은 네만 강을 건넜다. 러시아군은 싸움을 피하며 동쪽으로 물러났다. "
        "9월 보로디노에서 큰 전투가 벌어졌고 양군 모두 큰 피해를 입었다. 대군은 모스크바에 들어갔으나 도시는 불타고 있었다. "
        "겨울이 오자 대군은 후퇴를 시작했고 살아 돌아온 병사는 얼마 되지 않았다.\n",
        "조사_보고.md": "# 조사 보고\n\n조사단은 러시아 원정 조사 결과 전체를 공개하였다. 러시아 원정 조사단의 보고서 전체가 요약되어 "
        "언론에 배포되었다. 원정 조사단은 러시아 측 자료 전체를 검토하였다고 밝혔다.\n",
        "과학.md": "# 과학\n\n과학은 자연을 관찰하고 실험하여 법칙을 찾는 활동이다. 과학자는 가설을 세우고 검증한다.\n",
    })
    assert eng.retriever.retrieve("러시아 원정 전체를 요약해줘", top_k=3).hits[0].chunk.doc_id == "조사_보고.md"
    for history in ([], [eng.ask("과학자는 무엇을 세워?")]):
        a = eng.ask("러시아 원정 전체를 요약해줘", history=history or None)
        assert a.kind == "summary" and {c.doc_id for c in a.citations} == {"러시아_원정.md"}, a.text
    from untact_qa.summary import Summarizer

    assert Summarizer(eng.index).titled("과학기술 전체를 요약해줘") is None
    assert Summarizer(eng.index).titled("과학 문서 전체를 요약해줘") == "과학.md"


@pytest.mark.parametrize("request_text,part", [("헌법의 법원에 관한 규정을 요약해줘", "제5장 법원"),
                                                ("헌법에서 헌법재판소 부분을 요약해줘", "제6장 헌법재판소")])
def test_a_statute_chapter_the_request_names_is_what_is_summarised(law_engine, request_text, part):
    """"법원에 관한 규정" names the chapter "제5장 법원" (its number is no word of it): the
    summary quoted a sentence from each of seven chapters that mention 법원, and 부칙."""
    a = law_engine.ask(request_text)
    assert a.kind == "summary" and len(a.citations) >= 3, a.text
    assert all(f"> {part} >" in c.heading for c in a.citations), [c.heading for c in a.citations]
