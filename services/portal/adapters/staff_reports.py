"""The unit's dashboard (assignment's agency report) and the secretariat's conference calendar.

The dashboard asks assignment ``assignment.cmd.report`` (``ReportAgencies``, what ``dialogue
report agencies`` prints) for the rows of the official's scope, and shows them with the total
assignment computed for them: an agency officer its agency, a head or the secretariat the agencies
that answer its unit's opinions. The calendar asks scheduling ``scheduling.cmd.list`` and
``scheduling.cmd.compliance``; the plan form sends ``scheduling.cmd.plan``. Another unit or agency named in the address is refused with 403.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from services.portal import queries
from services.portal.adapters.bus import UNAVAILABLE, Unavailable
from services.portal.adapters.console import Desk
from services.portal.adapters.login import Signed
from services.portal.adapters.security import CSRF_FIELD
from services.portal.adapters.web import Web
from services.portal.domain import conference_calendar as cal
from services.portal.domain.dashboard import dashboard, periods
from shared.contracts import assignment_commands as ac
from shared.contracts import scheduling_commands as sc
from shared.contracts.portal_commands import Role
from shared.errors import DomainError
from shared.ids import derived_id

CALENDAR = "/van-phong/lich-hoi-nghi"
DASHBOARD = "/can-bo/bang-dieu-khien"
OTHER_SCOPE = "Ông/bà chỉ xem được số liệu của {what} mình; {name} không thuộc phạm vi tài khoản này."
UNIT_ROLES = {Role.HEAD, Role.SECRETARIAT}


def routes(web: Web, desk: Desk) -> list[Route]:
    def other_scope(what: str, name: str, reason: str) -> Response:
        return web.sentence("Không có quyền", OTHER_SCOPE.format(what=what, name=name[:100]), 403, reason,
                            back=DASHBOARD, back_text="Về bảng theo dõi")  # fmt: skip

    async def scope_of(request: Request, signed: Signed) -> list[str] | Response:
        """The agencies whose rows the official may read (those asked for, when in scope)."""
        me, unit, agency = signed.me, request.query_params.get("don-vi"), request.query_params.get("co-quan")
        if me.role is Role.AGENCY_OFFICER:
            if unit:
                return other_scope("cơ quan", unit, "not_your_unit")
            if agency and agency != me.scope:
                return other_scope("cơ quan", agency, "not_your_agency")
            return [me.scope]
        if unit and unit != me.scope:
            return other_scope("đơn vị", unit, "not_your_unit")
        agencies = list(await queries.agencies_of_unit(web.deps(), me.scope))
        if agency and agency not in agencies:
            return other_scope("đơn vị", agency, "not_your_agency")
        return [agency] if agency else agencies

    async def board(request: Request) -> Response:
        signed = await desk.require(request, {Role.AGENCY_OFFICER, *UNIT_ROLES})
        if isinstance(signed, Response):
            return signed
        scope = await scope_of(request, signed)
        if isinstance(scope, Response):
            return scope
        today = desk.today()
        period = (request.query_params.get("ky") or str(today.year)).strip()[:20]
        try:
            query = ac.ReportAgencies(period=period, as_of=today, agency_codes=scope)
            result = await web.bus.assignment("report", query)
        except Unavailable:
            return web.sentence("Chưa mở được bảng theo dõi", UNAVAILABLE, 503, "temporarily_unavailable")
        if not result.ok or not isinstance(result.data, dict):
            return web.sentence("Không mở được bảng theo dõi", result.message, 400, result.code, back=DASHBOARD,
                                back_text="Về bảng theo dõi")  # fmt: skip
        counts = await queries.open_counts(web.deps(), scope)
        return desk.page("dashboard.html.j2", signed, board=dashboard(result.data, scope, counts),
                         periods=periods(today, period), period=period)  # fmt: skip

    async def calendar(request: Request) -> Response:
        signed = await desk.require(request, UNIT_ROLES)
        if isinstance(signed, Response):
            return signed
        unit = request.query_params.get("don-vi")
        if unit and unit != signed.me.scope:
            return other_scope("đơn vị", unit, "not_your_unit")
        today = desk.today()
        try:
            year = int(request.query_params.get("nam") or today.year)
            query = sc.ListConferences(unit=signed.me.scope, year=year)
        except ValueError:
            return web.sentence("Không mở được lịch", "Năm phải là số từ 2000 đến 2100.", 400, "invalid_year",
                                back=CALENDAR, back_text="Về lịch hội nghị")  # fmt: skip
        try:
            listed = await web.bus.scheduling("list", query)
            checked = await web.bus.scheduling("compliance", sc.CheckCompliance(year=year))
        except Unavailable:
            return web.sentence("Chưa mở được lịch hội nghị", UNAVAILABLE, 503, "temporarily_unavailable")
        if (
            not listed.ok
            or not checked.ok
            or not isinstance(listed.data, list)
            or not isinstance(checked.data, list)
        ):
            refused = checked if listed.ok else listed
            return web.sentence("Không mở được lịch hội nghị", refused.message, 400, refused.code)
        complete, sentence = cal.compliance(checked.data, signed.me.scope, year)
        return desk.page("calendar.html.j2", signed, entries=cal.calendar(listed.data, signed.me.scope), year=year,
                         complete=complete, compliance=sentence, groups=cal.GROUPS, formats=cal.FORMATS,
                         may_plan=signed.me.role is Role.SECRETARIAT, today=today.isoformat())  # fmt: skip

    async def plan(request: Request) -> Response:
        signed = await desk.guard.require(request, Role.SECRETARIAT)
        if isinstance(signed, Response):
            return signed
        form = await request.form(max_files=0, max_fields=40)
        nonce = desk.guard.nonce(signed, str(form.get(CSRF_FIELD) or ""))
        if nonce is None:
            return desk.guard.csrf_refused()
        values = {k: str(v) for k, v in form.items()}
        try:
            fields = cal.plan_fields(values, [str(g) for g in form.getlist("thanh-phan")], signed.me.scope)
            command = sc.PlanConference(
                command_id=derived_id("portal-plan", signed.me.username, nonce), by=signed.me.by, **fields
            )
        except DomainError as exc:
            return web.sentence("Chưa lập được kế hoạch", exc.message, 400, exc.code, back=CALENDAR,
                                back_text="Về lịch hội nghị")  # fmt: skip
        try:
            result = await web.bus.scheduling("plan", command)
        except Unavailable:
            return web.sentence("Chưa gửi được", UNAVAILABLE, 503, "temporarily_unavailable", back=CALENDAR)
        if not result.ok:
            return web.sentence("Không lập được kế hoạch", result.message, 409, result.code, back=CALENDAR,
                                back_text="Về lịch hội nghị")  # fmt: skip
        return RedirectResponse(f"{CALENDAR}?nam={command.starts_at.year}", status_code=303)

    css = web.templates.get_template("staff.css.j2").render().encode()

    async def stylesheet(request: Request) -> Response:
        return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=3600"})

    return [
        Route("/static/staff.css", stylesheet, methods=["GET"]),
        Route(DASHBOARD, board, methods=["GET"]),
        Route(CALENDAR, calendar, methods=["GET"]),
        Route(f"{CALENDAR}/lap-ke-hoach", plan, methods=["POST"]),
    ]
