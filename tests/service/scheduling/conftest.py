"""A scheduling host on the test's nats-server, with a clock the test moves."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from nats.aio.client import Client
from scheduling_support import Ask, Clock

from services.scheduling.app import build
from services.scheduling.settings import SchedulingSettings
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Scheduling, cmd


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))


@pytest.fixture
def make_host(settings_for: Callable[[str], ServiceSettings], clock: Clock) -> Callable[[], ServiceHost]:
    base = settings_for("scheduling")

    def make() -> ServiceHost:
        settings = SchedulingSettings(
            **base.model_dump(exclude={"outbox_sweep_seconds"}),
            sweep_interval_seconds=0.2,
            outbox_sweep_seconds=0.2,
        )
        return build(settings, clock=clock)

    return make


@pytest.fixture
async def host(make_host: Callable[[], ServiceHost]) -> AsyncIterator[ServiceHost]:
    service = make_host()
    await service.start()
    yield service
    await service.stop()


@pytest.fixture
def ask(nats_client: Client) -> Ask:
    async def send(verb: str, payload: dict[str, Any]) -> dict[str, Any]:
        reply = await nats_client.request(cmd(Scheduling.CMD, verb), json.dumps(payload).encode(), timeout=10)
        answer: dict[str, Any] = json.loads(reply.data)
        return answer

    return send
