"""Read-side answers: show, list, compliance and the report, as plain JSON data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.scheduling.adapters.views import show_data, summary
from services.scheduling.deps import Deps
from services.scheduling.domain import (
    HELD_STATES,
    ConferenceState,
    compliance_gaps,
    conference_report,
    unknown_conference,
)
from shared.contracts.scheduling_commands import (
    CheckCompliance,
    ListConferences,
    ReportConferences,
    ShowConference,
)
from shared.errors import DomainError


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
    return {
        "date_from": q.date_from.isoformat(),
        "date_to": q.date_to.isoformat(),
        "level": q.level,
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
