"""Open311 GeoReport v2 against the real intake service on a real nats-server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from nats.aio.client import Client

from services.intake.app import build as build_intake
from services.intake.settings import IntakeSettings
from shared.settings import ServiceSettings
from tests.service.portal.support import API_KEY, EMAIL, PHONE, SOURCE, eventually, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]
SPEC_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address",
}  # fmt: skip


def intake(settings_for: Callable[[str], ServiceSettings]) -> Any:
    base = settings_for("intake").model_dump()
    return build_intake(IntakeSettings(**{**base, "intake_sources": SOURCE}))


def post(**changes: str) -> dict[str, str]:
    form = {
        "api_key": API_KEY,
        "service_code": "labour_jobs",
        "description": f"Đề nghị mở lớp đào tạo nghề cho lao động nông thôn; gọi {PHONE}.",
        "first_name": "Thành",
        "last_name": "Nguyễn Văn",
        "email": EMAIL,
        "phone": PHONE,
        "address_string": "thôn An Bài 1, xã Đồng Du",
        "external_id": "hotline-1",
    }
    return {**form, **changes}


async def test_a_posted_request_becomes_an_opinion_whose_code_the_api_then_answers(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for, services={"intake": intake(settings_for)}) as run:
        services = await run.http.get("/open311/v2/services.json")
        created = await run.http.post("/open311/v2/requests.json", data=post())
        again = await run.http.post("/open311/v2/requests.json", data=post())
        [answer] = created.json()
        code = answer["service_request_id"]

        async def found() -> Any:
            one = await run.http.get(f"/open311/v2/requests/{code}.json")
            return one if one.status_code == 200 else None

        one = await eventually(found)
        listed = await run.http.get("/open311/v2/requests.json", params={"status": "open"})
        closed = await run.http.get("/open311/v2/requests.json", params={"status": "closed"})
        page = await run.http.get(f"/tra-cuu/{code}")

    assert services.status_code == 200
    by_code = {s["service_code"]: s for s in services.json()}
    assert by_code["labour_jobs"]["service_name"] == "Lao động, việc làm"
    assert by_code["labour_jobs"]["metadata"] is False
    assert by_code["labour_jobs"]["type"] == "realtime"
    assert set(by_code["labour_jobs"]) == {"service_code", "service_name", "description", "metadata", "type",
                                           "keywords", "group"}  # fmt: skip
    assert created.status_code == 200, created.text
    assert code.startswith("DT-")
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert again.json()[0]["service_request_id"] == code  # intake's idempotency by (source, external id)
    [request] = one.json()
    assert set(request) >= SPEC_FIELDS
    assert request["status"] == "open"
    assert request["service_request_id"] == code
    assert [r["service_request_id"] for r in listed.json()] == [code]
    assert closed.json() == []
    for text in (one.text, listed.text, page.text):
        assert PHONE not in text
        assert EMAIL not in text
        assert "Nguyễn Văn Thành" not in text
    assert page.status_code == 200


async def test_the_api_answers_the_specifications_error_list(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    # Intake waits a few deliveries for a conference it does not know yet before refusing it.
    services = {"intake": intake(settings_for)}
    async with running_portal(settings_for, services=services, portal_command_timeout_seconds=30.0) as run:
        no_key = await run.http.post("/open311/v2/requests.json", data=post(api_key="wrong"))
        no_code = await run.http.post("/open311/v2/requests.json", data=post(service_code=""))
        unknown = await run.http.post("/open311/v2/requests.json", data=post(service_code="potholes"))
        refused = await run.http.post(
            "/open311/v2/requests.json", data=post(conference_id="no-such-conference", external_id="x2")
        )
        bad_status = await run.http.get("/open311/v2/requests.json", params={"status": "pending"})
        bad_date = await run.http.get("/open311/v2/requests.json", params={"start_date": "hôm qua"})

    for response, status in ((no_key, 403), (no_code, 400), (unknown, 404), (refused, 400), (bad_status, 400),
                             (bad_date, 400)):  # fmt: skip
        assert response.status_code == status, response.text
        [error] = response.json()
        assert set(error) == {"code", "description"}
        assert error["code"] == status
        assert error["description"]
    assert "hội nghị" in refused.json()[0]["description"].lower()
