"""A maintained Open311 GeoReport v2 client from PyPI (``civicbot``'s ``Open311Client``) against the portal.

The client is a third party's reading of the specification: it reads ``services.json``,
``requests.json`` and ``requests/<id>.json`` and posts a request with an API key, checking the post
against the services it read, as it would against a city's server. The portal runs on a real
nats-server with the real intake service behind its POST. (``georeport`` 0.3.1, the other Python 3
client on PyPI, cannot post; ``open311`` 1.1 and ``three`` 0.8 are Python 2 only.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from nats.aio.client import Client

from shared.settings import ServiceSettings
from tests.service.portal.support import API_KEY, EMAIL, PHONE, eventually, running_portal
from tests.service.portal.test_open311 import intake

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]


def client(base_url: str) -> Open311Client:
    endpoint = Endpoint(id="portal", name="Cổng đối thoại", base_url=f"{base_url}/open311/v2", write=True)
    # No politeness delay between calls: the server is this test's own, on loopback.
    return Open311Client(endpoint, HttpTransport(timeout=20, rate_limiter=RateLimiter(min_interval=0)))


def file_request(open311: Open311Client, api_key: str) -> Any:
    prepared = open311.create_request(
        "labour_jobs", dry_run=False, confirm="SEND", api_key=api_key, validate_remote=True,
        address_string="thôn An Bài 1, xã Đồng Du", first_name="Thành", last_name="Nguyễn Văn",
        email=EMAIL, phone=PHONE, description="Đề nghị mở lớp đào tạo nghề cho lao động nông thôn.",
    )  # fmt: skip
    return prepared.response


async def test_a_third_party_open311_client_reads_the_lists_and_posts_a_request_with_its_key(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for, services={"intake": intake(settings_for)}) as run:
        open311 = client(run.url)
        services = await asyncio.to_thread(open311.list_services)
        [created] = await asyncio.to_thread(file_request, open311, API_KEY)
        code = created["service_request_id"]

        async def listed() -> Any:
            rows = await asyncio.to_thread(open311.list_requests, status="open", service_code="labour_jobs")
            return rows if any(r["service_request_id"] == code for r in rows) else None

        rows = await eventually(listed)
        one = await asyncio.to_thread(open311.get_request, code)
        by_id = await asyncio.to_thread(open311.list_requests, service_request_ids=[code])
        with pytest.raises(HttpError) as refused:
            await asyncio.to_thread(file_request, open311, "khoa-sai")

    assert "labour_jobs" in {s["service_code"] for s in services}
    assert code.startswith("DT-")
    assert "mã theo dõi" in created["service_notice"]
    assert one is not None
    assert one["service_request_id"] == code
    assert one["status"] == "open"
    assert one["service_name"] == "Lao động, việc làm"
    assert [r["service_request_id"] for r in by_id] == [code]
    assert code in {r["service_request_id"] for r in rows}
    for text in (repr(one), repr(rows)):
        assert EMAIL not in text
        assert PHONE not in text
    assert refused.value.status == 403
    assert '"code":403' in refused.value.body.replace(" ", "")
