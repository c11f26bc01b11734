"""The scheduling service through request/reply on a real nats-server, events on its stream."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from nats.aio.client import Client
from prometheus_client import CollectorRegistry
from scheduling_support import Ask, Clock, plan_payload, stream_events

from services.scheduling import handlers
from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.adapters.units_file import load_units
from services.scheduling.deps import Deps
from services.scheduling.domain import DEFAULT_RULES, ReminderPolicy
from services.scheduling.metrics import SchedulingMetrics
from shared.contracts.base import Event
from shared.contracts.scheduling_commands import PlanConference
from shared.host import ServiceHost
from shared.nats_sync import settle
from shared.subjects import Scheduling
from shared.unit_of_work import UnitOfWork

pytestmark = pytest.mark.service

DONG_DU = "hn-2023-dong-du"


async def test_a_conference_goes_from_plan_to_closed_with_one_event_per_step(
    host: ServiceHost, ask: Ask, clock: Clock, nats_client: Client
) -> None:
    steps: list[tuple[str, dict[str, Any]]] = [
        ("plan", plan_payload("c-1", "p-1")),
        ("announce", {"command_id": "a-1", "conference_id": "c-1"}),
        ("hold", {"command_id": "h-1", "conference_id": "c-1", "attendee_count": 120, "opinion_count": 9,
                  "effective_at": "2026-12-05T11:30:00+07:00"}),
        ("conclude", {"command_id": "k-1", "conference_id": "c-1", "summary": "Giao các phòng trả lời.",
                      "document": "TB-01/UBND"}),
        ("close", {"command_id": "x-1", "conference_id": "c-1"}),
    ]  # fmt: skip
    for verb, payload in steps:
        if verb == "hold":
            clock.now = dt.datetime(2026, 12, 5, 6, 0, tzinfo=dt.UTC)
        answer = await ask(verb, payload)
        assert answer["ok"], answer
    shown = await ask("show", {"conference_id": "c-1"})
    assert (shown["data"]["level"], shown["data"]["unit_code"], shown["data"]["state"]) == (
        "commune", "binh-luc-xa", "closed",
    )  # fmt: skip
    events = await stream_events(nats_client)  # type: ignore[arg-type]
    assert [s for s, _ in events] == [
        Scheduling.CONFERENCE_PLANNED, Scheduling.CONFERENCE_ANNOUNCED, Scheduling.CONFERENCE_HELD,
        Scheduling.CONFERENCE_CONCLUDED, Scheduling.CONFERENCE_CLOSED,
    ]  # fmt: skip
    assert {e["correlation_id"] for _, e in events} == {"c-1"}
    assert events[2][1]["conclusion_due"] == "2026-12-15"
    assert events[4][1]["record"]["attendee_count"] == 120


async def test_refusals_answer_one_sentence_and_write_nothing(
    host: ServiceHost, ask: Ask, clock: Clock, nats_client: Client
) -> None:
    assert (await ask("plan", plan_payload("c-1", "p-1")))["ok"]
    illegal = await ask(
        "hold", {"command_id": "h", "conference_id": "c-1", "attendee_count": 1, "opinion_count": 0}
    )
    assert illegal["code"] == "illegal_transition"
    assert "công bố" in illegal["message"]
    duplicate = await ask("plan", plan_payload("c-1", "p-other"))
    assert duplicate["code"] == "conference_exists"
    clash = plan_payload("c-2", "p-2", venue="Nhà văn hóa thôn Đồng Du")
    assert (await ask("plan", clash))["code"] == "chair_double_booked"
    clock.now = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    short = await ask("announce", {"command_id": "a-1", "conference_id": "c-1"})
    assert short["code"] == "notice_too_short"
    assert "08/12/2026" in short["message"]
    shown = await ask("show", {"conference_id": "c-1"})
    assert (shown["data"]["state"], shown["data"]["version"]) == ("planned", 1)
    assert (await ask("show", {"conference_id": "c-2"}))["code"] == "unknown_conference"
    overridden = await ask("plan", clash | {"override": True, "starts_at": "2026-12-05T09:00:00+07:00"})
    assert overridden["ok"]
    assert overridden["data"]["overridden_conflicts"] == ["c-1"]
    again = await ask("plan", clash | {"override": True, "starts_at": "2026-12-05T09:00:00+07:00"})
    assert again["data"]["replayed"]
    assert again["data"]["event_ids"] == overridden["data"]["event_ids"]
    assert [s for s, _ in await stream_events(nats_client)] == [Scheduling.CONFERENCE_PLANNED] * 2  # type: ignore[arg-type]


async def test_the_2023_dong_du_conference_is_back_recorded_with_effective_times(
    host: ServiceHost, ask: Ask, nats_client: Client
) -> None:
    for verb, payload in dong_du_payloads():
        answer = await ask(verb, payload)
        assert answer["ok"], answer
    shown = (await ask("show", {"conference_id": DONG_DU}))["data"]
    assert (shown["level"], shown["unit_name"], shown["state"]) == ("commune", "xã Đồng Du", "closed")
    assert shown["held_at"] == "2023-12-20T01:00:00+00:00"
    assert not shown["conclusion_late"]
    report = (await ask("report", {"from": "2023-01-01", "to": "2023-12-31"}))["data"]
    assert report["summary"] == "1 hội nghị: cấp xã 1"
    gaps = (await ask("compliance", {"year": 2023}))["data"]
    assert "dong-du" not in {g["unit_code"] for g in gaps}
    assert "la-son" in {g["unit_code"] for g in gaps}
    events = await stream_events(nats_client)  # type: ignore[arg-type]
    assert events[0][1]["occurred_at"] == "2023-11-20T02:00:00Z"
    assert (
        host.registry.get_sample_value("dialogue_conferences", {"level": "commune", "state": "closed"}) == 1
    )


def dong_du_payloads() -> list[tuple[str, dict[str, Any]]]:
    return [
        ("plan", {
            "command_id": "demo-plan-dong-du", "effective_at": "2023-11-20T09:00:00+07:00", "conference_id": DONG_DU,
            "title": "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền tỉnh với CBĐV, nhân dân xã Đồng Du",
            "unit_code": "dong-du", "starts_at": "2023-12-20T08:00:00+07:00", "ends_at": "2023-12-20T11:30:00+07:00",
            "chairs": [{"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"},
                       {"name": "Trương Quốc Huy", "title": "Chủ tịch UBND tỉnh"}],
            "participant_groups": ["cadres_party_members", "citizens"], "venue": "Hội trường UBND xã Đồng Du",
            "co_organisers": ["Ủy ban MTTQ Việt Nam tỉnh"],
        }),
        ("announce", {"command_id": "demo-announce-dong-du", "conference_id": DONG_DU,
                      "effective_at": "2023-12-01T09:00:00+07:00"}),
        ("hold", {"command_id": "demo-hold-dong-du", "conference_id": DONG_DU, "attendee_count": 200,
                  "opinion_count": 16, "effective_at": "2023-12-20T11:30:00+07:00"}),
        ("conclude", {"command_id": "demo-conclude-dong-du", "conference_id": DONG_DU,
                      "summary": "Chỉ đạo các sở, ngành trả lời bằng văn bản theo từng lĩnh vực.",
                      "document": "Thông báo kết luận số 123-TB/TU", "effective_at": "2023-12-28T09:00:00+07:00"}),
        ("close", {"command_id": "demo-close-dong-du", "conference_id": DONG_DU,
                   "effective_at": "2024-01-05T09:00:00+07:00"}),
    ]  # fmt: skip


async def test_the_48_hour_reminder_is_published_once_across_a_restart(
    make_host: Callable[[], ServiceHost], ask: Ask, clock: Clock, nats_client: Client
) -> None:
    seen: list[str] = []

    async def count(msg: Any) -> None:
        seen.append(msg.headers.get("Nats-Msg-Id", ""))

    await nats_client.subscribe(Scheduling.CONFERENCE_REMINDER_DUE, cb=count)
    await settle(nats_client)
    first = make_host()
    await first.start()
    try:
        assert (await ask("plan", plan_payload("c-1", "p-1")))["ok"]
        assert (await ask("announce", {"command_id": "a-1", "conference_id": "c-1"}))["ok"]
        clock.now = dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC)  # 46 hours before the start
        async with asyncio.timeout(10):
            while not seen:
                await asyncio.sleep(0.1)
    finally:
        await first.stop()
    second = make_host()
    await second.start()
    try:
        await asyncio.sleep(1.5)  # several sweeps
    finally:
        await second.stop()
    assert len(seen) == 1
    [(_, reminder)] = await stream_events(nats_client, Scheduling.CONFERENCE_REMINDER_DUE)  # type: ignore[arg-type]
    assert reminder["participant_groups"] == ["citizens"]
    assert reminder["hours_before"] == 48


async def test_a_lifecycle_event_saved_but_never_published_is_published_once_by_the_outbox_sweep(
    host: ServiceHost, ask: Ask, clock: Clock, nats_client: Client
) -> None:
    # What a process that died between its save and its publish leaves: the plan is stored with
    # ConferencePlanned in its outbox, and JetStream never got it; nobody resends the command.
    deps = Deps(
        ConferenceRepository(host.store), load_units(), DEFAULT_RULES, ReminderPolicy(),
        SchedulingMetrics(CollectorRegistry()), clock,
    )  # fmt: skip
    outcome = await handlers.plan(deps, PlanConference.model_validate(plan_payload("c-9", "p-9")))

    async def died(events: Sequence[Event]) -> None:
        raise TimeoutError("the process died before its PubAck")

    with pytest.raises(TimeoutError):
        await UnitOfWork(lambda: host.store, died).commit([outcome])
    [planned] = outcome.all_events
    async with asyncio.timeout(10):
        while not await stream_events(nats_client, Scheduling.CONFERENCE_PLANNED):  # type: ignore[arg-type]
            await asyncio.sleep(0.2)
    await asyncio.sleep(0.6)  # a few more sweeps: nothing is published twice
    events = await stream_events(nats_client, Scheduling.CONFERENCE_PLANNED)  # type: ignore[arg-type]
    assert [e["event_id"] for _, e in events] == [planned.event_id]
    assert (await ask("show", {"conference_id": "c-9"}))["data"]["state"] == "planned"
