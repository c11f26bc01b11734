"""The assignment documents in the service's store: aggregates, direct answers, conference snapshots.

Reads only: the host's unit of work saves what a handler returns (with its events, in the same
document write), so this module never writes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.values import OPEN_STATES
from shared import conference_snapshot, outbox
from shared.conference_snapshot import ConferenceSnapshot
from shared.storage import DocumentStore
from shared.storage.port import Doc, Index

ASSIGNMENTS = "assignments"
DIRECT_ANSWERS = "direct_answers"
OPEN = [s.value for s in OPEN_STATES]


async def ensure_indexes(store: DocumentStore) -> None:
    await store.ensure_indexes(
        ASSIGNMENTS,
        [
            Index(("status",)),
            Index(("agency_code",)),
            Index(("opinion.conference_id",)),
            outbox.INDEX,
            Index(("deadline",)),
            # The sweep's reads: what is due by a date, and the open/overdue counts per agency, answered
            # from the index instead of reading every open assignment (24 ms and 50 ms at 6,000 open).
            Index(("status", "deadline")),
            Index(("agency_code", "status", "deadline")),
        ],
    )


class AssignmentRepository:
    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, opinion_id: str) -> tuple[Assignment, Doc] | None:
        """The aggregate and the stored document it was read from (the unit of work's ``previous``)."""
        doc = await self.store.get(ASSIGNMENTS, opinion_id)
        return None if doc is None else (Assignment.from_doc(doc), doc)

    async def resolve(self, key: str) -> str:
        """An opinion id, or the id of the opinion with that tracking code."""
        if await self.store.get(ASSIGNMENTS, key) is not None:
            return key
        found = await self.store.find(ASSIGNMENTS, {"opinion.tracking_code": key})
        return str(found[0]["_id"]) if found else key

    async def find(self, where: dict[str, Any] | None = None) -> list[Doc]:
        return await self.store.find(ASSIGNMENTS, where, order_by="_id")

    async def maybe_due(self, today: dt.date, horizon: dt.date, retired: Sequence[str]) -> list[Doc]:
        """The open assignments the sweep may still have to notify, read through the index.

        Past their deadline and not escalated yet, or with a deadline between ``today`` and
        ``horizon`` and no reminder yet; never one held by an agency of ``retired`` (no longer in
        force: it is neither reminded nor escalated). Those already escalated, or reminded, are
        left in the store instead of being read and decided on again every minute.
        """
        held = {"status": {"$in": OPEN}, "agency_code": {"$nin": list(retired)}}
        overdue = {**held, "deadline": {"$lt": today.isoformat()}, "escalated_at": None}
        soon = {**held, "deadline": {"$gte": today.isoformat(), "$lte": horizon.isoformat()}}
        found = await self.store.find(ASSIGNMENTS, overdue, order_by="_id")
        found += await self.store.find(ASSIGNMENTS, {**soon, "reminder_sent_at": None}, order_by="_id")
        return found

    async def backlog(self, today: dt.date, agency_codes: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
        """Open and overdue assignments per agency code ('none' for the triage queue), by counting."""
        open_by: Counter[str] = Counter()
        overdue_by: Counter[str] = Counter()
        for code in [*agency_codes, None]:
            mine = {"status": {"$in": OPEN}, "agency_code": code}
            label = code or "none"
            open_by[label] = await self.store.count(ASSIGNMENTS, mine)
            overdue_by[label] = await self.store.count(
                ASSIGNMENTS, {**mine, "deadline": {"$lt": today.isoformat()}}
            )
        return +open_by, +overdue_by

    async def conference(self, conference_id: str | None) -> ConferenceSnapshot | None:
        return await conference_snapshot.load(self.store, conference_id)

    async def direct_answer(self, opinion_id: str) -> Doc | None:
        """The leader's answer recorded before the opinion arrived, if any."""
        return await self.store.get(DIRECT_ANSWERS, opinion_id)
