"""An intake host against a real nats-server, with stand-ins of the services whose streams it reads."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg

from services.intake.app import build
from services.intake.settings import IntakeSettings
from shared.contracts.scheduling import ConferencePlanned
from shared.host import ServiceHost
from shared.nats_sync import settle
from shared.settings import ServiceSettings
from shared.subjects import Intake

CONFERENCE = "hn-2023-dong-du"
SOURCE = "cong-thong-tin-tinh"


async def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


def scheduling_stand_in(settings: ServiceSettings) -> ServiceHost:
    """Owns the SCHEDULING stream; once started, ``announce`` publishes the one known conference."""
    return ServiceHost(settings, owned_streams=["SCHEDULING"])


def assignment_stand_in(settings: ServiceSettings) -> ServiceHost:
    """Owns the ASSIGNMENT stream, which intake follows for the path of ``track``."""
    return ServiceHost(settings, owned_streams=["ASSIGNMENT"])


def notification_stand_in(settings: ServiceSettings) -> ServiceHost:
    """Owns the NOTIFICATION stream, whose acknowledgements intake puts on the path of ``track``."""
    return ServiceHost(settings, owned_streams=["NOTIFICATION"])


PLANNED = ConferencePlanned(
    event_id=f"planned-{CONFERENCE}", correlation_id=CONFERENCE, conference_id=CONFERENCE,
    title="Hội nghị đối thoại xã Đồng Du", unit_code="xa-dong-du", level="commune",
    starts_at=dt.datetime(2023, 12, 20, 1, 0, tzinfo=dt.UTC), ends_at=dt.datetime(2023, 12, 20, 4, 0, tzinfo=dt.UTC),
)  # fmt: skip


@dataclass
class Outcomes:
    """Every outcome published on ``intake.outcome.>``, as a sender subscribed to it sees them."""

    received: list[dict[str, Any]] = field(default_factory=list)

    async def on_message(self, msg: Msg) -> None:
        self.received.append(json.loads(msg.data))

    def of(self, external_id: str) -> list[dict[str, Any]]:
        return [o for o in self.received if o.get("external_id") == external_id]


def intake_settings(settings_for: Callable[[str], ServiceSettings]) -> IntakeSettings:
    base = settings_for("intake")
    return IntakeSettings(**{**base.model_dump(), "intake_sources": f"{SOURCE},demo-portal"})


@asynccontextmanager
async def running_intake(
    settings_for: Callable[[str], ServiceSettings],
    nc: Client,
    assignment: ServiceHost | None = None,
    notification: ServiceHost | None = None,
) -> AsyncIterator[tuple[ServiceHost, Outcomes]]:
    """The stand-ins and intake started, outcomes collected; all stopped afterwards.

    Pass ``assignment`` or ``notification`` to publish their events through them while intake runs.
    """
    scheduling = scheduling_stand_in(settings_for("scheduling"))
    assignment = assignment or assignment_stand_in(settings_for("assignment"))
    notification = notification or notification_stand_in(settings_for("notification"))
    intake = build(intake_settings(settings_for))
    outcomes = Outcomes()
    # Listen before intake starts: a recreated consumer redelivers at once, before any later subscriber.
    sub = await nc.subscribe(Intake.OUTCOME_ALL, cb=outcomes.on_message)
    await settle(nc)
    await scheduling.start()
    await scheduling.publish([PLANNED])  # intake keeps its snapshot; a submission may wait for it
    await assignment.start()
    await notification.start()
    await intake.start()
    try:
        yield intake, outcomes
    finally:
        await sub.unsubscribe()
        await intake.stop()
        await assignment.stop()
        await notification.stop()
        await scheduling.stop()


def submission(external_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": external_id,
        "kind": "recommendation",
        "content": "Đề nghị có chính sách đào tạo nghề, giải quyết việc làm cho lao động nông thôn.",
        "submitter": {"name": "Phạm Văn Nam", "role": "citizen", "residence": "thôn Đô Quan, xã Đồng Du"},
        "channel": "external_system",
        "conference_id": CONFERENCE,
    }
    body.update(changes)
    return body


def encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()
