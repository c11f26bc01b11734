"""The citizens' pages beyond one opinion: conferences coming up per unit, a search of published answers.

``/lich-hoi-nghi`` lists the units with a public conference, ``/lich-hoi-nghi/<unit>`` a unit's
conferences coming up, ``/tra-loi?linh-vuc=&don-vi=&trang=`` the published answers, newest first,
twenty a page; ``/hoi-nghi/<id>/ket-luan.txt`` downloads a held conference's conclusion and answers.
All read the portal's own store; nothing personal is shown.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.portal.adapters import listings
from services.portal.adapters.web import Web
from services.portal.domain import answers, calendar
from services.portal.domain.conclusion_text import conclusion_text
from shared.errors import DomainError


def routes(web: Web) -> list[Route]:
    async def units(request: Request) -> Response:
        rows = calendar.units(await listings.snapshots(web.deps()), web.deps().clock())
        return web.page("units.html.j2", units=rows)

    async def unit(request: Request) -> Response:
        code = request.path_params["unit_code"]
        snapshots = await listings.snapshots(web.deps())
        known = {r.code: r for r in calendar.units(snapshots, web.deps().clock())}
        if code not in known:
            reason, sentence = calendar.unknown_unit(code)
            return web.sentence(
                "Không có lịch hội nghị", sentence, 404, reason, back="/lich-hoi-nghi", back_text="Các đơn vị"
            )
        rows = calendar.upcoming(snapshots, code, web.deps().clock())
        return web.page("upcoming.html.j2", unit=known[code], rows=rows)

    async def search(request: Request) -> Response:
        deps = web.deps()
        unit_rows = calendar.units(await listings.snapshots(deps), deps.clock())
        unit_names = {u.code: u.name for u in unit_rows}
        fields = [(s.code, s.name) for s in deps.services]
        try:
            wanted = answers.parse(dict(request.query_params), {c for c, _ in fields}, set(unit_names))
        except DomainError as exc:
            return web.sentence("Không tìm được trả lời", exc.message, 400, exc.code, back="/tra-loi",
                                back_text="Tìm lại")  # fmt: skip
        found = await listings.published(deps, wanted)
        page = answers.page_of(wanted, found.docs, found.total, unit_names)
        return web.page("answers.html.j2", p=page, fields=fields, units=unit_rows)

    async def conclusion(request: Request) -> Response:
        conference_id = request.path_params["conference_id"]
        try:
            view = await listings.conference(web.deps(), conference_id)
        except DomainError as exc:
            return web.sentence("Không có thông tin hội nghị", exc.message, 404, exc.code)
        if view.conclusion is None:
            return web.sentence(
                "Chưa có kết luận",
                "Hội nghị này chưa có văn bản kết luận được công bố; vui lòng xem lại sau.",
                404,
                "no_conclusion",
                back=f"/hoi-nghi/{quote(conference_id)}",
                back_text="Trang hội nghị",
            )
        name = f"ket-luan-{quote(conference_id, safe='')}.txt"
        return Response(
            conclusion_text(view),
            media_type="text/plain; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    return [
        Route("/lich-hoi-nghi", units),
        Route("/lich-hoi-nghi/{unit_code}", unit),
        Route("/tra-loi", search),
        Route("/hoi-nghi/{conference_id}/ket-luan.txt", conclusion),
    ]
