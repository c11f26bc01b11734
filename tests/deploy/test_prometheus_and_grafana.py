"""Prometheus configuration, alert rules and the Grafana dashboard: promtool accepts them, the alerts
fire when they should, and every query names only metrics that the platform or its exporters expose."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from services.portal.metrics import PortalMetrics
from shared.consumer_lag import ConsumerLag
from shared.metrics import new_registry
from shared.settings import DEFAULT_HTTP_PORTS, SERVICES
from tests.deploy.deploy_tools import promtool

pytestmark = pytest.mark.service

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (dev extras: pyyaml, kubernetes-validate)")

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS = REPO / "deploy" / "prometheus"
DASHBOARDS = REPO / "deploy" / "grafana" / "dashboards"
PROVISIONING = REPO / "deploy" / "grafana" / "provisioning"

# The platform's metrics (see the foundation's metrics helpers); histograms also expose _bucket,
# _sum and _count.
PLATFORM_COUNTERS_AND_GAUGES = {
    "dialogue_messages_rejected_total",
    "dialogue_messages_retried_total",
    "dialogue_events_published_total",
    "dialogue_opinions_received_total",
    "dialogue_conferences",
    "dialogue_conclusions_overdue",
    "dialogue_opinions_open",
    "dialogue_opinions_overdue",
    "dialogue_answers_total",
    "dialogue_notifications_sent_total",
    "dialogue_notifications_failed_total",
    "dialogue_consumer_pending",
    "dialogue_consumer_ack_pending",
}
PLATFORM_HISTOGRAMS = {
    "dialogue_intake_to_classified_seconds",
    "dialogue_response_received_to_assigned_seconds",
    "dialogue_response_assigned_to_answered_seconds",
    "dialogue_response_received_to_published_seconds",
    "dialogue_notification_delivery_seconds",
}


def portal_metrics() -> set[str]:
    """The series names the portal's registry exposes (read from the code, not written down here)."""
    registry = new_registry()
    PortalMetrics(registry)
    names = set()
    for family in registry.collect():
        if family.name.startswith("dialogue_portal_"):
            if family.type == "histogram":
                names |= {f"{family.name}{suffix}" for suffix in ("_bucket", "_sum", "_count")}
            else:
                names.add(f"{family.name}_total" if family.type == "counter" else family.name)
    return names


KNOWN_METRICS = (
    PLATFORM_COUNTERS_AND_GAUGES
    | {f"{name}{suffix}" for name in PLATFORM_HISTOGRAMS for suffix in ("_bucket", "_sum", "_count")}
    | portal_metrics()
)
# Prometheus' own series, FastStream's NATS middleware, prometheus-nats-exporter (varz/connz/... as
# gnatsd_*, jsz as jetstream_*).
KNOWN_PREFIXES = ("faststream_", "jetstream_", "gnatsd_")
BUILT_IN = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}

PROMQL_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
    "offset", "inf", "nan",
}  # fmt: skip
GRAFANA_VARIABLES = {
    "$__rate_interval": "5m",
    "$__interval": "1m",
    "$__range": "1d",
    "$level": ".*",
    "$field": ".*",
}


def run(*args: str, cwd: Path = PROMETHEUS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=60)


def dashboard_files() -> list[Path]:
    return sorted(DASHBOARDS.glob("*.json"))


def dashboard_queries() -> list[str]:
    queries = []
    for path in dashboard_files():
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            queries += [target["expr"] for target in panel.get("targets", [])]
        for variable in dashboard.get("templating", {}).get("list", []):
            match = re.fullmatch(r"label_values\((\w+),\s*\w+\)", variable["definition"])
            assert match, f"unexpected variable query {variable['definition']!r}"
            queries.append(match.group(1))
    return queries


def with_grafana_variables_replaced(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def rule_expressions() -> list[str]:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (functions, labels, keywords and strings removed)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    expr = re.sub(r"\{[^}]*\}", " ", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", " ", expr)  # range and subquery durations
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = set()
    for match in re.finditer(r"(?<![\w.$])([a-zA-Z_:][\w:]*)(\s*\()?", expr):
        name, is_call = match.group(1), match.group(2)
        if not is_call and name.lower() not in PROMQL_KEYWORDS:
            names.add(name)
    return names


def is_known_metric(name: str) -> bool:
    return name in KNOWN_METRICS or name in BUILT_IN or name.startswith(KNOWN_PREFIXES)


def test_promtool_accepts_the_prometheus_configuration() -> None:
    result = run(promtool(), "check", "config", "prometheus.yml")

    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_accepts_the_alert_rules() -> None:
    result = run(promtool(), "check", "rules", "alerts.yml")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_fire_in_promtools_rule_unit_tests() -> None:
    result = run(promtool(), "test", "rules", "alerts.test.yml")

    assert result.returncode == 0, result.stdout + result.stderr


def test_every_required_alert_exists() -> None:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}

    assert "dialogue_opinions_overdue" in alerts["DialogueAnswersOverdue"]
    assert "dialogue_messages_rejected_total" in alerts["DialogueMessagesRejected"]
    assert "dialogue_consumer_pending" in alerts["DialogueConsumerLag"]
    assert "jetstream_consumer_num_pending" in alerts["DialogueConsumerLag"]
    assert "dialogue_consumer_ack_pending" in alerts["DialogueIntakeStalled"]
    assert "jetstream_consumer_num_ack_pending" in alerts["DialogueIntakeStalled"]
    assert "up" in metric_names(alerts["DialogueServiceDown"])
    assert "dialogue_notifications_failed_total" in alerts["DialogueNotificationsFailing"]
    assert 'dialogue_portal_request_seconds_count{status="5xx"}' in alerts["DialoguePortalErrors"]
    assert "dialogue_portal_logins_failed_total" in alerts["DialoguePortalLoginFailuresSurge"]


def test_prometheus_scrapes_every_service_on_its_ops_port_in_the_dialogue_job() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    [job] = [job for job in config["scrape_configs"] if job["job_name"] == "dialogue"]

    targets = {group["labels"]["service"]: group["targets"] for group in job["static_configs"]}

    assert targets == {name: [f"{name}:{DEFAULT_HTTP_PORTS[name]}"] for name in SERVICES}


def test_amtool_accepts_the_alertmanager_configuration() -> None:
    amtool = shutil.which("amtool")
    if amtool is None:
        pytest.skip("amtool is not installed: `apt-get install -y prometheus-alertmanager` provides it")

    result = run(amtool, "check-config", "alertmanager.yml")

    assert result.returncode == 0, result.stdout + result.stderr


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    queries = [with_grafana_variables_replaced(expr) for expr in dashboard_queries()]
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{index}", "expr": expr} for index, expr in enumerate(queries)
    ]}]}  # fmt: skip
    (tmp_path / "dashboard-queries.yml").write_text(yaml.safe_dump(rules))

    result = run(promtool(), "check", "rules", "dashboard-queries.yml", cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert len(queries) >= 15


def test_the_dashboard_is_valid_json_with_the_required_panels() -> None:
    [path] = dashboard_files()
    dashboard = json.loads(path.read_text())
    queries = "\n".join(dashboard_queries())

    assert dashboard["uid"] == "dialogue-overview"
    for quantile in ("0.5", "0.95", "0.99"):
        assert f"histogram_quantile({quantile}, sum by (le, level, field)" in queries
    assert "dialogue_response_received_to_published_seconds_bucket" in queries
    assert "sum by (agency) (dialogue_opinions_open)" in queries
    assert "sum by (agency) (dialogue_opinions_overdue)" in queries
    assert 'dialogue_answers_total{timeliness="late"}' in queries
    assert "dialogue_opinions_received_total" in queries
    assert "dialogue_messages_rejected_total" in queries
    assert "dialogue_notifications_failed_total" in queries
    assert "max by (stream, consumer) (dialogue_consumer_pending)" in queries
    assert "max by (stream, consumer) (dialogue_consumer_ack_pending)" in queries
    assert "sum by (le, route) (rate(dialogue_portal_request_seconds_bucket" in queries
    assert "dialogue_portal_logins_failed_total" in queries
    assert "dialogue_portal_ratings_total" in queries


def test_the_consumer_lag_gauges_the_alerts_read_are_the_ones_the_services_register() -> None:
    registry = new_registry()
    ConsumerLag(registry, "intake")

    registered = {metric.name for metric in registry.collect()}

    assert registered == {"dialogue_consumer_pending", "dialogue_consumer_ack_pending"}
    assert registered <= KNOWN_METRICS


def test_the_on_time_rate_divides_on_time_answers_by_answered_plus_overdue() -> None:
    queries = dashboard_queries()
    [on_time] = [expr for expr in queries if 'timeliness="on_time"' in expr]

    numerator, denominator = on_time.split(" / ", 1)
    assert 'timeliness="on_time"' in numerator
    assert 'timeliness="on_time"' in denominator
    assert 'timeliness="late"' in denominator
    assert "dialogue_opinions_overdue" in denominator


def test_every_query_names_only_metrics_the_platform_or_its_exporters_expose() -> None:
    expressions = dashboard_queries() + rule_expressions()
    unknown = {name for expr in expressions for name in metric_names(expr) if not is_known_metric(name)}

    assert unknown == set()


def test_the_metric_name_check_catches_a_misspelt_metric() -> None:
    expr = 'histogram_quantile(0.95, sum by (le) (rate(dialogue_response_received_to_publish_seconds_bucket{level="commune"}[5m])))'

    names = metric_names(expr)

    assert names == {"dialogue_response_received_to_publish_seconds_bucket"}
    assert not is_known_metric("dialogue_response_received_to_publish_seconds_bucket")


def test_grafana_provisions_the_prometheus_datasource_the_dashboard_uses() -> None:
    datasources = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    providers = yaml.safe_load((PROVISIONING / "dashboards" / "dialogue.yml").read_text())
    [path] = dashboard_files()
    dashboard = json.loads(path.read_text())
    used_uids = {panel["datasource"]["uid"] for panel in dashboard["panels"] if "datasource" in panel}

    assert {source["uid"] for source in datasources["datasources"]} == used_uids == {"dialogue-prometheus"}
    assert providers["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
