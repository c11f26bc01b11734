"""Scheduling handlers: one function per command; load through the store, decide, save, return events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.contracts.base import derived_id
from shared.contracts.scheduling import ConferencePlanned
from shared.errors import NotFound
from shared.outbox import record, replay
from shared.storage import DocumentStore

CONFERENCES = "conferences"


async def plan_conference(
    store: DocumentStore, command: dict[str, Any], now: dt.datetime
) -> ConferencePlanned:
    """Record a planned conference (slice version: no rules yet)."""
    command_id = str(command["command_id"])
    conference_id = str(command.get("conference_id") or derived_id("conference", command_id))
    existing = await store.get(CONFERENCES, conference_id)
    done = replay(existing, command_id)
    if done:
        event = done[0]
        assert isinstance(event, ConferencePlanned)
        return event
    event = ConferencePlanned(
        event_id=derived_id(command_id, "ConferencePlanned"),
        correlation_id=conference_id,
        conference_id=conference_id,
        title=command["title"],
        unit_code=command["unit_code"],
        unit_name=command.get("unit_name", ""),
        level=command["level"],
        starts_at=command["starts_at"],
        ends_at=command["ends_at"],
        chairs=command.get("chairs", []),
        participant_groups=command.get("participant_groups", []),
        venue=command.get("venue"),
    )
    doc: dict[str, Any] = {
        "_id": conference_id,
        "version": 1,
        "state": "planned",
        **event.model_dump(mode="json"),
    }
    record(doc, command_id, [event])
    await store.save(CONFERENCES, doc)
    return event


async def show_conference(store: DocumentStore, conference_id: str) -> dict[str, Any]:
    doc = await store.get(CONFERENCES, conference_id)
    if doc is None:
        raise NotFound(
            "unknown_conference", f"Không tìm thấy hội nghị '{conference_id}'; kiểm tra lại mã hội nghị."
        )
    doc.pop("outbox", None)
    return doc
