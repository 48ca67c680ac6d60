"""Question analysis (expected answer type, constraints) and the checks of a candidate
sentence against it — Kiwi and the lexicon, no model."""

import json

import pytest

from conftest import ROOT
from untact_qa.answer import question_names
from untact_qa.nearmiss import pairing_problems
from untact_qa.question import (ExpectedType, check_span, expected_type, frame_question, months_in, type_ok,
                                years_in)
from untact_qa.surface import VariantIndex, typo_variants
from untact_qa.tokenization import split_sentences, tokens_and_terms


def frame(q, known=None):
    toks, _ = tokens_and_terms(q)
    return frame_question(q, toks, question_names(q, toks), known=known)


def kinds(f):
    return {(c.kind, c.value) for c in f.constraints}


@pytest.mark.parametrize("q, kind, unit", [
    ("청해부대의 파견 인원은 몇 명 이내인가?", "count", "명"),
    ("VnEdu는 몇 개 학교에 배포되었나?", "count", "개"),
    ("현행 헌법의 시행일은 언제인가?", "date", ""),
    ("대통령의 임기는 몇 년인가?", "period", ""),
    ("베트남의 현금 사용률은?", "rate", ""),
    ("2019년 10월 온라인쇼핑 거래액은 얼마였나?", "amount", ""),
    # asked "in money" ("6.2배" of 전자상거래 is a size, not an amount)
    ("그럼 시장 규모는 금액으로 얼마예요?", "amount", ""),
    # how much money something takes is money (it was a bare number, and a bill's "일부를 다음과
    # 같이 개정한다" passed for one)
    ("그렇게 바꾸는 데 돈은 얼마나 들어?", "amount", ""),
    ("베트남의 비현금 거래 금액은 얼마나 늘었나?", "change", ""),
    ("체포된 사람은 누구의 조력을 받을 권리가 있나?", "person", ""),
    ("일본에서 재택근무가 안 되는 이유는?", "reason", ""),
    ("스마트워크란 무엇인가?", "definition", ""),
    ("이 보고서의 핵심 내용은?", "summary", ""),
    ("요약해줘", "summary", ""),
    ("대만과 베트남의 전자상거래 현황을 비교해줘", "compare", ""),
    ("국회의원 후보가 되려면 몇 세 이상이어야 하나?", "count", "세"),
    # an age with its copula ("몇 살이었어?" was any number: "1977년 입사" answered it)
    ("김봉환은 그때 몇 살이었어?", "count", "살"),
    # a bill's proposer asked as a bare noun, and a quorum: "3분의 1 이상", "과반수"
    ("결혼중개업법 개정안 대표발의자는?", "person", ""),
    ("국무위원 해임 건의 정족수는?", "rate", ""),
    ("고등교육법 개정안 발의자는 전부 몇 명?", "count", "명"),
    ("What's the minimum number of National Assembly members?", "count", ""),
    # a year asked with its copula, a date of birth, one side compared with another
    ("VnEdu 처음 배포한 게 몇 년도야?", "date", ""),
    ("김무성 의원 생년월일 알려줘", "date", ""),
    ("일본이랑 비교하면?", "compare", ""),
])
def test_expected_type(q, kind, unit):
    assert expected_type(q) == ExpectedType(kind, unit)


def test_a_factual_difference_is_not_a_comparison_request():
    assert expected_type("12 삭망월과 1태양년의 날짜 차이는?").kind != "compare"
    assert expected_type("위법행위를 요건으로 하지 않는 불법행위가 규정된 법률은?").kind != "rate"


def test_constraints_years_months_countries_measure_topic():
    f = frame("2020년 2월 베트남의 음식배달 앱 사용률은?")
    assert {("year", "2020"), ("month", "2"), ("country", "베트남"), ("measure", "사용률")} <= kinds(f)
    assert ("topic", "음식배달") in kinds(f)  # one-syllable words (앱) are too common to require


def test_a_handover_is_not_india_and_a_decade_is_not_a_year():
    assert ("country", "인도") not in kinds(frame("체포 및 인도 중 도망친 곳은?"))
    assert ("country", "인도") in kinds(frame("인도의 온라인 교육 시장 규모는?"))
    assert years_in("2000년대초부터") == set()
    assert years_in("2015~2019년") == {"2015", "2016", "2017", "2018", "2019"}
    assert years_in("'11년도 소요예산") == {"2011"} and months_in("3~5월") == {"3", "4", "5"}


def test_a_when_question_keeps_only_the_year_it_asks_within():
    assert not [c for c in frame("1989년 국회 행정실장을 역임한 사람은 언제 태어났나?").constraints if c.kind == "year"]
    assert ("year", "2013") in kinds(frame("청해부대의 파견기간은 2013년 몇 월까지로 연장되나?"))


def check(q, text, context="", known=None):
    f = frame(q, known)
    new = [(w, "N") for w in text.split()]
    return check_span(f, text, context, new)


def test_contradictions_of_the_same_kind_rule_a_sentence_out():
    c = check("2022년 한국판 뉴딜 예산은?", "2021년 예산은 4376억원이다.")
    assert not c.passes and c.fails_only_constraints and c.contradicted[0][1] == "2021년"
    c = check("베트남의 음식배달 앱 사용률은?", "대만의 음식배달 앱 사용률은 35.6%다.", "해외 > 대만")
    assert [(x.value, found) for x, found in c.contradicted] == [("베트남", "대만")]
    c = check("12월 온라인쇼핑 거래액은?", "5월 온라인쇼핑 거래액은 11조원을 기록했다.")
    assert [(x.value, found) for x, found in c.contradicted] == [("12", "5월")]
    c = check("국무총리의 임기는 몇 년인가?", "대통령의 임기는 5년으로 하며, 중임할 수 없다.")
    assert [(x.value, found) for x, found in c.contradicted] == [("국무총리", "대통령")]


def test_a_met_constraint_and_a_relative_date_pass():
    assert check("2020년 2월 대만의 음식배달 앱 사용률은?", "2020년 2월 대만의 음식배달 앱 사용률은 35.6%로 급증").passes
    # "이듬해" dates the sentence relatively: the chunk's other years do not contradict it
    assert check("1985년 파리 대회에서 은메달을 딴 사람은?", "이듬해 파리 대회에서 은메달을 획득했다.", "1984년 …").passes


def test_the_expected_type_must_be_in_the_sentence():
    assert not type_ok(ExpectedType("count", "명"), "소요예산은 약 347억원", [])
    assert type_ok(ExpectedType("count", "명"), "인원 : 310명 이내", [])
    assert not type_ok(ExpectedType("date"), "이 헌법은 공포한 뒤에 효력을 가진다", [])
    assert type_ok(ExpectedType("date"), "이 헌법은 1988년 2월 25일부터 시행한다.", [])
    # digits inside a word state no figure
    assert not type_ok(ExpectedType("change"), "코로나19 사태는 시장이 성장하는 계기", [])
    assert type_ok(ExpectedType("count", "개"), "3만 5000여 개의 학교", [])


def test_a_misspelt_name_is_the_corpus_term_but_another_name_is_not():
    assert typo_variants("진중기", "진중길") and typo_variants("터키쿤", "터키군")
    assert not typo_variants("재무부", "내무부") and not typo_variants("김희선", "이희선")
    v = VariantIndex(["진중길", "내무부", "터키군"])
    assert v.variant_of("진중기") == "진중길" and v.variant_of("재무부") is None


def test_an_institution_the_documents_never_name_is_a_constraint():
    f = frame("중국 공업정보화부는 어떤 분야가 성장할 것으로 전망했나?", known=lambda w: w in ("중국", "공업"))
    assert ("name", "공업정보화부") in kinds(f)
    assert not check("중국 공업정보화부는 어떤 분야가 성장할 것으로 전망했나?",
                     "중국 상무부는 원격진료 분야가 성장할 것으로 예상했다.", known=lambda w: w == "중국").passes


def test_outline_statements_without_a_period_are_split():
    sents = [s.text for s in split_sentences("줌 하루 이용자가 2억명까지 폭증하였음 미국 IT 매체 마더보드는 문제를 보도함 "
                                              "정부는 지원을 확대함 - 민간은 투자를 늘림")]
    assert sents == ["줌 하루 이용자가 2억명까지 폭증하였음", "미국 IT 매체 마더보드는 문제를 보도함",
                     "정부는 지원을 확대함", "민간은 투자를 늘림"]
    assert [s.text for s in split_sentences("이는 비용이 증가했음을 뜻한다. 처음 시작한 일은 마음 편하게 했다.")] == [
        "이는 비용이 증가했음을 뜻한다.", "처음 시작한 일은 마음 편하게 했다."]


def test_no_report_sentence_runs_two_outline_statements_together():
    from untact_qa.chunking import chunk_document
    from untact_qa.corpus import load_corpus
    from untact_qa.tokenization import kiwi

    for doc in load_corpus(ROOT / "corpus").documents:
        for chunk in chunk_document(doc)[0]:
            for s in chunk.sentences:
                toks = kiwi().tokenize(s.text)
                for a, b in zip(toks, toks[1:]):
                    end = a.start + a.len
                    glued_clause = (a.tag in ("EF", "ETN") and a.form in ("음", "ㅁ", "\u11b7")
                                    and end < len(s.text) and s.text[end].isspace()
                                    and not b.tag.startswith(("J", "E", "S", "X", "VCP", "NNB"))
                                    and b.form not in ("및", "또는", "혹은"))  # "불편함 등을": a list goes on
                    assert not glued_clause, s.text


def test_generated_near_misses_never_pair_the_swapped_value_with_the_fact():
    from untact_qa.corpus import load_corpus

    for qfile, corpus in ((ROOT / "eval" / "questions.jsonl", ROOT / "corpus"),
                          (ROOT / "eval" / "suites" / "law" / "questions.jsonl", ROOT / "eval" / "suites" / "law" / "corpus")):
        rows = [json.loads(line) for line in qfile.read_text(encoding="utf-8").splitlines() if line.strip()]
        generated = [r for r in rows if r["type"] == "near_miss" and r.get("source")]
        assert generated
        docs = {d.doc_id: d.text for d in load_corpus(corpus).documents}
        assert pairing_problems(generated, docs) == []


def test_a_narrative_year_is_the_year_named_before_it():
    # "같은 해" after 1989 is 1989: not an answer about 1990, but the closest content
    c = check("1990년 6월 30일 평양축전에 대표로 파견된 인물은?", "같은 해 6월 30일 평양축전에 임수경을 대표로 파견하였다.",
              "1989년 2월 15일 지명수배되었다. 같은 해 6월 30일 평양축전에 임수경을 대표로 파견하였다.")
    assert not c.passes and [(x.value, found) for x, found in c.contradicted] == [("1990", "1989년")]
    assert check("1989년 6월 30일 평양축전에 대표로 파견된 인물은?", "같은 해 6월 30일 평양축전에 임수경을 대표로 파견하였다.",
                 "1989년 2월 15일 지명수배되었다. 같은 해 6월 30일 평양축전에 임수경을 대표로 파견하였다.").passes
    # a year named only *after* the sentence is not its year ("1985년 대회" is no decade either)
    assert check("1986년 대회에서 은메달을 딴 사람은?", "이듬해 파리 대회에서 은메달을 획득했다.",
                 "1985년 대회에 나가지 못했다. 이듬해 파리 대회에서 은메달을 획득했다.").passes


def test_weekdays_and_clock_times_are_dates():
    assert type_ok(ExpectedType("date"), "사내 독서 모임은 매달 첫째 주 수요일에 열린다.", [])
    assert type_ok(ExpectedType("date"), "분기 회의는 삼월 첫째 금요일 오후 두 시에 별관에서 열린다.", [])
    assert not type_ok(ExpectedType("date"), "회의는 본관 대회의실에서 열린다.", [])


def test_a_date_question_about_one_event_is_not_answered_with_another():
    q = "헌법은 몇 년 몇 월 며칠에 제정되었나?"
    c = check(q, "이 헌법은 1988년 2월 25일부터 시행한다.")
    assert not c.passes and [(x.value, found) for x, found in c.contradicted] == [("제정", "시행")]
    assert check(q, "1948년 7월 12일에 제정되고 8차에 걸쳐 개정된 헌법을 이제 국민투표에 의하여 개정한다.").passes
    # an event describing the subject, far from the question word, is not the one dated
    assert not any(x.kind == "event" for x in frame("종편채널 설립에 근거를 준 방송법이 국회를 통과한 날은 언제인가?").constraints)


def test_a_missing_compound_replaces_the_name_inside_it():
    known = {"카카오", "비대면", "계좌"}.__contains__
    f = frame("카카오뱅크의 비대면 계좌 개설 수는?", known=known)
    assert ("name", "카카오뱅크") in kinds(f) and ("name", "카카오") not in kinds(f)
    assert not check("카카오뱅크의 비대면 계좌 개설 수는?", "네이버와 카카오 등 플랫폼기업도 금융거래에 주도권을 두고 있다.",
                     known=known).passes


def test_swapped_syllables_are_a_slip_but_another_word_is_not():
    v = VariantIndex(["바르셀로나", "카자흐스탄", "국제결혼중개업"])
    assert v.variant_of("바르세롤나") == "바르셀로나" and v.variant_of("카자스흐탄") == "카자흐스탄"
    assert v.variant_of("국내결혼중개업") is None


def test_a_nominal_ending_before_deung_is_no_statement_end():
    sents = [s.text for s in split_sentences("서비스를 도입하면서 겪게 되는 불편함 등을 고려했을 때 요구가 늘어날 것으로 보임")]
    assert sents == ["서비스를 도입하면서 겪게 되는 불편함 등을 고려했을 때 요구가 늘어날 것으로 보임"]


@pytest.mark.parametrize("question,topic", [
    ("2022년 한국판 뉴딜 예산은 얼마인가?", "2022년 한국판 뉴딜 예산"),
    ("온라인쇼핑 거래액 증가율은 전년 대비 얼마야?", "온라인쇼핑 거래액 증가율"),
    # the 는 of "않는" is a verb's ending: the near-miss message said "실천되지 않이 나오지 않습니다"
    ("중국에서 재택근무가 실천되지 않는 이유는?", "중국에서 재택근무가 실천되지 않는 이유"),
])
def test_the_topic_a_near_miss_names_is_a_whole_phrase(question, topic):
    from untact_qa.question import topic_of

    assert topic_of(question) == topic


def test_a_near_miss_in_another_language_names_what_is_missing_in_korean():
    # an English question has no Korean topic phrase: the message names the failed constraint
    # as the documents write it, with the particle that agrees with it ("한국에 관한 그 내용이")
    from untact_qa.answer import _near_miss_reason, _near_miss_text
    from untact_qa.question import SpanCheck, frame_question

    frame = frame_question("In Korea, what share of companies adopted remote work?")
    korea = next(c for c in frame.constraints if c.kind == "country")
    check = SpanCheck(type_ok=True, contradicted=((korea, "대만"),))
    text = _near_miss_text(frame, "대만 기업들은 …", check)
    assert text.startswith("문서에는 한국에 관한 그 내용이 나오지 않습니다.") and "In Korea" not in text
    assert "Korea가 아닙니다" in _near_miss_reason(frame, check)  # 받침 of a Latin word: Korea가, not Korea이
    korean = frame_question("한국의 현금 사용률은?")
    assert _near_miss_text(korean, "…").startswith("문서에는 한국의 현금 사용률이 나오지 않습니다.")


def test_the_dated_event_is_the_one_next_to_the_question_word():
    # "개정안" names the bill; what the question dates is its 발의 (it was taken for a 개정
    # date, and the 발의연월일 line failed the check)
    from untact_qa.question import _dated_event, lexicon

    assert _dated_event("결혼중개업법 개정안은 언제 발의했어?", lexicon()) == ("발의", "발의")
    assert _dated_event("헌법은 언제 제정되었나?", lexicon()) == ("제정", "제정")
    assert _dated_event("개정안은 언제 시행돼?", lexicon()) == ("시행", "시행")


def test_an_office_is_found_however_the_question_spaces_it():
    # "지방의회 의원" is 지방의회의원 (its 국회의원 sentence must not answer it); one-syllable
    # parts never split ("국회의 사무" names no 의사)
    from untact_qa.question import roles_in

    assert roles_in("지방의회 의원은 발언에 대한 책임을 져?") == {"지방의회의원"}
    assert roles_in("국회 의장은 누가 뽑아?") == {"국회의장"}
    assert roles_in("국회의 사무는?") == set()


def test_an_office_in_the_place_the_question_gives_its_own_is_a_rival():
    # "대통령으로 선거될 수 있는 자는 국회의원의 피선거권이 있고 … 40세" names 국회의원, but
    # the age is the President's: the question's 국회의원 stands where the sentence has 대통령
    q = "국회의원으로 선거될 수 있는 나이는?"
    c = check(q, "대통령으로 선거될 수 있는 자는 국회의원의 피선거권이 있고 선거일 현재 40세에 달하여야 한다.")
    assert [(x.value, found) for x, found in c.contradicted] == [("국회의원", "대통령")]
    assert check(q, "국회의원으로 선거될 수 있는 자는 선거일 현재 25세 이상이어야 한다.").passes
    # the same office in the question's place with another beside it is no rival
    c = check("대통령의 임기는?", "대통령의 임기는 5년으로 하며, 국회의원의 임기와 다르다.")
    assert not c.contradicted


def test_an_age_is_asked_in_years_of_age():
    # "나이는?" wants 세/살: "200인 이상" (the Assembly's size) is no age
    assert expected_type("국회의원으로 선거될 수 있는 나이는?") == ExpectedType("count", "세")
    assert expected_type("육아휴직 가능 자녀 연령은?") == ExpectedType("count", "세")
    assert expected_type("나이지리아의 인구는?") == ExpectedType("count", "명")
    t = expected_type("국회의원으로 선거될 수 있는 나이는?")
    assert not type_ok(t, "국회의원의 수는 법률로 정하되, 200인 이상으로 한다.", [])
    assert type_ok(t, "선거일 현재 40세에 달하여야 한다.", [])


def test_how_many_days_is_a_period_and_a_calendar_day_is_not_one():
    # "며칠간 이어졌어?" asks how long: "137일간" answers it, "5월 21일" (a day) and
    # "1993년" (a year) do not (a pair of sentences holding "5월 21일" was taken for it)
    t = expected_type("원진레이온 투쟁은 며칠간 이어졌어?")
    assert t.kind == "period"
    assert type_ok(t, "137일간의 긴 투쟁은 업무상 재해인정기준안을 만들었다.", [])
    assert not type_ok(t, "마침내 5월 21일 노동부와 회사를 굴복시켰다.", [])
    assert not type_ok(t, "원진재단은 1993년에 설립되었다.", [])
    assert type_ok(t, "국회의원의 임기는 4년으로 한다.", [])
    assert expected_type("며칠에 열려?").kind == "date"
    # "최대 며칠" is how long (a session's length), not which day
    assert expected_type("국회 임시회의 회기는 최대 며칠인가?").kind == "period"
    # with a bound or a change it is a length too ("50일 이상으로 연장함" answers it)
    assert expected_type("행정절차법 개정안에서 입법예고기간을 며칠 이상으로 바꿔요?").kind == "period"
    assert expected_type("입법예고기간은 며칠로 늘어나?").kind == "period"
    assert expected_type("헌법은 몇 년 몇 월 며칠에 제정되었나?").kind == "date"


def test_a_rate_the_lexicon_does_not_list_is_met_by_its_verb():
    # "유연근무제 도입률" is stated "유연근무제(활용여부)는 11% 정도 도입되어 있음"
    q = "우리나라 유연근무제 도입률은?"
    c = check(q, "통계청에 따르면 우리나라 유연근무제(활용여부)는 11% 정도 도입되어 있음.")
    assert c.passes, (c.unmet, c.contradicted)
    assert not check(q, "통계청에 따르면 우리나라 유연근무제 이용자는 11% 늘었음.").passes
    # the noun alone is no rate of it: "과반 득표를 한 자" gives no 득표율
    assert not check("1987년 대선에서 당선된 후보의 득표율은?", "1차 투표에서 과반 득표를 한 자가 있다면 그는 승자이다.").passes


def test_a_life_span_dates_a_life_not_the_event_asked_about():
    # an encyclopedia entry's opening "(1924년 12월 2일 ~ 2010년 2월 20일)" gives birth and
    # death: it does not say when he resigned (it was quoted for "언제 사임했어?"), but it
    # does say when he was born
    lead = "알렉산더 헤이그 2세(영어: Alexander Haig, 1924년 12월 2일 ~ 2010년 2월 20일)는 미국의 국무 장관을 지낸 군인이다."
    assert not check("알렉산더 헤이그는 언제 사임했어?", lead).passes
    assert check("알렉산더 헤이그는 언제 태어났어?", lead).passes
    # a date range elsewhere in a sentence is no life span
    assert check("알렉산더 헤이그는 언제 사임했어?", "알렉산더 헤이그는 재임 기간(1981년 1월 ~ 1982년 7월)을 마치고 사임했다.").passes


def test_a_fraction_is_no_period_of_minutes():
    # "국회재적의원 4분의 1 이상의 요구에 의하여" matched "4분" as how long, so the sentence on
    # who calls an extraordinary session passed as the answer to "임시회는 최대 며칠까지 …?"
    period = ExpectedType("period")
    assert not type_ok(period, "국회의 임시회는 대통령 또는 국회재적의원 4분의 1 이상의 요구에 의하여 집회된다.", [])
    assert type_ok(period, "임시회의 회기는 30일을 초과할 수 없다.", [])
    assert type_ok(period, "회의는 40분 동안 이어졌다.", [])


def test_an_english_when_clause_is_no_question_for_a_date():
    # "When someone gets arrested in Korea, who issues the warrant?" asks who; its "when"
    # opens a clause (it was read as a date question, and the compensation rule was quoted)
    assert expected_type("When someone gets arrested in Korea, who issues the warrant?").kind == "person"
    assert expected_type("When a bill passes, how many days does the president have?").kind == "period"
    assert expected_type("When did Zoom users surge?").kind == "date"


def test_a_self_introduction_is_no_part_of_the_question():
    """"회사 다니는 워킹맘인데요, …" was searched whole and refused ("문서에는 회사 다니는
    워킹맘인데요, …이 나오지 않습니다"); a leading statement about the asker goes when what is
    left is a question of its own. A preamble that carries the topic stays."""
    from untact_qa.question import without_self_introduction as strip

    q = "2010년에 발의된 남녀고용평등법 개정안에서 육아휴직 가능한 자녀 나이를 몇 살까지로 올리자고 했나요?"
    assert strip("회사 다니는 워킹맘인데요, " + q) == q
    assert strip("기자입니다. 육아휴직 자녀 연령을 만8세로 늘리는 법안들에 대해 추가 비용이 얼마나 드나요?") == \
        "육아휴직 자녀 연령을 만8세로 늘리는 법안들에 대해 추가 비용이 얼마나 드나요?"
    assert strip("나 지방공무원인데 애가 초등학교 2학년이야. 지방공무원법 개정안 통과되면 육아휴직 쓸 수 있어?") == \
        "지방공무원법 개정안 통과되면 육아휴직 쓸 수 있어?"
    for kept in ("한국판 뉴딜 말인데요, 데이터 정책은 뭐야?", "간호학과 학생인데요, 누가 냈어?", "일본은 재택근무가 왜 안 돼요?"):
        assert strip(kept) == kept


@pytest.mark.parametrize("question, text, flipped", [
    ("선거권은 몇 살부터 생겨?", "④대통령으로 선거될 수 있는 자는 국회의원의 피선거권이 있고 선거일 현재 40세에 달하여야 한다.", "피선거권"),
    ("대면 수업은 언제 재개돼?", "3월부터 비대면 수업이 2020년 6월까지 이어졌다.", "비대면"),
])
def test_a_word_the_sentence_says_only_behind_a_flipping_prefix_is_not_what_was_asked(question, text, flipped):
    """피선거권 (the right to be elected) is not 선거권, 비대면 is not 대면: a sentence that
    uses the asked word only with such a prefix contradicts the question, naming what it says
    instead; one that also says the word alone does not."""
    got = check(question, text)
    assert not got.passes and flipped in [found for _, found in got.contradicted], got
    assert not any(c.kind == "word" for c, _ in check(question, text + " 대면 수업과 선거권도 함께 다룬다.").contradicted)


def test_an_office_is_not_met_by_another_office_with_the_same_last_word():
    """"국무위원 임기는 몇 년이야?" was answered with "③감사위원은 … 그 임기는 4년": 국무위원 was
    "in" the sentence by its head word (위원) alone. The short form of an office (원장 for
    감사원장) stands for it only where its first part is there too."""
    text = "③감사위원은 원장의 제청으로 대통령이 임명하고, 그 임기는 4년으로 하며, 1차에 한하여 중임할 수 있다."
    check = check_span(frame_question("국무위원 임기는 몇 년이야?"), text, "", [])
    assert [c.value for c, _ in check.contradicted] == ["국무위원"], check
    short = check_span(frame_question("감사원장 임기는 몇 년이야?"), "②원장은 … 그 임기는 4년으로 하며", "제4관 감사원", [])
    assert "감사원장" in [c.value for c in short.met], short


def test_a_retirement_age_is_not_a_term_and_never_once_answers_how_many_times():
    term = "③감사위원은 원장의 제청으로 대통령이 임명하고, 그 임기는 4년으로 하며, 1차에 한하여 중임할 수 있다."
    check = check_span(frame_question("감사위원의 정년은?"), term, "", [])
    assert [c.value for c, _ in check.contradicted] == ["정년"], check
    # "몇 번까지 중임할 수 있어?" is answered by "중임할 수 없다" (not once), which has no count
    once = check_span(frame_question("대법원장은 몇 번까지 중임할 수 있어?"), "① 대법원장의 임기는 6년으로 하며, 중임할 수 없다.", "", [])
    assert once.type_ok, once
    assert not check_span(frame_question("대법원장은 몇 번까지 중임할 수 있어?"), "대법원장은 국회의 동의를 얻어 임명한다.",
                          "", []).type_ok


@pytest.mark.parametrize("q, text", [
    ("라라랜드 국내 관객 수는 얼마야?", "《라라랜드》는 2016년 공개된 미국의 뮤지컬 영화이다. 3000만 달러의 제작비를 들였다."),
    ("《DARK&WILD》 앨범은 발매 전에 선주문이 몇 장 들어왔어?", "첫 번째 정규 앨범 《DARK&WILD》는 현재까지 16만 장 넘게 팔렸다."),
])
def test_an_audience_or_a_preorder_is_not_answered_by_another_figure(q, text):
    """A film's audience, production cost, ratings and an album's pre-orders are measures: a
    sentence giving another figure (the cost, the sales) does not answer them (they were
    answered with the closest figure on KorQuAD tune pages)."""
    check = check_span(frame_question(q), text, "", [])
    assert not check.passes, check


def test_a_production_cost_is_answered_by_the_sentence_that_states_it():
    text = "《라라랜드》는 2016년 공개된 미국의 뮤지컬 영화이다. 3000만 달러의 제작비를 들였다."
    assert check_span(frame_question("라라랜드 제작비는 얼마야?"), text, "", [("달러", "U")]).passes


def test_the_office_one_is_elected_to_is_the_office_of_an_election():
    """"국회의원 선거에 나가려면 몇 살 이상이어야 해?" was answered with "④대통령으로 선거될 수
    있는 자는 국회의원의 피선거권이 있고 … 40세": 국회의원 is named there, but the age is of
    those elected 대통령 ("대통령으로 선거" is the 대통령 election)."""
    text = "④대통령으로 선거될 수 있는 자는 국회의원의 피선거권이 있고 선거일 현재 40세에 달하여야 한다."
    check = check_span(frame_question("국회의원 선거에 나가려면 몇 살 이상이어야 해?"), text, "", [])
    assert [found for _, found in check.contradicted] == ["대통령"], check
    assert check_span(frame_question("대통령 선거에 나가려면 몇 살 이상이어야 해?"), text, "", []).passes


def test_how_long_one_holds_an_office_is_read_as_its_term():
    from untact_qa.question import in_tenure_words

    assert in_tenure_words("대통령은 한 번 되면 몇 년 동안 해?") == "대통령은 임기 몇 년?"
    assert in_tenure_words("국회의원 임기는 몇 년이야?") == "국회의원 임기는 몇 년이야?"  # says 임기 itself
    assert in_tenure_words("이 회사는 몇 년 동안 해?") == "이 회사는 몇 년 동안 해?"  # no office
