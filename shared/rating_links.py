"""Signed, expiring links to the satisfaction rating page (``/danh-gia/<code>?het=...&ky=...``).

The survey notice carries the link; the portal serves the form only when the signature is right and
the link has not expired. The signature is HMAC-SHA256 over the tracking code and the expiry (Unix
seconds), keyed by a secret from ``DIALOGUE_RATING_LINK_SECRET`` or the file named by
``DIALOGUE_RATING_LINK_SECRET_FILE`` (a mounted secret), compared in constant time. Pure standard
library, so any service (notification signs, the portal verifies) may use it.

To put the link in a notice::

    from shared.rating_links import rating_url, secret_from_env
    url = rating_url(public_url, tracking_code, expires_at, secret_from_env())
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote, urlencode

__all__ = [
    "EXPIRES",
    "SIGNATURE",
    "LinkCheck",
    "MissingSecret",
    "rating_url",
    "secret_from_env",
    "sign",
    "signed_query",
    "verify",
]

EXPIRES = "het"  # query parameter: expiry, Unix seconds
SIGNATURE = "ky"  # query parameter: hex HMAC-SHA256
SECRET_ENV = "DIALOGUE_RATING_LINK_SECRET"
SECRET_FILE_ENV = "DIALOGUE_RATING_LINK_SECRET_FILE"
MIN_SECRET_BYTES = 16


class MissingSecret(RuntimeError):
    """No rating-link secret is configured (or it is too short to sign anything safely)."""


class UnreadableSecret(RuntimeError):
    """The configured secret file cannot be read: a setting to fix, not a secret to go without."""


class LinkCheck(StrEnum):
    """What checking a link found."""

    VALID = "valid"
    FORGED = "forged"  # the signature does not match (or is missing or malformed)
    EXPIRED = "expired"


def secret_from_env(environ: dict[str, str] | None = None) -> bytes:
    """The secret from ``DIALOGUE_RATING_LINK_SECRET_FILE`` (preferred) or ``DIALOGUE_RATING_LINK_SECRET``."""
    env = os.environ if environ is None else environ
    path = env.get(SECRET_FILE_ENV)
    try:
        value = Path(path).read_text(encoding="utf-8").strip() if path else env.get(SECRET_ENV, "").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UnreadableSecret(
            f"cannot read {SECRET_FILE_ENV}={path} ({reason}); check the path and its permissions"
        ) from exc
    secret = value.encode()
    if len(secret) < MIN_SECRET_BYTES:
        raise MissingSecret(
            f"set {SECRET_ENV} (or {SECRET_FILE_ENV}) to a secret of at least {MIN_SECRET_BYTES} characters"
        )
    return secret


def _expiry(expires_at: dt.datetime | int) -> int:
    if isinstance(expires_at, int):
        return expires_at
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone aware")
    return int(expires_at.timestamp())


def sign(tracking_code: str, expires_at: dt.datetime | int, secret: bytes) -> str:
    """The hex HMAC-SHA256 of ``<code>|<expiry>``."""
    message = f"{tracking_code}|{_expiry(expires_at)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_query(tracking_code: str, expires_at: dt.datetime | int, secret: bytes) -> str:
    """The query string (without ``?``) that makes the rating page accept the link."""
    expiry = _expiry(expires_at)
    return urlencode({EXPIRES: expiry, SIGNATURE: sign(tracking_code, expiry, secret)})


def rating_url(public_url: str, tracking_code: str, expires_at: dt.datetime | int, secret: bytes) -> str:
    """The whole link for a notice: ``<public url>/danh-gia/<code>?het=<expiry>&ky=<signature>``."""
    path = f"{public_url.rstrip('/')}/danh-gia/{quote(tracking_code)}"
    return f"{path}?{signed_query(tracking_code, expires_at, secret)}"


def verify(
    tracking_code: str, expires: str | None, signature: str | None, secret: bytes, now: dt.datetime
) -> LinkCheck:
    """Check a link's parameters as they came in the request (strings, possibly missing)."""
    if not expires or not signature or not expires.isdigit() or len(expires) > 12:
        return LinkCheck.FORGED
    expected = sign(tracking_code, int(expires), secret)
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        return LinkCheck.FORGED
    if now.timestamp() > int(expires):
        return LinkCheck.EXPIRED
    return LinkCheck.VALID
