"""JSON-compatible documents for ledger records; ``version`` lets later code read older records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.notification.domain.ledger import Attempt, Delivery, DeliveryState
from services.notification.domain.triggers import Channel, Trigger

DOC_VERSION = 1


def _ts(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _attempt_doc(a: Attempt) -> dict[str, Any]:
    return {
        "number": a.number,
        "key": a.key,
        "started_at": _ts(a.started_at),
        "outcome": a.outcome.value if a.outcome else None,
        "code": a.code,
        "finished_at": _ts(a.finished_at),
    }


def to_doc(d: Delivery) -> dict[str, Any]:
    """The record as plain JSON types (timestamps ISO 8601 with offset)."""
    return {
        "version": DOC_VERSION,
        "id": d.id,
        "event_id": d.event_id,
        "trigger": d.trigger.value,
        "recipient_id": d.recipient_id,
        "recipient_name": d.recipient_name,
        "channel": d.channel.value if d.channel else None,
        "address": d.address,
        "state": d.state.value,
        "created_at": _ts(d.created_at),
        "updated_at": _ts(d.updated_at),
        "event_occurred_at": _ts(d.event_occurred_at),
        "context": dict(d.context),
        "resends": d.resends,
        "idempotency_key": d.idempotency_key,
        "attempts": d.attempts,
        "next_attempt_at": _ts(d.next_attempt_at),
        "sent_at": _ts(d.sent_at),
        "failure_code": d.failure_code,
        "failure_message": d.failure_message,
        "provider_id": d.provider_id,
        "history": [_attempt_doc(a) for a in d.history],
        "conference_id": d.conference_id,
    }


def from_doc(doc: dict[str, Any]) -> Delivery:
    """Inverse of ``to_doc``; derived fields (``idempotency_key``, ``attempts``) are recomputed."""
    if doc.get("version") != DOC_VERSION:
        raise ValueError(f"unsupported delivery document version {doc.get('version')!r}")
    created = dt.datetime.fromisoformat(doc["created_at"])
    updated = dt.datetime.fromisoformat(doc["updated_at"])
    return Delivery(
        id=doc["id"],
        event_id=doc["event_id"],
        trigger=Trigger(doc["trigger"]),
        recipient_id=doc["recipient_id"],
        recipient_name=doc["recipient_name"],
        channel=Channel(doc["channel"]) if doc.get("channel") else None,
        address=doc.get("address"),
        state=DeliveryState(doc["state"]),
        created_at=created,
        updated_at=updated,
        event_occurred_at=_dt(doc.get("event_occurred_at")),
        context=dict(doc.get("context") or {}),
        resends=int(doc.get("resends", 0)),
        next_attempt_at=_dt(doc.get("next_attempt_at")),
        sent_at=_dt(doc.get("sent_at")),
        failure_code=doc.get("failure_code"),
        failure_message=doc.get("failure_message"),
        provider_id=doc.get("provider_id"),
        conference_id=doc.get("conference_id"),
        history=tuple(
            Attempt(
                number=int(a["number"]),
                key=a["key"],
                started_at=_dt(a["started_at"]) or created,
                outcome=DeliveryState(a["outcome"]) if a.get("outcome") else None,
                code=a.get("code"),
                finished_at=_dt(a.get("finished_at")),
            )
            for a in doc.get("history", [])
        ),
    )
