"""Read-side handlers: show, list, compliance and the report, as plain JSON data."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.domain import (
    HELD_STATES,
    Conference,
    ConferenceState,
    SchedulingRules,
    UnitTree,
    compliance_gaps,
    conference_report,
)
from services.scheduling.domain.codec import encode
from services.scheduling.handlers import unknown_conference
from shared.errors import DomainError


class _Query(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


Q = TypeVar("Q", bound=_Query)


class ListQuery(_Query):
    unit: str | None = None
    level: str | None = None
    state: str | None = None
    year: int | None = None


class ComplianceQuery(_Query):
    year: int
    as_of: dt.date | None = None


class ReportQuery(_Query):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    level: str | None = None


def _parse(model: type[Q], body: object) -> Q:
    try:
        return model.model_validate(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        raise DomainError(
            "invalid_query", f"Tham số '{loc}' thiếu hoặc không hợp lệ ({first.get('msg')}); hãy sửa lại."
        ) from exc


def summary(c: Conference, now: dt.datetime) -> dict[str, Any]:
    """One line of a listing; ``level`` and ``unit_code`` at the top (intake reads them)."""
    return {
        "conference_id": c.id,
        "title": c.title,
        "unit_code": c.unit_code,
        "unit_name": c.unit_name,
        "level": c.level,
        "state": c.state.value,
        "state_label": c.state.label,
        "starts_at": c.start.isoformat(),
        "ends_at": c.end.isoformat(),
        "programme_year": c.details.year(),
        "conclusion_due": encode(c.conclusion_due),
        "conclusion_late": c.is_conclusion_late(now),
    }


def show_data(c: Conference, now: dt.datetime) -> dict[str, Any]:
    d = c.details
    data = summary(c, now)
    data.update(
        chairs=[ch.to_doc() for ch in d.chairs],
        participant_groups=[g.value for g in d.participant_groups],
        format=d.format.value, venue=d.venue, link=d.link,
        co_organisers=list(d.co_organisers), agenda_topics=list(d.agenda_topics),
        trigger=d.trigger.value, voter_request_percent=d.voter_request_percent,
        expected_attendance=d.expected_attendance, version=c.version, reason=c.reason,
        postponed_from=encode(c.postponed_from), overridden_conflicts=list(c.overridden_conflicts),
        announced_at=encode(c.announced_at), held_at=encode(c.held_at),
        concluded_at=encode(c.concluded_at), closed_at=encode(c.closed_at),
        cancelled_at=encode(c.cancelled_at), record=c.record.to_doc(),
        allowed_actions=[a.value for a in c.allowed_actions()],
    )  # fmt: skip
    return data


async def show(repo: ConferenceRepository, body: object, now: dt.datetime) -> dict[str, Any]:
    conference_id = str(body.get("conference_id", "")) if isinstance(body, dict) else ""
    conference, _ = await repo.load(conference_id)
    if conference is None:
        raise unknown_conference(conference_id)
    return show_data(conference, now)


async def list_conferences(
    repo: ConferenceRepository, body: object, now: dt.datetime
) -> list[dict[str, Any]]:
    q = _parse(ListQuery, body)
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
    return [summary(c, now) for c in await repo.find(where)]


async def compliance(
    repo: ConferenceRepository, units: UnitTree, rules: SchedulingRules, body: object
) -> list[dict[str, Any]]:
    """Units active in the year that held fewer conferences than their yearly minimum."""
    q = _parse(ComplianceQuery, body)
    held = await repo.find({"state": {"$in": [s.value for s in HELD_STATES]}})
    return [
        {"unit_code": g.unit.code, "unit_name": g.unit.name, "level": g.unit.level,
         "required": g.required, "held": g.held, "missing": g.missing}
        for g in compliance_gaps(units, held, q.year, rules, q.as_of)
    ]  # fmt: skip


async def report(repo: ConferenceRepository, units: UnitTree, body: object) -> dict[str, Any]:
    """Counts by level and state over conferences starting in the range (Vietnam dates)."""
    q = _parse(ReportQuery, body)
    # A day of margin on both sides: the range is in Vietnam dates, the index in UTC.
    low = dt.datetime.combine(q.date_from - dt.timedelta(days=1), dt.time(), dt.UTC).isoformat()
    high = dt.datetime.combine(q.date_to + dt.timedelta(days=2), dt.time(), dt.UTC).isoformat()
    candidates = await repo.find({"start_utc": {"$gte": low, "$lt": high}})
    result = conference_report(candidates, q.date_from, q.date_to, q.level)
    held = result.by_level(HELD_STATES)
    labels = {code: level.label for code, level in units.levels.items()}
    ranks = {code: level.rank for code, level in units.levels.items()}
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
