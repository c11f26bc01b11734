"""A handler test bed: in-memory store, a list publisher and a clock the test moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry

from services.assignment.adapters.routing_file import load_routing
from services.assignment.metrics import AssignmentMetrics
from services.assignment.service import Deps
from shared.contracts.base import Event, derived_id
from shared.contracts.intake import OpinionClassified, OpinionKind
from tests.fakes import InMemoryStore


@dataclass
class Bed:
    now: dt.datetime
    published: list[Event] = field(default_factory=list)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    store: InMemoryStore = field(default_factory=InMemoryStore)

    def __post_init__(self) -> None:
        self.deps = Deps(
            self.store, load_routing(), AssignmentMetrics(self.registry), self.publish, self.clock
        )

    async def publish(self, events: Sequence[Event]) -> None:
        self.published.extend(events)

    def clock(self) -> dt.datetime:
        return self.now

    def types(self) -> list[str]:
        return [type(e).__name__ for e in self.published]

    def sample(self, name: str, labels: dict[str, str]) -> float | None:
        return self.registry.get_sample_value(name, labels)


def classified(n: int, field: str = "education", unit: str | None = "ha-nam", level: str | None = "province",
               conference_id: str | None = "conf-1", kind: OpinionKind = OpinionKind.RECOMMENDATION,
               received_at: str = "2026-11-20T01:00:00+00:00") -> OpinionClassified:  # fmt: skip
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
