"""JSON views of an assignment for command replies and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.state import Result
from services.assignment.domain.values import iso
from shared.timeutil import local_date

DETAIL_FIELDS = (
    "assigned_at",
    "answered_at",
    "published_at",
    "extensions",
    "answer",
    "returned_answers",
    "direct_answer",
    "transfer",
    "pending_extension",
    "pending_reassignment",
    "rating",
    "original_deadline",
)


def is_overdue(a: Assignment, today: dt.date) -> bool:
    return a.is_open and a.deadline is not None and today > a.deadline


def summary(a: Assignment, today: dt.date) -> dict[str, Any]:
    """One row of ``list`` and ``triage``."""
    return {
        "opinion_id": a.opinion_id,
        "tracking_code": a.opinion.tracking_code,
        "status": a.status.value,
        "field": a.opinion.field,
        "level": a.opinion.level,
        "unit_code": a.opinion.unit_code,
        "conference_id": a.opinion.conference_id,
        "summary": a.opinion.summary,
        "agency_code": a.agency.code if a.agency else None,
        "agency_name": a.agency.name if a.agency else None,
        "deadline": iso(a.deadline),
        "overdue": is_overdue(a, today),
        "triage_reason": a.triage_reason,
        # A transfer to the competent level: which level and body (the agency above when it is one).
        "transfer_level": a.transfer.level if a.transfer else None,
        "transfer_body": a.transfer.body if a.transfer else None,
    }


def detail(a: Assignment, now: dt.datetime) -> dict[str, Any]:
    """Everything ``show`` prints, history included (without the stored events)."""
    doc = a.to_doc()
    return {
        **summary(a, local_date(now)),
        **{k: doc[k] for k in DETAIL_FIELDS},
        "history": [{k: v for k, v in h.items() if k != "events"} for h in a.history],
    }


def outcome(a: Assignment, result: Result, now: dt.datetime) -> dict[str, Any]:
    """The reply to a state-changing command."""
    return {
        **summary(a, local_date(now)),
        "duplicate": result.duplicate,
        "events": [e.type for e in result.events],
    }
