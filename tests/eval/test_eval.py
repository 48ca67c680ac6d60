import json
import subprocess
import sys

import pytest

from conftest import CORPUS, QUESTIONS, load_questions
from untact_qa.errors import ConfigError
from untact_qa.evaluation import TYPES, answer_score, check_floors, load_questions as load_checked, missing_evidence


def test_default_question_file_is_valid_and_grounded():
    qs = load_checked(QUESTIONS)
    assert len(qs) >= 80
    assert len({q["id"] for q in qs}) == len(qs)
    assert {q["type"] for q in qs} == set(TYPES)
    assert sum(q["type"] == "unanswerable" for q in qs) >= 12
    texts = [p.read_text(encoding="utf-8") for p in CORPUS.rglob("*.txt")]
    assert missing_evidence(qs, texts) == []
    # every country and chapter of the report is asked about
    for prefix in ("kr-", "cn-", "jp-", "tw-", "vn-", "us-", "im-", "cmp-", "para-", "en-", "na-"):
        assert any(q["id"].startswith(prefix) for q in qs), prefix


@pytest.mark.parametrize("line,message", [
    ('{"id": "a", "type": "numeric", "question": "q", "answers": ["1"]}', "keys must be exactly"),
    ('{"id": "a", "type": "trivia", "question": "q", "answers": ["1"], "evidence": ["x"]}', "'trivia' is not one of"),
    ('{"id": "a", "type": "unanswerable", "question": "q", "answers": ["1"], "evidence": []}', "empty exactly when"),
    ('not json', "not valid JSON"),
])
def test_bad_question_files_name_the_line(tmp_path, line, message):
    f = tmp_path / "q.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_checked(f)


def test_duplicate_ids_are_refused(tmp_path):
    row = '{"id": "a", "type": "factoid", "question": "q", "answers": ["1"], "evidence": ["x"]}'
    f = tmp_path / "q.jsonl"
    f.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="duplicate id 'a'"):
        load_checked(f)


def test_answer_scoring_ignores_whitespace_and_scores_lists_by_fraction():
    q = {"type": "list", "answers": ["V-Com", "Vmeet", "MegaMeeting"]}
    assert answer_score(q, "V-Com 과 Vmeet [1]", False) == pytest.approx(2 / 3)
    assert answer_score({"type": "numeric", "answers": ["11조 8055억원"]}, "총 11조8055억원", False) == 1.0
    assert answer_score({"type": "numeric", "answers": ["1"]}, "1", True) == 0.0
    assert answer_score({"type": "unanswerable", "answers": []}, "", True) == 1.0


def test_floor_check_names_the_metric():
    metrics = {"hybrid": {"mrr@10": 0.9, "false_abstain_rate": 0.05}}
    failures = check_floors(metrics, {"_comment": "x", "hybrid": {"mrr@10": 0.95, "false_abstain_rate": 0.02}})
    assert failures == ["hybrid mrr@10 = 0.9 is below its floor 0.95",
                        "hybrid false_abstain_rate = 0.05 is above its ceiling 0.02"]


def test_eval_cli_writes_the_public_contract(tmp_path, settings, built_index):
    qs = [q for q in load_questions() if q["id"] in ("kr-07", "jp-01", "na-09")]
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"hybrid": {"answer_accuracy": 1.01}}))
    out = tmp_path / "out"
    env = {"UNTACT_QA_INDEX": str(settings.index_dir), "UNTACT_QA_CACHE": str(settings.cache_dir)}
    import os

    r = subprocess.run([sys.executable, "-m", "untact_qa.cli", "eval", "--questions", str(qfile), "--out", str(out),
                        "--mode", "all", "--check", "--floors", str(floors)],
                       capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    # the impossible floor must fail the gate, naming the metric
    assert r.returncode == 1, r.stderr
    assert "Error: regression: hybrid answer_accuracy = 1.0 is below its floor 1.01" in r.stderr
    for name in ("predictions.jsonl", "predictions.dense.jsonl", "predictions.bm25.jsonl", "metrics.json",
                 "report.md", "metrics.png"):
        assert (out / name).is_file(), name
    rows = [json.loads(line) for line in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["kr-07", "jp-01", "na-09"]
    for row in rows:
        assert {"id", "question", "answer", "abstained", "citations", "passages"} <= set(row)
        assert len(row["passages"]) == 10
        assert set(row["passages"][0]) >= {"rank", "text", "score", "chunk_id", "doc"}
        for c in row["citations"]:
            assert {"n", "text", "doc", "lines"} <= set(c)
    assert rows[2]["abstained"] is True and rows[0]["abstained"] is False
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["modes"]) == {"hybrid", "dense", "bm25"}
    assert metrics["modes"]["hybrid"]["answer_accuracy"] == 1.0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| hybrid |" in report and "metrics.png" in report and "## Per question type" in report


def test_the_gate_asks_only_the_halves_its_floors_name(tmp_path, engine):
    """`make test` runs the gate with --only-gated: a suite whose floors are all on its test
    half (korquad-open, korquad-pages) is asked its test half alone; one with a floor on all
    its questions (report, law's follow-up floor, tables) is asked everything."""
    from untact_qa.evaluation import gated_splits, run

    floors = json.loads(open("eval/floors.json", encoding="utf-8").read())
    assert gated_splits(floors, "korquad-open") == gated_splits(floors, "korquad-pages") == frozenset({"test"})
    assert gated_splits(floors, "report") is gated_splits(floors, "law") is gated_splits(floors, "tables") is None
    assert gated_splits(floors, "no-such-suite") is None and gated_splits(None, "korquad-open") is None
    # conversations are asked only for a floor on them (none yet: the follow-up floors are the
    # legacy chains', measured apart)
    from untact_qa.evaluation import gates_dialog

    assert not any(gates_dialog(floors, s) for s in ("report", "law", "korquad-open", "korquad-pages", "tables"))
    assert gates_dialog({"law": {"test": {"hybrid": {"dialog_followup_answer_accuracy": 0.6}}}}, "law")
    assert gates_dialog({"report": {"all": {"hybrid": {"comparison_alignment": 0.4}}}}, "report")
    assert not gates_dialog({"law": {"all": {"hybrid": {"followup_rewrite_accuracy": 0.9}}}}, "law")
    qs = [q for q in load_questions() if q["id"] in ("kr-07", "jp-01", "na-09")]
    qs = [{**q, "split": s} for q, s in zip(qs, ("tune", "test", "test"))]
    qfile = tmp_path / "q.jsonl"
    qfile.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs), encoding="utf-8")
    by_split, _, _ = run(engine, qfile, tmp_path / "out", ["hybrid"], frozenset({"test"}))
    rows = [json.loads(line) for line in (tmp_path / "out" / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["jp-01", "na-09"] and "tune" not in by_split
    meta = json.loads((tmp_path / "out" / "metrics.json").read_text())["meta"]
    assert meta["n"] == 2 and meta["only_splits"] == ["test"]


def test_only_gated_without_check_is_refused(tmp_path):
    r = subprocess.run([sys.executable, "-m", "untact_qa.cli", "eval", "--only-gated", "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and "pass --check too" in r.stderr, r.stderr
