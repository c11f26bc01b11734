"""Start-up waits out a JetStream that does not answer yet, as a cluster electing leaders does.

On a loopback 3-node cluster under load, `assignment` once exited at start-up with TimeoutError:
FastStream's start asks for each durable consumer once and gives up at the JetStream API's first
timeout, and the stream check gave up the same way. Here the real nats-server is paused (SIGSTOP)
while start-up asks, so the first requests time out; start-up must wait and then finish.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import nats
import pytest
from nats.js.client import JetStreamContext

from shared.nats_server import NatsServer
from shared.startup import PermissionWatch
from shared.streams import ensure_consumers, wait_for_streams

pytestmark = [pytest.mark.service, pytest.mark.timeout(60)]
API_TIMEOUT = 0.5  # the JetStream context's request timeout here; nats-py's default is 5 s


@asynccontextmanager
async def stalled_jetstream(server: NatsServer) -> AsyncIterator[JetStreamContext]:
    """A JetStream context with a PROBE stream, the server paused (SIGSTOP) just after it is handed
    over, for four API timeouts: the first requests made in the block time out."""
    assert server.process is not None
    nc = await nats.connect(server.url)
    pause: asyncio.Task[None] | None = None

    async def paused() -> None:
        assert server.process is not None
        os.kill(server.process.pid, signal.SIGSTOP)
        try:
            await asyncio.sleep(4 * API_TIMEOUT)
        finally:
            os.kill(server.process.pid, signal.SIGCONT)

    try:
        js = nc.jetstream(timeout=API_TIMEOUT)
        await js.add_stream(name="PROBE", subjects=["probe.>"])
        pause = asyncio.create_task(paused())
        await asyncio.sleep(0.05)
        yield js
        await pause
    finally:
        if pause is not None:
            await asyncio.gather(pause, return_exceptions=True)
        await nc.close()


async def test_consumers_are_created_after_the_api_timed_out(nats_server: NatsServer) -> None:
    said: list[str] = []
    async with stalled_jetstream(nats_server) as js:
        await ensure_consumers(
            js, [("PROBE", "probe-one", "probe.one"), ("PROBE", "probe-two", "probe.>")],
            PermissionWatch("test"), said.append,
        )  # fmt: skip
        assert any("timed out" in sentence for sentence in said), said
        for durable, subject in (("probe-one", "probe.one"), ("probe-two", "probe.>")):
            info = await js.consumer_info("PROBE", durable)
            assert info.config.durable_name == durable
            assert info.config.filter_subject == subject
            assert info.config.max_deliver == -1
        # A second start finds them and changes nothing.
        await ensure_consumers(
            js, [("PROBE", "probe-one", "probe.one")], PermissionWatch("test"), said.append
        )
        assert (await js.consumer_info("PROBE", "probe-one")).config.filter_subject == "probe.one"


async def test_the_stream_check_waits_for_an_answer(nats_server: NatsServer) -> None:
    said: list[str] = []
    async with stalled_jetstream(nats_server) as js:
        await wait_for_streams(js, ["PROBE"], PermissionWatch("test"), said.append)
    assert any("to answer" in sentence for sentence in said), said
