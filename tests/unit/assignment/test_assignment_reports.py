"""Agency reports: period parsing and the on-time rate with worked numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from assignment_support import OpenFactory, vn
from hypothesis import given
from hypothesis import strategies as st

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.reports import (
    AgencyReport,
    Latency,
    agency_reports,
    format_rate,
    format_rating,
    latency_percentiles,
    parse_period,
    reports_with_total,
)
from services.assignment.domain.routing import DirectAnswer
from shared.errors import DomainError
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.unit

D = dt.date
AGENCY = "nb-sgddt"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", D(2026, 11, 1), D(2026, 11, 30)),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-6M", D(2026, 1, 1), D(2026, 6, 30)),
        ("2026-9M", D(2026, 1, 1), D(2026, 9, 30)),
        ("2026", D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_report_periods_cover_the_months_conclusion_215_asks_for(
    text: str, start: dt.date, end: dt.date
) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-Q5", "2026-H3", "2026-7M", "26-Q1", "", "Q3-2026"]
)
def test_a_malformed_period_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_period(text)
    assert caught.value.code == "invalid_period"
    assert "2026-Q3" in caught.value.message


@given(year=st.integers(min_value=2000, max_value=2100), month=st.integers(min_value=1, max_value=12))
def test_a_month_period_ends_the_day_before_the_next_month_starts(year: int, month: int) -> None:
    period = parse_period(f"{year}-{month:02d}")
    assert period.start == D(year, month, 1)
    assert (period.end + dt.timedelta(days=1)).day == 1
    assert period.end.month == month


def _answered(a: Assignment, day: dt.datetime, cid: str) -> Assignment:
    a.submit_answer(AGENCY, f"{cid}/SGDĐT", day.date(), "Đã trả lời.", day, cid)
    return a


def test_the_on_time_rate_counts_open_overdue_opinions_against_the_agency(
    open_assignment: OpenFactory, calendar: WorkCalendar
) -> None:
    july = vn(2026, 7, 1)  # deadline 22/07/2026: no holiday in July
    docs = [
        _answered(open_assignment("education", at=july), vn(2026, 7, 10), "a"),  # on time, 7 working days
        _answered(open_assignment("education", at=july), vn(2026, 7, 15), "b"),  # on time, 10 working days
        _answered(open_assignment("education", at=july), vn(2026, 8, 20), "c"),  # late, 36 working days
        open_assignment("education", at=vn(2026, 8, 3)),  # open, overdue since 24/08
        open_assignment("education", at=vn(2026, 9, 25)),  # open, due in October: not overdue
        _answered(open_assignment("education", at=vn(2026, 6, 1)), vn(2026, 6, 10), "f"),  # other period
    ]
    (row,) = agency_reports([d.to_doc() for d in docs], parse_period("2026-Q3"), calendar)
    assert (row.assigned, row.answered_on_time, row.answered_late, row.open_overdue) == (5, 2, 1, 1)
    assert row.median_working_days == 10.0
    # 7, 10 and 36 working days: p90 sits at 0.9·2 = 1.8 places, 10 + 0.8·(36 − 10)
    assert (row.p90_working_days, row.max_working_days) == (pytest.approx(30.8), 36.0)
    # 2 on time ÷ (3 answered + 1 open and overdue)
    assert row.on_time_rate == 0.5
    assert format_rate(row.on_time_rate) == "50,0%"


def test_an_opinion_answered_after_the_period_counts_as_open_and_overdue_at_its_end(
    open_assignment: OpenFactory, calendar: WorkCalendar
) -> None:
    late = _answered(open_assignment("education", at=vn(2026, 9, 1)), vn(2026, 10, 5), "late")
    (september,) = agency_reports([late.to_doc()], parse_period("2026-09"), calendar)
    (october,) = agency_reports([late.to_doc()], parse_period("2026-10"), calendar)
    assert (september.open_overdue, september.answered) == (1, 0)
    assert (october.answered_late, october.open_overdue) == (1, 0)


def test_an_unfinished_period_is_judged_at_the_as_of_date(
    open_assignment: OpenFactory, calendar: WorkCalendar
) -> None:
    doc = open_assignment("education", at=vn(2026, 7, 1)).to_doc()  # deadline 22/07
    (early,) = agency_reports([doc], parse_period("2026-Q3"), calendar, as_of=D(2026, 7, 20))
    (later,) = agency_reports([doc], parse_period("2026-Q3"), calendar, as_of=D(2026, 7, 23))
    assert (early.open_overdue, later.open_overdue) == (0, 1)


def test_with_nothing_answered_and_nothing_overdue_the_rate_is_none_shown_as_a_dash() -> None:
    row = AgencyReport(AGENCY, "Sở Giáo dục và Đào tạo tỉnh Ninh Bình", assigned=3)
    assert row.on_time_rate is None
    assert format_rate(row.on_time_rate) == "—"
    assert AgencyReport(AGENCY, "x", open_overdue=2).on_time_rate == 0.0


def test_a_transfer_counts_for_the_competent_agency_and_a_direct_answer_for_no_agency_row(
    open_assignment: OpenFactory, calendar: WorkCalendar
) -> None:
    # A transfer is handed over to the province's department, which owes the answer by its deadline.
    transferred = open_assignment("planning", unit="binh-luc-xa", level="commune", at=vn(2026, 7, 1))
    (row,) = agency_reports([transferred.to_doc()], parse_period("2026"), calendar, as_of=D(2026, 7, 2))
    assert (row.agency_code, row.assigned) == ("nb-sxd", 1)
    direct = open_assignment("land", at=vn(2026, 7, 1), direct=DirectAnswer("Đã trả lời.", "Chủ tịch"))
    assert agency_reports([direct.to_doc()], parse_period("2026"), calendar) == []


def _rated(assignment: Assignment, stars: int, at: dt.datetime) -> Assignment:
    number = f"{stars}/SGDĐT"
    assignment.submit_answer(
        AGENCY, number, at.date(), "Đã bố trí kinh phí.", at, f"ans-{assignment.opinion_id}"
    )
    assignment.publish(at, f"pub-{assignment.opinion_id}", "head")
    assignment.rate(stars, "", at, f"rate-{assignment.opinion_id}")
    return assignment


def test_the_report_has_the_number_and_average_of_the_ratings_given_in_the_period(
    open_assignment: OpenFactory, calendar: WorkCalendar
) -> None:
    rated = [_rated(open_assignment("education", at=vn(2026, 7, 1)), s, vn(2026, 7, 6)) for s in (5, 4, 4)]
    earlier = _rated(open_assignment("education", at=vn(2026, 5, 4)), 1, vn(2026, 5, 5))  # Q2, not Q3
    unrated = open_assignment("education", at=vn(2026, 7, 1))
    docs = [a.to_doc() for a in (*rated, earlier, unrated)]
    (row,) = agency_reports(docs, parse_period("2026-Q3"), calendar)
    assert (row.ratings, row.average_rating) == (3, 4.33)
    assert format_rating(row.average_rating, row.ratings) == "4,3/5 (3 lượt)"
    (none,) = agency_reports([unrated.to_doc()], parse_period("2026-Q3"), calendar)
    assert (none.ratings, none.average_rating) == (0, None)
    assert format_rating(none.average_rating, none.ratings) == "—"


def test_no_answer_has_no_latency_percentiles() -> None:
    assert latency_percentiles([]) == Latency(None, None, None)


def test_one_answer_is_its_own_median_p90_and_maximum() -> None:
    assert latency_percentiles([4]) == Latency(4.0, 4.0, 4.0)


def test_two_answers_interpolate_between_them() -> None:
    # position 0.5·1 and 0.9·1 between 2 and 12
    assert latency_percentiles([12, 2]) == Latency(7.0, 11.0, 12.0)


def test_many_answers_give_the_inclusive_percentiles() -> None:
    days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30]  # eleven values: p90 is the tenth, exactly
    assert latency_percentiles(days) == Latency(6.0, 10.0, 30.0)
    assert latency_percentiles([5, 1, 9, 3]) == Latency(4.0, pytest.approx(7.8), 9.0)  # 5 + 0.7·(9 − 5)


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=200))
def test_p50_p90_and_the_maximum_are_ordered_values_of_the_input_or_between_neighbours(
    days: list[int],
) -> None:
    latency = latency_percentiles(days)
    assert latency.p50 is not None
    assert latency.p90 is not None
    assert latency.maximum is not None
    assert min(days) <= latency.p50 <= latency.p90 <= latency.maximum == max(days)
    ordered = sorted(days)
    for value, share in ((latency.p50, 0.5), (latency.p90, 0.9)):
        position = share * (len(ordered) - 1)
        below, above = ordered[int(position)], ordered[min(int(position) + 1, len(ordered) - 1)]
        assert below <= value <= above
        assert value == pytest.approx(below + (position - int(position)) * (above - below))


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=200))
def test_p50_is_the_median_the_report_always_showed(days: list[int]) -> None:
    import statistics

    assert latency_percentiles(days).p50 == float(statistics.median(days))


def test_the_total_pools_the_answers_of_the_agencies_asked_for(
    open_assignment: OpenFactory, calendar: WorkCalendar
) -> None:
    july = vn(2026, 7, 1)
    education = [
        _answered(open_assignment("education", at=july), vn(2026, 7, 10), "a"),  # 7 working days
        _answered(open_assignment("education", at=july), vn(2026, 8, 20), "c"),  # 36, late
    ]
    health = open_assignment("health_insurance", at=july)
    assert health.agency is not None
    assert health.agency.code != AGENCY
    health.submit_answer(health.agency.code, "h/SYT", D(2026, 7, 15), "Đã trả lời.", vn(2026, 7, 15), "h")
    # 10 working days
    docs = [d.to_doc() for d in (*education, health)]
    period = parse_period("2026-Q3")

    everyone = reports_with_total(docs, period, calendar)
    (only,) = reports_with_total(docs, period, calendar, agencies=[AGENCY]).rows
    alone = reports_with_total(docs, period, calendar, agencies=[AGENCY]).total
    nobody = reports_with_total(docs, period, calendar, agencies=["xa-khong-co"])

    assert len(everyone.rows) == 2
    total = everyone.total
    assert (total.agency_code, total.assigned, total.answered_on_time, total.answered_late) == ("", 3, 2, 1)
    # pooled 7, 10, 36, not the rows' medians (10 and 21.5)
    assert (total.median_working_days, total.max_working_days) == (10.0, 36.0)
    assert total.p90_working_days == pytest.approx(30.8)
    assert only.agency_code == AGENCY
    assert (alone.assigned, alone.median_working_days, alone.p90_working_days) == (
        2,
        21.5,
        pytest.approx(33.1),
    )
    assert nobody.rows == []
    assert (nobody.total.assigned, nobody.total.median_working_days, nobody.total.on_time_rate) == (
        0,
        None,
        None,
    )
