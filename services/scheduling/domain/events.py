"""Domain events as plain frozen dataclasses; shared/contracts maps them to the wire contracts.

Every event carries a snapshot of what consumers need (intake checks the conference exists,
notification tells the participants where and when), so no consumer has to call back.
Event ids derive from the command id: a redelivered command re-publishes the same ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from services.scheduling.domain.codec import decode_fields, encode
from services.scheduling.domain.values import (
    Chair,
    ClosingRecord,
    ConferenceFormat,
    ConferenceState,
    ParticipantGroup,
    Trigger,
)
from shared.ids import derived_id

SYSTEM = "system"  # ``by`` of what no person asked for: the reminder sweep's events


def event_id_for(conference_id: str, command_id: str, event_type: str) -> str:
    """The deterministic id of the event ``event_type`` caused by ``command_id``."""
    return derived_id(conference_id, command_id, event_type)


@dataclass(frozen=True, kw_only=True)
class ConferenceEvent:
    event_id: str
    command_id: str
    occurred_at: dt.datetime  # UTC
    version: int  # the aggregate version this event produced
    conference_id: str
    unit_code: str
    level: str
    unit_name: str
    title: str
    state: ConferenceState  # the state after the change
    start: dt.datetime
    end: dt.datetime
    chairs: tuple[Chair, ...]
    participant_groups: tuple[ParticipantGroup, ...]
    format: ConferenceFormat
    venue: str | None
    link: str | None
    # Who gave the command (a person or portal account), SYSTEM for a sweep; None in an event stored
    # before scheduling recorded it.
    by: str | None = None

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"type": self.type}
        doc.update({name: encode(getattr(self, name)) for name in self.__dataclass_fields__})
        return doc


@dataclass(frozen=True, kw_only=True)
class ConferencePlanned(ConferenceEvent):
    co_organisers: tuple[str, ...]
    agenda_topics: tuple[str, ...]
    trigger: Trigger
    voter_request_percent: float | None
    expected_attendance: int | None
    programme_year: int
    overridden_conflicts: tuple[str, ...]  # ids of conferences the operator chose to overlap


@dataclass(frozen=True, kw_only=True)
class ConferenceAnnounced(ConferenceEvent):
    announced_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class ConferenceRescheduled(ConferenceEvent):
    previous_start: dt.datetime
    previous_end: dt.datetime
    overridden_conflicts: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ConferencePostponed(ConferenceEvent):
    reason: str
    postponed_from: ConferenceState


@dataclass(frozen=True, kw_only=True)
class ConferenceHeld(ConferenceEvent):
    held_at: dt.datetime
    conclusion_due: dt.date
    attendee_count: int
    opinion_count: int


@dataclass(frozen=True, kw_only=True)
class ConferenceConcluded(ConferenceEvent):
    concluded_at: dt.datetime
    conclusion_due: dt.date
    late: bool
    conclusion_summary: str
    conclusion_document: str


@dataclass(frozen=True, kw_only=True)
class ConferenceClosed(ConferenceEvent):
    closed_at: dt.datetime
    record: ClosingRecord


@dataclass(frozen=True, kw_only=True)
class ConferenceCancelled(ConferenceEvent):
    reason: str
    cancelled_from: ConferenceState


EVENT_TYPES: dict[str, type[ConferenceEvent]] = {
    cls.__name__: cls
    for cls in (
        ConferencePlanned,
        ConferenceAnnounced,
        ConferenceRescheduled,
        ConferencePostponed,
        ConferenceHeld,
        ConferenceConcluded,
        ConferenceClosed,
        ConferenceCancelled,
    )
}


def event_from_doc(doc: dict[str, Any]) -> ConferenceEvent:
    """The event stored as ``doc`` (the inverse of ``to_doc``)."""
    cls = EVENT_TYPES[doc["type"]]
    return cls(**decode_fields(cls, doc))
