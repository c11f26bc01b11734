from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from services.scheduling.domain import (
    HELD_STATES,
    TRANSITIONS,
    Action,
    Conference,
    ConferenceEvent,
    ConferenceState,
)
from shared.errors import DomainError

from .factories import PLANNED_AT, planned, units

pytestmark = pytest.mark.unit

S = ConferenceState

# Weighted towards the forward path so that sequences often reach held, concluded and closed.
ACTIONS = (
    [Action.ANNOUNCE] * 3
    + [Action.HOLD] * 3
    + [Action.CONCLUDE] * 3
    + [Action.CLOSE] * 2
    + [
        Action.RESCHEDULE,
        Action.RESCHEDULE,
        Action.POSTPONE,
        Action.CANCEL,
    ]
)

step = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(min_value=0, max_value=24 * 5),  # hours the clock moves before the command
    st.integers(min_value=-1, max_value=12),  # days from now of a rescheduled start
    st.integers(min_value=0, max_value=5).map(lambda n: n == 0),  # a redelivered earlier command id
)


def run(
    conference: Conference, action: Action, now: dt.datetime, days: int, command_id: str
) -> tuple[Conference, list[ConferenceEvent]]:
    if action is Action.ANNOUNCE:
        return conference.announce(command_id=command_id, now=now)
    if action is Action.RESCHEDULE:
        start = now + dt.timedelta(days=days)
        return conference.reschedule(
            start, start + dt.timedelta(hours=3), units=units(), command_id=command_id, now=now
        )
    if action is Action.POSTPONE:
        return conference.postpone("Lý do", command_id=command_id, now=now)
    if action is Action.CANCEL:
        return conference.cancel("Lý do", command_id=command_id, now=now)
    if action is Action.HOLD:
        return conference.hold(attendee_count=days + 3, opinion_count=3, command_id=command_id, now=now)
    if action is Action.CONCLUDE:
        return conference.conclude(summary="Kết luận", document="KL", command_id=command_id, now=now)
    return conference.close(command_id=command_id, now=now)


def assert_valid(c: Conference) -> None:
    assert c.start < c.end
    assert c.version == len(c.history) == len(c.applied)
    assert [e.version for e in c.history] == list(range(1, c.version + 1))
    assert c.history[-1].state is c.state
    assert (c.state is S.POSTPONED) == (c.postponed_from is not None)
    if c.postponed_from is not None:
        assert c.postponed_from in {S.PLANNED, S.ANNOUNCED}
    if c.state in HELD_STATES:
        assert c.held_at is not None
        assert c.conclusion_due is not None
        assert c.record.attendee_count is not None
        assert c.record.opinion_count is not None
    if c.state in {S.CONCLUDED, S.CLOSED}:
        assert c.record.conclusion_summary
        assert c.record.conclusion_document
    if c.state is S.CANCELLED:
        assert c.reason
        assert c.cancelled_at is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(step, min_size=8, max_size=30))
def test_random_command_sequences_keep_the_conference_valid(
    steps: list[tuple[Action, int, int, bool]],
) -> None:
    now = PLANNED_AT
    start = now + dt.timedelta(days=10)
    conference = planned(start=start, end=start + dt.timedelta(hours=3))
    reached: set[str] = set()
    for index, (action, hours, days, redeliver) in enumerate(steps):
        now += dt.timedelta(hours=hours)
        before = conference
        before_doc = json.dumps(before.to_doc(), sort_keys=True)
        command_id = before.applied[index % len(before.applied)] if redeliver else f"cmd-{index}"
        try:
            conference, events = run(before, action, now, days, command_id)
        except DomainError:
            # A refused command changes nothing.
            assert json.dumps(before.to_doc(), sort_keys=True) == before_doc
            assert command_id not in before.applied
            continue
        if command_id in before.applied:
            assert conference is before
            assert events == before.replay(command_id)
            continue
        expected = TRANSITIONS[before.state][action]
        if expected is S.POSTPONED and action is Action.RESCHEDULE:
            expected = before.postponed_from or S.PLANNED
        assert conference.state is expected
        assert conference.version == before.version + 1
        assert [e.command_id for e in events] == [command_id]
        assert_valid(conference)
        reached.add(conference.state.value)
    for state in sorted(reached):
        event(f"reached {state}")
    assert_valid(conference)
    assert Conference.from_doc(json.loads(json.dumps(conference.to_doc()))) == conference
