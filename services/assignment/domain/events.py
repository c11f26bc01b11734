"""Domain events as plain frozen dataclasses; handlers map them onto the shared contracts.

Every event carries the opinion's identity, the agency holding it, the deadline and the timestamps
the latency metrics need (received → assigned → answered → published), so no consumer has to look
anything up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Event:
    event_id: str
    occurred_at: dt.datetime
    opinion_id: str
    tracking_code: str
    level: str
    unit_code: str
    field: str
    kind: str
    conference_id: str | None = None
    summary: str = ""
    agency_code: str | None = None
    agency_name: str | None = None
    agency_email: str | None = None
    deadline: dt.date | None = None
    received_at: dt.datetime | None = None
    assigned_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    by: str | None = None  # who gave the command (a person, an account, an agency; "system" for routing)

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            doc[f.name] = value.isoformat() if isinstance(value, dt.date) else value
        return doc


@dataclass(frozen=True, kw_only=True)
class MovedFrom(Event):
    """An event that may take the opinion away from an agency: which one, and why (it is told)."""

    reassigned_from: str | None = None
    reassigned_from_name: str | None = None
    reassigned_from_email: str | None = None
    reassignment_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class OpinionAssigned(MovedFrom):
    transferred: bool = False
    transfer_note: str | None = None


@dataclass(frozen=True, kw_only=True)
class OpinionAnsweredDirectly(Event):
    answer: str
    answered_by: str


@dataclass(frozen=True, kw_only=True)
class OpinionTransferred(MovedFrom):
    target_level: str
    target_body: str
    target_unit: str | None = None
    target_agency: str | None = None


@dataclass(frozen=True, kw_only=True)
class OpinionTriageQueued(MovedFrom):
    reason: str


@dataclass(frozen=True, kw_only=True)
class OpinionAccepted(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class ReassignmentRequested(Event):
    reason: str


@dataclass(frozen=True, kw_only=True)
class AnswerSubmitted(Event):
    document_number: str
    document_date: dt.date
    answer_summary: str
    attachment_ref: str | None = None
    on_time: bool


@dataclass(frozen=True, kw_only=True)
class AnswerReturned(Event):
    reason: str


@dataclass(frozen=True, kw_only=True)
class AnswerPublished(Event):
    on_time: bool
    document_number: str = ""
    document_date: dt.date | None = None
    answer_summary: str = ""
    attachment_ref: str | None = None


@dataclass(frozen=True, kw_only=True)
class ExtensionRequested(Event):
    requested_deadline: dt.date
    reason: str


@dataclass(frozen=True, kw_only=True)
class DeadlineExtended(Event):
    previous_deadline: dt.date
    reason: str


@dataclass(frozen=True, kw_only=True)
class ExtensionRefused(Event):
    requested_deadline: dt.date
    reason: str


@dataclass(frozen=True, kw_only=True)
class DeadlineApproaching(Event):
    working_days_left: int


@dataclass(frozen=True, kw_only=True)
class OpinionOverdue(Event):
    head_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class AnswerRated(Event):
    stars: int
    comment: str = ""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        OpinionAssigned,
        OpinionAnsweredDirectly,
        OpinionTransferred,
        OpinionTriageQueued,
        OpinionAccepted,
        ReassignmentRequested,
        AnswerSubmitted,
        AnswerReturned,
        AnswerPublished,
        ExtensionRequested,
        DeadlineExtended,
        ExtensionRefused,
        DeadlineApproaching,
        OpinionOverdue,
        AnswerRated,
    )
}


def _parse(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    options = typing.get_args(hint) or (hint,)
    if dt.datetime in options:
        return dt.datetime.fromisoformat(value)
    if dt.date in options:
        return dt.date.fromisoformat(value)
    return value


def event_from_doc(doc: dict[str, Any]) -> Event:
    """Rebuild an event stored with ``Event.to_doc`` (used to replay a duplicate command's outcome)."""
    cls = EVENT_TYPES[doc["type"]]
    hints = typing.get_type_hints(cls)
    kwargs = {
        f.name: _parse(doc.get(f.name), hints[f.name]) for f in dataclasses.fields(cls) if f.name in doc
    }
    return cls(**kwargs)
