"""Ledger records and the service's small projections in the document store.

A stored record wraps the domain document (``ledger_doc.to_doc``) with the store's optimistic
``version`` and a few top-level fields the sweep and the operator list filter on. ``pending`` is the
outbox: the outcome event saved in the same write as the outcome, published afterwards and cleared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shared.storage import DocumentStore
from shared.storage.port import Doc, DuplicateKey, Filter, Index

from ..domain.ledger import Delivery, DeliveryState
from ..domain.ledger_doc import from_doc, to_doc

DELIVERIES = "notification_deliveries"
CONTACTS = "notification_contacts"
CONFERENCES = "notification_conferences"


def stamp(value: dt.datetime) -> str:
    """Fixed-width UTC text, so string comparison in filters is time order."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Stored:
    """A delivery as loaded, with the store version to save against and its trigger's correlation id."""

    delivery: Delivery
    version: int
    correlation_id: str
    pending: dict[str, Any] | None = None


def _due_at(d: Delivery) -> str:
    if d.state is DeliveryState.FAILED_TRANSIENT and d.next_attempt_at is not None:
        return stamp(d.next_attempt_at)
    return stamp(d.updated_at)


def to_record(stored: Stored) -> Doc:
    d = stored.delivery
    return {
        "_id": d.id,
        "version": stored.version,
        "delivery": to_doc(d),
        "state": d.state.value,
        "trigger": d.trigger.value,
        "channel": d.channel.value if d.channel else None,
        "recipient_id": d.recipient_id,
        "event_id": d.event_id,
        "correlation_id": stored.correlation_id,
        "created_at": stamp(d.created_at),
        "due_at": _due_at(d),
        "pending": stored.pending,
    }


def from_record(doc: Doc) -> Stored:
    return Stored(
        delivery=from_doc(doc["delivery"]),
        version=int(doc["version"]),
        correlation_id=str(doc.get("correlation_id") or ""),
        pending=doc.get("pending"),
    )


async def ensure_indexes(store: DocumentStore) -> None:
    await store.ensure_indexes(
        DELIVERIES,
        [
            Index(("event_id",)),
            Index(("state", "due_at")),
            Index(("recipient_id",)),
            Index(("created_at",)),
            # The sweep looks for unpublished outcomes every few seconds: without it, a full scan.
            Index(("pending.event_id",), sparse=True),
        ],
    )


async def add_intent(
    store: DocumentStore, delivery: Delivery, correlation_id: str, pending: dict[str, Any] | None = None
) -> tuple[Stored, bool]:
    """Insert the intent; when it already exists (a redelivered event) return the stored record."""
    stored = Stored(delivery, 1, correlation_id, pending)
    try:
        await store.insert(DELIVERIES, to_record(stored))
    except DuplicateKey:
        existing = await load(store, delivery.id)
        if existing is None:  # pragma: no cover - deleted in between
            raise
        return existing, False
    return stored, True


async def load(store: DocumentStore, delivery_id: str) -> Stored | None:
    doc = await store.get(DELIVERIES, delivery_id)
    return from_record(doc) if doc is not None else None


async def save(
    store: DocumentStore, stored: Stored, delivery: Delivery, pending: dict[str, Any] | None = None
) -> Stored:
    """Save the next version; raises ``ConcurrencyConflict`` when another process saved first."""
    nxt = Stored(delivery, stored.version + 1, stored.correlation_id, pending)
    await store.save(DELIVERIES, to_record(nxt))
    return nxt


async def clear_pending(store: DocumentStore, delivery_id: str, event_id: str) -> None:
    await store.update_where(DELIVERIES, delivery_id, {"pending.event_id": event_id}, {"pending": None})


async def find(store: DocumentStore, where: Filter, limit: int | None = None) -> list[Stored]:
    docs = await store.find(DELIVERIES, where, order_by="created_at", limit=limit)
    return [from_record(d) for d in docs]


async def due(store: DocumentStore, now: dt.datetime, grace: dt.timedelta, limit: int = 200) -> list[Stored]:
    """Deliveries the sweep should try: waiting, retry time reached, or stuck in ``sending`` (a crash)."""
    waiting = await find(
        store,
        {"state": {"$in": [DeliveryState.INTENDED.value, DeliveryState.FAILED_TRANSIENT.value]},
         "due_at": {"$lte": stamp(now)}},
        limit,
    )  # fmt: skip
    stuck = await find(
        store, {"state": DeliveryState.SENDING.value, "due_at": {"$lte": stamp(now - grace)}}, limit
    )
    return waiting + stuck


async def with_pending(store: DocumentStore, limit: int = 200) -> list[Stored]:
    # Unordered on purpose: ordered by creation, SQLite walks the created_at index over the whole
    # ledger instead of the small partial index of pending outcomes (20 ms every sweep at 6,000).
    docs = await store.find(DELIVERIES, {"pending.event_id": {"$exists": True}}, limit=limit)
    return sorted((from_record(d) for d in docs), key=lambda s: s.delivery.created_at)
