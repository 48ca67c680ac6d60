"""Which article of a statute says it (untact_qa.articles): "…은 헌법 몇 조야?" on the law
suite's real Constitution and bills, and what is not such a question (a sum in 조)."""

import pytest

from untact_qa.articles import article_of, asks_article, subject_of


@pytest.mark.parametrize("question,subject", [
    ("국회의원 임기는 헌법 몇 조야?", "국회의원 임기"),
    ("대통령 임기는 헌법 몇 조에 나와?", "대통령 임기"),
    ("국가공무원법 개정안은 어느 조항을 고치는 건가요?", "국가공무원법 개정안"),
    ("몇 조가 국회의원 체포를 정하고 있는지 알려줘", "국회의원 체포를 정하고 있는지 알려줘"),
])
def test_an_article_question_and_what_it_asks_about(question, subject):
    assert asks_article(question) and subject_of(question) == subject


def test_a_sum_in_trillions_asks_no_article():
    assert not asks_article("온라인쇼핑 거래액이 몇 조 원이야?") and not asks_article("조항은?")


def test_an_article_is_named_by_its_heading_with_its_document():
    assert article_of(("대한민국헌법", "제3장 국회", "제44조")) == "대한민국헌법 제44조"
    # an addendum's articles are its own; a bill's title drops who proposed it
    assert article_of(("대한민국헌법", "부칙 <헌법 제10호, 1987.10.29.>", "제2조")) == "대한민국헌법 부칙 제2조"
    assert article_of(("하도급거래 공정화에 관한 법률 일부개정법률안(유선호의원 대표발의 )", "법률 제 호",
                       "제36조(손해액의 인정)")) == "하도급거래 공정화에 관한 법률 일부개정법률안 제36조(손해액의 인정)"
    assert article_of(("제안이유 및 주요내용",)) is None


def test_which_article_is_answered_with_the_article_named(law_engine):
    """"대통령 임기는 헌법 몇 조에 나와?" quoted the 부칙's "최초의 대통령의 임기는 …" (its words
    "헌법 몇 조에 나와" led retrieval there) and named no article."""
    a = law_engine.ask("국회의원 임기는 몇 조야?")
    assert a.text.startswith("대한민국헌법 제42조에 나옵니다: ") and "4년" in a.text, a.text
    b = law_engine.ask("대통령 임기는 헌법 몇 조에 나와?")
    assert b.text.startswith("대한민국헌법 ") and "제70조" in b.text.split(":")[0], b.text
    assert "5년으로 하며" in b.text and "부칙" not in b.text.split(":")[0], b.text
    if b.span is not None:  # the bold phrase moved with the text
        assert b.span[0] >= b.text.index(":")


def test_an_article_question_nothing_answers_is_still_refused(law_engine):
    """면책특권 is a name the Constitution never uses: retrieval ranks 제44조 (arrest) first for
    it, which is not the article (제45조) — a refusal, not a wrong article."""
    a = law_engine.ask("국회의원의 면책특권은 어느 조항이야?")
    assert a.abstained, a.text
