"""Open311 GeoReport v2 under ``/open311/v2/``: services, requests, one request, and POST, in XML and JSON.

The specification requires XML and lets JSON be offered; every resource answers both by its
extension (``services.xml``, ``requests/<id>.json``...), with the content types it names. A POST
becomes intake's own ``SubmitOpinion`` on ``intake.submit.<source>``, the source being the one its
API key is registered for; the answer waits for intake's ``SubmissionOutcome``, so idempotency,
reason codes and refusals are intake's. Errors are the specification's list of {code, description}.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.portal import queries
from services.portal.adapters import open311_reads
from services.portal.adapters.bus import UNAVAILABLE, Unavailable
from services.portal.adapters.page_cache import Rendered
from services.portal.adapters.web import Web
from services.portal.domain import open311
from services.portal.domain.open311 import Open311Error
from services.portal.domain.open311_xml import to_xml
from services.portal.settings import source_for

PREFIX = "/open311/v2"
FORMATS = ("json", "xml")
XML = "text/xml; charset=utf-8"


class Open311JSON(JSONResponse):
    """JSON with the content type the specification names (``application/json; charset=utf-8``)."""

    media_type = "application/json; charset=utf-8"


def answer(rows: list[dict[str, Any]], root: str, fmt: str, status: int = 200) -> Response:
    """``rows`` in the format asked: JSON, or the XML document ``root`` of the specification."""
    if fmt == "xml":
        return Response(to_xml(root, rows), status_code=status, media_type=XML)
    return Open311JSON(rows, status_code=status)


def error(status: int, description: str, fmt: str = "json") -> Response:
    return answer([{"code": status, "description": description}], "errors", fmt, status)


def refused(exc: Open311Error, fmt: str) -> Response:
    return answer(exc.body(), "errors", fmt, exc.status)


UNKNOWN_FORMAT = "Định dạng không có; dùng .xml hoặc .json."


def routes(web: Web) -> list[Route]:
    def counted(source: str, outcome: str) -> None:
        if web.metrics is not None:
            web.metrics.open311_submissions.labels(source, outcome).inc()

    one_cache = Rendered()

    async def services(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return error(404, UNKNOWN_FORMAT)
        return answer(queries.services(web.deps()), "services", fmt)

    async def list_requests(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return error(404, UNKNOWN_FORMAT)
        try:
            query = open311.parse_query(dict(request.query_params), web.deps().clock())
            return answer(await open311_reads.requests(web.deps(), query), "service_requests", fmt)
        except Open311Error as exc:
            return refused(exc, fmt)

    async def one_request(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return error(404, UNKNOWN_FORMAT)
        try:
            body = await open311_reads.request(web.deps(), request.path_params["request_id"], fmt, one_cache)
        except Open311Error as exc:
            return refused(exc, fmt)
        return Response(body, media_type=XML if fmt == "xml" else Open311JSON.media_type)

    async def post_request(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return error(404, UNKNOWN_FORMAT)
        form = await request.form(max_files=0, max_fields=50)
        params: dict[str, Any] = {k: str(v) for k, v in form.items()}
        source = source_for(web.config.open311_keys, str(params.get("api_key", "")))
        if source is None:
            return error(
                403,
                "api_key không đúng hoặc chưa được đăng ký; liên hệ cơ quan quản lý cổng để được cấp.",
                fmt,
            )
        try:
            command = open311.submission(params, queries.service_codes(web.deps()))
        except Open311Error as exc:
            counted(source, exc.code)
            return refused(exc, fmt)
        try:
            outcome = await web.bus.submit(source, command)
        except Unavailable:
            counted(source, "unavailable")
            # The specification's "general service error (eg CRM is down)" is a 400.
            return error(400, UNAVAILABLE + " Gửi lại cùng yêu cầu không tạo ý kiến trùng.", fmt)
        if not outcome.get("accepted"):
            counted(source, str(outcome.get("reason")))
            return error(400, str(outcome.get("message") or outcome.get("reason")), fmt)
        counted(source, "accepted")
        notice = (
            f"Đã tiếp nhận; mã theo dõi {outcome['tracking_code']}. "
            "Người gửi tra cứu tiến độ xử lý bằng mã này."
        )
        created = {
            "service_request_id": outcome["tracking_code"],
            "service_notice": notice,
            "account_id": None,
        }
        return answer([created], "service_requests", fmt)

    return [
        Route(f"{PREFIX}/services.{{fmt}}", services, methods=["GET"]),
        Route(f"{PREFIX}/requests.{{fmt}}", list_requests, methods=["GET"]),
        Route(f"{PREFIX}/requests.{{fmt}}", post_request, methods=["POST"]),
        Route(f"{PREFIX}/requests/{{request_id}}.{{fmt}}", one_request, methods=["GET"]),
    ]
