"""Reminder sweeps: 48 hours before an announced conference, 3 and 7 days after a held one.

Each reminder is claimed by an optimistic save of the conference document that stores the event
(deterministic id) under ``reminders.<key>``; only the replica whose save wins publishes it. A claim
whose publish failed stays ``published: false`` and is published again (same id) on the next sweep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from services.scheduling.adapters.repository import CONFERENCES, ConferenceRepository
from services.scheduling.adapters.wire import snapshot_fields
from services.scheduling.domain import Conference, ConferenceState
from shared.contracts.base import Event, derived_id
from shared.contracts.registry import dump_events, load_events
from shared.contracts.scheduling import ConclusionReminderDue, ConferenceReminderDue
from shared.storage.port import ConcurrencyConflict

Publish = Callable[[Sequence[Event]], Awaitable[None]]


@dataclass(frozen=True)
class ReminderPolicy:
    hours_before: int = 48
    days_after: tuple[int, ...] = (3, 7)
    # A conclusion reminder found later than this after its moment is stale (back-recorded conference).
    grace: dt.timedelta = dt.timedelta(hours=24)


def due_reminders(c: Conference, now: dt.datetime, policy: ReminderPolicy) -> list[tuple[str, Event]]:
    """(claim key, event) for every reminder of ``c`` due at ``now``."""
    due: list[tuple[str, Event]] = []
    if (
        c.state is ConferenceState.ANNOUNCED
        and c.start - dt.timedelta(hours=policy.hours_before) <= now < c.start
    ):
        start_key = c.start.astimezone(dt.UTC).isoformat()
        fields = snapshot_fields(c, now) | {"event_id": derived_id(c.id, "ConferenceReminderDue", start_key)}
        key = f"conference_{policy.hours_before}h@{start_key}"
        due.append((key, ConferenceReminderDue(**fields, hours_before=policy.hours_before)))
    if c.state is ConferenceState.HELD and c.held_at is not None and c.conclusion_due is not None:
        for days in policy.days_after:
            moment = c.held_at + dt.timedelta(days=days)
            if moment <= now < moment + policy.grace:
                fields = snapshot_fields(c, now) | {
                    "event_id": derived_id(c.id, "ConclusionReminderDue", days)
                }
                event = ConclusionReminderDue(
                    **fields, held_at=c.held_at, conclusion_due=c.conclusion_due, days_after=days
                )
                due.append((f"conclusion_{days}d", event))
    return due


async def _claim(repo: ConferenceRepository, doc: dict[str, Any], changes: dict[str, Any]) -> bool:
    claimed = dict(doc, version=int(doc["version"]) + 1, reminders={**doc.get("reminders", {}), **changes})
    try:
        await repo.store.save(CONFERENCES, claimed)
    except ConcurrencyConflict:
        return False  # another replica claimed it, or a command changed the conference: next sweep
    return True


async def sweep(
    repo: ConferenceRepository, now: dt.datetime, policy: ReminderPolicy, publish: Publish
) -> int:
    """Emit every due reminder once; returns how many were published."""
    published = 0
    docs = await repo.find_docs(
        {"state": {"$in": [ConferenceState.ANNOUNCED.value, ConferenceState.HELD.value]}}
    )
    for doc in docs:
        claims: dict[str, Any] = doc.get("reminders", {})
        pending = {k: v for k, v in claims.items() if not v.get("published")}
        fresh = {
            key: {"event": dump_events([event])[0], "published": False}
            for key, event in due_reminders(Conference.from_doc(doc), now, policy)
            if key not in claims
        }
        if fresh:
            if not await _claim(repo, doc, fresh):
                continue
            doc = dict(doc, version=int(doc["version"]) + 1)
            pending |= fresh
        if not pending:
            continue
        await publish(load_events([entry["event"] for entry in pending.values()]))
        published += len(pending)
        await _claim(repo, doc, {k: {**v, "published": True} for k, v in pending.items()})
    return published
