"""The console script, run as a user would run it."""

import json
import os
import subprocess
import sys

import pytest


def run(*args, env=None, timeout=300):
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "untact_qa.cli", *args], capture_output=True, text=True,
                          env=e, timeout=timeout)


@pytest.fixture(scope="module")
def cli_env(settings, built_index):
    return {"UNTACT_QA_INDEX": str(settings.index_dir), "UNTACT_QA_CORPUS": str(settings.corpus_dir),
            "UNTACT_QA_CACHE": str(settings.cache_dir)}


def test_search_prints_json_lines(cli_env):
    r = run("search", "재택근무 실시율은 얼마인가?", "--top-k", "3", env=cli_env)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert any("0.01%~0.64%" in row["text"] for row in rows)
    assert all(row["doc"] == "untact-economy-report.txt" and len(row["lines"]) == 2 for row in rows)


def test_search_plain_output(cli_env):
    r = run("search", "도장 문화", "--plain", "--mode", "bm25", "--top-k", "1", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("[1] untact-economy-report.txt:") and "도장" in r.stdout


@pytest.mark.parametrize("query,message", [("", "question is empty"), ("   ", "question is empty"),
                                           ("!!!", "no letters or numbers")])
def test_bad_queries_give_one_error_line(cli_env, query, message):
    r = run("search", query, env=cli_env)
    assert r.returncode == 1
    assert r.stderr.strip().startswith("Error:") and message in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_index_gives_one_error_line(tmp_path, cli_env):
    r = run("search", "재택근무", env={**cli_env, "UNTACT_QA_INDEX": str(tmp_path / "none")})
    assert r.returncode == 1
    assert r.stderr.strip() == f"Error: no index in {tmp_path / 'none'}/; run `untact-qa build` first"


def test_model_mismatch_gives_one_error_line(cli_env, tmp_path):
    r = run("search", "재택근무", "--model", str(tmp_path), env=cli_env)
    assert r.returncode == 1 and "untact-qa build" in r.stderr and "Traceback" not in r.stderr


def test_help_has_examples():
    r = run("search", "--help")
    assert r.returncode == 0 and "examples:" in r.stdout and "--plain" in r.stdout


def test_ask_prints_answer_and_sources(cli_env):
    r = run("ask", "베트남의 현금 사용률은?", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "90%" in r.stdout and "출처:" in r.stdout and "[1] untact-economy-report.txt" in r.stdout


def test_ask_json(cli_env):
    r = run("ask", "쿠팡의 2020년 매출은?", "--json", env=cli_env)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["abstained"] is True and d["citations"] == [] and "쿠팡" in d["reason"]
