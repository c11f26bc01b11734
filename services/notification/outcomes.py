"""Outcome events of a delivery, with deterministic ids, and their outbox form in the ledger."""

from __future__ import annotations

from typing import Any

from shared.contracts.base import Event, derived_id
from shared.contracts.notification import NotificationFailed, NotificationSent

from .domain.ledger import Delivery, DeliveryState

_TYPES: dict[str, type[Event]] = {
    "NotificationSent": NotificationSent,
    "NotificationFailed": NotificationFailed,
}


def outcome_event(d: Delivery, correlation_id: str) -> Event | None:
    """NotificationSent / NotificationFailed for a final state; ``None`` while it may still succeed."""
    common: dict[str, Any] = {
        "correlation_id": correlation_id or d.event_id,
        "delivery_id": d.id,
        "trigger": d.trigger.value,
        "trigger_event_id": d.event_id,
        "channel": d.channel.value if d.channel else "none",
        "recipient": d.recipient_id,
    }
    # The key changes only on an operator resend, which is a new notice with its own outcome.
    if d.state is DeliveryState.SENT and d.sent_at is not None:
        event_id = derived_id(d.id, d.idempotency_key, "NotificationSent")
        return NotificationSent(event_id=event_id, sent_at=d.sent_at, **common)
    if d.state is DeliveryState.FAILED_PERMANENT:
        event_id = derived_id(d.id, d.idempotency_key, "NotificationFailed")
        return NotificationFailed(
            event_id=event_id,
            reason=d.failure_code or "unknown",
            message=d.failure_message or "",
            **common,
        )
    return None


def pending_of(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"event_id": event.event_id, "type": type(event).__name__, "event": event.model_dump(mode="json")}


def restore(pending: dict[str, Any] | None) -> Event | None:
    if not pending or pending.get("type") not in _TYPES:
        return None
    return _TYPES[pending["type"]].model_validate(pending["event"])
