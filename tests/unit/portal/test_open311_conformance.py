"""Open311 GeoReport v2 query parameters as the specification defines them (wiki.open311.org/GeoReport_v2)."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest

from services.portal.domain import open311
from services.portal.domain.open311 import Open311Error
from services.portal.domain.open311_xml import to_xml

pytestmark = pytest.mark.unit
NOW = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


def test_status_and_service_code_may_be_declared_several_times_comma_delimited() -> None:
    both = open311.parse_query({"status": "open,closed", "service_code": "land, transport,land"}, NOW)
    assert both.statuses == ("closed", "open")
    assert both.status is None  # both statuses are all of them
    assert both.service_codes == ("land", "transport")
    assert both.where()["field"] == {"$in": ["land", "transport"]}
    assert "status" not in both.where()
    one = open311.parse_query({"status": "closed", "service_code": "land"}, NOW)
    assert (one.status, one.service_code) == ("closed", "land")
    assert one.where()["status"] == "closed"


def test_an_empty_optional_argument_is_the_same_as_none() -> None:
    empty = open311.parse_query({"status": "", "service_code": "", "start_date": "", "end_date": ""}, NOW)
    assert empty == open311.parse_query({}, NOW)


def test_a_window_may_not_span_more_than_ninety_days() -> None:
    ninety = {"start_date": "2026-08-01T00:00:00Z", "end_date": "2026-10-30T00:00:00Z"}
    assert open311.parse_query(ninety, NOW).start is not None
    with pytest.raises(Open311Error) as refused:
        open311.parse_query({**ninety, "end_date": "2026-10-30T00:00:01Z"}, NOW)
    assert (refused.value.status, refused.value.code) == (400, "invalid_window")


def test_date_times_are_w3c_to_the_second_and_an_absent_description_is_null() -> None:
    doc = {
        "tracking_code": "DT-7K3M-9QX2", "status": "open", "requested_at": "2026-11-20T01:00:00.123456+00:00",
        "updated_at": "2026-11-20T01:00:00.5+00:00", "facts": {}, "steps": [],
    }  # fmt: skip
    view = open311.request_view(doc)
    assert view["requested_datetime"] == "2026-11-20T08:00:00+07:00"
    assert view["updated_datetime"] == "2026-11-20T08:00:00+07:00"
    assert view["description"] is None
    assert {"address_id", "zipcode", "lat", "long", "media_url"} <= set(view)


def test_the_xml_is_the_specification_s_document_of_the_same_fields() -> None:
    rows = [{"service_code": "land", "service_name": "Đất đai & nhà ở", "metadata": False, "group": None}]
    root = ElementTree.fromstring(to_xml("services", rows))
    assert root.tag == "services"
    [service] = list(root)
    assert service.tag == "service"
    assert [(e.tag, e.text) for e in service] == [
        ("service_code", "land"), ("service_name", "Đất đai & nhà ở"), ("metadata", "false"), ("group", None),
    ]  # fmt: skip
    assert to_xml("errors", []).startswith(b'<?xml version="1.0" encoding="utf-8"?>')
