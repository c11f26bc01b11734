"""Start the assignment service in-process against a real nats-server, with a clock the test moves."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client

from services.assignment.app import build
from services.assignment.settings import AssignmentSettings
from shared.host import ServiceHost
from shared.nats_sync import settle
from shared.settings import ServiceSettings
from shared.subjects import Assignment


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def assignment_host(settings_for: Callable[[str], ServiceSettings], clock: Clock) -> ServiceHost:
    base = settings_for("assignment").model_dump()
    return build(AssignmentSettings(**{**base, "sweep_interval_seconds": 0.1}), clock=clock)


def owners(settings_for: Callable[[str], ServiceSettings]) -> list[ServiceHost]:
    """Hosts that create the INTAKE and SCHEDULING streams assignment consumes."""
    return [
        ServiceHost(settings_for("intake"), owned_streams=["INTAKE"]),
        ServiceHost(settings_for("scheduling"), owned_streams=["SCHEDULING"]),
    ]


async def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


async def command(nc: Client, verb: str, payload: dict[str, Any]) -> dict[str, Any]:
    reply = await nc.request(f"{Assignment.CMD}.{verb}", json.dumps(payload).encode(), timeout=10)
    answer: dict[str, Any] = json.loads(reply.data)
    return answer


class Seen:
    """Every publish on ``assignment.opinion.>`` as core NATS sees it (JetStream dedupe does not hide it)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []

    async def start(self, nc: Client) -> None:
        async def on(msg: Any) -> None:
            self.messages.append((msg.subject, json.loads(msg.data)))

        await nc.subscribe(Assignment.OPINION_ALL, cb=on)
        await settle(nc)

    def on(self, subject: str) -> list[dict[str, Any]]:
        return [data for s, data in self.messages if s == subject]
