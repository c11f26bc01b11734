"""A handler test bed: in-memory store, a list publisher, the unit of work and a clock the test moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry

from services.assignment import handlers
from services.assignment.adapters.routing_file import load_routing
from services.assignment.app import COMMANDS, sweep
from services.assignment.deps import Deps
from services.assignment.metrics import AssignmentMetrics
from shared import refusals
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.base import Event, derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind, OpinionReclassified
from shared.unit_of_work import UnitOfWork
from tests.fakes import InMemoryStore


@dataclass
class Bed:
    now: dt.datetime
    published: list[Event] = field(default_factory=list)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    store: InMemoryStore = field(default_factory=InMemoryStore)

    def __post_init__(self) -> None:
        self.deps = Deps(self.store, load_routing(), AssignmentMetrics(self.registry), self.clock)
        self.uow = UnitOfWork(lambda: self.store, self.publish)

    async def publish(self, events: Sequence[Event]) -> None:
        self.published.extend(events)

    def clock(self) -> dt.datetime:
        return self.now

    async def route(self, event: OpinionClassified) -> list[Event]:
        """Deliver a classification as the host does; the events its outcome published."""
        outcome = await handlers.route_opinion(self.deps, event)
        await self.uow.commit([outcome])
        return list(outcome.all_events)

    async def reroute(self, event: OpinionReclassified) -> list[Event]:
        """Deliver a reclassification as the host does; the events its outcome published."""
        outcome = await handlers.reroute_opinion(self.deps, event)
        await self.uow.commit([outcome])
        return list(outcome.all_events)

    async def conference(self, event: Event) -> None:
        """Deliver a conference event as the host decodes it: as a snapshot."""
        snapshot = ConferenceSnapshot.model_validate_json(event.to_json())
        await self.uow.commit([await handlers.keep_conference(self.deps, snapshot)])

    async def command(self, verb: str, body: dict[str, Any]) -> Any:
        """Send an operator command as the host does: validate the payload, run, commit, reply."""
        entry = COMMANDS[verb]
        payload = refusals.parse(entry.payload, body)
        return await self.uow.run(lambda: entry.handler(self.deps, payload), verb)

    async def sweep(self) -> list[Event]:
        return await sweep(self.deps, self.uow)

    def types(self) -> list[str]:
        return [type(e).__name__ for e in self.published]

    def sample(self, name: str, labels: dict[str, str]) -> float | None:
        return self.registry.get_sample_value(name, labels)


def classified(
    n: int,
    field: str = "education",
    unit: str | None = "ninh-binh",
    level: str | None = "province",
    conference_id: str | None = "conf-1",
    kind: OpinionKind = OpinionKind.RECOMMENDATION,
    received_at: str = "2026-11-20T01:00:00+00:00",
) -> OpinionClassified:
    return OpinionClassified(
        event_id=derived_id("classified", n),
        opinion_id=f"op-{n}",
        tracking_code=f"HN-{n:04d}",
        field=field,
        kind=kind,
        conference_id=conference_id,
        level=level,
        unit_code=unit,
        summary=f"Ý kiến số {n} về {field}.",
        received_at=received_at,  # type: ignore[arg-type]
    )


def reclassified(
    n: int,
    field: str,
    previous_field: str,
    unit: str | None = "ninh-binh",
    level: str | None = "province",
    step: int = 1,
    kind: OpinionKind = OpinionKind.RECOMMENDATION,
) -> OpinionReclassified:
    """Intake moving opinion ``n`` to ``field`` (``step`` tells successive reclassifications apart)."""
    return OpinionReclassified(
        event_id=derived_id("reclassified", n, step),
        opinion_id=f"op-{n}",
        tracking_code=f"HN-{n:04d}",
        field=field,
        previous_field=previous_field,
        kind=kind,
        conference_id="conf-1",
        level=level,
        unit_code=unit,
        summary=f"Ý kiến số {n}.",
        by="Văn phòng",
        reason="Nội dung về trường học.",
        received_at="2026-11-20T01:00:00+00:00",  # type: ignore[arg-type]
    )
