"""Where intake keeps opinions, over the DocumentStore port; the unit of work saves what it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.intake.domain import Opinion
from shared import outbox
from shared.contracts.base import Event
from shared.storage import DocumentStore
from shared.storage.port import Doc, Index
from shared.unit_of_work import Change

__all__ = ["INDEXES", "OPINIONS", "OpinionRepository", "Stored", "ensure_indexes"]

OPINIONS = "opinions"
INDEXES = (
    outbox.INDEX,
    Index(("tracking_code",), unique=True),
    # One opinion per sequence number in a conference: two replicas grouping the same conference
    # at once cannot both record (see services/intake/adapters/topics_cache.py).
    Index(("conference_id", "conference_seq"), unique=True, sparse=True),
    Index(("conference_id",)),
    Index(("field",)),
    Index(("received_at",)),
)


async def ensure_indexes(store: DocumentStore) -> None:
    """Create intake's indexes; the unique ones turn a racing insert into a conflict the host retries."""
    await store.ensure_indexes(OPINIONS, INDEXES)


@dataclass(frozen=True)
class Stored:
    """An opinion and the document it was read from (its version, outbox and sequence number)."""

    opinion: Opinion
    doc: Doc

    def replay(self, cause: str) -> list[Event] | None:
        """The events already produced for ``cause``, or None when it was never applied."""
        return outbox.replay(self.doc, cause)


def _doc(opinion: Opinion, conference_seq: int | None) -> Doc:
    doc = opinion.to_doc()
    if conference_seq is not None:
        doc["conference_seq"] = conference_seq
    return doc


class OpinionRepository:
    """Opinions as aggregate documents, read here and saved by the host's unit of work."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, opinion_id: str) -> Stored | None:
        doc = await self.store.get(OPINIONS, opinion_id)
        return Stored(Opinion.from_doc(doc), doc) if doc is not None else None

    async def by_tracking_code(self, code: str) -> Stored | None:
        docs = await self.store.find(OPINIONS, {"tracking_code": code}, limit=1)
        return Stored(Opinion.from_doc(docs[0]), docs[0]) if docs else None

    async def last_conference_seq(self, conference_id: str) -> int:
        """The highest sequence number recorded in the conference (0 when none)."""
        where = {"conference_id": conference_id, "conference_seq": {"$exists": True}}
        docs = await self.store.find(OPINIONS, where, order_by="conference_seq", descending=True, limit=1)
        seq = docs[0].get("conference_seq") if docs else None
        return seq if isinstance(seq, int) else 0

    async def find(self, where: dict[str, Any] | None = None, limit: int | None = None) -> list[Opinion]:
        docs = await self.store.find(OPINIONS, where, order_by="received_at", limit=limit)
        return [Opinion.from_doc(doc) for doc in docs]

    async def count(self, where: dict[str, Any] | None = None) -> int:
        return await self.store.count(OPINIONS, where)


def added(opinion: Opinion, events: Sequence[Event], cause: str, conference_seq: int | None) -> Change:
    """A new opinion to insert; an id, tracking code or sequence clash is a conflict the host retries."""
    return Change(OPINIONS, _doc(opinion, conference_seq), None, events, cause)


def changed(stored: Stored, events: Sequence[Event], cause: str) -> Change:
    """A changed opinion, saved optimistically against the version it was read at."""
    seq = stored.doc.get("conference_seq")
    return Change(
        OPINIONS, _doc(stored.opinion, seq if isinstance(seq, int) else None), stored.doc, events, cause
    )
