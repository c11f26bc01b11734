"""Reminders before the deadline and escalation after it: each due once, even across restarts."""

from __future__ import annotations

import datetime as dt

import pytest
from assignment_support import OpenFactory, vn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.assignment.adapters.routing_file import RoutingConfig
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.deadlines import DueAction, due_actions
from services.assignment.domain.events import DeadlineApproaching, OpinionOverdue
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.unit

AGENCY = "nb-sgddt"
ASSIGNED = vn(2027, 1, 27)  # Wednesday before Tết 2027


@pytest.fixture
def before_tet(open_assignment: OpenFactory) -> Assignment:
    a = open_assignment("education", at=ASSIGNED)
    assert a.deadline == dt.date(2027, 2, 24)  # 15 working days with Tết in between
    return a


def _restart(a: Assignment) -> Assignment:
    return Assignment.from_doc(a.to_doc())


def test_the_reminder_is_due_three_working_days_before_the_deadline_and_only_once(
    before_tet: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    policy = config.policy
    assert due_actions(before_tet, vn(2027, 2, 18, 16), calendar, policy) == []
    assert due_actions(before_tet, vn(2027, 2, 19, 7), calendar, policy) == [DueAction.REMINDER]
    result = before_tet.sweep(vn(2027, 2, 19, 7), calendar, policy, config.table)
    (event,) = result.events
    assert isinstance(event, DeadlineApproaching)
    assert event.working_days_left == 3
    assert event.agency_email == "sogddt@ninhbinh.example"
    assert due_actions(before_tet, vn(2027, 2, 19, 8), calendar, policy) == []
    restarted = _restart(before_tet)
    assert restarted.reminder_sent_at == vn(2027, 2, 19, 7)
    assert restarted.sweep(vn(2027, 2, 23), calendar, policy, config.table).events == ()


def test_escalation_is_due_the_day_after_the_deadline_and_only_once_across_a_restart(
    before_tet: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    policy = config.policy
    before_tet.sweep(vn(2027, 2, 19), calendar, policy, config.table)
    # The deadline day itself belongs to the agency, until midnight Vietnamese time.
    assert due_actions(before_tet, vn(2027, 2, 24, 23), calendar, policy) == []
    assert due_actions(before_tet, vn(2027, 2, 25, 0), calendar, policy) == [DueAction.ESCALATION]
    (event,) = before_tet.sweep(vn(2027, 2, 25, 7), calendar, policy, config.table).events
    assert isinstance(event, OpinionOverdue)
    assert event.head_name == "Quách Văn Toàn"
    restarted = _restart(before_tet)
    assert due_actions(restarted, vn(2027, 3, 10), calendar, policy) == []
    assert restarted.sweep(vn(2027, 3, 10), calendar, policy, config.table).events == ()


def test_two_replicas_sweeping_the_same_assignment_produce_the_same_event_id(
    before_tet: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    one, two = _restart(before_tet), _restart(before_tet)
    first = one.sweep(vn(2027, 2, 19, 7), calendar, config.policy, config.table).events
    second = two.sweep(vn(2027, 2, 19, 7), calendar, config.policy, config.table).events
    assert [e.event_id for e in first] == [e.event_id for e in second]
    assert one.version == two.version == before_tet.version + 1


def test_a_sweep_that_first_runs_after_the_deadline_escalates_without_a_late_reminder(
    before_tet: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    events = before_tet.sweep(vn(2027, 3, 1), calendar, config.policy, config.table).events
    assert [e.type for e in events] == ["OpinionOverdue"]


def test_an_answered_opinion_needs_no_reminder_or_escalation(
    before_tet: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    before_tet.submit_answer(AGENCY, "5/SGDĐT", dt.date(2027, 2, 3), "Đã bố trí.", vn(2027, 2, 3), "answer")
    assert due_actions(before_tet, vn(2027, 2, 19), calendar, config.policy) == []
    assert due_actions(before_tet, vn(2027, 3, 1), calendar, config.policy) == []


def test_an_approved_extension_earns_a_new_reminder_and_a_new_escalation(
    before_tet: Assignment, calendar: WorkCalendar, config: RoutingConfig
) -> None:
    policy = config.policy
    before_tet.sweep(vn(2027, 2, 19), calendar, policy, config.table)
    before_tet.request_extension(
        AGENCY, dt.date(2027, 3, 5), "Chờ ý kiến Sở Tài chính.", vn(2027, 2, 22), "ext", calendar, policy
    )
    before_tet.approve_extension(vn(2027, 2, 22), "ext-ok", "Chủ tịch", calendar, policy)
    assert due_actions(before_tet, vn(2027, 2, 25), calendar, policy) == []
    assert due_actions(before_tet, vn(2027, 3, 2), calendar, policy) == [DueAction.REMINDER]
    assert due_actions(before_tet, vn(2027, 3, 8), calendar, policy) == [DueAction.ESCALATION]


sweep_days = st.lists(
    st.dates(min_value=dt.date(2027, 1, 27), max_value=dt.date(2027, 3, 31)), min_size=1, max_size=25
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=sweep_days, restart_every=st.integers(min_value=1, max_value=5))
def test_however_often_the_sweep_runs_each_notice_goes_out_at_most_once(
    open_assignment: OpenFactory,
    calendar: WorkCalendar,
    config: RoutingConfig,
    days: list[dt.date],
    restart_every: int,
) -> None:
    a = open_assignment("education", at=ASSIGNED)
    sent: list[str] = []
    for index, day in enumerate(sorted(days)):
        if index % restart_every == 0:
            a = _restart(a)
        sent += [
            e.type
            for e in a.sweep(vn(day.year, day.month, day.day), calendar, config.policy, config.table).events
        ]
    assert sent.count("DeadlineApproaching") <= 1
    assert sent.count("OpinionOverdue") == (1 if max(days) > dt.date(2027, 2, 24) else 0)
