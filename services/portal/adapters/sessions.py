"""Officials' sessions: a signed cookie naming the account, its generation and an expiry.

``dt_session`` = ``<username>.<generation>.<expires>.<session id>.<HMAC-SHA256>``, HttpOnly,
SameSite=Strict (every page that needs it is reached from the portal's own pages and redirects),
Secure behind TLS. Nothing but the name is in it: the account is read from the store on every
request, so a disabled account or a reset password (a new generation) ends every open session.
The forms of a session carry a token bound to its id (``form_token``), so no extra cookie is needed;
the token's nonce is also what an answer's command id is derived from (a double submit is one).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SESSION_COOKIE = "dt_session"


@dataclass(frozen=True)
class Session:
    username: str
    generation: int
    expires: int  # Unix seconds
    sid: str


def _sign(secret: bytes, text: str) -> str:
    return (
        base64.urlsafe_b64encode(hmac.new(secret, text.encode(), hashlib.sha256).digest())
        .decode()
        .rstrip("=")
    )


def _name(username: str) -> str:
    return base64.urlsafe_b64encode(username.encode()).decode().rstrip("=")


def issue(secret: bytes, username: str, generation: int, now: float, seconds: int) -> str:
    """The cookie's value for a new session of ``username``."""
    text = f"{_name(username)}.{generation}.{int(now) + seconds}.{secrets.token_urlsafe(16)}"
    return f"{text}.{_sign(secret, 'session|' + text)}"


def read(secret: bytes, value: str | None, now: float) -> Session | None:
    """The session a cookie names, or None when it is missing, forged, malformed or expired."""
    if not value or value.count(".") != 4:
        return None
    text, _, signature = value.rpartition(".")
    if not hmac.compare_digest(_sign(secret, "session|" + text), signature):
        return None
    name, generation, expires, sid = text.split(".")
    try:
        username = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
        session = Session(username, int(generation), int(expires), sid)
    except ValueError:
        return None
    return session if session.expires > now else None


def form_token(secret: bytes, session: Session) -> str:
    """A fresh token for one form of this session: ``<nonce>.<signature over the session id>``."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(secret, f'form|{session.sid}|{nonce}')}"


def form_nonce(secret: bytes, session: Session, submitted: str | None) -> str | None:
    """The nonce of a form token this session was given, or None (missing, forged, another session's)."""
    if not submitted or submitted.count(".") != 1:
        return None
    nonce, signature = submitted.split(".")
    if not hmac.compare_digest(_sign(secret, f"form|{session.sid}|{nonce}"), signature):
        return None
    return nonce
