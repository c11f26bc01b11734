from __future__ import annotations

import dataclasses
import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain import (
    AcknowledgementDue,
    Channel,
    DomainEvent,
    IntakePolicy,
    Opinion,
    OpinionClassified,
    OpinionGrouped,
    OpinionKind,
    OpinionReceived,
    OpinionReclassified,
    RuleSet,
    SubmitOpinion,
    Submitter,
    SubmitterRole,
    event_to_doc,
    receive_opinion,
    validate_tracking_code,
)
from shared.errors import Conflict, DomainError
from shared.workdays import WorkCalendar

pytestmark = pytest.mark.unit

NOW = dt.datetime(2023, 12, 15, 2, 30, tzinfo=dt.UTC)
CALENDAR = WorkCalendar()
PHONE = "0912345678"


def _command(
    content: str = "Đề nghị sửa chữa nhà văn hóa thôn An Bài 1.", consent: bool = False
) -> SubmitOpinion:
    return SubmitOpinion(
        source="desk",
        external_id="dong-du-08",
        kind=OpinionKind.RECOMMENDATION,
        content=content,
        submitter=Submitter(
            "Nguyễn Văn Được",
            SubmitterRole.CITIZEN,
            "thôn An Bài 1, xã Đồng Du",
            phone=PHONE,
            email="duoc@example.vn",
            consent_to_contact=consent,
        ),
        channel=Channel.CONFERENCE,
        conference_id="dong-du-2023",
    )


def _receive(rules: RuleSet, command: SubmitOpinion | None = None) -> tuple[Opinion, list[DomainEvent]]:
    return receive_opinion(command or _command(), now=NOW, rules=rules, calendar=CALENDAR)


def test_a_received_opinion_gets_a_valid_tracking_code_a_field_and_a_due_date(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    assert validate_tracking_code(opinion.tracking_code) == opinion.tracking_code
    assert opinion.field == "culture_relics"
    assert opinion.acknowledgement_due == dt.date(2023, 12, 29)
    assert opinion.received_at == NOW
    assert [h.action for h in opinion.history] == ["classified"]
    assert opinion.history[0].matched == ("nhà văn hóa thôn",)


def test_receiving_emits_received_classified_and_acknowledgement_due(rules: RuleSet) -> None:
    _, events = _receive(rules, _command(consent=True))
    assert [type(e) for e in events] == [OpinionReceived, OpinionClassified, AcknowledgementDue]


def test_no_acknowledgement_is_due_to_a_submitter_who_cannot_be_contacted(rules: RuleSet) -> None:
    opinion, events = _receive(rules)  # contact details given, consent not
    assert [type(e) for e in events] == [OpinionReceived, OpinionClassified]
    received = events[0]
    assert isinstance(received, OpinionReceived)
    assert received.acknowledgement_due == opinion.acknowledgement_due  # the deadline is still published


def test_a_redelivered_submission_yields_the_same_opinion_and_the_same_event_ids(rules: RuleSet) -> None:
    first, first_events = _receive(rules)
    again, again_events = receive_opinion(
        _command(), now=NOW + dt.timedelta(minutes=5), rules=rules, calendar=CALENDAR
    )
    assert (again.id, again.tracking_code) == (first.id, first.tracking_code)
    assert [e.event_id for e in again_events] == [e.event_id for e in first_events]


def test_the_stored_opinion_rebuilds_identical_intake_events(rules: RuleSet) -> None:
    opinion, events = _receive(rules)
    stored = Opinion.from_doc(json.loads(json.dumps(opinion.to_doc())))
    assert stored.intake_events() == events


def test_no_event_carries_contact_details_without_consent(rules: RuleSet) -> None:
    _, events = _receive(rules, _command(f"Gọi tôi số {PHONE} về nhà văn hóa thôn."))
    dumped = json.dumps([event_to_doc(e) for e in events], ensure_ascii=False)
    assert PHONE not in dumped
    assert "duoc@example.vn" not in dumped


def test_with_consent_only_the_acknowledgement_carries_the_contact(rules: RuleSet) -> None:
    _, events = _receive(rules, _command(consent=True))
    due = next(e for e in events if isinstance(e, AcknowledgementDue))
    assert (due.contact_email, due.contact_phone) == ("duoc@example.vn", PHONE)
    others = json.dumps([event_to_doc(e) for e in events if e is not due], ensure_ascii=False)
    assert "duoc@example.vn" not in others


def test_content_is_stored_in_nfc() -> None:
    decomposed = "Đề nghị sửa chữa nhà văn hóa thôn."
    opinion, _ = receive_opinion(
        _command(unicodedata.normalize("NFD", decomposed)),
        now=NOW,
        rules=RuleSet(()),
        calendar=CALENDAR,
    )
    assert opinion.content == decomposed
    assert opinion.field == "unclassified"


@pytest.mark.parametrize(("content", "code"), [("   \n ", "empty_content"), ("a" * 11, "content_too_long")])
def test_blank_or_too_long_content_is_refused(rules: RuleSet, content: str, code: str) -> None:
    with pytest.raises(DomainError) as caught:
        receive_opinion(
            _command(content), now=NOW, rules=rules, calendar=CALENDAR, policy=IntakePolicy(max_content=10)
        )
    assert caught.value.code == code


def test_a_naive_clock_is_refused(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match="timezone"):
        receive_opinion(_command(), now=NOW.replace(tzinfo=None), rules=rules, calendar=CALENDAR)


def test_reclassification_records_who_when_why_and_emits_one_event(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    at = NOW + dt.timedelta(days=1)
    events = opinion.reclassify(
        "planning",
        by="chuyên viên Văn phòng",
        reason="liên quan quy hoạch",
        at=at,
        command_id="c1",
        rules=rules,
    )
    assert [type(e) for e in events] == [OpinionReclassified]
    assert opinion.field == "planning"
    assert opinion.version == 2
    last = opinion.history[-1]
    assert (last.by, last.at, last.reason, last.previous_field, last.field) == (
        "chuyên viên Văn phòng",
        at,
        "liên quan quy hoạch",
        "culture_relics",
        "planning",
    )


def test_a_repeated_reclassification_command_changes_nothing(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    opinion.reclassify("planning", by="a", reason="b", at=NOW, command_id="c1", rules=rules)
    before = opinion.to_doc()
    assert opinion.reclassify("land", by="a", reason="b", at=NOW, command_id="c1", rules=rules) == []
    assert opinion.to_doc() == before


def test_reclassifying_to_an_unknown_field_is_refused(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    with pytest.raises(DomainError) as caught:
        opinion.reclassify("roads", by="a", reason="b", at=NOW, command_id="c1", rules=rules)
    assert caught.value.code == "unknown_field_code"
    assert opinion.field == "culture_relics"


def test_reclassifying_to_the_current_field_is_a_conflict(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    with pytest.raises(Conflict) as caught:
        opinion.reclassify("culture_relics", by="a", reason="b", at=NOW, command_id="c1", rules=rules)
    assert "Văn hóa, di tích" in caught.value.message


def test_reclassifying_without_a_reason_is_refused(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    with pytest.raises(DomainError) as caught:
        opinion.reclassify("land", by="a", reason=" ", at=NOW, command_id="c1", rules=rules)
    assert caught.value.code == "reclassification_unexplained"


def test_joining_a_topic_is_recorded_once(rules: RuleSet) -> None:
    opinion, _ = _receive(rules)
    events = opinion.join_group("g-1", at=NOW)
    assert [type(e) for e in events] == [OpinionGrouped]
    assert opinion.join_group("g-1", at=NOW) == []
    assert opinion.topic_group_id == "g-1"
    assert opinion.history[-1].action == "grouped"


_texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=200).filter(str.strip)


@given(
    content=_texts, name=_texts, consent=st.booleans(), moves=st.lists(st.sampled_from(["land", "planning"]))
)
def test_any_opinion_survives_a_round_trip_through_json(
    rules: RuleSet, content: str, name: str, consent: bool, moves: list[str]
) -> None:
    command = dataclasses.replace(
        _command(content), submitter=Submitter(name, SubmitterRole.OTHER, "", consent_to_contact=consent)
    )
    opinion, _ = receive_opinion(command, now=NOW, rules=rules, calendar=CALENDAR)
    for i, move in enumerate(moves):
        if move != opinion.field:
            opinion.reclassify(move, by="x", reason="y", at=NOW, command_id=f"c{i}", rules=rules)
    assert Opinion.from_doc(json.loads(json.dumps(opinion.to_doc()))) == opinion
