"""Fault suite, the index: damaged CURRENT and version files, two writers at once, a
read-only folder, kill -9 mid-build. The CLI runs for real (real model) on tmp copies of the
corpus and of the session's index; each test ends with the index still answering."""

from __future__ import annotations

import json
import os
import signal
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import FakeEmbedder
from faultkit import ask_ok, cli, cli_popen, copy_index, one_error_line, readonly, wait_for
from appkit import free_port as _free_port, wait_up as _wait


def version(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


# -- row 5: a damaged CURRENT -------------------------------------------------------------------------
def test_random_bytes_in_current_give_one_error_line_and_build_repairs_it(tmp_path, settings, built_index):
    env = copy_index(settings, tmp_path)
    index = Path(env["UNTACT_QA_INDEX"])
    old = version(index)
    (index / "CURRENT").write_bytes(os.urandom(64) + b"\xff\xfe\x80")
    one_error_line(cli("ask", "베트남의 현금 사용률은?", env=env), "CURRENT is damaged", "untact-qa build")
    one_error_line(cli("search", "재택근무", env=env), "CURRENT is damaged", "untact-qa build")
    r = cli("build", "--quiet", env=env)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "Warning:" in r.stderr and "CURRENT is damaged" in r.stderr
    assert json.loads(r.stdout)["embedded"] == 0  # the old version's vectors were checked and reused
    assert version(index) != old and version(index).is_dir()
    ask_ok(env)


def test_serve_repairs_a_damaged_current_and_answers(tmp_path, settings, built_index):
    from gradio_client import Client

    env = copy_index(settings, tmp_path)
    (Path(env["UNTACT_QA_INDEX"]) / "CURRENT").write_bytes(b"\x00\x9c\xffgarbage")
    port = _free_port()
    proc = cli_popen("serve", "--host", "127.0.0.1", "--port", str(port), env={**env,
                     "GRADIO_TEMP_DIR": str(tmp_path / "gradio")})
    try:
        _wait(f"http://127.0.0.1:{port}/", proc)
        out = Client(f"http://127.0.0.1:{port}/", verbose=False).predict("베트남의 현금 사용률은?", "hybrid", 5,
                                                                          api_name="/ask")
        assert "90%" in out[0]["save"]["put"][-1]["answer"]
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "UnicodeDecodeError" not in err, err[-2000:]


# -- row 5: every file of a version checked on load and on reuse --------------------------------------
def _small_index(tmp_path, small_corpus):
    from untact_qa import Settings, build_index

    s = replace(Settings(), corpus_dir=small_corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    emb = FakeEmbedder()
    build_index(s, progress=False, embedder=emb)
    return s, emb


def _poison(folder: Path, what: str) -> None:
    if what == "short chunk_vectors":
        v = np.load(folder / "chunk_vectors.npy")
        np.save(folder / "chunk_vectors.npy", v[:-1])
    elif what == "NaN chunk vector":
        v = np.load(folder / "chunk_vectors.npy")
        v[3, 5] = np.nan
        np.save(folder / "chunk_vectors.npy", v)
    elif what == "NaN sentence vector":
        v = np.load(folder / "sentence_vectors.npy")
        v[0, :] = np.nan
        np.save(folder / "sentence_vectors.npy", v)
    elif what == "short sentence_vectors":
        v = np.load(folder / "sentence_vectors.npy")
        np.save(folder / "sentence_vectors.npy", v[:-2])
    elif what == "chunk_keys mismatched":
        keys = json.loads((folder / "chunk_keys.json").read_text())
        (folder / "chunk_keys.json").write_text(json.dumps(keys[:-1]))
    elif what == "sentence_keys mismatched":
        keys = json.loads((folder / "sentence_keys.json").read_text())
        (folder / "sentence_keys.json").write_text(json.dumps(keys[1:]))
    elif what == "chunk_terms short":
        lines = (folder / "chunk_terms.jsonl").read_text().splitlines()
        (folder / "chunk_terms.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    elif what == "vectors of another dimension":
        v = np.load(folder / "chunk_vectors.npy")
        np.save(folder / "chunk_vectors.npy", v[:, :-1])
    elif what == "manifest not an object":
        (folder / "manifest.json").write_text("[1, 2]")
    elif what == "dense.faiss truncated":
        data = (folder / "dense.faiss").read_bytes()
        (folder / "dense.faiss").write_bytes(data[: len(data) // 2])
    else:  # pragma: no cover
        raise ValueError(what)


@pytest.mark.parametrize("what", ["short chunk_vectors", "NaN chunk vector", "NaN sentence vector",
                                  "short sentence_vectors", "chunk_keys mismatched", "sentence_keys mismatched",
                                  "chunk_terms short", "vectors of another dimension", "manifest not an object",
                                  "dense.faiss truncated"])
def test_each_damaged_file_is_named_with_the_fix_and_build_replaces_it(tmp_path, small_corpus, what):
    from untact_qa import Engine, build_index
    from untact_qa.errors import StoreError
    from untact_qa.stores.local import LocalStore as Index

    s, emb = _small_index(tmp_path, small_corpus)
    good = Index.load(s.index_dir)
    total = len(good.chunks) + len(good.base.sentence_keys)
    _poison(version(s.index_dir), what)
    with pytest.raises(StoreError, match=r"untact-qa build"):
        Index.load(s.index_dir)
    before = emb.calls
    with pytest.warns(UserWarning, match="building a new version"):
        report = build_index(s, progress=False, embedder=emb)  # never reuses the damaged version
    assert report.embedded == emb.calls - before and report.embedded >= total - 1  # (two texts may be equal)
    fixed = Index.load(s.index_dir)
    assert np.isfinite(fixed.base.chunk_vectors).all() and np.isfinite(fixed.base.sentence_vectors).all()
    assert len(fixed.chunks) == len(good.chunks)
    engine = Engine(s, fixed, emb)
    assert engine.search("비대면 회의는 무슨 요일?", mode="bm25").hits[0].chunk.doc_id == "notes/memo.md"


def test_build_never_reuses_a_non_finite_vector_from_any_store(tmp_path, small_corpus):
    from untact_qa.ingest import vector_cache
    from untact_qa.stores.local import LocalStore as Index

    s, _ = _small_index(tmp_path, small_corpus)
    idx = Index.load(s.index_dir)
    idx.base.chunk_vectors[2] = np.inf  # as a store that does not check (Milvus, an old index) could hand it over
    idx.base.sentence_vectors[1] = np.nan
    cache = vector_cache(idx, idx.manifest["model"]["id"])
    assert idx.base.chunk_keys[2] not in cache and idx.base.sentence_keys[1][3] not in cache
    assert all(np.isfinite(v).all() for v in cache.values()) and len(cache) > 10


def test_corrupt_files_through_the_cli_name_the_fix(tmp_path, settings, built_index):
    """(already worked for unreadable files; kept so it cannot regress)"""
    env = copy_index(settings, tmp_path)
    folder = version(Path(env["UNTACT_QA_INDEX"]))
    (folder / "chunks.jsonl").write_text("{not json\n", encoding="utf-8")
    one_error_line(cli("ask", "재택근무 실시율은?", env=env), "is corrupt", "untact-qa build")
    r = cli("build", "--quiet", env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    ask_ok(env)


# -- row 6: one writer at a time ------------------------------------------------------------------------
def test_a_second_build_waits_for_the_lock_and_says_who_holds_it(tmp_path, settings, built_index):
    from untact_qa.locking import IndexLock

    env = copy_index(settings, tmp_path)
    index = Path(env["UNTACT_QA_INDEX"])
    log = tmp_path / "build.err"
    lock = IndexLock(index, command="test holder")
    lock.acquire()
    try:
        with open(log, "w") as err_file:
            proc = cli_popen("build", "--quiet", env=env, stderr=err_file)
            wait_for(lambda: "Waiting for the index lock" in log.read_text() or proc.poll() is not None, 180)
        assert proc.poll() is None, log.read_text()[-2000:]  # it waits, it does not fail
    finally:
        lock.release()
    out, _ = proc.communicate(timeout=300)
    err = log.read_text()
    assert proc.returncode == 0, err[-2000:]
    assert f"Waiting for the index lock on {index}/: held by pid {os.getpid()}" in err and "test holder" in err
    assert json.loads(out)["embedded"] == 0
    ask_ok(env)


def test_a_build_that_cannot_get_the_lock_fails_clearly_after_the_timeout(tmp_path, settings, built_index):
    from untact_qa.locking import IndexLock

    env = copy_index(settings, tmp_path)
    index = Path(env["UNTACT_QA_INDEX"])
    before = version(index)
    with IndexLock(index, command="long build"):
        r = cli("build", "--quiet", env={**env, "UNTACT_QA_LOCK_TIMEOUT": "2"})
    one_error_line(r, "is being written by pid", "long build", "waited 2 s")
    assert version(index) == before
    ask_ok(env)


def test_two_builds_at_once_on_one_index_never_fail(tmp_path, settings, built_index):
    env = copy_index(settings, tmp_path)
    corpus = Path(env["UNTACT_QA_CORPUS"])
    for round_ in range(2):  # each round two builds race for one index
        (corpus / f"extra-{round_}.md").write_text(
            f"# 추가 {round_}\n- 시험 회차 {round_}의 점검 담당자는 김{round_}호이다.\n", encoding="utf-8")
        procs = [cli_popen("build", "--quiet", env=env) for _ in range(2)]
        results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
        for rc, out, err in results:
            assert rc == 0 and "Traceback" not in err, err[-2000:]
            assert json.loads(out)["documents"] == 2 + round_
    index = Path(env["UNTACT_QA_INDEX"])
    assert not list(index.glob(".building-*")) and len(list(index.glob("v-*"))) == 1
    ask_ok(env)
    r = cli("ask", "시험 회차 1의 점검 담당자는?", env=env)
    assert "김1호" in r.stdout, r.stdout


# -- row 8: a read-only index folder ---------------------------------------------------------------------
def test_build_in_a_read_only_folder_fails_before_any_embedding(tmp_path, settings, built_index):
    env = copy_index(settings, tmp_path)
    index = Path(env["UNTACT_QA_INDEX"])
    (Path(env["UNTACT_QA_CORPUS"]) / "새문서.md").write_text("# 새 문서\n- 새 문서의 내용은 임베딩이 필요하다.\n",
                                                           encoding="utf-8")
    before = version(index)
    with readonly(index):
        r = cli("build", env=env)  # with the progress bar: it would show embedding
        one_error_line(r, "cannot write the index folder", "Read-only file system" if os.geteuid() == 0
                       else "Permission denied", "--index")
        assert "embed" not in r.stderr.lower() and "Building index" in r.stderr  # stopped before any embedding
        ask_ok(env)
    assert version(index) == before


def test_serve_on_a_read_only_index_with_a_changed_corpus_answers_from_the_old_one_and_says_so(
        tmp_path, settings, built_index):
    import urllib.request

    from gradio_client import Client

    env = copy_index(settings, tmp_path)
    index = Path(env["UNTACT_QA_INDEX"])
    (Path(env["UNTACT_QA_CORPUS"]) / "새문서.md").write_text("# 새 문서\n- 새 문서의 내용은 아직 색인되지 않았다.\n",
                                                           encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    with readonly(index):
        proc = cli_popen("serve", "--host", "127.0.0.1", "--port", str(port),
                         env={**env, "GRADIO_TEMP_DIR": str(tmp_path / "gradio")})
        try:
            _wait(url, proc)
            page = urllib.request.urlopen(url + "config", timeout=30).read().decode("utf-8")
            assert "색인을 다시 만들 수 없어 이전 색인으로 답합니다" in page
            out = Client(url, verbose=False).predict("베트남의 현금 사용률은?", "hybrid", 5, api_name="/ask")
            assert "90%" in out[0]["save"]["put"][-1]["answer"]
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=30)
    # a changed document is written in place at start-up; the read-only folder refuses it
    assert "cannot be updated" in err and "Traceback" not in err, err[-2000:]


# -- already worked: kill -9 mid-build -----------------------------------------------------------------
def test_kill_9_mid_build_leaves_the_previous_index_usable_and_the_next_build_works(tmp_path, settings, built_index):
    env = copy_index(settings, tmp_path)
    corpus, index = Path(env["UNTACT_QA_CORPUS"]), Path(env["UNTACT_QA_INDEX"])
    before = version(index)
    body = "".join(f"- 보고서 부록 {i}항의 담당 부서는 제{i}팀이며 검토 주기는 {i}개월이다.\n" for i in range(150))
    (corpus / "부록.md").write_text("# 부록\n" + body, encoding="utf-8")
    proc = cli_popen("build", env=env)  # with a progress bar on stderr
    # Killed once its "Embedding" bar shows, i.e. mid-build by what it did, not by a guess of how
    # long the build takes: it holds the lock, the corpus is chunked and a hundred texts and more wait for the
    # model (seconds on any CPU, against the microseconds a kill takes to arrive).
    seen = ""
    while "Embedding" not in seen:
        c = proc.stderr.read(1)
        assert c, f"build ended before embedding: {seen[-2000:]}"
        seen += c
    assert f'"pid": {proc.pid}' in (index / ".lock").read_text()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert version(index) == before
    ask_ok(env)
    r = cli("build", "--quiet", env=env)  # the kernel released the lock
    assert r.returncode == 0, r.stderr[-2000:]
    assert not list(index.glob(".building-*"))
    r = cli("ask", "보고서 부록 7항의 담당 부서는?", env=env)
    assert "제7팀" in r.stdout, r.stdout
