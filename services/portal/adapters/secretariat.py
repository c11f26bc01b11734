"""The secretariat's desk: it records an opinion raised at its unit's conference, announces and holds it.

The opinion goes to intake as ``SubmitDeskOpinion`` on ``intake.cmd.submit``, with an external id
derived from the form's token, so a double submit is one opinion; the page shows intake's tracking
code, or intake's refusal. The calendar's buttons send scheduling's ``AnnounceConference`` and
``HoldConference`` (``scheduling.cmd.announce|hold``), their command ids derived from the token too
and ``by`` naming the account, so the events say who; scheduling's refusal is shown as its sentence.
Every conference named in a form or an address is checked against scheduling's list of the
secretariat's unit first: another unit's is refused with 403.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from services.portal.adapters import unit_desk as unit
from services.portal.adapters.bus import UNAVAILABLE, Unavailable
from services.portal.adapters.console import Desk
from services.portal.adapters.login import Signed
from services.portal.adapters.web import Web
from services.portal.domain import secretariat as sec
from shared.contracts import intake_commands as ic
from shared.contracts import scheduling_commands as sc
from shared.contracts.base import CommandResult
from shared.contracts.portal_commands import Role
from shared.errors import DomainError
from shared.ids import derived_id

CALENDAR = "/van-phong/lich-hoi-nghi"
RECORD = "/van-phong/ghi-y-kien"
NOT_YOUR_CONFERENCE = "Hội nghị {id} không thuộc đơn vị của ông/bà; ông/bà chỉ ghi ý kiến và điều hành hội nghị của đơn vị mình."
Form = unit.Form


def routes(web: Web, desk: Desk) -> list[Route]:
    def unavailable() -> Response:
        return web.sentence("Chưa gửi được", UNAVAILABLE, 503, "temporarily_unavailable", back=CALENDAR,
                            back_text="Về lịch hội nghị")  # fmt: skip

    async def conferences(signed: Signed) -> list[dict[str, object]]:
        return await unit.conferences(web, signed)

    def not_yours(conference_id: str) -> Response:
        return unit.not_yours(
            web, NOT_YOUR_CONFERENCE.format(id=conference_id[:100]), CALENDAR, "Về lịch hội nghị"
        )

    async def posted(request: Request) -> tuple[Signed, Form, str] | Response:
        """A secretariat's form post with its token checked."""
        return await unit.posted(desk, request, Role.SECRETARIAT)

    async def record_form(request: Request) -> Response:
        signed = await desk.guard.require(request, Role.SECRETARIAT)
        if isinstance(signed, Response):
            return signed
        chosen = request.query_params.get("hoi-nghi", "")
        try:
            rows = await conferences(signed)
        except Unavailable:
            return unavailable()
        if chosen and chosen not in {str(r.get("conference_id")) for r in rows}:
            return not_yours(chosen)
        live = [r for r in rows if r.get("state") != "cancelled"]
        return desk.page("record_opinion.html.j2", signed, conferences=live, chosen=chosen, kinds=sec.KINDS,
                         channels=sec.CHANNELS, roles=sec.ROLES)  # fmt: skip

    async def record(request: Request) -> Response:
        checked = await posted(request)
        if isinstance(checked, Response):
            return checked
        signed, form, nonce = checked
        try:
            fields = sec.opinion_fields(form)
            command = ic.SubmitDeskOpinion(
                external_id=derived_id("portal-desk", signed.me.username, nonce), **fields
            )
            rows = await conferences(signed)
        except (DomainError, ValidationError) as exc:
            message = exc.message if isinstance(exc, DomainError) else sec.OPINION_MISSING
            code = exc.code if isinstance(exc, DomainError) else "opinion_invalid"
            return web.sentence("Chưa ghi được ý kiến", message, 400, code, back=RECORD,
                                back_text="Về biểu mẫu ghi ý kiến")  # fmt: skip
        except Unavailable:
            return unavailable()
        if fields["conference_id"] not in {str(r.get("conference_id")) for r in rows}:
            return not_yours(fields["conference_id"])
        try:
            result = await web.bus.intake("submit", command)
        except Unavailable:
            return unavailable()
        if not result.ok or not isinstance(result.data, dict):
            return web.sentence("Không ghi được ý kiến", result.message, 400, result.code, back=RECORD,
                                back_text="Về biểu mẫu ghi ý kiến")  # fmt: skip
        return desk.page("opinion_recorded.html.j2", signed, recorded=result.data,
                         conference_id=fields["conference_id"])  # fmt: skip

    async def change(
        request: Request, verb: str, send: Callable[[sc.ConferenceCommand], Awaitable[CommandResult]]
    ) -> Response:
        checked = await posted(request)
        if isinstance(checked, Response):
            return checked
        signed, form, nonce = checked
        conference_id = request.path_params["conference_id"]
        try:
            rows = await conferences(signed)
        except Unavailable:
            return unavailable()
        found = unit.find(rows, conference_id)
        if found is None:
            return not_yours(conference_id)
        command_id = derived_id(f"portal-{verb}", conference_id, nonce)
        command: sc.ConferenceCommand
        try:
            if verb == "hold":
                command = sc.HoldConference(conference_id=conference_id, command_id=command_id,
                                            by=signed.me.by, **sec.hold_fields(form))  # fmt: skip
            else:
                command = sc.AnnounceConference(conference_id=conference_id, command_id=command_id,
                                                by=signed.me.by)  # fmt: skip
        except DomainError as exc:
            return web.sentence("Chưa ghi nhận được", exc.message, 400, exc.code, back=CALENDAR,
                                back_text="Về lịch hội nghị")  # fmt: skip
        try:
            result = await send(command)
        except Unavailable:
            return unavailable()
        if not result.ok:
            return web.sentence("Không thực hiện được", result.message, 409, result.code, back=CALENDAR,
                                back_text="Về lịch hội nghị")  # fmt: skip
        return RedirectResponse(f"{CALENDAR}?nam={str(found.get('starts_at', ''))[:4]}", status_code=303)

    async def announce(request: Request) -> Response:
        return await change(request, "announce", lambda command: web.bus.scheduling("announce", command))

    async def hold(request: Request) -> Response:
        return await change(request, "hold", lambda command: web.bus.scheduling("hold", command))

    return [
        Route(RECORD, record_form, methods=["GET"]),
        Route(RECORD, record, methods=["POST"]),
        Route(f"{CALENDAR}/{{conference_id}}/cong-bo", announce, methods=["POST"]),
        Route(f"{CALENDAR}/{{conference_id}}/to-chuc", hold, methods=["POST"]),
    ]
