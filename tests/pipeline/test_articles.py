"""Which article of a statute says it (untact_qa.articles): "…은 헌법 몇 조야?" on the law
suite's real Constitution and bills, and what is not such a question (a sum in 조)."""

import pytest

from untact_qa.articles import (MAX_ARTICLE_SENTENCES, ArticleRef, article_of, asks_article, asks_article_text,
                                 moved_article, named_article, subject_of)


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


@pytest.mark.parametrize("question,law,label,paragraph", [
    ("헌법 제1조 1항이 뭐였지?", "헌법", "제1조", 1),
    ("제12조 제4항 내용 알려줘", "", "제12조", 4),
    ("대한민국 헌법 제50조의3 보여줘", "헌법", "제50조의3", None),
    ("1조는 뭐라고 돼 있어?", "", "제1조", None),
])
def test_an_article_asked_for_by_number(question, law, label, paragraph):
    assert asks_article_text(question) == ArticleRef(law, label, paragraph)


@pytest.mark.parametrize("question", [
    "헌법 제1조에서 주권은 누구에게 있어?",  # a question on its content: retrieval's
    "거래액이 1조 원이야?", "2조 달러 규모야?",  # sums
    "국회의원 임기는 헌법 몇 조야?",  # which article (asks_article)
    "헌법 제1조랑 제2조 비교해줘",
])
def test_what_is_no_request_for_an_articles_text(question):
    assert asks_article_text(question) is None


def test_moving_within_a_statute():
    at = ArticleRef("헌법", "제1조", 1)
    assert moved_article("그 다음 항은?", at) == ArticleRef("헌법", "제1조", 2)
    assert moved_article("다음 조는?", at) == ArticleRef("헌법", "제2조")
    assert moved_article("3항은?", at) == ArticleRef("헌법", "제1조", 3)
    assert moved_article("5조 2항은?", at) == ArticleRef("헌법", "제5조", 2)
    assert moved_article("앞 조는요?", at) is None  # there is no 제0조
    assert moved_article("다음 거는?", at) is None and moved_article("그럼 일본은?", at) is None


def test_an_article_is_read_by_its_number_and_the_conversation_moves_through_it(law_engine):
    """"헌법 제1조 1항이 뭐였지?" quoted 제63조 (an embedding cannot tell article numbers): the
    article is found by its heading, quoted and cited, and "그 다음 항은?" / "다음 조는?" move on
    from where the answer was."""
    history = []
    a = law_engine.ask("헌법 제1조 1항이 뭐였지?")
    assert a.text == "대한민국헌법 제1조 제1항: ① 대한민국은 민주공화국이다. [1]", a.text
    assert a.citations[0].heading.endswith("제1조") and not a.abstained
    history.append(a)
    b = law_engine.ask("그 다음 항은?", history=history)
    assert b.intent == "ellipsis" and "주권은 국민에게 있고" in b.text and b.searched_query == "대한민국헌법 제1조 제2항"
    history.append(b)
    c = law_engine.ask("다음 조는?", history=history)
    assert c.searched_query == "대한민국헌법 제2조" and "재외국민을 보호할 의무" in c.text, c.text
    assert len(c.citations) == 2
    # after an answer found by retrieval, from where it quoted (국회의원 임기: 제42조)
    d = law_engine.ask("국회의원 임기는 몇 년이야?")
    e = law_engine.ask("그 다음 조는?", history=[d])
    assert e.searched_query == "대한민국헌법 제43조" and "겸할 수 없다" in e.text, (d.text, e.text)


def test_an_article_or_paragraph_that_is_not_there_is_refused_with_what_is(law_engine):
    a = law_engine.ask("헌법 제131조 내용 알려줘")
    assert a.abstained and "제131조가 없습니다" in a.text and "제1조–제130조" in a.text, a.text
    b = law_engine.ask("헌법 제1조 제3항은?")
    assert b.abstained and "제3항이 없습니다" in b.text and "2개 항" in b.text, b.text
    # a long article is quoted up to its limit, with how to ask for the rest
    c = law_engine.ask("헌법 제12조가 뭐야?")
    assert len(c.citations) == MAX_ARTICLE_SENTENCES and "‘제12조 제7항’처럼" in c.text, c.text


def test_that_article_is_the_one_the_last_answer_named():
    said = "UAE에 파견하는 것을 헌법 제60조 제2항의 규정에 따라 동의한다. [1]"
    assert named_article("그 조항 내용 좀 알려줘", said) == ArticleRef("헌법", "제60조", 2)
    assert named_article("해당 조문은 뭐라고 돼 있어?", said) == ArticleRef("헌법", "제60조", 2)
    # a question about its content is retrieval's; an answer naming two articles names no one
    assert named_article("그 조항에서 국회는 누구를 동의해?", said) is None
    assert named_article("그 조항 내용 좀 알려줘", "제60조와 제61조에 따라 …") is None
    assert named_article("그 회사 내용 알려줘", said) is None


def test_that_article_after_a_bill_citing_it_is_quoted_from_the_constitution(law_engine):
    """"그 조항 내용 좀 알려줘" after an answer quoting the UAE bill's "…헌법 제60조 제2항의 규정에
    따라 동의한다" quoted the bill sentence again: it is that paragraph of the Constitution."""
    a = law_engine.ask("UAE 파견 동의안 관련 헌법 조항이 뭐야?")
    assert "제60조 제2항" in a.text, a.text
    b = law_engine.ask("그 조항 내용 좀 알려줘", history=[a])
    assert b.searched_query == "대한민국헌법 제60조 제2항" and "국군의 외국에의 파견" in b.text, b.text
    assert b.citations and b.citations[0].heading.endswith("제60조")
