"""``intake.cmd.track`` follows the opinion past its receipt, from assignment's events on a real server."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from nats.aio.client import Client

from shared.contracts import assignment as a
from shared.contracts.notification import NotificationSent
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake
from tests.service.intake.support import (
    SOURCE,
    assignment_stand_in,
    encode,
    notification_stand_in,
    running_intake,
    submission,
    wait_until,
)

pytestmark = pytest.mark.service

AGENCY = "Phòng Kinh tế xã Đồng Du"
T0 = dt.datetime(2023, 12, 21, 1, 0, tzinfo=dt.UTC)


async def track(nc: Client, code: str) -> dict[str, Any]:
    reply = await nc.request(f"{Intake.CMD}.track", json.dumps({"tracking_code": code}).encode(), timeout=5)
    answer: dict[str, Any] = json.loads(reply.data)
    assert answer["ok"], answer
    data: dict[str, Any] = answer["data"]
    return data


def events(opinion_id: str, code: str) -> list[a.AssignmentEvent]:
    common: dict[str, Any] = {
        "opinion_id": opinion_id, "tracking_code": code, "correlation_id": opinion_id, "field": "labour_jobs",
        "summary": "Đề nghị có chính sách đào tạo nghề.", "received_at": T0 - dt.timedelta(days=1),
        "agency_code": "xa-dong-du-kinh-te", "agency_name": AGENCY, "agency_email": "kinhte@dongdu.example.vn",
        "deadline": dt.date(2024, 1, 19),
    }  # fmt: skip
    hours = [T0 + dt.timedelta(hours=h) for h in range(7)]
    answer = {"document_number": "12/PKT", "document_date": dt.date(2024, 1, 10), "attachment_ref": None}
    return [
        a.OpinionAssigned(event_id=f"{code}-assigned", occurred_at=hours[0], assigned_at=hours[0], **common),
        a.OpinionAccepted(event_id=f"{code}-accepted", occurred_at=hours[1], **common),
        a.AnswerSubmitted(event_id=f"{code}-submitted-1", occurred_at=hours[2], on_time=True,
                          answer_summary="Bản nháp.", **answer, **common),
        a.AnswerReturned(event_id=f"{code}-returned", occurred_at=hours[3], reason="Chưa nêu thời gian mở lớp.",
                         **common),
        a.AnswerSubmitted(event_id=f"{code}-submitted-2", occurred_at=hours[4], on_time=True,
                          answer_summary="Lớp nghề mở tháng 3/2024.", **answer, **common),
        a.AnswerPublished(event_id=f"{code}-published", occurred_at=hours[5], on_time=True,
                          answer_summary="Lớp đào tạo nghề mở vào tháng 3/2024 tại nhà văn hoá xã.",
                          **answer, **common),
        a.AnswerRated(event_id=f"{code}-rated", occurred_at=hours[6], stars=4, comment="Cảm ơn.", **common),
    ]  # fmt: skip


def notices(opinion_id: str) -> list[NotificationSent]:
    """The acknowledgement by e-mail and by SMS, and a notice to the agency (not a step)."""
    common: dict[str, Any] = {
        "correlation_id": opinion_id,
        "trigger_event_id": "ack-due",
        "recipient": "citizen:x",
    }
    return [
        NotificationSent(event_id=f"{opinion_id}-ack-email", delivery_id="d1", trigger="opinion_acknowledged",
                         channel="email", sent_at=T0 - dt.timedelta(hours=3), **common),
        NotificationSent(event_id=f"{opinion_id}-ack-sms", delivery_id="d2", trigger="opinion_acknowledged",
                         channel="sms", sent_at=T0 - dt.timedelta(hours=2), **common),
        NotificationSent(event_id=f"{opinion_id}-assigned", delivery_id="d3", trigger="opinion_assigned",
                         channel="email", sent_at=T0, **common),
    ]  # fmt: skip


async def test_track_shows_the_whole_path_from_assignment_events_in_any_order(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    assignment = assignment_stand_in(settings_for("assignment"))
    notification = notification_stand_in(settings_for("notification"))
    async with running_intake(settings_for, nats_client, assignment, notification) as (_, outcomes):
        await js.publish(
            Intake.submit(SOURCE),
            encode(submission("portal-track-1", received_at="2023-12-20T09:30:00+07:00")),
        )
        await wait_until(lambda: len(outcomes.of("portal-track-1")) == 1)
        (outcome,) = outcomes.of("portal-track-1")
        code, opinion_id = outcome["tracking_code"], outcome["opinion_id"]
        before = await track(nats_client, code)
        assert [step["step"] for step in before["path"]] == ["received"]

        path = events(opinion_id, code)
        await notification.publish(notices(opinion_id))
        await assignment.publish(list(reversed(path)))  # newest first: intake sorts by occurred_at
        # The same event again under another message id (past JetStream's de-duplication).
        await js.publish(Assignment.ANSWER_RATED, path[-1].to_json(), headers={"Nats-Msg-Id": "again"})
        # An event type this release does not know, with fields it has never seen: recorded, not refused.
        unknown = {**json.loads(path[0].to_json()), "event_id": f"{code}-new", "brand_new_field": [1]}
        await js.publish("assignment.opinion.transfer-returned", json.dumps(unknown).encode())

        async with asyncio.timeout(20):  # every event acked, the unknown one too (none dead-lettered)
            while True:
                info = await js.consumer_info("ASSIGNMENT", "intake-assignment-progress")
                if info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.stream_seq >= 9:
                    break
                await asyncio.sleep(0.05)
        tracked = await track(nats_client, code)

    steps = [step["step"] for step in tracked["path"]]
    assert steps == [
        "received",
        "acknowledged",
        "assigned",
        "accepted",
        "answered",
        "returned",
        "answered",
        "published",
        "rated",
    ]
    assert tracked["path"][1]["label"] == "Đã gửi thông báo kết quả tiếp nhận cho người gửi"
    assigned = tracked["path"][2]
    assert assigned == {
        "at": "2023-12-21T08:00:00+07:00",
        "step": "assigned",
        "label": f"Giao {AGENCY} trả lời, hạn 19/01/2024",
        "agency": AGENCY,
        "deadline": "2024-01-19",
        "text": None,
    }
    published = tracked["path"][7]
    assert published["label"] == f"Công bố kết quả trả lời: văn bản số 12/PKT ngày 10/01/2024 của {AGENCY}"
    assert published["text"] == "Lớp đào tạo nghề mở vào tháng 3/2024 tại nhà văn hoá xã."
    assert tracked["path"][8]["label"] == "Người gửi đã đánh giá kết quả trả lời: 4/5"
    assert all(step["at"].endswith("+07:00") for step in tracked["path"])
    assert tracked["current"]["step"] == "rated"
    assert tracked["message"] == (
        f"Ý kiến đã được tiếp nhận, thuộc lĩnh vực “Lao động, việc làm”; đã có kết quả trả lời của {AGENCY}."
    )
    # Nobody's name or contact, no draft answer, no reason the head gave, no citizen's comment.
    text = json.dumps(tracked, ensure_ascii=False)
    for private in ("Phạm Văn Nam", "kinhte@dongdu.example.vn", "Bản nháp", "Chưa nêu", "Cảm ơn"):
        assert private not in text
