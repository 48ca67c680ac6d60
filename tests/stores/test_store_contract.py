"""One contract, every store: the local FAISS + bm25s folder, embedded milvus-lite (a .db
file), a milvus-lite server started here on 127.0.0.1, and — when ``MILVUS_URI`` is set — a
real Milvus cluster. Same records in, same rankings, scores and records out.

Records come from the real repair/chunking/Kiwi pipeline over the report and the law corpus
with the small deterministic FakeEmbedder (the model is not what a store is tested for;
`untact-qa eval --store` runs the real model through Milvus, see bench/results.md).
"""

import os
import uuid
from dataclasses import replace

import numpy as np
import pytest

from conftest import CORPUS, LAW, FakeEmbedder
from untact_qa.chunking import ChunkingConfig
from untact_qa.corpus import LoadResult, load_corpus
from untact_qa.ingest import base_manifest, make_records
from untact_qa.stores.local import LocalStore as Index
from untact_qa.stores import Store

QUERIES = ["재택근무 실시율", "일본 재택근무 도장 문화", "대통령의 임기", "국회의원 정수", "청해부대 파견 연장",
           "육아휴직 자녀 연령", "베트남 현금 사용률", "간호과 수업연한 학사학위", "없는단어조합 쿼크"]


def _same_ranking(got, want, tol=1e-4):
    """Same scores in the same order, and the same ids wherever scores are not tied (two
    stores may order exact ties — identical chunks — differently; a tie cut by k may differ)."""
    assert len(got) == len(want)
    assert np.allclose([s for _, s in got], [s for _, s in want], atol=tol), (got, want)
    groups: list[tuple[set, set]] = []
    last = None
    for (gi, gs), (wi, ws) in zip(got, want):
        if last is not None and abs(gs - last) <= tol:
            groups[-1][0].add(gi)
            groups[-1][1].add(wi)
        else:
            groups.append(({gi}, {wi}))
        last = gs
    for a, b in groups[:-1]:
        assert a == b, (got, want)


@pytest.fixture(scope="module")
def records():
    report = load_corpus(CORPUS)
    law = load_corpus(LAW)
    corpus = LoadResult(documents=report.documents + law.documents, settings=report.settings)
    emb = FakeEmbedder()
    recs, _, fields = make_records(corpus, emb, ChunkingConfig())
    return recs, base_manifest(emb.model_id, emb.dim, "local", fields), emb


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory):
    """milvus-lite's gRPC server as a subprocess on 127.0.0.1."""
    from milvuskit import lite_server

    with lite_server(tmp_path_factory.mktemp("milvus-server")) as uri:
        yield uri


BACKENDS = ["local", "milvus-lite-file", "milvus-lite-server"] + (["milvus-cluster"] if os.environ.get("MILVUS_URI") else [])


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, records, tmp_path_factory):
    recs, manifest, _ = records
    if request.param == "local":
        local = Index.from_records(recs, manifest)
        local.save(tmp_path_factory.mktemp("local-store"))  # writes by document need a folder
        yield local
        return
    from untact_qa.stores.milvus import MilvusStore

    uri = {"milvus-lite-file": lambda: str(tmp_path_factory.mktemp("lite") / "contract.db"),
           "milvus-lite-server": lambda: request.getfixturevalue("milvus_server"),
           "milvus-cluster": lambda: os.environ["MILVUS_URI"]}[request.param]()
    name = f"uqa_contract_{uuid.uuid4().hex[:8]}"
    s = MilvusStore.create(recs, manifest, uri, name)
    yield MilvusStore.open(uri, name, expected_model=manifest["model"]["id"])
    s.drop()


@pytest.fixture(scope="module")
def reference(records):
    recs, manifest, _ = records
    return Index.from_records(recs, manifest)


def test_every_backend_is_a_store(store):
    assert isinstance(store, Store)
    assert store.count() == sum(store.doc_counts().values()) > 300


def test_same_dense_rankings(store, reference, records):
    emb = records[2]
    for q in QUERIES:
        v = emb.encode_query(q)
        _same_ranking(store.dense_search(v, 10), reference.dense_search(v, 10))


def test_same_bm25_rankings_and_scores(store, reference):
    from untact_qa.tokenization import morphemes

    for q in QUERIES:
        terms = morphemes(q)
        _same_ranking(store.lexical_search(terms, 10), reference.lexical_search(terms, 10))
    assert store.lexical_search(["없는단어조합쿼크"], 10) == []


def test_document_filters(store, reference, records):
    emb = records[2]
    docs = ["constitution.txt"]
    v = emb.encode_query("대통령의 임기")
    got = store.dense_search(v, 5, docs=docs)
    assert got and all(i.startswith("constitution.txt#") for i, _ in got)
    _same_ranking(got, reference.dense_search(v, 5, docs=docs))
    lex = store.lexical_search(["대통령", "임기"], 5, docs=["bills/1809898.txt"])
    assert all(i.startswith("bills/1809898.txt#") for i, _ in lex)


def test_fetch_returns_the_same_records(store, reference):
    ids = [i for i, _ in reference.lexical_search(["재택근무"], 7)] + ["constitution.txt#0003"]
    a, b = store.fetch(ids), reference.fetch(ids)
    assert a.ids == ids and [c.text for c in a.chunks] == [c.text for c in b.chunks]
    assert [c.line_start for c in a.chunks] == [c.line_start for c in b.chunks]
    assert np.allclose(a.vectors, b.vectors, atol=1e-6)
    assert a.terms == b.terms and a.heading_terms == b.heading_terms
    assert [[s.forms for s in x] for x in a.sentences] == [[s.forms for s in x] for x in b.sentences]
    for x, y in zip(a.sentence_vectors, b.sentence_vectors):
        assert np.allclose(x, y, atol=1e-6)


def test_same_statistics_and_listing(store, reference):
    a, b = store.stats, reference.stats
    assert (a.n_chunks, a.total_len, a.n_sentences) == (b.n_chunks, b.total_len, b.n_sentences)
    assert a.chunk_df == b.chunk_df and a.sentence_df == b.sentence_df
    assert store.doc_counts() == reference.doc_counts()
    assert store.mentions("알서포트") and not store.mentions("한국판뉴딜없음")


def test_mentions_decide_alike_in_every_store(store, reference):
    """"Does the corpus name X" is one decision, whatever the store: exact names, a name with
    one vowel changed (헤리슨/해리슨), two-syllable names by vocabulary, absent ones."""
    from untact_qa.surface import surface_key

    keys = ["알서포트", "알서퍼트", "알써포트", "청해부대", "청헤부대", "대통령", "재택", "카카오뱅크", "한국판뉴딜없음",
            "zoom", "국회의원선거", "bills"]
    got = {k: store.mentions(surface_key(k)) for k in keys}
    assert got == {k: reference.mentions(surface_key(k)) for k in keys}
    assert got["알서퍼트"] and got["청헤부대"] and not got["알써포트"] and not got["한국판뉴딜없음"]


def test_delete_and_upsert_a_document(store, records):
    from untact_qa.tokenization import morphemes

    recs = [r for r in records[0] if r.chunk.doc_id == "bills/1809894.txt"]
    terms = morphemes("간호사 학사학위 수업연한")
    stats_before = store.stats.to_dict()
    first = store.lexical_search(terms, 3)
    assert first and first[0][0].startswith("bills/1809894.txt#")
    assert store.delete_doc("bills/1809894.txt") == len(recs)
    assert "bills/1809894.txt" not in store.doc_counts()
    assert store.stats.n_chunks == stats_before["n_chunks"] - len(recs)
    assert not any(i.startswith("bills/1809894.txt#") for i, _ in store.lexical_search(terms, 10))
    store.upsert(recs)
    assert store.doc_counts()["bills/1809894.txt"] == len(recs)
    assert store.stats.to_dict() == stats_before  # counts are exact after delete + re-add
    _same_ranking(store.lexical_search(terms, 3), first)


def test_bm25_weights_follow_the_corpus_after_uploads(store, records):
    """Deleting most documents moves the average chunk length; the store re-weights so its
    BM25 scores equal a fresh build of what is left, then again after re-adding them."""
    from untact_qa.tokenization import morphemes

    recs, manifest, _ = records
    gone = sorted({r.chunk.doc_id for r in recs if r.chunk.doc_id.startswith("bills/")})
    kept = [r for r in recs if r.chunk.doc_id not in gone]
    before = store.stats.avgdl
    try:
        for doc in gone:
            store.delete_doc(doc)
        fresh = Index.from_records(kept, manifest)
        assert abs(fresh.stats.avgdl - before) > 0.02 * before  # the case under test
        assert store.stats.avgdl == pytest.approx(fresh.stats.avgdl)
        if hasattr(store, "weights_avgdl"):  # Milvus keeps weights written at some avgdl
            assert store.weights_avgdl == pytest.approx(fresh.stats.avgdl)
        for q in QUERIES:
            terms = morphemes(q)
            _same_ranking(store.lexical_search(terms, 10), fresh.lexical_search(terms, 10))
    finally:
        store.upsert([r for r in recs if r.chunk.doc_id in gone])
    assert store.stats.avgdl == pytest.approx(before)


def test_reopened_store_answers_the_same(store, records, reference):
    from untact_qa.engine import Engine
    from untact_qa.config import Settings

    emb = records[2]
    engine = Engine(replace(Settings(), corpus_dir=CORPUS), store, emb)
    ref = Engine(replace(Settings(), corpus_dir=CORPUS), reference, emb)
    for q in ("대통령의 임기는 몇 년인가?", "청해부대의 파견 인원은?"):
        a, b = engine.ask(q), ref.ask(q)
        assert a.text == b.text and a.abstained == b.abstained
        _same_ranking([(h.chunk.chunk_id, h.score) for h in a.hits], [(h.chunk.chunk_id, h.score) for h in b.hits])


@pytest.mark.parametrize("kind", ["local", "milvus-lite-file"])
def test_uploads_and_deletes_go_through_the_store_writes(tmp_path, small_corpus, kind):
    """What the UI's 문서 관리 panel does, on either store: only the document is chunked and
    embedded and written by document (Milvus in place), the corpus fingerprint follows, a
    restart sees it."""
    from untact_qa.config import Settings
    from untact_qa.documents import Uploads
    from untact_qa.engine import Engine, build_index
    from untact_qa.stores import open_store

    emb = FakeEmbedder()
    s = replace(Settings(), corpus_dir=small_corpus, index_dir=tmp_path / "idx", cache_dir=tmp_path / "c",
                store=str(tmp_path / "app.db") if kind != "local" else None)
    build_index(s, progress=False, embedder=emb)
    engine = Engine(s, open_store(s), emb)
    version = getattr(engine.index, "version", None)
    embedded = []
    real = emb.encode_passages
    emb.encode_passages = lambda texts, **kw: (embedded.extend(texts), real(texts, **kw))[1]
    note = tmp_path / "회의.md"
    note.write_text("# 회의\n\n비대면 보안 교육은 매월 둘째 주 수요일에 진행한다.\n", encoding="utf-8")
    docs = Uploads(engine)
    info = docs.add(note, "회의.md")
    assert info.doc_id == "uploads/회의.md" and info.chunks == 1
    assert embedded and all("보안 교육" in t or "회의" in t for t in embedded)  # only the new document
    if version is not None:
        assert engine.index.version == version  # Milvus: changed in place, not rebuilt
    hits = engine.search("보안 교육 수요일", mode="bm25", top_k=1).hits
    assert hits[0].chunk.doc_id == "uploads/회의.md"
    from untact_qa.corpus import load_corpus

    assert not engine.index.is_stale(load_corpus(small_corpus))  # no rebuild on the next start
    reopened = open_store(s)
    assert reopened.doc_counts().get("uploads/회의.md") == 1
    docs.remove("uploads/회의.md")
    assert "uploads/회의.md" not in engine.index.doc_counts()
    assert not engine.index.is_stale(load_corpus(small_corpus))
