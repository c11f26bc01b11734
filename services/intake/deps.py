"""The ports the intake handlers and queries need, built once when the host opens its store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from services.intake.adapters.repository import OpinionRepository
from services.intake.adapters.rules_file import load_rules
from services.intake.adapters.topics_cache import TopicsCache
from services.intake.domain import GroupingPolicy, IntakePolicy, RuleSet
from services.intake.metrics import IntakeMetrics
from services.intake.settings import IntakeSettings
from shared.storage import DocumentStore
from shared.timeutil import utcnow
from shared.workdays import WorkCalendar, default_calendar

# A submission naming a conference intake has no snapshot of is retried (the conference's event
# may still be on its way) until it has been delivered this many times, then refused: with the
# host's retry delays (0.5 s doubling) that is 7.5 s of waiting, far longer than the snapshot lags.
# It is not refused while intake's snapshot consumer still has conference events to deliver or to
# acknowledge (``snapshots_in_flight``): a snapshot held by a replica that died comes back only
# after the consumer's ack wait (30 s), and one being committed under load may take seconds.
UNKNOWN_CONFERENCE_DELIVERIES = 5


async def no_snapshot_in_flight() -> bool:
    return False


@dataclass(frozen=True)
class Deps:
    """Tests build one over an in-memory store (``metrics`` left out: nothing is counted)."""

    store: DocumentStore
    rules: RuleSet
    known_sources: frozenset[str]
    calendar: WorkCalendar = field(default_factory=default_calendar)
    policy: IntakePolicy = field(default_factory=IntakePolicy)
    grouping: GroupingPolicy = field(default_factory=GroupingPolicy)
    topics: TopicsCache = field(default_factory=TopicsCache)
    metrics: IntakeMetrics | None = None
    unknown_conference_deliveries: int = UNKNOWN_CONFERENCE_DELIVERIES
    snapshots_in_flight: Callable[[], Awaitable[bool]] = no_snapshot_in_flight
    clock: Callable[[], dt.datetime] = utcnow
    repo: OpinionRepository = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "repo", OpinionRepository(self.store))


def load_configured_rules(settings: IntakeSettings) -> RuleSet:
    """The province's fields file (``DIALOGUE_INTAKE_FIELDS_FILE`` or the config dir), else the shipped one."""
    fields_file = settings.config_file("fields.toml", settings.intake_fields_file)
    return load_rules(fields_file) if fields_file else load_rules()


def build_deps(
    store: DocumentStore,
    settings: IntakeSettings,
    rules: RuleSet,
    metrics: IntakeMetrics,
    snapshots_in_flight: Callable[[], Awaitable[bool]] = no_snapshot_in_flight,
) -> Deps:
    """Wire the ports over the opened store, once per start."""
    return Deps(
        store=store,
        rules=rules,
        known_sources=settings.known_sources(),
        grouping=GroupingPolicy(threshold=settings.intake_grouping_threshold),
        metrics=metrics,
        snapshots_in_flight=snapshots_in_flight,
    )
