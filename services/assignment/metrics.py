"""Response-latency metrics of the assignment service (names fixed: deploy/ dashboards use them)."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.assignment.domain import events as ev
from shared.metrics import RESPONSE_BUCKETS


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def _latency(registry: CollectorRegistry, name: str, documentation: str) -> Histogram:
    """A latency histogram labelled by level and field only (bounded label values)."""
    return Histogram(name, documentation, ["level", "field"], buckets=RESPONSE_BUCKETS, registry=registry)


class AssignmentMetrics:
    """Histograms labelled by level and field only (bounded), gauges per agency, answers by timeliness."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.to_assigned = _latency(
            registry,
            "dialogue_response_received_to_assigned_seconds",
            "Seconds from intake receiving an opinion to its assignment to an agency.",
        )
        self.to_answered = _latency(
            registry,
            "dialogue_response_assigned_to_answered_seconds",
            "Seconds from assignment to the agency's written answer.",
        )
        self.to_published = _latency(
            registry,
            "dialogue_response_received_to_published_seconds",
            "Seconds from intake receiving an opinion to its published (or direct) answer.",
        )
        self.open = Gauge(
            "dialogue_opinions_open",
            "Opinions an agency still owes an answer to.",
            ["agency"],
            registry=registry,
        )
        self.overdue = Gauge(
            "dialogue_opinions_overdue", "Open opinions past their deadline.", ["agency"], registry=registry
        )
        self.answers = Counter(
            "dialogue_answers", "Published agency answers by timeliness.", ["timeliness"], registry=registry
        )
        self._agencies: set[str] = set()

    def observe(self, events: tuple[ev.Event, ...]) -> None:
        """Record the latency of new state changes (never call it for a duplicate command)."""
        for event in events:
            labels = (event.level or "unknown", event.field or "unknown")
            if isinstance(event, ev.OpinionAssigned) and event.reassigned_from is None:
                self._put(self.to_assigned, labels, _seconds(event.received_at, event.assigned_at))
            elif isinstance(event, ev.AnswerSubmitted):
                self._put(self.to_answered, labels, _seconds(event.assigned_at, event.answered_at))
            elif isinstance(event, ev.AnswerPublished):
                self._put(self.to_published, labels, _seconds(event.received_at, event.published_at))
                self.answers.labels("on_time" if event.on_time else "late").inc()
            elif isinstance(event, ev.OpinionAnsweredDirectly):
                self._put(self.to_published, labels, _seconds(event.received_at, event.published_at))

    @staticmethod
    def _put(histogram: Histogram, labels: tuple[str, str], value: float | None) -> None:
        if value is not None:
            histogram.labels(*labels).observe(value)

    def set_backlog(self, open_by_agency: Tally[str], overdue_by_agency: Tally[str]) -> None:
        """Replace the gauges with counts recomputed from the store (agencies at zero stay visible)."""
        self._agencies |= set(open_by_agency) | set(overdue_by_agency)
        for agency in self._agencies:
            self.open.labels(agency).set(open_by_agency.get(agency, 0))
            self.overdue.labels(agency).set(overdue_by_agency.get(agency, 0))
