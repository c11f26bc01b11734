"""Webhook signatures: hex HMAC-SHA256 over ``f"{timestamp}.{body}"`` with a shared secret.

The timestamp is inside the signed text so a captured request cannot be replayed later than the
receiver's tolerance; receivers should also deduplicate on the ``Idempotency-Key`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Dialogue-Timestamp"
SIGNATURE_HEADER = "X-Dialogue-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def sign(secret: str | bytes, timestamp: str | int, body: str | bytes) -> str:
    """The hex signature a sender puts in ``X-Dialogue-Signature``."""
    signed = str(timestamp).encode("ascii") + b"." + _bytes(body)
    return hmac.new(_bytes(secret), signed, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str | bytes,
    timestamp: str | int,
    body: str | bytes,
    signature: str,
    tolerance: float = 300.0,
    now: float | None = None,
) -> bool:
    """True when ``signature`` matches and ``timestamp`` is within ``tolerance`` seconds of now."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature.strip().lower())
