"""A real Prometheus with deploy/prometheus/prometheus.yml and alerts.yml, and a real Alertmanager
with deploy/prometheus/alertmanager.yml, pointed at the stack the deployment layer started.

Substituted, and only this: the scrape targets (container names become the services' loopback
addresses), the intervals (1 s instead of 15 s and 30 s, so a test sees a state change in seconds),
and the ``for:`` of the one rule the test makes fire. The NATS exporter's job is left out: the
exporter is not installable here, and the services publish their consumers' lag themselves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.ports import free_port
from tests.deployed.deployment import DEPLOY
from tests.deployed.stack import PROBE_HOST, end, wait_for

PROMETHEUS_DIR = DEPLOY / "prometheus"


def binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        f"{names[0]} is not installed (Debian: `apt-get install -y prometheus prometheus-alertmanager`)"
    )


def render_prometheus(
    target_dir: Path,
    service_ports: dict[str, int],
    alertmanager_port: int,
    prometheus_port: int,
    fast_rule: str,
) -> Path:
    config: dict[str, Any] = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"]["scrape_interval"] = "1s"
    config["global"]["evaluation_interval"] = "1s"
    config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [
        f"127.0.0.1:{alertmanager_port}"
    ]
    jobs = []
    for job in config["scrape_configs"]:
        if job["job_name"] == "nats":
            continue  # the prometheus-nats-exporter is not installable here
        for static in job["static_configs"]:
            targets = []
            for target in static["targets"]:
                host = target.split(":")[0]
                if host in service_ports:
                    targets.append(f"{PROBE_HOST}:{service_ports[host]}")
                elif host == "alertmanager":
                    targets.append(f"127.0.0.1:{alertmanager_port}")
                elif host == "localhost":
                    targets.append(f"127.0.0.1:{prometheus_port}")
                else:
                    raise AssertionError(f"prometheus.yml scrapes {target}, which the test does not know")
            static["targets"] = targets
        jobs.append(job)
    config["scrape_configs"] = jobs
    rules: dict[str, Any] = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())
    found = [rule for group in rules["groups"] for rule in group["rules"] if rule.get("alert") == fast_rule]
    assert found, f"alerts.yml has no rule {fast_rule}"
    found[0]["for"] = "2s"
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "alerts.yml").write_text(yaml.safe_dump(rules, allow_unicode=True))
    rendered = target_dir / "prometheus.yml"
    rendered.write_text(yaml.safe_dump(config))
    return rendered


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=3) as response:
        return json.loads(response.read())


@dataclass
class Monitoring:
    root: Path
    prometheus: subprocess.Popen[bytes] | None = None
    alertmanager: subprocess.Popen[bytes] | None = None
    prometheus_port: int = 0
    alertmanager_port: int = 0

    def start(self, service_ports: dict[str, int], fast_rule: str) -> None:
        self.alertmanager_port, self.prometheus_port = free_port(), free_port()
        am = binary("prometheus-alertmanager", "alertmanager")
        prom = binary("prometheus")
        with (self.root / "alertmanager.log").open("ab") as log:
            self.alertmanager = subprocess.Popen(
                [am, f"--config.file={PROMETHEUS_DIR / 'alertmanager.yml'}",
                 f"--storage.path={self.root / 'alertmanager'}",
                 f"--web.listen-address=127.0.0.1:{self.alertmanager_port}", "--cluster.listen-address="],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        config = render_prometheus(
            self.root / "prometheus", service_ports, self.alertmanager_port, self.prometheus_port, fast_rule
        )
        with (self.root / "prometheus.log").open("ab") as log:
            self.prometheus = subprocess.Popen(
                [prom, f"--config.file={config}", f"--storage.tsdb.path={self.root / 'tsdb'}",
                 f"--web.listen-address=127.0.0.1:{self.prometheus_port}"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for("Prometheus ready", lambda: self._answers(f"{self.prom_url}/-/ready"), 60)
        wait_for("Alertmanager ready", lambda: self._answers(f"{self.am_url}/-/ready"), 60)

    @property
    def prom_url(self) -> str:
        return f"http://127.0.0.1:{self.prometheus_port}"

    @property
    def am_url(self) -> str:
        return f"http://127.0.0.1:{self.alertmanager_port}"

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    def targets(self) -> list[dict[str, Any]]:
        return list(get_json(f"{self.prom_url}/api/v1/targets")["data"]["activeTargets"])

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"{self.prom_url}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        return list(get_json(url)["data"]["result"])

    def alerts(self, name: str, state: str = "firing") -> list[dict[str, Any]]:
        found = get_json(f"{self.prom_url}/api/v1/alerts")["data"]["alerts"]
        return [a for a in found if a["labels"].get("alertname") == name and a["state"] == state]

    def received(self, name: str) -> list[dict[str, Any]]:
        """Alerts Alertmanager holds as active (received from Prometheus, not yet resolved)."""
        found = get_json(f"{self.am_url}/api/v2/alerts?active=true&silenced=false&inhibited=true")
        return [a for a in found if a["labels"].get("alertname") == name]

    def stop(self) -> None:
        for process in (self.prometheus, self.alertmanager):
            end(process)
