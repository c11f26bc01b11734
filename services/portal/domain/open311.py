"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): services are fields, requests are opinions.

Field names are the specification's: ``service_request_id`` is the tracking code,
``agency_responsible`` the agency holding the opinion, ``expected_datetime`` its answer deadline
(end of that day, Vietnam time). Errors are the specification's list ``[{"code", "description"}]``.
Nothing personal is ever answered: no name, no contact, the description with phone numbers, ID
numbers and e-mail addresses hidden.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from services.portal.domain.opinion import Doc, steps_of
from services.portal.domain.privacy import public_text
from shared.contracts.fields import field_name
from shared.contracts.intake import Channel, OpinionKind, SubmitOpinion, Submitter
from shared.errors import DomainError
from shared.timeutil import VN_TZ

MAX_IDS = 50
MAX_DAYS = 90  # the specification's default window when no dates are given
DEFAULT_GROUP = "Ý kiến, kiến nghị"


class Open311Error(DomainError):
    """A request the API refuses, with the HTTP status it answers."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = status

    def body(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": self.message}]


@dataclass(frozen=True)
class FieldService:
    code: str
    name: str
    keywords: tuple[str, ...] = ()


def service_list(services: list[FieldService]) -> list[dict[str, Any]]:
    """``services.json``: every field as a realtime service without extra attributes."""
    return [
        {
            "service_code": s.code,
            "service_name": s.name,
            "description": f"Ý kiến, kiến nghị thuộc lĩnh vực {s.name}.",
            "metadata": False,
            "type": "realtime",
            "keywords": ", ".join(s.keywords),
            "group": DEFAULT_GROUP,
        }
        for s in services
    ]


def _iso(value: str | None) -> str | None:
    """A W3C date-time with its offset, to the second (the specification's own form)."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value).astimezone(VN_TZ).isoformat(timespec="seconds")


def _notes(doc: Doc) -> str:
    steps = steps_of(doc)
    for step in reversed(steps):
        if step.kind in ("published", "answered_directly") and step.answer:
            return public_text(step.answer)
    match doc.get("closed_by"):
        case "transferred":
            return "Đã chuyển đến cơ quan có thẩm quyền."
    if doc.get("agency_name"):
        return f"Đang được {doc['agency_name']} xử lý."
    return "Đã tiếp nhận, đang phân loại."


def request_view(doc: Doc) -> dict[str, Any]:
    """One request as ``requests.json`` and ``requests/<id>.json`` answer it."""
    facts: dict[str, Any] = doc.get("facts", {})
    deadline = doc.get("deadline")
    expected = (
        dt.datetime.combine(dt.date.fromisoformat(deadline), dt.time(23, 59, 59), VN_TZ).isoformat(
            timespec="seconds"
        )
        if deadline
        else None
    )
    code = facts.get("field")
    return {
        "service_request_id": doc.get("tracking_code"),
        "status": doc.get("status", "open"),
        "status_notes": _notes(doc),
        "service_name": field_name(code) if code else None,
        "service_code": code,
        "description": public_text(facts.get("content") or facts.get("summary")) or None,
        "agency_responsible": doc.get("agency_name"),
        "service_notice": None,
        "requested_datetime": _iso(doc.get("requested_at")),
        "updated_datetime": _iso(doc.get("updated_at")),
        "expected_datetime": expected,
        "address": facts.get("residence") or None,
        # No opinion has a map position or an address register id: present, as the specification
        # lists them, and empty.
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


@dataclass(frozen=True)
class RequestQuery:
    """``GET requests.json``: by ids, or by a date window, statuses and service codes.

    The specification lets ``status`` and ``service_code`` be declared several times, comma
    delimited; an empty tuple means all of them.
    """

    ids: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()

    @property
    def status(self) -> str | None:
        """The one status asked, or None for all (both statuses asked are all of them)."""
        return self.statuses[0] if len(self.statuses) == 1 else None

    @property
    def service_code(self) -> str | None:
        return self.service_codes[0] if len(self.service_codes) == 1 else None

    def where(self) -> dict[str, Any]:
        """The store filter of a query without ids: the window, the statuses and the fields."""
        where: dict[str, Any] = {"tracking_code": {"$exists": True}}
        window: dict[str, str] = {}
        if self.start:
            window["$gte"] = self.start.astimezone(dt.UTC).isoformat()
        if self.end:
            window["$lte"] = self.end.astimezone(dt.UTC).isoformat()
        if window:
            where["requested_at"] = window
        if self.status:
            where["status"] = self.status
        if self.service_codes:
            where["field"] = {"$in": list(self.service_codes)}
        return where


def _date(name: str, value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, "invalid_date", f"{name} không phải ngày giờ W3C, ví dụ 2026-11-20T00:00:00+07:00."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)


def parse_query(params: dict[str, str], now: dt.datetime) -> RequestQuery:
    """The query parameters of ``GET requests.json``, or the error the API answers.

    Without ids or dates the window is the most recent 90 days, as the specification says.
    """
    ids = tuple(i.strip() for i in params.get("service_request_id", "").split(",") if i.strip())
    if len(ids) > MAX_IDS:
        raise Open311Error(400, "too_many_ids", f"Chỉ hỏi được tối đa {MAX_IDS} mã một lần.")
    statuses = tuple(sorted(set(_listed(params.get("status")))))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "invalid_status", "status chỉ nhận open, closed hoặc cả hai (open,closed).")
    start = _date("start_date", params.get("start_date"))
    end = _date("end_date", params.get("end_date"))
    if start and end and start > end:
        raise Open311Error(400, "invalid_window", "start_date phải trước end_date.")
    if start and end and end - start > dt.timedelta(days=MAX_DAYS):
        raise Open311Error(
            400, "invalid_window", f"Khoảng từ start_date đến end_date không được quá {MAX_DAYS} ngày."
        )
    if not ids and start is None:
        start = (end or now) - dt.timedelta(days=MAX_DAYS)
    return RequestQuery(ids, start, end, statuses, _listed(params.get("service_code")))


def _listed(value: str | None) -> tuple[str, ...]:
    """A parameter the specification lets be declared several times, comma delimited."""
    return tuple(dict.fromkeys(v.strip() for v in (value or "").split(",") if v.strip()))


def submission(params: dict[str, str], known_codes: set[str]) -> SubmitOpinion:
    """A ``POST requests.json`` as the intake contract, or the error the API answers.

    Without the non-standard ``external_id`` the id derives from the request itself, so a client
    that posts the same request twice (a retry after a timeout) gets the same opinion back.
    """
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(
            400, "missing_service_code", "Thiếu service_code; xem services.json để chọn lĩnh vực."
        )
    if code not in known_codes:
        raise Open311Error(404, "unknown_service_code", f"service_code {code} không có; xem services.json.")
    description = params.get("description", "").strip()
    if not description:
        raise Open311Error(400, "missing_description", "Thiếu description: nội dung ý kiến, kiến nghị.")
    name = " ".join(
        p for p in (params.get("last_name", "").strip(), params.get("first_name", "").strip()) if p
    )
    email = params.get("email", "").strip() or None
    phone = params.get("phone", "").strip() or None
    external = (
        params.get("external_id", "").strip()
        or hashlib.sha256(
            "|".join(f"{k}={params[k]}" for k in sorted(params) if k != "api_key").encode()
        ).hexdigest()[:32]
    )
    try:
        return SubmitOpinion(
            external_id=f"open311-{external}",
            kind=OpinionKind.FEEDBACK,
            content=description,
            submitter=Submitter(
                name=name or "Người dân",
                residence=params.get("address_string", "").strip(),
                phone=phone,
                email=email,
                consent_to_contact=bool(email or phone),
            ),
            channel=Channel.EXTERNAL_SYSTEM,
            conference_id=params.get("conference_id", "").strip() or None,
        )
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "yêu cầu"
        raise Open311Error(
            400, "invalid_request", f"Giá trị {where} không hợp lệ; kiểm tra lại rồi gửi lại."
        ) from None
