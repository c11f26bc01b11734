from __future__ import annotations

import datetime as dt
import json

import pytest

from services.scheduling.domain import (
    TRANSITIONS,
    Action,
    Conference,
    ConferenceEvent,
    ConferenceHeld,
    ConferencePlanned,
    ConferenceRescheduled,
    ConferenceState,
)
from shared.errors import Conflict

from .factories import (
    ANNOUNCED_AT,
    CLOSED_AT,
    CONCLUDED_AT,
    HELD_AT,
    POSTPONED_AT,
    START,
    details,
    in_state,
    planned,
    units,
)

pytestmark = pytest.mark.unit

S = ConferenceState
Result = tuple[Conference, list[ConferenceEvent]]


def perform(conference: Conference, action: Action, command_id: str = "cmd-1") -> Result:
    """Run ``action`` with arguments and a clock that satisfy every rule but the state check."""
    if action is Action.ANNOUNCE:
        return conference.announce(command_id=command_id, now=ANNOUNCED_AT)
    if action is Action.RESCHEDULE:
        new_start = START + dt.timedelta(days=1)
        return conference.reschedule(
            new_start,
            new_start + dt.timedelta(hours=3),
            units=units(),
            command_id=command_id,
            now=POSTPONED_AT,
        )
    if action is Action.POSTPONE:
        return conference.postpone("Trùng lịch", command_id=command_id, now=POSTPONED_AT)
    if action is Action.CANCEL:
        return conference.cancel("Bão", command_id=command_id, now=POSTPONED_AT)
    if action is Action.HOLD:
        return conference.hold(attendee_count=150, opinion_count=16, command_id=command_id, now=HELD_AT)
    if action is Action.CONCLUDE:
        return conference.conclude(
            summary="Kết luận", document="KL-9", command_id=command_id, now=CONCLUDED_AT
        )
    return conference.close(command_id=command_id, now=CLOSED_AT)


EXPECTED = {
    (S.PLANNED, Action.ANNOUNCE): S.ANNOUNCED,
    (S.PLANNED, Action.RESCHEDULE): S.PLANNED,
    (S.PLANNED, Action.POSTPONE): S.POSTPONED,
    (S.PLANNED, Action.CANCEL): S.CANCELLED,
    (S.ANNOUNCED, Action.RESCHEDULE): S.ANNOUNCED,
    (S.ANNOUNCED, Action.POSTPONE): S.POSTPONED,
    (S.ANNOUNCED, Action.HOLD): S.HELD,
    (S.ANNOUNCED, Action.CANCEL): S.CANCELLED,
    (S.POSTPONED, Action.RESCHEDULE): S.ANNOUNCED,  # in_state postpones an announced conference
    (S.POSTPONED, Action.CANCEL): S.CANCELLED,
    (S.HELD, Action.CONCLUDE): S.CONCLUDED,
    (S.CONCLUDED, Action.CLOSE): S.CLOSED,
}
ALL_PAIRS = [(state, action) for state in S for action in Action]


def test_the_table_matches_the_documented_lifecycle() -> None:
    table = {(s, a) for s, actions in TRANSITIONS.items() for a in actions}
    assert table == set(EXPECTED)


@pytest.mark.parametrize(("state", "action"), list(EXPECTED))
def test_every_allowed_transition_reaches_its_state_and_emits_one_event(state: S, action: Action) -> None:
    before = in_state(state)
    after, events = perform(before, action)
    assert after.state is EXPECTED[(state, action)]
    assert after.version == before.version + 1
    assert [e.type for e in events] == [f"Conference{_past(action)}"]
    assert events[0].state is after.state
    assert events[0].conference_id == "c-dong-du"
    assert events[0].unit_code == "dong-du"
    assert events[0].level == "commune"
    assert after.history[-1] == events[0]


def _past(action: Action) -> str:
    return {
        Action.ANNOUNCE: "Announced",
        Action.RESCHEDULE: "Rescheduled",
        Action.POSTPONE: "Postponed",
        Action.HOLD: "Held",
        Action.CONCLUDE: "Concluded",
        Action.CLOSE: "Closed",
        Action.CANCEL: "Cancelled",
    }[action]


@pytest.mark.parametrize(("state", "action"), [p for p in ALL_PAIRS if p not in EXPECTED])
def test_every_illegal_transition_is_refused_and_lists_what_is_allowed(state: S, action: Action) -> None:
    before = in_state(state)
    with pytest.raises(Conflict) as refused:
        perform(before, action)
    assert refused.value.code == "illegal_transition"
    message = refused.value.message
    assert message.startswith(f"Không thể {action.label} hội nghị đang ở trạng thái '{state.label}'")
    for allowed in TRANSITIONS[state]:
        assert allowed.label in message.split(";")[1]


def test_the_refusal_sentence_reads_naturally() -> None:
    with pytest.raises(Conflict) as refused:
        in_state(S.CONCLUDED).announce(command_id="x", now=ANNOUNCED_AT)
    assert refused.value.message == (
        "Không thể công bố hội nghị đang ở trạng thái 'đã có kết luận'; từ trạng thái này chỉ được: đóng hồ sơ."
    )
    with pytest.raises(Conflict) as final:
        in_state(S.CLOSED).postpone("x", command_id="x", now=ANNOUNCED_AT)
    assert final.value.message.endswith("hội nghị ở trạng thái này không thể thay đổi nữa.")


def test_a_postponed_plan_returns_to_planned_when_rescheduled() -> None:
    postponed, _ = planned().postpone("Mưa bão", command_id="pp", now=POSTPONED_AT)
    assert postponed.postponed_from is S.PLANNED
    back, events = perform(postponed, Action.RESCHEDULE)
    assert back.state is S.PLANNED
    assert back.postponed_from is None
    assert isinstance(events[0], ConferenceRescheduled)
    assert events[0].previous_start == START


@pytest.mark.parametrize(("state", "action"), list(EXPECTED))
def test_a_command_applied_twice_changes_nothing_and_returns_the_same_events(
    state: S, action: Action
) -> None:
    once, first = perform(in_state(state), action, "same-id")
    twice, second = perform(once, action, "same-id")
    assert twice is once
    assert second == first


def test_planning_the_same_command_again_returns_the_stored_conference() -> None:
    existing = planned()
    again, events = Conference.plan(
        "c-dong-du",
        details(),
        units=units(),
        command_id="c-dong-du/plan",
        now=POSTPONED_AT,
        existing=existing,
    )
    assert again is existing
    assert events == list(existing.history)


def test_planning_an_existing_id_with_another_command_is_refused() -> None:
    with pytest.raises(Conflict) as refused:
        Conference.plan(
            "c-dong-du", details(), units=units(), command_id="other", now=POSTPONED_AT, existing=planned()
        )
    assert refused.value.code == "conference_exists"


def test_event_ids_are_derived_from_the_command_so_replays_publish_the_same_ids() -> None:
    a = perform(in_state(S.PLANNED, "c-a"), Action.ANNOUNCE, "cmd-a")[1][0]
    b = perform(in_state(S.PLANNED, "c-a"), Action.ANNOUNCE, "cmd-a")[1][0]
    c = perform(in_state(S.PLANNED, "c-a"), Action.ANNOUNCE, "cmd-b")[1][0]
    assert a.event_id == b.event_id != c.event_id


def test_events_carry_what_notification_and_intake_need() -> None:
    held = in_state(S.HELD)
    planned_event, announced, held_event = held.history
    assert isinstance(planned_event, ConferencePlanned)
    assert isinstance(held_event, ConferenceHeld)
    assert planned_event.chairs[0].name == "Lê Thị Thủy"
    assert planned_event.co_organisers == ("Ủy ban MTTQ Việt Nam tỉnh",)
    assert planned_event.programme_year == 2024
    assert announced.venue == "Hội trường UBND xã Đồng Du"
    assert announced.unit_name == "xã Đồng Du"
    assert held_event.conclusion_due == dt.date(2024, 4, 24)
    assert held_event.opinion_count == 16
    assert held_event.occurred_at.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("state", list(S))
def test_a_conference_survives_a_json_round_trip_in_every_state(state: S) -> None:
    conference = in_state(state)
    doc = json.loads(json.dumps(conference.to_doc()))
    assert doc["_id"] == "c-dong-du"
    assert doc["state"] == state.value
    assert doc["version"] == len(doc["events"])
    assert doc["applied"] == [e["command_id"] for e in doc["events"]]
    assert Conference.from_doc(doc) == conference


def test_the_document_offers_utc_times_for_range_queries() -> None:
    doc = planned().to_doc()
    assert doc["start_utc"] == "2024-04-14T01:00:00+00:00"
    assert doc["details"]["start"] == "2024-04-14T08:00:00+07:00"
    assert doc["programme_year"] == 2024
