"""Domain events of intake, as plain data; the contracts in ``shared/contracts/intake.py`` share
their class and field names (``shared.contract_mapping``).

Event ids are derived from the opinion and the command that caused the event, so a redelivered
command re-publishes the same id and JetStream drops the copy (``Nats-Msg-Id``).

Privacy: no event carries a phone number, an ID number or an e-mail address, except
``AcknowledgementDue``, which carries the contact the citizen chose, and only with consent: the
notification service needs it to deliver the acknowledgement. Content is redacted before it leaves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from shared.subjects import Intake

__all__ = [
    "AcknowledgementDue",
    "DomainEvent",
    "OpinionClassified",
    "OpinionGrouped",
    "OpinionReceived",
    "OpinionReclassified",
    "OpinionRejected",
    "event_to_doc",
]


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Common envelope: id, instant (UTC) and the subject it is published on."""

    subject: ClassVar[str]
    event_id: str
    occurred_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class OpinionReceived(DomainEvent):
    """An opinion was recorded and given a tracking code."""

    subject: ClassVar[str] = Intake.OPINION_RECEIVED
    opinion_id: str
    tracking_code: str
    conference_id: str | None
    unit_code: str | None
    kind: str
    channel: str
    content: str  # redacted: phone and ID numbers masked
    submitter_name: str
    submitter_role: str
    residence: str
    received_at: dt.datetime
    source: str
    external_id: str
    attachments: tuple[str, ...]
    acknowledgement_due: dt.date


@dataclass(frozen=True, kw_only=True)
class OpinionClassified(DomainEvent):
    """The rules sorted a new opinion into a field (possibly ``unclassified``)."""

    subject: ClassVar[str] = Intake.OPINION_CLASSIFIED
    opinion_id: str
    tracking_code: str
    conference_id: str | None
    unit_code: str | None
    kind: str
    field: str
    matched: tuple[str, ...]
    received_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class OpinionReclassified(DomainEvent):
    """An operator moved an opinion to another field."""

    subject: ClassVar[str] = Intake.OPINION_RECLASSIFIED
    opinion_id: str
    tracking_code: str
    conference_id: str | None
    unit_code: str | None
    kind: str
    field: str
    previous_field: str
    by: str
    reason: str
    received_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class OpinionGrouped(DomainEvent):
    """An opinion joined a topic of its conference."""

    subject: ClassVar[str] = Intake.OPINION_GROUPED
    opinion_id: str
    conference_id: str | None
    field: str
    group_id: str
    previous_group_id: str | None


@dataclass(frozen=True, kw_only=True)
class OpinionRejected(DomainEvent):
    """A submission was refused; the raw payload is kept elsewhere under ``payload_ref``."""

    subject: ClassVar[str] = Intake.OPINION_REJECTED
    source: str
    external_id: str | None
    reason: str
    message: str
    payload_ref: str


@dataclass(frozen=True, kw_only=True)
class AcknowledgementDue(DomainEvent):
    """The petitioner must be told by ``due_on`` that the opinion was accepted or transferred."""

    subject: ClassVar[str] = Intake.OPINION_ACKNOWLEDGEMENT_DUE
    opinion_id: str
    tracking_code: str
    conference_id: str | None
    unit_code: str | None
    kind: str
    submitter_name: str
    residence: str
    received_at: dt.datetime
    due_on: dt.date
    rule: str
    contact_email: str | None  # only with consent_to_contact
    contact_phone: str | None  # only with consent_to_contact


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def event_to_doc(event: DomainEvent) -> dict[str, Any]:
    """A JSON-compatible dict of ``event``, with its type name under ``"type"``."""
    doc = {f.name: _plain(getattr(event, f.name)) for f in dataclasses.fields(event)}
    return {"type": type(event).__name__, **doc}
