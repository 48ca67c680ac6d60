"""The glossary that lets BM25 and the reader's word overlap read an English question over
Korean documents (untact_qa.crosslingual)."""

from __future__ import annotations

from untact_qa.crosslingual import glossary, korean_terms


def test_the_longest_english_form_wins_and_each_word_is_used_once():
    # "state council member" is 국무위원, not also 국무회의 (state council) and 의원
    assert korean_terms("Can the State Council member be removed?")[:1] == ["국무위원"]
    assert "국무회의" not in korean_terms("Can the State Council member be removed?")
    assert korean_terms("What is the term of a member of the National Assembly?") == ["임기", "국회의원"]


def test_plurals_and_possessives_are_the_same_word():
    assert "기업" in korean_terms("How many companies moved online?")
    assert "대통령" in korean_terms("What is the President's term?")
    assert "재판관" in korean_terms("How many justices sit on the Constitutional Court?")


def test_a_korean_question_or_unknown_words_add_nothing():
    assert korean_terms("국회의원의 임기는?") == []
    assert korean_terms("Hello there, how are you?") == []


def test_every_entry_maps_english_to_korean_words():
    table = glossary()
    assert len(table) > 150
    for english, korean in table.items():
        assert all(w.isascii() for w in english), english
        assert korean and all(any("가" <= ch <= "힣" or ch.isupper() for ch in w) for w in korean), (english, korean)


def test_a_name_the_documents_write_in_english_too_adds_no_korean():
    # "줌(Zoom)": searched as zoom and 줌 the name outweighed the rest of the question, and
    # BM25 ranked the daily-users sentence 8th; a name they never write in English still
    # gets its Korean (Amazon → 아마존)
    written = {"zoom"}.__contains__
    assert "줌" in korean_terms("How many daily users did Zoom reach?")
    assert "줌" not in korean_terms("How many daily users did Zoom reach?", written)
    assert "아마존" in korean_terms("What share of the cloud market does Amazon hold?", written)
