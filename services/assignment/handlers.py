"""Assignment handlers: route each classified opinion to the agency that must answer it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shared.contracts.assignment import OpinionAssigned
from shared.contracts.base import Event
from shared.contracts.intake import OpinionClassified
from shared.outbox import record, replay
from shared.storage import DocumentStore
from shared.timeutil import local_date
from shared.workdays import default_calendar

ASSIGNMENTS = "assignments"

ROUTES = {
    "culture_relics": ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "svhttdl@example.gov.vn"),
    "land": ("SNNMT", "Sở Nông nghiệp và Môi trường", "snnmt@example.gov.vn"),
    "labour_jobs": ("SNV", "Sở Nội vụ", "snv@example.gov.vn"),
}


async def route_opinion(store: DocumentStore, event: OpinionClassified, now: dt.datetime) -> list[Event]:
    """Assign a classified opinion to its agency with a 15-working-day deadline (slice version)."""
    existing = await store.get(ASSIGNMENTS, event.opinion_id)
    done = replay(existing, event.event_id)
    if done is not None:
        return done
    route = ROUTES.get(event.field)
    if route is None:
        return []
    code, name, email = route
    deadline = default_calendar().add_working_days(local_date(now), 15)
    assigned = event.caused(
        OpinionAssigned, opinion_id=event.opinion_id, tracking_code=event.tracking_code, agency_code=code,
        agency_name=name, agency_email=email, field=event.field, level=event.level, deadline=deadline,
        summary=event.summary, received_at=event.received_at, assigned_at=now,
    )  # fmt: skip
    doc: dict[str, Any] = {
        "_id": event.opinion_id, "version": 1, "state": "assigned", "agency_code": code,
        "deadline": deadline.isoformat(), "field": event.field,
    }  # fmt: skip
    record(doc, event.event_id, [assigned])
    await store.save(ASSIGNMENTS, doc)
    return [assigned]
