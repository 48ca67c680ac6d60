"""Readers: learned models that read a question against candidate sentences (with their
neighbours and the passage's title), chosen by name from a small registry:

* ``e5-reader-int8`` (the default) — the reader trained here (``untact-qa train-reader``),
  the lower layers of the bundled e5-small plus trained upper layers and heads, exported
  once to ONNX and quantised to int8, run by onnxruntime (:mod:`untact_qa.readers.onnx`);
* ``e5-reader-fp32`` — the same export without quantisation.

Which reader answers is part of the fitted calibration (``reader`` in ``calibration.json``),
because the answer and abstention models are fitted on that reader's scores. The answer step
(:mod:`untact_qa.answer`) decides which sentences are read and how the scores are used.
"""

from __future__ import annotations

from pathlib import Path

from .base import ReaderModel, Window, WindowReading

__all__ = ["REGISTRY", "ReaderModel", "Window", "WindowReading", "make_reader"]


def _onnx(name: str, cache_dir: Path, artifact: str | Path | None):
    from .onnx import OnnxReader

    return OnnxReader(name, cache_dir, artifact)


def _registry() -> dict:
    from .onnx import MODEL_IDS  # cheap: onnxruntime itself loads on warm_up

    return dict.fromkeys(MODEL_IDS, _onnx)


REGISTRY = _registry()
_loaded: dict[tuple, ReaderModel] = {}


def make_reader(spec: dict | None, cache_dir: Path = Path(".cache")) -> ReaderModel | None:
    """The reader a calibration names (``{"name": …, "artifact": folder or null}``), or None
    for a calibration fitted without one. One instance per (name, folder, cache) per process:
    engines over several indexes share its session."""
    if not spec:
        return None
    name = spec.get("name")
    if name not in REGISTRY:
        from ..errors import ConfigError

        raise ConfigError(f"unknown reader {name!r} in the calibration; known: {', '.join(REGISTRY)}")
    key = (name, str(spec.get("artifact") or ""), str(Path(cache_dir).resolve()))
    if key not in _loaded:
        _loaded[key] = REGISTRY[name](name, Path(cache_dir), spec.get("artifact"))
    return _loaded[key]
