"""Read-only answers of intake to operators (list, show, report) and citizens (track)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.intake import domain as d
from services.intake.adapters import views
from services.intake.adapters.repository import Stored
from services.intake.deps import Deps
from shared.contracts.base import CommandResult
from shared.contracts.intake_commands import (
    ListOpinions,
    ReclassifyOpinion,
    ReportOpinions,
    ShowOpinion,
)
from shared.errors import DomainError, NotFound

_LIST_LIMIT = 500


def _text(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None


def _names(deps: Deps) -> dict[str, str]:
    return dict(deps.rules.names())


async def opinion_named(deps: Deps, body: ShowOpinion | ReclassifyOpinion) -> Stored:
    """The opinion named by ``opinion_id``, ``tracking_code`` or ``id`` (either of the two)."""
    key = _text(body.opinion_id) or _text(body.tracking_code) or _text(body.id)
    if key is None:
        raise DomainError(
            "missing_field", "Cần cho biết mã ý kiến hoặc mã theo dõi; vui lòng bổ sung rồi thử lại."
        )
    stored = await deps.repo.get(key)
    if stored is None and key.upper().startswith("DT"):
        stored = await deps.repo.by_tracking_code(d.validate_tracking_code(key))
    if stored is None:
        raise NotFound("unknown_opinion", f"Không tìm thấy ý kiến “{key[:60]}”; kiểm tra lại mã rồi thử lại.")
    return stored


async def show(deps: Deps, body: ShowOpinion) -> dict[str, Any]:
    """The full record of one opinion, for operators (the CLI masks the phone)."""
    return views.detail((await opinion_named(deps, body)).opinion, _names(deps))


async def list_opinions(deps: Deps, body: ListOpinions) -> list[dict[str, Any]]:
    """Opinions filtered by conference, field and status."""
    where: dict[str, Any] = {}
    if conference := _text(body.conference_id):
        where["conference_id"] = conference
    if field := _text(body.field):
        where["field"] = deps.rules.require(field)
    limit = body.limit if body.limit is not None and 0 < body.limit <= _LIST_LIMIT else _LIST_LIMIT
    names = _names(deps)
    rows = [
        views.summary(o, names)
        for o in await deps.repo.find(where)
        if body.status is None or views.status_of(o) == body.status
    ]
    return rows[:limit]


async def report(deps: Deps, body: ReportOpinions) -> dict[str, Any]:
    """By field and topic: a conference, or ``from`` and ``to`` (Vietnam dates, YYYY-MM-DD)."""
    if conference := _text(body.conference_id):
        opinions = await deps.repo.find({"conference_id": conference})
        return d.build_report(opinions, _names(deps), {"conference_id": conference})
    try:
        start = dt.date.fromisoformat(_text(body.start) or "")
        end = dt.date.fromisoformat(_text(body.end) or "")
    except ValueError:
        raise DomainError(
            "invalid_period", "Cần cho biết mã hội nghị, hoặc khoảng thời gian từ ngày đến ngày (YYYY-MM-DD)."
        ) from None
    if end < start:
        raise DomainError(
            "invalid_period", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu; vui lòng kiểm tra lại."
        )
    low, high = d.utc_bounds(start, end)
    opinions = await deps.repo.find({"received_at": {"$gte": low, "$lt": high}})
    return d.build_report(opinions, _names(deps), {"from": start.isoformat(), "to": end.isoformat()})


async def report_reply(deps: Deps, body: ReportOpinions) -> CommandResult:
    """``intake.cmd.report``: the report, with its one-sentence summary as the reply's message."""
    data = await report(deps, body)
    return CommandResult(ok=True, message=str(data["sentence"]), data=data)
