"""End to end: a real Prometheus server scrapes the services started the way `dialogue up` starts
them, after the Đồng Du demo, and answers queries on the response-latency histogram."""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.cli.demo import run_demo
from services.cli.stack import Stack
from shared.ports import free_port
from shared.settings import SERVICES, STREAM_OWNERS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (dev extras: pyyaml)")

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
PROMETHEUS_BIN = Path("/usr/bin/prometheus")
HISTOGRAM = "dialogue_response_received_to_assigned_seconds"


def prometheus_binary() -> Path:
    if not PROMETHEUS_BIN.exists():
        pytest.skip(
            "no Prometheus server at /usr/bin/prometheus: `apt-get install -y prometheus` (Debian) "
            "provides it; `make test` installs it where apt is available"
        )
    return PROMETHEUS_BIN


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return json.loads(reply.read())


def wait_until(what: str, check: Any, timeout: float = 60.0) -> Any:
    """Poll ``check()`` until it returns something truthy; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except OSError as exc:  # not listening yet
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {timeout:.0f}s (last: {last!r})")


def scrape_config(stack: Stack) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml with the `dialogue` job pointed at the local stack every second.

    The production job (name, labels, metrics path) and alert rules are reused so that what this test
    queries is what the dashboard and the alerts see; Alertmanager and the other jobs are left out.
    """
    production = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    [job] = [job for job in production["scrape_configs"] if job["job_name"] == "dialogue"]
    for group in job["static_configs"]:
        service = group["labels"]["service"]
        group["targets"] = [f"127.0.0.1:{stack.http_ports[service]}"]
    job["scrape_interval"] = job["scrape_timeout"] = "1s"
    return {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(PROMETHEUS_DIR / "alerts.yml")],
        "scrape_configs": [job],
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """NATS and the four services as processes on free loopback ports, after one Đồng Du demo."""
    prometheus_binary()  # skip before starting anything when there is no server to scrape with
    tmp_path = tmp_path_factory.mktemp("stack")
    stack = Stack(
        data_dir=tmp_path / "var",
        nats_port=free_port(),
        nats_monitor_port=free_port(),
        http_ports={name: free_port() for name in SERVICES},
    )
    try:
        stack.start(timeout=90)
        summary = asyncio.run(run_demo(stack.nats_url, stack.data_dir)).seed
        assert summary.assignments, "assignment recorded no assignment during the demo"
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def prometheus(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prometheus server on a free loopback port scraping the stack; yields its base URL."""
    binary = prometheus_binary()
    tmp_path = tmp_path_factory.mktemp("prometheus")
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump(scrape_config(stack)))
    port = free_port()
    log = (tmp_path / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            str(binary),
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:

        def ready() -> bool:
            if process.poll() is not None:
                pytest.fail(f"prometheus exited: {(tmp_path / 'prometheus.log').read_text()}")
            with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as reply:
                return bool(reply.status == 200)

        wait_until("Prometheus readiness", ready, timeout=60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def query(base: str, promql: str) -> list[dict[str, Any]]:
    reply = get_json(f"{base}/api/v1/query?{urllib.parse.urlencode({'query': promql})}")
    assert reply["status"] == "success", reply
    result: list[dict[str, Any]] = reply["data"]["result"]
    return result


def test_prometheus_scrapes_every_service_and_reads_the_response_latency_histogram(prometheus: str) -> None:
    def all_targets_up() -> list[dict[str, Any]] | None:
        active = get_json(f"{prometheus}/api/v1/targets?state=active")["data"]["activeTargets"]
        return active if len(active) == len(SERVICES) and all(t["health"] == "up" for t in active) else None

    targets = wait_until("every service's target up", all_targets_up)
    assert {target["labels"]["service"] for target in targets} == set(SERVICES)
    assert all(target["scrapeUrl"].startswith("http://127.0.0.1:") for target in targets)

    def four_up_series() -> list[dict[str, Any]] | None:
        series = query(prometheus, 'up{job="dialogue"}')
        return series if len(series) == len(SERVICES) else None

    up = wait_until("an up series for each service", four_up_series)
    assert {series["metric"]["service"]: float(series["value"][1]) for series in up} == dict.fromkeys(
        SERVICES, 1.0
    )

    counts = wait_until(f"{HISTOGRAM}_count", lambda: query(prometheus, f"{HISTOGRAM}_count"))
    for series in counts:
        assert series["metric"]["service"] == "assignment"
        assert series["metric"]["level"], series
        assert series["metric"]["field"], series
    assert sum(float(series["value"][1]) for series in counts) > 0

    median = query(prometheus, f"histogram_quantile(0.5, sum by (le, level, field) ({HISTOGRAM}_bucket))")
    assert {(s["metric"]["level"], s["metric"]["field"]) for s in median} == {
        (s["metric"]["level"], s["metric"]["field"]) for s in counts
    }
    for series in median:
        value = float(series["value"][1])
        assert math.isfinite(value), series
        assert value > 0, series


def test_prometheus_loads_the_platforms_alert_rules(prometheus: str) -> None:
    groups = get_json(f"{prometheus}/api/v1/rules")["data"]["groups"]
    alerts = {rule["name"] for group in groups for rule in group["rules"] if rule["type"] == "alerting"}

    assert {"DialogueAnswersOverdue", "DialogueServiceDown", "DialogueMessagesRejected"} <= alerts


def test_prometheus_counts_the_events_each_service_stored_by_stream(prometheus: str) -> None:
    def stored() -> list[dict[str, Any]] | None:
        series = query(prometheus, "sum by (service, stream) (dialogue_events_published_total)")
        return series if {s["metric"]["service"] for s in series} >= set(STREAM_OWNERS) else None

    series = wait_until("events stored by every service", stored)
    by_source = {(s["metric"]["service"], s["metric"]["stream"]): float(s["value"][1]) for s in series}
    # The demo's 16 opinions: intake stores at least received + classified + grouped for each.
    assert by_source[("intake", "INTAKE")] >= 3 * 16
    assert by_source[("assignment", "ASSIGNMENT")] >= 16
    assert by_source[("notification", "NOTIFICATION")] >= 16
    assert by_source[("scheduling", "SCHEDULING")] >= 4  # planned, announced, held, concluded
