"""A head signs its unit's conclusions: the conferences held and awaiting their conclusion, each with
the conclusion's legal due date (Law 72/2025 Art. 43: within 10 days) and whether it is late, as
scheduling's ``ListConferences`` reports them, and a form recording the conclusion.

The form's summary and document number or link go to scheduling as ``ConcludeConference`` on
``scheduling.cmd.conclude``, its command id derived from the form's token, so a double submit is one
command; scheduling's refusal is shown as its sentence (409), a form missing a field gets 400, a
conference of another unit 403. The signed conclusion notice (DOCX) is rendered by the operator's CLI
(``dialogue conclusion render``); the portal does not serve it, so the page does not link to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from services.portal.adapters import unit_desk as unit
from services.portal.adapters.bus import UNAVAILABLE, Unavailable
from services.portal.adapters.console import Desk
from services.portal.adapters.web import Web
from shared.contracts import scheduling_commands as sc
from shared.contracts.portal_commands import Role
from shared.errors import DomainError
from shared.ids import derived_id
from shared.timeutil import to_local

PAGE = "/lanh-dao/ket-luan"
BACK = "Về trang kết luận hội nghị"
MISSING = "Vui lòng nhập đủ tóm tắt kết luận và số hoặc đường dẫn văn bản kết luận."
NOT_YOUR_CONFERENCE = (
    "Hội nghị {id} không thuộc đơn vị của ông/bà; ông/bà chỉ kết luận hội nghị của đơn vị mình."
)


def conclusion_fields(form: Mapping[str, str]) -> dict[str, str]:
    """``ConcludeConference``'s summary and document from the form, or the refusal (``DomainError``)."""
    summary, document = form.get("tom-tat", "").strip(), form.get("van-ban", "").strip()
    if not summary or not document:
        raise DomainError("conclusion_incomplete", MISSING)
    return {"summary": summary[:5000], "document": document[:500]}


def _day(iso: object) -> str:
    try:
        return dt.date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def _when(iso: object) -> str:
    try:
        return to_local(dt.datetime.fromisoformat(str(iso))).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return ""


def entry(row: Mapping[str, object]) -> dict[str, object]:
    """One conference of the page: its id, title, start and state, the conclusion's due date and lateness."""
    return {
        "conference_id": str(row.get("conference_id", "")),
        "title": str(row.get("title", "")),
        "when": _when(row.get("starts_at")),
        "state": str(row.get("state", "")),
        "state_label": str(row.get("state_label", "")),
        "due": _day(row.get("conclusion_due")),
        "late": bool(row.get("conclusion_late")),
    }


def routes(web: Web, desk: Desk) -> list[Route]:
    def unavailable() -> Response:
        return web.sentence(
            "Chưa gửi được", UNAVAILABLE, 503, "temporarily_unavailable", back=PAGE, back_text=BACK
        )

    async def page(request: Request) -> Response:
        signed = await desk.guard.require(request, Role.HEAD)
        if isinstance(signed, Response):
            return signed
        try:
            rows = await unit.conferences(web, signed)
        except Unavailable:
            return unavailable()
        waiting = [entry(r) for r in rows if r.get("state") == "held"]
        concluded = [entry(r) for r in rows if r.get("state") in ("concluded", "closed")]
        return desk.page("head_conclusions.html.j2", signed, waiting=waiting, concluded=concluded)

    async def conclude(request: Request) -> Response:
        checked = await unit.posted(desk, request, Role.HEAD)
        if isinstance(checked, Response):
            return checked
        signed, form, nonce = checked
        conference_id = request.path_params["conference_id"]
        try:
            rows = await unit.conferences(web, signed)
        except Unavailable:
            return unavailable()
        if unit.find(rows, conference_id) is None:
            return unit.not_yours(web, NOT_YOUR_CONFERENCE.format(id=conference_id[:100]), PAGE, BACK)
        try:
            fields = conclusion_fields(form)
        except DomainError as exc:
            return web.sentence(
                "Chưa ghi được kết luận", exc.message, 400, exc.code, back=PAGE, back_text=BACK
            )
        command = sc.ConcludeConference(
            conference_id=conference_id,
            command_id=derived_id("portal-conclude", conference_id, nonce),
            by=signed.me.by,
            **fields,
        )
        try:
            result = await web.bus.scheduling("conclude", command)
        except Unavailable:
            return unavailable()
        if not result.ok:
            return web.sentence(
                "Không thực hiện được", result.message, 409, result.code, back=PAGE, back_text=BACK
            )
        return RedirectResponse(PAGE, status_code=303)

    return [
        Route(PAGE, page, methods=["GET"]),
        Route(f"{PAGE}/{{conference_id}}", conclude, methods=["POST"]),
    ]
