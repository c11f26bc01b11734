"""Contract events for the notification handler tests, with the unit-test directory's codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.contracts.assignment import (
    AnswerPublished,
    AnswerReturned,
    DeadlineApproaching,
    OpinionAssigned,
    OpinionOverdue,
    OpinionTransferred,
    OpinionTriageQueued,
)
from shared.contracts.intake import AcknowledgementDue
from shared.contracts.scheduling import (
    ConclusionReminderDue,
    ConferenceAnnounced,
    ConferenceCancelled,
    ConferencePostponed,
    ConferenceRescheduled,
)

AT = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
OPINION: dict[str, Any] = {
    "opinion_id": "op-1", "tracking_code": "DD-2026-0001", "field": "culture_relics", "unit_code": "dong-du",
    "summary": "Đề nghị sửa chữa nhà văn hóa thôn An Bài", "received_at": AT, "occurred_at": AT,
}  # fmt: skip
CONFERENCE: dict[str, Any] = {
    "conference_id": "hn-1", "title": "Hội nghị đối thoại xã Đồng Du năm 2026", "unit_code": "dong-du",
    "unit_name": "xã Đồng Du", "level": "commune", "starts_at": AT + dt.timedelta(days=10),
    "ends_at": AT + dt.timedelta(days=10, hours=3), "venue": "Nhà văn hóa xã", "occurred_at": AT,
    "participant_groups": ["thanh-nien"], "correlation_id": "hn-1",
}  # fmt: skip
# 14:30 on 15 December 2026 in Vietnam.
NEW_START = dt.datetime(2026, 12, 15, 7, 30, tzinfo=dt.UTC)


def assigned(event_id: str = "ev-assigned-1", **over: Any) -> OpinionAssigned:
    fields = {**OPINION, "agency_code": "so-xd", "agency_name": "Sở Xây dựng", "deadline": dt.date(2026, 12, 22),
              "assigned_at": AT, "correlation_id": "op-1", **over}  # fmt: skip
    return OpinionAssigned(event_id=event_id, **fields)


def approaching() -> DeadlineApproaching:
    only_assigned = set(OpinionAssigned.model_fields) - set(DeadlineApproaching.model_fields)
    base = assigned().model_dump(exclude={"event_id", *only_assigned})
    return DeadlineApproaching(event_id="ev-approaching-1", working_days_left=2, **base)


def overdue(**over: Any) -> OpinionOverdue:
    fields = {**OPINION, "agency_code": "so-xd", "agency_name": "Sở Xây dựng", "deadline": dt.date(2026, 11, 20),
              "head_name": "Nguyễn Văn Bình", "head_title": "Giám đốc", "head_email": "giamdoc@so.example",
              "occurred_at": dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC), **over}  # fmt: skip
    return OpinionOverdue(event_id="ev-overdue-1", **fields)


def acknowledgement(**over: Any) -> AcknowledgementDue:
    fields = {"opinion_id": "op-1", "tracking_code": "DD-2026-0001", "kind": "recommendation",
              "unit_code": "dong-du", "submitter_name": "Ông Trần Văn Cường", "received_at": AT,
              "due_on": dt.date(2026, 12, 15), "rule": "Quy định 11-QĐi/TW", "occurred_at": AT,
              "contact_email": "cuong@dan.example", "correlation_id": "op-1", **over}  # fmt: skip
    return AcknowledgementDue(event_id="ev-ack-1", **fields)


def published(**over: Any) -> AnswerPublished:
    fields = {**OPINION, "agency_code": "so-xd", "agency_name": "Sở Xây dựng", "document_number": "125/SXD-QH",
              "document_date": dt.date(2026, 12, 10), "answer_summary": "Năm 2027 sửa chữa nhà văn hóa thôn",
              "on_time": True, "published_at": AT + dt.timedelta(days=12), **over}  # fmt: skip
    return AnswerPublished(event_id="ev-published-1", **fields)


def announced(**over: Any) -> ConferenceAnnounced:
    return ConferenceAnnounced(event_id="ev-announced-1", announced_at=AT, **{**CONFERENCE, **over})


def conclusion_reminder(days_after: int) -> ConclusionReminderDue:
    return ConclusionReminderDue(
        event_id=f"ev-conclusion-{days_after}", held_at=AT + dt.timedelta(days=10),
        conclusion_due=dt.date(2026, 12, 21), days_after=days_after, **CONFERENCE,
    )  # fmt: skip


def announced_state(**over: Any) -> dict[str, Any]:
    return {**CONFERENCE, "state": "announced", "conference_version": 2, **over}


def rescheduled(event_id: str = "ev-rescheduled-1", **over: Any) -> ConferenceRescheduled:
    fields = {**announced_state(conference_version=3), "starts_at": NEW_START,
              "ends_at": NEW_START + dt.timedelta(hours=3), "previous_starts_at": CONFERENCE["starts_at"],
              "previous_ends_at": CONFERENCE["ends_at"], **over}  # fmt: skip
    return ConferenceRescheduled(event_id=event_id, **fields)


def postponed(**over: Any) -> ConferencePostponed:
    fields = {**announced_state(state="postponed", conference_version=3), "postponed_from": "announced",
              "reason": "Trùng lịch kỳ họp Hội đồng nhân dân tỉnh.", **over}  # fmt: skip
    return ConferencePostponed(event_id="ev-postponed-1", **fields)


def cancelled(**over: Any) -> ConferenceCancelled:
    fields = {**announced_state(state="cancelled", conference_version=4), "cancelled_from": "announced",
              "reason": "Các kiến nghị đã được giải quyết tại kỳ họp Hội đồng nhân dân xã", **over}  # fmt: skip
    return ConferenceCancelled(event_id="ev-cancelled-1", **fields)


def returned(**over: Any) -> AnswerReturned:
    fields = {**OPINION, "agency_code": "so-xd", "agency_name": "Sở Xây dựng", "deadline": dt.date(2026, 12, 22),
              "reason": "Chưa nêu thời gian và nguồn kinh phí sửa chữa", "correlation_id": "op-1", **over}  # fmt: skip
    return AnswerReturned(event_id="ev-returned-1", **fields)


def transferred(**over: Any) -> OpinionTransferred:
    fields = {**OPINION, "target_level": "province", "target_body": "Sở Nội vụ tỉnh Ninh Bình",
              "target_unit": "ninh-binh", "correlation_id": "op-1", **over}  # fmt: skip
    return OpinionTransferred(event_id="ev-transferred-1", **fields)


def triage_queued(**over: Any) -> OpinionTriageQueued:
    fields = {"event_id": "ev-triage-1", **OPINION, "reason": "no_agency_for_field", "correlation_id": "op-1",
              **over}  # fmt: skip
    return OpinionTriageQueued(**fields)
