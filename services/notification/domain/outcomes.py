"""The outcome events of a delivery, as domain events named and shaped like their contracts.

Their ids derive from the record and its idempotency key: a re-published outcome keeps its id (and
JetStream drops the copy), while an operator resend, a new notice with a new key, gets its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.notification.domain.ledger import Delivery, DeliveryState
from shared.ids import derived_id


@dataclass(frozen=True)
class NotificationSent:
    event_id: str
    delivery_id: str
    trigger: str
    trigger_event_id: str
    channel: str
    recipient: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class NotificationFailed:
    event_id: str
    delivery_id: str
    trigger: str
    trigger_event_id: str
    channel: str
    recipient: str
    reason: str
    message: str


def outcome_of(d: Delivery) -> NotificationSent | NotificationFailed | None:
    """The event of a final state; ``None`` while the delivery may still succeed."""
    channel = d.channel.value if d.channel else "none"
    if d.state is DeliveryState.SENT and d.sent_at is not None:
        return NotificationSent(
            event_id=derived_id(d.id, d.idempotency_key, "NotificationSent"),
            delivery_id=d.id,
            trigger=d.trigger.value,
            trigger_event_id=d.event_id,
            channel=channel,
            recipient=d.recipient_id,
            sent_at=d.sent_at,
        )
    if d.state is DeliveryState.FAILED_PERMANENT:
        return NotificationFailed(
            event_id=derived_id(d.id, d.idempotency_key, "NotificationFailed"),
            delivery_id=d.id,
            trigger=d.trigger.value,
            trigger_event_id=d.event_id,
            channel=channel,
            recipient=d.recipient_id,
            reason=d.failure_code or "unknown",
            message=d.failure_message or "",
        )
    return None
