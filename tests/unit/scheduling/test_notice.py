from __future__ import annotations

import datetime as dt

import pytest

from services.scheduling.domain import ConferenceState, DayRule, SchedulingRules
from shared.errors import DomainError
from shared.workdays import DayType

from .factories import planned, units, vn

pytestmark = pytest.mark.unit

UTC = dt.UTC


def announce_at(
    now: dt.datetime, start: dt.datetime, rules: SchedulingRules | None = None
) -> ConferenceState:
    conference = planned(start=start, end=start + dt.timedelta(hours=3))
    announced, _ = conference.announce(command_id="a", now=now, rules=rules or SchedulingRules())
    return announced.state


def test_a_start_exactly_seven_calendar_days_after_the_announcement_day_is_allowed() -> None:
    assert announce_at(vn(2024, 4, 7, 23, 59), vn(2024, 4, 14, 0, 0)) is ConferenceState.ANNOUNCED


def test_a_start_six_days_after_is_refused_with_the_earliest_allowed_date() -> None:
    with pytest.raises(DomainError) as refused:
        announce_at(vn(2024, 4, 7, 0, 1), vn(2024, 4, 13, 23, 59))
    assert refused.value.code == "notice_too_short"
    assert refused.value.message == (
        "Hội nghị phải được công bố ít nhất 7 ngày trước ngày diễn ra; công bố ngày 07/04/2024 thì "
        "ngày bắt đầu sớm nhất là 14/04/2024, hãy đổi lịch sang ngày đó hoặc muộn hơn."
    )


def test_23_30_utc_already_counts_as_the_next_day_in_vietnam() -> None:
    # 06/04 23:30 UTC is 07/04 06:30 in Hà Nội: counting UTC dates would wrongly allow 13/04.
    now = dt.datetime(2024, 4, 6, 23, 30, tzinfo=UTC)
    with pytest.raises(DomainError) as refused:
        announce_at(now, vn(2024, 4, 13, 23, 0))
    assert "sớm nhất là 14/04/2024" in refused.value.message


def test_the_start_day_is_also_read_in_vietnam_time() -> None:
    # 14/04 00:00 in Hà Nội is still 13/04 in UTC: counting UTC dates would wrongly refuse it.
    now = dt.datetime(2024, 4, 7, 16, 59, tzinfo=UTC)
    start = dt.datetime(2024, 4, 13, 17, 0, tzinfo=UTC)
    assert announce_at(now, start) is ConferenceState.ANNOUNCED


def test_announcing_a_conference_whose_start_has_passed_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        announce_at(vn(2024, 4, 14, 8, 1), vn(2024, 4, 14, 8, 0))
    assert refused.value.code == "start_in_past"


def test_the_notice_can_be_counted_in_working_days() -> None:
    rules = SchedulingRules(notice=DayRule(7, DayType.WORKING))
    # Friday 05/04/2024: seven working days later is Tuesday 16/04 (two weekends in between).
    with pytest.raises(DomainError) as refused:
        announce_at(vn(2024, 4, 5), vn(2024, 4, 15), rules)
    assert "7 ngày làm việc" in refused.value.message
    assert "16/04/2024" in refused.value.message
    assert announce_at(vn(2024, 4, 5), vn(2024, 4, 16), rules) is ConferenceState.ANNOUNCED


def test_a_shorter_notice_can_be_configured() -> None:
    rules = SchedulingRules(notice=DayRule(3))
    assert announce_at(vn(2024, 4, 7), vn(2024, 4, 10), rules) is ConferenceState.ANNOUNCED


def test_rescheduling_an_announced_conference_must_respect_the_notice_again() -> None:
    announced, _ = planned().announce(command_id="a", now=vn(2024, 3, 20))
    with pytest.raises(DomainError) as refused:
        announced.reschedule(
            vn(2024, 4, 12), vn(2024, 4, 12, 11), units=units(), command_id="r", now=vn(2024, 4, 7)
        )
    assert refused.value.code == "notice_too_short"
    moved, _ = announced.reschedule(
        vn(2024, 4, 14), vn(2024, 4, 14, 11), units=units(), command_id="r", now=vn(2024, 4, 7)
    )
    assert moved.state is ConferenceState.ANNOUNCED


def test_a_planned_conference_may_be_rescheduled_to_a_near_date_but_not_to_the_past() -> None:
    conference = planned()
    moved, _ = conference.reschedule(
        vn(2024, 4, 9), vn(2024, 4, 9, 11), units=units(), command_id="r", now=vn(2024, 4, 7)
    )
    assert moved.start == vn(2024, 4, 9)
    with pytest.raises(DomainError) as refused:
        conference.reschedule(
            vn(2024, 4, 6), vn(2024, 4, 6, 11), units=units(), command_id="r", now=vn(2024, 4, 7)
        )
    assert refused.value.code == "start_in_past"
