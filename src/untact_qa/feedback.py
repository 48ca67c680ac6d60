"""Votes (👍/👎) on answers, kept in a bounded JSON-lines file.

One row per answer: a changed vote replaces the earlier row of the same answer (the key is
a hash of its question, searched query, answer text and time), so clicking 200 times
adds nothing. The file is rotated when it passes ``max_bytes`` (``feedback.jsonl`` →
``feedback.1.jsonl`` → … ``feedback.<keep>.jsonl``, the oldest dropped), so the feedback
never takes more than ``(keep + 1) × max_bytes`` of disk. Writes are atomic (a temp file
renamed over the old one) and serialised within the process and, with ``flock``, across
processes sharing the folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from .sanitize import clean_text

MAX_BYTES = 1024 * 1024
KEEP = 3
_lock = threading.Lock()


def answer_key(turn: dict) -> str:
    """Which answer a vote is about (the same answer voted again has the same key)."""
    parts = [turn.get("question", ""), turn.get("searched_query", ""), turn.get("answer", ""), turn.get("time", "")]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=True).encode()).hexdigest()[:24]


def feedback_row(turn: dict, vote: str) -> dict:
    return {"key": answer_key(turn), "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "vote": vote,
            "question": clean_text(turn["question"]), "searched_query": clean_text(turn["searched_query"]),
            "answer": clean_text(turn["answer"]), "abstained": turn["abstained"],
            "citations": [{"n": c["n"], "doc": clean_text(c["doc"]), "lines": c["lines"]} for c in turn["citations"]]}


def record(path: Path, turn: dict, vote: str, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> None:
    """Write *vote* on *turn*, replacing an earlier vote on the same answer."""
    path = Path(path)
    row = feedback_row(turn, vote)
    line = json.dumps(row, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(path.with_name(path.name + ".lock"), "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
        except FileNotFoundError:
            rows = []
        kept = [r for r in rows if _key(r) != row["key"]]
        if kept and sum(len(r.encode()) for r in kept) + len(line.encode()) > max_bytes:
            _rotate(path, keep)
            kept = []
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(kept)
            f.write(line)
        os.replace(tmp, path)


def _key(line: str) -> str | None:
    try:
        return json.loads(line).get("key")
    except (ValueError, AttributeError):
        return None


def _rotate(path: Path, keep: int) -> None:
    """feedback.jsonl → feedback.1.jsonl → … → feedback.<keep>.jsonl; the oldest is dropped."""
    def nth(i: int) -> Path:
        return path.with_name(f"{path.stem}.{i}{path.suffix}")

    nth(keep).unlink(missing_ok=True)
    for i in range(keep - 1, 0, -1):
        if nth(i).exists():
            os.replace(nth(i), nth(i + 1))
    if keep >= 1 and path.exists():
        os.replace(path, nth(1))
    else:
        path.unlink(missing_ok=True)
