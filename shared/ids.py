"""The one helper for deterministic ids, and fresh ones.

An event caused by message X always gets the same id, so a re-publish after a crash is dropped by
JetStream's ``Nats-Msg-Id`` de-duplication and by the consumers' own checks. Every service and every
domain derives its ids here (pure standard library, so domain modules may import it).
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e8f-9a0b-1c2d3e4f5a6b")


def derived_id(*parts: object) -> str:
    """A stable id derived from the given parts (uuid5 over the parts joined by '/')."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def new_id() -> str:
    """A fresh random id."""
    return str(uuid.uuid4())
