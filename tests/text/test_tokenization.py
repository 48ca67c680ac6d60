from untact_qa.tokenization import kiwi, morphemes, split_sentences


def test_untact_prefix_survives_tokenisation():
    toks = morphemes("비대면 서비스 수요가 증가")
    assert "비대면" in toks
    assert "대면" not in toks  # "untact" must not become "face-to-face"
    assert morphemes("대면 서비스") == ["대면", "서비스"]
    assert "비현금" in morphemes("비현금 거래 금액")


def test_content_morphemes_keep_numbers_and_foreign_words():
    toks = morphemes("Zoom 하루 이용자가 2억명까지 폭증하였음")
    assert {"zoom", "하루", "이용자", "2", "억", "폭증"} <= set(toks)
    assert "가" not in toks and "까지" not in toks


def test_kiwi_is_loaded_once_per_process():
    assert kiwi() is kiwi()


def test_sentence_offsets_match_text():
    text = "실제로 알서포트는 증가했다고 14일 밝혔다. 4월 2주차 집계된 통계에 따르면 차이가 있음"
    sents = split_sentences(text, base=10)
    assert len(sents) == 2
    for s in sents:
        assert text[s.start - 10:s.end - 10] == s.text


def test_a_determiner_written_against_a_noun_is_part_of_a_name():
    # Kiwi reads "그랩은" as 그/MM 랩/NNG: a reference to "그 회사" then resolved to "랩"
    from untact_qa.tokenization import question_tokens

    def read(text):
        return [(t.form, t.tag) for t in question_tokens(text)]

    assert read("그랩은 어떤 서비스를 시작했어?")[0] == ("그랩", "NNP")
    assert read("그 회사는?")[:2] == [("그", "MM"), ("회사", "NNG")]  # written apart: a determiner
    assert read("그해 몇 명이야?")[:2] == [("그", "MM"), ("해", "NNG")]  # a noun it does join
