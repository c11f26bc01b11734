"""Changes after the first notice travel the whole way: NATS → notification → SMTP, with outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from notification_service_support import (
    Smtp,
    collect_outcomes,
    create_upstream_streams,
    notification_settings,
    wait_until,
    write_directory,
)

from services.notification.app import build
from shared.contracts.assignment import AnswerReturned, OpinionAssigned
from shared.contracts.base import Event
from shared.contracts.scheduling import ConferenceAnnounced, ConferenceRescheduled
from shared.settings import ServiceSettings

pytestmark = pytest.mark.service
AT = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
START = AT + dt.timedelta(days=10)  # 08:00 on 11 December in Vietnam
NEW_START = dt.datetime(2026, 12, 15, 7, 30, tzinfo=dt.UTC)  # 14:30 on 15 December in Vietnam


def conference(conference_id: str, **over: Any) -> dict[str, Any]:
    return {
        "conference_id": conference_id, "title": "Hội nghị đối thoại xã Đồng Du năm 2026", "unit_code": "dong-du",
        "unit_name": "xã Đồng Du", "level": "commune", "starts_at": START, "ends_at": START + dt.timedelta(hours=3),
        "venue": "Nhà văn hóa xã", "participant_groups": ["citizens"], "correlation_id": conference_id,
        "occurred_at": AT, **over,
    }  # fmt: skip


def moved(conference_id: str, state: str) -> ConferenceRescheduled:
    fields = conference(conference_id, state=state, conference_version=3, starts_at=NEW_START,
                        ends_at=NEW_START + dt.timedelta(hours=3), previous_starts_at=START,
                        previous_ends_at=START + dt.timedelta(hours=3))  # fmt: skip
    return ConferenceRescheduled(event_id=f"ev-rescheduled-{conference_id}", **fields)


def opinion(**over: Any) -> dict[str, Any]:
    return {
        "opinion_id": "op-1", "tracking_code": "DD-2026-0001", "field": "education", "unit_code": "dong-du",
        "summary": "Đề nghị sửa chữa phòng học Trường Tiểu học Đồng Du", "received_at": AT,
        "correlation_id": "op-1", "occurred_at": AT, **over,
    }  # fmt: skip


async def publish(nc: Client, *events: Event) -> None:
    js = nc.jetstream()
    for event in events:
        await js.publish(event.routing_subject(), event.to_json(), headers={"Nats-Msg-Id": event.event_id})


def plain(mail: Any) -> str:
    body = mail.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


async def test_a_rescheduled_announced_conference_reaches_its_participants_with_the_new_time(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, smtp: Smtp, tmp_path: Path
) -> None:
    await create_upstream_streams(nats_client)
    outcomes = await collect_outcomes(nats_client)
    settings = notification_settings(settings_for("notification"), write_directory(tmp_path),
                                     smtp_host="127.0.0.1", smtp_port=smtp.port)  # fmt: skip
    host = build(settings)
    await host.start()
    try:
        announced = ConferenceAnnounced(
            event_id="ev-announced-hn-1", announced_at=AT, **conference("hn-1", state="announced")
        )
        # hn-2 was never announced: its reschedule (published first, on the same consumer) tells nobody.
        await publish(nats_client, moved("hn-2", "planned"), announced, moved("hn-1", "announced"))
        await wait_until(lambda: len(smtp.handler.messages) == 2 and len(outcomes) == 2)
    finally:
        await host.stop()

    # Two consumers, so the two notices may arrive in either order.
    by_subject = {str(m["Subject"]): m for m in smtp.handler.messages}
    rescheduled = by_subject.pop(
        "Thông báo thay đổi thời gian tổ chức hội nghị đối thoại tại xã Đồng Du, nay vào ngày 15/12/2026"
    )
    assert list(by_subject) == ["Thông báo tổ chức hội nghị đối thoại tại xã Đồng Du"]
    assert str(rescheduled["To"]) == "Ban Thường trực Ủy ban MTTQ xã Đồng Du <mttq@dongdu.example>"
    text = plain(rescheduled)
    assert "Thời gian mới: 14 giờ 30 ngày 15/12/2026 (thay cho 08 giờ 00 ngày 11/12/2026" in text
    assert sorted((o["trigger"], o["correlation_id"]) for o in outcomes) == [
        ("conference_announced", "hn-1"),
        ("conference_rescheduled", "hn-1"),
    ]
    assert all(o["subject"] == "notification.delivery.sent" for o in outcomes)


async def test_the_agency_is_told_when_it_loses_an_opinion_and_when_its_answer_is_returned(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, smtp: Smtp, tmp_path: Path
) -> None:
    await create_upstream_streams(nats_client)
    outcomes = await collect_outcomes(nats_client)
    settings = notification_settings(settings_for("notification"), write_directory(tmp_path),
                                     smtp_host="127.0.0.1", smtp_port=smtp.port)  # fmt: skip
    host = build(settings)
    await host.start()
    try:
        reassigned = OpinionAssigned(
            event_id="ev-assigned-2", **opinion(), agency_code="so-gd", agency_name="Sở Giáo dục và Đào tạo",
            agency_email="vanthu@sogd.example", deadline=dt.date(2026, 12, 22), assigned_at=AT,
            reassigned_from="so-xd", reassigned_from_name="Sở Xây dựng",
            reassignment_reason="Phân loại lại sang lĩnh vực Giáo dục",
        )  # fmt: skip
        returned = AnswerReturned(
            event_id="ev-returned-1", **opinion(), agency_code="so-gd", agency_name="Sở Giáo dục và Đào tạo",
            agency_email="vanthu@sogd.example", deadline=dt.date(2026, 12, 22),
            reason="Chưa nêu thời gian sửa chữa",
        )  # fmt: skip
        await publish(nats_client, reassigned, returned)
        await wait_until(lambda: len(smtp.handler.messages) == 3 and len(outcomes) == 3)
    finally:
        await host.stop()

    subjects = {str(m["To"]): [] for m in smtp.handler.messages}
    for m in smtp.handler.messages:
        subjects[str(m["To"])].append(str(m["Subject"]))
    assert subjects["Văn thư Sở Xây dựng <vanthu@sxd.example>"] == [
        "Điều chỉnh cơ quan giải quyết ý kiến, kiến nghị mã số DD-2026-0001"
    ]
    assert sorted(subjects["Văn thư Sở Giáo dục và Đào tạo <vanthu@sogd.example>"]) == [
        "Giao giải quyết ý kiến, kiến nghị mã số DD-2026-0001, hạn trả lời ngày 22/12/2026",
        "Trả lại văn bản trả lời ý kiến, kiến nghị mã số DD-2026-0001",
    ]
    assert sorted(o["trigger"] for o in outcomes) == [
        "answer_returned",
        "opinion_assigned",
        "opinion_withdrawn",
    ]
