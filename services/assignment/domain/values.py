"""Value objects held by the assignment aggregate, each with a JSON-compatible document form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.assignment.domain.agencies import Agency


class Status(StrEnum):
    TRIAGE = "triage"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    ANSWERED = "answered"
    RETURNED = "returned"
    PUBLISHED = "published"
    ANSWERED_DIRECTLY = "answered_directly"
    TRANSFERRED = "transferred"


# The agency owes an answer in these states: deadlines, reminders and escalation apply.
OPEN_STATES = frozenset({Status.ASSIGNED, Status.ACCEPTED, Status.RETURNED})
CLOSED_STATES = frozenset({Status.PUBLISHED, Status.ANSWERED_DIRECTLY, Status.TRANSFERRED})
# A reclassification routes the opinion again in these states (no answer was written yet).
REROUTABLE_STATES = frozenset({Status.TRIAGE, Status.TRANSFERRED, *OPEN_STATES})


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class OpinionRef:
    """What the assignment keeps of the opinion raised (owned by intake)."""

    opinion_id: str
    tracking_code: str
    field: str
    kind: str
    level: str
    unit_code: str
    received_at: dt.datetime
    conference_id: str | None = None
    summary: str = ""
    submitter: str = ""

    def to_doc(self) -> dict[str, Any]:
        return {**self.__dict__, "received_at": self.received_at.isoformat()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> OpinionRef:
        return cls(**{**doc, "received_at": dt.datetime.fromisoformat(doc["received_at"])})


@dataclass(frozen=True)
class AgencyRef:
    """A snapshot of the agency at assignment time, so events need no lookup."""

    code: str
    name: str
    email: str
    level: str
    head_name: str = ""

    @classmethod
    def of(cls, agency: Agency) -> AgencyRef:
        return cls(agency.code, agency.name, agency.email, agency.level, agency.head_name)

    def to_doc(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AgencyRef:
        return cls(**doc)


@dataclass(frozen=True)
class Answer:
    """An agency's written answer (văn bản trả lời)."""

    document_number: str
    document_date: dt.date
    summary: str
    submitted_at: dt.datetime
    attachment_ref: str | None = None
    returned_reason: str | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "document_date": self.document_date.isoformat(),
            "submitted_at": self.submitted_at.isoformat(),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Answer:
        return cls(
            **{
                **doc,
                "document_date": dt.date.fromisoformat(doc["document_date"]),
                "submitted_at": dt.datetime.fromisoformat(doc["submitted_at"]),
            }
        )


@dataclass(frozen=True)
class PendingRequest:
    """An agency's request waiting for the head: reassignment, or extension to ``new_deadline``."""

    reason: str
    requested_at: dt.datetime
    new_deadline: dt.date | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "requested_at": self.requested_at.isoformat(),
            "new_deadline": iso(self.new_deadline),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> PendingRequest:
        return cls(
            reason=doc["reason"],
            requested_at=dt.datetime.fromisoformat(doc["requested_at"]),
            new_deadline=parse_date(doc.get("new_deadline")),
        )


@dataclass(frozen=True)
class Rating:
    stars: int
    comment: str
    rated_at: dt.datetime

    def to_doc(self) -> dict[str, Any]:
        return {"stars": self.stars, "comment": self.comment, "rated_at": self.rated_at.isoformat()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Rating:
        return cls(doc["stars"], doc["comment"], dt.datetime.fromisoformat(doc["rated_at"]))
