"""The guards in front of the Gradio app, as ASGI middleware (installed by ``ui.serve``, in
this order):

* :class:`LoginRequiredMiddleware`: with a login configured, every route but the login page
  and the static files it loads refuses a request without a valid session cookie. Gradio
  checks its login route by route and leaves some open (the heartbeat, ``/reset``,
  ``/cancel``, ``/openapi.json``, …); the login page's own API description listed every
  document's name. With an API token configured (``UNTACT_QA_API_TOKEN``), the machine
  routes (:data:`API_PREFIXES`: the JSON API, the OpenAI-compatible route, MCP) refuse a
  request that carries neither ``Authorization: Bearer <token>`` nor a session (the page's
  own routes keep asking for the login: Gradio checks its session itself).
* :class:`LoginLimitMiddleware`: wrong passwords are limited per client (:class:`LoginLimiter`).
* :class:`BodyLimitMiddleware`: a request body over the limit is refused from its
  ``Content-Length``, or as it streams in, before it is read whole.

The client is ``scope["client"]``, the connection's peer: uvicorn replaces it with the address
in X-Forwarded-For only for a peer in ``FORWARDED_ALLOW_IPS``, which ``serve`` sets from
``UNTACT_QA_TRUSTED_PROXIES`` (empty by default, see :meth:`ServeConfig.trust_proxies
<untact_qa.config.ServeConfig.trust_proxies>`).
"""

from __future__ import annotations

import hmac
import inspect
import json
import re
import threading
import time

from starlette.formparsers import MultiPartException
from starlette.requests import Request, cookie_parser

MB = 1024 * 1024
# The largest body the page sends is the sidebar's: the saved conversations (up to 30 of up to
# 50 turns) it reads from localStorage. 50 turns measured 0.30 MB as the page sends them (real
# answers, 10 passages each) and 0.43 MB with every question at its 500-character cap; but
# localStorage holds ~5 MB per site, where Gradio keeps them AES-encrypted in base64, so the page
# can hold, and send, at most ~3.9 MB of them. 8 MiB is twice that. A question is capped at 500
# characters (settings.max_query_chars), so a 30 MB one is refused before a byte of it is read.
REQUEST_BYTES = 8 * MB
# Gradio's upload route checks the size of each file as it streams in, but takes up to 1,000
# files in one request; the page sends one. One file at the upload limit plus its multipart
# headers (a few hundred bytes) passes; Gradio's own check answers for a file just over it.
UPLOAD_FRAMING = 64 * 1024
UPLOAD_PATHS = ("/gradio_api/upload", "/api/documents")
# the machine surfaces (untact_qa.serve): the JSON API, the OpenAI-compatible route, MCP
API_PREFIXES = ("/api", "/v1", "/mcp")

# What a browser without a session may fetch: the login page, its scripts, styles and icons,
# and the login itself.
LOGIN_PAGE = frozenset({("GET", "/"), ("HEAD", "/"), ("POST", "/login"), ("POST", "/login/")})
LOGIN_ASSET_PREFIXES = ("/assets/", "/static/")
LOGIN_ASSET_FILES = frozenset({"/favicon.ico", "/theme.css", "/manifest.json"})
# Gradio's launch() calls this (without a session) to start the queue; once it has run, the
# route answers only "false", and is closed like the others
STARTUP = ("GET", "/gradio_api/startup-events")
# the login page's copy of the API description (endpoint parameters, with every document's
# name as a choice); Gradio's JSON there escapes "<", so the first ";</script>" ends it
_API_INFO = re.compile(rb"(<script>window\.gradio_api_info = ).*?(;</script>)", re.S)


def guards(login_required: bool, upload_bytes: int, api_token: str = "") -> list:
    """The three middlewares for ``launch(app_kwargs={"middleware": ...})``, outermost first:
    a request without a session (or the API token) is refused before anything else reads it."""
    from starlette.middleware import Middleware

    return [Middleware(LoginRequiredMiddleware, required=login_required, token=api_token),
            Middleware(LoginLimitMiddleware),
            Middleware(BodyLimitMiddleware, upload_limit=upload_bytes + UPLOAD_FRAMING)]


def _route_path(scope) -> str:
    path, root = scope.get("path", ""), scope.get("root_path", "")
    return (path[len(root):] or "/") if root and path.startswith(root) else path


def is_api_path(path: str) -> bool:
    """Is *path* one of the machine surfaces' (:data:`API_PREFIXES`)?"""
    return any(path == p or path.startswith(p + "/") for p in API_PREFIXES)


_ERROR_TYPES = {401: "authentication_error", 413: "request_too_large", 429: "rate_limit_error"}


async def _json_error(send, status: int, detail: str, headers: tuple = ()) -> None:
    # "detail" as Gradio's own errors; "error.message" is where OpenAI clients look
    kind = _ERROR_TYPES.get(status, "invalid_request_error")
    body = json.dumps({"detail": detail, "error": {"message": detail, "type": kind, "code": kind}},
                      ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


class LoginRequiredMiddleware:
    """ASGI middleware: with *required* (a login is configured), a request without a valid
    Gradio session is answered 401 on every route but the login page and its static files;
    the login page goes out without its API description. With a *token*, the machine routes
    (:data:`API_PREFIXES`) take a request bearing it as signed in, and need the token or a
    session even without a login."""

    def __init__(self, app, required: bool = True, token: str = "") -> None:
        self.app = app
        self.required = required
        self.token = token.encode() if token else b""

    def bears_token(self, scope) -> bool:
        """Does the request carry ``Authorization: Bearer <the token>``? (compared in constant time)"""
        if not self.token:
            return False
        header = next((v for k, v in scope.get("headers") or () if k == b"authorization"), b"")
        scheme, _, value = header.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(value.strip(), self.token)

    async def __call__(self, scope, receive, send):
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        method, path = scope.get("method", "GET"), _route_path(scope)
        api = is_api_path(path)
        needed = self.required or (api and bool(self.token))
        if not needed or (api and self.bears_token(scope)) or await self.signed_in(scope):
            await self.app(scope, receive, send)
            return
        if api:
            how = ("Authorization: Bearer <UNTACT_QA_API_TOKEN> 헤더나 로그인이 필요합니다" if self.token else "로그인이 필요합니다")
            how_en = "send Authorization: Bearer <UNTACT_QA_API_TOKEN> or log in" if self.token else "log in first"
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _json_error(send, 401, f"{how}. (Not authenticated: {how_en}.)",
                                  ((b"www-authenticate", b"Bearer"),))
            return
        if (method, path) in LOGIN_PAGE:
            await self.app(scope, receive, _without_api_info(send) if method == "GET" else send)
        elif method in ("GET", "HEAD") and (path in LOGIN_ASSET_FILES or path.startswith(LOGIN_ASSET_PREFIXES)):
            await self.app(scope, receive, send)
        elif (method, path) == STARTUP and getattr(scope.get("app"), "startup_events_triggered", True) is False:
            await self.app(scope, receive, send)  # launch() itself, once, without a session
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        else:
            await _json_error(send, 401, "로그인이 필요합니다. (Not authenticated.)")

    @staticmethod
    async def signed_in(scope) -> bool:
        """Gradio's own check (``get_current_user`` in gradio.routes): its auth dependency when
        one is set, else a session token from its cookie. Without the attributes it keeps
        them in (another Gradio), nobody is signed in: the guard fails closed."""
        gradio = scope.get("app")
        dependency = getattr(gradio, "auth_dependency", None)
        if dependency is not None:
            user = dependency(Request(scope))
            return (await user if inspect.isawaitable(user) else user) is not None
        tokens, cookie_id = getattr(gradio, "tokens", None), getattr(gradio, "cookie_id", None)
        if not isinstance(tokens, dict) or not cookie_id:
            return False
        header = next((v for k, v in scope.get("headers") or () if k == b"cookie"), b"")
        cookies = cookie_parser(header.decode("latin-1"))
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
        return token is not None and tokens.get(token) is not None


def _without_api_info(send):
    """*send* for the login page: its HTML is held until complete and sent with an empty API
    description (the page needs none to log in; after the login it is served whole)."""
    start, parts = None, []

    async def wrapped(message):
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        parts.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = _API_INFO.sub(rb"\1{}\2", b"".join(parts), count=1)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": headers + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return wrapped


class LoginLimiter:
    """A limit on wrong passwords: per client address, a lock-out that grows with each failure.

    After ``free`` wrong attempts from one client, it is locked out for ``base`` seconds,
    doubling with every further wrong attempt up to ``cap``. A successful login clears the
    client. Other clients are not affected."""

    def __init__(self, free: int = 5, base: float = 30.0, cap: float = 900.0, clock=time.monotonic) -> None:
        self.free, self.base, self.cap, self.clock = free, base, cap, clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, client: str) -> float:
        """Seconds *client* must still wait before its next attempt (0: it may try)."""
        with self._lock:
            return max(0.0, self._locked_until.get(client, 0.0) - self.clock())

    def failed(self, client: str) -> None:
        """One more wrong password from *client*."""
        with self._lock:
            n = self._failures.get(client, 0) + 1
            self._failures[client] = n
            if n >= self.free:
                self._locked_until[client] = self.clock() + min(self.cap, self.base * 2 ** (n - self.free))
            if len(self._failures) > 10_000:  # many addresses: forget the ones no longer locked out
                now = self.clock()
                for c in [c for c, t in self._locked_until.items() if t < now]:
                    self._locked_until.pop(c, None)
                    self._failures.pop(c, None)

    def succeeded(self, client: str) -> None:
        """*client* logged in: its count starts again."""
        with self._lock:
            self._failures.pop(client, None)
            self._locked_until.pop(client, None)


class LoginLimitMiddleware:
    """ASGI middleware applying a :class:`LoginLimiter` to ``POST …/login``: Gradio answers a
    wrong password 400, as fast as it is asked. While a client is locked out every attempt
    (even a right one) is answered 429 with the seconds to wait."""

    def __init__(self, app, limiter: LoginLimiter | None = None) -> None:
        self.app = app
        self.limiter = limiter or LoginLimiter()

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("method") != "POST" or \
                not scope.get("path", "").rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.limiter.wait_seconds(client)
        if wait > 0:
            await _json_error(send, 429, f"로그인에 여러 번 실패했습니다. {wait:.0f}초 뒤에 다시 시도하세요. "
                                         f"(Too many failed logins; retry in {wait:.0f} s.)",
                              ((b"retry-after", str(int(wait) + 1).encode()),))
            return
        status = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") == 200:
            self.limiter.succeeded(client)
        elif status.get("code") in (400, 401):
            self.limiter.failed(client)


class BodyTooLarge(MultiPartException):
    """Raised from ``receive`` once a streamed body passes its limit. A MultiPartException so
    that Gradio's upload parser, interrupted mid-file, deletes the files it began to write."""


class BodyLimitMiddleware:
    """ASGI middleware: a request body over *limit* bytes (*upload_limit* on the upload route)
    is answered 413, from its Content-Length before it is read, or once a streamed (chunked)
    body passes the limit; whatever the app made of the cut-off body is not sent."""

    def __init__(self, app, limit: int = REQUEST_BYTES, upload_limit: int = 5 * MB + UPLOAD_FRAMING) -> None:
        self.app = app
        self.limit, self.upload_limit = limit, upload_limit

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        upload = _route_path(scope).rstrip("/") in UPLOAD_PATHS
        limit = self.upload_limit if upload else self.limit
        declared = next((v for k, v in scope.get("headers") or () if k == b"content-length"), None)
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await self.refuse(send, upload)
            return
        state = {"received": 0, "over": False, "started": False}

        async def counted():
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    raise BodyTooLarge(f"Request body exceeded maximum allowed size of {limit} bytes.")
            return message

        async def guarded(message):
            if state["over"] and not state["started"]:
                return  # the app's answer to a body it did not get whole: the 413 replaces it
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not state["over"] or state["started"]:
                raise
        if state["over"] and not state["started"]:
            await self.refuse(send, upload)

    async def refuse(self, send, upload: bool) -> None:
        """The 413, in Korean and English, naming the limit."""
        if upload:
            mb = (self.upload_limit - UPLOAD_FRAMING) // MB
            detail = (f"올리는 파일이 너무 큽니다. 문서는 한 번에 하나, {mb} MB까지 올릴 수 있습니다. "
                      f"(Upload too large: one file of at most {mb} MB per request.)")
        else:
            mb = self.limit // MB
            detail = (f"요청이 너무 큽니다 (최대 {mb} MB). 질문을 짧게 줄여 주세요. "
                      f"(Request body too large: the limit is {mb} MB.)")
        await _json_error(send, 413, detail, ((b"connection", b"close"),))
