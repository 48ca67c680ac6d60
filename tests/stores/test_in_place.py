"""The local store changed in place ranks and answers exactly as a fresh build.

On every eval suite, with the real model and the suite's real index (the same one the eval
gate then uses, so building it here costs the gate nothing): an index that starts without
some documents is brought to the suite's corpus by adds, replaces (a shortened version, then
back), deletes and re-adds, in a base document and in delta documents. Every question of the
suite must then get the same passages with the same scores and the same answer as from the
fresh build, before and after the deltas are merged, and after reopening from disk.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from untact_qa.engine import Engine
from untact_qa.stores.local import LocalStore
from untact_qa.suites import open_suite, split_of

SUITES = ["report", "korquad-open", "korquad-pages", "law"]


class _MemoQueries:
    """The real embedder, remembering query vectors: both engines ask the same questions."""

    def __init__(self, embedder) -> None:
        self.inner, self.memo = embedder, {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode_query(self, text):
        if text not in self.memo:
            self.memo[text] = self.inner.encode_query(text)
        return self.memo[text]


@pytest.fixture(scope="module")
def real_embedder():
    from untact_qa.encoders import make_embedder
    from untact_qa.config import Settings

    s = Settings()
    return _MemoQueries(make_embedder(s.model, s.cache_dir))


def _churned(fresh, folder):
    """A store that reaches *fresh*'s corpus through updates: (store, documents touched)."""
    records = list(fresh.iter_records())
    by_doc: dict[str, list] = {}
    for r in records:
        by_doc.setdefault(r.chunk.doc_id, []).append(r)
    docs = list(by_doc)
    added = docs[1::max(1, len(docs) // 5)][:5]  # spread over the corpus order
    store = LocalStore.from_records([r for r in records if r.chunk.doc_id not in added], fresh.manifest)
    store.background_merge = False
    store.save(folder)
    for d in added:
        store.upsert(by_doc[d])
    replaced, readded, base_doc = (added or docs)[0], (added or docs)[-1], docs[0]  # (the report is one document)
    store.upsert(by_doc[replaced][:1])  # replaced by a shorter version (one chunk) ...
    store.upsert(by_doc[replaced])  # ... and back
    store.delete_doc(readded)
    store.upsert(by_doc[readded])
    store.delete_doc(base_doc)  # a document of the base: a tombstone, then a delta
    store.upsert(by_doc[base_doc])
    assert len(store.segments) > 1 and store.dead[0], "the case under test: deltas and tombstones"
    return store, [*added, base_doc]


def _questions(name, path):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # every third question of the large suites' test halves (all of them add minutes, not cases)
    return [q for q in rows if name in ("report", "law")] or [q for q in rows if split_of(q) == "test"][::3]


def _same_answers(a: Engine, b: Engine, questions) -> int:
    checked = 0
    for q in questions:
        x, y = a.ask(q["question"]), b.ask(q["question"])
        assert [(h.chunk.chunk_id, h.score) for h in x.hits] == [(h.chunk.chunk_id, h.score) for h in y.hits], q
        assert (x.text, x.abstained, [c.chunk_id for c in x.citations]) == \
               (y.text, y.abstained, [c.chunk_id for c in y.citations]), q
        checked += 1
    return checked


@pytest.mark.parametrize("name", SUITES)
def test_updates_in_place_equal_a_fresh_build(name, settings, built_index, real_embedder, tmp_path):
    suite, fresh_engine, questions_file = open_suite(name, settings, real_embedder)
    fresh = fresh_engine.index
    store, touched = _churned(fresh, tmp_path / "index")
    assert store.stats.to_dict() == fresh.stats.to_dict()
    assert store.doc_counts() == fresh.doc_counts()
    questions = _questions(name, questions_file)
    s = replace(fresh_engine.settings, index_dir=tmp_path / "index")

    churned = Engine(s, store, real_embedder, fresh_engine.retriever.calibration)
    assert _same_answers(churned, fresh_engine, questions) == len(questions) > 40
    for term_query in ("비대면", "대통령", "지원"):  # BM25 alone, and restricted to the touched documents
        from untact_qa.tokenization import morphemes

        terms = morphemes(term_query)
        assert store.lexical_search(terms, 20) == fresh.lexical_search(terms, 20)
        assert store.lexical_search(terms, 20, docs=touched) == fresh.lexical_search(terms, 20, docs=touched)
        qvec = real_embedder.encode_query(term_query)
        assert store.dense_search(qvec, 20, docs=touched) == fresh.dense_search(qvec, 20, docs=touched)

    reopened = LocalStore.load(tmp_path / "index")
    assert len(reopened.segments) == len(store.segments) and reopened.stats.to_dict() == fresh.stats.to_dict()
    store.merge()
    assert len(store.segments) == 1 and not store.dead[0]
    merged = Engine(s, LocalStore.load(tmp_path / "index"), real_embedder, fresh_engine.retriever.calibration)
    assert _same_answers(merged, fresh_engine, questions[::5]) > 10


def test_documents_changed_on_disk_are_updated_in_place_at_the_next_start(tmp_path, small_corpus):
    """Edited, added and deleted files while nothing ran: the next start writes only those
    documents (the version folder stays, a delta holds them) and ranks as a fresh build."""
    from conftest import FakeEmbedder
    from untact_qa import Settings, build_index
    from untact_qa.corpus import load_corpus
    from untact_qa.tokenization import morphemes

    s = replace(Settings(), corpus_dir=small_corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    emb = FakeEmbedder()
    build_index(s, progress=False, embedder=emb)
    version = (s.index_dir / "CURRENT").read_text()
    (small_corpus / "notes" / "memo.md").write_text("□ 메모\n - 비대면 회의는 매주 목요일로 옮겼다.\n", encoding="utf-8")
    (small_corpus / "notes" / "new.md").write_text("# 공지\n- 재택근무 신청은 금요일까지 받는다.\n", encoding="utf-8")
    calls = emb.calls
    engine = Engine.load_or_build(s, progress=False, embedder=emb)
    assert (s.index_dir / "CURRENT").read_text() == version  # not rebuilt
    assert len(engine.index.segments) == 2 and emb.calls - calls <= 8  # one delta: two documents' few texts
    assert not engine.index.is_stale(load_corpus(small_corpus)) and not engine.notice
    (small_corpus / "notes" / "new.md").unlink()
    engine = Engine.load_or_build(s, progress=False, embedder=emb)
    assert "notes/new.md" not in engine.index.doc_counts()
    assert not engine.index.is_stale(load_corpus(small_corpus))

    fresh = replace(s, index_dir=tmp_path / "fresh")
    build_index(fresh, progress=False, embedder=emb)
    other = LocalStore.load(fresh.index_dir)
    assert engine.index.stats.to_dict() == other.stats.to_dict()
    for q in ("비대면 회의 요일", "재택근무 신청", "원격 근무"):
        assert engine.index.lexical_search(morphemes(q), 10) == other.lexical_search(morphemes(q), 10)
        assert engine.search(q).hits == Engine(fresh, other, emb).search(q).hits


def test_a_delta_whose_documents_are_all_gone_is_dropped(tmp_path, small_corpus):
    from conftest import FakeEmbedder
    from untact_qa import Settings, build_index
    from untact_qa.documents import Uploads

    s = replace(Settings(), corpus_dir=small_corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    emb = FakeEmbedder()
    build_index(s, progress=False, embedder=emb)
    uploads = Uploads(Engine(s, LocalStore.load(s.index_dir), emb))
    store = uploads.engine.index
    names = []
    for i in range(3):
        page = tmp_path / f"page{i}.txt"
        page.write_text(f"□ 공지 {i}\n - 재택근무 신청은 {i + 1}일까지 받는다.\n", encoding="utf-8")
        names.append(uploads.add(page).doc_id)
    assert len(store.segments) == 4
    uploads.remove(names[1])
    assert len(store.segments) == 3 and names[1] not in store.doc_counts()
    live = store.path
    assert sorted(p.name for p in live.iterdir() if p.name.startswith("d-")) == sorted(
        seg.name for seg in store.segments[1:])  # the dropped delta's folder is gone
    reopened = LocalStore.load(s.index_dir)
    assert reopened.doc_counts() == store.doc_counts() and reopened.stats.to_dict() == store.stats.to_dict()
    page = tmp_path / "page9.txt"
    page.write_text("□ 공지 9\n - 원격 회의는 목요일이다.\n", encoding="utf-8")
    uploads.add(page)  # a new delta after a dropped one gets a new name
    assert len({seg.name for seg in store.segments}) == len(store.segments) == 4
