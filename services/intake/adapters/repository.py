"""Where intake keeps opinions and its projection of conferences, over the DocumentStore port."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from services.intake.domain import Opinion
from shared.contracts.base import Event
from shared.outbox import record, replay
from shared.storage import DocumentStore
from shared.storage.port import Index

__all__ = ["CONFERENCES", "INDEXES", "OPINIONS", "OpinionRepository", "Stored", "ensure_indexes"]

OPINIONS = "opinions"
CONFERENCES = "conferences"
INDEXES = (
    Index(("tracking_code",), unique=True),
    # One opinion per sequence number in a conference: two replicas grouping the same conference
    # at once cannot both record (see services/intake/handlers/grouping.py).
    Index(("conference_id", "conference_seq"), unique=True, sparse=True),
    Index(("conference_id",)),
    Index(("field",)),
    Index(("received_at",)),
)


async def ensure_indexes(store: DocumentStore) -> None:
    """Create intake's indexes; the unique tracking code index backs the clash retry."""
    await store.ensure_indexes(OPINIONS, INDEXES)


@dataclass
class Stored:
    """An opinion with the outbox of its document (the events each command produced)."""

    opinion: Opinion
    outbox: dict[str, Any] = field(default_factory=dict)
    conference_seq: int | None = None

    def replay(self, cause_id: str) -> list[Event] | None:
        """The events already published for ``cause_id``, or None when it was never applied."""
        return replay({"outbox": self.outbox}, cause_id)


def _doc(stored: Stored, cause_id: str, events: Sequence[Event]) -> dict[str, Any]:
    doc = stored.opinion.to_doc()
    doc["outbox"] = dict(stored.outbox)
    if stored.conference_seq is not None:
        doc["conference_seq"] = stored.conference_seq
    record(doc, cause_id, events)
    return doc


def _stored(doc: dict[str, Any]) -> Stored:
    seq = doc.get("conference_seq")
    return Stored(Opinion.from_doc(doc), dict(doc.get("outbox", {})), seq if isinstance(seq, int) else None)


class OpinionRepository:
    """Opinions as aggregate documents; conferences as a projection of scheduling's events."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, opinion_id: str) -> Stored | None:
        doc = await self.store.get(OPINIONS, opinion_id)
        return _stored(doc) if doc is not None else None

    async def by_tracking_code(self, code: str) -> Stored | None:
        docs = await self.store.find(OPINIONS, {"tracking_code": code}, limit=1)
        return _stored(docs[0]) if docs else None

    async def add(
        self, opinion: Opinion, cause_id: str, events: Sequence[Event], conference_seq: int | None = None
    ) -> None:
        """Insert a new opinion with its events; raises ``DuplicateKey`` on an id, code or sequence clash."""
        await self.store.insert(
            OPINIONS, _doc(Stored(opinion, conference_seq=conference_seq), cause_id, events)
        )

    async def last_conference_seq(self, conference_id: str) -> int:
        """The highest sequence number recorded in the conference (0 when none)."""
        where = {"conference_id": conference_id, "conference_seq": {"$exists": True}}
        docs = await self.store.find(OPINIONS, where, order_by="conference_seq", descending=True, limit=1)
        seq = docs[0].get("conference_seq") if docs else None
        return seq if isinstance(seq, int) else 0

    async def save(self, stored: Stored, cause_id: str, events: Sequence[Event]) -> None:
        """Optimistic save of a changed opinion (the domain bumped its version) with its events."""
        await self.store.save(OPINIONS, _doc(stored, cause_id, events))

    async def find(self, where: dict[str, Any] | None = None, limit: int | None = None) -> list[Opinion]:
        docs = await self.store.find(OPINIONS, where, order_by="received_at", limit=limit)
        return [Opinion.from_doc(doc) for doc in docs]

    async def count(self, where: dict[str, Any] | None = None) -> int:
        return await self.store.count(OPINIONS, where)

    async def conference(self, conference_id: str) -> dict[str, Any] | None:
        return await self.store.get(CONFERENCES, conference_id)

    async def keep_conference(self, conference: dict[str, Any]) -> None:
        await self.store.upsert(CONFERENCES, {"version": 1, **conference})
