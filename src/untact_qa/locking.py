"""One writer at a time per index folder, across processes.

A build (``untact-qa build``, an upload in the UI, ``serve`` building on its first run)
holds an exclusive :func:`fcntl.flock` on ``<index>/.lock`` from before it reads the
previous version until the new one is live. A second writer waits, saying who holds the
lock (pid, host, since when, which command), and gives up with a clear error after
``UNTACT_QA_LOCK_TIMEOUT`` seconds (default 600). The kernel releases the lock when its
holder exits, however it exits (kill -9 included), so a lock is never left stale.
Readers take no lock: a version folder is complete before ``CURRENT`` names it.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

from .errors import StoreError

LOCK_NAME = ".lock"
DEFAULT_TIMEOUT = 600.0


def lock_timeout() -> float:
    """Seconds a writer waits for the lock (``UNTACT_QA_LOCK_TIMEOUT``)."""
    from .config import env_number

    return env_number("UNTACT_QA_LOCK_TIMEOUT", float, minimum=0)


def ensure_writable(index_dir: Path) -> None:
    """Fail fast, before any embedding work, when *index_dir* cannot be written."""
    index_dir = Path(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        # A unique name per call: the background merge thread and an upload in the same process probe at
        # the same time, and a pid-only name let one unlink the other's probe (a false "not writable").
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=index_dir)
        try:
            os.write(fd, b"ok")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        import errno

        from .errors import disk_error

        reason = exc.strerror or type(exc).__name__
        # a full disk needs space, not permissions: say which (the same words as every other write)
        ko = (disk_error(exc, where=index_dir, kept_ko="색인은 바뀌지 않았습니다.").korean()
              if exc.errno in (errno.ENOSPC, errno.EDQUOT) else
              f"색인 폴더 {index_dir}/에 쓸 수 없습니다 ({reason}). 쓰기 권한을 확인해 주세요. 색인은 바뀌지 않았습니다.")
        raise IndexNotWritable(
            f"cannot write the index folder {index_dir}/ ({reason}); make it writable (or free space), or pass "
            f"--index DIR (or set UNTACT_QA_INDEX) to build somewhere else",
            ko=ko, reason=f"cannot write the index folder {index_dir}/ ({reason})",
        ) from exc


class IndexNotWritable(StoreError):
    """The index folder is read-only (or on a full or missing disk)."""


class IndexBusy(StoreError):
    """Another process holds the index lock for longer than we wait."""


def describe_holder(info: dict) -> str:
    if not info:
        return "another process"
    return (f"pid {info.get('pid', '?')} on {info.get('host', '?')} since {info.get('started', '?')}"
            + (f" ({info['command']})" if info.get("command") else ""))


class IndexLock:
    """``with IndexLock(index_dir): ...`` — the exclusive writer lock of one index folder.

    *say* is called once with a human-readable line when the lock is held by someone else
    and we start waiting (default: print to stderr).
    """

    def __init__(self, index_dir: Path, timeout: float | None = None, say=None, command: str | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / LOCK_NAME
        self.timeout = lock_timeout() if timeout is None else timeout
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.command = command if command is not None else " ".join(Path(a).name if i == 0 else a
                                                                     for i, a in enumerate(sys.argv[:3]))
        self._fd: int | None = None
        self._depth = 0

    def holder(self) -> dict:
        """What the current holder wrote into the lock file ({} when unknown)."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}

    def acquire(self) -> None:
        if self._depth:
            self._depth += 1  # re-entrant within one object (a build inside an upload)
            return
        ensure_writable(self.index_dir)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        told = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                        raise
                who = describe_holder(self.holder())
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"the index {self.index_dir}/ is being written by {who}; waited {self.timeout:.0f} s. "
                        f"Try again when it has finished (the lock frees itself when that process exits), "
                        f"or raise UNTACT_QA_LOCK_TIMEOUT",
                        ko=f"다른 작업({who})이 색인을 쓰고 있어 {self.timeout:.0f}초 기다렸지만 끝나지 않았습니다. "
                           f"잠시 후 다시 시도해 주세요. 색인은 바뀌지 않았습니다.")
                if not told:
                    self.say(f"Waiting for the index lock on {self.index_dir}/: held by {who}…")
                    told = True
                time.sleep(0.2)
            info = {"pid": os.getpid(), "host": socket.gethostname(),
                    "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "command": self.command}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._depth = 1

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> IndexLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
