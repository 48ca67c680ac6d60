"""Fault suite, issue 26 rows 1-3: one canonical document id everywhere; a scope never widens;
``#이름`` and the scope list read the index as it is now (fast unit tests of untact_qa.scope;
the app-level checks are in test_faults_delete.py)."""

from __future__ import annotations

import pytest

from untact_qa.errors import UntactQAError
from untact_qa.scope import (ScopeError, canonical_doc_id, mention_error, name_keys, resolve_mentions,
                             resolve_scope)

IDS = ["untact-economy-report.txt", "uploads/회의록.pdf.txt", "uploads/메모.md", "uploads/메모 (2).md",
       "uploads/Team_Notes.txt", "uploads/탁구 동호회.md"]


@pytest.mark.parametrize("raw", ["uploads//xss.md", "./uploads/xss.md", "/uploads/xss.md", "uploads/./xss.md",
                                 "uploads\\xss.md", " uploads/xss.md ", "uploads/xss.md\x00"])
def test_every_spelling_of_an_id_is_one_id(raw):
    assert canonical_doc_id(raw) == "uploads/xss.md"


@pytest.mark.parametrize("raw", ["uploads/../untact-economy-report.txt", "..", "", "///", None])
def test_ids_that_climb_out_or_say_nothing_are_refused(raw):
    with pytest.raises(UntactQAError):
        canonical_doc_id(raw)


def test_nfc_makes_decomposed_hangul_the_same_id():
    import unicodedata

    assert canonical_doc_id(unicodedata.normalize("NFD", "uploads/회의록.md")) == "uploads/회의록.md"


def test_a_pdf_upload_is_named_by_its_stem_with_or_without_extensions():
    assert name_keys("uploads/회의록.pdf.txt")[-2:] == ["회의록.pdf", "회의록"]
    for q in ("#회의록 보안 교육은 언제야?", "#회의록.pdf 보안 교육은 언제야?", "#회의록.pdf.txt 보안 교육은 언제야?",
              "#uploads/회의록.pdf.txt 보안 교육은 언제야?"):
        m = resolve_mentions(q, IDS)
        assert (m.text, m.docs, m.unknown) == ("보안 교육은 언제야?", ["uploads/회의록.pdf.txt"], []), q


def test_names_with_spaces_quoted_or_as_typed_and_a_following_particle():
    assert resolve_mentions('#"메모 (2)" 회의 요일은?', IDS).docs == ["uploads/메모 (2).md"]
    assert resolve_mentions("#메모 (2) 회의 요일은?", IDS).docs == ["uploads/메모 (2).md"]  # longest name wins
    assert resolve_mentions("#메모 회의 요일은?", IDS).docs == ["uploads/메모.md"]
    m = resolve_mentions("#탁구 동호회에서 언제 모여?", IDS)
    assert m.docs == ["uploads/탁구 동호회.md"] and m.text == "언제 모여?"


def test_a_unique_partial_name_is_taken_and_an_unknown_one_gets_suggestions():
    m = resolve_mentions("#Notes 와 #untact-economy-report.txt 비교", IDS)
    assert m.docs == ["uploads/Team_Notes.txt", "untact-economy-report.txt"] and not m.unknown
    m = resolve_mentions("C#은 뭐야? #회의룩", IDS)
    assert m.docs == [] and m.unknown == ["회의룩"] and "uploads/회의록.pdf.txt" in m.suggestions["회의룩"]
    err = mention_error(m)
    assert isinstance(err, ScopeError) and "혹시 uploads/회의록.pdf.txt" in err.korean()
    assert "C#은" in m.text  # C# is no mention


def test_an_ambiguous_partial_name_is_refused_with_the_candidates():
    m = resolve_mentions("#메 회의 요일은?", IDS)
    assert m.docs == [] and set(m.ambiguous["메"]) >= {"uploads/메모.md", "uploads/메모 (2).md"}
    assert "여럿" in mention_error(m).korean()


def test_a_scope_naming_a_missing_document_is_refused_never_widened():
    assert resolve_scope([], IDS) is None  # nothing chosen: every document
    assert resolve_scope(["uploads//메모.md"], IDS) == ["uploads/메모.md"]
    with pytest.raises(ScopeError) as err:
        resolve_scope(["uploads/메모.md", "uploads/지운문서.md"], IDS)
    assert err.value.missing == ["uploads/지운문서.md"]
    assert "uploads/지운문서.md가 없습니다" in err.value.korean() and "모든 문서에서 찾지는 않았습니다" in err.value.korean()


def test_the_engine_refuses_a_scope_of_a_document_it_does_not_hold(engine):
    with pytest.raises(ScopeError):
        engine.ask("베트남의 현금 사용률은?", docs=["uploads/없는문서.md"])
    got = engine.ask("베트남의 현금 사용률은?", docs=["./untact-economy-report.txt"])
    assert "90%" in got.text


def test_a_partial_name_followed_by_a_particle():
    m = resolve_mentions("#Team에서 정한 규칙은?", IDS)
    assert m.docs == ["uploads/Team_Notes.txt"] and m.text == "정한 규칙은?"
