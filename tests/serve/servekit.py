"""The machine surfaces' app: app.py with a login and an API token configured, so every route can
be checked with and without them (one per test module, see test_api.py)."""

from __future__ import annotations

import json
import socket
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from appkit import launch_app

TOKEN = "serve-test-token-7c1e"
USER, PASSWORD = "lee", "serve-pw-3f9"


@dataclass
class App:
    url: str  # ends with /
    corpus: Path
    tmp: Path

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {TOKEN}"}


@contextmanager
def running(tmp, settings):
    """app.py with UNTACT_QA_API_TOKEN and UNTACT_QA_USER/PASSWORD over copies of the corpus and index."""
    proc, url, corpus = launch_app(tmp, settings, {"UNTACT_QA_API_TOKEN": TOKEN, "UNTACT_QA_USER": USER,
                                                   "UNTACT_QA_PASSWORD": PASSWORD,
                                                   "GRADIO_TEMP_DIR": str(tmp / "gradio")})
    try:
        yield App(url, corpus, tmp)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def declared(url: str, path: str, length: int, headers: dict) -> tuple[int, dict]:
    """Status and JSON body of a POST that declares a *length*-byte body and sends only its
    first bytes (the server must refuse it from the header, without waiting for the rest)."""
    u = urllib.parse.urlsplit(url)
    with socket.create_connection((u.hostname, u.port), timeout=60) as sock:
        head = (f"POST {path} HTTP/1.1\r\nHost: {u.netloc}\r\nContent-Length: {length}\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n")
        sock.sendall(head.encode("latin-1") + b'{"question": "' + b"a" * 1000)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head_bytes, body = data.split(b"\r\n\r\n", 1)
    return int(head_bytes.split()[1]), json.loads(body)


def _length(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    return next((int(line.split(":", 1)[1]) for line in head.split("\r\n") if line.startswith("content-length:")), 0)
