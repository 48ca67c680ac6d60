"""Fault suite, updates in place: kill -9 at each step of an upload's write and of a merge.

A child process changes a local index and is killed (SIGKILL) at one step; the index must
then load and rank as before the change (or, once the change went live, as after it), and
the next write must work and leave an index equal to a fresh build of the same documents.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import pytest

from conftest import ROOT, FakeEmbedder

QUERIES = ["재택근무 금요일", "비대면 회의 요일", "원격 근무 제도"]

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    import untact_qa.stores.local as local
    from conftest import FakeEmbedder
    from untact_qa.chunking import ChunkingConfig
    from untact_qa.corpus import load_corpus, LoadResult

    def stop_here(name):
        if name == {point!r}:
            Path({marker!r}).write_text(name)
            time.sleep(120)
    local._crash_point = stop_here
    store = local.LocalStore.load(Path({index!r}))
    store.background_merge = False
    if {op!r} == "merge":
        store.merge()
    else:
        from untact_qa.ingest import make_records
        corpus = load_corpus(Path({corpus!r}))
        one = LoadResult(documents=[d for d in corpus.documents if d.doc_id == "notes/new.md"], settings=corpus.settings)
        records, _, _ = make_records(one, FakeEmbedder(), ChunkingConfig(), progress=False)
        store.upsert(records)
""")


def _rankings(store):
    from untact_qa.tokenization import morphemes

    return {q: store.lexical_search(morphemes(q), 5) for q in QUERIES}, store.doc_counts(), store.stats.to_dict()


def _engine(s, emb):
    from untact_qa.engine import Engine
    from untact_qa.stores.local import LocalStore

    return Engine(s, LocalStore.load(s.index_dir), emb)


def _prepare(tmp_path, small_corpus):
    """An index with a delta already (an upload and a delete), and a new document on disk."""
    from untact_qa import Settings, build_index
    from untact_qa.documents import Uploads

    s = replace(Settings(), corpus_dir=small_corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    emb = FakeEmbedder()
    build_index(s, progress=False, embedder=emb)
    page = tmp_path / "회의록.txt"
    page.write_text("□ 회의록\n - 비대면 회의는 매주 목요일에 열린다.\n - 원격 근무 제도는 다음 달에 확대된다.\n",
                    encoding="utf-8")
    uploads = Uploads(_engine(s, emb))
    uploads.engine.index.background_merge = False
    uploads.add(page)
    (small_corpus / "notes" / "new.md").write_text("# 새 문서\n- 재택근무는 금요일에 한다.\n- 비대면 회의 요일은 화요일이다.\n",
                                                   encoding="utf-8")
    return s, emb


def _kill_at(s, small_corpus, tmp_path, op, point):
    marker = tmp_path / "reached"
    code = CHILD.format(tests=str(ROOT / "tests"), point=point, marker=str(marker), index=str(s.index_dir), op=op,
                        corpus=str(small_corpus))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child ended before {point}: {proc.communicate()[1][-2000:]}")
        assert time.monotonic() < deadline, f"child never reached {point}"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.parametrize("op,point,live_after", [
    ("upsert", "delta-files", False),  # the delta's files half written, not yet named
    ("upsert", "delta-written", False),  # the delta folder in place, state.json not yet replaced
    ("upsert", "state-written", True),  # the update went live, leftovers not yet removed
    ("merge", "version-written", False),  # the merged version folder in place, CURRENT not yet swapped
    ("merge", "version-live", True),  # CURRENT swapped, the old version not yet removed
])
def test_kill_9_during_an_update_or_merge_leaves_an_answering_index(tmp_path, small_corpus, op, point, live_after):
    from untact_qa.stores.local import LocalStore

    s, emb = _prepare(tmp_path, small_corpus)
    before = _rankings(LocalStore.load(s.index_dir))
    _kill_at(s, small_corpus, tmp_path, op, point)

    after_kill = LocalStore.load(s.index_dir)  # loads without an error, and answers
    got = _rankings(after_kill)
    if op == "merge" or not live_after:
        assert got == before  # a merge changes no ranking; an update not yet live is not seen
    else:
        assert "notes/new.md" in got[1] and got != before
    hits = _engine(s, emb).search("비대면 회의는 무슨 요일?", mode="bm25").hits
    assert hits and hits[0].chunk.doc_id in ("uploads/회의록.txt", "notes/new.md", "notes/memo.md")

    # the next write works (the kernel released the lock) and leaves what a fresh build holds
    from untact_qa import build_index
    from untact_qa.documents import Uploads

    uploads = Uploads(_engine(s, emb))
    uploads.engine.index.background_merge = False
    page = tmp_path / "공지.txt"
    page.write_text("□ 공지\n - 재택근무 신청은 금요일까지 받는다.\n", encoding="utf-8")
    uploads.add(page)
    uploads.engine.index.merge()
    changed = _rankings(uploads.engine.index)
    if op == "merge" or not live_after:  # the killed write never indexed it: neither does the fresh build
        (small_corpus / "notes" / "new.md").unlink()
    fresh_dir = replace(s, index_dir=tmp_path / "fresh")
    build_index(fresh_dir, progress=False, embedder=emb)
    assert changed == _rankings(LocalStore.load(fresh_dir.index_dir))
    leftovers = [p.name for p in s.index_dir.iterdir() if p.name.startswith((".building-", "v-"))]
    assert len(leftovers) == 1, leftovers  # crashed writers' folders are gone
    live = s.index_dir / leftovers[0]
    assert not [p for p in live.iterdir() if p.name.lstrip(".").startswith("d-")]
