"""What a learned reader is (:class:`ReaderModel`) and what it reads and returns.

A reader model reads a question against *windows*: a few consecutive sentences of one
passage (a candidate sentence with its neighbours) under the passage's title. For every
sentence it gives a logit for "this sentence answers the question", for the window a logit
for "nothing here answers it", and inside every sentence the best answer phrase (character
offsets). Which sentences to read, and what to do with the scores, is the answer step's
business (:mod:`untact_qa.answer`); the model only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class Window:
    """Consecutive sentences of one passage, read together under *title*."""

    title: str  # the document's name and the passage's heading ("훈민정음 · 창제 배경")
    sentences: tuple[str, ...]


@dataclass
class WindowReading:
    """What the model says about one :class:`Window`."""

    sentence_logits: np.ndarray  # one per sentence: "this sentence answers the question"
    null_logit: float  # "no sentence of this window answers it"
    # best answer phrase inside each sentence: (start, end) characters of the sentence, and its score
    spans: list[tuple[int, int, float]] = field(default_factory=list)


@runtime_checkable
class ReaderModel(Protocol):
    """A cross-encoder over (question, window); see the module docstring."""

    model_id: str

    def warm_up(self) -> None:
        """Load (export first, if needed) the model; called before the first read."""

    def plan(self, question: str, title: str, sentences: list[str], centers: list[int]) -> list[tuple[int, int]]:
        """Runs ``(first, last)`` of *sentences* (one passage) to read as windows so that every
        center is read with its neighbours, within the model's length."""

    def read(self, question: str, windows: list[Window]) -> list[WindowReading]:
        """One :class:`WindowReading` per window, in order."""
