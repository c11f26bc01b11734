"""Open311 GeoReport v2 under ``/open311/v2/`` (JSON): services, requests, one request, and POST.

A POST becomes intake's own ``SubmitOpinion`` on ``intake.submit.<source>``, the source being the one
its API key is registered for; the answer waits for intake's ``SubmissionOutcome``, so idempotency,
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
from services.portal.adapters.web import Web
from services.portal.domain import open311
from services.portal.domain.open311 import Open311Error
from services.portal.settings import source_for

PREFIX = "/open311/v2"


class Open311JSON(JSONResponse):
    """JSON with the content type the specification names (``application/json; charset=utf-8``)."""

    media_type = "application/json; charset=utf-8"


def error(status: int, description: str) -> JSONResponse:
    return Open311JSON([{"code": status, "description": description}], status_code=status)


def routes(web: Web) -> list[Route]:
    def counted(source: str, outcome: str) -> None:
        if web.metrics is not None:
            web.metrics.open311_submissions.labels(source, outcome).inc()

    async def services(request: Request) -> Response:
        return Open311JSON(queries.services(web.deps()))

    async def list_requests(request: Request) -> Response:
        try:
            query = open311.parse_query(dict(request.query_params), web.deps().clock())
            return Open311JSON(await open311_reads.requests(web.deps(), query))
        except Open311Error as exc:
            return Open311JSON(exc.body(), status_code=exc.status)

    async def one_request(request: Request) -> Response:
        try:
            return Open311JSON([await open311_reads.request(web.deps(), request.path_params["request_id"])])
        except Open311Error as exc:
            return Open311JSON(exc.body(), status_code=exc.status)

    async def post_request(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=50)
        params: dict[str, Any] = {k: str(v) for k, v in form.items()}
        source = source_for(web.config.open311_keys, str(params.get("api_key", "")))
        if source is None:
            return error(
                403, "api_key không đúng hoặc chưa được đăng ký; liên hệ cơ quan quản lý cổng để được cấp."
            )
        try:
            command = open311.submission(params, queries.service_codes(web.deps()))
        except Open311Error as exc:
            counted(source, exc.code)
            return Open311JSON(exc.body(), status_code=exc.status)
        try:
            outcome = await web.bus.submit(source, command)
        except Unavailable:
            counted(source, "unavailable")
            # The specification's "general service error (eg CRM is down)" is a 400.
            return error(400, UNAVAILABLE + " Gửi lại cùng yêu cầu không tạo ý kiến trùng.")
        if not outcome.get("accepted"):
            counted(source, str(outcome.get("reason")))
            return error(400, str(outcome.get("message") or outcome.get("reason")))
        counted(source, "accepted")
        notice = (
            f"Đã tiếp nhận; mã theo dõi {outcome['tracking_code']}. "
            "Người gửi tra cứu tiến độ xử lý bằng mã này."
        )
        return Open311JSON(
            [{"service_request_id": outcome["tracking_code"], "service_notice": notice, "account_id": None}]
        )

    return [
        Route(f"{PREFIX}/services.json", services, methods=["GET"]),
        Route(f"{PREFIX}/requests.json", list_requests, methods=["GET"]),
        Route(f"{PREFIX}/requests.json", post_request, methods=["POST"]),
        Route(f"{PREFIX}/requests/{{request_id}}.json", one_request, methods=["GET"]),
    ]
