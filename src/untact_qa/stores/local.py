"""The default store: FAISS + BM25 files in a folder on this machine.

Layout (every file plain and inspectable)::

    index/
      CURRENT                 name of the live version folder (replaced atomically)
      v-20261124T170000-ab12/
        manifest.json         format, store, model id/dim, chunking, corpus hash, library versions
        chunks.jsonl          one Chunk per line (text, heading path, offsets, line range)
        chunk_terms.jsonl     each chunk's BM25 term counts (heading + text morphemes)
        dense.faiss           FAISS IndexFlatIP over L2-normalised chunk vectors
        chunk_vectors.npy     the same vectors (reused by the next build: no re-embedding)
        chunk_keys.json       content hash of each chunk's embedded text
        sentence_vectors.npy  one vector per distinct sentence (for answer extraction)
        sentence_keys.json    [doc_id, start, end, content hash, "morphemes joined by spaces", "tag classes"]
        headings.json         {heading path: "its morphemes joined by spaces"}
        bm25/                 bm25s index over content morphemes

A write makes a new version folder, then swaps ``CURRENT`` with ``os.replace``: a crash at
any point leaves the previous version live.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import uuid
import warnings
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np

from ..config import env_number
from ..errors import StoreError
from ..schema import Chunk
from .base import (FORMAT_VERSION, Batch, ChunkRecord, CorpusStats, SentenceRecord, corpus_fingerprint,
                   library_versions)

if TYPE_CHECKING:
    from ..corpus import LoadResult
# Above this many chunks the dense index is HNSW instead of exact (see make_dense_index).
HNSW_MIN_CHUNKS = env_number("UNTACT_QA_HNSW_MIN", minimum=0)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


class _Version:
    """One version of the local index, as written (immutable once built): chunks with their
    vectors in FAISS and their terms in bm25s (see the module docstring)."""

    def __init__(self, manifest: dict, chunks: list[Chunk], faiss_index, bm25, chunk_vectors: np.ndarray,
                 chunk_keys: list[str], sentence_vectors: np.ndarray, sentence_keys: list[list],
                 chunk_terms: list[dict[str, int]], headings: dict[str, str], path: Path | None = None) -> None:
        self.manifest = manifest
        self.chunks = chunks
        self.faiss_index = faiss_index
        self.bm25 = bm25
        self.chunk_vectors = chunk_vectors
        self.chunk_keys = chunk_keys
        self.sentence_vectors = sentence_vectors
        self.sentence_keys = sentence_keys
        self.chunk_terms = chunk_terms
        self.headings = headings
        self.path = path
        self._row = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._sentence_row = {(k[0], k[1], k[2]): i for i, k in enumerate(sentence_keys)}
        self._vocab = getattr(bm25, "vocab_dict", {}) or {}
        self._chunk_sentence_rows = [np.array([self._sentence_row[(c.doc_id, x.start, x.end)] for x in c.sentences],
                                              dtype=np.int64) for c in chunks]
        self._stats = CorpusStats(len(chunks), sum(sum(t.values()) for t in chunk_terms))
        for terms in chunk_terms:
            for t in terms:
                self._stats.chunk_df[t] = self._stats.chunk_df.get(t, 0) + 1
        self._stats.n_sentences = len(sentence_keys)
        for k in sentence_keys:
            for tok in set(k[4].split()):
                self._stats.sentence_df[tok] = self._stats.sentence_df.get(tok, 0) + 1
        self._surface: str | None = None

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: list[ChunkRecord], manifest: dict, min_hnsw: int | None = None) -> _Version:
        """The local store of *records* (FAISS and bm25s built here; HNSW from *min_hnsw*
        chunks, see :func:`make_dense_index`)."""
        import bm25s

        chunks = [r.chunk for r in records]
        dim = manifest["model"]["dim"]
        chunk_vectors = (np.stack([r.vector for r in records]).astype(np.float32) if records
                         else np.zeros((0, dim), np.float32))
        sentence_keys, sentence_rows = [], {}
        vecs = []
        for r in records:
            for s, v in zip(r.sentences, r.sentence_vectors):
                k = (r.chunk.doc_id, s.start, s.end)
                if k not in sentence_rows:
                    sentence_rows[k] = len(sentence_keys)
                    sentence_keys.append([r.chunk.doc_id, s.start, s.end, s.key, " ".join(s.forms), s.tags])
                    vecs.append(v)
        sentence_vectors = np.stack(vecs).astype(np.float32) if vecs else np.zeros((0, dim), np.float32)
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # its DEBUG lines leak if a library sets up logging
        bm25 = bm25s.BM25()
        bm25.index([[t for t, n in r.terms.items() for _ in range(n)] for r in records], show_progress=False)
        headings = {r.chunk.heading: " ".join(r.heading_terms) for r in records if r.chunk.heading}
        faiss_index = make_dense_index(chunk_vectors, min_hnsw)
        manifest = {**manifest, "dense_index": type(faiss_index).__name__}
        return cls(manifest, chunks, faiss_index, bm25, chunk_vectors, [r.key for r in records], sentence_vectors,
                   sentence_keys, [dict(r.terms) for r in records], headings)

    # -- persistence ----------------------------------------------------------------------
    def save(self, index_dir: Path) -> Path:
        """Write a new version folder and make it live atomically; returns its path."""
        import faiss

        index_dir = Path(index_dir)
        index_dir.mkdir(parents=True, exist_ok=True)
        name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        tmp = index_dir / f".building-{name}"
        tmp.mkdir()
        try:
            with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as f:
                for c in self.chunks:
                    f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
            with open(tmp / "chunk_terms.jsonl", "w", encoding="utf-8") as f:
                for t in self.chunk_terms:
                    f.write(json.dumps(t, ensure_ascii=False) + "\n")
            faiss.write_index(self.faiss_index, str(tmp / "dense.faiss"))
            np.save(tmp / "chunk_vectors.npy", self.chunk_vectors)
            (tmp / "chunk_keys.json").write_text(json.dumps(self.chunk_keys))
            np.save(tmp / "sentence_vectors.npy", self.sentence_vectors)
            (tmp / "sentence_keys.json").write_text(json.dumps(self.sentence_keys, ensure_ascii=False))
            (tmp / "headings.json").write_text(json.dumps(self.headings, ensure_ascii=False))
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
            # manifest last: a version folder without one is by definition incomplete
            (tmp / "manifest.json").write_text(json.dumps(self.manifest, ensure_ascii=False, indent=2))
            final = index_dir / name
            os.replace(tmp, final)
            pointer = index_dir / f".CURRENT-{uuid.uuid4().hex[:6]}"
            pointer.write_text(name + "\n")
            os.replace(pointer, index_dir / "CURRENT")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.path = final
        _cleanup(index_dir, keep=name)
        return final

    @classmethod
    def load(cls, index_dir: Path, expected_model: str | None = None) -> _Version:
        """Load the live version; refuse a missing, corrupt, old-format or other-model index.

        A build may swap ``CURRENT`` and remove the old version while this reads it; then
        the new version is read instead.
        """
        index_dir = Path(index_dir)
        for attempt in range(3):
            folder = current_version(index_dir)
            try:
                return cls.load_folder(folder, expected_model)
            except StoreError:
                if attempt == 2 or current_version(index_dir) == folder:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def load_folder(cls, folder: Path, expected_model: str | None = None) -> _Version:
        """Load one version folder, checking every file's shape and values (see :func:`check_arrays`)."""
        import bm25s
        import faiss

        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError("manifest.json does not hold an object")
        except (OSError, ValueError) as exc:
            raise StoreError(f"index at {folder} is corrupt or incomplete ({exc}); run `untact-qa build`") from exc
        if manifest.get("format_version") != FORMAT_VERSION:
            raise StoreError(
                f"index at {folder} has format {manifest.get('format_version')!r}, this version reads "
                f"{FORMAT_VERSION}; run `untact-qa build` to rebuild it", kind="format"
            )
        built_with = (manifest.get("model") or {}).get("id")
        if expected_model is not None and built_with != expected_model:
            raise StoreError(
                f"index was built with model {built_with!r} but the configured model is {expected_model!r}; "
                f"run `untact-qa build` to rebuild, or set UNTACT_QA_MODEL={built_with}", kind="model"
            )
        try:
            chunks = [Chunk.from_dict(json.loads(line))
                      for line in (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines() if line]
            faiss_index = faiss.read_index(str(folder / "dense.faiss"))
            if hasattr(faiss_index, "hnsw"):
                faiss_index.hnsw.efSearch = HNSW_EF_SEARCH
            chunk_vectors = np.load(folder / "chunk_vectors.npy", allow_pickle=False)
            chunk_keys = json.loads((folder / "chunk_keys.json").read_text(encoding="utf-8"))
            sentence_vectors = np.load(folder / "sentence_vectors.npy", allow_pickle=False)
            sentence_keys = json.loads((folder / "sentence_keys.json").read_text(encoding="utf-8"))
            headings = json.loads((folder / "headings.json").read_text(encoding="utf-8"))
            chunk_terms = [json.loads(line) for line in
                           (folder / "chunk_terms.jsonl").read_text(encoding="utf-8").splitlines() if line]
            bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, verbosity=0)
        except Exception as exc:  # noqa: BLE001 - any unreadable file means the same fix
            raise StoreError(f"index at {folder} is corrupt ({type(exc).__name__}: {exc}); "
                              f"run `untact-qa build`") from exc
        if faiss_index.ntotal != len(chunks) or faiss_index.d != (manifest.get("model") or {}).get("dim"):
            raise StoreError(f"index at {folder} is inconsistent ({faiss_index.ntotal} vectors for "
                              f"{len(chunks)} chunks); run `untact-qa build`")
        problem = check_arrays(manifest, chunks, faiss_index, bm25, chunk_vectors, chunk_keys, sentence_vectors,
                               sentence_keys, chunk_terms, headings)
        if problem:
            raise StoreError(f"index at {folder} is inconsistent ({problem}); run `untact-qa build`")
        _warn_versions(manifest.get("versions", {}))
        try:
            return cls(manifest, chunks, faiss_index, bm25, chunk_vectors, chunk_keys, sentence_vectors,
                       sentence_keys, chunk_terms, headings, folder)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise StoreError(f"index at {folder} is inconsistent ({type(exc).__name__}: {exc}); "
                              f"run `untact-qa build`") from exc

    @classmethod
    def newest_valid(cls, index_dir: Path, expected_model: str | None = None) -> _Version | None:
        """The newest version folder that loads, whatever ``CURRENT`` says (None if none does)."""
        try:
            folders = sorted((p for p in Path(index_dir).iterdir() if p.is_dir() and _VERSION.fullmatch(p.name)),
                             key=lambda p: p.name, reverse=True)
        except OSError:
            return None
        for folder in folders:
            try:
                return cls.load_folder(folder, expected_model)
            except StoreError:
                continue
        return None

    # -- the Store protocol ----------------------------------------------------------------
    @property
    def stats(self) -> CorpusStats:
        return self._stats

    def _doc_rows(self, docs: list[str] | None) -> np.ndarray | None:
        if docs is None:
            return None
        wanted = set(docs)
        return np.array([i for i, c in enumerate(self.chunks) if c.doc_id in wanted], dtype=np.int64)

    def dense_search(self, qvec: np.ndarray, k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by inner product (= cosine on normalised vectors)."""
        import faiss

        rows = self._doc_rows(docs)
        k = min(k, len(self.chunks) if rows is None else len(rows))
        if k <= 0:
            return []
        q = qvec.reshape(1, -1).astype(np.float32)
        if rows is None:
            scores, ids = self.faiss_index.search(q, k)
        else:  # only the given documents' chunks
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))
            scores, ids = self.faiss_index.search(q, k, params=params)
        return [(self.chunks[int(i)].chunk_id, float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def lexical_search(self, terms: list[str], k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by BM25; unknown terms are ignored, no match gives []."""
        ids = [self._vocab[t] for t in terms if t in self._vocab]
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids)
        rows = self._doc_rows(docs)
        if rows is not None:
            masked = np.zeros_like(scores)
            masked[rows] = scores[rows]
            scores = masked
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunks[int(i)].chunk_id, float(scores[i])) for i in top if scores[i] > 0]

    def fetch(self, ids: list[str]) -> Batch:
        """Records of *ids*, in that order."""
        rows = [self._row[i] for i in ids]
        heads = [frozenset(self.headings.get(self.chunks[r].heading, "").split()) for r in rows]
        sents, svecs = [], []
        for r in rows:
            srows = self._chunk_sentence_rows[r]
            keys = [self.sentence_keys[x] for x in srows]
            sents.append(tuple(SentenceRecord(k[1], k[2], k[3], tuple(k[4].split()), k[5])
                               for k in keys))
            svecs.append(self.sentence_vectors[srows])
        return Batch(list(ids), [self.chunks[r] for r in rows], self.chunk_vectors[rows] if rows else
                     np.zeros((0, self.chunk_vectors.shape[1]), np.float32), [self.chunk_terms[r] for r in rows],
                     heads, sents, svecs)

    def count(self) -> int:
        return len(self.chunks)

    def doc_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for c in self.chunks:
            counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
        return counts

    def iter_records(self):
        """Every chunk as a record (vectors included)."""
        for i in range(0, len(self.chunks), 256):
            batch = self.fetch([c.chunk_id for c in self.chunks[i:i + 256]])
            for j in range(len(batch)):
                yield ChunkRecord(batch.chunks[j], self.chunk_keys[i + j], batch.vectors[j], batch.terms[j],
                                  tuple(sorted(batch.heading_terms[j])), batch.sentences[j], batch.sentence_vectors[j])

    def mentions(self, key: str) -> bool:
        from ..surface import surface_key, text_mentions

        if self._surface is None:
            self._surface = "\x00".join(surface_key(c.embedding_text()) for c in self.chunks)
        return text_mentions(self._surface, key, self._stats.has_term)

    def is_stale(self, corpus: LoadResult) -> bool:
        """True when the corpus on disk differs from the one indexed."""
        return corpus_fingerprint(corpus)["hash"] != self.manifest["corpus"]["hash"]

    def snapshot(self) -> _Version:
        """This version: it never changes (a write makes a new one)."""
        return self

    def vector_items(self):
        """(content hash, vector) of every chunk and sentence text (read from the arrays)."""
        yield from zip(self.chunk_keys, self.chunk_vectors)
        yield from ((k[3], v) for k, v in zip(self.sentence_keys, self.sentence_vectors))



class LocalStore:
    """The local store (implements :class:`~untact_qa.stores.base.Store`): the live
    :class:`_Version` of an index folder. Reads go to the version current when they start,
    and a write (:meth:`upsert`, :meth:`delete_doc`) swaps in a new version in one assignment,
    so a query in flight during an upload finishes on the version it began with."""

    def __init__(self, version: _Version) -> None:
        self._v = version

    def __getattr__(self, name: str):
        # reads (search, fetch, stats, manifest, …) are the current version's
        return getattr(self.__dict__["_v"], name)

    @classmethod
    def from_records(cls, records: list[ChunkRecord], manifest: dict, min_hnsw: int | None = None) -> LocalStore:
        """The local store of *records* (FAISS and bm25s built here; HNSW from *min_hnsw*
        chunks, see :func:`make_dense_index`); :meth:`save` writes it."""
        return cls(_Version.from_records(records, manifest, min_hnsw))

    @classmethod
    def load(cls, index_dir: Path, expected_model: str | None = None) -> LocalStore:
        """The live version of *index_dir* (see :meth:`_Version.load`)."""
        return cls(_Version.load(index_dir, expected_model))

    @classmethod
    def newest_valid(cls, index_dir: Path, expected_model: str | None = None) -> LocalStore | None:
        """The newest version folder that loads, whatever ``CURRENT`` says (None if none does)."""
        version = _Version.newest_valid(index_dir, expected_model)
        return None if version is None else cls(version)

    # -- writes by document ---------------------------------------------------------------
    def upsert(self, records: list[ChunkRecord], corpus_fields: dict | None = None) -> None:
        """Make *records* the chunks of their documents: a new version holding every other
        document's records as stored (no re-chunking, no re-embedding) and these, in corpus
        order, written atomically by one writer at a time."""
        changed = {r.chunk.doc_id for r in records}
        self._rewrite([r for r in self.iter_records() if r.chunk.doc_id not in changed] + list(records), corpus_fields)

    def delete_doc(self, doc_id: str, corpus_fields: dict | None = None) -> int:
        """Remove every chunk of *doc_id* (a new version without them); returns how many."""
        kept = [r for r in self.iter_records() if r.chunk.doc_id != doc_id]
        gone = self.count() - len(kept)
        if gone:
            self._rewrite(kept, corpus_fields)
        return gone

    def _rewrite(self, records: list[ChunkRecord], corpus_fields: dict | None) -> None:
        from ..locking import IndexLock

        if self.path is None:
            raise StoreError("this index was never saved, so it cannot be changed in place; run `untact-qa build`")
        records.sort(key=lambda r: PurePosixPath(r.chunk.doc_id).parts)  # stable: a document keeps its order
        manifest = {**self.manifest, **(corpus_fields or {}), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        docs = {r.chunk.doc_id for r in records}
        manifest["counts"] = {"documents": len(docs), "chunks": len(records),
                              "sentences": len({(r.chunk.doc_id, s.start, s.end) for r in records for s in r.sentences})}
        with IndexLock(self.path.parent):
            new = _Version.from_records(records, manifest)
            new.save(self.path.parent)
        self._v = new  # one assignment: readers see the old version or the new one, never a mix


_VERSION = re.compile(r"v-\d{8}T\d{6}-[0-9a-f]{6}")


def current_version(index_dir: Path) -> Path:
    """The folder ``<index_dir>/CURRENT`` names; a missing or damaged pointer is an StoreError."""
    index_dir = Path(index_dir)
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        raise StoreError(f"no index in {index_dir}/; run `untact-qa build` first", kind="missing")
    try:
        raw = pointer.read_bytes()[:200]
    except OSError as exc:
        raise StoreError(f"cannot read {pointer} ({exc.strerror}); check its permissions, "
                          f"or run `untact-qa build`") from exc
    name = raw.decode("ascii", errors="replace").strip()
    if not _VERSION.fullmatch(name):
        raise StoreError(f"{pointer} is damaged (it does not name a version folder); "
                          f"run `untact-qa build` to replace it")
    return index_dir / name


def check_arrays(manifest, chunks, faiss_index, bm25, chunk_vectors, chunk_keys, sentence_vectors, sentence_keys,
                 chunk_terms, headings) -> str:
    """What is wrong with the files of one version ("" when nothing): every array has the
    shape the chunks need, every vector is finite, every key list matches its array."""
    dim = (manifest.get("model") or {}).get("dim")
    n = len(chunks)
    if not isinstance(dim, int) or dim <= 0:
        return f"model dimension {dim!r} in manifest.json"
    for name, arr, rows in (("chunk_vectors.npy", chunk_vectors, n),
                            ("sentence_vectors.npy", sentence_vectors, len(sentence_keys)
                             if isinstance(sentence_keys, list) else -1)):
        if not isinstance(arr, np.ndarray) or arr.dtype != np.float32 or arr.shape != (rows, dim):
            return (f"{name} has shape {getattr(arr, 'shape', None)} {getattr(arr, 'dtype', '')}, "
                    f"expected ({rows}, {dim}) float32")
        if not np.isfinite(arr).all():
            return f"{name} holds NaN or infinite values"
    if not isinstance(chunk_keys, list) or len(chunk_keys) != n or not all(isinstance(k, str) for k in chunk_keys):
        return f"chunk_keys.json has {len(chunk_keys) if isinstance(chunk_keys, list) else 'no'} keys for {n} chunks"
    if len(chunk_terms) != n or not all(isinstance(t, dict) for t in chunk_terms):
        return f"chunk_terms.jsonl has {len(chunk_terms)} rows for {n} chunks"
    if not isinstance(headings, dict):
        return "headings.json does not hold an object"
    for k in sentence_keys:
        if not (isinstance(k, list) and len(k) == 6 and isinstance(k[0], str) and isinstance(k[1], int)
                and isinstance(k[2], int) and isinstance(k[3], str) and isinstance(k[4], str) and isinstance(k[5], str)):
            return f"sentence_keys.json has a malformed row {str(k)[:80]}"
    known = {(k[0], k[1], k[2]) for k in sentence_keys}
    for c in chunks:
        for x in c.sentences:
            if (c.doc_id, x.start, x.end) not in known:
                return f"sentence_keys.json lacks a sentence of chunk {c.chunk_id}"
    docs = (getattr(bm25, "scores", None) or {}).get("num_docs")
    if docs is not None and docs != n:
        return f"bm25/ indexes {docs} chunks, not {n}"
    if n:
        stored = faiss_index.reconstruct_n(0, n) if hasattr(faiss_index, "reconstruct_n") else None
        if stored is not None and not np.isfinite(stored).all():
            return "dense.faiss holds NaN or infinite values"
    return ""


def make_dense_index(vectors: np.ndarray, min_hnsw: int | None = None):
    """Exact ``IndexFlatIP`` up to ``min_hnsw`` chunks, HNSW above it.

    Exact search is linear in the corpus; bench/results.md shows where it stops meeting
    the 60 ms end-to-end p95 target on this machine, and the recall HNSW keeps there.
    """
    import faiss

    n, dim = vectors.shape
    min_hnsw = HNSW_MIN_CHUNKS if min_hnsw is None else min_hnsw
    if n < min_hnsw:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _cleanup(index_dir: Path, keep: str) -> None:
    for p in index_dir.iterdir():
        if p.name == keep or p.name in ("CURRENT", ".gitkeep"):
            continue
        if p.is_dir() and (p.name.startswith("v-") or p.name.startswith(".building-")):
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(".CURRENT-"):
            p.unlink(missing_ok=True)


def _warn_versions(saved: dict[str, str]) -> None:
    now = library_versions()
    diffs = [f"{k} {v} → {now.get(k)}" for k, v in saved.items()
             if k not in ("untact-qa",) and now.get(k) != v]
    if diffs:
        warnings.warn("index was built with other library versions (" + ", ".join(diffs)
                      + "); results may differ slightly. Run `untact-qa build` to refresh.", stacklevel=3)
