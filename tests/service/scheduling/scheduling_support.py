"""Reading what the scheduling service stored on its stream."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client

from shared.subjects import Scheduling

Ask = Callable[[str, dict[str, Any]], Any]


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


async def stream_events(
    nc: Client, subject: str = Scheduling.CONFERENCE_ALL
) -> list[tuple[str, dict[str, Any]]]:
    """Every message stored on the SCHEDULING stream for ``subject``, in order."""
    js = nc.jetstream()
    info = await js.stream_info("SCHEDULING")
    if not info.state.messages:
        return []
    sub = await js.pull_subscribe(subject, durable=None, stream="SCHEDULING")
    found: list[tuple[str, dict[str, Any]]] = []
    try:
        while True:
            msgs = await sub.fetch(100, timeout=1)
            found += [(m.subject, json.loads(m.data)) for m in msgs]
    except TimeoutError:
        pass
    await sub.unsubscribe()
    return found
