"""The portal's Open311 answers compared field by field with the specification's documented examples.

The examples are ``open311_examples`` (their source named there). Every field an example shows is in
our answer, with the example's JSON type (or null where the specification says it may not be
returned, or text for an identifier), the date-times in W3C form with their offset, and nothing the
specification does not define.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from nats.aio.client import Client

from shared.settings import ServiceSettings
from tests.service.portal import open311_examples as spec
from tests.service.portal.support import (
    classified,
    code_for,
    conference_events,
    eventually,
    path,
    received,
    running_portal,
)
from tests.service.portal.test_open311 import intake, post

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]
JSON = "application/json; charset=utf-8"


def assert_like(ours: dict[str, Any], example: dict[str, Any]) -> None:
    """``ours`` has every field of ``example``, each of the same JSON type, and no other field."""
    assert set(ours) == set(example), f"fields differ from {spec.SOURCE}: {set(ours) ^ set(example)}"
    for name, documented in example.items():
        value = ours[name]
        if value is None:
            assert name in spec.MAY_BE_NULL, f"{name} is null, the specification requires it"
            continue
        if name in spec.IDENTIFIERS:
            assert isinstance(value, str | int), name
            assert str(value), name
        elif documented is None:
            assert isinstance(value, str), name  # the example's null stands for text
        else:
            assert type(value) is type(documented), f"{name}: {type(value)} but {type(documented)}"
        if name in spec.DATETIMES:
            assert re.match(spec.W3C_DATETIME, value), f"{name}={value} is not a W3C date-time"


async def test_services_and_requests_answer_the_fields_of_the_specification_s_examples(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    closed, opened = code_for("spec-closed"), code_for("spec-open")
    async with running_portal(settings_for) as run:
        h = run.hosts
        await h["scheduling"].publish(conference_events("held"))
        for opinion_id, code in (("op-spec-closed", closed), ("op-spec-open", opened)):
            await h["intake"].publish([received(opinion_id, code), classified(opinion_id, code)])
        await h["assignment"].publish(path("op-spec-closed", closed))
        await h["assignment"].publish(path("op-spec-open", opened)[:1])

        async def both() -> Any:
            listed = await run.http.get("/open311/v2/requests.json", params={"status": "open,closed"})
            found = {r["service_request_id"]: r for r in listed.json()}
            ready = (
                found.get(closed, {}).get("status") == "closed"
                and found.get(opened, {}).get("expected_datetime") is not None  # its assignment arrived
            )
            return (listed, found) if ready else None

        listed, found = await eventually(both)
        services = await run.http.get("/open311/v2/services.json")
        one = await run.http.get(f"/open311/v2/requests/{closed}.json")
        only_open = await run.http.get("/open311/v2/requests.json", params={"status": "open"})
        by_codes = await run.http.get(
            "/open311/v2/requests.json", params={"service_code": "land,labour_jobs", "status": ""}
        )
        missing = await run.http.get(f"/open311/v2/requests/{code_for('spec-none')}.json")
        xml_services = await run.http.get("/open311/v2/services.xml")
        xml_one = await run.http.get(f"/open311/v2/requests/{closed}.xml")
        xml_missing = await run.http.get(f"/open311/v2/requests/{code_for('spec-none')}.xml")
        too_long = await run.http.get(
            "/open311/v2/requests.json",
            params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        )

    for response in (services, listed, one, only_open, by_codes, missing, too_long):
        assert response.headers["content-type"] == JSON
    [service_example] = spec.GET_SERVICES
    for service in services.json():
        assert_like(service, service_example)
        assert service["metadata"] is False  # no service definition to ask for
        assert service["type"] in ("realtime", "batch", "blackbox")
    closed_example, open_example = spec.GET_SERVICE_REQUESTS
    assert_like(found[closed], closed_example)
    assert_like(found[opened], open_example)
    assert found[closed]["status"] == "closed"
    assert found[closed]["agency_responsible"] == "Phòng Kinh tế xã Đồng Du"
    assert found[opened]["expected_datetime"] == "2026-12-18T23:59:59+07:00"  # the answer deadline
    assert one.json() == [found[closed]]  # GET a request: the same request, in a list of one
    assert [r["service_request_id"] for r in only_open.json()] == [opened]
    assert {r["service_request_id"] for r in by_codes.json()} == {closed, opened}
    # XML, the format the specification requires: the same fields, as its XML tab shows them.
    for response in (xml_services, xml_one, xml_missing):
        assert response.headers["content-type"] == "text/xml; charset=utf-8"
    services_xml = ElementTree.fromstring(xml_services.content)
    assert services_xml.tag == "services"
    assert [[e.tag for e in s] for s in services_xml] == [list(s) for s in services.json()]
    [request_xml] = ElementTree.fromstring(xml_one.content)
    assert request_xml.tag == "request"
    assert {e.tag: e.text for e in request_xml}["service_request_id"] == closed
    assert [e.tag for e in request_xml] == list(found[closed])
    assert xml_missing.status_code == 404
    assert ElementTree.fromstring(xml_missing.content)[0][0].text == "404"
    for response, status in ((missing, 404), (too_long, 400)):
        assert response.status_code == status
        [error] = response.json()
        assert_like(error, spec.ERRORS[0])
        assert error["code"] == status


async def test_a_post_and_a_refused_key_answer_the_fields_of_the_specification_s_examples(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for, services={"intake": intake(settings_for)}) as run:
        created = await run.http.post("/open311/v2/requests.json", data=post(external_id="spec-post"))
        refused = await run.http.post("/open311/v2/requests.json", data=post(api_key="xyz"))
        xml_refused = await run.http.post("/open311/v2/requests.xml", data=post(api_key="xyz"))

    assert created.status_code == 200, created.text
    assert created.headers["content-type"] == JSON
    [answer] = created.json()
    assert_like(answer, spec.POST_SERVICE_REQUEST[0])
    assert "token" not in answer  # realtime: the id, never a token beside it
    assert refused.status_code == 403
    assert refused.headers["content-type"] == JSON
    assert xml_refused.status_code == 403
    [error_xml] = ElementTree.fromstring(xml_refused.content)
    assert (error_xml.tag, error_xml[0].tag, error_xml[0].text) == ("error", "code", "403")
    [error] = refused.json()
    assert_like(error, spec.ERRORS[0])
    assert error["code"] == 403
