"""One process of the same-shape raw baseline: raw nats-py pull consumers standing in for a service.

``python -m bench.relay_shaped <url> <process> <batch> <max_seconds>``. Each of its consumers
(``bench.shape.PROCESSES``) fetches batches from its durable consumer, publishes what the service
publishes for that message (payload as is, a ``Nats-Msg-Id`` per event, their PubAcks awaited
together) and acks it: the pipeline's publications and consumptions, without the services' work.
"""

from __future__ import annotations

import asyncio
import sys
import time

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext

from bench.shape import PROCESSES, Hop


async def _consume(js: JetStreamContext, hop: Hop, batch: int, deadline: float) -> None:
    sub = await js.pull_subscribe(hop.subject, durable=hop.durable, stream=hop.stream)

    async def handle(msg: Msg) -> None:
        key = (msg.headers or {}).get("Bench-Key", "")
        if hop.publishes:
            await asyncio.gather(*(
                js.publish(out, msg.data, headers={"Nats-Msg-Id": f"{out}:{key}", "Bench-Key": key})
                for out in hop.publishes
            ))  # fmt: skip
        await msg.ack()

    while time.monotonic() < deadline:
        try:
            msgs = await sub.fetch(batch, timeout=1.0)
        except (TimeoutError, NatsTimeout):
            continue
        await asyncio.gather(*(handle(m) for m in msgs))


async def run(url: str, process: str, batch: int, limit: float) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    deadline = time.monotonic() + limit
    await asyncio.gather(*(_consume(js, hop, batch, deadline) for hop in PROCESSES[process]))
    await nc.drain()


if __name__ == "__main__":
    url, process, batch, limit = sys.argv[1:5]
    asyncio.run(run(url, process, int(batch), float(limit)))
