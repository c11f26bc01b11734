"""The SMS provider adapter inside the running service: 5xx retried until sent, 4xx failed for good."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from nats.aio.client import Client
from notification_service_support import (
    Provider,
    collect_outcomes,
    create_upstream_streams,
    notification_settings,
    wait_until,
    write_directory,
)

from services.notification.app import build
from shared.contracts.assignment import OpinionAssigned
from shared.settings import ServiceSettings
from shared.subjects import Notification

pytestmark = pytest.mark.service


def assigned(n: int) -> OpinionAssigned:
    at = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    return OpinionAssigned(
        event_id=f"ev-sms-{n}", opinion_id=f"op-{n}", tracking_code=f"DD-2026-{n:04d}", field="cyber_security",
        unit_code="dong-du", summary="Đề nghị tuyên truyền phòng chống lừa đảo qua mạng", received_at=at,
        agency_code="so-tt", agency_name="Sở Thông tin", deadline=dt.date(2026, 12, 22), assigned_at=at,
        correlation_id=f"op-{n}",
    )  # fmt: skip


async def test_a_provider_answering_503_then_200_gets_the_notice_and_a_400_is_a_recorded_failure(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, provider: Provider, tmp_path: Path
) -> None:
    await create_upstream_streams(nats_client)
    outcomes = await collect_outcomes(nats_client)
    settings = notification_settings(settings_for("notification"), write_directory(tmp_path),
                                     sms_endpoint=provider.url, sms_api_key="khoa-thu", notification_retry_attempts=3)  # fmt: skip
    host = build(settings)
    await host.start()
    try:
        js = nats_client.jetstream()
        provider.statuses = [503, 200]
        first = assigned(1)
        await js.publish(first.routing_subject(), first.to_json(), headers={"Nats-Msg-Id": first.event_id})
        await wait_until(lambda: len(outcomes) == 1)
        provider.statuses = [400]
        second = assigned(2)
        await js.publish(second.routing_subject(), second.to_json(), headers={"Nats-Msg-Id": second.event_id})
        await wait_until(lambda: len(outcomes) == 2)
        failures = await host.broker.request(
            {"status": "failed"}, f"{Notification.CMD}.list", timeout=5
        )  # the operator's view of the same ledger
        failed_rows = (await failures.decode())["data"]  # type: ignore[index]
    finally:
        await host.stop()

    sent, failed = outcomes
    assert (sent["subject"], sent["channel"], sent["correlation_id"]) == (
        "notification.delivery.sent",
        "sms",
        "op-1",
    )
    assert (failed["subject"], failed["reason"]) == ("notification.delivery.failed", "rejected")
    assert "HTTP 400" in failed["message"]
    first_tries = [r for r in provider.received if r[1]["text"].find("DD-2026-0001") >= 0]
    assert len(first_tries) == 2
    assert first_tries[0][0]["Idempotency-Key"] == first_tries[1][0]["Idempotency-Key"]
    assert first_tries[0][0]["X-API-Key"] == "khoa-thu"
    assert "Sở Thông tin được giao trả lời ý kiến mã số DD-2026-0001" in first_tries[0][1]["text"]
    [row] = failed_rows
    assert (row["status"], row["failure_code"], row["address"]) == (
        "failed_permanent",
        "rejected",
        "*******678",
    )
