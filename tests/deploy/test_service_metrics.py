"""Each service's ``/metrics`` output passes ``promtool check metrics`` after real traffic: the four
services and the portal run in this process against a real nats-server and the Đồng Du demo goes through
them once."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.cli.demo import run_demo
from services.cli.runner import build_service
from services.portal.settings import PortalSettings
from shared.host import ServiceHost
from shared.nats_server import NatsServer
from shared.ports import free_port
from shared.settings import SERVICES, ServiceSettings
from tests.deploy.deploy_tools import promtool

pytestmark = [pytest.mark.service, pytest.mark.timeout(240)]

# Families every service must expose once traffic went through, and the histograms the demo fills.
COMMON_FAMILIES = {"dialogue_messages_rejected", "dialogue_messages_retried", "dialogue_service_ready"}
HISTOGRAMS_WITH_SAMPLES = {
    "intake": "dialogue_intake_to_classified_seconds",
    "assignment": "dialogue_response_received_to_assigned_seconds",
}
PORTAL_FAMILIES = {
    "dialogue_portal_request_seconds",
    "dialogue_portal_ratings",
    "dialogue_portal_logins_failed",
    "dialogue_portal_lookups_rate_limited",
    "dialogue_portal_open311_submissions",
}


def check_metrics(tool: str, exposition: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool, "check", "metrics"], input=exposition, capture_output=True, text=True, timeout=60
    )


def family_names(exposition: str) -> set[str]:
    """Metric family names as the Prometheus client parser reads them (``_total`` removed)."""
    return {family.name for family in text_string_to_metric_families(exposition)}


@pytest.fixture
async def running_services(
    settings_for: Callable[[str], ServiceSettings], nats_server: NatsServer, tmp_path: Path
) -> AsyncIterator[dict[str, ServiceHost]]:
    """The services in this process, after one run of the Đồng Du demo through them."""

    def settings(name: str) -> ServiceSettings:
        if name != "portal":
            return settings_for(name)
        return PortalSettings(
            **settings_for(name).model_dump(),
            portal_web_port=free_port(),
            rating_link_secret="a-rating-secret-for-this-test",
        )

    hosts = {name: build_service(name, settings(name)) for name in SERVICES}
    try:
        # Each service waits for the streams it consumes, which their owners create: start together.
        await asyncio.wait_for(asyncio.gather(*(host.start() for host in hosts.values())), timeout=90)
        summary = (await run_demo(nats_server.url, tmp_path / "data")).seed
        assert summary.accepted, "intake accepted no opinion during the demo"
        assert not summary.rejected, f"intake rejected demo opinions: {summary.rejected}"
        assert summary.assignments, "assignment recorded no assignment during the demo"
        yield hosts
    finally:
        await asyncio.gather(*(host.stop() for host in hosts.values()), return_exceptions=True)


async def scrape(hosts: dict[str, ServiceHost]) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=10) as client:
        replies = {
            name: await client.get(f"http://127.0.0.1:{host.ops.port}/metrics")
            for name, host in hosts.items()
        }
    for name, reply in replies.items():
        assert reply.status_code == 200, name
        assert reply.headers["content-type"].startswith("text/plain"), name
    return {name: reply.text for name, reply in replies.items()}


async def test_promtool_accepts_every_services_metrics_after_the_demo(
    running_services: dict[str, ServiceHost],
) -> None:
    tool = promtool()
    expositions = await scrape(running_services)

    # The whole output is checked, FastStream's families included: promtool's lint (counters
    # without _total, missing HELP, bad units) accepts them today, so nothing needs filtering out.
    for name, exposition in expositions.items():
        result = check_metrics(tool, exposition)

        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
        assert family_names(exposition) >= COMMON_FAMILIES, name
        assert "faststream_received_messages" in family_names(exposition), name
    assert family_names(expositions["portal"]) >= PORTAL_FAMILIES
    for name, histogram in HISTOGRAMS_WITH_SAMPLES.items():
        counts = re.findall(rf"^{histogram}_count(?:{{[^}}]*}})? (\S+)$", expositions[name], re.M)
        assert counts, f"{name} exposes no {histogram}_count"
        assert sum(float(count) for count in counts) > 0, f"{name}: {histogram} has no sample after the demo"


def test_promtool_rejects_a_counter_without_total_so_the_check_can_fail() -> None:
    tool = promtool()
    bad = "# HELP dialogue_things Things.\n# TYPE dialogue_things counter\ndialogue_things 1\n"

    result = check_metrics(tool, bad)

    assert result.returncode != 0
    assert "_total" in result.stdout + result.stderr
