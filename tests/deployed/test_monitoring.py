"""Prometheus and Alertmanager as deploy/prometheus configures them, watching the deployed stack."""

from __future__ import annotations

import signal

import pytest

from tests.deployed.monitoring import Monitoring
from tests.deployed.stack import Stack, wait_for

pytestmark = pytest.mark.deployed


def test_prometheus_scrapes_every_service_and_alerts_when_one_is_down_until_it_is_back(
    sqlite_stack: Stack, monitoring: Monitoring
) -> None:
    sqlite_stack.start()
    ports = {name: service.spec.http_port for name, service in sqlite_stack.services.items()}
    monitoring.start(ports, fast_rule="DialogueServiceDown")

    def all_up() -> bool:
        targets = monitoring.targets()
        return bool(targets) and all(t["health"] == "up" for t in targets)

    wait_for("every Prometheus target up", all_up, 60)
    assert {
        t["labels"].get("service") for t in monitoring.targets() if t["labels"]["job"] == "dialogue"
    } == set(ports)
    # The portal is scraped on its ops port; what it serves on its web port is what it measures.
    status, _ = sqlite_stack.services["portal"].page("/tra-cuu")
    assert status == 200
    wait_for("the portal's request latency scraped", lambda: monitoring.query(
        'dialogue_portal_request_seconds_count{service="portal", route="/tra-cuu", status="2xx"}'), 30)  # fmt: skip
    lag = monitoring.query('dialogue_consumer_pending{service="notification"}')
    assert {series["metric"]["consumer"] for series in lag} >= {
        "notification-assigned",
        "notification-acknowledgement",
    }

    sqlite_stack.services["intake"].stop(signal.SIGKILL)
    wait_for("DialogueServiceDown firing for intake",
             lambda: any(a["labels"]["service"] == "intake" for a in monitoring.alerts("DialogueServiceDown")), 60)  # fmt: skip
    wait_for("Alertmanager received DialogueServiceDown for intake",
             lambda: any(a["labels"]["service"] == "intake" for a in monitoring.received("DialogueServiceDown")), 60)  # fmt: skip
    assert [a["labels"]["service"] for a in monitoring.alerts("DialogueServiceDown")] == ["intake"]

    sqlite_stack.services["intake"].start()
    sqlite_stack.services["intake"].wait_ready()
    wait_for("DialogueServiceDown resolved", lambda: not monitoring.alerts("DialogueServiceDown")
             and not monitoring.alerts("DialogueServiceDown", state="pending"), 60)  # fmt: skip
    wait_for("Alertmanager saw it resolved", lambda: not monitoring.received("DialogueServiceDown"), 60)
