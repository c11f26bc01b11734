"""The answer workflow: accept, answer, return and answer again, publish, rate; and its refusals."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from assignment_support import OpenFactory, vn

from services.assignment.adapters.routing_file import RoutingConfig
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.events import (
    AnswerPublished,
    AnswerReturned,
    AnswerSubmitted,
    OpinionAssigned,
)
from services.assignment.domain.routing import DirectAnswer
from services.assignment.domain.values import Status
from shared.errors import Conflict, DomainError

pytestmark = pytest.mark.unit

AGENCY = "nb-sgddt"


def _answer(a: Assignment, command_id: str, day: int = 25, agency: str = AGENCY) -> None:
    a.submit_answer(
        agency,
        f"{day}/SGDĐT-KHTC",
        dt.date(2026, 11, day),
        "Bổ sung thiết bị dạy học năm 2027.",
        vn(2026, 11, day),
        command_id,
        attachment_ref="files/answer.pdf",
    )


def test_a_returned_answer_goes_back_to_the_agency_and_the_second_answer_is_published(
    open_assignment: OpenFactory,
) -> None:
    a = open_assignment("education")
    assert (a.status, a.agency and a.agency.code) == (Status.ASSIGNED, AGENCY)
    a.accept(AGENCY, vn(2026, 11, 21), "accept")
    _answer(a, "answer-1", day=23)
    returned = a.return_answer(
        "Chưa trả lời thời điểm cấp thiết bị.", vn(2026, 11, 24), "return-1", by="Chủ tịch"
    )
    assert a.status is Status.RETURNED
    assert isinstance(returned.events[0], AnswerReturned)
    assert a.answered_at is None
    assert a.returned_answers[0].returned_reason == "Chưa trả lời thời điểm cấp thiết bị."

    submitted = a.submit_answer(
        AGENCY,
        "31/SGDĐT-KHTC",
        dt.date(2026, 11, 26),
        "Cấp thiết bị trong quý I/2027.",
        vn(2026, 11, 26),
        "answer-2",
    )
    assert isinstance(submitted.events[0], AnswerSubmitted)
    assert submitted.events[0].on_time is True
    published = a.publish(vn(2026, 11, 27), "publish", by="Chủ tịch")
    event = published.events[0]
    assert isinstance(event, AnswerPublished)
    assert a.status is Status.PUBLISHED
    expected = (vn(2026, 11, 20, 8), vn(2026, 11, 26), vn(2026, 11, 27))
    assert (event.received_at, event.answered_at, event.published_at) == expected
    actions = ["route", "accept", "submit_answer", "return_answer", "submit_answer", "publish"]
    assert [h["action"] for h in a.history] == actions


def test_an_answer_from_an_agency_that_does_not_hold_the_opinion_is_refused_and_changes_nothing(
    open_assignment: OpenFactory,
) -> None:
    a = open_assignment("education")
    before = a.to_doc()
    with pytest.raises(Conflict) as caught:
        _answer(a, "answer-wrong", agency="nb-snv")
    assert caught.value.code == "not_assigned_agency"
    assert a.to_doc() == before


def test_an_answer_to_a_published_opinion_is_refused(open_assignment: OpenFactory) -> None:
    a = open_assignment("education")
    _answer(a, "answer-1")
    a.publish(vn(2026, 11, 26), "publish", by="Chủ tịch")
    with pytest.raises(Conflict) as caught:
        _answer(a, "answer-2", day=27)
    assert caught.value.code == "opinion_closed"


def test_an_opinion_answered_at_the_conference_cannot_receive_a_written_answer(
    open_assignment: OpenFactory,
) -> None:
    a = open_assignment("education", direct=DirectAnswer("Đã có kế hoạch mua sắm.", "Chủ tịch UBND tỉnh"))
    with pytest.raises(Conflict, match="kết thúc"):
        _answer(a, "answer-1")


def test_only_a_submitted_answer_can_be_returned_or_published(open_assignment: OpenFactory) -> None:
    a = open_assignment("education")
    with pytest.raises(Conflict) as returned:
        a.return_answer("Không đạt.", vn(2026, 11, 24), "return", by="Chủ tịch")
    with pytest.raises(Conflict) as published:
        a.publish(vn(2026, 11, 24), "publish", by="Chủ tịch")
    assert returned.value.code == published.value.code == "invalid_transition"


def test_an_answer_without_a_summary_is_refused(open_assignment: OpenFactory) -> None:
    a = open_assignment("education")
    with pytest.raises(DomainError) as caught:
        a.submit_answer(AGENCY, "12/SGDĐT", dt.date(2026, 11, 25), "   ", vn(2026, 11, 25), "answer")
    assert caught.value.code == "missing_text"
    assert a.status is Status.ASSIGNED


def test_a_duplicate_command_returns_the_same_events_and_changes_nothing(
    open_assignment: OpenFactory,
) -> None:
    a = open_assignment("education")
    first = a.accept(AGENCY, vn(2026, 11, 21), "accept-42")
    before = a.to_doc()
    again = a.accept(AGENCY, vn(2026, 11, 22), "accept-42")
    assert again.duplicate
    assert [e.to_doc() for e in again.events] == [e.to_doc() for e in first.events]
    assert a.to_doc() == before


def test_a_duplicate_command_after_a_restart_replays_the_stored_events(open_assignment: OpenFactory) -> None:
    a = open_assignment("education")
    _answer(a, "answer-7")
    first = a.history[-1]["events"]
    restored = Assignment.from_doc(json.loads(json.dumps(a.to_doc())))
    again = restored.submit_answer(AGENCY, "x", dt.date(2026, 11, 30), "y", vn(2026, 11, 30), "answer-7")
    assert [e.to_doc() for e in again.events] == first
    assert restored.version == a.version


def test_reassignment_moves_the_opinion_to_another_agency_with_a_new_deadline(
    open_assignment: OpenFactory, config: RoutingConfig
) -> None:
    a = open_assignment("education")
    a.request_reassignment(AGENCY, "Nội dung thuộc lĩnh vực lao động, việc làm.", vn(2026, 11, 21), "ask")
    assert a.pending_reassignment is not None
    new = dt.date(2026, 12, 15)
    result = a.reassign(config.table.agency("nb-snv"), new, vn(2026, 11, 23), "move", by="Văn phòng UBND")
    event = result.events[0]
    assert isinstance(event, OpinionAssigned)
    assert (event.reassigned_from, event.agency_code, event.deadline) == (AGENCY, "nb-snv", new)
    assert a.pending_reassignment is None
    with pytest.raises(Conflict, match=AGENCY):
        _answer(a, "old-agency-answer")
    with pytest.raises(Conflict) as same:
        a.reassign(config.table.agency("nb-snv"), new, vn(2026, 11, 23), "again", by="Văn phòng UBND")
    assert same.value.code == "same_agency"


def test_the_citizen_rates_a_published_answer_once_and_the_rating_is_kept(
    open_assignment: OpenFactory,
) -> None:
    a = open_assignment("education")
    _answer(a, "answer")
    with pytest.raises(Conflict) as early:
        a.rate(5, "", vn(2026, 11, 25), "rate-early")
    assert early.value.code == "rating_before_publication"
    a.publish(vn(2026, 11, 26), "publish", by="Chủ tịch")
    result = a.rate(4, " Trả lời rõ ràng ", vn(2026, 12, 1), "rate")
    assert result.events[0].to_doc()["stars"] == 4
    with pytest.raises(Conflict, match="đã được đánh giá"):
        a.rate(5, "", vn(2026, 12, 2), "rate-2")
    assert Assignment.from_doc(a.to_doc()).rating == a.rating
    assert a.to_doc()["rating"]["comment"] == "Trả lời rõ ràng"


@pytest.mark.parametrize("stars", [0, 6, -1, 10])
def test_a_rating_outside_one_to_five_is_refused(open_assignment: OpenFactory, stars: int) -> None:
    a = open_assignment("education")
    _answer(a, "answer")
    a.publish(vn(2026, 11, 26), "publish", by="Chủ tịch")
    with pytest.raises(DomainError) as caught:
        a.rate(stars, "", vn(2026, 12, 1), "rate")
    assert caught.value.code == "rating_out_of_range"
    assert a.rating is None


def test_the_document_is_json_and_survives_a_round_trip(open_assignment: OpenFactory) -> None:
    a = open_assignment("education")
    a.request_reassignment(AGENCY, "Không thuộc lĩnh vực.", vn(2026, 11, 21), "ask")
    _answer(a, "answer")
    doc = json.loads(json.dumps(a.to_doc()))
    assert doc["_id"] == a.opinion_id
    assert {"version", "applied", "history"} <= doc.keys()
    assert Assignment.from_doc(doc).to_doc() == a.to_doc()


def test_refusal_codes_are_snake_case_and_messages_are_vietnamese(open_assignment: OpenFactory) -> None:
    a = open_assignment("education")
    refusals: list[DomainError] = []
    for attempt in (
        lambda: _answer(a, "x", agency="nb-snv"),
        lambda: a.rate(9, "", vn(2026, 12, 1), "r"),
        lambda: a.publish(vn(2026, 12, 1), "p", by="x"),
    ):
        with pytest.raises(DomainError) as caught:
            attempt()
        refusals.append(caught.value)
    for error in refusals:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", error.code)
        assert "hãy" in error.message
        assert error.message.count(".") <= 1
