"""Each service SIGKILLed between saving a state change and publishing its events, then restarted:
the events it saved are published exactly once, and what follows from them happens exactly once.

The services run as processes (the way containers run them) with the failpoint ``after-save``
armed (``shared/failpoints.py``): each one kills itself the first time its unit of work has saved a
change with events and not yet published them. Scheduling's command is not resent: its event can
only come from the host's outbox sweep, the path it lacked before the one unit of work.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from typing import Any

import nats
import pytest
from reliability_harness import SmtpSink, Stack
from reliability_load import CONFERENCE_ID, SOURCE, Load, connect, read_subject, submission

from shared.failpoints import AFTER_SAVE, ENV
from shared.subjects import Assignment, Intake, Notification, Scheduling, cmd

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(240)]


async def wait_dead(stack: Stack, name: str, timeout: float = 60.0) -> None:
    """Until ``name`` has killed itself at the failpoint (exit by SIGKILL)."""
    deadline = time.monotonic() + timeout
    while stack.alive(name):
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} never reached its failpoint:\n{stack.log_tail(name)}")
        await asyncio.sleep(0.1)
    returncode = stack.children.pop(name).returncode
    assert returncode == -9, f"{name} exited with {returncode}, not by its failpoint:\n{stack.log_tail(name)}"


async def messages(nc: Any, subject: str, timeout: float = 60.0, **match: Any) -> list[dict[str, Any]]:
    """The messages on ``subject`` whose fields equal ``match``, once at least one is there."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in await read_subject(nc, subject) if all(m.get(k) == v for k, v in match.items())]
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.5)


def once_each(found: list[dict[str, Any]]) -> Counter[str]:
    """Event ids seen more than once (JetStream would have had to store a re-publish twice)."""
    return Counter({k: n for k, n in Counter(m["event_id"] for m in found).items() if n != 1})


async def test_every_service_killed_between_save_and_publish_publishes_its_events_once_after_restart(
    make_stack: Any, smtp: tuple[SmtpSink, int]
) -> None:
    sink = smtp[0]
    stack: Stack = make_stack()
    markers = stack.root / "failpoints"
    markers.mkdir()
    stack.extra_env[ENV] = f"{AFTER_SAVE}:{markers}"
    await stack.start_all()
    nc = await connect(stack.nats_url)
    try:
        # Scheduling: the plan is saved, the process dies before ConferencePlanned is published.
        plan = {
            "conference_id": CONFERENCE_ID, "command_id": "crash-plan", "effective_at": "2023-11-20T09:00:00+07:00",
            "title": "Hội nghị đối thoại tại xã Đồng Du", "unit_code": "ha-nam",
            "starts_at": "2023-12-20T08:00:00+07:00", "ends_at": "2023-12-20T11:30:00+07:00",
            "chairs": [{"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"}],
            "participant_groups": ["cadres_party_members", "citizens"], "venue": "Hội trường UBND xã Đồng Du",
        }  # fmt: skip
        try:
            reply = await nc.request(cmd(Scheduling.CMD, "plan"), json.dumps(plan).encode(), timeout=5)
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError):
            pass
        else:
            raise AssertionError(f"scheduling answered instead of dying at its failpoint: {reply.data!r}")
        await wait_dead(stack, "scheduling")
        assert await read_subject(nc, Scheduling.CONFERENCE_PLANNED) == []
        stack.start("scheduling")
        await stack.wait_ready(("scheduling",))
        planned = await messages(nc, Scheduling.CONFERENCE_PLANNED, conference_id=CONFERENCE_ID)
        assert len(planned) == 1, planned

        # Intake: the opinion is saved with its events; intake dies before publishing them. Its
        # acknowledgement and its classification then kill notification and assignment the same way.
        await Load(nc).publish("crash-0001", submission("crash-0001", 0))
        await wait_dead(stack, "intake")
        stack.start("intake")
        await stack.wait_ready(("intake",))
        outcomes = await messages(nc, Intake.outcome(SOURCE), external_id="crash-0001")
        assert [o["accepted"] for o in outcomes] == [True], outcomes
        opinion_id = outcomes[0]["opinion_id"]
        submitted = await messages(nc, Intake.OPINION_RECEIVED, opinion_id=opinion_id)
        assert len(submitted) == 1, submitted

        for name in ("assignment", "notification"):
            await wait_dead(stack, name)
            stack.start(name)
        await stack.wait_ready(("assignment", "notification"))
        assigned = await messages(nc, Assignment.OPINION_ASSIGNED, opinion_id=opinion_id)
        assert len(assigned) == 1, assigned
        sent = await messages(nc, Notification.DELIVERY_SENT)
        assert sent, "notification published no NotificationSent after its restart"

        # Nothing published twice anywhere, and the assignment e-mail reached the agency once.
        for subject in (
            Scheduling.CONFERENCE_ALL,
            Intake.OPINION_ALL,
            Assignment.OPINION_ALL,
            Notification.DELIVERY_ALL,
        ):
            assert once_each(await read_subject(nc, subject)) == Counter(), subject
        deadline = time.monotonic() + 60
        while not sink.assigned() and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        await asyncio.sleep(5)  # longer than the sending grace: a resend would show up
        assert len({message_id for _, message_id in sink.assigned()}) == 1, sink.assigned()
        assert sorted(p.name for p in markers.iterdir()) == sorted(
            f"{AFTER_SAVE}-{name}" for name in ("assignment", "intake", "notification", "scheduling")
        )
    finally:
        await nc.close()
