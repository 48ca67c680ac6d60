"""The trained reader through onnxruntime: what reads at query time (no torch).

:meth:`OnnxReader.warm_up` exports the shipped artifact once (:mod:`.compose`, with torch)
and opens one session; :meth:`OnnxReader.read` tokenises the windows (:mod:`.inputs`), runs
them as one batch and picks each sentence's best answer phrase.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .artifact import Artifact, load_artifact
from .base import Window, WindowReading
from .inputs import WindowEncoder, best_span, pad, plan_for, span_chars

INT8_ID = "e5-reader-int8"
FP32_ID = "e5-reader-fp32"
MODEL_IDS = (INT8_ID, FP32_ID)
# Windows per onnxruntime run: one run of a few windows keeps both cores busy; a longer
# batch only pads more.
_BATCH = 8


class OnnxReader:
    """:class:`~untact_qa.readers.base.ReaderModel` backed by the exported reader."""

    def __init__(self, model: str = INT8_ID, cache_dir: Path = Path(".cache"), artifact: str | Path | None = None,
                 threads: int | None = None) -> None:
        if model not in MODEL_IDS:
            raise ModelError(f"unknown reader {model!r}; use one of {', '.join(MODEL_IDS)}")
        self.model_id = model
        self.cache_dir = Path(cache_dir)
        self._artifact_dir = artifact
        self._threads = threads
        self._file = "model-int8.onnx" if model == INT8_ID else "model.onnx"
        self._session = None
        self.encoder: WindowEncoder | None = None
        self.artifact: Artifact | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Export the artifact on first use (once per machine), then open the session."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ModelError("the reader needs onnxruntime: pip install -e .") from exc
            from ..encoders.base import thread_count
            from ..encoders.onnx import OnnxEmbedder
            from .compose import export, export_folder, is_exported

            artifact = load_artifact(self._artifact_dir)
            folder = export_folder(self.cache_dir, artifact)
            if not is_exported(folder, artifact):
                folder = export(artifact, self.cache_dir)
            try:
                # the encoder's session options (no spinning idle threads: see OnnxEmbedder._options)
                options = OnnxEmbedder._options(self._threads or thread_count())
                session = ort.InferenceSession(str(folder / self._file), options, providers=["CPUExecutionProvider"])
            except Exception as exc:  # noqa: BLE001 - a corrupt cache file: say how to recover
                raise ModelError(f"cannot load {folder / self._file} ({type(exc).__name__}: {exc}); delete "
                                 f"{folder} and it is exported again") from exc
            tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tok.no_padding()
            tok.no_truncation()
            self.encoder = WindowEncoder(tok)
            self.artifact = artifact
            self._session = session

    def run(self, ids: np.ndarray, mask: np.ndarray, smask: np.ndarray):
        """Raw outputs ``(sentence, null, start, end)`` logits for padded inputs."""
        return self._session.run(None, {"input_ids": ids, "attention_mask": mask, "sentence_mask": smask})

    def plan(self, question: str, title: str, sentences: list[str], centers: list[int]) -> list[tuple[int, int]]:
        """Windows of one passage around *centers* (see :func:`~untact_qa.readers.inputs.plan_windows`)."""
        self.warm_up()
        return plan_for(self.encoder, question, title, sentences, centers)

    def read(self, question: str, windows: list[Window]) -> list[WindowReading]:
        """Score every sentence of every window, and find each sentence's answer phrase."""
        self.warm_up()
        if not windows:
            return []
        encoded = [self.encoder.encode(question, w) for w in windows]
        out: list[WindowReading] = []
        # similar lengths together: less padding
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i].ids))
        got: dict[int, WindowReading] = {}
        for at in range(0, len(order), _BATCH):
            part = order[at:at + _BATCH]
            ids, mask, smask = pad([encoded[i] for i in part])
            sent, null, start, end = self.run(ids, mask, smask)
            for row, i in enumerate(part):
                e = encoded[i]
                n = len(windows[i].sentences)
                logits = np.full(n, -1e4, dtype=np.float32)
                spans = []
                for k in range(n):
                    a, z = e.ranges[k] if k < len(e.ranges) else (0, 0)
                    if z <= a:
                        spans.append((0, 0, float("-inf")))
                        continue
                    logits[k] = sent[row, k]
                    ti, tj, score = best_span(start[row], end[row], (a, z))
                    cs, ce = span_chars(e, k, ti, tj)
                    spans.append((cs, ce, score))
                got[i] = WindowReading(logits, float(null[row]), spans)
        out = [got[i] for i in range(len(windows))]
        return out
