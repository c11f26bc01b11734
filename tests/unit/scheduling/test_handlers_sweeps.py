from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry

from services.scheduling import handlers, queries
from services.scheduling.adapters.repository import CONFERENCES
from services.scheduling.metrics import SchedulingMetrics
from shared.contracts.base import Event
from shared.contracts.scheduling_commands import ListConferences, ReportConferences, ShowConference
from tests.fakes import InMemoryStore

from .factories import SEED_FROM, SEED_TO, seed_statistics
from .handler_fixtures import Bed, cmd, plan_payload

pytestmark = pytest.mark.unit
START = dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC)


async def announced(store: InMemoryStore) -> Bed:
    bed = Bed(store)
    await bed.run(handlers.plan, plan_payload())
    await bed.run(handlers.announce, cmd("c-1", "a"))
    return bed


async def test_the_48_hour_reminder_is_emitted_once_and_survives_a_later_command() -> None:
    store = InMemoryStore()
    bed = await announced(store)
    bed.published.events.clear()
    assert await bed.sweep(START - dt.timedelta(hours=49)) == 0
    assert await bed.sweep(START - dt.timedelta(hours=47)) == 1
    assert await bed.sweep(START - dt.timedelta(hours=30)) == 0
    [reminder] = bed.published.events
    assert reminder.routing_subject() == "scheduling.conference.reminder-due"
    assert reminder.venue == "Hội trường UBND xã Bình Lục"  # type: ignore[attr-defined]
    await bed.run(
        handlers.hold, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    assert "reminders" in store.collections[CONFERENCES]["c-1"]


async def test_conclusion_reminders_come_three_and_seven_days_after_the_conference() -> None:
    store = InMemoryStore()
    bed = await announced(store)
    await bed.run(
        handlers.hold, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    bed.published.events.clear()
    for days in (1, 3, 3, 5, 7, 7):
        await bed.sweep(START + dt.timedelta(days=days, hours=1))
    assert [e.days_after for e in bed.published.events] == [3, 7]  # type: ignore[attr-defined]
    assert len({e.event_id for e in bed.published.events}) == 2


async def test_a_back_recorded_conference_gets_no_stale_reminders() -> None:
    store = InMemoryStore()
    bed = await announced(store)
    await bed.run(
        handlers.hold, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(days=30)
    )
    assert await bed.sweep(START + dt.timedelta(days=30)) == 0


async def test_a_claimed_reminder_whose_publish_failed_is_published_again_with_the_same_id() -> None:
    store = InMemoryStore()
    bed = await announced(store)

    async def broken(events: Sequence[Event]) -> None:
        raise TimeoutError("nats down")

    with pytest.raises(TimeoutError):
        await bed.sweep(START - dt.timedelta(hours=47), broken)
    [claim] = store.collections[CONFERENCES]["c-1"]["reminders"].values()
    bed.published.events.clear()
    assert await bed.sweep(START - dt.timedelta(hours=46)) == 1
    assert await bed.sweep(START - dt.timedelta(hours=45)) == 0
    assert [e.event_id for e in bed.published.events] == [claim]


async def test_gauges_count_conferences_by_level_and_state_and_overdue_conclusions() -> None:
    store = InMemoryStore()
    bed = await announced(store)
    await bed.run(
        handlers.hold, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    registry = CollectorRegistry()
    metrics = SchedulingMetrics(registry)
    await metrics.refresh(bed.deps.conferences, START + dt.timedelta(days=5))
    assert registry.get_sample_value("dialogue_conferences", {"level": "commune", "state": "held"}) == 1
    assert registry.get_sample_value("dialogue_conclusions_overdue") == 0
    await metrics.refresh(bed.deps.conferences, START + dt.timedelta(days=11))
    assert registry.get_sample_value("dialogue_conclusions_overdue") == 1


async def test_a_committed_command_moves_its_conference_between_the_gauges_at_once() -> None:
    bed = await announced(InMemoryStore())

    def count(state: str) -> float | None:
        return bed.registry.get_sample_value("dialogue_conferences", {"level": "commune", "state": state})

    assert (count("planned"), count("announced")) == (0, 1)
    await bed.run(handlers.announce, cmd("c-1", "a"))  # a replay: nothing moves
    assert (count("planned"), count("announced")) == (0, 1)


async def test_the_report_reproduces_the_seeds_split_from_the_store() -> None:
    store = InMemoryStore()
    for conference in seed_statistics():
        await store.insert(CONFERENCES, conference.to_doc())
    deps = Bed(store).deps
    result = await queries.report(deps, ReportConferences.model_validate({"from": SEED_FROM, "to": SEED_TO}))
    assert result["summary"] == "256 hội nghị: cấp tỉnh 8, cấp huyện 38, cấp xã 210"
    assert result["by_state"]["cancelled"] == 3
    only = await queries.report(
        deps,
        ReportConferences.model_validate({"from": "2022-01-01", "to": "2024-06-30", "level": "district"}),
    )
    assert only["by_level"] == {"district": 38}


async def test_listing_filters_by_unit_state_and_year() -> None:
    store = InMemoryStore()
    bed = await announced(store)
    await bed.run(handlers.plan, plan_payload("c-2", unit_code="binh-my", venue="UBND xã Bình Mỹ",
                                              chairs=[{"name": "Trần Bình", "title": "Chủ tịch UBND xã"}]))  # fmt: skip
    announced_only = await queries.list_conferences(bed.deps, ListConferences(state="announced"))
    assert [c["conference_id"] for c in announced_only] == ["c-1"]
    assert len(await queries.list_conferences(bed.deps, ListConferences(year=2026, level="commune"))) == 2
    shown = await queries.show(bed.deps, ShowConference(conference_id="c-2"))
    assert (shown["level"], shown["unit_code"]) == ("commune", "binh-my")


async def test_the_conference_report_lists_a_conclusion_past_its_due_date() -> None:
    store = InMemoryStore()
    bed = await announced(store)
    await bed.run(
        handlers.hold, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    query = ReportConferences.model_validate({"from": "2026-12-01", "to": "2026-12-31"})

    bed.clock.now = START + dt.timedelta(days=2)
    assert (await queries.report(bed.deps, query))["conclusions_late"] == []

    bed.clock.now = START + dt.timedelta(days=40)
    [late] = (await queries.report(bed.deps, query))["conclusions_late"]
    assert late["conference_id"] == "c-1"
    assert late["title"] == "Hội nghị đối thoại với nhân dân xã Bình Lục"
    assert dt.date.fromisoformat(late["conclusion_due"]) < bed.clock.now.date()
