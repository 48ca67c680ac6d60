"""What every encoder is (:class:`Embedder`) and the helpers encoders share: mean pooling
of token states into text and span vectors, the thread budget, the embedding cache key, and
progress messages on stderr."""

from __future__ import annotations

import hashlib
import os
import sys
from typing import Protocol, runtime_checkable

import numpy as np

from ..config import env


@runtime_checkable
class Embedder(Protocol):
    """What the index and retriever need from a dense model."""

    model_id: str

    @property
    def dim(self) -> int:
        """Vector size."""

    def warm_up(self) -> None:
        """Load weights; called once before the first encode."""

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""

    def encode_query(self, text: str) -> np.ndarray:
        """L2-normalised float32 vector for a search query."""


# Optional: ``encode_late(texts, spans) -> (vectors, [span vectors per text])`` — passage
# vectors plus, for each character span of a text, the mean of that span's token states
# from the same forward pass ("late chunking"). Index builds use it when present.


def pool_spans(states: np.ndarray, mask: np.ndarray, offsets: np.ndarray, spans: list[list[tuple[int, int]]],
               shift: int = 0) -> tuple[np.ndarray, list[np.ndarray]]:
    """Mean-pooled, L2-normalised text vectors and span vectors from token states.

    *states* (batch, tokens, dim), *mask* (batch, tokens), *offsets* (batch, tokens, 2)
    character offsets of each token in its input; *spans* are character ranges of the text
    without the *shift*-character prompt in front. A token belongs to a span when their
    character ranges overlap. A span with no token (cut by truncation) gets a NaN row.
    """
    m = mask[..., None].astype(np.float32)
    vecs = (states * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
    out = []
    for i, text_spans in enumerate(spans):
        starts, ends = offsets[i, :, 0], offsets[i, :, 1]
        real = (mask[i] > 0) & (ends > starts)  # special tokens have empty offsets
        rows = np.full((len(text_spans), states.shape[2]), np.nan, dtype=np.float32)
        for j, (a, b) in enumerate(text_spans):
            sel = real & (ends > a + shift) & (starts < b + shift)
            if sel.any():
                v = states[i, sel].mean(0)
                rows[j] = v / max(float(np.linalg.norm(v)), 1e-12)
        out.append(rows)
    return vecs.astype(np.float32), out


def thread_count() -> int:
    """Threads an encoder may use: ``UNTACT_QA_THREADS``, else every core."""
    from ..config import env_number

    return env_number("UNTACT_QA_THREADS") if env("UNTACT_QA_THREADS") else (os.cpu_count() or 1)



def content_hash(model_id: str, text: str) -> str:
    """Key of the embedding cache: the same text under the same model is never re-embedded."""
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()[:32]


def log(msg: str) -> None:
    """Progress messages go to stderr so JSON on stdout stays clean."""
    print(msg, file=sys.stderr, flush=True)
