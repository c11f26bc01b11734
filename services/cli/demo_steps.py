"""Steps both demo scenarios take: submissions through the portal path, waiting for the services."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client

from services.cli.client import request
from services.cli.demo_data import DemoOpinion
from services.cli.stack import StackError
from shared.contracts import assignment_commands as ac
from shared.contracts import notification_commands as notices_cmd
from shared.contracts.intake import SubmitOpinion, Submitter
from shared.ids import new_id
from shared.subjects import Assignment, Intake, Notification, cmd

SOURCE = "demo-portal"
# A notice still on its way: the summary waits until none of a conference's is.
PENDING = {"intended", "sending", "failed_transient"}
LOGS = "xem log của các dịch vụ trong thư mục dữ liệu"


class DemoIncomplete(StackError):
    """A step of the demo did not finish in its time: the sentence says which and what was missing."""


@dataclass
class Submissions:
    """Intake's outcome for each opinion the stand-in portal sent."""

    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def code_of(self, external_id: str) -> str:
        for outcome in self.accepted:
            if outcome.get("external_id") == external_id:
                return str(outcome["tracking_code"])
        raise DemoIncomplete(f"Ý kiến {external_id} của kịch bản không được tiếp nhận; {LOGS}.")


async def submit_opinions(
    nc: Client,
    opinions: Sequence[DemoOpinion],
    conference_id: str,
    deadline: float,
    *,
    channel: str = "conference",
    received_at: Callable[[int], dt.datetime | None] = lambda _: None,
) -> Submissions:
    """Publish each opinion as the provincial portal would and collect intake's outcomes.

    ``received_at(i)`` dates the i-th opinion when it was received before it is sent (a
    back-recorded conference); None lets intake date it.
    """
    found = Submissions()
    outcomes: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def on_outcome(msg: Any) -> None:
        await outcomes.put(json.loads(msg.data))

    # Subscribed before publishing on the same connection: the server registers the SUB before it
    # receives the submissions, so no outcome can be produced before it.
    sub = await nc.subscribe(Intake.outcome(SOURCE), cb=on_outcome)
    js = nc.jetstream()
    # A replay of the demo on kept data must reach intake again (JetStream would drop a repeated
    # Nats-Msg-Id within its window): intake itself recognises (source, external id) and answers with
    # the tracking codes it gave the first time.
    run = new_id()[:8]
    for i, o in enumerate(opinions):
        submitter = Submitter(
            name=o.name,
            role=o.role,
            residence=o.residence,
            consent_to_contact=True,
            email=f"{o.external_id}@nguoidan.example",
        )
        submission = SubmitOpinion(
            external_id=o.external_id,
            kind=o.kind,
            content=o.content,
            channel=channel,
            submitter=submitter,
            conference_id=conference_id,
            received_at=received_at(i),
        )
        msg_id = f"{SOURCE}:{o.external_id}:{run}"
        await js.publish(Intake.submit(SOURCE), submission.to_json(), headers={"Nats-Msg-Id": msg_id})
    wanted = {o.external_id for o in opinions}
    seen: set[str] = set()
    while seen != wanted and time.monotonic() < deadline:
        try:
            outcome = await asyncio.wait_for(outcomes.get(), timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            break
        external_id = str(outcome.get("external_id"))
        if external_id in seen or external_id not in wanted:
            continue
        seen.add(external_id)
        (found.accepted if outcome.get("accepted") else found.rejected).append(outcome)
    await sub.unsubscribe()
    if seen != wanted:
        missing = ", ".join(sorted(wanted - seen))
        raise DemoIncomplete(
            f"Dịch vụ tiếp nhận chưa trả lời cho các ý kiến {missing} trong thời hạn; {LOGS}."
        )
    return found


async def wait_for_assignments(
    nc: Client,
    conference_id: str,
    deadline: float,
    ready: Callable[[list[dict[str, Any]]], bool],
) -> list[dict[str, Any]]:
    """The conference's assignment rows once ``ready`` holds for them; refused at the deadline."""
    query = ac.ListAssignments(conference_id=conference_id)
    while True:
        rows: list[dict[str, Any]] = await request(nc, cmd(Assignment.CMD, "list"), query)
        if ready(rows):
            return rows
        if time.monotonic() >= deadline:
            raise DemoIncomplete(
                f"Hội nghị {conference_id}: dịch vụ giao xử lý mới có {len(rows)} ý kiến, chưa đủ trong thời hạn; {LOGS}."
            )
        await asyncio.sleep(0.2)


async def wait_for_notices(
    nc: Client, conference_id: str, at_least: Mapping[str, int], deadline: float
) -> list[dict[str, Any]]:
    """The conference's notices once each trigger has its count, none is on its way, for a second."""
    query = notices_cmd.ListDeliveries(conference_id=conference_id, limit=1000)
    notices: list[dict[str, Any]] = []
    stable_since = time.monotonic()
    while True:
        latest: list[dict[str, Any]] = await request(nc, cmd(Notification.CMD, "list"), query)
        if latest != notices:
            notices, stable_since = latest, time.monotonic()
        kinds = Counter(str(n.get("trigger")) for n in notices)
        short = {t: (kinds[t], count) for t, count in at_least.items() if kinds[t] < count}
        pending = sum(1 for n in notices if n.get("status") in PENDING)
        if not short and not pending and time.monotonic() - stable_since > 1.0:
            return notices
        if time.monotonic() >= deadline:
            missing = "; ".join(f"{t} {have}/{want}" for t, (have, want) in short.items())
            raise DemoIncomplete(
                f"Hội nghị {conference_id}: thông báo chưa đủ trong thời hạn ({missing or 'đủ loại'}, "
                f"{pending} đang gửi); {LOGS}."
            )
        await asyncio.sleep(0.2)
