"""Deadlines in working days across Tết and substituted days off; calendar-day rules; reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.assignment.adapters.routing_file import RoutingConfig
from services.assignment.domain.deadlines import DeadlinePolicy, DeadlineRule, deadline_for, reminder_date
from shared.workdays import DayType, WorkCalendar

pytestmark = pytest.mark.unit

CAL = WorkCalendar()
DEFAULT = DeadlinePolicy()
D = dt.date


def test_fifteen_working_days_skip_the_whole_of_tet_2027() -> None:
    # Tết 2027 runs 04–10/02; from Monday 01/02 only 02/02 and 03/02 count before it.
    assert deadline_for("education", "recommendation", D(2027, 2, 1), DEFAULT, CAL) == D(2027, 3, 1)


def test_three_working_days_from_before_tet_land_two_days_after_it() -> None:
    policy = DeadlinePolicy(default=DeadlineRule(days=3))
    assert deadline_for("education", "opinion", D(2027, 2, 2), policy, CAL) == D(2027, 2, 12)


def test_the_saturday_worked_in_exchange_for_31_august_2026_counts_as_a_working_day() -> None:
    policy = DeadlinePolicy(default=DeadlineRule(days=1))
    assert deadline_for("land", "opinion", D(2026, 8, 21), policy, CAL) == D(2026, 8, 22)


def test_the_substituted_day_off_on_31_august_2026_and_national_day_are_skipped() -> None:
    policy = DeadlinePolicy(default=DeadlineRule(days=1))
    assert deadline_for("education", "opinion", D(2026, 8, 28), policy, CAL) == D(2026, 9, 3)


def test_the_substitution_of_2_may_2025_for_saturday_26_april_is_honoured() -> None:
    policy = DeadlinePolicy(default=DeadlineRule(days=1))
    assert deadline_for("education", "opinion", D(2025, 4, 25), policy, CAL) == D(2025, 4, 26)
    assert deadline_for("education", "opinion", D(2025, 4, 29), policy, CAL) == D(2025, 5, 5)


def test_a_calendar_day_rule_ending_on_a_sunday_runs_to_monday() -> None:
    policy = DeadlinePolicy(rules=(DeadlineRule(field="land", days=30, day_type=DayType.CALENDAR),))
    assert deadline_for("land", "opinion", D(2026, 11, 20), policy, CAL) == D(2026, 12, 21)


def test_a_calendar_day_rule_ending_inside_tet_runs_to_the_first_working_day_after_it() -> None:
    policy = DeadlinePolicy(rules=(DeadlineRule(field="land", days=30, day_type=DayType.CALENDAR),))
    assert deadline_for("land", "opinion", D(2027, 1, 6), policy, CAL) == D(2027, 2, 11)


def test_calendar_and_working_rules_give_different_deadlines_for_the_same_start() -> None:
    working = DeadlinePolicy(default=DeadlineRule(days=10))
    calendar = DeadlinePolicy(default=DeadlineRule(days=10, day_type=DayType.CALENDAR))
    start = D(2027, 2, 1)
    assert deadline_for("land", "opinion", start, calendar, CAL) == D(2027, 2, 11)
    assert deadline_for("land", "opinion", start, working, CAL) == D(2027, 2, 22)


def test_the_most_specific_rule_wins() -> None:
    policy = DeadlinePolicy(
        rules=(
            DeadlineRule(kind="feedback", days=10),
            DeadlineRule(field="land", days=20),
            DeadlineRule(field="land", kind="feedback", days=5),
        )
    )
    assert policy.rule_for("land", "feedback").days == 5
    assert policy.rule_for("land", "proposal").days == 20
    assert policy.rule_for("education", "feedback").days == 10
    assert policy.rule_for("education", "proposal").days == 15


def test_the_packaged_policy_counts_land_in_calendar_days_and_the_rest_in_working_days(
    config: RoutingConfig,
) -> None:
    assert config.policy.rule_for("land", "recommendation").day_type is DayType.CALENDAR
    assert config.policy.rule_for("education", "recommendation") == DeadlineRule(days=15)


def test_the_reminder_goes_out_three_working_days_before_a_deadline_after_tet() -> None:
    assert reminder_date(D(2027, 2, 12), CAL) == D(2027, 2, 2)
    assert reminder_date(D(2027, 2, 12), CAL, days=1) == D(2027, 2, 11)


dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 10, 31))


@settings(max_examples=200, deadline=None)
@given(start=dates, days=st.integers(min_value=1, max_value=40))
def test_a_working_day_deadline_is_a_working_day_exactly_n_working_days_later(
    start: dt.date, days: int
) -> None:
    policy = DeadlinePolicy(default=DeadlineRule(days=days))
    deadline = deadline_for("land", "opinion", start, policy, CAL)
    assert CAL.is_working_day(deadline)
    assert CAL.working_days_between(start, deadline) == days


@settings(max_examples=200, deadline=None)
@given(start=dates, days=st.integers(min_value=1, max_value=60))
def test_a_calendar_day_deadline_only_moves_past_days_off(start: dt.date, days: int) -> None:
    policy = DeadlinePolicy(default=DeadlineRule(days=days, day_type=DayType.CALENDAR))
    deadline = deadline_for("land", "opinion", start, policy, CAL)
    nominal = start + dt.timedelta(days=days)
    assert CAL.is_working_day(deadline)
    assert deadline >= nominal
    skipped = (nominal + dt.timedelta(days=i) for i in range((deadline - nominal).days))
    assert not any(CAL.is_working_day(day) for day in skipped)
