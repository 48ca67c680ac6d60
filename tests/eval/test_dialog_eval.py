"""The conversation data (chains and comparison requests) and its scoring (issue 27)."""

import json
from collections import Counter
from dataclasses import dataclass, field

import pytest
from conftest import ROOT

from untact_qa.dialog_eval import (INTENTS, NOT_IN_DOCUMENT, dialog_metrics, evaluate_comparisons, evaluate_dialog,
                                   interpretation_ok, legacy_chains, load_comparisons, load_dialog_chains,
                                   normalize_turn, turn_answer_score)
from untact_qa.errors import ConfigError
from untact_qa.scoring import squash
from untact_qa.suites import korquad_split, load_suite

SUITES = ("report", "law", "korquad-open")


def _suite(name):
    return load_suite(name, ROOT)


def _chains(name):
    suite = _suite(name)
    return load_dialog_chains(suite.folder / suite.config["chains"])


def _korquad_articles() -> dict[str, str]:
    suite = _suite("korquad-open")
    data = json.loads((suite.folder / suite.config["source"]).read_text(encoding="utf-8"))["data"]
    return {a["title"]: "\n\n".join(p["context"] for p in a["paragraphs"]) for a in data}


def _corpus_text(name: str) -> str:
    suite = _suite(name)
    folder = (suite.folder / suite.config["corpus"]).resolve()
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt")))


def _gold_strings(turn):
    out = [alt for a in turn["answers"] for alt in a.split("|")] + list(turn["evidence"])
    return out + [x for p in turn.get("key_points") or [] for x in p]


# -- the data -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SUITES)
def test_chain_suites_are_large_balanced_and_cover_every_intent(name):
    chains = _chains(name)
    turns = [(c["split"], t) for c in chains for t in c["turns"]]
    assert len(turns) >= 60
    by_split = Counter(s for s, _ in turns)
    assert set(by_split) == {"tune", "test"}
    assert min(by_split.values()) / len(turns) >= 0.4  # about half each
    assert set(Counter(t["intent"] for _, t in turns)) == set(INTENTS)
    assert sum(1 for _, t in turns if t["type"] == "near_miss") >= 1
    assert sum(1 for c in chains for k, t in enumerate(c["turns"]) if k and t["intent"] == "new") >= 10
    assert all(2 <= len(c["turns"]) <= 8 for c in chains)


@pytest.mark.parametrize("name", SUITES)
def test_chain_turns_are_well_formed(name):
    for c in _chains(name):
        for t in c["turns"]:
            if t["intent"] in ("ellipsis", "reference"):
                assert t["key_terms"], (c["id"], t["question"])
            if t["intent"] == "new":
                assert t["searched"] is None, (c["id"], t["question"])
            if t["type"] in ("why", "more") and not t["abstain"]:
                assert t["evidence"], (c["id"], t["question"])
            assert t["abstain"] == (not _gold_strings(t)), (c["id"], t["question"])


@pytest.mark.parametrize("name", ("report", "law"))
def test_chain_gold_strings_are_in_the_corpus(name):
    hay = squash(_corpus_text(name))
    missing = [(c["id"], s) for c in _chains(name) for t in c["turns"] for s in _gold_strings(t)
               if squash(s) not in hay]
    assert missing == []


def test_korquad_chains_stay_in_their_articles_half():
    articles = _korquad_articles()
    roles = korquad_split(list(articles), int(_suite("korquad-open").config.get("withheld", 14)))
    for c in _chains("korquad-open"):
        assert c.get("articles"), c["id"]
        for title in c["articles"]:
            role, half = roles[title]
            assert role == "indexed", (c["id"], title)
            assert half == c["split"], (c["id"], title)  # a test-half article is never in a tune chain
        hay = squash("\n".join(articles[t] for t in c["articles"]))
        missing = [s for t in c["turns"] for s in _gold_strings(t) if squash(s) not in hay]
        assert missing == [], c["id"]


def test_legacy_chains_are_the_original_ones():
    # the follow-up floors of eval/floors.json were set on these: 17 report and 11 law chains
    assert len(legacy_chains(_chains("report"))) == 17
    assert len(legacy_chains(_chains("law"))) == 11
    assert legacy_chains(_chains("korquad-open")) == []


def test_comparisons_are_grounded_split_and_enough():
    suite = _suite("report")
    items = load_comparisons(suite.folder / suite.config["comparisons"])
    assert len(items) >= 12
    assert {i["split"] for i in items} == {"tune", "test"}
    hay = squash(_corpus_text("report"))
    missing = [(i["id"], s) for i in items for a in i["aspects"] for cell in a["cells"].values() for s in cell
               if squash(s) not in hay]
    assert missing == []
    assert any(not cell for i in items for a in i["aspects"] for cell in a["cells"].values())  # silent sides too


def test_loaders_name_the_bad_line(tmp_path):
    bad = tmp_path / "chains.jsonl"
    bad.write_text(json.dumps({"id": "x", "split": "tune", "turns": [
        {"question": "그럼 일본은?", "intent": "ellipsis", "searched": "일본은?", "key_terms": [], "type": "factoid",
         "answers": ["도장"]}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="key_terms"):
        load_dialog_chains(bad)
    bad.write_text(json.dumps({"id": "x", "split": "tune", "turns": [
        {"question": "왜?", "intent": "why", "type": "why"}]}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="evidence"):
        load_dialog_chains(bad)
    # an old line (no intent) still loads: searched null is a new question
    old = normalize_turn({"question": "Q?", "searched": None, "type": "numeric", "answers": ["1"]})
    assert old["intent"] == "new" and old["abstain"] is False


# -- the scoring, with a fake engine -------------------------------------------------------------
@dataclass
class FakeCitation:
    n: int
    passage: str
    evidence: str


@dataclass
class FakeAnswer:
    text: str
    searched_query: str
    abstained: bool = False
    citations: tuple = ()
    kind: str = "answer"
    intent: str | None = None
    table: dict | None = None


@dataclass
class FakeEngine:
    """Answers from a script keyed by question; records the history it was given."""

    script: dict
    seen: list = field(default_factory=list)

    def ask(self, question, mode=None, top_k=None, history=None):
        self.seen.append((question, list(history or [])))
        return self.script[question]


JP = "서류 결재 시 상사의 도장을 받아야만 하는 ‘도장 문화’ 때문에 제대로 지켜지지 않는 실정"
WHY = "일본에서 재택근무가 실천되지 않는 이유로는 기술적 문제, 일중시 사회문화 등이 있음"
MORE = "대부분의 회사가 여전히 팩스를 사용하며 회사 도장을 이용해 공식 문서를 승인"


def _chain():
    return {"id": "c1", "split": "test", "turns": [
        {"question": "일본의 재택근무 현황은?", "intent": "new", "searched": None, "key_terms": [], "type": "factoid",
         "answers": ["도장 문화"], "evidence": [], "abstain": False},
        {"question": "왜?", "intent": "why", "searched": None, "key_terms": [], "type": "why", "answers": [],
         "evidence": ["기술적 문제, 일중시 사회문화"], "abstain": False},
        {"question": "더 자세히", "intent": "more", "searched": None, "key_terms": [], "type": "more", "answers": [],
         "evidence": ["여전히 팩스를 사용하며"], "abstain": False},
        {"question": "통신비는 얼마 지원돼?", "intent": "new", "searched": None, "key_terms": [],
         "type": "unanswerable", "answers": [], "evidence": [], "abstain": True},
        {"question": "그럼 대만은?", "intent": "ellipsis", "searched": "대만의 재택근무 현황은?",
         "key_terms": ["대만", "재택근무|원격근무"], "type": "near_miss", "answers": [], "evidence": [],
         "abstain": True}]}


def test_evaluate_dialog_scores_intents_answers_and_keeps_the_chat_history():
    cite = lambda n, s: FakeCitation(n, f"앞 문장. {s} 뒤 문장.", s)  # noqa: E731
    engine = FakeEngine({
        "일본의 재택근무 현황은?": FakeAnswer(f"{JP} [1]", "일본의 재택근무 현황은?", citations=(cite(1, JP),)),
        "왜?": FakeAnswer(f"{WHY} [1]", "일본 재택근무 이유", citations=(cite(1, WHY),), intent="why"),
        "더 자세히": FakeAnswer(f"{WHY} [1]", "일본 재택근무", citations=(cite(1, WHY),), intent="more"),  # repeats
        "통신비는 얼마 지원돼?": FakeAnswer("없음", "일본 통신비는 얼마 지원돼?", abstained=True),  # glued
        "그럼 대만은?": FakeAnswer("없음", "대만의 원격근무 현황은?", abstained=True),
    })
    rows, metrics = evaluate_dialog(engine, [_chain()])
    assert [r["interpretation_ok"] for r in rows] == [True, True, True, False, True]
    assert [r["answer_score"] for r in rows] == [1.0, 1.0, 0.0, 1.0, 1.0]
    m = metrics["test"]
    assert m["dialog_complete_rewritten"] == 1
    assert m["dialog_why_accuracy"] == 1.0 and m["dialog_more_accuracy"] == 0.0
    assert m["dialog_followup_answer_accuracy"] == 0.75
    assert m["dialog_interpretation_accuracy"] == 0.8
    assert metrics["all"] == m and "tune" not in metrics
    # the history is what the chat keeps: every earlier turn (the answers themselves)
    assert engine.seen[0][1] == [] and len(engine.seen[4][1]) == 4
    assert engine.seen[1][1] == [engine.script["일본의 재택근무 현황은?"]]
    # or, for an engine that takes pairs: searched question and answer of answered turns only
    engine.seen.clear()
    evaluate_dialog(engine, [_chain()], history="pairs")
    assert engine.seen[3][1] == engine.seen[4][1] and len(engine.seen[4][1]) == 3
    assert engine.seen[1][1] == [("일본의 재택근무 현황은?", f"{JP} [1]")]


def test_without_an_intent_attribute_why_and_more_are_not_recognised():
    turn = normalize_turn({"question": "왜?", "intent": "why", "type": "why", "evidence": ["기술적 문제"]})
    assert interpretation_ok(turn, FakeAnswer("…", "일본 재택근무 왜?")) == (False, [])
    ell = normalize_turn({"question": "그럼 일본은?", "intent": "ellipsis", "searched": "일본은?",
                          "key_terms": ["일본", "원격근무|재택근무"], "type": "factoid", "answers": ["도장"]})
    assert interpretation_ok(ell, FakeAnswer("…", "일본의 원격근무 현황은?"))[0]
    assert interpretation_ok(ell, FakeAnswer("…", "일본은?")) == (False, ["원격근무|재택근무"])
    assert not interpretation_ok(ell, FakeAnswer("…", "그럼 일본은?"))[0]  # not completed at all


def test_more_must_not_repeat_the_previous_quote():
    turn = normalize_turn({"question": "더 자세히", "intent": "more", "type": "more", "evidence": ["팩스"]})
    fresh = FakeAnswer("…", "…", citations=(FakeCitation(1, MORE, MORE),))
    both = FakeAnswer("…", "…", citations=(FakeCitation(1, JP, JP), FakeCitation(2, MORE, MORE)))
    assert turn_answer_score(turn, fresh, [JP])[0] == 1.0
    assert turn_answer_score(turn, both, [JP])[0] == 0.0
    # one sentence of a quote the previous answer gave whole ("…한다. 다만, …" quoted as one) is a
    # repeat too: the proviso pointed at again is no fresh detail
    whole = f"{JP} {MORE}"
    part = FakeAnswer("…", "…", citations=(FakeCitation(1, MORE, MORE),))
    assert turn_answer_score(turn, part, [whole]) == (0.0, {"gold_already_quoted": True, "cites_evidence": True,
                                                           "repeated": 1})


def test_a_more_gold_the_previous_answer_had_quoted_is_counted_apart():
    # the gold's evidence (상사의 도장) is in the previous quote: a more answer may not repeat it, so
    # the turn cannot be scored 1 — it is flagged, and attainable accuracy leaves it out
    turn = normalize_turn({"question": "더 자세히", "intent": "more", "type": "more", "evidence": ["상사의 도장"]})
    fresh = FakeAnswer("…", "…", citations=(FakeCitation(1, MORE, MORE),))
    score, info = turn_answer_score(turn, fresh, [JP])
    assert score == 0.0 and info["gold_already_quoted"]
    assert not turn_answer_score({**turn, "evidence": ["팩스"]}, fresh, [JP])[1]["gold_already_quoted"]
    rows = [{"turn": 1, "intent": "more", "type": "more", "abstain": False, "answer_score": s, "interpretation_ok": True,
             "rewritten": False, "abstained": False, "language_switch": False, "gold_already_quoted": g}
            for s, g in ((0.0, True), (1.0, False), (0.0, False))]
    m = dialog_metrics([{**r, "split": "tune"} for r in rows])["all"]
    assert m["dialog_more_gold_already_quoted"] == 1 and m["dialog_more_attainable_accuracy"] == 0.5
    assert m["dialog_more_accuracy"] == round(1 / 3, 4)


def test_comparison_alignment_reads_the_table_and_its_citations():
    item = {"id": "k", "split": "tune", "question": "한국과 일본을 비교해줘", "entities": ["한국", "일본"],
            "aspects": [{"aspect": "증가", "cells": {"한국": ["최대 34배"], "일본": ["최대 50배"]}},
                        {"aspect": "원인", "cells": {"한국": [], "일본": ["도장 문화"]}}]}
    s1 = "한국에서는 최대 34배, 일본에서는 최대 50배가량 증가"
    cites = (FakeCitation(1, s1, s1), FakeCitation(2, JP, JP))
    table = {"columns": ["한국", "일본"], "rows": [
        {"aspect": "원인", "cells": {"한국": {"text": NOT_IN_DOCUMENT, "citation": None},
                                   "일본": {"text": "도장 문화", "citation": 2}}},
        {"aspect": "증가 폭", "cells": {"한국": {"text": "최대 34배", "citation": 1},
                                     "일본": {"text": "최대 50배", "citation": 1}}}]}
    wrong = {"columns": ["한국", "일본"], "rows": [
        {"aspect": "증가", "cells": {"한국": {"text": "최대 34배", "citation": 2},  # cites the wrong sentence
                                   "일본": {"text": "최대 50배", "citation": 1}}}]}
    engine = FakeEngine({"a": FakeAnswer("…", "a", citations=cites, table=table),
                         "b": FakeAnswer("…", "b", citations=cites, table=wrong),
                         "c": FakeAnswer("…", "c", citations=cites)})
    rows, metrics = evaluate_comparisons(engine, [{**item, "question": q} for q in "abc"])
    assert [r["comparison_alignment"] for r in rows] == [1.0, 0.0, 0.0]  # no table: 0
    assert metrics["tune"]["comparison_alignment"] == pytest.approx(1 / 3, abs=1e-3)
