"""Security of every response: headers, CSRF tokens (signed double submit), latency by route.

Pure ASGI middleware (no per-request task), so the headers are on every answer, errors included.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.portal.metrics import PortalMetrics

HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
        b"frame-ancestors 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),  # a tracking code in a URL never leaks to another site
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
CSRF_COOKIE = "dt_csrf"
# A rating or an Open311 request is a few kilobytes; a larger body is refused before it is read.
MAX_BODY = 64 * 1024
TOO_LARGE = "Nội dung gửi lên quá dài; vui lòng rút gọn (tối đa 64 KB) rồi gửi lại.".encode()
CSRF_FIELD = "csrf"


class SecureHeaders:
    """Adds the security headers to every response and observes its latency by route template."""

    def __init__(self, app: ASGIApp, metrics: PortalMetrics | None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(HEADERS)]
                message["headers"] = [*headers, *HEADERS]
            await send(message)

        try:
            if _declared_length(scope) > MAX_BODY:
                await _refuse_too_large(sending)
                return
            await self.app(scope, receive, sending)
        finally:
            if self.metrics is not None:
                route: Any = scope.get("route")
                template = getattr(route, "path", None) or "unmatched"
                self.metrics.request_seconds.labels(
                    scope.get("method", ""), template, f"{status // 100}xx"
                ).observe(time.perf_counter() - started)


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else MAX_BODY + 1
    return 0


async def _refuse_too_large(send: Send) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(TOO_LARGE)).encode()),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": TOO_LARGE})


def _signed(token: str, secret: bytes) -> str:
    return hmac.new(secret, f"csrf|{token}".encode(), hashlib.sha256).hexdigest()


def new_csrf(secret: bytes) -> tuple[str, str]:
    """A fresh token for the form, and the cookie value that vouches for it."""
    token = secrets.token_urlsafe(24)
    return token, f"{token}.{_signed(token, secret)}"


def csrf_ok(cookie: str | None, submitted: str | None, secret: bytes) -> bool:
    """The form's token is the cookie's, and the cookie was signed by this portal."""
    if not cookie or not submitted or "." not in cookie:
        return False
    token, _, signature = cookie.rpartition(".")
    return hmac.compare_digest(_signed(token, secret), signature) and hmac.compare_digest(
        token.encode(), submitted.encode()
    )
