"""The store is unavailable for a while: writes fail as transient errors, messages are nacked and
redelivered, and once the store is back every accepted submission is assigned and e-mailed once."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from reliability_harness import SmtpSink
from reliability_load import Load, assert_exactly_once, connect, plan_conference, wait_for, wait_quiet

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(180)]

LOAD = 150


async def test_a_locked_store_delays_but_loses_and_doubles_nothing(make_stack, smtp) -> None:
    sink: SmtpSink = smtp[0]
    stack = make_stack()
    await stack.start_all()
    nc = await connect(stack.nats_url)
    lock = sqlite3.connect(stack.root / "dialogue_assignment.db", timeout=30, isolation_level=None)
    try:
        await plan_conference(nc)
        load = Load(nc)
        publishing = asyncio.create_task(load.run("store-lock", LOAD, per_second=60))
        await wait_for(lambda: len(sink.assigned()) >= 20, what="the first e-mails")
        # A write lock held longer than the store's busy timeout: assignment's writes fail.
        lock.execute("BEGIN EXCLUSIVE")
        await wait_for(
            lambda: stack.metric("assignment", "dialogue_messages_retried_total") >= 1,
            timeout=60,
            what="a write to fail on the locked store and its message to be nacked",
        )
        lock.execute("ROLLBACK")
        await publishing
        counts = await wait_quiet(nc, sink, load.published)
        retried = stack.metric("assignment", "dialogue_messages_retried_total")
        print("store lock:", counts.summary(), "retried:", retried)
        assert stack.alive("assignment")
        assert_exactly_once(counts)
    finally:
        lock.close()
        await nc.close()
