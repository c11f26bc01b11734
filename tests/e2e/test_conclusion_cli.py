"""End to end: ``dialogue conclusion render`` against the running services refuses what it must."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.cli.client import connect, request
from services.cli.stack import Stack
from shared.contracts import scheduling_commands as sc
from shared.ports import free_port
from shared.settings import SERVICES, ServiceSettings
from shared.subjects import Scheduling, cmd

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PLANNED = "hn-2023-chua-to-chuc"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("conclusion") / "var"
    running = Stack(
        data_dir=data_dir,
        nats_port=free_port(),
        nats_monitor_port=free_port(),
        http_ports={name: free_port() for name in SERVICES},
    )
    try:
        running.start()
        asyncio.run(plan(running.nats_url))
        yield running
    finally:
        running.stop()


async def plan(nats_url: str) -> None:
    """A conference planned (not announced, not held): no conclusion can be drawn from it yet."""
    nc = await connect(ServiceSettings(service="operator", nats_url=nats_url))
    try:
        planned = sc.PlanConference(
            conference_id=PLANNED,
            command_id="test-plan-chua-to-chuc",
            effective_at="2023-08-01T09:00:00+07:00",
            title="Hội nghị đối thoại với nhân dân (chưa tổ chức)",
            unit_code="ha-nam",
            starts_at="2023-10-10T08:00:00+07:00",
            ends_at="2023-10-10T11:00:00+07:00",
            chairs=[{"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"}],
            participant_groups=["citizens"],
            venue="Hội trường UBND tỉnh",
        )
        await request(nc, cmd(Scheduling.CMD, "plan"), planned)
    finally:
        await nc.drain()


def dialogue(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIALOGUE_NATS_URL": stack.nats_url, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "services.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_notice_is_rendered_for_a_conference_not_yet_held(stack: Stack, tmp_path: Path) -> None:
    target = tmp_path / "ket-luan.docx"
    result = dialogue(stack, "conclusion", "render", PLANNED, "-o", str(target))
    said = " ".join(result.stdout.split())
    assert result.returncode == 1, said
    assert (
        f"Hội nghị {PLANNED} mới lập kế hoạch; chỉ lập thông báo kết luận sau khi hội nghị đã được tổ chức."
        in said
    )
    assert "(conference_not_held)" in said
    assert "Traceback" not in result.stdout + result.stderr
    assert not target.exists()


def test_an_unknown_conference_is_refused_with_schedulings_sentence(stack: Stack, tmp_path: Path) -> None:
    result = dialogue(stack, "conclusion", "render", "khong-co-hoi-nghi-nay", "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 1
    assert "Không tìm thấy hội nghị 'khong-co-hoi-nghi-nay'" in " ".join(result.stdout.split())
