"""The default store: FAISS + BM25 files in a folder on this machine, changed in place.

Layout (every file plain and inspectable)::

    index/
      CURRENT                 name of the live version folder (replaced atomically)
      v-20261124T170000-ab12/ a version: its base segment, written whole by a build or a merge
        manifest.json         format, store, model id/dim, chunking, corpus hash, library versions
        chunks.jsonl          one Chunk per line (text, heading path, offsets, line range)
        chunk_terms.jsonl     each chunk's BM25 term counts (heading + text morphemes)
        dense.faiss           FAISS IndexFlatIP (HNSW when large) over L2-normalised chunk vectors
        chunk_vectors.npy     the same vectors (reused by the next build: no re-embedding)
        chunk_keys.json       content hash of each chunk's embedded text
        sentence_vectors.npy  one vector per distinct sentence (for answer extraction)
        sentence_keys.json    [doc_id, start, end, content hash, "morphemes joined by spaces", "tag classes"]
        headings.json         {heading path: "its morphemes joined by spaces"}
        state.json            after the first update: the live manifest, the delta segments in
                              order and the documents each segment no longer serves (tombstones)
        d-000001-3fa9c2/      a delta segment: the records of the documents one update wrote
                              (the base's files but dense.faiss, and segment.json written last)

An upload, replace or delete writes at most one delta folder (the changed document's
records), then replaces ``state.json``: its cost is the document's, not the corpus's. A
build, or a merge when the deltas pass :data:`MERGE_FRACTION` of the base or
:data:`MERGE_MAX_SEGMENTS` folders, writes a new version folder and swaps ``CURRENT``. Every
file is written beside its final name and renamed into place, so a crash at any point
leaves the previous state live.

Searches run over every segment with the statistics of the live chunks: BM25's document
frequencies and average length are applied at query time (postings keep raw term counts,
not scores baked in at write time) and ties are broken by corpus order, so a store changed
in place ranks exactly as a fresh build of the same corpus.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import threading
import time
import uuid
import warnings
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np

from ..config import env_number
from ..errors import DiskError, StoreError, disk_error
from ..schema import Chunk
from .base import (BM25_B, BM25_K1, FORMAT_VERSION, Batch, ChunkRecord, CorpusStats, SentenceRecord,
                   corpus_fingerprint, library_versions)

if TYPE_CHECKING:
    from ..corpus import LoadResult
# Above this many chunks the dense index is HNSW instead of exact (see make_dense_index).
HNSW_MIN_CHUNKS = env_number("UNTACT_QA_HNSW_MIN", minimum=0)
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
# When the deltas hold more than this share of the chunks (written or tombstoned), or there
# are more than this many delta folders, they are folded into a new base. A merge costs a
# full write (O(corpus)), so it must be rare; each delta adds one small exact search per
# query (~0.1 ms), so their number must stay bounded.
MERGE_FRACTION = 0.25
MERGE_MAX_SEGMENTS = 16
MERGE_MIN_CHUNKS = 256  # below this the base is small enough that deltas never matter
_RECORDS_CACHED = 8192  # rows whose sentence records stay built (a question reads ~10-40)


def _crash_point(name: str) -> None:
    """Where the crash tests kill a writer (they replace this no-op); see tests/faults."""


def _doc_order(doc_id: str) -> tuple:
    """Corpus order of a document: the order of a fresh build (its path, part by part)."""
    return PurePosixPath(doc_id).parts


class _Segment:
    """The records of one segment, as written (immutable): the base of a version, or the
    documents one update wrote. Searching it needs the corpus statistics of the version."""

    def __init__(self, name: str, chunks: list[Chunk], chunk_vectors: np.ndarray, chunk_keys: list[str],
                 chunk_terms: list[dict[str, int]], sentence_keys: list[list], sentence_vectors: np.ndarray,
                 headings: dict[str, str], dense=None) -> None:
        self.name = name
        self.chunks = chunks
        self.chunk_vectors = chunk_vectors
        self.chunk_keys = chunk_keys
        self.chunk_terms = chunk_terms
        self.sentence_keys = sentence_keys
        self.sentence_vectors = sentence_vectors
        self.headings = headings
        self.dense = dense if dense is not None else make_dense_index(chunk_vectors, min_hnsw=1 << 62)
        self.row_of = {c.chunk_id: i for i, c in enumerate(chunks)}
        sentence_row = {(k[0], k[1], k[2]): i for i, k in enumerate(sentence_keys)}
        self.chunk_sentence_rows = [np.array([sentence_row[(c.doc_id, x.start, x.end)] for x in c.sentences],
                                             dtype=np.int64) for c in chunks]
        self.doc_rows = _group_rows(c.doc_id for c in chunks)
        self.doc_sentence_rows = _group_rows(k[0] for k in sentence_keys)
        self.dl = np.array([sum(t.values()) for t in chunk_terms], dtype=np.int64)
        self._build_postings()
        self._surfaces: list[str] | None = None
        self._records: dict[int, tuple[SentenceRecord, ...]] = {}

    def _build_postings(self) -> None:
        """Term → (rows, counts) in CSR form: the raw counts, so BM25 can use the statistics
        of whatever set of segments is live when a query runs."""
        vocab: dict[str, int] = {}
        term_ids: list[int] = []
        counts: list[int] = []
        rows: list[int] = []
        for r, terms in enumerate(self.chunk_terms):
            for t, n in terms.items():
                term_ids.append(vocab.setdefault(t, len(vocab)))
                counts.append(n)
            rows.extend([r] * len(terms))
        ids = np.array(term_ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        self.vocab = vocab
        self.post_rows = np.array(rows, dtype=np.int64)[order]
        self.post_tf = np.array(counts, dtype=np.float32)[order]
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=len(vocab)))]).astype(np.int64)

    @classmethod
    def of_records(cls, name: str, records: list[ChunkRecord], dim: int, min_hnsw: int | None = None) -> _Segment:
        """A segment holding *records* (FAISS built here: exact, or HNSW from *min_hnsw* chunks)."""
        chunk_vectors = (np.stack([r.vector for r in records]).astype(np.float32) if records
                         else np.zeros((0, dim), np.float32))
        sentence_keys, seen, vecs = [], set(), []
        for r in records:
            for s, v in zip(r.sentences, r.sentence_vectors):
                k = (r.chunk.doc_id, s.start, s.end)
                if k not in seen:
                    seen.add(k)
                    sentence_keys.append([r.chunk.doc_id, s.start, s.end, s.key, " ".join(s.forms), s.tags])
                    vecs.append(v)
        sentence_vectors = np.stack(vecs).astype(np.float32) if vecs else np.zeros((0, dim), np.float32)
        headings = {r.chunk.heading: " ".join(r.heading_terms) for r in records if r.chunk.heading}
        return cls(name, [r.chunk for r in records], chunk_vectors, [r.key for r in records],
                   [dict(r.terms) for r in records], sentence_keys, sentence_vectors, headings,
                   make_dense_index(chunk_vectors, min_hnsw))

    # -- files ---------------------------------------------------------------------------
    def write(self, folder: Path, with_dense: bool) -> None:
        """Write the segment's files into *folder* (which exists and is not yet live)."""
        import faiss

        with open(folder / "chunks.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in self.chunks)
        with open(folder / "chunk_terms.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps(t, ensure_ascii=False) + "\n" for t in self.chunk_terms)
        if with_dense:
            # the same bytes faiss.write_index writes, but written by Python: faiss reports a full
            # disk as a RuntimeError, Python as an OSError with its errno (see disk_error)
            with open(folder / "dense.faiss", "wb") as f:
                f.write(memoryview(faiss.serialize_index(self.dense)))
        _save_array(folder / "chunk_vectors.npy", self.chunk_vectors)
        (folder / "chunk_keys.json").write_text(json.dumps(self.chunk_keys))
        _save_array(folder / "sentence_vectors.npy", self.sentence_vectors)
        (folder / "sentence_keys.json").write_text(json.dumps(self.sentence_keys, ensure_ascii=False))
        (folder / "headings.json").write_text(json.dumps(self.headings, ensure_ascii=False))

    @classmethod
    def read(cls, folder: Path, manifest: dict, with_dense: bool) -> _Segment:
        """Read and check one segment folder; any damage is a :class:`StoreError` naming the fix."""
        import faiss

        try:
            chunks = [Chunk.from_dict(json.loads(line))
                      for line in (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines() if line]
            dense = faiss.read_index(str(folder / "dense.faiss")) if with_dense else None
            if hasattr(dense, "hnsw"):
                dense.hnsw.efSearch = HNSW_EF_SEARCH
            chunk_vectors = np.load(folder / "chunk_vectors.npy", allow_pickle=False)
            chunk_keys = json.loads((folder / "chunk_keys.json").read_text(encoding="utf-8"))
            sentence_vectors = np.load(folder / "sentence_vectors.npy", allow_pickle=False)
            sentence_keys = json.loads((folder / "sentence_keys.json").read_text(encoding="utf-8"))
            headings = json.loads((folder / "headings.json").read_text(encoding="utf-8"))
            chunk_terms = [json.loads(line) for line in
                           (folder / "chunk_terms.jsonl").read_text(encoding="utf-8").splitlines() if line]
        except Exception as exc:  # noqa: BLE001 - any unreadable file means the same fix
            raise StoreError(f"index at {folder} is corrupt ({type(exc).__name__}: {exc}); "
                             f"run `untact-qa build`") from exc
        dim = (manifest.get("model") or {}).get("dim")
        if dense is not None and (dense.ntotal != len(chunks) or dense.d != dim):
            raise StoreError(f"index at {folder} is inconsistent ({dense.ntotal} vectors for "
                             f"{len(chunks)} chunks); run `untact-qa build`")
        problem = check_arrays(manifest, chunks, dense, chunk_vectors, chunk_keys, sentence_vectors,
                               sentence_keys, chunk_terms, headings)
        if problem:
            raise StoreError(f"index at {folder} is inconsistent ({problem}); run `untact-qa build`")
        try:
            return cls(folder.name, chunks, chunk_vectors, chunk_keys, chunk_terms, sentence_keys, sentence_vectors,
                       headings, dense)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise StoreError(f"index at {folder} is inconsistent ({type(exc).__name__}: {exc}); "
                             f"run `untact-qa build`") from exc

    # -- per-row reads ---------------------------------------------------------------------
    def surfaces(self) -> list[str]:
        """Each chunk's :func:`~untact_qa.surface.surface_key` text (for ``mentions``), computed once."""
        from ..surface import surface_key

        if self._surfaces is None:
            self._surfaces = [surface_key(c.embedding_text()) for c in self.chunks]
        return self._surfaces

    def sentences_of(self, row: int) -> tuple[tuple[SentenceRecord, ...], np.ndarray]:
        srows = self.chunk_sentence_rows[row]
        records = self._records.get(row)
        if records is None:  # a segment never changes: its records are built once per row asked
            if len(self._records) >= _RECORDS_CACHED:
                self._records.clear()
            keys = [self.sentence_keys[x] for x in srows]
            records = self._records[row] = tuple(SentenceRecord(k[1], k[2], k[3], tuple(k[4].split()), k[5])
                                                 for k in keys)
        return records, self.sentence_vectors[srows]

    def heading_terms(self, row: int) -> frozenset:
        return frozenset(self.headings.get(self.chunks[row].heading, "").split())

    def count_into(self, stats: CorpusStats, doc_id: str, sign: int) -> None:
        """Count one document's chunks and distinct sentences in (``sign=1``) or out of *stats*."""
        for r in self.doc_rows.get(doc_id, ()):
            stats.n_chunks += sign
            stats.total_len += sign * int(self.dl[r])
            _bump(stats.chunk_df, self.chunk_terms[r], sign)
        srows = self.doc_sentence_rows.get(doc_id, ())
        stats.n_sentences += sign * len(srows)
        for x in srows:
            _bump(stats.sentence_df, set(self.sentence_keys[x][4].split()), sign)


def _group_rows(doc_ids) -> dict[str, np.ndarray]:
    out: dict[str, list[int]] = {}
    for i, d in enumerate(doc_ids):
        out.setdefault(d, []).append(i)
    return {d: np.array(rows, dtype=np.int64) for d, rows in out.items()}


def _bump(counts: dict[str, int], terms, sign: int) -> None:
    for t in terms:
        n = counts.get(t, 0) + sign
        if n > 0:
            counts[t] = n
        else:
            counts.pop(t, None)


class _Version:
    """One state of the local index (immutable): its segments, and for each segment the
    documents it no longer serves because a later segment replaced them or they were deleted.
    Each live document is served by exactly one segment."""

    def __init__(self, manifest: dict, segments: list[_Segment], dead: list[frozenset[str]],
                 path: Path | None = None, generation: int = 0, stats: CorpusStats | None = None,
                 doc_seg: dict[str, int] | None = None) -> None:
        self.manifest = manifest
        self.segments = segments
        self.dead = dead
        self.path = path
        self.generation = generation
        self.stamp = _stamp(path) if path is not None else None  # what state.json was when read or written
        if doc_seg is None:
            doc_seg = {}
            for si, seg in enumerate(segments):
                for d in seg.doc_rows:
                    if d not in dead[si]:
                        doc_seg[d] = si
        self._doc_seg = doc_seg
        if stats is None:
            stats = CorpusStats()
            for d, si in doc_seg.items():
                segments[si].count_into(stats, d, 1)
        self._stats = stats
        self._dead_rows = [np.concatenate([seg.doc_rows[d] for d in sorted(dead[si]) if d in seg.doc_rows]
                                          or [np.zeros(0, np.int64)]) for si, seg in enumerate(segments)]
        self._order: dict[str, int] | None = None
        self._surface: str | None = None

    @property
    def base(self) -> _Segment:
        """The base segment (what a build or merge wrote)."""
        return self.segments[0]

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: list[ChunkRecord], manifest: dict, min_hnsw: int | None = None) -> _Version:
        """A version whose base holds *records* (HNSW from *min_hnsw* chunks, see :func:`make_dense_index`)."""
        base = _Segment.of_records("base", records, manifest["model"]["dim"], min_hnsw)
        return cls({**manifest, "dense_index": type(base.dense).__name__}, [base], [frozenset()])

    def changed(self, records: list[ChunkRecord], removed: set[str], manifest: dict) -> tuple[_Version, _Segment | None]:
        """The version after the documents in *removed* stop being served and *records* are
        added as a new delta segment (None when there are none); cost O(changed documents)
        plus copying the term counts."""
        stats = CorpusStats(self._stats.n_chunks, self._stats.total_len, dict(self._stats.chunk_df),
                            self._stats.n_sentences, dict(self._stats.sentence_df))
        doc_seg = dict(self._doc_seg)
        dead = list(self.dead)
        for d in removed:
            si = doc_seg.pop(d, None)
            if si is not None:
                self.segments[si].count_into(stats, d, -1)
                dead[si] = dead[si] | {d}
        # a delta whose every document is gone is dropped (its folder goes with the next state)
        kept = [si for si, seg in enumerate(self.segments) if si == 0 or set(seg.doc_rows) - dead[si]]
        segments, dead = [self.segments[si] for si in kept], [dead[si] for si in kept]
        if len(kept) < len(self.segments):
            where = {si: i for i, si in enumerate(kept)}
            doc_seg = {d: where[si] for d, si in doc_seg.items()}
        delta = None
        if records:
            last = max((int(seg.name.split("-")[1]) for seg in self.segments[1:]), default=0)
            seq = last + 1
            delta = _Segment.of_records(f"d-{seq:06d}-{uuid.uuid4().hex[:6]}", records,
                                        self.manifest["model"]["dim"], min_hnsw=1 << 62)
            segments.append(delta)
            dead.append(frozenset())
            for d in delta.doc_rows:
                doc_seg[d] = len(segments) - 1
                delta.count_into(stats, d, 1)
        manifest = {**manifest, "counts": {"documents": len(doc_seg), "chunks": stats.n_chunks,
                                           "sentences": stats.n_sentences}}
        return _Version(manifest, segments, dead, self.path, self.generation + 1, stats, doc_seg), delta

    # -- persistence ----------------------------------------------------------------------
    def save(self, index_dir: Path) -> Path:
        """Write this version as a new version folder (its live records as the base) and make
        it live atomically; returns its path."""
        index_dir = Path(index_dir)
        if len(self.segments) > 1 or self.dead[0]:
            return _Version.from_records(list(self.iter_records()), self.manifest).save(index_dir)
        name = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        tmp, final = index_dir / f".building-{name}", index_dir / name
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            tmp.mkdir()
            self.base.write(tmp, with_dense=True)
            # manifest last: a version folder without one is by definition incomplete
            (tmp / "manifest.json").write_text(json.dumps(self.manifest, ensure_ascii=False, indent=2))
            os.replace(tmp, final)
            _crash_point("version-written")
            _atomic_write(index_dir / "CURRENT", name + "\n")
        except BaseException as exc:
            # CURRENT still names the previous version: the new folder, complete or not, is a
            # leftover (a full disk must not keep a whole version's worth of files)
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(final, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, DiskError):
                raise _write_error(exc, index_dir) from exc
            raise
        _crash_point("version-live")
        self.path = final
        _cleanup(index_dir, keep=name)
        return final

    def save_update(self, delta: _Segment | None) -> None:
        """Persist this version, one update after the one on disk: the new delta folder (if
        any), then ``state.json`` naming every segment and tombstone (the moment it goes live)."""
        folder = self.path
        placed = None
        try:
            if delta is not None:
                tmp = folder / f".{delta.name}"
                tmp.mkdir()
                try:
                    delta.write(tmp, with_dense=False)
                    _crash_point("delta-files")
                    (tmp / "segment.json").write_text(json.dumps({"chunks": len(delta.chunks)}))
                    os.replace(tmp, folder / delta.name)
                except BaseException:
                    shutil.rmtree(tmp, ignore_errors=True)
                    raise
                placed = folder / delta.name
            _crash_point("delta-written")
            state = {"generation": self.generation, "segments": [s.name for s in self.segments[1:]],
                     "dead": {s.name: sorted(d) for s, d in zip(self.segments, self.dead) if d},
                     "manifest": self.manifest}
            _atomic_write(folder / "state.json", json.dumps(state, ensure_ascii=False))
        except BaseException as exc:
            # the old state.json is still live and names no new folder: the delta goes now,
            # not at the next successful update
            if placed is not None:
                shutil.rmtree(placed, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, DiskError):
                raise _write_error(exc, folder) from exc
            raise
        self.stamp = _stamp(folder)
        _crash_point("state-written")
        live = {s.name for s in self.segments[1:]}
        for p in folder.iterdir():
            if p.is_dir() and p.name.lstrip(".").startswith("d-") and p.name not in live:
                shutil.rmtree(p, ignore_errors=True)  # a crashed update's delta folder is never named by a state
            elif p.name.startswith(".state.json-"):
                p.unlink(missing_ok=True)  # a crashed writer's temp state (we hold the writer lock)

    @classmethod
    def load(cls, index_dir: Path, expected_model: str | None = None) -> _Version:
        """Load the live version; refuse a missing, corrupt, old-format or other-model index.

        A build or merge may swap ``CURRENT`` and remove the old version while this reads
        it; then the new version is read instead.
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
    def load_folder(cls, folder: Path, expected_model: str | None = None, with_updates: bool = True) -> _Version:
        """Load one version folder (its base, and its updates unless *with_updates* is False),
        checking every file's shape and values (see :func:`check_arrays`)."""
        manifest = _read_manifest(folder, expected_model)
        stamp = _stamp(folder)  # before reading: a writer after this makes the stamp differ
        base = _Segment.read(folder, manifest, with_dense=True)
        base.name = "base"
        state = _read_state(folder) if with_updates else None
        if state is None:
            _warn_versions(manifest.get("versions", {}))
            return cls(manifest, [base], [frozenset()], folder)
        segments = [base]
        for name in state["segments"]:
            if not (folder / name / "segment.json").is_file():
                raise StoreError(f"index at {folder} is damaged (update {name} named by state.json is missing); "
                                 f"run `untact-qa build`")
            segments.append(_Segment.read(folder / name, manifest, with_dense=False))
        dead = [frozenset(state["dead"].get(s.name, ())) for s in segments]
        live_manifest = {**manifest, **state["manifest"]}
        _warn_versions(live_manifest.get("versions", {}))
        version = cls(live_manifest, segments, dead, folder, state["generation"])
        version.stamp = stamp
        return version

    @classmethod
    def newest_valid(cls, index_dir: Path, expected_model: str | None = None) -> _Version | None:
        """The newest version folder that loads, whatever ``CURRENT`` says (None if none does);
        a version whose updates are damaged is taken without them (its vectors are still good)."""
        try:
            folders = sorted((p for p in Path(index_dir).iterdir() if p.is_dir() and _VERSION.fullmatch(p.name)),
                             key=lambda p: p.name, reverse=True)
        except OSError:
            return None
        for folder in folders:
            for with_updates in (True, False):
                try:
                    return cls.load_folder(folder, expected_model, with_updates)
                except StoreError:
                    continue
        return None

    # -- the Store protocol ----------------------------------------------------------------
    @property
    def stats(self) -> CorpusStats:
        return self._stats

    @property
    def chunks(self) -> list[Chunk]:
        """Every live chunk, in corpus order."""
        return [self.segments[si].chunks[r] for si, r in self._live_rows()]

    def _live_rows(self):
        for d in self.doc_order():
            si = self._doc_seg[d]
            for r in self.segments[si].doc_rows[d]:
                yield si, int(r)

    def doc_order(self) -> list[str]:
        """Live documents in corpus order."""
        if self._order is None:
            self._order = {d: i for i, d in enumerate(sorted(self._doc_seg, key=_doc_order))}
        return list(self._order)

    def _rank(self, cands: list[tuple[float, int, int]], k: int) -> list[tuple[str, float]]:
        """Top *k* of (score, segment, row) candidates; equal scores in corpus order."""
        self.doc_order()
        order = self._order

        def key(c):
            seg = self.segments[c[1]]
            doc = seg.chunks[c[2]].doc_id
            return -c[0], order[doc], c[2] - int(seg.doc_rows[doc][0])

        cands.sort(key=key)
        return [(self.segments[si].chunks[r].chunk_id, s) for s, si, r in cands[:k]]

    def _allowed(self, si: int, docs: list[str] | None) -> np.ndarray | None:
        """Rows of segment *si* a search may return: None for "all but the dead", else the
        live rows of *docs* served by this segment."""
        if docs is None:
            return None
        seg = self.segments[si]
        rows = [seg.doc_rows[d] for d in set(docs) if self._doc_seg.get(d) == si]
        return np.sort(np.concatenate(rows)) if rows else np.zeros(0, np.int64)

    def dense_search(self, qvec: np.ndarray, k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by inner product (= cosine on normalised vectors), over every segment."""
        import faiss

        q = qvec.reshape(1, -1).astype(np.float32)
        cands: list[tuple[float, int, int]] = []
        for si, seg in enumerate(self.segments):
            allowed, dead = self._allowed(si, docs), self._dead_rows[si]
            n = len(seg.chunks) - len(dead) if allowed is None else len(allowed)
            kk = min(k, n)
            if kk <= 0:
                continue
            if allowed is None and not len(dead):
                scores, ids = seg.dense.search(q, kk)
            else:  # the selector must stay referenced while FAISS uses it
                inner = faiss.IDSelectorBatch(allowed if allowed is not None else dead)
                sel = inner if allowed is not None else faiss.IDSelectorNot(inner)
                scores, ids = seg.dense.search(q, kk, params=faiss.SearchParameters(sel=sel))
            cands.extend((float(s), si, int(i)) for i, s in zip(ids[0], scores[0]) if i >= 0)
        return self._rank(cands, k)

    def lexical_search(self, terms: list[str], k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by BM25 (bm25s' "lucene" variant, its float32 arithmetic) with the
        live corpus's document frequencies and average length; unknown terms are ignored."""
        st = self._stats
        known = [t for t in terms if t in st.chunk_df]  # a repeated term counts twice, as in bm25s
        if not known:
            return []
        avgdl = st.avgdl
        idf = {t: np.float32(math.log(1 + (st.n_chunks - st.chunk_df[t] + 0.5) / (st.chunk_df[t] + 0.5)))
               for t in set(known)}
        cands: list[tuple[float, int, int]] = []
        for si, seg in enumerate(self.segments):
            scores = np.zeros(len(seg.chunks), np.float32)
            for t in known:
                j = seg.vocab.get(t)
                if j is None:
                    continue
                rows = seg.post_rows[seg.indptr[j]:seg.indptr[j + 1]]
                tf = seg.post_tf[seg.indptr[j]:seg.indptr[j + 1]]
                tfc = tf / (BM25_K1 * ((1 - BM25_B) + BM25_B * seg.dl[rows] / avgdl) + tf)
                scores[rows] += (idf[t] * tfc).astype(np.float32)
            allowed = self._allowed(si, docs)
            if allowed is not None:
                keep = np.zeros_like(scores)
                keep[allowed] = scores[allowed]
                scores = keep
            scores[self._dead_rows[si]] = 0
            pos = np.flatnonzero(scores > 0)
            if len(pos) > k:  # every row tied with the k-th stays a candidate: ties go by corpus order
                kth = np.partition(scores[pos], len(pos) - k)[len(pos) - k]
                pos = pos[scores[pos] >= kth]
            cands.extend((float(scores[r]), si, int(r)) for r in pos)
        return self._rank(cands, k)

    def _locate(self, chunk_id: str) -> tuple[_Segment, int]:
        si = self._doc_seg[chunk_id.rsplit("#", 1)[0]]
        return self.segments[si], self.segments[si].row_of[chunk_id]

    def fetch(self, ids: list[str]) -> Batch:
        """Records of *ids*, in that order (a missing id is a KeyError)."""
        where = [self._locate(i) for i in ids]
        sents = [seg.sentences_of(r) for seg, r in where]
        vectors = (np.stack([seg.chunk_vectors[r] for seg, r in where]) if where
                   else np.zeros((0, self.base.chunk_vectors.shape[1]), np.float32))
        return Batch(list(ids), [seg.chunks[r] for seg, r in where], vectors,
                     [seg.chunk_terms[r] for seg, r in where], [seg.heading_terms(r) for seg, r in where],
                     [s for s, _ in sents], [v for _, v in sents])

    def count(self) -> int:
        return self._stats.n_chunks

    def doc_count(self, doc_id: str) -> int:
        """Chunks of *doc_id* (0 when it is not indexed)."""
        si = self._doc_seg.get(doc_id)
        return 0 if si is None else len(self.segments[si].doc_rows[doc_id])

    def doc_counts(self) -> dict[str, int]:
        return {d: len(self.segments[self._doc_seg[d]].doc_rows[d]) for d in self.doc_order()}

    def iter_records(self):
        """Every live chunk as a record (vectors included), in corpus order."""
        for si, r in self._live_rows():
            seg = self.segments[si]
            sents, svecs = seg.sentences_of(r)
            yield ChunkRecord(seg.chunks[r], seg.chunk_keys[r], seg.chunk_vectors[r], seg.chunk_terms[r],
                              tuple(sorted(seg.heading_terms(r))), sents, svecs)

    def mentions(self, key: str) -> bool:
        from ..surface import text_mentions

        if self._surface is None:
            self._surface = "\x00".join(self.segments[si].surfaces()[r] for si, r in self._live_rows())
        return text_mentions(self._surface, key, self._stats.has_term)

    def is_stale(self, corpus: LoadResult) -> bool:
        """True when the corpus on disk differs from the one indexed."""
        return corpus_fingerprint(corpus)["hash"] != self.manifest["corpus"]["hash"]

    def snapshot(self) -> _Version:
        """This version: it never changes (a write makes a new one)."""
        return self

    def vector_items(self):
        """(content hash, vector) of every live chunk and sentence text (read from the arrays)."""
        for d in self.doc_order():
            seg = self.segments[self._doc_seg[d]]
            for r in seg.doc_rows[d]:
                yield seg.chunk_keys[r], seg.chunk_vectors[r]
            for x in seg.doc_sentence_rows.get(d, ()):
                yield seg.sentence_keys[x][3], seg.sentence_vectors[x]

    def update_share(self) -> float:
        """The share of chunks not served by the base as written (deltas and tombstones)."""
        base_rows = len(self.base.chunks)
        off = sum(len(s.chunks) for s in self.segments[1:]) + len(self._dead_rows[0])
        return off / max(base_rows, MERGE_MIN_CHUNKS)


class LocalStore:
    """The local store (implements :class:`~untact_qa.stores.base.Store`): the live
    :class:`_Version` of an index folder. Reads go to the version current when they start,
    and a write (:meth:`upsert`, :meth:`delete_doc`, :meth:`merge`) swaps in a new version in
    one assignment, so a query in flight during an upload finishes on the version it began with.

    *background_merge*: after a write that passes the merge thresholds, fold the deltas into a
    new base on a background thread (the write itself returns at O(document) cost)."""

    background_merge = True

    def __init__(self, version: _Version) -> None:
        self._v = version
        self._merger: threading.Thread | None = None

    def __getattr__(self, name: str):
        # reads (search, fetch, stats, manifest, …) are the current version's
        return getattr(self.__dict__["_v"], name)

    @classmethod
    def from_records(cls, records: list[ChunkRecord], manifest: dict, min_hnsw: int | None = None) -> LocalStore:
        """The local store of *records* (FAISS built here; HNSW from *min_hnsw* chunks, see
        :func:`make_dense_index`); :meth:`save` writes it."""
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
        """Make *records* the chunks of their documents: one delta segment holding them and a
        tombstone for what those documents were, written atomically by one writer at a time.
        Nothing else is read or rewritten."""
        self._update(list(records), {r.chunk.doc_id for r in records}, corpus_fields)

    def delete_doc(self, doc_id: str, corpus_fields: dict | None = None) -> int:
        """Stop serving every chunk of *doc_id* (a tombstone); returns how many there were."""
        gone = self._v.doc_count(doc_id)
        if gone or corpus_fields:  # nothing to remove still records the fingerprint given
            self._update([], {doc_id}, corpus_fields)
        return gone

    def _update(self, records: list[ChunkRecord], removed: set[str], corpus_fields: dict | None) -> None:
        from ..locking import IndexLock

        if self._v.path is None:
            raise StoreError("this index was never saved, so it cannot be changed in place; run `untact-qa build`")
        index_dir = self._v.path.parent
        with IndexLock(index_dir):
            current = self._on_disk(index_dir)
            manifest = {**current.manifest, **(corpus_fields or {}), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            new, delta = current.changed(records, removed, manifest)
            new.save_update(delta)
            self._v = new  # one assignment: readers see the old version or the new one, never a mix
        if self.background_merge and self.needs_merge():
            self.merge(wait=False)

    def _on_disk(self, index_dir: Path) -> _Version:
        """The live version as on disk (call under the lock): ours, unless another process
        changed the index since we read it."""
        v = self._v
        try:  # a stat, not a parse: state.json holds the manifest, which grows with the documents
            same = current_version(index_dir) == v.path and _stamp(v.path) == v.stamp
        except StoreError:
            same = False
        return v if same else _Version.load(index_dir, v.manifest["model"]["id"])

    def needs_merge(self) -> bool:
        """Do the deltas pass :data:`MERGE_FRACTION` of the base or :data:`MERGE_MAX_SEGMENTS` folders?"""
        v = self._v
        return (len(v.segments) > 1 or bool(v.dead[0])) and (len(v.segments) - 1 > MERGE_MAX_SEGMENTS
                                                             or v.update_share() > MERGE_FRACTION)

    def merge(self, wait: bool = True) -> None:
        """Fold every delta and tombstone into a new base version (O(corpus), under the writer
        lock); with ``wait=False`` on a background thread, one at a time."""
        if not wait:
            if self._merger is not None and self._merger.is_alive():
                return
            self._merger = threading.Thread(target=self._merge_quietly, name="untact-qa-merge", daemon=True)
            self._merger.start()
            return
        from ..locking import IndexLock

        index_dir = self._v.path.parent
        with IndexLock(index_dir):
            current = self._on_disk(index_dir)
            if len(current.segments) == 1 and not current.dead[0]:
                self._v = current
                return
            merged = _Version.from_records(list(current.iter_records()), current.manifest)
            merged.save(index_dir)
            self._v = merged

    def _merge_quietly(self) -> None:
        try:
            self.merge()
        except Exception as exc:  # noqa: BLE001 - the deltas stay live; the next write or build merges
            warnings.warn(f"merging the index updates failed ({exc}); they stay in use", stacklevel=1)

    def wait_merged(self, timeout: float | None = None) -> None:
        """Wait for a background merge to finish (tests and benchmarks)."""
        if self._merger is not None:
            self._merger.join(timeout)


_VERSION = re.compile(r"v-\d{8}T\d{6}-[0-9a-f]{6}")


def _stamp(folder: Path) -> tuple | None:
    """Identity of ``state.json`` in *folder* (a replace gives it a new inode), None if absent."""
    try:
        st = os.stat(folder / "state.json")
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _atomic_write(path: Path, text: str) -> None:
    """*text* written beside *path*, then renamed over it: *path* is the old text or the new,
    never a part. When the write fails (a full disk) the temp file is removed, not left as a
    ``.state.json-XXXX`` forever."""
    tmp = path.with_name(f".{path.name}-{uuid.uuid4().hex[:6]}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


class _PlainWriter:
    """A file object numpy writes to through Python's ``write``: ``np.save`` to a real file
    uses C ``fwrite``, whose failure is an OSError without the errno (a full disk would read
    "128000 requested and 65504 written")."""

    def __init__(self, f) -> None:
        self.write = f.write


def _save_array(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as f:
        np.save(_PlainWriter(f), array, allow_pickle=False)


def _write_error(exc: OSError, index_dir: Path):
    """The :class:`~untact_qa.errors.DiskError` of a failed index write (the previous state is live)."""
    return disk_error(exc, where=index_dir, kept="the index was not changed", kept_ko="색인은 바뀌지 않았습니다.")


def _read_manifest(folder: Path, expected_model: str | None) -> dict:
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
    return manifest


def _read_state(folder: Path) -> dict | None:
    """The updates of a version folder (None before the first update)."""
    path = folder / "state.json"
    if not path.is_file():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        ok = (isinstance(state, dict) and isinstance(state.get("generation"), int)
              and isinstance(state.get("segments"), list) and isinstance(state.get("dead"), dict)
              and isinstance(state.get("manifest"), dict))
    except (OSError, ValueError):
        ok = False
    if not ok:
        raise StoreError(f"index at {folder} is damaged (state.json is unreadable); run `untact-qa build`")
    return state


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


def check_arrays(manifest, chunks, dense, chunk_vectors, chunk_keys, sentence_vectors, sentence_keys,
                 chunk_terms, headings) -> str:
    """What is wrong with the files of one segment ("" when nothing): every array has the
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
    if not all(isinstance(c, int) and c > 0 for t in chunk_terms for c in t.values()):
        return "chunk_terms.jsonl holds a count that is not a positive integer"
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
    if n and dense is not None:
        stored = dense.reconstruct_n(0, n) if hasattr(dense, "reconstruct_n") else None
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
