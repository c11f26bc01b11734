from __future__ import annotations

import pytest

from services.scheduling import handlers
from services.scheduling.adapters.repository import CONFERENCES
from shared.errors import DomainError
from tests.fakes import InMemoryStore

from .handler_fixtures import NOW, cmd, context, plan_payload

pytestmark = pytest.mark.unit


async def test_planning_takes_the_level_and_unit_name_from_the_unit_tree() -> None:
    outcome = await handlers.plan(context(), plan_payload(), NOW)
    [event] = outcome.events
    assert event.routing_subject() == "scheduling.conference.planned"
    assert (event.level, event.unit_name, event.correlation_id) == ("commune", "xã Bình Lục", "c-1")  # type: ignore[attr-defined]


async def test_a_repeated_plan_command_replays_the_same_event_without_a_second_write() -> None:
    store = InMemoryStore()
    first = await handlers.plan(context(store), plan_payload(), NOW)
    again = await handlers.plan(context(store), plan_payload(), NOW)
    assert again.replayed
    assert [e.event_id for e in again.events] == [e.event_id for e in first.events]
    assert store.collections[CONFERENCES]["c-1"]["version"] == 1


async def test_a_second_plan_for_the_same_id_with_another_command_is_refused() -> None:
    store = InMemoryStore()
    await handlers.plan(context(store), plan_payload(), NOW)
    with pytest.raises(DomainError) as refused:
        await handlers.plan(context(store), plan_payload(command_id="other"), NOW)
    assert refused.value.code == "conference_exists"


async def test_a_double_booked_chair_is_refused_unless_overridden() -> None:
    store = InMemoryStore()
    await handlers.plan(context(store), plan_payload("c-1"), NOW)
    clash = plan_payload("c-2", venue="Nhà văn hóa thôn 1")
    with pytest.raises(DomainError) as refused:
        await handlers.plan(context(store), clash, NOW)
    assert refused.value.code == "chair_double_booked"
    assert "c-2" not in store.collections[CONFERENCES]
    outcome = await handlers.plan(context(store), {**clash, "override": True}, NOW)
    assert outcome.events[0].overridden_conflicts == ["c-1"]  # type: ignore[attr-defined]


async def test_an_illegal_transition_names_the_allowed_ones_and_changes_nothing() -> None:
    store = InMemoryStore()
    await handlers.plan(context(store), plan_payload(), NOW)
    before = dict(store.collections[CONFERENCES]["c-1"])
    with pytest.raises(DomainError) as refused:
        await handlers.close(context(store), cmd("c-1", "close-1"), NOW)
    assert refused.value.code == "illegal_transition"
    assert "chỉ được: công bố, đổi lịch, tạm hoãn, hủy" in refused.value.message
    assert store.collections[CONFERENCES]["c-1"] == before


async def test_announcing_too_late_gives_the_earliest_allowed_date() -> None:
    store = InMemoryStore()
    await handlers.plan(context(store), plan_payload(), NOW)
    with pytest.raises(DomainError) as refused:
        await handlers.announce(
            context(store), cmd("c-1", "a", effective_at="2026-11-30T09:00:00+07:00"), NOW
        )
    assert refused.value.code == "effective_at_in_future"
    late = NOW.replace(day=29)
    with pytest.raises(DomainError) as refused:
        await handlers.announce(context(store), cmd("c-1", "a"), late)
    assert refused.value.code == "notice_too_short"
    assert "06/12/2026" in refused.value.message


async def test_bad_payloads_are_refused_with_a_vietnamese_sentence() -> None:
    ctx = context()
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
            await handlers.plan(ctx, payload, NOW)
        assert refused.value.code == code, payload
        assert refused.value.message.endswith(".")


async def test_a_missing_conference_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        await handlers.announce(context(), cmd("nope", "a"), NOW)
    assert refused.value.code == "unknown_conference"
