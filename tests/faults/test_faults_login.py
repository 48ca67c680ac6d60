"""Fault suite, login: every route but the login page and its static files needs it (issue 26
row 9: the heartbeat, reset, cancel and /openapi.json routes were open, and the login page
listed the documents in its API description), and wrong passwords are limited per client,
keyed on the connection's address (row 9: a rotated X-Forwarded-For escaped the lock-out)."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from appkit import launch_app

USER, PASSWORD = "kim", "s3cret-pw"
DOC = "untact-economy-report"  # a document of the corpus: its name is content too


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory, settings, built_index):
    """The app with a login, and a session cookie taken before any test locks 127.0.0.1 out."""
    tmp = tmp_path_factory.mktemp("fault-login")
    proc, url, corpus = launch_app(tmp, settings, {"UNTACT_QA_USER": USER, "UNTACT_QA_PASSWORD": PASSWORD,
                                                   "GRADIO_TEMP_DIR": str(tmp / "gradio")})
    code, _, headers = login(url, PASSWORD)
    assert code == 200
    cookie = "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie"))
    yield url, cookie
    proc.terminate()
    proc.wait(timeout=30)


def status_of(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def login(url: str, password: str, forwarded_for: str | None = None) -> tuple[int, bytes, dict]:
    body = urllib.parse.urlencode({"username": USER, "password": password}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return status_of(url + "login", body, headers)


def head_of(url: str, method: str, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    """The status of one request and, unless it succeeded, its (short) body: a route that
    answers with a stream (the heartbeat) is not read to its end."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        body, headers["Content-Type"] = b'{"data": [], "session_hash": "x", "event_id": "x", "fn_index": 0}', \
            "application/json"
    try:
        conn.request(method, path, body, headers)
        r = conn.getresponse()
        return r.status, (b"" if r.status < 300 else r.read(4096))
    finally:
        conn.close()


# What a browser without a session may fetch: the login page (its own assets) and the login
# itself. Everything else the server has must refuse it.
LOGIN_PAGE = {("GET", "/"), ("HEAD", "/"), ("POST", "/login"), ("POST", "/login/")}
LOGIN_ASSETS = ("/assets/", "/static/", "/favicon.ico", "/theme.css", "/manifest.json")


def test_every_api_route_needs_the_login(auth_app):
    """(already worked; kept so it cannot regress)"""
    url, _ = auth_app
    for path, body in (("config", None), ("gradio_api/info", None), ("gradio_api/call/ask", b'{"data": ["q"]}'),
                       ("gradio_api/queue/join", b'{"data": ["q", null, "hybrid", 5], "fn_index": 0, '
                                                 b'"session_hash": "x"}'),
                       ("gradio_api/upload", b"x"), ("gradio_api/file=/etc/passwd", None),
                       ("gradio_api/queue/data?session_hash=x", None)):
        code, data, _ = status_of(url + path, body, {"Content-Type": "application/json"} if body else None)
        assert code in (401, 403), (path, code)
        assert b"root:" not in data and "재택근무" not in data.decode("utf-8", "replace")


def test_every_route_but_the_login_page_needs_the_login(auth_app):
    """Every route the server has (its own list, so a route added later is covered too), with
    its path parameters filled in, refuses a request without the session cookie, and says nothing."""
    url, cookie = auth_app
    status, spec, _ = status_of(url + "openapi.json", headers={"Cookie": cookie})
    assert status == 200
    routes = {(m.upper(), p) for p, ops in json.loads(spec)["paths"].items() for m in ops}
    assert {("GET", "/gradio_api/heartbeat/{session_hash}"), ("POST", "/gradio_api/reset")} <= routes
    assert len(routes) > 50  # the whole list, not a few
    routes |= {("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/redoc"), ("GET", "/gradio_api/unknown")}
    opened = []
    for method, path in sorted(routes):
        if (method, path) in LOGIN_PAGE or (method in ("GET", "HEAD") and path.startswith(LOGIN_ASSETS)):
            continue
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        code, body = head_of(url, method, concrete)
        text = body.decode("utf-8", "replace")
        if code not in (401, 403) or len(body) > 300 or DOC in text or "재택" in text:
            opened.append((method, concrete, code, body[:80]))
    assert opened == []


def test_a_session_still_reaches_what_the_page_uses(auth_app):
    url, cookie = auth_app
    for method, path in (("GET", "/config"), ("GET", "/gradio_api/heartbeat/abcdefgh"), ("GET", "/gradio_api/info"),
                         ("POST", "/gradio_api/reset")):
        assert head_of(url, method, path, cookie)[0] == 200, path


def test_the_login_page_names_no_document_and_loads_its_assets(auth_app):
    """The login page is the one page served without a session: it must carry no content (its
    API description listed every document's name) and still get its scripts and styles."""
    url, _ = auth_app
    code, page, _ = status_of(url)
    html = page.decode("utf-8")
    assert code == 200 and '"auth_required":true' in html.replace(" ", "")
    assert DOC not in html and "/ask" not in html and "재택" not in html
    assets = re.findall(r'(?:src|href)="\./(assets/[^"]+)"', html)
    assert assets
    for asset in assets:
        assert status_of(url + asset)[0] == 200, asset


def test_wrong_passwords_lock_the_client_out(auth_app):
    """The client is the connection's address: a different X-Forwarded-For on every attempt
    (no proxy is configured) neither escapes the lock-out nor gets a locked client back in."""
    url, _ = auth_app
    codes = [login(url, f"wrong-{i}", f"198.51.100.{i}")[0] for i in range(5)]
    assert codes == [400] * 5
    code, body, headers = login(url, "wrong-again", "198.51.100.99")
    assert code == 429 and "로그인에 여러 번 실패했습니다" in json.loads(body)["detail"], body
    assert int(headers.get("retry-after") or headers.get("Retry-After")) >= 1
    assert login(url, PASSWORD, "192.0.2.1")[0] == 429  # locked out means locked out, even with the password
    assert login(url, PASSWORD)[0] == 429


def test_the_limiter_is_per_client_grows_and_forgets_after_success():
    from untact_qa.http_guard import LoginLimiter

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
