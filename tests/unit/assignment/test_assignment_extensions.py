"""Deadline extensions: asked by the agency, decided by the head, bounded by the province's limits."""

from __future__ import annotations

import datetime as dt

import pytest
from assignment_support import OpenFactory, vn

from services.assignment.adapters.routing_file import RoutingConfig
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.deadlines import DeadlinePolicy
from services.assignment.domain.events import DeadlineExtended, ExtensionRefused
from shared.errors import Conflict, DomainError
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.unit

AGENCY = "nb-sgddt"
D = dt.date


@pytest.fixture
def assignment(open_assignment: OpenFactory) -> Assignment:
    a = open_assignment("education", at=vn(2027, 1, 27))
    assert a.deadline == D(2027, 2, 24)
    return a


def _ask(a: Assignment, new: dt.date, cid: str, cal: WorkCalendar, policy: DeadlinePolicy) -> None:
    a.request_extension(AGENCY, new, "Cần lấy ý kiến Sở Tài chính.", vn(2027, 2, 16), cid, cal, policy)


def test_an_approved_extension_moves_the_deadline(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    _ask(assignment, D(2027, 3, 3), "ask", calendar, config.policy)
    result = assignment.approve_extension(vn(2027, 2, 17), "approve", "Chủ tịch", calendar, config.policy)
    event = result.events[0]
    assert isinstance(event, DeadlineExtended)
    assert (event.previous_deadline, event.deadline) == (D(2027, 2, 24), D(2027, 3, 3))
    assert (assignment.deadline, assignment.original_deadline, assignment.extensions) == (
        D(2027, 3, 3),
        D(2027, 2, 24),
        1,
    )


def test_a_refused_extension_keeps_the_deadline(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    _ask(assignment, D(2027, 3, 3), "ask", calendar, config.policy)
    result = assignment.refuse_extension(
        "Nội dung đơn giản, trả lời đúng hạn.", vn(2027, 2, 17), "no", "Chủ tịch"
    )
    assert isinstance(result.events[0], ExtensionRefused)
    assert assignment.deadline == D(2027, 2, 24)
    assert assignment.pending_extension is None


def test_an_extension_beyond_fifteen_working_days_after_the_first_deadline_is_refused(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    latest = calendar.add_working_days(D(2027, 2, 24), 15)
    assert latest == D(2027, 3, 17)
    _ask(assignment, latest, "ask-max", calendar, config.policy)  # the limit itself is allowed
    assignment.refuse_extension("Chưa cần.", vn(2027, 2, 17), "no", "Chủ tịch")
    with pytest.raises(DomainError) as caught:
        _ask(assignment, D(2027, 3, 18), "ask-too-far", calendar, config.policy)
    assert caught.value.code == "extension_too_long"
    assert "17/03/2027" in caught.value.message
    assert assignment.pending_extension is None


def test_a_third_extension_is_refused_when_the_limit_is_two(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    policy = config.policy
    for n, day in enumerate((D(2027, 2, 26), D(2027, 3, 3)), start=1):
        _ask(assignment, day, f"ask-{n}", calendar, policy)
        assignment.approve_extension(vn(2027, 2, 17), f"ok-{n}", "Chủ tịch", calendar, policy)
    with pytest.raises(DomainError) as caught:
        _ask(assignment, D(2027, 3, 5), "ask-3", calendar, policy)
    assert caught.value.code == "too_many_extensions"


def test_an_extension_must_end_after_the_current_deadline(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    with pytest.raises(DomainError) as caught:
        _ask(assignment, D(2027, 2, 24), "ask", calendar, config.policy)
    assert caught.value.code == "extension_not_later"


def test_a_second_request_waits_for_the_first_and_approval_needs_a_request(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    with pytest.raises(Conflict) as nothing:
        assignment.approve_extension(vn(2027, 2, 17), "ok", "Chủ tịch", calendar, config.policy)
    assert nothing.value.code == "no_pending_request"
    _ask(assignment, D(2027, 3, 1), "ask-1", calendar, config.policy)
    with pytest.raises(Conflict) as pending:
        _ask(assignment, D(2027, 3, 2), "ask-2", calendar, config.policy)
    assert pending.value.code == "request_pending"


def test_a_stricter_policy_allows_a_single_shorter_extension(
    assignment: Assignment, calendar: WorkCalendar
) -> None:
    strict = DeadlinePolicy(max_extension_days=5, max_extensions=1)
    with pytest.raises(DomainError, match="5 ngày làm việc"):
        _ask(assignment, D(2027, 3, 4), "ask-long", calendar, strict)
    _ask(assignment, D(2027, 3, 3), "ask", calendar, strict)
    assignment.approve_extension(vn(2027, 2, 17), "ok", "Chủ tịch", calendar, strict)
    with pytest.raises(DomainError, match="tối đa 1 lần"):
        _ask(assignment, D(2027, 3, 3), "ask-again", calendar, strict)


def test_the_request_names_the_official_who_asked_and_else_the_agency(
    assignment: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    officer = "Lê Thị Mai (mai.sgddt)"
    asked = assignment.request_extension(
        AGENCY,
        D(2027, 3, 3),
        "Cần lấy ý kiến Sở Tài chính.",
        vn(2027, 2, 16),
        "ask",
        calendar,
        config.policy,
        officer,
    )
    assignment.refuse_extension("Chưa cần.", vn(2027, 2, 17), "no", "Chủ tịch")
    _ask(assignment, D(2027, 3, 3), "ask-again", calendar, config.policy)

    assert asked.events[0].by == officer
    assert [entry["by"] for entry in assignment.history[-3:]] == [officer, "Chủ tịch", AGENCY]
