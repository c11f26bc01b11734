"""SIGKILL each service in the middle of a load, restart it: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio

import pytest
from reliability_harness import SmtpSink
from reliability_load import Load, assert_exactly_once, connect, plan_conference, wait_for, wait_quiet

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(240)]

PER_SERVICE = 50


async def test_each_service_killed_mid_load_and_restarted_loses_and_doubles_nothing(make_stack, smtp) -> None:
    sink: SmtpSink = smtp[0]
    stack = make_stack()
    await stack.start_all()
    nc = await connect(stack.nats_url)
    try:
        await plan_conference(nc)
        load = Load(nc)
        progress = {
            "scheduling": lambda: len(load.published) >= 10,
            "intake": lambda: len(load.published) >= 10,
            "assignment": lambda: len(sink.assigned()) >= before + 5,
            "notification": lambda: len(sink.assigned()) >= before + 5,
        }
        for name in ("scheduling", "intake", "assignment", "notification"):
            before = len(sink.assigned())
            publishing = asyncio.create_task(load.run(f"kill-{name}", PER_SERVICE, per_second=40))
            await wait_for(progress[name], timeout=60, what=f"{name} to make progress")
            stack.kill(name)
            await asyncio.sleep(0)
            stack.start(name)
            await stack.wait_ready((name,))
            await publishing
        counts = await wait_quiet(nc, sink, load.published)
        print("service crashes:", counts.summary())
        assert_exactly_once(counts, wire_duplicates_allowed=True)
    finally:
        await nc.close()
