"""Prometheus metrics shared by every service; each service process has its own registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Response latency is measured in days to weeks: buckets from one hour to sixty days.
HOUR = 3600.0
DAY = 24 * HOUR
RESPONSE_BUCKETS = (
    HOUR, 4 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 5 * DAY, 7 * DAY,
    10 * DAY, 14 * DAY, 21 * DAY, 30 * DAY, 45 * DAY, 60 * DAY,
)  # fmt: skip
# Pipeline hops are measured in milliseconds to seconds.
PIPELINE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Outcomes committed together by one unit of work (1 to DIALOGUE_BATCH_SIZE, 16 by default).
BATCH_BUCKETS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64)


class CommonMetrics:
    """Counters every service updates: rejections, retries, published events, readiness."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.rejected = Counter(
            "dialogue_messages_rejected",
            "Messages refused for good (bad payload, unknown reference), kept on the dead-letter subject.",
            ["service", "reason"],
            registry=registry,
        )
        self.retried = Counter(
            "dialogue_messages_retried",
            "Messages negatively acknowledged for a later retry after a transient failure.",
            ["service", "subject"],
            registry=registry,
        )
        self.published = Counter(
            "dialogue_events_published",
            "Events this service stored in a JetStream stream (PubAck awaited), by stream.",
            ["service", "stream"],
            registry=registry,
        )
        self.batch_size = Histogram(
            "dialogue_commit_batch_size",
            "Outcomes (messages, commands or sweep steps) committed together by one unit of work: one "
            "store write, one publish and one outbox clearing for all of them.",
            ["service"],
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        self.ready = Gauge(
            "dialogue_service_ready",
            "1 when NATS is connected and the store answers.",
            ["service"],
            registry=registry,
        )


def new_registry() -> CollectorRegistry:
    return CollectorRegistry(auto_describe=True)


__all__ = [
    "BATCH_BUCKETS",
    "DAY",
    "HOUR",
    "PIPELINE_BUCKETS",
    "RESPONSE_BUCKETS",
    "CommonMetrics",
    "Histogram",
    "new_registry",
]
