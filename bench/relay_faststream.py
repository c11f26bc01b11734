"""One hop of the FastStream baseline: the services' consumer machinery around a handler that only
republishes (own process).

The same FastStream subscriber the services register (``ServiceHost.consumer`` through
``shared.batch_consumer.subscribe_batches``: durable pull consumer, FastStream's batch subscriber
fetching up to 16, each message metered with FastStream's Prometheus metrics and settled by the
reliability policy on its own) and the same publish path (nats-py ``publish_async``, PubAck awaited
before the ack), with no validation, domain work or store. It separates what the framework costs
from what the services do.

``python -m bench.relay_faststream <url> <stream> <subject_in> <subject_out> <durable> <batch> <max_seconds>``
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from faststream.nats import NatsBroker
from faststream.nats.prometheus import NatsPrometheusMiddleware
from nats.aio.client import DEFAULT_INBOX_PREFIX
from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from shared.batch_consumer import BatchHandler, ConsumeMetrics, current_message, subscribe_batches
from shared.connection import per_message_only
from shared.contracts.rejections import MessageRejected
from shared.reliability import ReliableConsumer


async def relay(
    url: str, stream: str, subject_in: str, subject_out: str, durable: str, batch: int, limit: float
) -> None:
    async def nowhere(rejection: MessageRejected) -> None:
        logging.warning("relay rejected a message: %s", rejection.reason)

    policy = ReliableConsumer("relay", nowhere, lambda reason: None)
    registry = CollectorRegistry()
    prometheus = NatsPrometheusMiddleware(registry=registry, app_name="relay")
    broker = NatsBroker(
        url,
        middlewares=[per_message_only(prometheus), per_message_only(policy)],
        logger=logging.getLogger("faststream.relay"),
    )
    published: dict[str, Any] = {}

    async def republish(body: bytes) -> None:
        key = (current_message().headers or {}).get("Bench-Key", "")
        ack = await published["js"].publish_async(
            subject_out, body, stream=None, headers={"Nats-Msg-Id": f"{subject_out}:{key}", "Bench-Key": key}
        )
        await asyncio.wait_for(ack, 10.0)

    subscribe_batches(
        broker,
        subject_in,
        BatchHandler(republish, policy, ConsumeMetrics(registry, "relay")),
        BaseModel,
        stream=stream,
        durable=durable,
        batch_size=batch,
        inbox_prefix=DEFAULT_INBOX_PREFIX.decode(),
        name="republish",
    )
    await broker.connect()
    published["js"] = broker.connection.jetstream()
    await broker.start()
    try:
        await asyncio.sleep(limit)
    finally:
        await broker.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    url, stream, subject_in, subject_out, durable, batch, limit = sys.argv[1:8]
    asyncio.run(relay(url, stream, subject_in, subject_out, durable, int(batch), float(limit)))
