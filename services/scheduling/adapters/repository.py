"""Conferences in the document store: one document per conference, saved by the host's unit of work.

The document is the aggregate's ``to_doc()`` plus what the service keeps beside it (the reminders
already claimed), which every new version carries over so a lifecycle command never erases a claim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from services.scheduling.domain import Conference, ConferenceState
from shared import outbox
from shared.storage import DocumentStore
from shared.storage.port import Doc, Index

CONFERENCES = "conferences"
# Keys the service stores beside the aggregate; the aggregate ignores them when loading.
SIDE_KEYS = ("reminders",)
INDEXES = (
    Index(("state",)),
    Index(("unit_code",)),
    Index(("level",)),
    Index(("programme_year",)),
    Index(("start_utc",)),
    Index(("end_utc",)),
    outbox.INDEX,
)
_INACTIVE = [ConferenceState.CANCELLED.value, ConferenceState.POSTPONED.value]


class ConferenceRepository:
    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def ensure_indexes(self) -> None:
        await self.store.ensure_indexes(CONFERENCES, INDEXES)

    async def load(self, conference_id: str) -> tuple[Conference | None, dict[str, Any] | None]:
        """The conference and its raw document (None, None when unknown)."""
        doc = await self.store.get(CONFERENCES, conference_id)
        return (None, None) if doc is None else (Conference.from_doc(doc), doc)

    @staticmethod
    def document(conference: Conference, previous: Mapping[str, Any] | None) -> Doc:
        """The document to save for ``conference``, with the side keys of ``previous`` carried over."""
        doc = conference.to_doc()
        for key in SIDE_KEYS:
            if previous is not None and key in previous:
                doc[key] = previous[key]
        return doc

    async def overlapping(self, start: dt.datetime, end: dt.datetime) -> list[Conference]:
        """Active conferences whose time overlaps ``[start, end)``: candidates for double booking."""
        docs = await self.store.find(
            CONFERENCES,
            {
                "start_utc": {"$lt": _utc(end)},
                "end_utc": {"$gt": _utc(start)},
                "state": {"$ne": _INACTIVE[0]},
            },
        )
        return [Conference.from_doc(d) for d in docs if d.get("state") not in _INACTIVE]

    async def find(self, where: Mapping[str, Any] | None = None) -> list[Conference]:
        docs = await self.store.find(CONFERENCES, where, order_by="start_utc")
        return [Conference.from_doc(d) for d in docs]

    async def find_docs(self, where: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return await self.store.find(CONFERENCES, where, order_by="start_utc")


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat()
