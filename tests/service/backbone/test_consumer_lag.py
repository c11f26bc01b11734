"""The services' own consumer lag gauges, read from JetStream consumer info on a real nats-server."""

from __future__ import annotations

import asyncio
import time
import uuid

import nats
import pytest
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig
from nats.js.client import JetStreamContext
from prometheus_client import CollectorRegistry

from shared import streams
from shared.consumer_lag import ConsumerLag
from shared.metrics import new_registry
from shared.nats_server import NatsServer

pytestmark = pytest.mark.service

SERVICE = "assignment"


def lag_of(registry: CollectorRegistry, stream: str, durable: str) -> tuple[float | None, float | None]:
    labels = {"service": SERVICE, "stream": stream, "consumer": durable}
    return (
        registry.get_sample_value("dialogue_consumer_pending", labels),
        registry.get_sample_value("dialogue_consumer_ack_pending", labels),
    )


async def refreshed(
    lag: ConsumerLag,
    registry: CollectorRegistry,
    js: JetStreamContext,
    stream: str,
    durable: str,
    expected: tuple[int, int],
) -> tuple[float | None, float | None]:
    """The gauges after refreshing until they read ``expected`` (or 5 s passed: the last reading).

    A PubAck says the stream stored a message; the consumer's own count of pending messages catches
    up a moment later (the server updates consumers asynchronously), so one reading right after the
    publish may still miss the last message on a busy machine.
    """
    deadline = time.monotonic() + 5
    while True:
        await lag.refresh(js, [(stream, durable)])
        reading = lag_of(registry, stream, durable)
        if reading == expected or time.monotonic() > deadline:
            return reading
        await asyncio.sleep(0.05)


async def caught_up(js: JetStreamContext, stream: str, durable: str, pending: int) -> None:
    """Wait until the consumer itself counts ``pending`` messages (it updates after the PubAck)."""
    deadline = time.monotonic() + 5
    while (await js.consumer_info(stream, durable)).num_pending != pending:
        assert time.monotonic() < deadline, f"{durable} never counted {pending} pending messages"
        await asyncio.sleep(0.05)


async def stream_with_durable(js: JetStreamContext) -> tuple[str, str, str]:
    """A fresh stream and a durable pull consumer on it; returns (stream, durable, subject)."""
    suffix = uuid.uuid4().hex[:8]
    stream, subject, durable = f"LAG_{suffix}", f"lag.{suffix}.event", f"{SERVICE}-lag-{suffix}"
    await js.add_stream(StreamConfig(name=stream, subjects=[f"lag.{suffix}.>"]))
    await js.add_consumer(stream, ConsumerConfig(durable_name=durable, ack_policy=AckPolicy.EXPLICIT))
    return stream, durable, subject


async def test_the_gauges_follow_pending_delivered_and_acknowledged_messages(nats_client: Client) -> None:
    js = nats_client.jetstream()
    stream, durable, subject = await stream_with_durable(js)
    registry = new_registry()
    lag = ConsumerLag(registry, SERVICE)
    for n in range(10):
        await js.publish(subject, f"message {n}".encode())  # PubAck awaited: stored

    assert await refreshed(lag, registry, js, stream, durable, (10, 0)) == (10, 0)

    sub = await js.pull_subscribe_bind(durable, stream)
    delivered = await sub.fetch(4, timeout=5)
    assert len(delivered) == 4
    assert await refreshed(lag, registry, js, stream, durable, (6, 4)) == (6, 4)

    for msg in delivered:
        await msg.ack_sync()  # the server answers once it recorded the ack
    assert await refreshed(lag, registry, js, stream, durable, (6, 0)) == (6, 0)


async def test_a_missing_consumer_or_stream_is_skipped_and_the_others_are_measured(
    nats_client: Client,
) -> None:
    js = nats_client.jetstream()
    stream, durable, subject = await stream_with_durable(js)
    await js.publish(subject, b"one")
    await caught_up(js, stream, durable, 1)
    registry = new_registry()
    lag = ConsumerLag(registry, SERVICE)

    await lag.refresh(
        js, [(stream, f"{SERVICE}-not-created"), ("NO_SUCH_STREAM", durable), (stream, durable)]
    )

    assert lag_of(registry, stream, f"{SERVICE}-not-created") == (None, None)
    assert lag_of(registry, "NO_SUCH_STREAM", durable) == (None, None)
    assert lag_of(registry, stream, durable) == (1, 0)


async def test_a_deleted_consumer_stops_being_reported(nats_client: Client) -> None:
    js = nats_client.jetstream()
    stream, durable, subject = await stream_with_durable(js)
    await js.publish(subject, b"one")
    registry = new_registry()
    lag = ConsumerLag(registry, SERVICE)
    assert await refreshed(lag, registry, js, stream, durable, (1, 0)) == (1, 0)

    await js.delete_consumer(stream, durable)
    await lag.refresh(js, [(stream, durable)])

    assert lag_of(registry, stream, durable) == (None, None)


async def test_a_lost_connection_keeps_the_last_values_without_raising(nats_server: NatsServer) -> None:
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    stream, durable, subject = await stream_with_durable(js)
    await js.publish(subject, b"one")
    await js.publish(subject, b"two")
    registry = new_registry()
    lag = ConsumerLag(registry, SERVICE)
    assert await refreshed(lag, registry, js, stream, durable, (2, 0)) == (2, 0)
    await nc.close()

    await lag.refresh(js, [(stream, durable)])

    assert lag_of(registry, stream, durable) == (2, 0)


async def test_in_flight_holds_until_every_message_was_delivered_and_acked(nats_client: Client) -> None:
    """``streams.in_flight`` (intake waits on it before refusing an unknown conference)."""
    js = nats_client.jetstream()
    stream, durable, subject = await stream_with_durable(js)
    assert not await streams.in_flight(js, stream, durable)
    await js.publish(subject, b"a conference event")
    await caught_up(js, stream, durable, 1)
    assert await streams.in_flight(js, stream, durable)  # not delivered yet

    sub = await js.pull_subscribe_bind(durable, stream)
    (delivered,) = await sub.fetch(1, timeout=5)
    assert await streams.in_flight(js, stream, durable)  # delivered, not acked (a replica died)
    await delivered.ack_sync()
    assert not await streams.in_flight(js, stream, durable)
    assert await streams.in_flight(js, stream, f"{SERVICE}-not-created")  # cannot say: wait
