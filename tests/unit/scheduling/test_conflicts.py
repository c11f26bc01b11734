from __future__ import annotations

import datetime as dt

import pytest

from services.scheduling.domain import (
    Chair,
    Conference,
    ConferenceFormat,
    ConferencePlanned,
    ConferenceRescheduled,
    ConferenceState,
    SchedulingRules,
)
from shared.errors import Conflict

from .factories import PLANNED_AT, START, details, in_state, planned, units

pytestmark = pytest.mark.unit

OTHER_CHAIR = (Chair("Nguyễn Văn An", "Chủ tịch UBND xã"),)


def plan_second(others: list[Conference], override: bool = False, **overrides: object) -> Conference:
    fields: dict[str, object] = {"title": "Đối thoại với thanh niên", "venue": "Nhà văn hóa thôn An Bài 1"}
    fields.update(overrides)
    conference, _ = Conference.plan(
        "c-second",
        details(**fields),
        units=units(),
        command_id="p2",
        now=PLANNED_AT,
        others=others,
        override=override,
    )
    return conference


def test_a_chair_booked_for_an_overlapping_conference_is_refused_naming_it() -> None:
    first = planned()
    with pytest.raises(Conflict) as refused:
        plan_second([first], start=START + dt.timedelta(hours=2), end=START + dt.timedelta(hours=5))
    assert refused.value.code == "chair_double_booked"
    assert "đồng chí Lê Thị Thủy" in refused.value.message
    assert f"'{first.title}' (mã c-dong-du)" in refused.value.message
    assert "từ 08:00 ngày 14/04/2024 đến 11:30 ngày 14/04/2024" in refused.value.message


def test_chair_names_are_compared_ignoring_case_spacing_and_tone_mark_placement() -> None:
    with pytest.raises(Conflict):
        plan_second([planned()], chairs=(Chair("  lê thị  THUỶ ", "Bí thư"),))


def test_a_different_name_that_differs_only_by_a_tone_is_another_person() -> None:
    conference = plan_second([planned()], chairs=(Chair("Lê Thị Thụy", "Bí thư"),))
    assert conference.state is ConferenceState.PLANNED


def test_a_venue_booked_for_an_overlapping_conference_is_refused() -> None:
    with pytest.raises(Conflict) as refused:
        plan_second([planned()], chairs=OTHER_CHAIR, venue="hội trường UBND xã Đồng Du.")
    assert refused.value.code == "venue_double_booked"
    assert "địa điểm 'Hội trường UBND xã Đồng Du'" in refused.value.message


def test_online_conferences_share_no_venue() -> None:
    online = plan_second(
        [planned()], chairs=OTHER_CHAIR, format=ConferenceFormat.ONLINE, venue="Hội trường UBND xã Đồng Du",
        link="https://meet.example.vn/dong-du",
    )  # fmt: skip
    assert online.overridden_conflicts == ()


def test_back_to_back_conferences_do_not_overlap() -> None:
    first = planned()
    second = plan_second([first], start=first.end, end=first.end + dt.timedelta(hours=2))
    assert second.overridden_conflicts == ()


@pytest.mark.parametrize("state", [ConferenceState.CANCELLED, ConferenceState.POSTPONED])
def test_cancelled_or_postponed_conferences_free_their_slot(state: ConferenceState) -> None:
    assert plan_second([in_state(state)]).state is ConferenceState.PLANNED


def test_the_operator_may_override_and_the_event_records_it() -> None:
    second = plan_second([planned()], override=True)
    assert second.overridden_conflicts == ("c-dong-du",)
    planned_event = second.history[0]
    assert isinstance(planned_event, ConferencePlanned)
    assert planned_event.overridden_conflicts == ("c-dong-du",)


def test_the_overlap_check_can_be_switched_off() -> None:
    conference, _ = Conference.plan(
        "c-second", details(), units=units(), command_id="p2", now=PLANNED_AT,
        others=[planned()], rules=SchedulingRules(overlap_check=False),
    )  # fmt: skip
    assert conference.overridden_conflicts == ()


def test_rescheduling_into_a_booked_slot_is_refused_unless_overridden() -> None:
    first = planned()
    second = plan_second(
        [first], start=START + dt.timedelta(days=1), end=START + dt.timedelta(days=1, hours=3)
    )
    others = [first, second]  # the store returns the conference itself too; it must not clash with itself
    with pytest.raises(Conflict):
        second.reschedule(
            START, START + dt.timedelta(hours=1), units=units(), command_id="r", now=PLANNED_AT, others=others
        )
    moved, events = second.reschedule(
        START,
        START + dt.timedelta(hours=1),
        units=units(),
        command_id="r",
        now=PLANNED_AT,
        others=others,
        override=True,
    )
    assert isinstance(events[0], ConferenceRescheduled)
    assert events[0].overridden_conflicts == ("c-dong-du",)
    assert moved.start == START


def test_a_conference_never_conflicts_with_itself() -> None:
    first = planned()
    moved, _ = first.reschedule(
        START + dt.timedelta(hours=1), START + dt.timedelta(hours=4), units=units(), command_id="r", now=PLANNED_AT,
        others=[first],
    )  # fmt: skip
    assert moved.overridden_conflicts == ()
