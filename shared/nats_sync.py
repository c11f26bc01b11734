"""Wait until the server has every subscription a connection made.

nats-py queues SUB commands for its flusher task but writes a flush's PING straight to the socket,
so ``flush()`` (PING/PONG) does not prove that the SUBs arrived: a subscriber can miss what another
connection publishes right after. A message this connection sends to itself travels behind the SUBs,
in order, so its arrival does prove it. Tests call this after subscribing and before making anything
happen that they want to observe; the service host calls it before reporting ready.
"""

from __future__ import annotations

import asyncio
from typing import Any

from nats.aio.client import Client


async def settle(nc: Client, timeout: float = 10.0) -> None:
    """Return once the server has processed everything ``nc`` sent before this call."""
    arrived: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def on_message(_: Any) -> None:
        if not arrived.done():
            arrived.set_result(None)

    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox, cb=on_message, max_msgs=1)
    await nc.publish(inbox, b"")
    try:
        await asyncio.wait_for(arrived, timeout=timeout)
    finally:
        await sub.unsubscribe()
