"""The Open311 GeoReport v2 specification's documented JSON examples, kept as fixtures.

Source: the GeoReport v2 specification, https://wiki.open311.org/GeoReport_v2 (the wiki page's
"Example Response", JSON tab, of: GET Service List, GET Service Requests, POST Service Request, and
Errors). Kept as the page shows them, with one change: the page writes codes such as ``001`` and
``006`` as bare numbers with leading zeros, which is not JSON; they are strings here (their XML
tab's text). The portal's answers are compared with these field by field.
"""

from __future__ import annotations

from typing import Any

SOURCE = "https://wiki.open311.org/GeoReport_v2"

GET_SERVICES: list[dict[str, Any]] = [
    {
        "service_code": "001",
        "service_name": "Cans left out 24x7",
        "description": "Garbage or recycling cans that have been left out for more than 24 hours after "
        "collection. Violators will be cited.",
        "metadata": True,
        "type": "realtime",
        "keywords": "lorem, ipsum, dolor",
        "group": "sanitation",
    },
]

GET_SERVICE_REQUESTS: list[dict[str, Any]] = [
    {
        "service_request_id": 638344,
        "status": "closed",
        "status_notes": "Duplicate request.",
        "service_name": "Sidewalk and Curb Issues",
        "service_code": "006",
        "description": None,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": "2010-04-14T06:37:38-08:00",
        "updated_datetime": "2010-04-14T06:37:38-08:00",
        "expected_datetime": "2010-04-15T06:37:38-08:00",
        "address": "8TH AVE and JUDAH ST",
        "address_id": 545483,
        "zipcode": 94122,
        "lat": 37.762221815,
        "long": -122.4651145,
        "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638344.jpg",
    },
    {
        "service_request_id": 638349,
        "status": "open",
        "status_notes": None,
        "service_name": "Sidewalk and Curb Issues",
        "service_code": "006",
        "description": None,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": "2010-04-19T06:37:38-08:00",
        "updated_datetime": "2010-04-19T06:37:38-08:00",
        "expected_datetime": "2010-04-19T06:37:38-08:00",
        "address": "8TH AVE and JUDAH ST",
        "address_id": 545483,
        "zipcode": 94122,
        "lat": 37.762221815,
        "long": -122.4651145,
        "media_url": "http://city.gov.s3.amazonaws.com/requests/media/638349.jpg",
    },
]

POST_SERVICE_REQUEST: list[dict[str, Any]] = [
    {
        "service_request_id": 293944,
        "service_notice": "The City will inspect and require the responsible party to correct within 24 hours "
        "and/or issue a Correction Notice or Notice of Violation of the Public Works Code",
        "account_id": None,
    },
]

ERRORS: list[dict[str, Any]] = [
    {"code": 403, "description": "Invalid api_key received -- can't proceed with create_request."},
]

# Fields the specification marks "May not be returned" (null in the examples when unknown), and those
# whose example is a number but whose value is an identifier (text in the XML tab).
MAY_BE_NULL = {
    "status_notes", "description", "agency_responsible", "service_notice", "expected_datetime", "address",
    "address_id", "zipcode", "lat", "long", "media_url", "account_id", "service_name", "service_code",
}  # fmt: skip
IDENTIFIERS = {"service_request_id", "service_code", "address_id", "zipcode"}
DATETIMES = {"requested_datetime", "updated_datetime", "expected_datetime"}
# W3C date-time (www.w3.org/TR/NOTE-datetime) with the time zone the specification requires.
W3C_DATETIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$"
