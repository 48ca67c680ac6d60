import json
import warnings
from dataclasses import replace

import numpy as np
import pytest

from conftest import CORPUS, FakeEmbedder
from untact_qa import Engine, Settings, build_index
from untact_qa.chunking import CHUNKER_VERSION, ChunkingConfig
from untact_qa.stores.base import FORMAT_VERSION
from untact_qa.config import DEFAULT_MODEL
from untact_qa.corpus import load_corpus
from untact_qa.errors import CorpusError, StoreError
from untact_qa.stores.local import LocalStore as Index


def _settings(tmp_path, corpus=CORPUS):
    return replace(Settings(), corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")


def test_real_build_then_load_round_trip(settings, built_index):
    assert built_index.documents == 1 and built_index.chunks >= 30 and not built_index.errors
    idx = Index.load(settings.index_dir, expected_model=DEFAULT_MODEL)
    m = idx.manifest
    assert m["format_version"] == FORMAT_VERSION and m["store"] == "local" and m["model"] == {"id": DEFAULT_MODEL, "dim": 384}
    assert m["sentence_vectors"] == "separate"
    assert m["chunking"] == {**ChunkingConfig().to_dict(), "version": CHUNKER_VERSION}
    assert {"faiss-cpu", "bm25s", "kiwipiepy", "onnxruntime", "sentence-transformers", "torch"} <= set(m["versions"])
    assert len(idx.chunks) == built_index.chunks == idx.base.dense.ntotal
    assert idx.base.sentence_vectors.shape == (built_index.sentences, 384)
    assert not idx.is_stale(load_corpus(CORPUS))


def test_unchanged_chunks_are_not_re_embedded(tmp_path, small_corpus):
    emb = FakeEmbedder()
    s = _settings(tmp_path, small_corpus)
    first = build_index(s, progress=False, embedder=emb)
    assert first.embedded > 0 and first.reused == 0
    (small_corpus / "notes" / "extra.txt").write_text("□ 추가\n - 원격 근무는 금요일에 한다.\n", encoding="utf-8")
    second = build_index(s, progress=False, embedder=emb)
    assert second.documents == 3
    assert 0 < second.embedded <= 3  # only the new document's chunk and sentence(s)
    assert second.reused == first.embedded


def test_model_mismatch_is_refused_with_the_fix(tmp_path, small_corpus):
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=FakeEmbedder("fake-a"))
    with pytest.raises(StoreError, match=r"built with model 'fake-a'.*untact-qa build"):
        Index.load(s.index_dir, expected_model=DEFAULT_MODEL)


def test_format_mismatch_and_corruption_are_refused(tmp_path, small_corpus):
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=FakeEmbedder())
    folder = s.index_dir / (s.index_dir / "CURRENT").read_text().strip()
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format_version": 0}))
    with pytest.raises(StoreError, match="format 0.*untact-qa build"):
        Index.load(s.index_dir)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "dense.faiss").write_bytes(b"garbage")
    with pytest.raises(StoreError, match="corrupt.*untact-qa build"):
        Index.load(s.index_dir)
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(StoreError, match="corrupt or incomplete"):
        Index.load(s.index_dir)


def test_missing_index_says_to_build(tmp_path):
    with pytest.raises(StoreError, match="no index in .*untact-qa build"):
        Index.load(tmp_path / "nothing")


def test_changed_corpus_is_detected(tmp_path, small_corpus):
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=FakeEmbedder())
    idx = Index.load(s.index_dir)
    assert not idx.is_stale(load_corpus(small_corpus))
    (small_corpus / "notes" / "memo.md").write_text("□ 메모\n - 회의는 수요일로 바뀌었다.\n", encoding="utf-8")
    assert idx.is_stale(load_corpus(small_corpus))


def test_changed_corpus_warns_on_search(engine, tmp_path):
    stale = replace(engine.settings, corpus_dir=tmp_path)
    (tmp_path / "other.txt").write_text("□ 다른 문서\n - 내용이 다르다.\n", encoding="utf-8")
    e = Engine(stale, engine.index, engine.embedder)
    assert "changed since the index was built" in e.stale_message()
    assert engine.stale_message() == ""


def test_crash_during_rebuild_leaves_previous_index_usable(tmp_path, small_corpus, monkeypatch):
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=FakeEmbedder())
    before = Index.load(s.index_dir)
    (small_corpus / "notes" / "memo.md").write_text("□ 메모\n - 바뀐 내용.\n", encoding="utf-8")

    import faiss

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", boom)
    with pytest.raises(OSError, match="disk full"):
        build_index(s, progress=False, embedder=FakeEmbedder())
    monkeypatch.undo()
    after = Index.load(s.index_dir)
    assert after.path == before.path
    assert [c.text for c in after.chunks] == [c.text for c in before.chunks]
    assert not [p for p in s.index_dir.iterdir() if p.name.startswith(".building-")]


def test_bad_files_are_reported_and_skipped(tmp_path, small_corpus):
    (small_corpus / "empty.txt").write_text("   \n", encoding="utf-8")
    (small_corpus / "legacy.txt").write_bytes("비대면 산업은 성장하고 있다.".encode("cp949"))
    (small_corpus / "garbled.txt").write_bytes(bytes([0x80, 0xFF, 0x80, 0xFF]) * 4)
    (small_corpus / "blob.md").write_bytes(b"\x00\x01\x02binary")
    result = load_corpus(small_corpus)
    assert [d.doc_id for d in result.documents] == ["legacy.txt", "notes/memo.md", "untact-economy-report.txt"]
    joined = "\n".join(result.errors)
    assert "empty.txt: file is empty" in joined
    assert "garbled.txt: not UTF-8, UTF-16 or CP949/EUC-KR" in joined and "iconv" in joined
    assert "blob.md: looks like a binary file" in joined
    s = _settings(tmp_path, small_corpus)
    report = build_index(s, progress=False, embedder=FakeEmbedder())
    assert report.documents == 3 and len(report.errors) == 3
    manifest = Index.load(s.index_dir).manifest
    assert manifest["corpus"]["encodings"]["legacy.txt"] == "cp949"
    assert manifest["corpus"]["repair"]["untact-economy-report.txt"]["profile"] == "pdf"


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_library_version_drift_warns(tmp_path, small_corpus):
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=FakeEmbedder())
    folder = s.index_dir / (s.index_dir / "CURRENT").read_text().strip()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["versions"]["faiss-cpu"] = "0.0.1"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Index.load(s.index_dir)
    assert any("faiss-cpu 0.0.1" in str(w.message) for w in caught)


def test_large_indexes_switch_to_hnsw_and_round_trip(tmp_path, small_corpus, monkeypatch):
    import numpy as np

    from untact_qa.stores import local as index_mod

    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((2000, 64)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    exact = index_mod.make_dense_index(vecs, min_hnsw=10_000)
    approx = index_mod.make_dense_index(vecs, min_hnsw=1_000)
    assert type(exact).__name__ == "IndexFlatIP" and type(approx).__name__ == "IndexHNSWFlat"
    _, gt = exact.search(vecs[:50], 10)
    _, ap = approx.search(vecs[:50], 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(gt, ap)])
    assert recall >= 0.9

    monkeypatch.setattr(index_mod, "HNSW_MIN_CHUNKS", 0)
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=FakeEmbedder())
    idx = Index.load(s.index_dir)
    assert idx.manifest["dense_index"] == "IndexHNSWFlat"
    assert idx.base.dense.hnsw.efSearch == index_mod.HNSW_EF_SEARCH
    assert idx.dense_search(idx.base.chunk_vectors[3], 1)[0][0] == idx.chunks[3].chunk_id


def test_late_sentence_vectors_come_from_one_pass_per_chunk(tmp_path, small_corpus):
    from conftest import LateFakeEmbedder

    emb = LateFakeEmbedder()
    s = replace(_settings(tmp_path, small_corpus), sentence_vectors="late")
    first = build_index(s, progress=False, embedder=emb)
    idx = Index.load(s.index_dir)
    assert idx.manifest["sentence_vectors"] == "late"
    assert emb.passes == first.chunks and emb.calls == 0  # no separate sentence pass
    assert first.embedded == first.chunks
    batch = idx.fetch([c.chunk_id for c in idx.chunks[:5]])
    for c, vectors in zip(batch.chunks, batch.sentence_vectors):  # each sentence's vector is its own span
        for sent, vec in zip(c.sentences, vectors):  # pooled in context
            assert np.allclose(vec, emb._vec(sent.text), atol=1e-6)
    again = build_index(s, progress=False, embedder=emb)
    assert again.embedded == 0 and emb.passes == first.chunks  # unchanged: all from the cache
    (small_corpus / "notes" / "extra.txt").write_text("□ 추가\n - 원격 근무는 금요일에 한다.\n", encoding="utf-8")
    third = build_index(s, progress=False, embedder=emb)
    assert third.embedded == 1  # only the new chunk's pass


def test_changing_the_sentence_vector_setting_rebuilds(tmp_path, small_corpus):
    from conftest import LateFakeEmbedder

    emb = LateFakeEmbedder()
    s = replace(_settings(tmp_path, small_corpus), sentence_vectors="late")
    build_index(s, progress=False, embedder=emb)
    engine = Engine.load_or_build(replace(s, sentence_vectors="separate"), progress=False, embedder=emb)
    assert engine.index.manifest["sentence_vectors"] == "separate" and emb.calls > 0
    with pytest.raises(Exception, match="UNTACT_QA_SENTENCE_VECTORS"):
        replace(s, sentence_vectors="sometimes")


def test_queries_during_uploads_and_deletes_see_one_whole_version(tmp_path, small_corpus):
    """A write swaps in a new version in one assignment: searches running meanwhile never
    see a half-updated store (FAISS rows of one version, chunks of another)."""
    import threading

    from untact_qa.ingest import make_records
    from untact_qa.tokenization import morphemes

    emb = FakeEmbedder()
    s = _settings(tmp_path, small_corpus)
    build_index(s, progress=False, embedder=emb)
    store = Index.load(s.index_dir)
    note = small_corpus / "uploads" / "note.md"
    note.parent.mkdir(exist_ok=True)
    note.write_text("# 메모\n\n재택근무 보안 점검은 매주 목요일에 한다.\n\n원격 회의 녹화는 한 달 보관한다.\n", encoding="utf-8")
    one = load_corpus(small_corpus)
    one = replace(one, documents=[d for d in one.documents if d.doc_id == "uploads/note.md"])
    records, _, _ = make_records(one, emb, ChunkingConfig())
    errors, stop = [], threading.Event()

    def search():
        q, terms = emb.encode_query("재택근무 보안"), morphemes("재택근무 보안 점검")
        while not stop.is_set():
            try:
                view = store.snapshot()  # what the retriever does for one query
                for cid, _ in view.dense_search(q, 5) + view.lexical_search(terms, 5):
                    view.fetch([cid])
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(repr(exc))

    threads = [threading.Thread(target=search) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(5):
            store.upsert(records)
            store.delete_doc("uploads/note.md")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert "uploads/note.md" not in store.doc_counts() and Index.load(s.index_dir).count() == store.count()


def test_writability_probes_from_many_threads_never_collide(tmp_path):
    """The background merge and an upload probe the folder at once in one process (a CI failure)."""
    import threading

    from untact_qa.locking import ensure_writable

    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def probe():
        start.wait()
        for _ in range(200):
            try:
                ensure_writable(tmp_path)
            except BaseException as exc:  # noqa: BLE001 - any failure is the defect
                errors.append(exc)
                return

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not list(tmp_path.glob(".write-test-*"))
