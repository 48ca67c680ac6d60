"""Progress of long work (embedding a corpus, an upload): a callback and a terminal bar.

A callback takes ``(stage, done, total)``; stages are ``"embed"`` (texts through the model)
and ``"write"`` (records into the store). The CLI draws :class:`ProgressBar`; the UI turns
the same calls into its upload status line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

ProgressFn = Callable[[str, int, int], None]

_LABELS = {"embed": "Embedding", "write": "Writing"}


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class ProgressBar:
    """``Embedding  1,200/7,118 texts  45.3 texts/s  ETA 2m11s`` on one stderr line.

    Redrawn at most every *interval* seconds (and at the end); on a terminal the line is
    rewritten in place, elsewhere (CI logs) each update is its own line.
    """

    def __init__(self, stream: TextIO | None = None, interval: float = 0.5, unit: str = "texts") -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self.unit = unit
        self._start: dict[str, float] = {}
        self._last = 0.0
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        start = self._start.setdefault(stage, now)
        finished = done >= total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        self.stream.write(("\r" if self._tty else "") + self.line(stage, done, total, now - start)
                          + ("\n" if finished or not self._tty else ""))
        self.stream.flush()

    def line(self, stage: str, done: int, total: int, elapsed: float) -> str:
        """The text of one update (rate and ETA once something is done)."""
        label = _LABELS.get(stage, stage)
        text = f"{label} {done:,}/{total:,} {self.unit}"
        if done and elapsed > 0:
            rate = done / elapsed
            text += f"  {rate:.1f} {self.unit}/s"
            text += f"  took {_duration(elapsed)}" if done >= total else f"  ETA {_duration((total - done) / rate)}"
        return text
