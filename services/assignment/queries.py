"""Read-only operator commands: list, show, triage, the agency report and the conclusion data."""

from __future__ import annotations

import dataclasses
from typing import Any

from services.assignment import requests as rq
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.conclusion import item_from_assignment
from services.assignment.domain.reports import agency_reports, format_rate, parse_period
from services.assignment.domain.values import Status
from services.assignment.service import Deps, resolve_opinion, unknown_opinion
from services.assignment.views import detail, is_overdue, summary
from shared.errors import NotFound
from shared.timeutil import local_date


async def list_assignments(deps: Deps, body: Any) -> list[dict[str, Any]]:
    cmd = rq.parse(rq.ListFilter, body)
    where: dict[str, Any] = {}
    if cmd.agency_code:
        deps.config.table.agency(cmd.agency_code)
        where["agency_code"] = cmd.agency_code
    if cmd.status:
        where["status"] = cmd.status
    if cmd.conference_id:
        where["opinion.conference_id"] = cmd.conference_id
    today = local_date(deps.clock())
    rows = [Assignment.from_doc(d) for d in await deps.repo.find(where)]
    if cmd.overdue:
        rows = [a for a in rows if is_overdue(a, today)]
    return [summary(a, today) for a in rows[: cmd.limit]]


async def show(deps: Deps, body: Any) -> dict[str, Any]:
    cmd = rq.parse(rq.OpinionRequest, body)
    loaded = await deps.repo.get(await resolve_opinion(deps, cmd.opinion_id))
    if loaded is None:
        raise unknown_opinion(cmd.opinion_id)
    return detail(loaded[0], deps.clock())


async def triage(deps: Deps, body: Any) -> list[dict[str, Any]]:
    rq.parse(rq.Request, body)
    today = local_date(deps.clock())
    return [
        summary(Assignment.from_doc(d), today) for d in await deps.repo.find({"status": Status.TRIAGE.value})
    ]


async def report(deps: Deps, body: Any) -> dict[str, Any]:
    cmd = rq.parse(rq.ReportRequest, body)
    period = parse_period(cmd.period)
    as_of = cmd.as_of or local_date(deps.clock())
    rows = agency_reports(await deps.repo.find(), period, deps.calendar, as_of)
    return {
        "period": cmd.period,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": as_of.isoformat(),
        "rows": [
            {**dataclasses.asdict(r), "answered": r.answered, "on_time_rate": r.on_time_rate,
             "on_time_rate_text": format_rate(r.on_time_rate)}
            for r in rows
        ],
    }  # fmt: skip


async def conclusion(deps: Deps, body: Any) -> dict[str, Any]:
    """What the CLI needs to render the conclusion notice: the conference and one item per opinion."""
    cmd = rq.parse(rq.ConclusionRequest, body)
    conference = await deps.repo.conference(cmd.conference_id)
    docs = await deps.repo.find({"opinion.conference_id": cmd.conference_id})
    if conference is None and not docs:
        raise NotFound(
            "unknown_conference",
            f"Không có hội nghị «{cmd.conference_id}» hay ý kiến nào của nó ở khâu giao xử lý; "
            "hãy kiểm tra lại mã hội nghị.",
        )
    items = []
    for doc in docs:
        item = item_from_assignment(Assignment.from_doc(doc))
        row = dataclasses.asdict(item)
        row["outcome"] = item.outcome.value
        row["deadline"] = item.deadline.isoformat() if item.deadline else None
        items.append(row)
    conf = {k: v for k, v in (conference or {"_id": cmd.conference_id}).items() if k != "version"}
    conf["conference_id"] = conf.pop("_id")
    unit = conf.get("unit_code", "")
    if unit and deps.config.table.has_unit(unit):
        conf.setdefault("unit_name", deps.config.table.unit(unit).name)
    return {"conference": conf, "items": items}
