"""Votes (👍/👎) on answers, kept in a bounded JSON-lines file.

One row per answer: a changed vote replaces the earlier row of the same answer (the key is
a hash of its question, searched query, answer text and time), so clicking 200 times
adds nothing. The file is rotated when it passes ``max_bytes`` (``feedback.jsonl`` →
``feedback.1.jsonl`` → … ``feedback.<keep>.jsonl``, the oldest dropped), so the feedback
never takes more than ``(keep + 1) × max_bytes`` of disk: a row is capped (its texts, its
citations, and as a whole at :data:`MAX_ROW_BYTES` or ``max_bytes``, whichever is smaller),
so no single row can pass a file's size, whatever turn is voted on. Writes are atomic (a
temp file renamed over the old one; on a full disk it is removed and the old file kept) and
serialised within the process and, with ``flock``, across processes sharing the folder.
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

from .errors import disk_error
from .sanitize import MAX_CITATIONS, clean_text

MAX_BYTES = 1024 * 1024
KEEP = 3
# A row is raw material for new eval questions: the question, what was searched, the answer
# and where it was cited from. A real one is a few KB (an answer quotes one or two passages,
# a summary six sentences); these caps only bite on a crafted turn.
MAX_ROW_BYTES = 64 * 1024
ROW_CHARS = {"question": 2_000, "searched_query": 2_000, "answer": 8_000}
DOC_CHARS = 500
_lock = threading.Lock()


def answer_key(turn: dict) -> str:
    """Which answer a vote is about (the same answer voted again has the same key)."""
    parts = [turn.get("question", ""), turn.get("searched_query", ""), turn.get("answer", ""), turn.get("time", "")]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=True).encode()).hexdigest()[:24]


def feedback_row(turn: dict, vote: str) -> dict:
    """The row of a vote: the turn's texts (each capped, see :data:`ROW_CHARS`) and its
    first :data:`~untact_qa.sanitize.MAX_CITATIONS` citations (document and lines)."""
    cites = turn["citations"]
    row = {"key": answer_key(turn), "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "vote": vote,
           **{k: clean_text(turn[k])[:n] for k, n in ROW_CHARS.items()}, "abstained": bool(turn["abstained"]),
           "citations": [{"n": c["n"], "doc": clean_text(c["doc"])[:DOC_CHARS], "lines": list(c["lines"])[:2]}
                         for c in cites[:MAX_CITATIONS]]}
    if len(cites) > MAX_CITATIONS:
        row["citations_dropped"] = len(cites) - MAX_CITATIONS
    return row


def row_line(row: dict, limit: int = MAX_ROW_BYTES) -> str | None:
    """*row* as one JSON line of at most *limit* bytes: citations are halved, then the
    longest text, until it fits (what was cut is counted in the row); None if even the
    bare row does not fit."""
    row = dict(row)
    while True:
        line = json.dumps(row, ensure_ascii=False) + "\n"
        if len(line.encode()) <= limit:
            return line
        if row["citations"]:
            keep = len(row["citations"]) // 2
            row["citations_dropped"] = row.get("citations_dropped", 0) + len(row["citations"]) - keep
            row["citations"] = row["citations"][:keep]
            continue
        longest = max(ROW_CHARS, key=lambda k: len(row[k]))
        if not row[longest]:
            return None
        row[longest] = row[longest][:len(row[longest]) // 2]
        row["truncated"] = True


def record(path: Path, turn: dict, vote: str, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> None:
    """Write *vote* on *turn*, replacing an earlier vote on the same answer.

    Raises :class:`~untact_qa.errors.DiskError` when the folder cannot be written (a full
    disk); the feedback files are then as they were."""
    path = Path(path)
    row = feedback_row(turn, vote)
    line = row_line(row, min(MAX_ROW_BYTES, max_bytes))
    if line is None:  # max_bytes smaller than a bare row: nothing can be kept within it
        return
    try:
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
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.writelines(kept)
                    f.write(line)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise disk_error(exc, kept="the earlier votes are kept",
                         kept_ko="이전 평가 기록은 그대로입니다.") from exc


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
