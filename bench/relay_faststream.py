"""One hop of the FastStream baseline: the services' consumer machinery around a handler that only
republishes (own process).

The same FastStream subscriber the services register (``ServiceHost.consumer``: durable pull consumer,
fetch batches of 16, manual acks through the reliability middleware, FastStream's Prometheus
middleware) and the same publish path (nats-py ``publish_async``, PubAck awaited before the ack), with
no validation, domain work or store. It separates what the framework costs from what the services do.

``python -m bench.relay_faststream <url> <stream> <subject_in> <subject_out> <durable> <batch> <max_seconds>``
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.prometheus import NatsPrometheusMiddleware
from prometheus_client import CollectorRegistry

from shared.contracts.rejections import MessageRejected
from shared.reliability import ReliableConsumer, raw_body
from shared.streams import consumer_config


async def relay(
    url: str, stream: str, subject_in: str, subject_out: str, durable: str, batch: int, limit: float
) -> None:
    async def nowhere(rejection: MessageRejected) -> None:
        logging.warning("relay rejected a message: %s", rejection.reason)

    policy = ReliableConsumer("relay", nowhere, lambda reason: None)
    broker = NatsBroker(
        url,
        middlewares=[NatsPrometheusMiddleware(registry=CollectorRegistry(), app_name="relay"), policy],
        logger=logging.getLogger("faststream.relay"),
    )
    config = consumer_config(durable)
    published: dict[str, Any] = {}

    @broker.subscriber(
        subject_in, stream=JStream(stream, declare=False), durable=durable, config=config,
        pull_sub=PullSub(batch_size=batch, timeout=1.0), ack_policy=AckPolicy.MANUAL, decoder=raw_body,
    )  # fmt: skip
    async def handle(body: bytes) -> None:
        message = broker.context.get_local("message")
        key = (message.headers or {}).get("Bench-Key", "")
        ack = await published["js"].publish_async(
            subject_out, body, stream=None, headers={"Nats-Msg-Id": f"{subject_out}:{key}", "Bench-Key": key}
        )
        await asyncio.wait_for(ack, 10.0)

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
