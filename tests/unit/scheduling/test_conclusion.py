from __future__ import annotations

import datetime as dt

import pytest

from services.scheduling.domain import (
    ConferenceCancelled,
    ConferenceClosed,
    ConferenceConcluded,
    ConferenceHeld,
    ConferenceState,
    DayRule,
    SchedulingRules,
)
from shared.errors import DomainError

from .factories import ANNOUNCED_AT, START, in_state, vn

pytestmark = pytest.mark.unit

# Held on 14/04/2024 (Vietnam), so the conclusion is due on 24/04/2024.
DUE = dt.date(2024, 4, 24)


def conclude_at(now: dt.datetime) -> tuple[bool, bool]:
    concluded, events = in_state(ConferenceState.HELD).conclude(
        summary="Kết luận", document="KL-1", command_id="k", now=now
    )
    assert isinstance(events[0], ConferenceConcluded)
    return events[0].late, concluded.is_conclusion_late(now + dt.timedelta(days=30))


def test_the_conclusion_is_due_ten_calendar_days_after_the_conference() -> None:
    held = in_state(ConferenceState.HELD)
    assert held.conclusion_due == DUE
    assert held.held_at == START


def test_a_missing_conclusion_is_not_late_on_its_due_day() -> None:
    assert not in_state(ConferenceState.HELD).is_conclusion_late(vn(2024, 4, 24, 23, 59))


def test_a_missing_conclusion_is_late_from_midnight_in_vietnam() -> None:
    held = in_state(ConferenceState.HELD)
    # 24/04 17:00 UTC is already 25/04 in Hà Nội.
    assert held.is_conclusion_late(dt.datetime(2024, 4, 24, 17, 0, tzinfo=dt.UTC))
    assert not held.is_conclusion_late(dt.datetime(2024, 4, 24, 16, 59, tzinfo=dt.UTC))


def test_a_conclusion_issued_on_the_due_day_is_on_time_for_good() -> None:
    assert conclude_at(vn(2024, 4, 24, 17)) == (False, False)


def test_a_conclusion_issued_the_day_after_is_flagged_late_for_good() -> None:
    assert conclude_at(vn(2024, 4, 25, 8)) == (True, True)


def test_a_conference_not_yet_held_is_never_late() -> None:
    assert not in_state(ConferenceState.ANNOUNCED).is_conclusion_late(vn(2030, 1, 1))


def test_the_due_period_is_configurable() -> None:
    announced = in_state(ConferenceState.ANNOUNCED)
    held, _ = announced.hold(
        attendee_count=1,
        opinion_count=0,
        command_id="h",
        now=vn(2024, 4, 15),
        rules=SchedulingRules(conclusion_due=DayRule(15)),
    )
    assert held.conclusion_due == dt.date(2024, 4, 29)


def test_holding_can_record_the_actual_day_and_the_due_date_follows_it() -> None:
    held, events = in_state(ConferenceState.ANNOUNCED).hold(
        attendee_count=90, opinion_count=10, command_id="h", now=vn(2024, 4, 20), held_at=vn(2024, 4, 15, 14)
    )
    assert held.conclusion_due == dt.date(2024, 4, 25)
    assert isinstance(events[0], ConferenceHeld)
    assert events[0].held_at == vn(2024, 4, 15, 14)


def test_a_conference_cannot_be_recorded_as_held_before_it_starts() -> None:
    with pytest.raises(DomainError) as refused:
        in_state(ConferenceState.ANNOUNCED).hold(
            attendee_count=1, opinion_count=0, command_id="h", now=START - dt.timedelta(minutes=1)
        )
    assert refused.value.code == "not_held_yet"
    assert "08:00 ngày 14/04/2024" in refused.value.message


def test_negative_counts_are_refused() -> None:
    with pytest.raises(DomainError) as refused:
        in_state(ConferenceState.ANNOUNCED).hold(
            attendee_count=-1, opinion_count=0, command_id="h", now=START
        )
    assert refused.value.code == "count_invalid"


@pytest.mark.parametrize(
    ("summary", "document", "code"),
    [(" ", "KL-1", "conclusion_missing"), ("Kết luận", "", "conclusion_document_missing")],
)
def test_concluding_requires_a_summary_and_the_document_reference(
    summary: str, document: str, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        in_state(ConferenceState.HELD).conclude(
            summary=summary, document=document, command_id="k", now=vn(2024, 4, 20)
        )
    assert refused.value.code == code


def test_the_closed_file_holds_the_complete_closing_record() -> None:
    closed = in_state(ConferenceState.CLOSED)
    assert closed.record.attendee_count == 180
    assert closed.record.opinion_count == 16
    assert closed.record.conclusion_document == "Thông báo kết luận số 123-TB/TU"
    closed_event = closed.history[-1]
    assert isinstance(closed_event, ConferenceClosed)
    assert closed_event.record == closed.record


@pytest.mark.parametrize("action", ["postpone", "cancel"])
def test_postponing_or_cancelling_requires_a_reason(action: str) -> None:
    conference = in_state(ConferenceState.ANNOUNCED)
    with pytest.raises(DomainError) as refused:
        getattr(conference, action)("  ", command_id="x", now=ANNOUNCED_AT)
    assert refused.value.code == "reason_missing"


def test_a_cancelled_conference_keeps_its_reason() -> None:
    cancelled = in_state(ConferenceState.CANCELLED)
    assert cancelled.reason == "Bão số 3"
    cancelled_event = cancelled.history[-1]
    assert isinstance(cancelled_event, ConferenceCancelled)
    assert cancelled_event.cancelled_from is ConferenceState.PLANNED
