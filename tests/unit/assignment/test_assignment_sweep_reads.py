"""What the deadline sweep reads each minute: only assignments it may still have to notify."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from assignment_handler_support import Bed, classified

from services.assignment.adapters.repository import ASSIGNMENTS
from shared.contracts.assignment import DeadlineApproaching, OpinionOverdue
from shared.storage.port import Doc, Filter
from shared.timeutil import local_date
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
REMINDED = dt.datetime(2026, 12, 9, 2, tzinfo=dt.UTC)
OVERDUE = dt.datetime(2026, 12, 15, 2, tzinfo=dt.UTC)
HORIZON = dt.timedelta(days=30)


async def read_by_sweep(bed: Bed, retired: tuple[str, ...] = ()) -> list[str]:
    today = local_date(bed.now)
    return [d["_id"] for d in await bed.deps.repo.maybe_due(today, today + HORIZON, list(retired))]


async def test_an_escalated_or_reminded_assignment_is_not_read_again_until_its_next_notice() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1))
    bed.now = REMINDED
    assert await read_by_sweep(bed) == ["op-1"]
    assert [type(e) for e in await bed.sweep()] == [DeadlineApproaching]
    assert await read_by_sweep(bed) == []  # reminded, deadline ahead: nothing to decide
    bed.now = OVERDUE
    assert await read_by_sweep(bed) == ["op-1"]  # the deadline passed: its escalation is due
    assert [type(e) for e in await bed.sweep()] == [OpinionOverdue]
    assert await read_by_sweep(bed) == []  # escalated: still open and overdue, never read again
    bed.now = OVERDUE + dt.timedelta(days=30)
    assert await read_by_sweep(bed) == []
    assert await bed.sweep() == []
    assert bed.sample("dialogue_opinions_overdue", {"agency": "nb-sgddt"}) == 1.0  # still counted


async def test_an_assignment_held_by_an_agency_no_longer_in_force_is_not_read() -> None:
    bed = Bed(NOW)
    await bed.route(classified(1))
    bed.now = OVERDUE
    [doc] = bed.store.collections[ASSIGNMENTS].values()
    assert await read_by_sweep(bed, (str(doc["agency_code"]),)) == []
    assert await read_by_sweep(bed, ("hn-sldtbxh",)) == ["op-1"]


class ReadCounting(InMemoryStore):
    """The fake store, recording the assignments each ``find`` returns (``count`` reads none)."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []

    async def find(self, collection: str, where: Filter | None = None, **kw: Any) -> list[Doc]:
        found = await super().find(collection, where, **kw)
        if collection == ASSIGNMENTS:
            self.read += [d["_id"] for d in found]
        return found

    async def count(self, collection: str, where: Filter | None = None) -> int:
        return len(await InMemoryStore.find(self, collection, where))  # counted, not read


async def test_the_sweep_reads_no_assignment_of_an_agency_merged_away() -> None:
    store = ReadCounting()
    bed = Bed(dt.datetime(2024, 6, 3, 2, tzinfo=dt.UTC), store=store)
    await bed.route(
        classified(1, field="labour_jobs", unit="ha-nam", received_at="2024-06-03T01:00:00+00:00")
    )
    [doc] = store.collections[ASSIGNMENTS].values()
    assert doc["agency_code"] == "hn-sldtbxh"  # merged away on 1 March 2025
    bed.now = dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC)
    store.read.clear()
    assert await bed.sweep() == []
    assert store.read == []
