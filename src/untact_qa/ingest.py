"""From a corpus to chunk records any store can take: repair, chunking, Kiwi, embeddings.

:func:`make_records` reuses the vectors of texts embedded before (:func:`vector_cache`
reads them out of any store built with the same model), so a rebuild only embeds what
changed. :class:`BuildReport` says what a build did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np

from .chunking import CHUNKER_VERSION, ChunkingConfig, chunk_document
from .corpus import LoadResult
from .encoders import Embedder, content_hash
from .errors import StoreError
from .schema import Chunk
from .stores.base import ChunkRecord, SentenceRecord, corpus_fingerprint, library_versions
from .tokenization import morphemes_batch, typed_terms_batch

# Progress of long work (embedding a corpus, an upload): called as ``(stage, done, total)``
# with stages "embed" (texts through the model) and "write" (records into the store). The
# CLI draws a tqdm bar on stderr (:func:`progress_bar`); the UI turns the same calls into its
# upload status line.
ProgressFn = Callable[[str, int, int], None]
_STAGES = {"embed": "Embedding", "write": "Writing"}


def progress_bar() -> ProgressFn:
    """A :data:`ProgressFn` drawing one tqdm bar per stage on stderr (texts/s and ETA)."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=_STAGES.get(stage, stage), unit=" texts", mininterval=0.5,
                                     dynamic_ncols=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return report

# 2: sentence keys carry the tag class of each morpheme; headings.json holds heading terms
# 3: chunk_terms.jsonl (BM25 term counts per chunk, what a store keeps as sparse weights)
# 4: a chunk's record may carry "locations" (pages, slides, sheet rows) that older code cannot read
FORMAT_VERSION = 4


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


def make_records(corpus: LoadResult, embedder: Embedder, chunking: ChunkingConfig,
                 cache: dict[str, np.ndarray] | None = None, progress: bool | ProgressFn = False,
                 sentence_vectors: str = "separate", require_text: bool = True
                 ) -> tuple[list[ChunkRecord], BuildReport, dict]:
    """Repair, chunk, tokenise and embed *corpus* into records (any store can take them).

    *cache* maps content hashes to vectors of texts embedded before under the same model;
    only texts missing from it go through the model. *sentence_vectors* ``"late"`` pools
    sentence vectors out of their chunk's forward pass when the embedder can
    (``encode_late``), ``"separate"`` embeds each sentence on its own. *progress* is ``True`` for a bar on
    stderr or a callback ``(stage, done, total)`` (see :data:`ProgressFn`). Returns ``(records, report, manifest
    fields: chunking, corpus fingerprint and repair rules)``. A corpus with no readable text is an
    error unless *require_text* is False (one upload: no records are returned).
    """
    t0 = time.perf_counter()
    report = BuildReport(documents=len(corpus.documents), errors=list(corpus.errors))
    chunks, repairs = _chunk_corpus(corpus, chunking, report)
    if not chunks:
        if not require_text:  # one upload with nothing readable: no records, the caller decides
            return [], report, {"corpus": {"repair": repairs}}
        raise StoreError("nothing to index: the corpus has no readable text; add .txt or .md files to it")

    embedder.warm_up()
    model_id = embedder.model_id
    cache = dict(cache or {})
    chunk_keys = [content_hash(model_id, c.embedding_text()) for c in chunks]
    # distinct sentences (chunk overlap repeats one): embedded and analysed once
    sentence_at: dict[tuple, int] = {}
    sent_texts: list[str] = []
    sent_hashes: list[str] = []
    for c in chunks:
        for s in c.sentences:
            if (c.doc_id, s.start, s.end) not in sentence_at:
                sentence_at[(c.doc_id, s.start, s.end)] = len(sent_texts)
                sent_texts.append(s.text)
                sent_hashes.append(content_hash(model_id, s.text))
    late = sentence_vectors == "late" and hasattr(embedder, "encode_late")
    if late:
        sent_hashes = _late_keys(model_id, chunks, sentence_at, report, embedder, chunk_keys, sent_texts, cache,
                                 progress)
    else:
        _embed_missing(embedder, chunks, chunk_keys, sent_hashes, sent_texts, cache, report, progress)
    records = _records(chunks, chunk_keys, sentence_at, sent_texts, sent_hashes, cache, embedder.dim)
    report.chunks, report.sentences = len(records), len(sent_texts)
    report.seconds = time.perf_counter() - t0
    fields_ = {"chunking": {**chunking.to_dict(), "version": CHUNKER_VERSION},
               "corpus": {**corpus_fingerprint(corpus), "repair": repairs},
               "sentence_vectors": "late" if late else "separate",
               "counts": {"documents": len(corpus.documents), "chunks": len(records), "sentences": len(sent_texts)}}
    return records, report, fields_


def _chunk_corpus(corpus: LoadResult, chunking: ChunkingConfig, report: BuildReport
                  ) -> tuple[list[Chunk], dict[str, dict]]:
    """Every document's chunks, and the repair rules each was read with (a document with no
    sentence is reported, not indexed)."""
    chunks: list[Chunk] = []
    repairs: dict[str, dict] = {}
    for doc in corpus.documents:
        doc_chunks, rep = chunk_document(doc, chunking)
        repairs[doc.doc_id] = rep.rules.to_dict()
        if not doc_chunks:
            report.errors.append(f"{doc.doc_id}: no sentences found after repair; nothing indexed")
        chunks.extend(doc_chunks)
    return chunks, repairs


def _embed_missing(embedder, chunks, chunk_keys, sent_hashes, sent_texts, cache, report, progress) -> None:
    """Embed every chunk and sentence text not in *cache* (each on its own) into it."""
    todo: dict[str, str] = {}
    for key, text in zip(chunk_keys, (c.embedding_text() for c in chunks)):
        if key not in cache:
            todo[key] = text
    for key, text in zip(sent_hashes, sent_texts):
        if key not in cache:
            todo[key] = text
    report.embedded = len(todo)
    # distinct texts taken from the cache (a text repeated in the corpus counts once)
    report.reused = len(set(chunk_keys) | set(sent_hashes)) - len(todo)
    if todo:
        with bulk(embedder, len(todo)):
            vecs = embed_texts(embedder, list(todo.values()), progress)
        cache.update(zip(todo.keys(), vecs))


def _late_keys(model_id, chunks, sentence_at, report, embedder, chunk_keys, sent_texts, cache, progress) -> list[str]:
    """Late chunking: each sentence's vector pooled from the first chunk that holds it, into
    *cache*; returns the sentences' cache keys, which name that context, so a separately
    embedded vector is never mistaken for one."""
    owner: dict[int, tuple[int, tuple[int, int]]] = {}
    for ci, c in enumerate(chunks):
        shift = len(c.embedding_text()) - len(c.text)  # the heading before the text, if any
        for s in c.sentences:
            owner.setdefault(sentence_at[(c.doc_id, s.start, s.end)],
                             (ci, (s.start - c.start + shift, s.end - c.start + shift)))
    sent_hashes = [content_hash(model_id, f"late\x00{chunks[ci].embedding_text()}\x00{a}:{b}")
                   for _, (ci, (a, b)) in sorted(owner.items())]
    with bulk(embedder, len(owner) + len(chunks)):
        report.embedded, report.reused = _embed_late(embedder, chunks, chunk_keys, owner, sent_hashes,
                                                     sent_texts, cache, progress)
    return sent_hashes


def _records(chunks, chunk_keys, sentence_at, sent_texts, sent_hashes, cache, dim) -> list[ChunkRecord]:
    """The records: vectors from *cache*, BM25 terms and typed sentence morphemes from Kiwi
    (answer extraction scores overlap and answer types without re-running Kiwi)."""
    typed = typed_terms_batch(sent_texts)
    bm25_terms = morphemes_batch([c.embedding_text() for c in chunks])
    unique_headings = sorted({c.heading for c in chunks if c.heading})
    heading_terms = {h: tuple(t) for h, t in zip(unique_headings, morphemes_batch(unique_headings))}
    records = []
    for c, key, terms in zip(chunks, chunk_keys, bm25_terms):
        rows = [sentence_at[(c.doc_id, s.start, s.end)] for s in c.sentences]
        sents = tuple(SentenceRecord(s.start, s.end, sent_hashes[r], tuple(f for f, _ in typed[r]),
                                     "".join(k for _, k in typed[r])) for s, r in zip(c.sentences, rows))
        svecs = (np.stack([cache[sent_hashes[r]] for r in rows]).astype(np.float32) if rows
                 else np.zeros((0, dim), np.float32))
        counts: dict[str, int] = {}
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        records.append(ChunkRecord(c, key, np.asarray(cache[key], dtype=np.float32), counts,
                                   heading_terms.get(c.heading, ()), sents, svecs))
    return records


def _embed_late(embedder, chunks: list[Chunk], chunk_keys: list[str], owner: dict, sent_hashes: list[str],
                sent_texts: list[str], cache: dict, progress, group: int = 32) -> tuple[int, int]:
    """Fill *cache* with chunk vectors and their owned sentences' vectors, one pass per chunk.

    Returns (texts run through the model, distinct texts reused from the cache).
    """
    owned: dict[int, list[int]] = {}
    for row, (ci, _) in owner.items():
        owned.setdefault(ci, []).append(row)
    todo = sorted({ci for ci, key in enumerate(chunk_keys) if key not in cache}
                  | {owner[row][0] for row, key in enumerate(sent_hashes) if key not in cache})
    recomputed = {chunk_keys[ci] for ci in todo} | {sent_hashes[row] for ci in todo for row in owned.get(ci, ())}
    reused = len((set(chunk_keys) | set(sent_hashes)) - recomputed)
    report = progress_bar() if progress is True else (progress or None)
    cut: list[int] = []  # sentences past the model's 512 tokens: embedded on their own
    order = sorted(todo, key=lambda ci: len(chunks[ci].embedding_text()))
    for i in range(0, len(order), group):
        part = order[i:i + group]
        vecs, span_vecs = embedder.encode_late([chunks[ci].embedding_text() for ci in part],
                                               [[owner[row][1] for row in owned.get(ci, [])] for ci in part])
        for ci, v, sv in zip(part, vecs, span_vecs):
            cache[chunk_keys[ci]] = v
            for row, vec in zip(owned.get(ci, []), sv):
                if np.isnan(vec).any():
                    cut.append(row)
                else:
                    cache[sent_hashes[row]] = vec
        if report:
            report("embed", min(i + group, len(order)), len(order))
    if cut:
        for row, vec in zip(cut, embedder.encode_passages([sent_texts[r] for r in cut])):
            cache[sent_hashes[row]] = vec
    return len(order) + len(cut), reused


# Below this many texts the bulk mode's second model session (~0.6 s to create) costs more
# than its side-by-side batches save: an upload of a few pages embeds in the one session.
BULK_MIN_TEXTS = 256


def bulk(embedder: Embedder, n_texts: int = BULK_MIN_TEXTS):
    """The embedder's ``bulk()`` context (parallel batches) for *n_texts* texts, if it has
    one and they are many enough to pay for it."""
    return embedder.bulk() if hasattr(embedder, "bulk") and n_texts >= BULK_MIN_TEXTS else nullcontext()


def embed_texts(embedder: Embedder, texts: list[str], progress: bool | ProgressFn = False,
                group: int = 64) -> np.ndarray:
    """Passage vectors of *texts*, in their order, reporting progress every *group* texts.

    Texts go to the model sorted by length, so each batch pads to similar lengths (a
    batch costs as much as its longest text).
    """
    report = progress_bar() if progress is True else (progress or None)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    order = np.argsort([len(t) for t in texts], kind="stable")
    for i in range(0, len(texts), group):
        idx = order[i:i + group]
        out[idx] = embedder.encode_passages([texts[j] for j in idx])
        if report:
            report("embed", min(i + group, len(texts)), len(texts))
    return out


def base_manifest(model_id: str, dim: int, store: str, fields_: dict) -> dict:
    """The manifest every store records (see :func:`make_records` for *fields_*)."""
    return {"format_version": FORMAT_VERSION, "store": store, "model": {"id": model_id, "dim": dim}, **fields_,
            "versions": library_versions(), "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def vector_cache(previous, model_id: str) -> dict[str, np.ndarray]:
    """Content hash → vector of every text *previous* (any store) embedded with *model_id*.

    A vector with a NaN or infinite value is left out, so its text is embedded again.
    """
    if previous is None or previous.manifest.get("model", {}).get("id") != model_id:
        return {}
    dim = previous.manifest.get("model", {}).get("dim")
    return {k: v for k, v in previous.vector_items()
            if isinstance(k, str) and np.shape(v) == (dim,) and np.isfinite(v).all()}
