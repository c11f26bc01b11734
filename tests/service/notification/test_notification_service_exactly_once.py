"""Exactly one notice per recipient, even when events are redelivered and the service is killed mid-send."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from nats.aio.client import Client
from notification_service_support import (
    Smtp,
    create_upstream_streams,
    notification_settings,
    wait_until,
    write_directory,
)

from services.notification.adapters.repository import NotificationRepository
from services.notification.app import build
from shared.contracts.assignment import OpinionOverdue
from shared.ports import free_port
from shared.settings import ServiceSettings

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]
ROOT = Path(__file__).resolve().parents[3]


def overdue() -> OpinionOverdue:
    return OpinionOverdue(
        event_id="ev-overdue-7", opinion_id="op-7", tracking_code="DD-2026-0007", field="planning",
        unit_code="dong-du", summary="Đề nghị điều chỉnh quy hoạch khu dân cư thôn An Bài",
        received_at=dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC), agency_code="so-xd", agency_name="Sở Xây dựng",
        deadline=dt.date(2026, 11, 20), head_name="Nguyễn Văn Bình", head_title="Giám đốc",
        head_email="giamdoc@sxd.example", correlation_id="op-7",
    )  # fmt: skip


def service_process(
    settings: ServiceSettings, smtp: Smtp, directory: Path, log: Path
) -> subprocess.Popen[bytes]:
    """The notification service as its own process, the way containers run it."""
    env = {
        **os.environ,
        "DIALOGUE_NATS_URL": settings.nats_url,
        "DIALOGUE_STORE_URL": settings.store_url,
        "DIALOGUE_HTTP_PORT": str(free_port()),
        "DIALOGUE_DATA_DIR": str(settings.data_dir),
        "DIALOGUE_SMTP_HOST": "127.0.0.1",
        "DIALOGUE_SMTP_PORT": str(smtp.port),
        "DIALOGUE_NOTIFICATION_DIRECTORY_FILE": str(directory),
        "DIALOGUE_NOTIFICATION_FALLBACK_CHANNEL": "",
        "DIALOGUE_NOTIFICATION_SWEEP_SECONDS": "0.5",
        "DIALOGUE_NOTIFICATION_SENDING_GRACE_SECONDS": "2",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli.main", "run", "notification"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


async def publish(nc: Client, event: OpinionOverdue, msg_id: str) -> None:
    await nc.jetstream().publish(event.routing_subject(), event.to_json(), headers={"Nats-Msg-Id": msg_id})


async def test_redelivered_events_and_a_kill_mid_send_leave_exactly_one_email_per_recipient(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, smtp: Smtp, tmp_path: Path
) -> None:
    await create_upstream_streams(nats_client)
    directory = write_directory(tmp_path)
    base = settings_for("notification")
    # Every send is held: the two copies of the event may send to both recipients concurrently, and
    # a notice accepted by the server just before the kill would be resent (at-least-once on the
    # wire, see docs/notification.md); this test is about the notices that were in flight.
    smtp.handler.hang_all = True
    process = service_process(base, smtp, directory, tmp_path / "service.log")
    try:
        event = overdue()
        await publish(nats_client, event, event.event_id)
        await publish(nats_client, event, "redelivered-by-the-source")  # same event, new Nats-Msg-Id
        await asyncio.to_thread(smtp.handler.hung.wait, 60)
        assert smtp.handler.hung.is_set(), (tmp_path / "service.log").read_text()
        process.send_signal(signal.SIGKILL)  # killed while the SMTP server holds the first DATA
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    smtp.handler.release.set()
    assert smtp.handler.messages == []

    host = build(notification_settings(base, directory, smtp_host="127.0.0.1", smtp_port=smtp.port))
    await host.start()
    try:
        await publish(nats_client, overdue(), "redelivered-after-the-restart")
        await wait_until(lambda: len(smtp.handler.messages) >= 2, timeout=30)
        await asyncio.sleep(3.0)  # longer than the grace and several sweeps: nothing more may arrive
        records = await NotificationRepository(host.store).find({})
    finally:
        await host.stop()

    assert smtp.handler.recipients() == [
        "Giám đốc Nguyễn Văn Bình <giamdoc@sxd.example>",
        "Văn thư Sở Xây dựng <vanthu@sxd.example>",
    ]
    assert sorted(r.delivery.state.value for r in records) == ["sent", "sent"]
    resent = next(r.delivery for r in records if len(r.delivery.history) == 2)
    # The interrupted attempt and the resend share the key, so receivers can deduplicate.
    assert {a.key for a in resent.history} == {resent.id}
    ids = {str(m["Message-ID"]) for m in smtp.handler.messages}
    assert f"<{resent.id}@doithoai.example>" in ids
