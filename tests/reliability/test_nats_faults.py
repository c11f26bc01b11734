"""NATS goes away in the middle of a load: a restarted server, and a killed node of a 3-node cluster
with streams replicated three times. Every accepted submission is still assigned and e-mailed once."""

from __future__ import annotations

import asyncio

import pytest
from reliability_harness import SmtpSink
from reliability_load import (
    Load,
    assert_exactly_once,
    connect,
    plan_conference,
    retrying,
    wait_for,
    wait_quiet,
)

from shared.settings import STREAM_OWNERS as SERVICES  # the four the harness runs, not the portal

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(180)]

LOAD = 200


async def test_a_nats_server_restarted_mid_load_loses_and_doubles_nothing(make_stack, smtp) -> None:
    sink: SmtpSink = smtp[0]
    stack = make_stack()
    await stack.start_all()
    nc = await connect(stack.nats_url)
    try:
        await plan_conference(nc)
        load = Load(nc)
        publishing = asyncio.create_task(load.run("nats-restart", LOAD, per_second=60))
        await wait_for(lambda: len(sink.assigned()) >= 20, what="the first e-mails")
        at_stop = len(load.published)
        stack.stop_nats(0)
        await wait_for(
            lambda: not any(stack.is_ready(name) for name in SERVICES), what="services to notice NATS is gone"
        )
        stack.start_nats_node(0)
        await publishing
        await stack.wait_ready()
        counts = await wait_quiet(nc, sink, load.published)
        print("nats restart:", counts.summary(), "published before the stop:", at_stop, load.publish_retries)
        assert at_stop < LOAD, "the load was over before the outage"
        assert_exactly_once(counts)
    finally:
        await nc.close()


async def test_a_killed_cluster_node_leading_the_streams_loses_and_doubles_nothing(make_stack, smtp) -> None:
    sink: SmtpSink = smtp[0]
    stack = make_stack(nodes=3)
    await stack.start_all()
    nc = await connect(stack.nats_url)
    try:
        js = nc.jetstream()
        info = await retrying(lambda: js.stream_info("ASSIGNMENT"))
        assert info.config.num_replicas == 3
        await plan_conference(nc)
        load = Load(nc)
        publishing = asyncio.create_task(load.run("node-kill", LOAD, per_second=60))
        await wait_for(lambda: len(sink.assigned()) >= 20, what="the first e-mails")
        leader = (await retrying(lambda: js.stream_info("ASSIGNMENT"))).cluster.leader
        stack.kill_nats(stack.node_index(leader))
        await publishing
        counts = await wait_quiet(nc, sink, load.published)
        after = (await retrying(lambda: js.stream_info("ASSIGNMENT"))).cluster.leader
        print("node kill:", leader, "→", after, counts.summary(), "publish retries:", load.publish_retries)
        assert after != leader
        assert all(stack.alive(name) for name in SERVICES)
        assert_exactly_once(counts)
    finally:
        await nc.close()
