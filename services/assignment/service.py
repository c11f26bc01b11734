"""What every handler shares: its dependencies, and committing a state change then publishing it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from services.assignment.adapters.repository import AssignmentRepository
from services.assignment.adapters.routing_file import RoutingConfig
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.state import Result
from services.assignment.mapping import to_contracts
from services.assignment.metrics import AssignmentMetrics
from shared.contracts.base import Event
from shared.errors import NotFound, TransientError
from shared.storage import DocumentStore
from shared.storage.port import ConcurrencyConflict, Doc
from shared.timeutil import utcnow
from shared.workdays import WorkCalendar, default_calendar

log = logging.getLogger(__name__)
Publish = Callable[[Sequence[Event]], Awaitable[None]]
Clock = Callable[[], dt.datetime]
CONFLICT_RETRIES = 3


@dataclass
class Deps:
    """The ports a handler needs; tests pass an in-memory store, a list publisher and a fixed clock."""

    store: DocumentStore
    config: RoutingConfig
    metrics: AssignmentMetrics
    publish: Publish
    clock: Clock = utcnow
    calendar: WorkCalendar = field(default_factory=default_calendar)

    @property
    def repo(self) -> AssignmentRepository:
        return AssignmentRepository(self.store)


async def commit(deps: Deps, assignment: Assignment, result: Result, previous: Doc | None) -> list[Event]:
    """Save a new state change with its events, observe it, publish, then forget the outbox.

    A duplicate command saves nothing and re-publishes the same event ids (JetStream drops them).
    """
    events = to_contracts(result.events, deps.config.table)
    if result.duplicate:
        await deps.publish(events)
        return events
    doc = await deps.repo.save(assignment, events, previous)
    deps.metrics.observe(result.events)
    await deps.publish(events)
    await deps.repo.mark_published(doc)
    return events


def unknown_opinion(opinion_id: str) -> NotFound:
    return NotFound(
        "unknown_opinion",
        f"Không tìm thấy ý kiến «{opinion_id}» ở khâu giao xử lý; hãy kiểm tra lại mã ý kiến.",
    )


async def resolve_opinion(deps: Deps, key: str) -> str:
    """An opinion id, or the id of the opinion with that tracking code."""
    if await deps.repo.get(key) is not None:
        return key
    found = await deps.repo.find({"opinion.tracking_code": key})
    return str(found[0]["_id"]) if found else key


async def execute(
    deps: Deps, opinion_id: str, apply: Callable[[Assignment], Result]
) -> tuple[Assignment, Result]:
    """Load, apply one command, commit; a concurrent save is retried on the fresh state."""
    for _ in range(CONFLICT_RETRIES):
        loaded = await deps.repo.get(opinion_id)
        if loaded is None:
            raise unknown_opinion(opinion_id)
        assignment, doc = loaded
        result = apply(assignment)
        try:
            await commit(deps, assignment, result, doc)
        except ConcurrencyConflict:
            log.info("concurrent change of %s; retrying the command on the fresh state", opinion_id)
            continue
        return assignment, result
    raise TransientError(f"assignment {opinion_id} keeps changing concurrently")
