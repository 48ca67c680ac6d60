"""Fault suite, login: every API route needs it (already worked), wrong passwords are
limited per client (new)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from appkit import launch_app

USER, PASSWORD = "kim", "s3cret-pw"


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory, settings, built_index):
    tmp = tmp_path_factory.mktemp("fault-login")
    proc, url, corpus = launch_app(tmp, settings, {"UNTACT_QA_USER": USER, "UNTACT_QA_PASSWORD": PASSWORD,
                                                   "GRADIO_TEMP_DIR": str(tmp / "gradio")})
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def status_of(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def login(url: str, password: str) -> tuple[int, bytes, dict]:
    body = urllib.parse.urlencode({"username": USER, "password": password}).encode()
    return status_of(url + "login", body, {"Content-Type": "application/x-www-form-urlencoded"})


def test_every_api_route_needs_the_login(auth_app):
    """(already worked; kept so it cannot regress)"""
    url = auth_app
    for path, body in (("config", None), ("gradio_api/info", None), ("gradio_api/call/ask", b'{"data": ["q"]}'),
                       ("gradio_api/queue/join", b'{"data": ["q", null, "hybrid", 5], "fn_index": 0, '
                                                 b'"session_hash": "x"}'),
                       ("gradio_api/upload", b"x"), ("gradio_api/file=/etc/passwd", None),
                       ("gradio_api/queue/data?session_hash=x", None)):
        code, data, _ = status_of(url + path, body, {"Content-Type": "application/json"} if body else None)
        assert code in (401, 403), (path, code)
        assert b"root:" not in data and "재택근무" not in data.decode("utf-8", "replace")


def test_wrong_passwords_lock_the_client_out(auth_app):
    url = auth_app
    codes = [login(url, f"wrong-{i}")[0] for i in range(5)]
    assert codes == [400] * 5
    code, body, headers = login(url, "wrong-again")
    assert code == 429 and "로그인에 여러 번 실패했습니다" in json.loads(body)["detail"], body
    assert int(headers.get("retry-after") or headers.get("Retry-After")) >= 1
    assert login(url, PASSWORD)[0] == 429  # locked out means locked out, even with the password


def test_the_limiter_is_per_client_grows_and_forgets_after_success():
    from untact_qa.login_limit import LoginLimiter

    now = [0.0]
    lim = LoginLimiter(free=3, base=10, cap=40, clock=lambda: now[0])
    for _ in range(2):
        lim.failed("a")
    assert lim.wait_seconds("a") == 0
    lim.failed("a")
    assert lim.wait_seconds("a") == 10 and lim.wait_seconds("b") == 0  # another client is not affected
    now[0] = 11
    assert lim.wait_seconds("a") == 0
    lim.failed("a")
    assert lim.wait_seconds("a") == 20  # doubles
    for _ in range(5):
        lim.failed("a")
    assert lim.wait_seconds("a") == 40  # capped
    lim.succeeded("a")
    assert lim.wait_seconds("a") == 0
    lim.failed("a")
    assert lim.wait_seconds("a") == 0  # counting starts again
