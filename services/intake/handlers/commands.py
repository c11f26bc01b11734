"""Operator commands of intake (``intake.cmd.<verb>``): each takes the request body as a dict."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.intake import domain as d
from services.intake import mapping
from services.intake.adapters.repository import Stored
from services.intake.handlers import reports, views
from services.intake.handlers.context import IntakeContext
from services.intake.handlers.submissions import Submitted, record, validated
from services.intake.settings import DESK_SOURCE
from shared.contracts.base import Event, derived_id
from shared.errors import DomainError, NotFound

_STATUSES = ("classified", "reclassified", "unclassified")
_LIST_LIMIT = 500


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _names(ctx: IntakeContext) -> dict[str, str]:
    return dict(ctx.rules.names())


async def submit_desk(
    ctx: IntakeContext, body: dict[str, Any], now: dt.datetime
) -> tuple[Submitted, dict[str, Any]]:
    """An opinion entered at the conference desk, a written petition or a hotline call (source 'desk')."""
    command, conference = await validated(ctx, body, DESK_SOURCE, frozenset({DESK_SOURCE}))
    result = await record(ctx, command, conference, now)
    assert result.opinion is not None
    return result, {**views.summary(result.opinion, _names(ctx)), "duplicate": not result.new,
                    "acknowledgement_due": result.opinion.acknowledgement_due.isoformat()}  # fmt: skip


async def _load(ctx: IntakeContext, body: dict[str, Any]) -> Stored:
    """The opinion named by ``opinion_id``, ``tracking_code`` or ``id`` (either of the two)."""
    key = _text(body, "opinion_id") or _text(body, "tracking_code") or _text(body, "id")
    if key is None:
        raise DomainError(
            "missing_field", "Cần cho biết mã ý kiến hoặc mã theo dõi; vui lòng bổ sung rồi thử lại."
        )
    stored = await ctx.repo.get(key)
    if stored is None and key.upper().startswith("DT"):
        stored = await ctx.repo.by_tracking_code(d.validate_tracking_code(key))
    if stored is None:
        raise NotFound("unknown_opinion", f"Không tìm thấy ý kiến “{key[:60]}”; kiểm tra lại mã rồi thử lại.")
    return stored


async def show(ctx: IntakeContext, body: dict[str, Any]) -> dict[str, Any]:
    return views.detail((await _load(ctx, body)).opinion, _names(ctx))


async def track(ctx: IntakeContext, body: dict[str, Any]) -> dict[str, Any]:
    """Public status by tracking code only (an opinion id is not something a citizen holds)."""
    code = d.validate_tracking_code(_text(body, "tracking_code") or "")
    stored = await ctx.repo.by_tracking_code(code)
    if stored is None:
        raise NotFound(
            "unknown_tracking_code", f"Không có ý kiến nào mang mã theo dõi {code}; vui lòng kiểm tra lại mã."
        )
    return views.public(stored.opinion, _names(ctx))


async def list_opinions(ctx: IntakeContext, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Filters: ``conference_id``, ``field``, ``status`` (classified, reclassified, unclassified)."""
    where: dict[str, Any] = {}
    if conference := _text(body, "conference_id"):
        where["conference_id"] = conference
    if field := _text(body, "field"):
        where["field"] = ctx.rules.require(field)
    status = _text(body, "status")
    if status is not None and status not in _STATUSES:
        raise DomainError(
            "invalid_value",
            f"Trạng thái “{status[:40]}” không hợp lệ; chọn một trong: {', '.join(_STATUSES)}.",
        )
    limit = body.get("limit")
    limit = limit if isinstance(limit, int) and 0 < limit <= _LIST_LIMIT else _LIST_LIMIT
    opinions = await ctx.repo.find(where)
    names = _names(ctx)
    rows = [views.summary(o, names) for o in opinions if status is None or views.status_of(o) == status]
    return rows[:limit]


async def reclassify(
    ctx: IntakeContext, body: dict[str, Any], now: dt.datetime
) -> tuple[list[Event], dict[str, Any]]:
    """Move an opinion to another field; the same ``command_id`` again re-publishes the same event."""
    stored = await _load(ctx, body)
    field = _text(body, "field") or ""
    command_id = _text(body, "command_id") or derived_id(
        "reclassify", stored.opinion.id, field, now.isoformat()
    )
    cause = f"reclassify:{command_id}"
    events = stored.replay(cause)
    if events is None:
        domain_events = stored.opinion.reclassify(
            field, by=_text(body, "by") or "", reason=_text(body, "reason") or "", at=now,
            command_id=cause, rules=ctx.rules,
        )  # fmt: skip
        opinion = stored.opinion
        conference = await ctx.conferences(opinion.conference_id) if opinion.conference_id else None
        events = mapping.to_contracts(domain_events, stored.opinion, conference)
        if events:  # none when the domain already applied it and the outbox forgot it
            await ctx.repo.save(stored, cause, events)
    return events, views.detail(stored.opinion, _names(ctx))


async def report(ctx: IntakeContext, body: dict[str, Any]) -> dict[str, Any]:
    """By field and topic: ``conference_id``, or ``from`` and ``to`` (Vietnam dates, YYYY-MM-DD)."""
    if conference := _text(body, "conference_id"):
        opinions = await ctx.repo.find({"conference_id": conference})
        return reports.build_report(opinions, _names(ctx), {"conference_id": conference})
    try:
        start = dt.date.fromisoformat(_text(body, "from") or "")
        end = dt.date.fromisoformat(_text(body, "to") or "")
    except ValueError:
        raise DomainError(
            "invalid_period", "Cần cho biết mã hội nghị, hoặc khoảng thời gian từ ngày đến ngày (YYYY-MM-DD)."
        ) from None
    if end < start:
        raise DomainError(
            "invalid_period", "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu; vui lòng kiểm tra lại."
        )
    low, high = reports.utc_bounds(start, end)
    opinions = await ctx.repo.find({"received_at": {"$gte": low, "$lt": high}})
    return reports.build_report(opinions, _names(ctx), {"from": start.isoformat(), "to": end.isoformat()})
