"""The Milvus store: the same retrieval on a Milvus server, a cluster, or embedded milvus-lite.

Select it with ``UNTACT_QA_STORE`` (or ``--store``): ``milvus://host:19530`` or
``http://host:19530`` for a server or cluster, a path ending in ``.db`` for embedded
milvus-lite. The same client code runs against all three.

Collections of one index (``name`` is derived from the index folder setting, so suites and
the app never collide)::

    {name}_{version}_chunks     id, doc_id, dense FLOAT_VECTOR (HNSW, COSINE),
                                sparse SPARSE_FLOAT_VECTOR (BM25 document weights, IP),
                                meta (the chunk, its terms and sentences as JSON),
                                surface (normalised text, for "does the corpus mention X")
    {name}_{version}_sentences  id (doc:start:end), doc_id, vector FLOAT_VECTOR (HNSW, COSINE)
    {name}_meta                 key/value rows: the live version, each version's manifest,
                                and its statistics (document frequencies, lengths, term ids)

Kiwi tokenises and BM25 weights are computed above Milvus (see :mod:`untact_qa.stores.base`):
Milvus has no Korean analyser, and its own BM25 keeps IDF per segment. A build writes a
new version and then flips the ``current`` row, so a crash leaves the previous version
live; uploads and deletes change the live version in place (upsert / delete by document).
Reads use Strong consistency, so a search sees every write before it.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..config import env
from ..errors import ConfigError, StoreError
from .base import Batch, ChunkRecord, CorpusStats, bm25_doc_weights, corpus_fingerprint, sentence_stats

_PART = 60_000  # characters per meta row (VARCHAR limit is 65,535 bytes; JSON is ASCII-escaped)
_HNSW = {"M": 16, "efConstruction": 200}
_CONSISTENCY = "Strong"
_PAGE = 1000
# BM25 document weights depend on the corpus's average chunk length. Uploads and deletes
# change it; past this relative drift every chunk's weights are rewritten, so lexical
# scores stay within ~1% of a fresh build's (k1 = 1.5, b = 0.75: a weight moves by at most
# about half the relative drift for chunks of average length).
REWEIGHT_DRIFT = 0.02


def collection_name(index_dir: str | Path) -> str:
    """A Milvus-safe collection prefix for an index setting ("index" → "uqa_index")."""
    s = re.sub(r"[^0-9A-Za-z]+", "_", str(index_dir)).strip("_").lower() or "index"
    return f"uqa_{s}"[:120]


def _client(uri: str):
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:  # pragma: no cover - pinned in the project's dependencies
        raise ConfigError("the Milvus store needs pymilvus: pip install 'untact-qa[milvus]'") from exc
    if uri.startswith("milvus://"):
        uri = "http://" + uri[len("milvus://"):]
    if uri.endswith(".db"):
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    # a secured cluster: "user:password" or an API key, never part of the URI in logs
    token = env("UNTACT_QA_MILVUS_TOKEN")
    try:
        return MilvusClient(uri, token=token) if token else MilvusClient(uri)
    except Exception as exc:  # noqa: BLE001 - connection errors come in many types
        raise StoreError(f"cannot reach Milvus at {uri} ({type(exc).__name__}: {exc}); start it or set "
                          f"UNTACT_QA_STORE to a reachable URI or a .db file") from exc


class MilvusStore:
    """:class:`~untact_qa.stores.base.Store` on Milvus collections (see the module docstring)."""

    def __init__(self, client, uri: str, name: str, version: str, manifest: dict, stats: CorpusStats,
                 vocab: dict[str, int]) -> None:
        self.client = client
        self.uri = uri
        self.name = name
        self.version = version
        self.manifest = manifest
        self._stats = stats
        self.vocab = vocab
        self.path = f"{uri}#{name}_{version}"
        self.weights_avgdl = stats.avgdl  # the average length the stored BM25 weights assume

    # -- names ------------------------------------------------------------------------------
    @property
    def chunks_collection(self) -> str:
        return f"{self.name}_{self.version}_chunks"

    @property
    def sentences_collection(self) -> str:
        return f"{self.name}_{self.version}_sentences"

    @staticmethod
    def _meta(name: str) -> str:
        return f"{name}_meta"

    # -- opening and building ------------------------------------------------------------------
    @classmethod
    def open(cls, uri: str, name: str, expected_model: str | None = None) -> MilvusStore:
        """The live version of index *name*; refuses a missing one or one of another model."""
        client = _client(uri)
        meta = cls._meta(name)
        if not client.has_collection(meta):
            raise StoreError(f"no index {name!r} in Milvus at {uri}; run `untact-qa build --store {uri}` first",
                             kind="missing")
        _load(client, meta)
        version = _get_value(client, meta, "current")
        if not version:
            raise StoreError(f"index {name!r} in Milvus at {uri} has no live version; run `untact-qa build`")
        manifest = json.loads(_get_blob(client, meta, f"manifest:{version}") or "{}")
        built_with = manifest.get("model", {}).get("id")
        if expected_model is not None and built_with != expected_model:
            raise StoreError(f"index was built with model {built_with!r} but the configured model is "
                             f"{expected_model!r}; run `untact-qa build` to rebuild, or set "
                             f"UNTACT_QA_MODEL={built_with}", kind="model")
        gen = _get_value(client, meta, f"statsgen:{version}") or "0"
        blob = json.loads(_get_blob(client, meta, f"stats:{version}:{gen}") or "{}")
        if not blob:
            raise StoreError(f"index {name!r} in Milvus at {uri} is incomplete (no statistics); run `untact-qa build`")
        store = cls(client, uri, name, version, manifest, CorpusStats.from_dict(blob["stats"]), blob["vocab"])
        store._gen = int(gen)
        store.weights_avgdl = float(blob.get("weights_avgdl", store.stats.avgdl))
        for coll in (store.chunks_collection, store.sentences_collection):
            if not client.has_collection(coll):
                raise StoreError(f"index {name!r} in Milvus at {uri} lost collection {coll}; run `untact-qa build`")
            _load(client, coll)
        return store

    @classmethod
    def create(cls, records: list[ChunkRecord], manifest: dict, uri: str, name: str) -> MilvusStore:
        """Write *records* as a new version and make it live; older versions are dropped."""
        client = _client(uri)
        meta = cls._meta(name)
        _ensure_meta(client, meta)
        version = f"v{time.strftime('%Y%m%d%H%M%S')}{uuid.uuid4().hex[:4]}"
        dim = manifest["model"]["dim"]
        stats = CorpusStats()
        stats.add(records)
        stats.n_sentences, stats.sentence_df = sentence_stats(records)
        store = cls(client, uri, name, version, {**manifest, "store": "milvus", "milvus_version": version},
                    stats, {})
        store._gen = 0
        try:
            store._create_collections(dim)
            store._write(records)
            store._save_stats()
            _put_blob(client, meta, f"manifest:{version}", json.dumps(store.manifest, ensure_ascii=False))
            _put_value(client, meta, "current", version)  # the switch: one row, atomic
        except BaseException:
            store._drop_version(version)
            raise
        store._drop_other_versions()
        return store

    def _create_collections(self, dim: int) -> None:
        from pymilvus import DataType, MilvusClient

        c = self.client
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=1024)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=1024)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("meta", DataType.VARCHAR, max_length=65535)
        schema.add_field("surface", DataType.VARCHAR, max_length=65535)
        idx = c.prepare_index_params()
        idx.add_index("dense", index_type="HNSW", metric_type="COSINE", params=_HNSW)
        idx.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        c.create_collection(self.chunks_collection, schema=schema, index_params=idx, consistency_level=_CONSISTENCY)
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=1200)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=1024)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
        idx = c.prepare_index_params()
        idx.add_index("vector", index_type="HNSW", metric_type="COSINE", params=_HNSW)
        c.create_collection(self.sentences_collection, schema=schema, index_params=idx, consistency_level=_CONSISTENCY)

    def _write(self, records: list[ChunkRecord], sentences: bool = True) -> None:
        from ..surface import surface_key

        avgdl = self.weights_avgdl or self._stats.avgdl or 1.0
        for i in range(0, len(records), 256):
            part = records[i:i + 256]
            rows, sents = [], {}
            for r in part:
                weights = bm25_doc_weights(r.terms, avgdl)
                sparse = {self._term_id(t): float(w) for t, w in weights.items()}
                meta = json.dumps(r.meta(), ensure_ascii=False)
                if len(meta.encode()) > 65535:
                    raise StoreError(f"chunk {r.id} is too large for the Milvus store ({len(meta)} characters)")
                rows.append({"id": r.id, "doc_id": r.chunk.doc_id, "dense": r.vector.astype(np.float32).tolist(),
                             "sparse": sparse or {0: 0.0}, "meta": meta,
                             "surface": surface_key(r.chunk.embedding_text())[:20000]})
                for s, v in zip(r.sentences, r.sentence_vectors):
                    sid = _sentence_id(r.chunk.doc_id, s.start, s.end)
                    sents[sid] = {"id": sid, "doc_id": r.chunk.doc_id, "vector": np.asarray(v, np.float32).tolist()}
            self.client.upsert(self.chunks_collection, rows)
            if sents and sentences:
                self.client.upsert(self.sentences_collection, list(sents.values()))

    def _term_id(self, term: str) -> int:
        tid = self.vocab.get(term)
        if tid is None:
            tid = self.vocab[term] = len(self.vocab) + 1  # 0 is the placeholder of an empty vector
        return tid

    def _save_stats(self) -> None:
        """Write the statistics as a new generation, then point to it (old one removed)."""
        meta = self._meta(self.name)
        gen = self._gen + 1
        _put_blob(self.client, meta, f"stats:{self.version}:{gen}",
                  json.dumps({"stats": self._stats.to_dict(), "vocab": self.vocab,
                              "weights_avgdl": self.weights_avgdl}, ensure_ascii=False))
        _put_value(self.client, meta, f"statsgen:{self.version}", str(gen))
        _delete_blob(self.client, meta, f"stats:{self.version}:{self._gen}")
        self._gen = gen

    def _drop_version(self, version: str) -> None:
        for suffix in ("chunks", "sentences"):
            name = f"{self.name}_{version}_{suffix}"
            if self.client.has_collection(name):
                self.client.drop_collection(name)
        meta = self._meta(self.name)
        if self.client.has_collection(meta):
            self.client.delete(meta, filter=f'id like "%:{version}%"')

    def _drop_other_versions(self) -> None:
        prefix = f"{self.name}_"
        for coll in self.client.list_collections():
            m = re.fullmatch(re.escape(prefix) + r"(v\w+?)_(chunks|sentences)", coll)
            if m and m.group(1) != self.version:
                self._drop_version(m.group(1))

    # -- incremental changes (uploads and deletes from the UI) ----------------------------------
    def upsert(self, records: list[ChunkRecord], corpus_fields: dict | None = None) -> None:
        """Add or replace the chunks of the documents in *records*."""
        for doc in dict.fromkeys(r.chunk.doc_id for r in records):
            self.delete_doc(doc, save=False)
        self._stats.add(records)
        self._stats.add_sentences(records)
        self._write(records)
        self._commit(corpus_fields)

    def doc_count(self, doc_id: str) -> int:
        """Chunks of one document (0 when it is not indexed)."""
        flt = f'doc_id == {json.dumps(doc_id, ensure_ascii=False)}'
        return sum(1 for _ in self._records(flt, vectors=False))

    def delete_doc(self, doc_id: str, save: bool = True, corpus_fields: dict | None = None) -> int:
        """Remove every chunk of *doc_id*; returns how many there were."""
        flt = f'doc_id == {json.dumps(doc_id, ensure_ascii=False)}'
        gone = list(self._records(flt, vectors=False))
        if gone:
            self._stats.add(gone, sign=-1)
            self._stats.add_sentences(gone, sign=-1)
            self.client.delete(self.chunks_collection, filter=flt)
            self.client.delete(self.sentences_collection, filter=flt)
        if save:
            self._commit(corpus_fields)
        return len(gone)

    def _commit(self, corpus_fields: dict | None) -> None:
        """After a change: refresh BM25 weights if the corpus drifted, then persist the
        document-frequency stats and the manifest."""
        self._reweight_if_drifted()
        if corpus_fields:
            self.manifest.update(corpus_fields)
        self._save_stats()
        _put_blob(self.client, self._meta(self.name), f"manifest:{self.version}",
                  json.dumps(self.manifest, ensure_ascii=False))

    def _reweight_if_drifted(self) -> None:
        avgdl = self._stats.avgdl
        if not avgdl or abs(avgdl - self.weights_avgdl) <= REWEIGHT_DRIFT * self.weights_avgdl:
            return
        # Read everything first: upserting while paging through the same collection could
        # skip or repeat rows. At corpus sizes where this matters, rebuild instead (docs/scale.md).
        records = list(self.iter_records())
        self.weights_avgdl = avgdl
        self._write(records, sentences=False)

    # -- the Store protocol ---------------------------------------------------------------------
    @property
    def stats(self) -> CorpusStats:
        return self._stats

    @staticmethod
    def _doc_filter(docs: list[str] | None) -> str:
        if docs is None:
            return ""
        return f"doc_id in {json.dumps(list(docs), ensure_ascii=False)}"

    def dense_search(self, qvec: np.ndarray, k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by cosine (HNSW, ef = max(128, 2k))."""
        if k <= 0 or not self._stats.n_chunks:
            return []
        res = self.client.search(self.chunks_collection, data=[np.asarray(qvec, np.float32).tolist()],
                                 anns_field="dense", limit=min(k, 16384), filter=self._doc_filter(docs),
                                 search_params={"metric_type": "COSINE", "params": {"ef": max(128, 2 * k)}},
                                 consistency_level=_CONSISTENCY)
        return [(h["id"], float(h["distance"])) for h in res[0]]

    def lexical_search(self, terms: list[str], k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by Kiwi BM25: query weights are the terms' IDF (exact, from the stats)."""
        q: dict[int, float] = {}
        for t in terms:
            if t in self.vocab and self._stats.chunk_df.get(t):
                q[self.vocab[t]] = q.get(self.vocab[t], 0.0) + self._stats.bm25_idf(t)
        if not q or k <= 0:
            return []
        res = self.client.search(self.chunks_collection, data=[q], anns_field="sparse", limit=min(k, 16384),
                                 filter=self._doc_filter(docs), search_params={"metric_type": "IP"},
                                 consistency_level=_CONSISTENCY)
        return [(h["id"], float(h["distance"])) for h in res[0] if h["distance"] > 0]

    def fetch(self, ids: list[str]) -> Batch:
        """Records of *ids*, in that order (two gets: chunks, then their sentences' vectors)."""
        if not ids:
            return Batch.of([])
        got = {}
        for i in range(0, len(ids), _PAGE):
            for row in self.client.get(self.chunks_collection, ids=list(ids[i:i + _PAGE]), output_fields=["meta", "dense"]):
                got[row["id"]] = row
        missing = [i for i in ids if i not in got]
        if missing:
            raise StoreError(f"chunks {missing[:3]} are not in Milvus index {self.name!r}; run `untact-qa build`")
        return Batch.of(self._to_records([got[i] for i in ids]))

    def _to_records(self, rows: list[dict]) -> list[ChunkRecord]:
        metas = [json.loads(r["meta"]) for r in rows]
        sids = [_sentence_id(m["chunk"]["doc_id"], s[0], s[1]) for m in metas for s in m["sentences"]]
        vec = {}
        for i in range(0, len(sids), _PAGE):
            for row in self.client.get(self.sentences_collection, ids=sids[i:i + _PAGE], output_fields=["vector"]):
                vec[row["id"]] = np.asarray(row["vector"], np.float32)
        dim = self.manifest["model"]["dim"]
        out = []
        for r, m in zip(rows, metas):
            keys = [_sentence_id(m["chunk"]["doc_id"], s[0], s[1]) for s in m["sentences"]]
            svecs = np.stack([vec[k] for k in keys]) if keys else np.zeros((0, dim), np.float32)
            out.append(ChunkRecord.from_meta(m, np.asarray(r["dense"], np.float32) if "dense" in r
                                             else np.zeros(dim, np.float32), svecs))
        return out

    def count(self) -> int:
        return self._stats.n_chunks

    def doc_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._query(self.chunks_collection, 'id != ""', ["doc_id"]):
            counts[row["doc_id"]] = counts.get(row["doc_id"], 0) + 1
        return dict(sorted(counts.items()))

    def _query(self, collection: str, flt: str, fields: list[str]) -> Iterator[dict]:
        offset = 0
        while True:
            rows = self.client.query(collection, filter=flt, output_fields=fields, limit=_PAGE, offset=offset,
                                     consistency_level=_CONSISTENCY)
            yield from rows
            if len(rows) < _PAGE:
                return
            offset += _PAGE

    def _records(self, flt: str, vectors: bool = True) -> Iterator[ChunkRecord]:
        fields = ["meta", "dense"] if vectors else ["meta"]
        rows = list(self._query(self.chunks_collection, flt, fields))
        rows.sort(key=lambda r: r["id"])
        if not vectors:
            dim = self.manifest["model"]["dim"]
            for r in rows:
                m = json.loads(r["meta"])
                yield ChunkRecord.from_meta(m, np.zeros(dim, np.float32), np.zeros((len(m["sentences"]), dim)))
            return
        for i in range(0, len(rows), 256):
            yield from self._to_records(rows[i:i + 256])

    def iter_records(self, vectors: bool = True) -> Iterator[ChunkRecord]:
        """Every record, ordered by chunk id (= document, then position)."""
        return self._records('id != ""', vectors)

    def snapshot(self) -> MilvusStore:
        """Milvus answers for itself (a delete between a search and its fetch shows as a
        missing chunk, named with the fix)."""
        return self

    def vector_items(self) -> Iterator[tuple[str, np.ndarray]]:
        """(content hash, vector) of every embedded chunk and sentence text."""
        for r in self.iter_records():
            yield r.key, r.vector
            yield from ((s.key, v) for s, v in zip(r.sentences, r.sentence_vectors))

    def mentions(self, key: str) -> bool:
        """Decided as the local store decides (:func:`untact_qa.surface.text_mentions`): a
        two-syllable Hangul name by vocabulary, anything else by LIKE on the normalised text,
        a longer Hangul name also in each one-vowel spelling."""
        from ..surface import spellings

        if re.fullmatch(r"[가-힣]{1,2}", key):
            return self._stats.has_term(key)

        def like(k: str) -> str:
            pattern = k.replace("\\", "\\\\").replace('"', '\\"').replace("%", "\\%").replace("_", "\\_")
            return f'surface like "%{pattern}%"'

        rows = self.client.query(self.chunks_collection, filter=" or ".join(like(k) for k in spellings(key)),
                                 output_fields=["id"], limit=1, consistency_level=_CONSISTENCY)
        return bool(rows)

    def is_stale(self, corpus) -> bool:
        """True when the corpus on disk differs from the one indexed."""
        return corpus_fingerprint(corpus)["hash"] != self.manifest["corpus"]["hash"]

    def drop(self) -> None:
        """Remove every collection of this index (tests, `migrate --move`)."""
        self._drop_version(self.version)
        meta = self._meta(self.name)
        if self.client.has_collection(meta):
            self.client.drop_collection(meta)


def _load(client, collection: str) -> None:
    """Collections are released when a server restarts; searches need them loaded."""
    client.load_collection(collection)


def _sentence_id(doc_id: str, start: int, end: int) -> str:
    return f"{doc_id}:{start}:{end}"


def _ensure_meta(client, meta: str) -> None:
    if client.has_collection(meta):
        _load(client, meta)
        return
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=512)
    schema.add_field("value", DataType.VARCHAR, max_length=65535)
    schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    idx = client.prepare_index_params()
    idx.add_index("v", index_type="FLAT", metric_type="L2")
    client.create_collection(meta, schema=schema, index_params=idx, consistency_level=_CONSISTENCY)


def _put_value(client, meta: str, key: str, value: str) -> None:
    client.upsert(meta, [{"id": key, "value": value, "v": [0.0, 0.0]}])


def _get_value(client, meta: str, key: str) -> str | None:
    rows = client.get(meta, ids=[key], output_fields=["value"])
    return rows[0]["value"] if rows else None


def _put_blob(client, meta: str, key: str, text: str) -> None:
    """A long string as numbered parts plus a count row (written last)."""
    parts = [text[i:i + _PART] for i in range(0, len(text), _PART)] or [""]
    for i in range(0, len(parts), 16):
        client.upsert(meta, [{"id": f"{key}#{i + j}", "value": p, "v": [0.0, 0.0]} for j, p in enumerate(parts[i:i + 16])])
    _put_value(client, meta, f"{key}#n", str(len(parts)))


def _get_blob(client, meta: str, key: str) -> str | None:
    n = _get_value(client, meta, f"{key}#n")
    if n is None:
        return None
    ids = [f"{key}#{i}" for i in range(int(n))]
    rows = {r["id"]: r["value"] for r in client.get(meta, ids=ids, output_fields=["value"])}
    if len(rows) != len(ids):
        return None
    return "".join(rows[i] for i in ids)


def _delete_blob(client, meta: str, key: str) -> None:
    n = _get_value(client, meta, f"{key}#n")
    if n is not None:
        client.delete(meta, ids=[f"{key}#{i}" for i in range(int(n))] + [f"{key}#n"])
