"""The delivery ledger, the consenting citizens' contacts and the conference snapshots in the store.

A stored record wraps the domain document (``ledger_doc.to_doc``) with a few top-level fields the
sweep and the operator list filter on. Intents and claims are written here, before the notice goes
on the wire (that is the exactly-once rule); a new record that is sent at once is inserted already
claimed (one write instead of an intent and a claim); a final state and its outcome event are a
``Change`` the host commits, with the shared outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.notification.domain.ledger import Delivery, DeliveryState
from services.notification.domain.ledger_doc import from_doc, to_doc
from services.notification.domain.triggers import Trigger
from shared import conference_snapshot, outbox
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.base import Event
from shared.storage.port import Doc, DocumentStore, DuplicateKey, Filter, Index
from shared.unit_of_work import Change, Outcome

DELIVERIES = "notification_deliveries"
CONTACTS = "notification_contacts"
COLLECTIONS = (DELIVERIES, CONTACTS, conference_snapshot.COLLECTION)


def stamp(value: dt.datetime) -> str:
    """Fixed-width UTC text, so string comparison in filters is time order."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Stored:
    """A delivery as loaded, with the document it was read from (its version and outbox)."""

    delivery: Delivery
    doc: Doc

    @property
    def correlation_id(self) -> str:
        return str(self.doc.get("correlation_id") or "")


def _due_at(d: Delivery) -> str:
    if d.state is DeliveryState.FAILED_TRANSIENT and d.next_attempt_at is not None:
        return stamp(d.next_attempt_at)
    return stamp(d.updated_at)


def to_record(d: Delivery, correlation_id: str) -> Doc:
    return {
        "_id": d.id,
        "delivery": to_doc(d),
        "state": d.state.value,
        "trigger": d.trigger.value,
        "channel": d.channel.value if d.channel else None,
        "recipient_id": d.recipient_id,
        "event_id": d.event_id,
        "correlation_id": correlation_id,
        "conference_id": d.conference_id,
        "created_at": stamp(d.created_at),
        "due_at": _due_at(d),
    }


def _stored(doc: Doc) -> Stored:
    return Stored(from_doc(doc["delivery"]), doc)


def _same(doc: Doc, previous: Doc | None) -> bool:
    return previous is not None and all(previous.get(k) == v for k, v in doc.items())


class NotificationRepository:
    """Ledger records (intents, claims, finals as changes), contacts and conference snapshots."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def ensure_indexes(self) -> None:
        await self.store.ensure_indexes(
            DELIVERIES,
            [
                Index(("event_id",)),
                Index(("state", "due_at")),
                Index(("recipient_id",)),
                Index(("created_at",)),
                Index(("correlation_id", "trigger")),
                Index(("conference_id", "created_at")),
                outbox.INDEX,
            ],
        )
        for collection in (CONTACTS, conference_snapshot.COLLECTION):
            await self.store.ensure_indexes(collection, [outbox.INDEX])

    async def add_intent(self, delivery: Delivery, correlation_id: str) -> Stored:
        """Insert the intent; when it already exists (a redelivered event) return the stored record."""
        stored, _ = await self.add(delivery, correlation_id)
        return stored

    async def add(self, delivery: Delivery, correlation_id: str) -> tuple[Stored, bool]:
        """Insert a new record (an intent, or one already claimed in ``sending``); ``True`` when this
        call inserted it, ``False`` with the stored record when it existed (a redelivered event, or
        another process inserted it first: the insert is the claim, only one of them wins it)."""
        doc = outbox.stage(to_record(delivery, correlation_id), None, None, ())
        try:
            await self.store.insert(DELIVERIES, doc)
        except DuplicateKey:
            existing = await self.load(delivery.id)
            if existing is None:  # pragma: no cover - deleted in between
                raise
            return existing, False
        return Stored(delivery, doc), True

    async def claim(self, stored: Stored, delivery: Delivery) -> Stored:
        """Save the next state before the wire; ``ConcurrencyConflict`` when another process saved first."""
        doc = outbox.stage(to_record(delivery, stored.correlation_id), stored.doc, None, ())
        await self.store.save(DELIVERIES, doc)
        return Stored(delivery, doc)

    def change(
        self,
        stored: Stored | None,
        delivery: Delivery,
        correlation_id: str,
        events: Sequence[Event],
        cause: str,
    ) -> Change:
        """The final state of a delivery (new when ``stored`` is None) with its outcome event."""
        previous = stored.doc if stored is not None else None
        return Change(DELIVERIES, to_record(delivery, correlation_id), previous, events, cause)

    async def load(self, delivery_id: str) -> Stored | None:
        doc = await self.store.get(DELIVERIES, delivery_id)
        return _stored(doc) if doc is not None else None

    async def find(self, where: Filter, limit: int | None = None) -> list[Stored]:
        docs = await self.store.find(DELIVERIES, where, order_by="created_at", limit=limit)
        return [_stored(d) for d in docs]

    async def told(self, correlation_id: str, triggers: Sequence[Trigger]) -> bool:
        """Whether a notice of one of ``triggers`` was recorded in the flow ``correlation_id``."""
        where = {"correlation_id": correlation_id, "trigger": {"$in": [t.value for t in triggers]}}
        return bool(await self.store.find(DELIVERIES, where, limit=1))

    async def due(self, now: dt.datetime, grace: dt.timedelta, limit: int = 200) -> list[Stored]:
        """What the sweep should try: waiting, retry time reached, or stuck in ``sending`` (a crash)."""
        waiting = [DeliveryState.INTENDED.value, DeliveryState.FAILED_TRANSIENT.value]
        ready = await self.find({"state": {"$in": waiting}, "due_at": {"$lte": stamp(now)}}, limit)
        stuck_at = {"$lte": stamp(now - grace)}
        return ready + await self.find({"state": DeliveryState.SENDING.value, "due_at": stuck_at}, limit)

    async def contact(self, opinion_id: str) -> Doc | None:
        """What is kept of a citizen who consented to be contacted about ``opinion_id``."""
        return await self.store.get(CONTACTS, opinion_id)

    def keep_contact(self, opinion_id: str, citizen: dict[str, Any], previous: Doc | None) -> Change | None:
        doc = {"_id": opinion_id, "citizen": citizen}
        return None if _same(doc, previous) else Change(CONTACTS, doc, previous)

    async def conference(self, conference_id: str | None) -> ConferenceSnapshot | None:
        return await conference_snapshot.load(self.store, conference_id)

    async def keep_conference(self, snapshot: ConferenceSnapshot) -> Outcome[None]:
        return await conference_snapshot.keep(self.store, snapshot)
