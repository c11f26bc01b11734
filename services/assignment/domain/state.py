"""The assignment aggregate's state, its document form and its idempotency bookkeeping.

The commands live in ``assignment.py``; this base keeps what every command shares: recording a
command id with the events it produced, so a redelivered command returns the same events (same
event ids) and changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from services.assignment.domain import refusals
from services.assignment.domain.agencies import TransferTarget
from services.assignment.domain.deadlines import DueAction
from services.assignment.domain.events import Event, event_from_doc
from services.assignment.domain.values import (
    CLOSED_STATES,
    OPEN_STATES,
    AgencyRef,
    Answer,
    OpinionRef,
    PendingRequest,
    Rating,
    Status,
    iso,
    parse_date,
    parse_dt,
)
from shared.ids import derived_id
from shared.timeutil import local_date

E = TypeVar("E", bound=Event)


def text_or_refuse(value: str, what: str) -> str:
    if not value or not value.strip():
        raise refusals.missing_text(what)
    return value.strip()


# History actions recorded by the deadline sweep, not by a person.
SWEEP_ACTIONS = frozenset(action.value for action in DueAction)


@dataclass(frozen=True)
class Result:
    """What a command produced; ``duplicate`` is True when the command id had been applied before."""

    events: tuple[Event, ...]
    duplicate: bool = False


@dataclass
class AssignmentState:
    opinion: OpinionRef
    status: Status
    agency: AgencyRef | None = None
    assigned_at: dt.datetime | None = None
    deadline: dt.date | None = None
    original_deadline: dt.date | None = None
    extensions: int = 0
    pending_extension: PendingRequest | None = None
    pending_reassignment: PendingRequest | None = None
    answer: Answer | None = None
    returned_answers: list[Answer] = field(default_factory=list)
    answered_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    direct_answer: dict[str, str] | None = None
    transfer: TransferTarget | None = None
    triage_reason: str | None = None
    reminder_sent_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    rating: Rating | None = None
    version: int = 0
    applied: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def opinion_id(self) -> str:
        return self.opinion.opinion_id

    @property
    def is_open(self) -> bool:
        """The agency still owes an answer."""
        return self.status in OPEN_STATES

    @property
    def answered_on_time(self) -> bool | None:
        """None until an agency answer exists; a direct answer has no deadline."""
        if self.answered_at is None or self.deadline is None:
            return None
        return local_date(self.answered_at) <= self.deadline

    @property
    def last_action_at(self) -> dt.datetime | None:
        """When the latest action of the history took effect (None before the first).

        The sweep's reminders and escalations do not count: they are stamped with the day they were
        sent, and an answer given before a reminder went out may still be recorded afterwards.
        """
        return max(
            (dt.datetime.fromisoformat(h["at"]) for h in self.history if h["action"] not in SWEEP_ACTIONS),
            default=None,
        )

    def guard_effective(self, at: dt.datetime) -> None:
        """Refuse a command dated before the opinion was received or before the last recorded action.

        A back-recorded command may reach into the past, but a history never goes back in time.
        """
        if at < self.opinion.received_at:
            raise refusals.effective_before_receipt(at, self.opinion.received_at)
        last = self.last_action_at
        if last is not None and at < last:
            raise refusals.effective_before_last_action(at, last)

    def replay(self, command_id: str) -> Result | None:
        """The first result of ``command_id`` when it was applied before (same events, same ids)."""
        if command_id not in self.applied:
            return None
        for entry in self.history:
            if entry["command_id"] == command_id:
                return Result(tuple(event_from_doc(e) for e in entry["events"]), duplicate=True)
        return Result((), duplicate=True)

    def _event(self, cls: type[E], command_id: str, at: dt.datetime, **extra: Any) -> E:
        """An event stamped with the aggregate's current facts and a deterministic id."""
        agency = self.agency
        return cls(
            event_id=derived_id(command_id, cls.__name__),
            occurred_at=at,
            opinion_id=self.opinion.opinion_id,
            tracking_code=self.opinion.tracking_code,
            level=self.opinion.level,
            unit_code=self.opinion.unit_code,
            field=self.opinion.field,
            kind=self.opinion.kind,
            conference_id=self.opinion.conference_id,
            summary=self.opinion.summary,
            agency_code=agency.code if agency else None,
            agency_name=agency.name if agency else None,
            agency_email=agency.email if agency else None,
            deadline=self.deadline,
            received_at=self.opinion.received_at,
            assigned_at=self.assigned_at,
            answered_at=self.answered_at,
            published_at=self.published_at,
            **extra,
        )

    def _record(
        self, command_id: str, action: str, at: dt.datetime, by: str, details: dict[str, Any], *events: Event
    ) -> Result:
        if at.tzinfo is None:
            raise refusals.naive_datetime("at")
        events = tuple(dataclasses.replace(e, by=by) for e in events)  # the events say who did it
        self.version += 1
        self.applied.append(command_id)
        self.history.append(
            {
                "command_id": command_id,
                "action": action,
                "at": at.isoformat(),
                "by": by,
                "status": self.status.value,
                "details": details,
                "events": [e.to_doc() for e in events],
            }
        )
        return Result(tuple(events))

    def _guard_open(self, action: str, agency_code: str | None = None) -> None:
        if self.status in CLOSED_STATES:
            raise refusals.opinion_closed(self.status.value)
        if agency_code is not None and (self.agency is None or self.agency.code != agency_code):
            raise refusals.not_assigned_agency(agency_code, self.agency.code if self.agency else None)
        if self.status not in OPEN_STATES:
            raise refusals.wrong_status(action, self.status.value)

    def to_doc(self) -> dict[str, Any]:
        return {
            "_id": self.opinion.opinion_id,
            "opinion": self.opinion.to_doc(),
            "status": self.status.value,
            "agency": self.agency.to_doc() if self.agency else None,
            "agency_code": self.agency.code if self.agency else None,
            "assigned_at": iso(self.assigned_at),
            "deadline": iso(self.deadline),
            "original_deadline": iso(self.original_deadline),
            "extensions": self.extensions,
            "pending_extension": self.pending_extension.to_doc() if self.pending_extension else None,
            "pending_reassignment": self.pending_reassignment.to_doc() if self.pending_reassignment else None,
            "answer": self.answer.to_doc() if self.answer else None,
            "returned_answers": [a.to_doc() for a in self.returned_answers],
            "answered_at": iso(self.answered_at),
            "published_at": iso(self.published_at),
            "direct_answer": self.direct_answer,
            "transfer": dict(self.transfer.__dict__) if self.transfer else None,
            "triage_reason": self.triage_reason,
            "reminder_sent_at": iso(self.reminder_sent_at),
            "escalated_at": iso(self.escalated_at),
            "rating": self.rating.to_doc() if self.rating else None,
            "version": self.version,
            "applied": list(self.applied),
            "history": [dict(h) for h in self.history],
        }

    @classmethod
    def _fields_from_doc(cls, doc: dict[str, Any]) -> dict[str, Any]:
        def opt(key: str, parse: Any) -> Any:
            return parse(doc[key]) if doc.get(key) is not None else None

        return {
            "opinion": OpinionRef.from_doc(doc["opinion"]),
            "status": Status(doc["status"]),
            "agency": opt("agency", AgencyRef.from_doc),
            "assigned_at": parse_dt(doc.get("assigned_at")),
            "deadline": parse_date(doc.get("deadline")),
            "original_deadline": parse_date(doc.get("original_deadline")),
            "extensions": int(doc.get("extensions", 0)),
            "pending_extension": opt("pending_extension", PendingRequest.from_doc),
            "pending_reassignment": opt("pending_reassignment", PendingRequest.from_doc),
            "answer": opt("answer", Answer.from_doc),
            "returned_answers": [Answer.from_doc(a) for a in doc.get("returned_answers", [])],
            "answered_at": parse_dt(doc.get("answered_at")),
            "published_at": parse_dt(doc.get("published_at")),
            "direct_answer": doc.get("direct_answer"),
            "transfer": opt("transfer", lambda t: TransferTarget(**t)),
            "triage_reason": doc.get("triage_reason"),
            "reminder_sent_at": parse_dt(doc.get("reminder_sent_at")),
            "escalated_at": parse_dt(doc.get("escalated_at")),
            "rating": opt("rating", Rating.from_doc),
            "version": int(doc["version"]),
            "applied": list(doc.get("applied", [])),
            "history": [dict(h) for h in doc.get("history", [])],
        }
