"""Evaluation suites: every domain's questions are valid and grounded, splits are fixed."""

import hashlib
import json

import pytest

from conftest import ROOT
from untact_qa.corpus import load_corpus
from untact_qa.errors import ConfigError
from untact_qa.evaluation import load_questions, missing_evidence
from untact_qa.suites import korquad_split, list_suites, load_suite, split_of


def test_every_suite_is_listed_report_first():
    names = list_suites(ROOT)
    assert names[0] == "report" and {"korquad-open", "law"} <= set(names)


def test_unknown_suite_names_the_available_ones():
    with pytest.raises(ConfigError, match="no evaluation suite 'wiki'.*available: report, korquad-open, korquad-pages, law"):
        load_suite("wiki", ROOT)


def test_law_questions_are_grounded_in_their_corpus():
    suite = load_suite("law", ROOT)
    corpus_dir, qfile = suite.paths(ROOT / ".cache")
    qs = load_questions(qfile)
    corpus = load_corpus(corpus_dir)
    assert len(corpus.documents) == 11 and not corpus.errors
    assert missing_evidence(qs, [d.text for d in corpus.documents]) == []
    answers = [{**q, "evidence": q["answers"]} for q in qs if q["type"] != "unanswerable"]
    assert missing_evidence(answers, [d.text for d in corpus.documents]) == []
    assert sum(q["type"] == "unanswerable" for q in qs) >= 15
    halves = {s: [q for q in qs if q["split"] == s] for s in ("tune", "test")}
    assert abs(len(halves["tune"]) - len(halves["test"])) <= 1


def test_korquad_file_is_the_unmodified_public_dev_set():
    suite = load_suite("korquad-open", ROOT)
    raw = (suite.folder / suite.config["source"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == suite.config["sha256"]
    assert json.loads(raw)["version"] == "KorQuAD_v1.0_dev"


def test_korquad_split_is_fixed_and_balanced():
    data = json.loads((ROOT / "eval/suites/korquad-open/KorQuAD_v1.0_dev.json").read_text(encoding="utf-8"))["data"]
    titles = [a["title"] for a in data]
    roles = korquad_split(titles, 14)
    assert roles == korquad_split(list(reversed(titles)), 14)  # depends on the titles only
    withheld = [t for t, (r, _) in roles.items() if r == "withheld"]
    assert len(withheld) == 14
    for role, n in (("withheld", 7), ("indexed", 63)):
        assert sum(1 for r, h in roles.values() if r == role and h == "tune") == n
        assert sum(1 for r, h in roles.values() if r == role and h == "test") == n


def test_korquad_suite_builds_markdown_articles_and_grounded_questions(tmp_path):
    suite = load_suite("korquad-open", ROOT)
    corpus_dir, qfile = suite.paths(tmp_path)
    qs = load_questions(qfile)
    files = sorted(corpus_dir.glob("*.md"))
    assert len(files) == 126
    assert files[0].read_text(encoding="utf-8").startswith("# ")
    withheld_q = [q for q in qs if q["type"] == "unanswerable"]
    near = [q for q in qs if q["type"] == "near_miss"]
    assert 100 <= len(withheld_q) <= 140 and 1100 <= len(qs) - len(withheld_q) - len(near) <= 1260
    assert len(near) >= 150 and {q["split"] for q in near} == {"tune", "test"}
    sample = [q for q in qs if q["type"] not in ("unanswerable", "near_miss")][::25]
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert missing_evidence(sample, texts) == []
    for q in sample:
        assert any(q["answers"][0] in ev for ev in q["evidence"])
    # a second call reuses the build
    mtime = qfile.stat().st_mtime
    assert suite.paths(tmp_path)[1].stat().st_mtime == mtime


def test_split_is_explicit_or_by_id_hash():
    assert split_of({"id": "x", "split": "test"}) == "test"
    assert {split_of({"id": f"q{i}"}) for i in range(20)} == {"tune", "test"}
    with pytest.raises(ConfigError, match="'dev' is not one of tune, test"):
        split_of({"id": "x", "split": "dev"})
