"""Notification handlers: one delivery per (trigger event, recipient, channel)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from shared.contracts.assignment import OpinionAssigned
from shared.contracts.base import Event, derived_id
from shared.contracts.notification import NotificationSent
from shared.outbox import record, replay
from shared.storage import DocumentStore

DELIVERIES = "deliveries"


class Channel(Protocol):
    name: str

    async def send(self, recipient: str, subject: str, body: str, delivery_id: str) -> None: ...


async def notify_assignment(
    store: DocumentStore, event: OpinionAssigned, channel: Channel, now: dt.datetime
) -> list[Event]:
    """Tell the agency it holds a new opinion (slice version: one channel, fixed text)."""
    delivery_id = derived_id(event.event_id, event.agency_code, channel.name)
    existing = await store.get(DELIVERIES, delivery_id)
    done = replay(existing, delivery_id)
    if done is not None:
        return done
    subject = f"Giao xử lý ý kiến {event.tracking_code}"
    body = (
        f"Kính gửi {event.agency_name}: ý kiến {event.tracking_code} được giao cho quý cơ quan trả lời "
        f"bằng văn bản trước ngày {event.deadline:%d/%m/%Y}. Nội dung: {event.summary}"
    )
    await channel.send(event.agency_code, subject, body, delivery_id)
    sent = event.caused(
        NotificationSent, delivery_id=delivery_id, trigger="opinion_assigned", trigger_event_id=event.event_id,
        channel=channel.name, recipient=event.agency_code, sent_at=now,
    )  # fmt: skip
    doc: dict[str, Any] = {"_id": delivery_id, "version": 1, "status": "sent", "recipient": event.agency_code,
                           "channel": channel.name, "trigger": "opinion_assigned", "subject": subject}  # fmt: skip
    record(doc, delivery_id, [sent])
    await store.save(DELIVERIES, doc)
    return [sent]
