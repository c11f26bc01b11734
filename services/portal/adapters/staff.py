"""The officials' requests and the head's decisions on them, and the unit's dashboard and calendar.

An agency officer asks, from the opinion's page, for a later deadline (``RequestExtension``) or for
the opinion to go to another agency (``RequestReassignment``); the head's queue lists what waits,
and the head approves or refuses the extension (``ApproveExtension``, ``RefuseExtension``) or gives
the opinion to the agency it chooses (``ReassignOpinion``). Assignment checks the deadline rules
(later than the current deadline, within the province's limit and number of extensions) and
answers a refusal with its sentence, which the page shows. The dashboard and the calendar are in
``adapters.staff_reports``.
"""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response
from starlette.routing import Route

from services.portal.adapters import head_conclusions, secretariat, staff_reports
from services.portal.adapters.console import Acting, Desk
from services.portal.adapters.login import Guard
from services.portal.adapters.web import Web
from shared.contracts import assignment_commands as ac
from shared.contracts.portal_commands import Role
from shared.ids import derived_id

EXTENSION_MISSING = (
    "Vui lòng chọn hạn trả lời mới (năm-tháng-ngày) và ghi lý do cần thêm thời gian để lãnh đạo xem xét."
)
TRANSFER_MISSING = "Vui lòng ghi lý do ý kiến không thuộc thẩm quyền của cơ quan để lãnh đạo giao lại."
REFUSAL_MISSING = "Vui lòng ghi lý do không đồng ý gia hạn để cơ quan biết."
AGENCY_MISSING = "Vui lòng chọn hoặc nhập mã cơ quan sẽ nhận ý kiến."


def routes(web: Web, guard: Guard) -> list[Route]:
    desk = Desk(web, guard)

    async def request_extension(acted: Acting) -> Response:
        signed, found, form, nonce = acted
        back = f"/can-bo/y-kien/{found.code}"
        reason = form.get("ly-do-gia-han", "").strip()
        try:
            until = dt.date.fromisoformat(form.get("han-moi", "").strip())
        except ValueError:
            until = None
        if until is None or not reason:
            return desk.refused(
                "Chưa gửi được đề nghị gia hạn", EXTENSION_MISSING, "extension_incomplete", back
            )
        command = ac.RequestExtension(
            opinion_id=found.opinion_id, by=signed.me.by, agency_code=signed.me.scope, new_deadline=until,
            reason=reason[:2000], command_id=derived_id("portal-extension", found.opinion_id, nonce),
        )  # fmt: skip
        return await desk.send("request-extension", command, back)

    async def request_reassignment(acted: Acting) -> Response:
        signed, found, form, nonce = acted
        back = f"/can-bo/y-kien/{found.code}"
        reason = form.get("ly-do-chuyen", "").strip()
        if not reason:
            return desk.refused("Chưa gửi được đề nghị", TRANSFER_MISSING, "reason_required", back)
        command = ac.RequestReassignment(
            opinion_id=found.opinion_id, by=signed.me.by, agency_code=signed.me.scope, reason=reason[:2000],
            command_id=derived_id("portal-reassignment-request", found.opinion_id, nonce),
        )  # fmt: skip
        return await desk.send("request-reassignment", command, back)

    async def approve_extension(acted: Acting) -> Response:
        signed, found, _, nonce = acted
        command = ac.ApproveExtension(opinion_id=found.opinion_id, by=signed.me.by,
                                      command_id=derived_id("portal-approve-extension", found.opinion_id, nonce))  # fmt: skip
        return await desk.send("approve-extension", command, f"/lanh-dao/y-kien/{found.code}")

    async def refuse_extension(acted: Acting) -> Response:
        signed, found, form, nonce = acted
        back = f"/lanh-dao/y-kien/{found.code}"
        reason = form.get("ly-do-tu-choi", "").strip()
        if not reason:
            return desk.refused("Chưa gửi được quyết định", REFUSAL_MISSING, "reason_required", back)
        command = ac.RefuseExtension(opinion_id=found.opinion_id, by=signed.me.by, reason=reason[:2000],
                                     command_id=derived_id("portal-refuse-extension", found.opinion_id, nonce))  # fmt: skip
        return await desk.send("refuse-extension", command, back)

    async def reassign(acted: Acting) -> Response:
        signed, found, form, nonce = acted
        back = f"/lanh-dao/y-kien/{found.code}"
        agency = form.get("co-quan", "").strip().lower()
        if not agency:
            return desk.refused("Chưa giao lại được", AGENCY_MISSING, "agency_required", back)
        command = ac.ReassignOpinion(
            opinion_id=found.opinion_id, by=signed.me.by, agency_code=agency[:100],
            reason=form.get("ly-do-giao-lai", "").strip()[:2000],
            command_id=derived_id("portal-reassign", found.opinion_id, nonce),
        )  # fmt: skip
        return await desk.send("reassign", command, back)

    return [
        Route(
            "/can-bo/y-kien/{code}/gia-han",
            desk.action(Role.AGENCY_OFFICER, request_extension),
            methods=["POST"],
        ),
        Route(
            "/can-bo/y-kien/{code}/de-nghi-chuyen",
            desk.action(Role.AGENCY_OFFICER, request_reassignment),
            methods=["POST"],
        ),
        Route(
            "/lanh-dao/y-kien/{code}/dong-y-gia-han",
            desk.action(Role.HEAD, approve_extension),
            methods=["POST"],
        ),
        Route(
            "/lanh-dao/y-kien/{code}/tu-choi-gia-han",
            desk.action(Role.HEAD, refuse_extension),
            methods=["POST"],
        ),
        Route("/lanh-dao/y-kien/{code}/giao-lai", desk.action(Role.HEAD, reassign), methods=["POST"]),
        *staff_reports.routes(web, desk),
        *secretariat.routes(web, desk),
        *head_conclusions.routes(web, desk),
    ]
