"""What the unit's desks share (the secretariat's, the head's conclusions): a checked form post, the
unit's conferences as scheduling lists them, and the 403 for a conference of another unit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from services.portal.adapters.console import Desk
from services.portal.adapters.login import Signed
from services.portal.adapters.security import CSRF_FIELD
from services.portal.adapters.web import Web
from shared.contracts import scheduling_commands as sc
from shared.contracts.portal_commands import Role

Form = dict[str, str]


async def posted(desk: Desk, request: Request, role: Role) -> tuple[Signed, Form, str] | Response:
    """A form post of an official with ``role``, its token checked: the official, the form, the nonce."""
    signed = await desk.guard.require(request, role)
    if isinstance(signed, Response):
        return signed
    form = {k: str(v) for k, v in (await request.form(max_files=0, max_fields=20)).items()}
    nonce = desk.guard.nonce(signed, form.get(CSRF_FIELD))
    if nonce is None:
        return desk.guard.csrf_refused()
    return signed, form, nonce


async def conferences(web: Web, signed: Signed) -> list[dict[str, object]]:
    """Scheduling's conferences of the official's unit (every year), earliest first."""
    listed = await web.bus.scheduling("list", sc.ListConferences(unit=signed.me.scope))
    rows = listed.data if listed.ok and isinstance(listed.data, list) else []
    mine = [r for r in rows if isinstance(r, dict) and r.get("unit_code") == signed.me.scope]
    return sorted(mine, key=lambda r: str(r.get("starts_at", "")))


def find(rows: list[dict[str, object]], conference_id: str) -> dict[str, object] | None:
    """The unit's conference ``conference_id`` among ``rows``, or None when it is another unit's."""
    return next((r for r in rows if str(r.get("conference_id")) == conference_id), None)


def not_yours(web: Web, message: str, back: str, back_text: str) -> Response:
    return web.sentence("Không có quyền", message, 403, "not_your_unit", back=back, back_text=back_text)
