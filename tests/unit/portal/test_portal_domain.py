"""The portal's pure pieces: codes, masking, the read-model record, the timeline and the limit."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from services.portal.domain import codes
from services.portal.domain.conference import conference_view, on_time_rate
from services.portal.domain.opinion import Recorded, record
from services.portal.domain.privacy import mask_name, public_text
from services.portal.domain.steps import Step, assignment_step_kind
from services.portal.domain.throttle import Throttle
from services.portal.domain.timeline import label, tracking_view
from shared import tracking_codes
from shared.errors import DomainError

pytestmark = pytest.mark.unit
T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
CODE = "DT-7K3M-9QX2"


def valid_code() -> str:
    payload = "7K3M9QX"
    body = payload + tracking_codes.check_char(payload)
    return f"DT-{body[:4]}-{body[4:]}"


def test_a_code_typed_in_lower_case_without_dashes_is_read_as_the_canonical_code() -> None:
    code = valid_code()
    assert codes.canonical(code.lower().replace("-", " ")) == code
    assert codes.canonical(code.replace("0", "O")) == code


@pytest.mark.parametrize("typed", ["", "DT-ABCD", "DT-7K3M-9QX2-9", "x" * 200, "DT-7K3M-9QXU"])
def test_a_malformed_code_is_refused_with_one_sentence(typed: str) -> None:
    with pytest.raises(DomainError) as refused:
        codes.canonical(typed)
    assert refused.value.code == "invalid_tracking_code"
    assert refused.value.message.endswith("vui lòng kiểm tra lại.")
    assert len(refused.value.message) < 200


def test_a_wrong_check_character_is_refused() -> None:
    code = valid_code()
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(DomainError):
        codes.canonical(wrong)


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Nguyễn Văn Thành", "Nguyễn V. T."), ("Lê Thị Thủy", "Lê T. T."), ("Đạt", "Đ."), ("", "Người dân")],
)
def test_the_submitters_name_is_masked_to_the_family_name_and_initials(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_public_text_hides_phones_ids_and_email_addresses() -> None:
    text = public_text("Gọi 0912 345 678 hoặc +84 912345678, CCCD 001203004567, thư a.b@example.vn.")
    assert "0912 345 678" not in text
    assert "912345678" not in text
    assert "001203004567" not in text
    assert "a.b@example.vn" not in text
    assert "[đã ẩn]" in text


def received(event_id: str = "e-received", at: dt.datetime = T0) -> Recorded:
    facts = {"tracking_code": CODE, "received_at": at.isoformat(), "content": "Đề nghị.", "kind": "proposal"}
    return Recorded(event_id, at, facts, Step(event_id, "received", at))


def test_recording_the_same_event_twice_changes_nothing_the_second_time() -> None:
    first = record("op-1", None, received())
    assert first is not None
    assert record("op-1", {**first, "version": 1}, received()) is None


def test_steps_are_sorted_by_when_they_happened_whatever_the_arrival_order() -> None:
    assigned = Recorded(
        "e-assigned", T0 + dt.timedelta(hours=2), {}, Step("e-assigned", "assigned", T0 + dt.timedelta(hours=2),
                                                           agency="Phòng Kinh tế", deadline=dt.date(2026, 12, 18))
    )  # fmt: skip
    doc = record("op-1", None, assigned)
    assert doc is not None
    doc = record("op-1", doc, received())
    assert doc is not None
    assert [s["kind"] for s in doc["steps"]] == ["received", "assigned"]
    assert doc["agency_name"] == "Phòng Kinh tế"
    assert doc["deadline"] == "2026-12-18"
    assert doc["status"] == "open"


def test_an_older_fact_arriving_late_does_not_replace_a_newer_one() -> None:
    newer = Recorded("e-reclassified", T0 + dt.timedelta(days=1), {"field": "land"})
    older = Recorded("e-classified", T0, {"field": "labour_jobs"})
    doc = record("op-1", None, newer)
    assert doc is not None
    doc = record("op-1", doc, older)
    assert doc is not None
    assert doc["field"] == "land"


def test_a_published_answer_closes_the_opinion_and_a_second_acknowledgement_is_not_a_step() -> None:
    doc = record("op-1", None, received())
    for n, kind in enumerate(["acknowledged", "acknowledged", "published"]):
        at = T0 + dt.timedelta(hours=n + 1)
        step = Step(f"e-{n}", kind, at, answer="Trả lời." if kind == "published" else None, on_time=True)
        doc = record("op-1", doc, Recorded(f"e-{n}", at, {}, step))
        assert doc is not None
    assert doc is not None
    assert [s["kind"] for s in doc["steps"]] == ["received", "acknowledged", "published"]
    assert doc["status"] == "closed"
    assert doc["published"] is True
    view = tracking_view(doc)
    assert view.answer is not None
    assert view.answer["text"] == "Trả lời."
    assert view.status == "Đã có kết quả"


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_the_publication_date_is_the_published_event_s_own_time_in_any_event_order(
    order: tuple[int, ...],
) -> None:
    published_at = T0 + dt.timedelta(days=3)
    answered = Step("e-answered", "answered", T0 + dt.timedelta(days=2), agency="Phòng Kinh tế")
    published = Step("e-published", "published", published_at, answer="Trả lời.", on_time=True)
    rated = Step("e-rated", "rated", T0 + dt.timedelta(days=9), stars=5)
    events = [received(), *(Recorded(s.event_id, s.at, {}, s) for s in (answered, published, rated))]
    doc = None
    for n in order:
        before = doc
        doc = record("op-1", doc, events[n])
        assert doc is not None
        if n == 2:  # the same publication redelivered changes nothing
            assert record("op-1", doc, events[n]) is None
        if before is not None and before["published"] and n != 2:
            assert doc["published_at"] == before["published_at"]  # a later rating does not move it
    assert doc is not None
    assert doc["published_at"] == published_at.isoformat()
    assert doc["updated_at"] == rated.at.isoformat()


def test_an_answer_not_yet_published_has_no_publication_date() -> None:
    doc = record("op-1", None, received())
    assert doc is not None
    assert doc["published"] is False
    assert doc["published_at"] is None


@pytest.mark.parametrize(
    ("subject", "transferred", "reassigned", "kind"),
    [
        ("assignment.opinion.assigned", False, False, "assigned"),
        ("assignment.opinion.assigned", True, False, "transferred"),
        ("assignment.opinion.assigned", False, True, "reassigned"),
        ("assignment.opinion.answer-published", False, False, "published"),
        ("assignment.opinion.deadline-approaching", False, False, None),
        ("assignment.opinion.some-future-event", False, False, None),
    ],
)
def test_each_assignment_event_is_a_step_or_nothing(
    subject: str, transferred: bool, reassigned: bool, kind: str | None
) -> None:
    assert assignment_step_kind(subject, transferred=transferred, reassigned=reassigned) == kind


def test_a_returned_answer_says_nothing_of_the_heads_reasons() -> None:
    text = label(Step("e", "returned", T0, agency="Sở Xây dựng"))
    assert text == "Lãnh đạo yêu cầu Sở Xây dựng trả lời lại cho đầy đủ."


def test_the_on_time_rate_counts_closed_on_time_over_closed_and_open_overdue() -> None:
    docs = [
        {"status": "closed", "closed_by": "published", "on_time": True},
        {"status": "closed", "closed_by": "published", "on_time": False},
        {"status": "open", "deadline": "2026-11-01"},
        {"status": "open", "deadline": "2026-12-31"},
    ]
    assert on_time_rate(docs, dt.date(2026, 11, 20)) == pytest.approx(1 / 3)
    assert on_time_rate([], dt.date(2026, 11, 20)) is None


def test_the_throttle_allows_the_limit_per_window_per_client() -> None:
    throttle = Throttle(limit=2, window=60)
    assert [throttle.allow("a", t) for t in (0, 1, 2)] == [True, True, False]
    assert throttle.allow("b", 2) is True
    assert throttle.allow("a", 61) is True


def test_a_conference_link_is_shown_only_when_it_is_a_web_address() -> None:
    snapshot = {
        "conference_id": "c", "title": "Hội nghị", "unit_code": "u", "state": "announced", "format": "online",
        "starts_at": "2026-12-13T07:00:00+00:00", "ends_at": "2026-12-13T10:00:00+00:00",
    }  # fmt: skip
    today = dt.date(2026, 12, 1)
    assert conference_view({**snapshot, "link": "javascript:alert(1)"}, [], today).link is None
    assert (
        conference_view({**snapshot, "link": "https://meet.example/x"}, [], today).link
        == "https://meet.example/x"
    )
    assert conference_view(snapshot, [], today).when == "14:00 ngày 13/12/2026 đến 17:00"
