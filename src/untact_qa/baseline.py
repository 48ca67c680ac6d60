"""The plain recipe the system must beat: Kiwi BM25 over 500-character chunks.

What a team gets from a tutorial: LangChain's ``RecursiveCharacterTextSplitter``
(``chunk_size=500, chunk_overlap=50``, separators blank line, line, space, character)
over the raw files, no repair, no headings, and BM25 over Kiwi morphemes (the same
tokeniser as the system's BM25, so the comparison isolates chunking, titles and fusion).
:func:`retrieval_metrics` scores it with the evaluation's gold rule (a chunk holding an
evidence string, whitespace ignored).
"""

from __future__ import annotations

from pathlib import Path

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
SEPARATORS = ("\n\n", "\n", " ", "")


def recursive_split(text: str, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP,
                    separators: tuple[str, ...] = SEPARATORS) -> list[str]:
    """Chunks of at most *size* characters, split at the coarsest separator that works
    (LangChain's recursive character splitting, separators dropped as it does)."""
    sep = next((s for s in separators if s == "" or s in text), "")
    rest = separators[separators.index(sep) + 1:] if sep else ()
    pieces = list(text) if sep == "" else text.split(sep)
    out: list[str] = []
    current: list[str] = []
    length = 0
    for piece in pieces:
        if len(piece) > size and rest:
            if current:
                out.append(sep.join(current))
                current, length = [], 0
            out.extend(recursive_split(piece, size, overlap, rest))
            continue
        add = len(piece) + (len(sep) if current else 0)
        if current and length + add > size:
            out.append(sep.join(current))
            # keep a tail of at most *overlap* characters as the next chunk's start
            while current and (length > overlap or length + add > size):
                length -= len(current[0]) + (len(sep) if len(current) > 1 else 0)
                current.pop(0)
        current.append(piece)
        length = sum(len(p) for p in current) + len(sep) * (len(current) - 1)
    if current:
        out.append(sep.join(current))
    return [c.strip() for c in out if c.strip()]


def build(corpus_dir: Path) -> tuple[list[str], object]:
    """Chunks of every ``.txt``/``.md`` file and a bm25s index over their Kiwi morphemes."""
    import logging

    import bm25s

    from .corpus import load_corpus
    from .tokenization import morphemes_batch

    chunks = [c for d in load_corpus(corpus_dir).documents for c in recursive_split(d.text)]
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    index = bm25s.BM25()
    index.index(morphemes_batch(chunks), show_progress=False)
    return chunks, index


def retrieval_metrics(corpus_dir: Path, questions: list[dict]) -> dict[str, dict]:
    """Hit@1, Hit@5 and MRR@10 of the baseline per split (``tune``, ``test``, ``all``)."""
    import numpy as np

    from .scoring import UNANSWERED_TYPES, squash
    from .tokenization import morphemes

    chunks, index = build(corpus_dir)
    flat = [squash(c) for c in chunks]
    vocab = index.vocab_dict
    ranks: dict[str, list] = {"tune": [], "test": []}
    for q in questions:
        if q["type"] in UNANSWERED_TYPES or q["type"] == "summary" or not q["evidence"]:
            continue
        ids = [vocab[t] for t in morphemes(q["question"]) if t in vocab]
        rank = None
        if ids:
            scores = index.get_scores_from_ids(ids)
            top = np.argsort(-scores, kind="stable")[:10]
            evs = [squash(e) for e in q["evidence"]]
            rank = next((k for k, i in enumerate(top, 1) if scores[i] > 0 and any(e in flat[i] for e in evs)), None)
        ranks[q.get("split", "test")].append(rank)
    ranks["all"] = ranks["tune"] + ranks["test"]

    def summary(rs):
        if not rs:
            return {}
        return {"questions": len(rs), "hit@1": round(sum(r == 1 for r in rs) / len(rs), 4),
                "hit@5": round(sum(bool(r) and r <= 5 for r in rs) / len(rs), 4),
                "mrr@10": round(sum(1 / r for r in rs if r) / len(rs), 4)}

    return {split: summary(rs) for split, rs in ranks.items()}
