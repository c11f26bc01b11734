"""Each consuming service SIGKILLed while a batch of several messages is in flight, then restarted:
nothing lost, nothing done twice.

The services run as processes with batching on (the default) and a failpoint of the batched unit of
work armed (``shared/unit_of_work.py``): each one kills itself the first time it has committed the
outcomes of several messages together up to that point. ``after-batch-save``: their states and
outboxes are saved, nothing is published or acked. ``after-batch-publish``: JetStream stored their
events, the outboxes are not cleared and no message is acked. A burst of submissions gives every
consumer batches to commit; after the restarts every opinion is accepted, assigned and e-mailed
exactly once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest
from reliability_harness import SmtpSink, Stack
from reliability_load import (
    CONFERENCES,
    Load,
    assert_exactly_once,
    connect,
    plan_conference,
    read_subject,
    submission,
    wait_quiet,
)

from shared.failpoints import ENV
from shared.subjects import Assignment, Intake, Notification
from shared.unit_of_work import AFTER_BATCH_PUBLISH, AFTER_BATCH_SAVE

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(300)]

BURST = 120
CONSUMING = ("intake", "assignment", "notification")  # scheduling has no JetStream consumer


async def restart_each_once_it_died(stack: Stack, names: tuple[str, ...], timeout: float = 120.0) -> None:
    """Restart every one of ``names`` after it killed itself at its failpoint (exit by SIGKILL)."""
    waiting = set(names)
    deadline = time.monotonic() + timeout
    while waiting:
        for name in sorted(waiting):
            if stack.alive(name):
                continue
            returncode = stack.children.pop(name).returncode
            assert returncode == -9, f"{name} exited with {returncode}:\n{stack.log_tail(name)}"
            stack.start(name)
            waiting.discard(name)
        if time.monotonic() > deadline:
            tails = "\n".join(stack.log_tail(n) for n in sorted(waiting))
            raise AssertionError(f"{sorted(waiting)} never reached the failpoint:\n{tails}")
        await asyncio.sleep(0.1)
    await stack.wait_ready(names)


@pytest.mark.parametrize("failpoint", [AFTER_BATCH_SAVE, AFTER_BATCH_PUBLISH])
async def test_a_service_killed_with_a_batch_in_flight_loses_and_doubles_nothing(
    make_stack: Any, smtp: tuple[SmtpSink, int], failpoint: str
) -> None:
    sink = smtp[0]
    stack: Stack = make_stack()
    markers = stack.root / "failpoints"
    markers.mkdir()
    stack.extra_env[ENV] = f"{failpoint}:{markers}"
    await stack.start_all()
    nc = await connect(stack.nats_url)
    try:
        for conference_id in CONFERENCES:
            await plan_conference(nc, conference_id)
        load = Load(nc)
        ids = [f"batch-{i:04d}" for i in range(BURST)]
        # All at once, so that each consumer fetches full batches; to two conferences, so that
        # intake's batches hold two conferences' chains of opinions (each saved as one group).
        await asyncio.gather(
            *(load.publish(i, submission(i, n, conference_id=CONFERENCES[n % 2])) for n, i in enumerate(ids))
        )
        await restart_each_once_it_died(stack, CONSUMING)

        counts = await wait_quiet(nc, sink, load.published, timeout=150)
        print(f"batch in flight at {failpoint}:", counts.summary())
        assert_exactly_once(counts, wire_duplicates_allowed=True)
        assert sorted(p.name for p in markers.iterdir()) == sorted(f"{failpoint}-{n}" for n in CONSUMING)
        # Every event went out once: a re-publish after the restart reused its id, and JetStream
        # dropped it inside the duplicate window.
        for subject in (Intake.OPINION_ALL, Assignment.OPINION_ALL, Notification.DELIVERY_ALL):
            events = Counter(m["event_id"] for m in await read_subject(nc, subject))
            assert {k: n for k, n in events.items() if n != 1} == {}, subject
    finally:
        await nc.close()
