"""The portal's Prometheus metrics (names fixed: dashboards and alerts use them)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

WEB_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)


class PortalMetrics:
    """HTTP latency by route template, ratings sent, look-ups refused by the per-client limit, logins failed."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.request_seconds = Histogram(
            "dialogue_portal_request_seconds",
            "Seconds to answer one HTTP request of the portal, by method, route template and status class.",
            ["method", "route", "status"],
            buckets=WEB_BUCKETS,
            registry=registry,
        )
        self.ratings = Counter(
            "dialogue_portal_ratings",
            "Satisfaction ratings submitted through the rating page, by outcome (accepted or a reason code).",
            ["outcome"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "dialogue_portal_lookups_rate_limited",
            "Tracking-code look-ups refused because the client address exceeded the per-minute limit.",
            registry=registry,
        )
        self.logins_failed = Counter(
            "dialogue_portal_logins_failed",
            "Officials' logins refused, by reason (wrong_credentials, disabled, throttled, csrf_refused).",
            ["reason"],
            registry=registry,
        )
        self.open311_submissions = Counter(
            "dialogue_portal_open311_submissions",
            "Open311 POST requests.json, by source and outcome (accepted or a reason code).",
            ["source", "outcome"],
            registry=registry,
        )
