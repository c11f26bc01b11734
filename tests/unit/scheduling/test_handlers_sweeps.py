from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry

from services.scheduling import handlers, queries
from services.scheduling.adapters.repository import CONFERENCES, ConferenceRepository
from services.scheduling.metrics import SchedulingMetrics
from services.scheduling.reminders import ReminderPolicy, sweep
from shared.contracts.base import Event
from tests.fakes import InMemoryStore

from .factories import SEED_FROM, SEED_TO, seed_statistics
from .handler_fixtures import NOW, cmd, context, plan_payload

pytestmark = pytest.mark.unit
START = dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC)


class Published:
    def __init__(self) -> None:
        self.events: list[Event] = []

    async def __call__(self, events: Sequence[Event]) -> None:
        self.events.extend(events)


async def announced(store: InMemoryStore) -> handlers.Scheduling:
    ctx = context(store)
    await handlers.plan(ctx, plan_payload(), NOW)
    await handlers.announce(ctx, cmd("c-1", "a"), NOW)
    return ctx


async def test_the_48_hour_reminder_is_emitted_once_and_survives_a_later_command() -> None:
    store = InMemoryStore()
    ctx = await announced(store)
    published = Published()
    assert await sweep(ctx.repo, START - dt.timedelta(hours=49), ReminderPolicy(), published) == 0
    assert await sweep(ctx.repo, START - dt.timedelta(hours=47), ReminderPolicy(), published) == 1
    assert await sweep(ctx.repo, START - dt.timedelta(hours=30), ReminderPolicy(), published) == 0
    [reminder] = published.events
    assert reminder.routing_subject() == "scheduling.conference.reminder-due"
    assert reminder.venue == "Hội trường UBND xã Bình Lục"  # type: ignore[attr-defined]
    await handlers.hold(
        ctx, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    assert "reminders" in store.collections[CONFERENCES]["c-1"]


async def test_conclusion_reminders_come_three_and_seven_days_after_the_conference() -> None:
    store = InMemoryStore()
    ctx = await announced(store)
    await handlers.hold(
        ctx, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    published = Published()
    for days in (1, 3, 3, 5, 7, 7):
        await sweep(ctx.repo, START + dt.timedelta(days=days, hours=1), ReminderPolicy(), published)
    assert [e.days_after for e in published.events] == [3, 7]  # type: ignore[attr-defined]
    assert len({e.event_id for e in published.events}) == 2


async def test_a_back_recorded_conference_gets_no_stale_reminders() -> None:
    store = InMemoryStore()
    ctx = await announced(store)
    await handlers.hold(
        ctx, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(days=30)
    )
    published = Published()
    assert await sweep(ctx.repo, START + dt.timedelta(days=30), ReminderPolicy(), published) == 0


async def test_a_claimed_reminder_whose_publish_failed_is_published_again_with_the_same_id() -> None:
    store = InMemoryStore()
    ctx = await announced(store)

    async def broken(events: Sequence[Event]) -> None:
        raise TimeoutError("nats down")

    with pytest.raises(TimeoutError):
        await sweep(ctx.repo, START - dt.timedelta(hours=47), ReminderPolicy(), broken)
    published = Published()
    assert await sweep(ctx.repo, START - dt.timedelta(hours=46), ReminderPolicy(), published) == 1
    assert await sweep(ctx.repo, START - dt.timedelta(hours=45), ReminderPolicy(), published) == 0


async def test_gauges_count_conferences_by_level_and_state_and_overdue_conclusions() -> None:
    store = InMemoryStore()
    ctx = await announced(store)
    await handlers.hold(
        ctx, cmd("c-1", "h", attendee_count=90, opinion_count=7), START + dt.timedelta(hours=3)
    )
    registry = CollectorRegistry()
    metrics = SchedulingMetrics(registry)
    await metrics.refresh(ctx.repo, START + dt.timedelta(days=5))
    assert registry.get_sample_value("dialogue_conferences", {"level": "commune", "state": "held"}) == 1
    assert registry.get_sample_value("dialogue_conclusions_overdue") == 0
    await metrics.refresh(ctx.repo, START + dt.timedelta(days=11))
    assert registry.get_sample_value("dialogue_conclusions_overdue") == 1


async def test_the_report_reproduces_the_seeds_split_from_the_store() -> None:
    store = InMemoryStore()
    for conference in seed_statistics():
        await store.upsert(CONFERENCES, conference.to_doc())
    repo = ConferenceRepository(store)
    result = await queries.report(
        repo, context().units, {"from": SEED_FROM.isoformat(), "to": SEED_TO.isoformat()}
    )
    assert result["summary"] == "256 hội nghị: cấp tỉnh 8, cấp huyện 38, cấp xã 210"
    assert result["by_state"]["cancelled"] == 3
    only = await queries.report(
        repo, context().units, {"from": "2022-01-01", "to": "2024-06-30", "level": "district"}
    )
    assert only["by_level"] == {"district": 38}


async def test_listing_filters_by_unit_state_and_year() -> None:
    store = InMemoryStore()
    ctx = await announced(store)
    await handlers.plan(ctx, plan_payload("c-2", unit_code="binh-my", venue="UBND xã Bình Mỹ",
                                          chairs=[{"name": "Trần Bình", "title": "Chủ tịch UBND xã"}]), NOW)  # fmt: skip
    assert [
        c["conference_id"] for c in await queries.list_conferences(ctx.repo, {"state": "announced"}, NOW)
    ] == ["c-1"]
    assert len(await queries.list_conferences(ctx.repo, {"year": 2026, "level": "commune"}, NOW)) == 2
    shown = await queries.show(ctx.repo, {"conference_id": "c-2"}, NOW)
    assert (shown["level"], shown["unit_code"]) == ("commune", "binh-my")
