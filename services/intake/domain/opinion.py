"""The Opinion aggregate: one opinion, its tracking code, field, topic and the history of both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from services.intake.domain.classification import RuleSet
from services.intake.domain.events import (
    AcknowledgementDue,
    DomainEvent,
    OpinionClassified,
    OpinionGrouped,
    OpinionReceived,
    OpinionReclassified,
)
from services.intake.domain.model import Channel, HistoryEntry, OpinionKind, Submitter
from shared.errors import Conflict, DomainError
from shared.ids import derived_id
from shared.privacy import redact

__all__ = ["RULES_ACTOR", "Opinion"]

RULES_ACTOR = "rules"


def _utc(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone aware")
    return instant.astimezone(dt.UTC)


@dataclass
class Opinion:
    """An opinion as intake keeps it; contact details stay here."""

    id: str
    tracking_code: str
    kind: OpinionKind
    content: str
    submitter: Submitter
    channel: Channel
    source: str
    external_id: str
    received_at: dt.datetime
    acknowledgement_due: dt.date
    acknowledgement_rule: str
    field: str
    conference_id: str | None = None
    unit_id: str | None = None
    attachments: tuple[str, ...] = ()
    topic_group_id: str | None = None
    version: int = 1
    applied: list[str] = dc_field(default_factory=list)
    history: list[HistoryEntry] = dc_field(default_factory=list)

    def intake_events(self) -> list[DomainEvent]:
        """The events of the intake, rebuilt from state: a redelivery re-publishes identical events."""
        first = self.history[0]
        consent = self.submitter.consent_to_contact
        events: list[DomainEvent] = [
            OpinionReceived(  # the content may quote a phone or ID number: mask it before it leaves
                event_id=derived_id(self.id, "received"),
                occurred_at=first.at,
                opinion_id=self.id,
                tracking_code=self.tracking_code,
                conference_id=self.conference_id,
                unit_code=self.unit_id,
                kind=self.kind.value,
                channel=self.channel.value,
                content=redact(self.content),
                submitter_name=self.submitter.name,
                submitter_role=self.submitter.role.value,
                residence=self.submitter.residence,
                received_at=self.received_at,
                source=self.source,
                external_id=self.external_id,
                attachments=self.attachments,
                acknowledgement_due=self.acknowledgement_due,
            ),
            OpinionClassified(
                event_id=derived_id(self.id, "classified"),
                occurred_at=first.at,
                opinion_id=self.id,
                tracking_code=self.tracking_code,
                conference_id=self.conference_id,
                unit_code=self.unit_id,
                kind=self.kind.value,
                field=first.field or "",
                matched=first.matched,
                received_at=self.received_at,
            ),
        ]
        # The acknowledgement goes to the petitioner, so it is due only to one who can be reached: an
        # opinion without consent or contact data causes no notice (its deadline is in OpinionReceived).
        email = self.submitter.email if consent else None
        phone = self.submitter.phone if consent else None
        if email or phone:
            events.append(
                AcknowledgementDue(
                    event_id=derived_id(self.id, "acknowledgement-due"),
                    occurred_at=first.at,
                    opinion_id=self.id,
                    tracking_code=self.tracking_code,
                    conference_id=self.conference_id,
                    unit_code=self.unit_id,
                    kind=self.kind.value,
                    submitter_name=self.submitter.name,
                    residence=self.submitter.residence,
                    received_at=self.received_at,
                    due_on=self.acknowledgement_due,
                    rule=self.acknowledgement_rule,
                    contact_email=email,
                    contact_phone=phone,
                )
            )
        return events

    def reclassify(
        self, field_code: str, *, by: str, reason: str, at: dt.datetime, command_id: str, rules: RuleSet
    ) -> list[DomainEvent]:
        """Move the opinion to another field; a repeated command changes nothing and returns no event."""
        if command_id in self.applied:
            return []
        rules.require(field_code)
        if not by.strip() or not reason.strip():
            raise DomainError(
                "reclassification_unexplained",
                "Cần ghi rõ người thực hiện và lý do khi chuyển lĩnh vực; vui lòng bổ sung rồi thử lại.",
            )
        if field_code == self.field:
            names = rules.names()
            raise Conflict(
                "field_unchanged",
                f"Ý kiến {self.tracking_code} đã thuộc lĩnh vực “{names[field_code]}”; "
                "hãy chọn lĩnh vực khác nếu muốn phân loại lại.",
            )
        at = _utc(at)
        previous, self.field = self.field, field_code
        self.history.append(HistoryEntry(at, by, "reclassified", reason, field_code, previous))
        self._applied(command_id)
        return [
            OpinionReclassified(
                event_id=derived_id(self.id, command_id, "reclassified"),
                occurred_at=at,
                opinion_id=self.id,
                tracking_code=self.tracking_code,
                conference_id=self.conference_id,
                unit_code=self.unit_id,
                kind=self.kind.value,
                field=field_code,
                previous_field=previous,
                by=by,
                reason=reason,
                received_at=self.received_at,
            )
        ]

    def join_group(self, group_id: str, *, at: dt.datetime, by: str = RULES_ACTOR) -> list[DomainEvent]:
        """Record the topic the opinion belongs to; joining the same topic again is a no-op."""
        command_id = f"group:{group_id}"
        if self.topic_group_id == group_id:
            return []
        at = _utc(at)
        previous, self.topic_group_id = self.topic_group_id, group_id
        reason = "gần trùng nội dung" if group_id != self.id else "mở nhóm vấn đề mới"
        self.history.append(
            HistoryEntry(at, by, "grouped", reason, group_id=group_id, previous_group_id=previous)
        )
        self._applied(command_id)
        return [
            OpinionGrouped(
                event_id=derived_id(self.id, command_id, previous or ""),
                occurred_at=at,
                opinion_id=self.id,
                conference_id=self.conference_id,
                field=self.field,
                group_id=group_id,
                previous_group_id=previous,
            )
        ]

    def _applied(self, command_id: str) -> None:
        self.applied.append(command_id)
        self.version += 1

    def to_doc(self) -> dict[str, Any]:
        """A JSON-compatible document, keyed by ``_id`` and versioned as the storage port expects."""
        return {
            "_id": self.id,
            "version": self.version,
            "applied": list(self.applied),
            "tracking_code": self.tracking_code,
            "kind": self.kind.value,
            "content": self.content,
            "submitter": self.submitter.to_doc(),
            "channel": self.channel.value,
            "source": self.source,
            "external_id": self.external_id,
            "conference_id": self.conference_id,
            "unit_id": self.unit_id,
            "attachments": list(self.attachments),
            "received_at": self.received_at.isoformat(),
            "acknowledgement_due": self.acknowledgement_due.isoformat(),
            "acknowledgement_rule": self.acknowledgement_rule,
            "field": self.field,
            "topic_group_id": self.topic_group_id,
            "history": [entry.to_doc() for entry in self.history],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Opinion:
        """The opinion stored as ``doc`` by ``to_doc``."""
        return cls(
            id=doc["_id"],
            version=int(doc["version"]),
            applied=list(doc["applied"]),
            tracking_code=doc["tracking_code"],
            kind=OpinionKind(doc["kind"]),
            content=doc["content"],
            submitter=Submitter.from_doc(doc["submitter"]),
            channel=Channel(doc["channel"]),
            source=doc["source"],
            external_id=doc["external_id"],
            conference_id=doc.get("conference_id"),
            unit_id=doc.get("unit_id"),
            attachments=tuple(doc.get("attachments", ())),
            received_at=dt.datetime.fromisoformat(doc["received_at"]),
            acknowledgement_due=dt.date.fromisoformat(doc["acknowledgement_due"]),
            acknowledgement_rule=doc["acknowledgement_rule"],
            field=doc["field"],
            topic_group_id=doc.get("topic_group_id"),
            history=[HistoryEntry.from_doc(entry) for entry in doc.get("history", ())],
        )
