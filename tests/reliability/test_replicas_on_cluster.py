"""Two replicas of every service on a loopback 3-node NATS cluster (R3 streams), batched units of
work on: they share each durable consumer, and every opinion is assigned once and e-mailed once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from reliability_harness import ROOT, SERVICES, SmtpSink, Stack
from reliability_load import Load, assert_exactly_once, connect, plan_conference, retrying, wait_quiet

from shared.ports import free_port

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(300)]

OPINIONS = 300
RECEIVED = "faststream_received_messages_total"


def start_replica(stack: Stack, name: str) -> str:
    """A second process of ``name``: the same service, store and consumers, its own HTTP port."""
    key = f"{name}-2"
    stack.http_ports[key] = free_port()
    env = {**stack.env(name), "DIALOGUE_HTTP_PORT": str(stack.http_ports[key])}
    with (stack.root / f"{key}.log").open("ab") as log:
        stack.children[key] = subprocess.Popen(
            [sys.executable, "-m", "services.cli.main", "run", name],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return key


async def test_two_replicas_of_every_service_on_a_cluster_lose_and_double_nothing(make_stack, smtp) -> None:
    sink: SmtpSink = smtp[0]
    stack = make_stack(nodes=3)
    await stack.start_all()
    replicas = [start_replica(stack, name) for name in SERVICES]
    await stack.wait_ready(tuple(replicas))
    nc = await connect(stack.nats_url)
    try:
        info = await retrying(lambda: nc.jetstream().stream_info("INTAKE"))
        assert info.config.num_replicas == 3
        await plan_conference(nc)
        load = Load(nc)
        await load.run("replicas", OPINIONS, per_second=100)
        counts = await wait_quiet(nc, sink, load.published)
        shares = {key: stack.metric(key, RECEIVED) for key in [*SERVICES, *replicas]}
        print("two replicas on a cluster:", counts.summary(), "messages received:", shares)
        assert_exactly_once(counts)
        for name in ("intake", "assignment", "notification"):  # both replicas of each took a share
            assert shares[name] > 0, shares
            assert shares[f"{name}-2"] > 0, shares
        assert all(stack.alive(key) for key in [*SERVICES, *replicas])
    finally:
        await nc.close()
