"""The chat app as the UI, browser and fault tests run it: app.py on a free 127.0.0.1 port over
a copy of the corpus and the session's index, and the documents panel read back."""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from conftest import CORPUS, ROOT


def wait_for(predicate, timeout: float = 120, every: float = 0.1):
    """The first truthy value of *predicate*, polled every *every* s; TimeoutError after
    *timeout* s (a bound for a stuck run, not a guess of how long the thing takes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError("condition not met")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status in (200, 401):
                    return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


def launch_app(tmp, settings, extra_env=None):
    """Start app.py on a free 127.0.0.1 port over a copy of the corpus and index."""
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("uploads"))
    index = tmp / "index"
    shutil.copytree(settings.index_dir, index)  # reuse vectors: only new documents get embedded
    port = free_port()
    env = {**os.environ, "UNTACT_QA_CORPUS": str(corpus), "UNTACT_QA_INDEX": str(index),
           "UNTACT_QA_CACHE": str(settings.cache_dir), "UNTACT_QA_DATA": str(tmp / "data"),
           "GRADIO_ANALYTICS_ENABLED": "False", **(extra_env or {})}
    log = open(tmp / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_up(url, proc)
    except Exception:
        proc.kill()
        raise
    return proc, url, corpus


@contextmanager
def running_app(tmp, settings, extra_env=None):
    """:func:`launch_app` for the duration of the block: yields (url, corpus, tmp)."""
    proc, url, corpus = launch_app(tmp, settings, extra_env)
    try:
        yield url, corpus, tmp
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def doc_rows(table_html: str) -> dict[str, int]:
    """Document → chunk count from the documents panel."""
    return {html.unescape(d): int(n.replace(",", "")) for d, n in
            re.findall(r"<tr><td>(.*?)</td><td>[^<]*</td><td>([\d,]+)</td></tr>", table_html)}


