"""A limit on wrong passwords: per client address, a lock-out that grows with each failure.

Gradio checks the password on ``POST /login`` and answers 400 to a wrong one, as fast as
it is asked. This ASGI middleware sits in front of it: after ``free`` wrong attempts
from one client address, that address is locked out for ``base`` seconds, doubling with
every further wrong attempt up to ``cap``; while locked out every attempt (even a right
one) is answered 429 with the seconds to wait. A successful login clears the address.
Other addresses are not affected.
"""

from __future__ import annotations

import json
import threading
import time


class LoginLimiter:
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
        with self._lock:
            self._failures.pop(client, None)
            self._locked_until.pop(client, None)


class LoginLimitMiddleware:
    """ASGI middleware applying a :class:`LoginLimiter` to ``POST …/login``."""

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
            body = json.dumps({"detail": f"로그인에 여러 번 실패했습니다. {wait:.0f}초 뒤에 다시 시도하세요. "
                                         f"(Too many failed logins; retry in {wait:.0f} s.)"},
                              ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"retry-after", str(int(wait) + 1).encode())]})
            await send({"type": "http.response.body", "body": body})
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
