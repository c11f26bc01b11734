"""The officials' console: an agency officer's inbox and answer form, a head's review queue.

Lists come from the portal's read model; an opinion's page asks assignment (``assignment.cmd.show``)
for its case file, because the scope check must use who holds it now and the officials need the
reasons the public path never keeps. Every change is assignment's own command with ``by`` naming
the account; its command id is derived from the form's token, so a double submit is one command.
Assignment's refusals are shown as the sentences it sends.
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
from services.portal.adapters.login import Guard, Signed
from services.portal.adapters.security import CSRF_FIELD
from services.portal.adapters.web import Web
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


def routes(web: Web, guard: Guard) -> list[Route]:
    config = web.config

    def page(name: str, signed: Signed, **context: Any) -> Response:
        token = guard.token(signed)
        response = web.page(name, me=signed.me, csrf=token, logout_csrf=token, **context)
        response.headers["cache-control"] = "no-store"
        return response

    async def case(code: str, signed: Signed) -> CaseFile | Response:
        """Assignment's case file of ``code``, when the official's scope covers it (else the refusal)."""
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
        found = case_file(result.data, local_date(web.deps().clock()), config.due_soon_days)
        me = signed.me
        if me.role is Role.AGENCY_OFFICER and found.agency_code != me.scope:
            message = NOT_YOURS.format(code=canonical, what="cơ quan", whose="giao cho cơ quan mình")
            return web.sentence("Không có quyền", message, 403, "not_your_agency", back="/can-bo/hop-thu")
        if me.role is Role.HEAD and found.unit_code != me.scope:
            message = NOT_YOURS.format(code=canonical, what="đơn vị", whose="của đơn vị mình")
            return web.sentence("Không có quyền", message, 403, "not_your_unit", back="/lanh-dao/duyet")
        return found

    async def acting(request: Request, role: Role) -> tuple[Signed, CaseFile, Form, str] | Response:
        """A console form post: logged in with ``role``, its token, the opinion in scope."""
        signed = await guard.require(request, role)
        if isinstance(signed, Response):
            return signed
        form = {k: str(v) for k, v in (await request.form(max_files=0, max_fields=10)).items()}
        nonce = guard.nonce(signed, form.get(CSRF_FIELD))
        if nonce is None:
            return guard.csrf_refused()
        found = await case(request.path_params["code"], signed)
        if isinstance(found, Response):
            return found
        return signed, found, form, nonce

    async def send(verb: str, command: ac.ChangeAssignment, back: str) -> Response:
        try:
            result = await web.bus.assignment(verb, command)
        except Unavailable:
            return web.sentence("Chưa gửi được", UNAVAILABLE, 503, "temporarily_unavailable", back=back)
        if not result.ok:
            return web.sentence("Không thực hiện được", result.message, 409, result.code, back=back,
                                back_text="Về trang ý kiến")  # fmt: skip
        return RedirectResponse(back, status_code=303)

    def opinion_page(role: Role, template: str) -> Callable[[Request], Awaitable[Response]]:
        async def show(request: Request) -> Response:
            signed = await guard.require(request, role)
            if isinstance(signed, Response):
                return signed
            found = await case(request.path_params["code"], signed)
            if isinstance(found, Response):
                return found
            return page(template, signed, c=found, today=local_date(web.deps().clock()).isoformat())

        return show

    async def inbox(request: Request) -> Response:
        signed = await guard.require(request, Role.AGENCY_OFFICER)
        if isinstance(signed, Response):
            return signed
        rows = await queries.inbox(web.deps(), signed.me.scope, config.due_soon_days)
        return page("queue.html.j2", signed, rows=rows, link="/can-bo/y-kien", heading="Hộp thư của cơ quan",
                    intro=f"Các ý kiến đang giao cho cơ quan {signed.me.scope}, chưa kết thúc.",
                    empty="Không có ý kiến nào đang chờ cơ quan trả lời.")  # fmt: skip

    async def answer(request: Request) -> Response:
        acted = await acting(request, Role.AGENCY_OFFICER)
        if isinstance(acted, Response):
            return acted
        signed, found, form, nonce = acted
        back = f"/can-bo/y-kien/{found.code}"
        number, summary = form.get("so", "").strip(), form.get("tom-tat", "").strip()
        try:
            date = dt.date.fromisoformat(form.get("ngay", "").strip())
        except ValueError:
            date = None
        if not number or not summary or date is None:
            return web.sentence("Chưa gửi được trả lời", MISSING, 400, "answer_incomplete", back=back,
                                back_text="Về trang ý kiến")  # fmt: skip
        command = ac.SubmitAnswer(
            opinion_id=found.opinion_id, command_id=derived_id("portal-answer", found.opinion_id, nonce),
            by=signed.me.by, agency_code=signed.me.scope, document_number=number[:100], document_date=date,
            summary=summary[:5000],
        )  # fmt: skip
        return await send("answer", command, back)

    async def review(request: Request) -> Response:
        signed = await guard.require(request, Role.HEAD)
        if isinstance(signed, Response):
            return signed
        rows = await queries.review_queue(web.deps(), signed.me.scope, config.due_soon_days)
        return page("queue.html.j2", signed, rows=rows, link="/lanh-dao/y-kien", heading="Câu trả lời chờ duyệt",
                    intro=f"Các câu trả lời của cơ quan cho ý kiến thuộc đơn vị {signed.me.scope}, chờ lãnh đạo "
                    "trả lại hoặc công bố.", empty="Không có câu trả lời nào đang chờ duyệt.")  # fmt: skip

    async def return_answer(request: Request) -> Response:
        acted = await acting(request, Role.HEAD)
        if isinstance(acted, Response):
            return acted
        signed, found, form, nonce = acted
        back = f"/lanh-dao/y-kien/{found.code}"
        reason = form.get("ly-do", "").strip()
        if not reason:
            return web.sentence("Chưa trả lại được", NO_REASON, 400, "reason_required", back=back,
                                back_text="Về trang ý kiến")  # fmt: skip
        command = ac.ReturnAnswer(opinion_id=found.opinion_id, reason=reason[:2000], by=signed.me.by,
                                  command_id=derived_id("portal-return", found.opinion_id, nonce))  # fmt: skip
        return await send("return", command, back)

    async def publish(request: Request) -> Response:
        acted = await acting(request, Role.HEAD)
        if isinstance(acted, Response):
            return acted
        signed, found, _, nonce = acted
        command = ac.PublishAnswer(opinion_id=found.opinion_id, by=signed.me.by,
                                   command_id=derived_id("portal-publish", found.opinion_id, nonce))  # fmt: skip
        return await send("publish", command, f"/lanh-dao/y-kien/{found.code}")

    return [
        Route("/can-bo/hop-thu", inbox, methods=["GET"]),
        Route(
            "/can-bo/y-kien/{code}",
            opinion_page(Role.AGENCY_OFFICER, "officer_opinion.html.j2"),
            methods=["GET"],
        ),
        Route("/can-bo/y-kien/{code}/tra-loi", answer, methods=["POST"]),
        Route("/lanh-dao/duyet", review, methods=["GET"]),
        Route("/lanh-dao/y-kien/{code}", opinion_page(Role.HEAD, "review_opinion.html.j2"), methods=["GET"]),
        Route("/lanh-dao/y-kien/{code}/tra-lai", return_answer, methods=["POST"]),
        Route("/lanh-dao/y-kien/{code}/cong-bo", publish, methods=["POST"]),
    ]
