"""The ports every scheduling handler and query needs, built once when the host has its store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.domain import ReminderPolicy, SchedulingRules, UnitTree
from services.scheduling.metrics import SchedulingMetrics
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


async def build_deps(
    store: DocumentStore,
    units: UnitTree,
    rules: SchedulingRules,
    reminders: ReminderPolicy,
    metrics: SchedulingMetrics,
    clock: Clock,
) -> Deps:
    """The ports over the opened store (its indexes ensured), once per start of the host."""
    conferences = ConferenceRepository(store)
    await conferences.ensure_indexes()
    return Deps(conferences, units, rules, reminders, metrics, clock)
