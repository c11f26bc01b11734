"""Read-side answers: show, list, compliance and the report, as plain JSON data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.scheduling.adapters.views import show_data, summary
from services.scheduling.deps import Deps
from services.scheduling.domain import (
    HELD_STATES,
    ConferenceState,
    Unit,
    compliance_gaps,
    conference_report,
    unknown_conference,
)
from shared.contracts.scheduling_commands import (
    CheckCompliance,
    ListConferences,
    ListUnits,
    ReportConferences,
    ShowConference,
)
from shared.errors import DomainError
from shared.refusals import invalid_value
from shared.timeutil import local_date


async def show(deps: Deps, q: ShowConference) -> dict[str, Any]:
    conference, _ = await deps.conferences.load(q.conference_id)
    if conference is None:
        raise unknown_conference(q.conference_id)
    return show_data(conference, deps.clock())


async def list_conferences(deps: Deps, q: ListConferences) -> list[dict[str, Any]]:
    if q.state is not None and q.state not in {s.value for s in ConferenceState}:
        allowed = ", ".join(s.value for s in ConferenceState)
        raise DomainError("unknown_state", f"Không có trạng thái '{q.state}'; hãy chọn một trong: {allowed}.")
    where: dict[str, Any] = {}
    for key, value in (
        ("unit_code", q.unit),
        ("level", q.level),
        ("state", q.state),
        ("programme_year", q.year),
    ):
        if value is not None:
            where[key] = value
    now = deps.clock()
    return [summary(c, now) for c in await deps.conferences.find(where)]


async def compliance(deps: Deps, q: CheckCompliance) -> list[dict[str, Any]]:
    """Units active in the year that held fewer conferences than their yearly minimum."""
    held = await deps.conferences.find({"state": {"$in": [s.value for s in HELD_STATES]}})
    return [
        {
            "unit_code": g.unit.code,
            "unit_name": g.unit.name,
            "level": g.unit.level,
            "required": g.required,
            "held": g.held,
            "missing": g.missing,
        }
        for g in compliance_gaps(deps.units, held, q.year, deps.rules, q.as_of)
    ]


async def report(deps: Deps, q: ReportConferences) -> dict[str, Any]:
    """Counts by level and state over conferences starting in the range (Vietnam dates)."""
    # A day of margin on both sides: the range is in Vietnam dates, the index in UTC.
    low = dt.datetime.combine(q.date_from - dt.timedelta(days=1), dt.time(), dt.UTC).isoformat()
    high = dt.datetime.combine(q.date_to + dt.timedelta(days=2), dt.time(), dt.UTC).isoformat()
    candidates = await deps.conferences.find({"start_utc": {"$gte": low, "$lt": high}})
    result = conference_report(candidates, q.date_from, q.date_to, q.level)
    held = result.by_level(HELD_STATES)
    labels = {code: level.label for code, level in deps.units.levels.items()}
    ranks = {code: level.rank for code, level in deps.units.levels.items()}
    parts = [
        f"{labels.get(lvl, lvl)} {n}" for lvl, n in sorted(held.items(), key=lambda kv: ranks.get(kv[0], 99))
    ]
    now = deps.clock()
    late = [
        c
        for c in candidates
        if (q.level is None or c.level == q.level)
        and q.date_from <= local_date(c.start) <= q.date_to
        and c.is_conclusion_late(now)
    ]
    return {
        "date_from": q.date_from.isoformat(),
        "date_to": q.date_to.isoformat(),
        "level": q.level,
        # Conferences whose conclusion notice was issued after its due date, or is still missing past it.
        "conclusions_late": [
            {"conference_id": c.id, "title": c.title, "conclusion_due": c.conclusion_due.isoformat()}
            for c in sorted(late, key=lambda c: c.start)
            if c.conclusion_due is not None
        ],
        "total": result.total,
        "held_total": sum(held.values()),
        "held_by_level": held,
        "by_level": result.by_level(),
        "by_state": {s.value: n for s, n in result.by_state().items()},
        "rows": [
            {
                **row,
                "level_label": labels.get(str(row["level"]), row["level"]),
                "state_label": ConferenceState(str(row["state"])).label,
            }
            for row in result.as_records()
        ],
        "summary": f"{sum(held.values())} hội nghị: " + ", ".join(parts) if parts else "0 hội nghị",
    }


async def units(deps: Deps, q: ListUnits) -> dict[str, Any]:
    """The unit tree depth first (parents before children), with each unit's depth and validity."""
    tree = deps.units
    levels = sorted(tree.levels.values(), key=lambda level: level.rank)
    if q.level is not None and q.level not in tree.levels:
        raise invalid_value("level", [level.code for level in levels])
    roots = [tree.get(q.under)] if q.under is not None else [u for u in tree if u.parent_code is None]
    rows: list[dict[str, Any]] = []

    def visit(unit: Unit, depth: int) -> None:
        if (q.on is None or unit.active_on(q.on)) and (q.level is None or unit.level == q.level):
            rows.append(
                {
                    "code": unit.code,
                    "name": unit.name,
                    "kind": unit.kind,
                    "level": unit.level,
                    "level_label": tree.levels[unit.level].label,
                    "parent": unit.parent_code,
                    "depth": depth,
                    "valid_from": unit.valid_from.isoformat(),
                    "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
                    "merged_into": unit.merged_into,
                }
            )
        for child in sorted(tree.children(unit.code, q.on), key=lambda c: (c.valid_from, c.code)):
            visit(child, depth + 1)

    for root in sorted(roots, key=lambda r: r.code):
        visit(root, 0)
    return {
        "levels": [
            {
                "code": level.code,
                "label": level.label,
                "rank": level.rank,
                "valid_to": level.valid_to.isoformat() if level.valid_to else None,
            }
            for level in levels
        ],
        "units": rows,
    }
