"""The ports every scheduling handler and query needs, built once when the host has its store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.domain import ReminderPolicy, SchedulingRules, UnitTree
from services.scheduling.metrics import SchedulingMetrics
from shared.errors import TransientError
from shared.storage import DocumentStore

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Deps:
    conferences: ConferenceRepository
    units: UnitTree
    rules: SchedulingRules
    reminders: ReminderPolicy
    metrics: SchedulingMetrics
    clock: Clock


@dataclass
class Wiring:
    """What ``Deps`` is built from (known at build time) and, once started, the ``Deps`` itself."""

    units: UnitTree
    rules: SchedulingRules
    reminders: ReminderPolicy
    metrics: SchedulingMetrics
    clock: Clock
    built: Deps | None = None

    async def start(self, store: DocumentStore) -> None:
        """The host's ``on_start`` hook: a (re)started host has a new store, so new ``Deps``."""
        conferences = ConferenceRepository(store)
        await conferences.ensure_indexes()
        self.built = Deps(conferences, self.units, self.rules, self.reminders, self.metrics, self.clock)

    def __call__(self) -> Deps:
        if self.built is None:
            raise TransientError("the scheduling service is not started yet")
        return self.built
