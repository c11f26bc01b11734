"""The rehearsal: the stack as deploy/ configures it runs the Đồng Du scenario end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.deployed.deployment import REPO
from tests.deployed.stack import Stack

pytestmark = pytest.mark.deployed


def test_the_dong_du_scenario_runs_on_the_stack_as_deployed(stack: Stack) -> None:
    stack.start()

    result = stack.demo()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "16 ý kiến" in result.stdout
    # Another system, with nothing but nats-py and the external user's credentials in the URL.
    password = stack.password_file("external").read_text()
    url = stack.nats_url.replace("nats://", f"nats://external:{password}@")
    example = subprocess.run(
        [sys.executable, str(REPO / "examples" / "publish_opinion.py"), url, "cong-thong-tin-tinh"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert example.returncode == 0, example.stdout + example.stderr
    assert "DT-" in example.stdout
    assert stack.nats is not None
    assert stack.nats.violations() == []
    for name, service in stack.services.items():
        assert service.tracebacks() == [], name
    log = stack.root / "volumes" / "notification-data" / "notifications.log"
    notices = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(notices) > 16


def test_a_data_file_mounted_in_the_config_folder_replaces_the_shipped_one(sqlite_stack: Stack) -> None:
    shipped = REPO / "services" / "notification" / "data" / "directory.toml"
    replaced = shipped.read_text(encoding="utf-8").replace(
        'name = "Các chi bộ, cán bộ, đảng viên xã Đồng Du"', 'name = "Chi bộ xã Đồng Du (tệp thay thế)"'
    )
    assert "(tệp thay thế)" in replaced
    config = sqlite_stack.root / "config"
    config.mkdir()
    (config / "directory.toml").write_text(replaced, encoding="utf-8")
    sqlite_stack.binds["/etc/dialogue"] = config  # compose: ./config:/etc/dialogue:ro
    sqlite_stack.start()

    result = sqlite_stack.demo()

    assert result.returncode == 0, result.stdout + result.stderr
    log = sqlite_stack.root / "volumes" / "notification-data" / "notifications.log"
    recipients = {json.loads(line)["recipient"] for line in log.read_text(encoding="utf-8").splitlines()}
    assert "Chi bộ xã Đồng Du (tệp thay thế)" in recipients
    assert "Các chi bộ, cán bộ, đảng viên xã Đồng Du" not in recipients
