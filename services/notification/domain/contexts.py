"""Render contexts built from the triggering events; keys match ``adapters.template_samples``.

Values are JSON-compatible (instants as ISO 8601 with offset, dates as ISO dates) because the ledger
keeps the context to re-render on a retry after a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from shared.contracts.fields import field_name
from shared.rating_links import rating_url
from shared.timeutil import VN_TZ

COMPETENT_BODY = "cơ quan có thẩm quyền"


def iso(value: dt.datetime | dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def participation(fmt: str, venue: str | None, link: str | None) -> str:
    """How to take part, in Vietnamese, from the conference format."""
    in_person = f"trực tiếp tại {venue}" if venue else "trực tiếp"
    online = f"trực tuyến qua {link}" if link else "trực tuyến"
    return {"online": online, "hybrid": f"{in_person} hoặc {online}"}.get(fmt, in_person)


def conference(
    *,
    title: str,
    unit_name: str,
    starts_at: dt.datetime,
    held_at: dt.datetime | None,
    venue: str | None,
    fmt: str,
    link: str | None,
    content: str = "",
) -> dict[str, Any]:
    place = venue or (f"trực tuyến ({link})" if link else "trực tuyến")
    return {
        "title": title,
        "host_name": f"Cấp ủy, chính quyền {unit_name}",
        "starts_at": iso(starts_at),
        "held_at": iso(held_at or starts_at),
        "place": place,
        "content": content or "đối thoại, lắng nghe và giải đáp ý kiến, kiến nghị của Nhân dân",
        "participation": participation(fmt, venue, link),
    }


def opinion(
    *,
    tracking_code: str,
    summary: str = "",
    field: str | None = None,
    received_at: dt.datetime,
    deadline: dt.date | None = None,
    handled_by: str | None = None,
    transferred: bool = False,
) -> dict[str, Any]:
    return {
        "tracking_code": tracking_code,
        "summary": summary,
        "field": field_name(field),
        "received_at": iso(received_at),
        "deadline": iso(deadline),
        "handled_by": handled_by or COMPETENT_BODY,
        "transferred": transferred,
    }


def base(recipient_name: str, unit_name: str, **extra: Any) -> dict[str, Any]:
    return {"recipient_name": recipient_name, "unit_name": unit_name, **extra}


def with_recipient(context: Mapping[str, Any], recipient_name: str) -> dict[str, Any]:
    return {**context, "recipient_name": recipient_name}


def answer(
    public_url: str,
    tracking_code: str,
    *,
    agency_name: str,
    summary: str,
    published_at: dt.datetime,
    document_number: str | None,
    document_date: dt.date | None,
) -> dict[str, Any]:
    """The published answer, with the public page where the citizen can read it in full."""
    return {
        "agency_name": agency_name,
        "summary": summary,
        "published_at": iso(published_at),
        "url": f"{public_url.rstrip('/')}/tra-cuu/{tracking_code}",
        "document_number": document_number,
        "document_date": iso(document_date),
    }


def survey(public_url: str, tracking_code: str, closes_on: dt.date, secret: bytes | None) -> dict[str, Any]:
    """The rating link, signed to expire at the end of ``closes_on`` (Vietnam time).

    Without a secret the portal could not tell the link from a forged one: the notice then points at
    the tracking page, which shows the answer, and says no rating link.
    """
    if secret is None:
        url = f"{public_url.rstrip('/')}/tra-cuu/{tracking_code}"
    else:
        expires = dt.datetime.combine(closes_on, dt.time(23, 59, 59), VN_TZ)
        url = rating_url(public_url, tracking_code, expires, secret)
    return {"survey_url": url, "survey_closes_on": iso(closes_on)}
