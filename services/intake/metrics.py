"""Intake's Prometheus metrics (names fixed: dashboards and alerts use them)."""

from __future__ import annotations

import datetime as dt

from prometheus_client import CollectorRegistry, Counter, Histogram

from services.intake.domain import Opinion
from shared.metrics import PIPELINE_BUCKETS


class IntakeMetrics:
    """Opinions received by channel and field, and the intake-to-classified latency."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.received = Counter(
            "dialogue_opinions_received",
            "Opinions recorded by intake (duplicates not counted), by channel and field.",
            ["channel", "field"],
            registry=registry,
        )
        self.to_classified = Histogram(
            "dialogue_intake_to_classified_seconds",
            "Seconds from the submission's received time to its classification.",
            buckets=PIPELINE_BUCKETS,
            registry=registry,
        )

    def recorded(self, opinion: Opinion) -> None:
        """Count a newly recorded opinion and observe its latency to classification."""
        self.received.labels(opinion.channel.value, opinion.field).inc()
        classified_at: dt.datetime = opinion.history[0].at
        self.to_classified.observe(max(0.0, (classified_at - opinion.received_at).total_seconds()))
