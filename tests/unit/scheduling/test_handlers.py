from __future__ import annotations

from collections.abc import Sequence

import pytest

from services.scheduling import handlers
from services.scheduling.adapters.repository import CONFERENCES
from shared.contracts.base import Event
from shared.contracts.scheduling_commands import PlanConference
from shared.errors import DomainError

from .handler_fixtures import NOW, Bed, cmd, plan_payload, replayed

pytestmark = pytest.mark.unit


async def test_planning_takes_the_level_and_unit_name_from_the_unit_tree() -> None:
    outcome = await Bed().run(handlers.plan, plan_payload())
    [event] = outcome.all_events
    assert event.routing_subject() == "scheduling.conference.planned"
    assert (event.level, event.unit_name, event.correlation_id) == ("commune", "xã Bình Lục", "c-1")  # type: ignore[attr-defined]


async def test_a_repeated_plan_command_replays_the_same_event_without_a_second_write() -> None:
    bed = Bed()
    first = await bed.run(handlers.plan, plan_payload())
    again = await bed.run(handlers.plan, plan_payload())
    assert replayed(again)
    assert [e.event_id for e in again.all_events] == [e.event_id for e in first.all_events]
    assert bed.store.collections[CONFERENCES]["c-1"]["version"] == 1


async def test_a_second_plan_for_the_same_id_with_another_command_is_refused() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload())
    with pytest.raises(DomainError) as refused:
        await bed.run(handlers.plan, plan_payload(command_id="other"))
    assert refused.value.code == "conference_exists"


async def test_a_double_booked_chair_is_refused_unless_overridden() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload("c-1"))
    clash = plan_payload("c-2", venue="Nhà văn hóa thôn 1")
    with pytest.raises(DomainError) as refused:
        await bed.run(handlers.plan, clash)
    assert refused.value.code == "chair_double_booked"
    assert "c-2" not in bed.store.collections[CONFERENCES]
    outcome = await bed.run(handlers.plan, {**clash, "override": True})
    assert outcome.all_events[0].overridden_conflicts == ["c-1"]  # type: ignore[attr-defined]


async def test_an_illegal_transition_names_the_allowed_ones_and_changes_nothing() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload())
    before = dict(bed.store.collections[CONFERENCES]["c-1"])
    with pytest.raises(DomainError) as refused:
        await bed.run(handlers.close, cmd("c-1", "close-1"))
    assert refused.value.code == "illegal_transition"
    assert "chỉ được: công bố, đổi lịch, tạm hoãn, hủy" in refused.value.message
    assert bed.store.collections[CONFERENCES]["c-1"] == before


async def test_announcing_too_late_gives_the_earliest_allowed_date() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload())
    with pytest.raises(DomainError) as refused:
        await bed.run(handlers.announce, cmd("c-1", "a", effective_at="2026-11-30T09:00:00+07:00"))
    assert refused.value.code == "effective_at_in_future"
    late = NOW.replace(day=29)
    with pytest.raises(DomainError) as refused:
        await bed.run(handlers.announce, cmd("c-1", "a"), late)
    assert refused.value.code == "notice_too_short"
    assert "06/12/2026" in refused.value.message


async def test_bad_payloads_are_refused_with_a_vietnamese_sentence() -> None:
    bed = Bed()
    cases = [
        ({k: v for k, v in plan_payload().items() if k != "title"}, "missing_field"),
        (plan_payload(colour="red"), "unknown_field"),
        (plan_payload(participant_groups=["aliens"]), "unknown_participant_groups"),
        (plan_payload(unit_code="xa-dong-du"), "unknown_unit"),
        (plan_payload(ends_at="2026-12-05T07:00:00+07:00"), "end_before_start"),
        (plan_payload(unit_code="dong-du"), "unit_inactive"),
    ]
    for payload, code in cases:
        with pytest.raises(DomainError) as refused:
            await bed.run(handlers.plan, payload)
        assert refused.value.code == code, payload
        assert refused.value.message.endswith(".")


async def test_a_missing_conference_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        await Bed().run(handlers.announce, cmd("nope", "a"))
    assert refused.value.code == "unknown_conference"


async def test_a_lifecycle_event_whose_publish_failed_after_the_save_is_republished_by_the_sweep() -> None:
    bed = Bed()

    async def broken(events: Sequence[Event]) -> None:
        raise TimeoutError("nats down")

    outcome = await handlers.plan(bed.deps, PlanConference.model_validate(plan_payload()))
    with pytest.raises(TimeoutError):
        await bed.unit_of_work(broken).commit([outcome])
    assert bed.store.collections[CONFERENCES]["c-1"]["has_unpublished"]
    assert await bed.uow.sweep() == 1
    assert await bed.uow.sweep() == 0
    assert [e.event_id for e in bed.published.events] == [e.event_id for e in outcome.all_events]


async def test_a_repeated_command_republishes_its_events_without_changing_the_conference() -> None:
    bed = Bed()
    await bed.run(handlers.plan, plan_payload())
    first = await bed.run(handlers.announce, cmd("c-1", "a"))
    before = dict(bed.store.collections[CONFERENCES]["c-1"])
    again = await bed.run(handlers.announce, cmd("c-1", "a"))
    assert replayed(again)
    assert not again.changes
    assert [e.event_id for e in again.events] == [e.event_id for e in first.all_events]
    assert bed.store.collections[CONFERENCES]["c-1"] == before
