"""Notification metrics; names are fixed because the dashboards and alerts use them."""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Histogram

from services.notification.domain.ledger import Delivery, DeliveryState
from shared.metrics import DAY, HOUR, PIPELINE_BUCKETS

log = logging.getLogger(__name__)

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

    def count(self, d: Delivery) -> None:
        """Count a final state once it is committed; a delivery still in flight counts nothing."""
        channel, trigger = d.channel.value if d.channel else "none", d.trigger.value
        if d.state is DeliveryState.SENT:
            self.sent.labels(channel, trigger).inc()
            if d.sent_at and d.event_occurred_at:
                seconds = max(0.0, (d.sent_at - d.event_occurred_at).total_seconds())
                self.delivery_seconds.labels(channel, trigger).observe(seconds)
        elif d.state is DeliveryState.FAILED_PERMANENT:
            self.failed.labels(channel, trigger, d.failure_code or "unknown").inc()
            log.warning("delivery %s (%s) failed for good: %s", d.id, trigger, d.failure_code)
        elif d.state is DeliveryState.FAILED_TRANSIENT:
            log.info(
                "delivery %s failed transiently (%s); next try at %s", d.id, d.failure_code, d.next_attempt_at
            )
