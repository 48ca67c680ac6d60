"""A milvus-lite server in a subprocess on 127.0.0.1, for the store contract tests and the
Milvus bench (one process per data folder is milvus-lite's rule, so a server is how several
processes share one store). Not part of the product: a real deployment runs Milvus itself."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from untact_qa.errors import ConfigError, StoreError


@contextmanager
def lite_server(data_dir: str | Path, host: str = "127.0.0.1", port: int | None = None,
                timeout: float = 60.0) -> Iterator[str]:
    """Run ``milvus-lite server`` on *data_dir* for the duration of the block; yields its URI."""
    import shutil
    import socket
    import subprocess
    import sys

    if port is None:
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "milvus-lite"
    exe = str(exe) if exe.exists() else shutil.which("milvus-lite")
    if not exe:
        raise ConfigError("milvus-lite is not installed: pip install 'untact-qa[milvus]'")
    proc = subprocess.Popen([exe, "server", "--data-dir", str(data_dir), "--host", host, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise StoreError("milvus-lite server exited: "
                                      + proc.stderr.read().decode(errors="replace")[-500:]) from None
                if time.time() > deadline:
                    raise StoreError(f"milvus-lite server did not listen on {host}:{port} "
                                      f"within {timeout:.0f} s") from None
                time.sleep(0.2)
        yield f"http://{host}:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
