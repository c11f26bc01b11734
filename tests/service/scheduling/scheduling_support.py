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


def plan_payload(conference_id: str, command_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid PlanConference payload for xã Bình Lục; ``overrides`` replace or add fields."""
    payload: dict[str, Any] = {
        "command_id": command_id, "conference_id": conference_id,
        "title": "Hội nghị đối thoại với nhân dân xã Bình Lục", "unit_code": "binh-luc-xa",
        "starts_at": "2026-12-05T08:00:00+07:00", "ends_at": "2026-12-05T11:00:00+07:00",
        "chairs": [{"name": "Nguyễn Văn An", "title": "Bí thư Đảng ủy xã"}],
        "participant_groups": ["citizens"], "venue": "Hội trường UBND xã Bình Lục",
    }  # fmt: skip
    return payload | overrides
