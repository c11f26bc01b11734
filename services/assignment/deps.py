"""The ports the assignment handlers and queries need, built once when the host opens its store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from services.assignment.adapters.repository import AssignmentRepository
from services.assignment.adapters.routing_file import RoutingConfig
from services.assignment.metrics import AssignmentMetrics
from shared.storage import DocumentStore
from shared.timeutil import utcnow
from shared.workdays import WorkCalendar, default_calendar

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Deps:
    """Tests build one over an in-memory store with a clock they move."""

    store: DocumentStore
    config: RoutingConfig
    metrics: AssignmentMetrics
    clock: Clock = utcnow
    calendar: WorkCalendar = field(default_factory=default_calendar)

    @property
    def repo(self) -> AssignmentRepository:
        return AssignmentRepository(self.store)
