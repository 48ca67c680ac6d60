"""The reader network in torch: the lower layers of e5-small as a cross-encoder, plus three
small heads. Used to train (:mod:`untact_qa.readers.training`) and to export to ONNX once
(:mod:`untact_qa.readers.compose`); never at query time.

The layers are written out here (post-LayerNorm BERT, exact GELU, as in e5-small) with the
parameter names of the converted e5 folder, so base weights load by name and the export is
plain MatMul/Softmax that onnxruntime runs fast.

Heads, over the last layer's token states ``H``:

* sentence: each sentence's mean token state ``m`` with the window's first state ``c``,
  ``[m, c, m*c]`` → 384 → GELU → 1: "this sentence answers the question";
* null: ``c`` → 384 → GELU → 1: "nothing in this window answers it";
* span: every token → (start, end) logits of the answer phrase.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


class _SelfAttention(nn.Module):
    def __init__(self, h: int) -> None:
        super().__init__()
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)


class _DenseNorm(nn.Module):
    def __init__(self, n_in: int, h: int, eps: float) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)


class _Attention(nn.Module):
    def __init__(self, h: int, eps: float) -> None:
        super().__init__()
        self.self = _SelfAttention(h)
        self.output = _DenseNorm(h, h, eps)


class _Intermediate(nn.Module):
    def __init__(self, h: int, ff: int) -> None:
        super().__init__()
        self.dense = nn.Linear(h, ff)


class Layer(nn.Module):
    """One BERT layer (post-LayerNorm), parameter names as in ``encoder.layer.N``."""

    def __init__(self, h: int = 384, heads: int = 12, ff: int = 1536, eps: float = 1e-12, dropout: float = 0.1):
        super().__init__()
        self.heads = heads
        self.attention = _Attention(h, eps)
        self.intermediate = _Intermediate(h, ff)
        self.output = _DenseNorm(ff, h, eps)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        """*x* (batch, tokens, h); *bias* (batch, 1, 1, tokens): 0 for real tokens, -1e4 for padding."""
        b, t, h = x.shape
        d = h // self.heads
        sa = self.attention.self

        def split(y):
            return y.view(b, t, self.heads, d).transpose(1, 2)

        q, k, v = split(sa.query(x)), split(sa.key(x)), split(sa.value(x))
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
        att = self.drop(torch.softmax(att, dim=-1))
        ctx = torch.matmul(att, v).transpose(1, 2).reshape(b, t, h)
        ao = self.attention.output
        x = ao.LayerNorm(x + self.drop(ao.dense(ctx)))
        y = self.output.dense(F.gelu(self.intermediate.dense(x)))
        return self.output.LayerNorm(x + self.drop(y))


class _Embeddings(nn.Module):
    def __init__(self, vocab: int, h: int, positions: int, types: int, eps: float) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, h)
        self.position_embeddings = nn.Embedding(positions, h)
        self.token_type_embeddings = nn.Embedding(types, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class _Encoder(nn.Module):
    def __init__(self, layers: int, **kw) -> None:
        super().__init__()
        self.layer = nn.ModuleList([Layer(**kw) for _ in range(layers)])


class ReaderNet(nn.Module):
    """Embeddings and the first ``depth`` layers of e5-small, plus the heads. Layers below
    ``frozen`` are never trained: their output is computed once per training window and
    cached (:meth:`lower`), the rest (:meth:`upper`) is what training updates."""

    def __init__(self, depth: int, frozen: int, vocab: int = 250037, h: int = 384, heads: int = 12, ff: int = 1536,
                 positions: int = 512, types: int = 2, eps: float = 1e-12, dropout: float = 0.1) -> None:
        super().__init__()
        self.depth, self.frozen = depth, frozen
        self.embeddings = _Embeddings(vocab, h, positions, types, eps)
        self.encoder = _Encoder(depth, h=h, heads=heads, ff=ff, eps=eps, dropout=dropout)
        self.sentence_head = nn.Sequential(nn.Linear(3 * h, h), nn.GELU(), nn.Dropout(dropout), nn.Linear(h, 1))
        self.null_head = nn.Sequential(nn.Linear(h, h), nn.GELU(), nn.Dropout(dropout), nn.Linear(h, 1))
        self.span_head = nn.Linear(h, 2)

    @staticmethod
    def attention_bias(mask: torch.Tensor) -> torch.Tensor:
        """Additive attention bias from a (batch, tokens) 0/1 mask."""
        return ((1.0 - mask.to(torch.float32)) * -1e4)[:, None, None, :]

    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Token states after the frozen layers."""
        bias = self.attention_bias(mask)
        x = self.embeddings(ids)
        for layer in self.encoder.layer[: self.frozen]:
            x = layer(x, bias)
        return x

    def upper(self, x: torch.Tensor, mask: torch.Tensor, smask: torch.Tensor):
        """The trained layers and the heads: ``(sentence logits (b, s), null logits (b,),
        start logits (b, t), end logits (b, t))``. *smask* (b, s, t) averages each sentence's tokens."""
        bias = self.attention_bias(mask)
        for layer in self.encoder.layer[self.frozen:]:
            x = layer(x, bias)
        cls = x[:, 0]
        pooled = torch.matmul(smask, x)  # (b, s, h)
        c = cls.unsqueeze(1).expand_as(pooled)
        sent = self.sentence_head(torch.cat([pooled, c, pooled * c], dim=-1)).squeeze(-1)
        null = self.null_head(cls).squeeze(-1)
        se = self.span_head(x)
        return sent, null, se[..., 0], se[..., 1]

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, smask: torch.Tensor):
        return self.upper(self.lower(ids, mask), mask, smask)

    def trained_state(self) -> dict[str, torch.Tensor]:
        """The parameters training changes (the upper layers and the heads): what is shipped."""
        keep = tuple(f"encoder.layer.{i}." for i in range(self.frozen, self.depth)) + \
            ("sentence_head.", "null_head.", "span_head.")
        return {k: v.detach().clone() for k, v in self.state_dict().items() if k.startswith(keep)}


def load_base(net: ReaderNet, base_file) -> None:
    """Embeddings and layers from the converted e5 ``model.safetensors`` (by name)."""
    from safetensors.torch import load_file

    base = load_file(str(base_file))
    own = net.state_dict()
    wanted = {k: v for k, v in base.items() if k in own}
    missing = [k for k in own if k.startswith(("embeddings.", "encoder.")) and k not in wanted]
    if missing:
        raise KeyError(f"base model lacks {missing[:3]}")
    net.load_state_dict(wanted, strict=False)
