"""The officials' console: an agency officer's inbox and answer form, a head's review queue.

Lists come from the portal's read model; an opinion's page asks assignment (``assignment.cmd.show``)
for its case file, because the scope check must use who holds it now and the officials need the
reasons the public path never keeps. Every change is assignment's own command with ``by`` naming
the account; its command id is derived from the form's token, so a double submit is one command.
Assignment's refusals are shown as the sentences it sends. ``Desk`` is what every console page
shares (the staff pages' forms too, ``adapters.staff``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from services.portal import queries
from services.portal.adapters.bus import UNAVAILABLE, Unavailable
from services.portal.adapters.login import NOT_ALLOWED, Guard, Signed
from services.portal.adapters.security import CSRF_FIELD
from services.portal.adapters.web import Handler, Web
from services.portal.domain import codes
from services.portal.domain.casefile import CaseFile, case_file
from shared.contracts import assignment_commands as ac
from shared.contracts.portal_commands import Role
from shared.errors import DomainError
from shared.ids import derived_id
from shared.timeutil import local_date

NOT_YOURS = "Ý kiến {code} không thuộc {what} của ông/bà; ông/bà chỉ mở được ý kiến {whose}."
MISSING = "Vui lòng nhập đủ số văn bản, ngày văn bản (năm-tháng-ngày) và tóm tắt nội dung trả lời."
NO_REASON = "Vui lòng ghi lý do trả lại để cơ quan biết cần trả lời lại điều gì."
Form = dict[str, str]
Acting = tuple[Signed, CaseFile, Form, str]


class Desk:
    """The console's shared steps: the page, the scoped case file, a checked form post, a command."""

    def __init__(self, web: Web, guard: Guard) -> None:
        self.web = web
        self.guard = guard

    def page(self, name: str, signed: Signed, **context: Any) -> Response:
        token = self.guard.token(signed)
        response = self.web.page(name, me=signed.me, csrf=token, logout_csrf=token, **context)
        response.headers["cache-control"] = "no-store"
        return response

    async def require(self, request: Request, roles: set[Role]) -> Signed | Response:
        """The official when its role is one of ``roles``, else the redirect (401) or the 403 page."""
        signed = await self.guard.signed(request)
        if signed is None:
            return self.guard.login_needed(request)
        if signed.me.role not in roles:
            return self.web.sentence("Không có quyền", NOT_ALLOWED, 403, "forbidden", back="/can-bo",
                                     back_text="Về trang cán bộ")  # fmt: skip
        return signed

    def today(self) -> dt.date:
        return local_date(self.web.deps().clock())

    async def case(self, code: str, signed: Signed) -> CaseFile | Response:
        """Assignment's case file of ``code``, when the official's scope covers it (else the refusal)."""
        web = self.web
        try:
            canonical = codes.canonical(code)
        except DomainError as exc:
            return web.sentence("Không mở được ý kiến", exc.message, 400, exc.code)
        try:
            result = await web.bus.assignment("show", ac.ShowAssignment(opinion_id=canonical))
        except Unavailable:
            return web.sentence("Chưa mở được ý kiến", UNAVAILABLE, 503, "temporarily_unavailable")
        if not result.ok or not isinstance(result.data, dict):
            return web.sentence("Không mở được ý kiến", result.message, 404, result.code)
        found = case_file(result.data, self.today(), web.config.due_soon_days)
        me = signed.me
        if me.role is Role.AGENCY_OFFICER and found.agency_code != me.scope:
            message = NOT_YOURS.format(code=canonical, what="cơ quan", whose="giao cho cơ quan mình")
            return web.sentence("Không có quyền", message, 403, "not_your_agency", back="/can-bo/hop-thu")
        if me.role is Role.HEAD and found.unit_code != me.scope:
            message = NOT_YOURS.format(code=canonical, what="đơn vị", whose="của đơn vị mình")
            return web.sentence("Không có quyền", message, 403, "not_your_unit", back="/lanh-dao/duyet")
        return found

    async def acting(self, request: Request, role: Role) -> Acting | Response:
        """A console form post: logged in with ``role``, its token, the opinion in scope."""
        signed = await self.guard.require(request, role)
        if isinstance(signed, Response):
            return signed
        form = {k: str(v) for k, v in (await request.form(max_files=0, max_fields=10)).items()}
        nonce = self.guard.nonce(signed, form.get(CSRF_FIELD))
        if nonce is None:
            return self.guard.csrf_refused()
        found = await self.case(request.path_params["code"], signed)
        if isinstance(found, Response):
            return found
        return signed, found, form, nonce

    def action(self, role: Role, handle: Callable[[Acting], Awaitable[Response]]) -> Handler:
        """The endpoint of a console form: ``handle`` runs only once ``acting`` let the post through."""

        async def endpoint(request: Request) -> Response:
            acted = await self.acting(request, role)
            return acted if isinstance(acted, Response) else await handle(acted)

        return endpoint

    def refused(self, title: str, message: str, reason: str, back: str) -> Response:
        """A form the portal itself refuses (400), with the way back to the opinion."""
        return self.web.sentence(title, message, 400, reason, back=back, back_text="Về trang ý kiến")

    async def send(self, verb: str, command: ac.ChangeAssignment, back: str) -> Response:
        web = self.web
        try:
            result = await web.bus.assignment(verb, command)
        except Unavailable:
            return web.sentence("Chưa gửi được", UNAVAILABLE, 503, "temporarily_unavailable", back=back)
        if not result.ok:
            return web.sentence("Không thực hiện được", result.message, 409, result.code, back=back,
                                back_text="Về trang ý kiến")  # fmt: skip
        return RedirectResponse(back, status_code=303)


def routes(web: Web, guard: Guard) -> list[Route]:
    config = web.config
    desk = Desk(web, guard)

    def opinion_page(role: Role, template: str) -> Callable[[Request], Awaitable[Response]]:
        async def show(request: Request) -> Response:
            signed = await guard.require(request, role)
            if isinstance(signed, Response):
                return signed
            found = await desk.case(request.path_params["code"], signed)
            if isinstance(found, Response):
                return found
            agencies = (
                await queries.agencies_of_unit(web.deps(), signed.me.scope) if role is Role.HEAD else {}
            )
            return desk.page(template, signed, c=found, today=desk.today().isoformat(), agencies=agencies)

        return show

    async def inbox(request: Request) -> Response:
        signed = await guard.require(request, Role.AGENCY_OFFICER)
        if isinstance(signed, Response):
            return signed
        found = await queries.inbox(web.deps(), signed.me.scope, config.due_soon_days)
        return desk.page("queue.html.j2", signed, rows=found.rows, link="/can-bo/y-kien",
                         heading=f"Hộp thư của {found.agency_name}",
                         intro="Các ý kiến đang giao cho cơ quan, chưa kết thúc, hạn sớm nhất trước.",
                         empty="Không có ý kiến nào đang chờ cơ quan trả lời.")  # fmt: skip

    async def answer(acted: Acting) -> Response:
        signed, found, form, nonce = acted
        back = f"/can-bo/y-kien/{found.code}"
        number, summary = form.get("so", "").strip(), form.get("tom-tat", "").strip()
        try:
            date = dt.date.fromisoformat(form.get("ngay", "").strip())
        except ValueError:
            date = None
        if not number or not summary or date is None:
            return desk.refused("Chưa gửi được trả lời", MISSING, "answer_incomplete", back)
        command = ac.SubmitAnswer(
            opinion_id=found.opinion_id, command_id=derived_id("portal-answer", found.opinion_id, nonce),
            by=signed.me.by, agency_code=signed.me.scope, document_number=number[:100], document_date=date,
            summary=summary[:5000],
        )  # fmt: skip
        return await desk.send("answer", command, back)

    async def review(request: Request) -> Response:
        signed = await guard.require(request, Role.HEAD)
        if isinstance(signed, Response):
            return signed
        rows = await queries.review_queue(web.deps(), signed.me.scope, config.due_soon_days)
        requests = await queries.pending_requests(web.deps(), signed.me.scope, config.due_soon_days)
        return desk.page("queue.html.j2", signed, rows=rows, link="/lanh-dao/y-kien", heading="Chờ lãnh đạo xử lý",
                         intro=f"Các câu trả lời của cơ quan cho ý kiến thuộc đơn vị {signed.me.scope}, chờ lãnh đạo "
                         "trả lại hoặc công bố, và các đề nghị gia hạn, giao cơ quan khác chờ quyết định.",
                         empty="Không có câu trả lời nào đang chờ duyệt.", requests=requests)  # fmt: skip

    async def return_answer(acted: Acting) -> Response:
        signed, found, form, nonce = acted
        back = f"/lanh-dao/y-kien/{found.code}"
        reason = form.get("ly-do", "").strip()
        if not reason:
            return desk.refused("Chưa trả lại được", NO_REASON, "reason_required", back)
        command = ac.ReturnAnswer(opinion_id=found.opinion_id, reason=reason[:2000], by=signed.me.by,
                                  command_id=derived_id("portal-return", found.opinion_id, nonce))  # fmt: skip
        return await desk.send("return", command, back)

    async def publish(acted: Acting) -> Response:
        signed, found, _, nonce = acted
        command = ac.PublishAnswer(opinion_id=found.opinion_id, by=signed.me.by,
                                   command_id=derived_id("portal-publish", found.opinion_id, nonce))  # fmt: skip
        return await desk.send("publish", command, f"/lanh-dao/y-kien/{found.code}")

    return [
        Route("/can-bo/hop-thu", inbox, methods=["GET"]),
        Route(
            "/can-bo/y-kien/{code}",
            opinion_page(Role.AGENCY_OFFICER, "officer_opinion.html.j2"),
            methods=["GET"],
        ),
        Route("/can-bo/y-kien/{code}/tra-loi", desk.action(Role.AGENCY_OFFICER, answer), methods=["POST"]),
        Route("/lanh-dao/duyet", review, methods=["GET"]),
        Route("/lanh-dao/y-kien/{code}", opinion_page(Role.HEAD, "review_opinion.html.j2"), methods=["GET"]),
        Route("/lanh-dao/y-kien/{code}/tra-lai", desk.action(Role.HEAD, return_answer), methods=["POST"]),
        Route("/lanh-dao/y-kien/{code}/cong-bo", desk.action(Role.HEAD, publish), methods=["POST"]),
    ]
