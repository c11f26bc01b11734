"""One hop of the baseline: a durable pull consumer whose handler only republishes (own process).

``python -m bench.relay <url> <stream> <subject_in> <subject_out> <durable> <batch> <max_seconds>``;
it stops by itself after ``max_seconds`` (the benchmark terminates it earlier).
"""

from __future__ import annotations

import asyncio
import sys
import time

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout


async def relay(
    url: str, stream: str, subject_in: str, subject_out: str, durable: str, batch: int, limit: float
) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    sub = await js.pull_subscribe(subject_in, durable=durable, stream=stream)

    async def handle(msg: Msg) -> None:
        key = (msg.headers or {}).get("Bench-Key", "")
        await js.publish(
            subject_out, msg.data, headers={"Nats-Msg-Id": f"{subject_out}:{key}", "Bench-Key": key}
        )
        await msg.ack()

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            msgs = await sub.fetch(batch, timeout=1.0)
        except (TimeoutError, NatsTimeout):
            continue
        await asyncio.gather(*(handle(m) for m in msgs))
    await nc.drain()


if __name__ == "__main__":
    url, stream, subject_in, subject_out, durable, batch, limit = sys.argv[1:8]
    asyncio.run(relay(url, stream, subject_in, subject_out, durable, int(batch), float(limit)))
