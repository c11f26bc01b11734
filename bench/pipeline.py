"""The four services as processes on the embedded stack, fed through the external intake path."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg

from bench.load import Arrivals
from bench.procstat import Usage, usage
from services.cli.client import request
from services.cli.demo import HEADS
from services.cli.demo_data import load_demo
from services.cli.stack import Stack
from services.intake.domain import opinion_id_for
from shared.nats_sync import settle
from shared.ports import free_port
from shared.settings import SERVICES
from shared.subjects import Intake, Notification, Scheduling, cmd
from shared.timeutil import VN_TZ

SOURCE = "demo-portal"


def _port(setting: str) -> int:
    return int(os.environ.get(setting) or free_port())


@contextmanager
def running_stack(data_dir: Path) -> Iterator[Stack]:
    """``dialogue up`` in a temporary directory, on free ports (or the ones given in the environment)."""
    os.environ.pop("DIALOGUE_STORE_URL", None)  # each service gets its SQLite file in data_dir
    stack = Stack(
        data_dir=data_dir,
        nats_port=_port("DIALOGUE_NATS_PORT"),
        nats_monitor_port=_port("DIALOGUE_NATS_MONITOR_PORT"),
        http_ports={name: _port(f"DIALOGUE_{name.upper()}_HTTP_PORT") for name in SERVICES},
    )
    try:
        stack.start(timeout=90)
        yield stack
    finally:
        stack.stop()


def resources(stack: Stack) -> dict[str, Usage]:
    """Peak RSS and CPU seconds of every service process and of nats-server, while they still run."""
    found = {name: usage(child.pid) for name, child in stack.children.items()}
    if stack.nats is not None and stack.nats.process is not None:
        found["nats-server"] = usage(stack.nats.process.pid)
    return found


@dataclass
class Pipeline:
    """A client of the running stack: plans conferences, publishes opinions, hears notifications."""

    nc: Client
    arrivals: Arrivals
    bodies: dict[str, bytes]
    msg_ids: dict[str, str]

    @classmethod
    async def connect(cls, url: str) -> Pipeline:
        nc = await nats.connect(url, max_reconnect_attempts=2)
        self = cls(nc, Arrivals(), {}, {})

        async def on_sent(msg: Msg) -> None:
            event = json.loads(msg.data)
            if event.get("trigger") == "opinion_assigned":
                self.arrivals.arrived(str(event.get("correlation_id")))

        await nc.subscribe(Notification.DELIVERY_SENT, cb=on_sent)
        await settle(nc)
        return self

    async def plan(self, conference_id: str) -> None:
        """A provincial conference of today's Ninh Bình, planned now for ten days later.

        Current, not back-recorded: its opinions go to the departments in force, with deadlines
        ahead, so the deadline sweep has nothing overdue to read during the run.
        """
        starts = dt.datetime.combine(dt.date.today() + dt.timedelta(days=10), dt.time(8, 0), VN_TZ)
        await request(self.nc, cmd(Scheduling.CMD, "plan"), {
            "conference_id": conference_id, "command_id": f"bench-plan-{conference_id}",
            "title": f"Hội nghị đối thoại (benchmark {conference_id})", "unit_code": "ninh-binh",
            "starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=3, minutes=30)).isoformat(),
            "chairs": HEADS, "participant_groups": ["cadres_party_members", "citizens"],
            "venue": "Hội trường UBND tỉnh Ninh Bình", "co_organisers": ["Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"],
            "expected_attendance": 200, "override": True,  # the same chairs, the same day
        })  # fmt: skip

    async def opinions(self, prefix: str, count: int, per_conference: int) -> list[str]:
        """Plan the conferences and prepare ``count`` submissions with unique external ids.

        ``per_conference`` opinions go to each conference (0: all to one). Returns the opinion ids.
        """
        size = per_conference or count
        for c in range(0, count, size):
            await self.plan(f"{prefix}-c{c // size}")
        demo = load_demo("dong_du").opinions
        keys = []
        for i in range(count):
            o = demo[i % len(demo)]
            external_id = f"{prefix}-{i:06d}"
            payload: dict[str, Any] = {
                "external_id": external_id, "kind": o.kind, "content": o.content, "channel": "external_system",
                "submitter": {"name": o.name, "role": o.role, "residence": o.residence},
                "conference_id": f"{prefix}-c{i // size}",
            }  # fmt: skip
            key = opinion_id_for(SOURCE, external_id)
            self.bodies[key] = json.dumps(payload, ensure_ascii=False).encode()
            self.msg_ids[key] = f"{SOURCE}:{external_id}"
            keys.append(key)
        return keys

    async def publish(self, key: str) -> None:
        await self.nc.jetstream().publish(
            Intake.submit(SOURCE), self.bodies[key], headers={"Nats-Msg-Id": self.msg_ids[key]}, timeout=30
        )

    async def close(self) -> None:
        await self.nc.drain()
