"""Value types of the intake domain: what an opinion is, who raised it, how it came in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.intake.domain.tracking import opinion_id_for

__all__ = ["Channel", "HistoryEntry", "OpinionKind", "SubmitOpinion", "Submitter", "SubmitterRole"]


class OpinionKind(StrEnum):
    """ý kiến, kiến nghị, đề xuất, phản ánh."""

    OPINION = "opinion"
    RECOMMENDATION = "recommendation"
    PROPOSAL = "proposal"
    FEEDBACK = "feedback"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    OpinionKind.OPINION: "ý kiến",
    OpinionKind.RECOMMENDATION: "kiến nghị",
    OpinionKind.PROPOSAL: "đề xuất",
    OpinionKind.FEEDBACK: "phản ánh",
}


class SubmitterRole(StrEnum):
    """Whom the conference invited: CBĐV, citizens, youth union members..."""

    CADRE = "cadre"
    PARTY_MEMBER = "party_member"
    CITIZEN = "citizen"
    YOUTH_MEMBER = "youth_member"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    SubmitterRole.CADRE: "cán bộ",
    SubmitterRole.PARTY_MEMBER: "đảng viên",
    SubmitterRole.CITIZEN: "người dân",
    SubmitterRole.YOUTH_MEMBER: "đoàn viên, thanh niên",
    SubmitterRole.OTHER: "khác",
}


class Channel(StrEnum):
    """How the opinion reached the unit."""

    CONFERENCE = "conference"
    EXTERNAL_SYSTEM = "external_system"
    WRITTEN_PETITION = "written_petition"
    HOTLINE = "hotline"


@dataclass(frozen=True)
class Submitter:
    """Who raised the opinion. Phone and e-mail never leave intake unless consent is given."""

    name: str
    role: SubmitterRole
    residence: str
    phone: str | None = None
    email: str | None = None
    consent_to_contact: bool = False

    def to_doc(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role.value,
            "residence": self.residence,
            "phone": self.phone,
            "email": self.email,
            "consent_to_contact": self.consent_to_contact,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Submitter:
        return cls(
            name=doc["name"],
            role=SubmitterRole(doc["role"]),
            residence=doc["residence"],
            phone=doc.get("phone"),
            email=doc.get("email"),
            consent_to_contact=bool(doc.get("consent_to_contact", False)),
        )


@dataclass(frozen=True)
class SubmitOpinion:
    """The command to record an opinion, from a conference desk or another system.

    Every submission has a (source, external id) pair: external systems send theirs, the operator CLI
    generates one per entry, so a retried entry collapses into the first like a redelivered message.
    ``received_at`` is when the sender received it, if it says so; otherwise the intake time.
    """

    source: str
    external_id: str
    kind: OpinionKind
    content: str
    submitter: Submitter
    channel: Channel
    conference_id: str | None = None
    attachments: tuple[str, ...] = ()
    received_at: dt.datetime | None = None
    unit_id: str | None = None

    @property
    def opinion_id(self) -> str:
        return opinion_id_for(self.source, self.external_id)

    @property
    def command_id(self) -> str:
        return f"submit:{self.source}:{self.external_id}"


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an opinion's classification or topic: who, when, why."""

    at: dt.datetime
    by: str
    action: str  # "classified", "reclassified" or "grouped"
    reason: str
    field: str | None = None
    previous_field: str | None = None
    group_id: str | None = None
    previous_group_id: str | None = None
    matched: tuple[str, ...] = ()

    def to_doc(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "by": self.by,
            "action": self.action,
            "reason": self.reason,
            "field": self.field,
            "previous_field": self.previous_field,
            "group_id": self.group_id,
            "previous_group_id": self.previous_group_id,
            "matched": list(self.matched),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> HistoryEntry:
        return cls(
            at=dt.datetime.fromisoformat(doc["at"]),
            by=doc["by"],
            action=doc["action"],
            reason=doc["reason"],
            field=doc.get("field"),
            previous_field=doc.get("previous_field"),
            group_id=doc.get("group_id"),
            previous_group_id=doc.get("previous_group_id"),
            matched=tuple(doc.get("matched", ())),
        )
