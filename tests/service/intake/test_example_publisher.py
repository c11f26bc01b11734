"""The documented example publisher works against a real server and a running intake host."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from nats.aio.client import Client

from shared.nats_server import NatsServer
from shared.settings import ServiceSettings
from tests.service.intake.support import SOURCE, running_intake

pytestmark = pytest.mark.service
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "publish_opinion.py"


async def test_the_example_publisher_prints_the_tracking_code_of_its_opinion(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, nats_server: NatsServer
) -> None:
    async with running_intake(settings_for, nats_client) as (_, outcomes):
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(EXAMPLE), nats_server.url, SOURCE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, out.decode() + err.decode()
    (accepted,) = [o for o in outcomes.received if o["accepted"]]
    assert f"accepted: tracking code {accepted['tracking_code']}" in out.decode()
