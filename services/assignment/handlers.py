"""Event handlers and the sweep: route classified opinions, keep the conference projection, remind."""

from __future__ import annotations

import datetime as dt
import logging

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.routing import DirectAnswer, route
from services.assignment.domain.values import OpinionRef
from services.assignment.mapping import to_contracts
from services.assignment.service import Deps, commit
from shared.contracts.base import Event
from shared.contracts.intake import OpinionClassified
from shared.contracts.scheduling import ConferencePlanned
from shared.storage.port import ConcurrencyConflict
from shared.timeutil import local_date

log = logging.getLogger(__name__)


async def _opinion_ref(deps: Deps, event: OpinionClassified) -> OpinionRef:
    """The opinion as the domain sees it; a unit scheduling names differently is resolved here."""
    table = deps.config.table
    conference = await deps.repo.conference(event.conference_id)
    raw_unit = event.unit_code or (conference or {}).get("unit_code") or ""
    unit_code = table.resolve_unit(raw_unit, (conference or {}).get("unit_name", "")) or raw_unit
    level = event.level or (conference or {}).get("level") or ""
    if table.has_unit(unit_code) and not level:
        level = table.unit(unit_code).level
    return OpinionRef(
        opinion_id=event.opinion_id,
        tracking_code=event.tracking_code,
        field=event.field,
        kind=event.kind.value,
        level=level,
        unit_code=unit_code,
        received_at=event.received_at,
        conference_id=event.conference_id,
        summary=event.summary,
    )


async def route_opinion(deps: Deps, event: OpinionClassified) -> list[Event]:
    """Route a classified opinion and open its assignment; a redelivery re-publishes the same events."""
    existing = await deps.repo.get(event.opinion_id)
    if existing is not None:
        replay = existing[0]._replay(event.event_id)
        if replay is None:
            log.info("opinion %s was already routed by another classification", event.opinion_id)
            return []
        return await commit(deps, existing[0], replay, existing[1])
    opinion = await _opinion_ref(deps, event)
    pending = await deps.repo.direct_answer(event.opinion_id)
    direct = DirectAnswer(pending["text"], pending["answered_by"]) if pending else None
    now = deps.clock()
    decision = route(opinion, deps.config.table, deps.config.policy, deps.calendar, now, direct)
    assignment, result = Assignment.open(opinion, decision, now, event.event_id)
    return await commit(deps, assignment, result, None)


async def record_conference(deps: Deps, event: ConferencePlanned) -> None:
    """Keep what the conclusion notice needs of the conference (idempotent upsert)."""
    await deps.repo.put_conference(
        {
            "_id": event.conference_id,
            "title": event.title,
            "unit_code": event.unit_code,
            "unit_name": event.unit_name,
            "level": event.level,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "chairs": [{"name": c.name, "title": c.title} for c in event.chairs],
            "venue": event.venue or "",
        }
    )


async def flush_unpublished(deps: Deps) -> int:
    """Re-publish events saved by a process that died before its PubAck (same ids: no duplicates)."""
    flushed = 0
    for doc, events in await deps.repo.with_unpublished():
        await deps.publish(events)
        await deps.repo.mark_published(doc)
        flushed += len(events)
    return flushed


async def sweep(deps: Deps) -> list[Event]:
    """Send the reminders and escalations due now, then recompute the backlog gauges.

    Each is recorded in the aggregate with a command id derived from the deadline, and saved with
    the optimistic version check: of two replicas sweeping at once, one save wins, the other gets
    ``ConcurrencyConflict`` and skips; the winner's events carry deterministic ids.
    """
    await flush_unpublished(deps)
    now = deps.clock()
    today = local_date(now)
    published: list[Event] = []
    # Only what can be due reads the full documents: a deadline within the reminder period (with a
    # week of margin for holidays), or already passed. The rest of the backlog is only counted.
    horizon = deps.calendar.add_working_days(today, deps.config.policy.reminder_days) + dt.timedelta(days=7)
    for doc in await deps.repo.open_due_by(horizon):
        assignment = Assignment.from_doc(doc)
        result = assignment.sweep(now, deps.calendar, deps.config.policy)
        if result.events:
            try:
                published += await commit(deps, assignment, result, doc)
            except ConcurrencyConflict:
                log.info("another replica or command changed %s; the next sweep looks again", doc["_id"])
    open_by, overdue_by = await deps.repo.backlog(today, (a.code for a in deps.config.table.agencies))
    deps.metrics.set_backlog(open_by, overdue_by)
    return published


__all__ = ["flush_unpublished", "record_conference", "route_opinion", "sweep", "to_contracts"]
