"""The citizens' pages: look a code up, follow its path, rate the answer, read a conference's page.

Each route parses its input, calls one query or sends one command, and renders; every refusal is a
page of one Vietnamese sentence with its reason code and the right status, never a traceback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from services.portal import handlers, queries
from services.portal.adapters import listings
from services.portal.adapters.bus import UNAVAILABLE, Unavailable
from services.portal.adapters.open311_api import error as open311_error
from services.portal.adapters.page_cache import Rendered, Titles, version_of
from services.portal.adapters.security import CSRF_COOKIE, CSRF_FIELD, csrf_ok, new_csrf
from services.portal.adapters.web import Web, client_address
from services.portal.domain.timeline import tracking_view
from shared import rating_links
from shared.contracts.assignment_commands import RateAnswer
from shared.errors import DomainError
from shared.ids import derived_id
from shared.rating_links import LinkCheck

log = logging.getLogger(__name__)
STARS = [
    (1, "Rất không hài lòng"),
    (2, "Không hài lòng"),
    (3, "Bình thường"),
    (4, "Hài lòng"),
    (5, "Rất hài lòng"),
]
LIMITED = "Ông/bà đã tra cứu quá nhiều lần trong một phút; vui lòng chờ một phút rồi thử lại."
LINK_REFUSALS = {
    LinkCheck.FORGED: (
        403,
        "forged_rating_link",
        "Liên kết đánh giá không hợp lệ; vui lòng dùng đúng liên kết trong thông báo đã nhận.",
    ),
    LinkCheck.EXPIRED: (
        410,
        "expired_rating_link",
        "Liên kết đánh giá đã hết hạn; thời gian lấy ý kiến đánh giá cho ý kiến này đã kết thúc.",
    ),
}
REUSED = "Liên kết này đã được dùng để đánh giá; mỗi ý kiến chỉ được đánh giá một lần."
NOT_PUBLISHED = "Ý kiến này chưa có trả lời được công bố; chỉ đánh giá được sau khi trả lời được công bố."
NO_CSRF = (
    "Biểu mẫu đã hết hiệu lực hoặc không gửi từ trang này; vui lòng mở lại liên kết đánh giá và gửi lại."
)
NO_STARS = "Vui lòng chọn mức độ hài lòng từ 1 đến 5 sao rồi gửi lại."


def routes(web: Web) -> list[Route]:
    def limited(request: Request) -> Response | None:
        if web.config.throttle.allow(client_address(request), time.monotonic()):
            return None
        if web.metrics is not None:
            web.metrics.rate_limited.inc()
        return web.sentence("Tạm dừng tra cứu", LIMITED, 429, "rate_limited")

    async def home(request: Request) -> Response:
        return web.page("lookup.html.j2", message=None, typed=None)

    async def lookup(request: Request) -> Response:
        typed = request.query_params.get("ma")
        if typed is None:
            return web.page("lookup.html.j2", message=None, typed=None)
        if (refused := limited(request)) is not None:
            return refused
        try:
            doc = await queries.opinion_by_code(web.deps(), typed)
        except DomainError as exc:
            status = 400 if exc.code == "invalid_tracking_code" else 404
            return web.page("lookup.html.j2", status, message=exc.message, typed=typed[:40])
        return RedirectResponse(f"/tra-cuu/{quote(str(doc['tracking_code']))}", status_code=303)

    page_cache, titles = Rendered(), Titles()
    tracking_page = web.templates.get_template("tracking.html.j2")

    async def tracking(request: Request) -> Response:
        if (refused := limited(request)) is not None:
            return refused
        try:
            doc = await queries.opinion_by_code(web.deps(), request.path_params["code"])
        except DomainError as exc:
            status = 400 if exc.code == "invalid_tracking_code" else 404
            return web.sentence("Không tra cứu được", exc.message, status, exc.code)
        title = await titles.title(web.deps().repo, doc.get("facts", {}).get("conference_id"))

        def render() -> bytes:
            return tracking_page.render(v=tracking_view(doc), conference_title=title).encode()

        # The record is read on every request; only the same version of it is not rendered twice.
        return HTMLResponse(page_cache.get((version_of(doc), title), render))

    def link_refusal(code: str, expires: str | None, signature: str | None) -> Response | None:
        check = rating_links.verify(code, expires, signature, web.config.rating_secret, web.deps().clock())
        if check is LinkCheck.VALID:
            return None
        status, reason, message = LINK_REFUSALS[check]
        return web.sentence("Không mở được trang đánh giá", message, status, reason)

    async def state_refusal(code: str) -> tuple[Response | None, queries.RatingState | None]:
        try:
            state = await queries.rating_state(web.deps(), code)
        except DomainError as exc:
            status = 400 if exc.code == "invalid_tracking_code" else 404
            return web.sentence("Không mở được trang đánh giá", exc.message, status, exc.code), None
        if state.used:
            return web.sentence(
                "Đã đánh giá", REUSED, 409, "rating_link_used", back=f"/tra-cuu/{code}"
            ), state
        if not state.published:
            return web.sentence("Chưa thể đánh giá", NOT_PUBLISHED, 409, "not_published"), state
        return None, state

    def counted(outcome: str) -> None:
        if web.metrics is not None:
            web.metrics.ratings.labels(outcome).inc()

    async def rating_form(request: Request) -> Response:
        code = request.path_params["code"]
        expires, signature = request.query_params.get("het"), request.query_params.get("ky")
        if (refused := link_refusal(code, expires, signature)) is not None:
            return refused
        refused, _ = await state_refusal(code)
        if refused is not None:
            return refused
        token, cookie = new_csrf(web.config.csrf_secret)
        response = web.page(
            "rating.html.j2", code=code, csrf=token, expires=expires, signature=signature, stars=STARS
        )
        response.set_cookie(
            CSRF_COOKIE, cookie, max_age=3600, path="/danh-gia", httponly=True, samesite="strict",
            secure=web.config.secure_cookies,
        )  # fmt: skip
        response.headers["cache-control"] = "no-store"
        return response

    async def rate(request: Request) -> Response:
        code = request.path_params["code"]
        form = await request.form(max_files=0, max_fields=10)
        value = {k: str(v) for k, v in form.items()}
        if not csrf_ok(request.cookies.get(CSRF_COOKIE), value.get(CSRF_FIELD), web.config.csrf_secret):
            counted("csrf_refused")
            return web.sentence("Không gửi được đánh giá", NO_CSRF, 403, "csrf_refused")
        if (refused := link_refusal(code, value.get("het"), value.get("ky"))) is not None:
            counted("link_refused")
            return refused
        refused, state = await state_refusal(code)
        if refused is not None or state is None:
            counted("refused")
            return refused or web.sentence("Không gửi được đánh giá", UNAVAILABLE, 503)
        stars = value.get("sao", "")
        if stars not in {"1", "2", "3", "4", "5"}:
            again = (
                f"/danh-gia/{state.code}?het={quote(value.get('het', ''))}&ky={quote(value.get('ky', ''))}"
            )
            return web.sentence(
                "Chưa chọn mức độ hài lòng",
                NO_STARS,
                400,
                "rating_out_of_range",
                back=again,
                back_text="Đánh giá lại",
            )
        command = RateAnswer(
            opinion_id=state.opinion_id,
            command_id=derived_id("portal-rating", state.code),
            by="citizen",
            stars=int(stars),
            comment=value.get("nhan-xet", "")[:2000],
        )
        try:
            result = await web.bus.rate(command)
        except Unavailable:
            counted("unavailable")
            return web.sentence("Chưa gửi được đánh giá", UNAVAILABLE, 503, "temporarily_unavailable")
        if not result.ok:
            counted(result.code)
            return web.sentence("Không gửi được đánh giá", result.message, 409, result.code)
        await web.uow.run(lambda: handlers.rating_sent(web.deps(), state.code, web.deps().clock()), "rating")
        counted("accepted")
        message = result.message or f"Đánh giá {stars}/5 sao cho ý kiến {state.code} đã được ghi nhận."
        return web.page("rated.html.j2", code=state.code, message=message)

    async def conference(request: Request) -> Response:
        try:
            view = await listings.conference(web.deps(), request.path_params["conference_id"])
        except DomainError as exc:
            return web.sentence("Không có thông tin hội nghị", exc.message, 404, exc.code)
        return web.page("conference.html.j2", c=view)

    css = web.templates.get_template("portal.css.j2").render().encode()

    async def stylesheet(request: Request) -> Response:
        return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=3600"})

    async def no_icon(request: Request) -> Response:
        # Browsers ask for it on every first visit: an empty answer, cached, instead of a 404 page.
        return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})

    return [
        Route("/", home),
        Route("/tra-cuu", lookup),
        Route("/tra-cuu/{code}", tracking),
        Route("/danh-gia/{code}", rating_form, methods=["GET"]),
        Route("/danh-gia/{code}", rate, methods=["POST"]),
        Route("/hoi-nghi/{conference_id}", conference),
        Route("/static/portal.css", stylesheet),
        Route("/favicon.ico", no_icon),
    ]


NOT_FOUND = "Không có trang này; vui lòng kiểm tra lại địa chỉ hoặc tra cứu bằng mã theo dõi."
FAILED = "Hệ thống gặp sự cố khi trả lời yêu cầu này; vui lòng thử lại sau ít phút."


def error_handlers(web: Web) -> dict[Any, Callable[[Request, Exception], Awaitable[Response]]]:
    """A page of one sentence for an unknown address and for any failure (never a traceback)."""

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/open311/"):
            return open311_error(404, NOT_FOUND, "xml" if request.url.path.endswith(".xml") else "json")
        return web.sentence("Không tìm thấy trang", NOT_FOUND, 404, "not_found")

    async def failed(request: Request, exc: Exception) -> Response:
        log.exception("portal request %s failed", request.url.path, exc_info=exc)
        if request.url.path.startswith("/open311/"):
            # The specification's "general service error" is a 400 with the error list.
            return open311_error(400, FAILED, "xml" if request.url.path.endswith(".xml") else "json")
        return web.sentence("Chưa trả lời được", FAILED, 503, "temporarily_unavailable")

    return {404: not_found, 405: not_found, Exception: failed}
