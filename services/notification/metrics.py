"""Notification metrics; names are fixed because the dashboards and alerts use them."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from shared.metrics import DAY, HOUR, PIPELINE_BUCKETS

# From the triggering event to the send: milliseconds in the normal path, hours after an outage.
DELIVERY_BUCKETS = (*PIPELINE_BUCKETS, 60.0, 300.0, 900.0, HOUR, 4 * HOUR, 12 * HOUR, DAY)


class NotificationMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.sent = Counter(
            "dialogue_notifications_sent",
            "Notices accepted by their channel.",
            ["channel", "trigger"],
            registry=registry,
        )
        self.failed = Counter(
            "dialogue_notifications_failed",
            "Notices that failed for good, by reason code.",
            ["channel", "trigger", "reason"],
            registry=registry,
        )
        self.delivery_seconds = Histogram(
            "dialogue_notification_delivery_seconds",
            "Seconds from the triggering event to the channel accepting the notice.",
            ["channel", "trigger"],
            buckets=DELIVERY_BUCKETS,
            registry=registry,
        )
