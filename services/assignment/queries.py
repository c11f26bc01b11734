"""Read-only answers: list, show, triage, the agency report, the conclusion data and the backlog."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from services.assignment.adapters.views import detail, is_overdue, summary
from services.assignment.deps import Deps
from services.assignment.domain import refusals
from services.assignment.domain.assignment import Assignment
from services.assignment.domain.conclusion import item_from_assignment
from services.assignment.domain.reports import (
    AgencyReport,
    format_rate,
    format_rating,
    parse_period,
    reports_with_total,
)
from services.assignment.domain.values import Status
from shared.contracts import assignment_commands as cmd
from shared.timeutil import local_date


async def list_assignments(deps: Deps, c: cmd.ListAssignments) -> list[dict[str, Any]]:
    where: dict[str, Any] = {}
    if c.agency_code:
        deps.config.table.agency(c.agency_code)
        where["agency_code"] = c.agency_code
    if c.status:
        where["status"] = c.status
    if c.conference_id:
        where["opinion.conference_id"] = c.conference_id
    today = local_date(deps.clock())
    rows = [Assignment.from_doc(d) for d in await deps.repo.find(where)]
    if c.overdue:
        rows = [a for a in rows if is_overdue(a, today)]
    return [summary(a, today) for a in rows[: c.limit]]


async def show(deps: Deps, c: cmd.ShowAssignment) -> dict[str, Any]:
    loaded = await deps.repo.get(await deps.repo.resolve(c.opinion_id))
    if loaded is None:
        raise refusals.unknown_opinion(c.opinion_id)
    return detail(loaded[0], deps.clock())


async def triage(deps: Deps, c: cmd.ListTriage) -> list[dict[str, Any]]:
    today = local_date(deps.clock())
    docs = await deps.repo.find({"status": Status.TRIAGE.value})
    return [summary(Assignment.from_doc(d), today) for d in docs]


def _report_row(r: AgencyReport) -> dict[str, Any]:
    return {
        **dataclasses.asdict(r),
        "answered": r.answered,
        "on_time_rate": r.on_time_rate,
        "on_time_rate_text": format_rate(r.on_time_rate),
        "average_rating_text": format_rating(r.average_rating, r.ratings),
    }


async def report(deps: Deps, c: cmd.ReportAgencies) -> dict[str, Any]:
    """The agencies' rows and their total (latency percentiles of all their answers pooled)."""
    period = parse_period(c.period)
    as_of = c.as_of or local_date(deps.clock())
    found = reports_with_total(await deps.repo.find(), period, deps.calendar, as_of, c.agency_codes)
    return {
        "period": c.period,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": as_of.isoformat(),
        "rows": [_report_row(r) for r in found.rows],
        "total": _report_row(found.total),
    }


async def conclusion(deps: Deps, c: cmd.ShowConclusion) -> dict[str, Any]:
    """What the CLI needs to render the conclusion notice: the conference and one item per opinion."""
    conference = await deps.repo.conference(c.conference_id)
    docs = await deps.repo.find({"opinion.conference_id": c.conference_id})
    if conference is None and not docs:
        raise refusals.unknown_conference(c.conference_id)
    items = []
    for doc in docs:
        item = item_from_assignment(Assignment.from_doc(doc))
        row = dataclasses.asdict(item)
        row["outcome"] = item.outcome.value
        row["deadline"] = item.deadline.isoformat() if item.deadline else None
        items.append(row)
    conf: dict[str, Any] = {"conference_id": c.conference_id}
    if conference is not None:
        conf |= {
            "title": conference.title,
            "unit_code": conference.unit_code,
            "unit_name": conference.unit_name,
            "level": conference.level,
            "starts_at": conference.starts_at.isoformat(),
            "ends_at": conference.ends_at.isoformat(),
            "chairs": [{"name": chair.name, "title": chair.title} for chair in conference.chairs],
            "venue": conference.venue or "",
        }
    unit = conf.get("unit_code", "")
    if unit and not conf.get("unit_name") and deps.config.table.has_unit(unit):
        conf["unit_name"] = deps.config.table.unit(unit).name
    return {"conference": conf, "items": items}


async def backlog(deps: Deps) -> tuple[Counter[str], Counter[str]]:
    """Open and overdue assignments per agency, for the gauges the sweep refreshes."""
    today = local_date(deps.clock())
    return await deps.repo.backlog(today, (a.code for a in deps.config.table.agencies))
