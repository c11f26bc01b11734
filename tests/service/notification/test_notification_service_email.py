"""The notification service against real NATS and a real SMTP server in the test process."""

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
from shared.contracts.assignment import OpinionAssigned
from shared.settings import ServiceSettings

pytestmark = pytest.mark.service
AT = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)


def assigned(n: int, **over: Any) -> OpinionAssigned:
    fields: dict[str, Any] = {
        "opinion_id": f"op-{n}", "tracking_code": f"DD-2026-{n:04d}", "field": "planning", "unit_code": "dong-du",
        "summary": "Đề nghị điều chỉnh quy hoạch khu dân cư thôn An Bài", "received_at": AT,
        "agency_code": "so-xd", "agency_name": "Sở Xây dựng", "deadline": dt.date(2026, 12, 22),
        "assigned_at": AT, "correlation_id": f"op-{n}", **over,
    }  # fmt: skip
    return OpinionAssigned(event_id=f"ev-assigned-{n}", **fields)


async def test_an_assignment_reaches_the_agency_as_one_vietnamese_email(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, smtp: Smtp, tmp_path: Path
) -> None:
    await create_upstream_streams(nats_client)
    outcomes = await collect_outcomes(nats_client)
    settings = notification_settings(settings_for("notification"), write_directory(tmp_path),
                                     smtp_host="127.0.0.1", smtp_port=smtp.port)  # fmt: skip
    host = build(settings)
    await host.start()
    try:
        event = assigned(1)
        await nats_client.jetstream().publish(
            event.routing_subject(), event.to_json(), headers={"Nats-Msg-Id": event.event_id}
        )
        await wait_until(lambda: len(smtp.handler.messages) == 1 and len(outcomes) == 1)
    finally:
        await host.stop()

    [mail] = smtp.handler.messages
    assert (
        str(mail["Subject"])
        == "Giao giải quyết ý kiến, kiến nghị mã số DD-2026-0001, hạn trả lời ngày 22/12/2026"
    )
    assert str(mail["To"]) == "Văn thư Sở Xây dựng <vanthu@sxd.example>"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Đề nghị Sở Xây dựng nghiên cứu, giải quyết và trả lời bằng văn bản trước ngày 22/12/2026" in text
    assert "Quy hoạch" in text
    [sent] = outcomes
    assert sent["subject"] == "notification.delivery.sent"
    assert (sent["trigger"], sent["channel"], sent["correlation_id"]) == ("opinion_assigned", "email", "op-1")
    assert (
        host.registry.get_sample_value(
            "dialogue_notifications_sent_total", {"channel": "email", "trigger": "opinion_assigned"}
        )
        == 1
    )


async def test_a_template_error_and_an_unusable_address_are_recorded_and_the_next_message_still_goes_out(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, smtp: Smtp, tmp_path: Path
) -> None:
    overrides = tmp_path / "templates" / "email"
    overrides.mkdir(parents=True)
    # Valid against the start-up samples; refers to a variable that only a 'Sở Lỗi' notice lacks.
    (overrides / "opinion_assigned.subject.j2").write_text(
        "{% if agency_name == 'Sở Lỗi' %}{{ bien_khong_co }}{% endif %}Giao ý kiến {{ opinion.tracking_code }}",
        encoding="utf-8",
    )
    await create_upstream_streams(nats_client)
    outcomes = await collect_outcomes(nats_client)
    settings = notification_settings(settings_for("notification"), write_directory(tmp_path),
                                     smtp_host="127.0.0.1", smtp_port=smtp.port,
                                     notification_templates_dir=tmp_path / "templates")  # fmt: skip
    host = build(settings)
    await host.start()
    try:
        js = nats_client.jetstream()
        for event in (
            assigned(1, agency_code="so-loi", agency_name="Sở Lỗi", agency_email="vanthu@soloi.example"),
            assigned(2, agency_code="so-moi", agency_name="Sở Mới", agency_email="khong-phai-dia-chi"),
            assigned(3),
        ):
            await js.publish(
                event.routing_subject(), event.to_json(), headers={"Nats-Msg-Id": event.event_id}
            )
        await wait_until(lambda: len(outcomes) == 3)
    finally:
        await host.stop()

    reasons = {o["correlation_id"]: o.get("reason") for o in outcomes}
    assert reasons == {"op-1": "template_variable_missing", "op-2": "no_usable_address", "op-3": None}
    assert [str(m["Subject"]) for m in smtp.handler.messages] == ["Giao ý kiến DD-2026-0003"]
