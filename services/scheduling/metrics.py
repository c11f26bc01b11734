"""The scheduling gauges, recomputed from the store (so every replica reports the same truth)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from prometheus_client import CollectorRegistry, Gauge

from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.domain import Conference, ConferenceState


class SchedulingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.conferences = Gauge(
            "dialogue_conferences", "Conferences by level and state.", ["level", "state"], registry=registry
        )
        self.overdue = Gauge(
            "dialogue_conclusions_overdue",
            "Held conferences whose conclusion is past its due date.",
            registry=registry,
        )
        self._seen: set[tuple[str, str]] = set()

    def moved(self, level: str, before: str | None, after: str) -> None:
        """One conference changed state here: count it at once (the sweep's refresh corrects drift)."""
        if before is not None:
            self.conferences.labels(level, before).dec()
        self.conferences.labels(level, after).inc()
        self._seen.add((level, after))

    async def refresh(self, repo: ConferenceRepository, now: dt.datetime) -> None:
        docs = await repo.find_docs()
        counts = Counter((str(d.get("level")), str(d.get("state"))) for d in docs)
        # Labels seen before but now empty go to zero rather than disappearing from dashboards.
        for labels in self._seen | set(counts):
            self.conferences.labels(*labels).set(counts.get(labels, 0))
        self._seen |= set(counts)
        held = [Conference.from_doc(d) for d in docs if d.get("state") == ConferenceState.HELD.value]
        self.overdue.set(sum(1 for c in held if c.is_conclusion_late(now)))
