"""The ledger as operators read it (``dialogue notifications``): phone numbers masked, text redacted."""

from __future__ import annotations

from typing import Any

from services.notification.domain.ledger import Delivery
from services.notification.domain.triggers import Channel
from shared.privacy import mask_phone, redact


def summary(d: Delivery) -> dict[str, Any]:
    """One ledger row for operators."""
    address = d.address
    if address and d.channel is Channel.SMS:
        address = mask_phone(address)
    return {
        "id": d.id,
        "trigger": d.trigger.value,
        "channel": d.channel.value if d.channel else None,
        "recipient_id": d.recipient_id,
        "recipient_name": d.recipient_name,
        "address": address,
        "status": d.state.value,
        "attempts": len(d.history),
        "resends": d.resends,
        "event_id": d.event_id,
        "conference_id": d.conference_id,
        "created_at": d.created_at.isoformat(),
        "sent_at": d.sent_at.isoformat() if d.sent_at else None,
        "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
        "failure_code": d.failure_code,
        "failure_message": redact(d.failure_message) if d.failure_message else None,
    }


def detail(d: Delivery) -> dict[str, Any]:
    """The row and every attempt on the wire."""
    history = [
        {
            "number": a.number,
            "key": a.key,
            "started_at": a.started_at.isoformat(),
            "outcome": a.outcome.value if a.outcome else None,
            "code": a.code,
        }
        for a in d.history
    ]
    return {**summary(d), "history": history}
