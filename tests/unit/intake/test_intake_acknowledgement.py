from __future__ import annotations

import datetime as dt

import pytest

from services.intake.domain import ACKNOWLEDGEMENT_RULE, DeadlineRule, acknowledgement_due
from shared.workdays import DayType, WorkCalendar

pytestmark = pytest.mark.unit

CALENDAR = WorkCalendar()


def _at(year: int, month: int, day: int, hour: int = 3) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def test_the_default_rule_is_ten_working_days_from_regulation_11() -> None:
    assert ACKNOWLEDGEMENT_RULE.days == 10
    assert ACKNOWLEDGEMENT_RULE.day_type is DayType.WORKING
    assert "11-QĐi/TW" in ACKNOWLEDGEMENT_RULE.source


def test_weekends_are_not_counted() -> None:
    # Friday 1 March 2024: two working weeks later is Friday 15 March.
    assert acknowledgement_due(_at(2024, 3, 1), CALENDAR) == dt.date(2024, 3, 15)


def test_tet_holidays_are_not_counted() -> None:
    # Received the day before Tết Giáp Thìn (8-14 February 2024 off).
    assert acknowledgement_due(_at(2024, 2, 7), CALENDAR) == dt.date(2024, 2, 28)


def test_days_are_counted_from_the_date_of_receipt_in_vietnam() -> None:
    # 23:30 UTC on Sunday 3 March is 06:30 on Monday 4 March in Hà Nội.
    assert acknowledgement_due(_at(2024, 3, 3, hour=23) + dt.timedelta(minutes=30), CALENDAR) == dt.date(
        2024, 3, 18
    )


def test_a_province_can_count_calendar_days_instead() -> None:
    rule = DeadlineRule(10, DayType.CALENDAR, "quy định của tỉnh")
    assert acknowledgement_due(_at(2024, 2, 7), CALENDAR, rule) == dt.date(2024, 2, 17)


def test_a_local_day_off_pushes_the_deadline() -> None:
    local = WorkCalendar(extra_days_off=[dt.date(2024, 3, 5)])
    assert acknowledgement_due(_at(2024, 3, 1), local) == dt.date(2024, 3, 18)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        acknowledgement_due(dt.datetime(2024, 3, 1, 8), CALENDAR)


def test_a_negative_deadline_cannot_be_configured() -> None:
    with pytest.raises(ValueError, match="negative"):
        DeadlineRule(-1, DayType.WORKING, "x")
