"""Fault suite, issue 26 row 9 (HTTP): request bodies over the limit are refused from their
headers or as they stream in, never read whole; an upload request carries one file at most;
the login limiter believes X-Forwarded-For only from a configured proxy (untact_qa.http_guard).

Requests are written on a raw socket so that a body can be declared and never sent, or
streamed without an end: a server that waits for the whole body never answers, and the test
fails at its (generous) socket bound instead of passing."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.parse
from pathlib import Path

import pytest

from appkit import launch_app

USER, PASSWORD = "kim", "s3cret-pw"
MB = 1024 * 1024
BOUND = 120  # seconds a stuck server is waited for: a bound, not a guess of how long it takes


@pytest.fixture(scope="module")
def proxied_app(tmp_path_factory, settings, built_index):
    """A server with a login, behind a (pretend) proxy on 127.0.0.1, and a session cookie taken
    before any test can lock 127.0.0.1 out of the login."""
    tmp = tmp_path_factory.mktemp("fault-http")
    proc, url, _ = launch_app(tmp, settings, {"UNTACT_QA_USER": USER, "UNTACT_QA_PASSWORD": PASSWORD,
                                              "UNTACT_QA_TRUSTED_PROXIES": "127.0.0.1",
                                              "GRADIO_TEMP_DIR": str(tmp / "gradio")})
    code, _, cookie = login(url, PASSWORD)
    assert code == 200 and cookie
    yield url, cookie, tmp / "gradio"
    proc.terminate()
    proc.wait(timeout=30)


def login(url: str, password: str, forwarded_for: str | None = None) -> tuple[int, bytes, str]:
    """POST /login: the status, the body and the session cookie (a Cookie header value)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=BOUND)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    try:
        conn.request("POST", "/login", urllib.parse.urlencode({"username": USER, "password": password}), headers)
        r = conn.getresponse()
        cookies = [c.split(";", 1)[0] for c in r.headers.get_all("Set-Cookie") or []]
        return r.status, r.read(), "; ".join(cookies)
    finally:
        conn.close()


def raw_request(url: str, method: str, path: str, headers: dict, body_parts=()) -> tuple[int, dict, bytes]:
    """Send the request line and *headers*, then *body_parts* from another thread (the server may
    stop reading them), and read the response: (status, headers, body)."""
    u = urllib.parse.urlsplit(url)
    sock = socket.create_connection((u.hostname, u.port), timeout=BOUND)
    head = f"{method} {path} HTTP/1.1\r\nHost: {u.netloc}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sock.sendall(head.encode("latin-1") + b"\r\n")

    def feed():
        try:
            for part in body_parts:
                sock.sendall(part)
        except OSError:  # the server answered and closed: what is left is not wanted
            pass

    sender = threading.Thread(target=feed, daemon=True)
    sender.start()
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"the server closed without an answer: {data!r}"
            data += chunk
        head_bytes, body = data.split(b"\r\n\r\n", 1)
        lines = head_bytes.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        got = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(got.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return status, got, body
    finally:
        sock.close()
        sender.join(timeout=BOUND)


def chunked(total: int, piece: bytes, end: bool) -> list[bytes]:
    """*total* bytes of *piece* as HTTP chunks, with the closing chunk only when *end*."""
    step = 256 * 1024
    data = (piece * (step // len(piece) + 1))[:step]
    parts = [b"%x\r\n%s\r\n" % (min(step, total - i), data[: min(step, total - i)]) for i in range(0, total, step)]
    return parts + ([b"0\r\n\r\n"] if end else [])


def refused_as_too_large(status: int, body: bytes) -> str:
    assert status == 413, (status, body[:300])
    detail = json.loads(body)["detail"]
    assert "너무 큽니다" in detail and "too large" in detail, detail
    assert len(body) < 1000  # a short error, nothing echoed back
    return detail


def test_a_30_mb_question_is_refused_from_its_headers(proxied_app):
    """Before: the 30 MB body was read, parsed, searched and echoed back (16 s). Now the
    Content-Length alone refuses it: the body is never sent here, and the answer still comes."""
    from untact_qa.http_guard import REQUEST_BYTES

    url, cookie, _ = proxied_app
    status, _, body = raw_request(url, "POST", "/gradio_api/queue/join",
                                  {"Cookie": cookie, "Content-Type": "application/json",
                                   "Content-Length": str(30 * MB)}, [b'{"data": ["' + b"a" * 1000])
    detail = refused_as_too_large(status, body)
    assert f"{REQUEST_BYTES // MB} MB" in detail


def test_a_streamed_body_is_counted_as_it_arrives(proxied_app):
    """No Content-Length (chunked): the body is refused once it passes the limit, without its end."""
    from untact_qa.http_guard import REQUEST_BYTES

    url, cookie, _ = proxied_app
    status, _, body = raw_request(url, "POST", "/gradio_api/queue/join",
                                  {"Cookie": cookie, "Content-Type": "application/json",
                                   "Transfer-Encoding": "chunked"},
                                  [b'5\r\n{"a":\r\n'] + chunked(REQUEST_BYTES + MB, b"x", end=False))
    refused_as_too_large(status, body)


def test_what_the_page_sends_is_under_the_limit(proxied_app):
    """The page's restore of a saved conversation just under the limit (far over what the
    browser can hold) is still read and queued."""
    from untact_qa.http_guard import REQUEST_BYTES

    url, cookie, _ = proxied_app
    status, _, config = raw_request(url, "GET", "/config", {"Cookie": cookie})
    assert status == 200
    restore = next(d["id"] for d in json.loads(config)["dependencies"] if "localStorage.getItem" in (d.get("js") or ""))
    turn = {"id": 1, "question": "재택근무 실시율은?", "answer": "가" * 1000, "citations": [], "abstained": False}
    per_turn = len(json.dumps(json.dumps(turn, ensure_ascii=False), ensure_ascii=False).encode()) + 2
    saved = json.dumps([turn] * ((REQUEST_BYTES - 64 * 1024) // per_turn), ensure_ascii=False)
    payload = json.dumps({"data": [[], saved], "fn_index": restore, "trigger_id": None,
                          "session_hash": "underlimit1", "event_data": None}, ensure_ascii=False).encode()
    assert REQUEST_BYTES - 2 * MB < len(payload) < REQUEST_BYTES
    status, _, body = raw_request(url, "POST", "/gradio_api/queue/join",
                                  {"Cookie": cookie, "Content-Type": "application/json",
                                   "Content-Length": str(len(payload))}, [payload])
    assert status == 200 and "event_id" in json.loads(body), (status, body[:300])


def multipart(files: list[tuple[str, bytes]], boundary: str = "uqa-boundary-7f3a") -> tuple[str, bytes]:
    out = b""
    for name, content in files:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                f"Content-Type: text/plain\r\n\r\n").encode() + content + b"\r\n"
    return f"multipart/form-data; boundary={boundary}", out + f"--{boundary}--\r\n".encode()


def marked_files(folder: Path, marker: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.open("rb").read(len(marker)) == marker]


def test_an_upload_request_carries_one_document_at_most(proxied_app):
    """Before: /gradio_api/upload took up to 1,000 files of 5 MB each in one request (Gradio
    limits each file, not the request). Now a request over one file at the upload limit is
    refused, declared or streamed, and the files Gradio began to write are removed."""
    url, cookie, cache = proxied_app
    marker = b"UQA-MANY-FILES "
    content_type, body = multipart([(f"doc{i}.txt", marker * (3 * MB // len(marker))) for i in range(3)])
    status, _, answer = raw_request(url, "POST", "/gradio_api/upload",
                                    {"Cookie": cookie, "Content-Type": content_type,
                                     "Content-Length": str(len(body))}, [body])
    refused_as_too_large(status, answer)
    step = 256 * 1024
    pieces = [body[i:i + step] for i in range(0, len(body), step)]
    status, _, answer = raw_request(url, "POST", "/gradio_api/upload",
                                    {"Cookie": cookie, "Content-Type": content_type, "Transfer-Encoding": "chunked"},
                                    [b"%x\r\n%s\r\n" % (len(p), p) for p in pieces] + [b"0\r\n\r\n"])
    refused_as_too_large(status, answer)
    assert marked_files(cache, marker) == []


def test_one_oversized_file_is_refused_before_the_whole_file_is_read(proxied_app):
    """(already worked: Gradio checks each file's size as it streams in; kept so it cannot
    regress) a 30 MB file, streamed with no end, is refused."""
    url, cookie, cache = proxied_app
    marker = b"UQA-ONE-BIG-FILE "
    content_type, head = multipart([("big.txt", b"")])
    head = head[: head.index(b"\r\n\r\n") + 4]  # the part's headers, then the file's bytes stream on
    status, _, answer = raw_request(url, "POST", "/gradio_api/upload",
                                    {"Cookie": cookie, "Content-Type": content_type, "Transfer-Encoding": "chunked"},
                                    [b"%x\r\n%s\r\n" % (len(head), head)] + chunked(30 * MB, marker, end=False))
    assert status == 413, (status, answer[:300])
    assert marked_files(cache, marker) == []


def test_a_trusted_proxy_s_forwarded_for_is_believed(proxied_app):
    """UNTACT_QA_TRUSTED_PROXIES=127.0.0.1: the clients behind the proxy are told apart by the
    address the proxy appends (the last one), so one locked-out client does not lock out the
    others, and a value the client put in front of it changes nothing."""
    url, cookie, _ = proxied_app
    codes = [login(url, f"wrong-{i}", f"10.9.{i}.1, 203.0.113.7")[0] for i in range(5)]
    assert codes == [400] * 5
    assert login(url, "wrong-again", "10.9.99.1, 203.0.113.7")[0] == 429
    assert login(url, PASSWORD, "203.0.113.7")[0] == 429
    assert login(url, "wrong", "203.0.113.8")[0] == 400  # another client behind the proxy
    assert login(url, PASSWORD, "203.0.113.9")[0] == 200
