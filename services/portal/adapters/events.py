"""What the portal reads of other contexts' events, and what each becomes in its read model.

Intake's events are read with their contracts. Assignment's and notification's are read tolerantly
(``extra="ignore"``, like ``shared.conference_snapshot``): only the fields a public page may show, so
an event type a later release adds is recorded or skipped, never dead-lettered. Scheduling's
conference events are read twice: as the shared snapshot (``shared.conference_snapshot``) and, for
what the conference produced (attendance, the conclusion, the closing record, only on some events),
as ``ConferenceResults``. Contact data
(``agency_email``, a notice's recipient), officials' reasons and the submitter's full name are never
kept: the name is masked before it is stored, the opinion's text has contacts hidden.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.portal.domain.opinion import Recorded
from services.portal.domain.privacy import mask_name, public_text
from services.portal.domain.requests import mark
from services.portal.domain.steps import Step, assignment_step_kind
from shared.contracts.intake import OpinionClassified, OpinionReceived, OpinionReclassified

ACKNOWLEDGEMENT_TRIGGER = "opinion_acknowledged"


class AssignmentStep(BaseModel):
    """Any event on ``assignment.opinion.>``, read for the public path."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1)
    occurred_at: AwareDatetime
    opinion_id: str = Field(min_length=1)
    tracking_code: str | None = None
    field: str | None = None
    kind: str | None = None
    conference_id: str | None = None
    unit_code: str | None = None
    agency_code: str | None = None  # the agency holding it: the officers' inbox is filtered on it
    summary: str | None = None  # the opinion's text as assignment has it (the inbox's when intake's is late)
    received_at: AwareDatetime | None = None
    agency_name: str | None = None
    deadline: dt.date | None = None
    requested_deadline: dt.date | None = None  # an extension request's: the head's queue shows it
    transferred: bool = False
    reassigned_from: str | None = None
    target_body: str | None = None
    document_number: str | None = None
    document_date: dt.date | None = None
    answer_summary: str | None = None
    answer: str | None = None
    on_time: bool | None = None
    stars: int | None = None


class NoticeSent(BaseModel):
    """``notification.delivery.sent``, read for the acknowledgement step (the recipient is not read)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1)
    correlation_id: str = Field(min_length=1)
    trigger: str
    sent_at: AwareDatetime


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat()


def _commune(residence: str | None) -> str | None:
    """Only the commune of a residence ("thôn An Bài 1, xã Đồng Du" → "xã Đồng Du"): never the house."""
    if not residence:
        return None
    return residence.rsplit(",", 1)[-1].strip() or None


def received(e: OpinionReceived) -> Recorded:
    facts: dict[str, Any] = {
        "tracking_code": e.tracking_code,
        "kind": e.kind.value,
        "channel": e.channel.value,
        "conference_id": e.conference_id,
        "unit_code": e.unit_code,
        "content": public_text(e.content),
        "received_at": _utc(e.received_at),
        "submitter": mask_name(e.submitter_name),
        "residence": _commune(e.residence),
        "source": e.source,
    }
    return Recorded(e.event_id, e.received_at, facts, Step(e.event_id, "received", e.received_at))


def classified(e: OpinionClassified | OpinionReclassified) -> Recorded:
    facts = {
        "tracking_code": e.tracking_code,
        "field": e.field,
        "conference_id": e.conference_id,
        "unit_code": e.unit_code,
        # Its consumer is not the received event's: applied first, the record is already dated, so
        # Open311's window and the listings find it before OpinionReceived arrives.
        "received_at": _utc(e.received_at),
    }
    return Recorded(e.event_id, e.occurred_at, facts)


def assignment(subject: str, e: AssignmentStep) -> Recorded:
    kind = assignment_step_kind(subject, transferred=e.transferred, reassigned=bool(e.reassigned_from))
    step = None
    if kind is not None:
        step = Step(
            event_id=e.event_id,
            kind=kind,
            at=e.occurred_at,
            agency=e.agency_name,
            deadline=e.deadline,
            target=e.target_body,
            document_number=e.document_number if kind == "published" else None,
            document_date=e.document_date if kind == "published" else None,
            answer=public_text(e.answer_summary if kind == "published" else e.answer)
            if kind in ("published", "answered_directly")
            else None,
            on_time=e.on_time if kind == "published" else None,
            stars=e.stars if kind == "rated" else None,
        )
    facts: dict[str, Any] = {
        "tracking_code": e.tracking_code,
        "conference_id": e.conference_id,
        "field": e.field,
        "unit_code": e.unit_code,
        "agency_code": e.agency_code,
        "summary": public_text(e.summary) if e.summary else None,
    }
    if e.received_at is not None:
        facts["received_at"] = _utc(e.received_at)
    request = mark(subject, e.event_id, e.occurred_at, e.requested_deadline)
    return Recorded(e.event_id, e.occurred_at, facts, step, request)


def unit_agency(subject: str, e: AssignmentStep) -> tuple[str, str, str] | None:
    """(host unit, agency, its name) when the event gives the unit's opinion to one of its agencies."""
    if not subject.endswith(".assigned") or e.transferred or not (e.unit_code and e.agency_code):
        return None
    return e.unit_code, e.agency_code, e.agency_name or e.agency_code


def acknowledgement(notice: NoticeSent) -> Recorded | None:
    if notice.trigger != ACKNOWLEDGEMENT_TRIGGER:
        return None
    return Recorded(
        notice.event_id, notice.sent_at, {}, Step(notice.event_id, "acknowledged", notice.sent_at)
    )


class Record(BaseModel):
    # No docstring: it would become the schema's description in docs/asyncapi/portal.json.
    model_config = ConfigDict(frozen=True, extra="ignore")

    attendee_count: int | None = None
    opinion_count: int | None = None
    conclusion_summary: str | None = None
    conclusion_document: str | None = None


class ConferenceResults(BaseModel):
    """Any event on ``scheduling.conference.>``, read for what the conference produced."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: str = Field(min_length=1)
    conference_id: str = Field(min_length=1)
    conference_version: int = Field(default=1, ge=1)
    attendee_count: int | None = None
    opinion_count: int | None = None
    concluded_at: AwareDatetime | None = None
    late: bool | None = None
    conclusion_summary: str | None = None
    conclusion_document: str | None = None
    record: Record | None = None  # the class name is the AsyncAPI schema's (docs/asyncapi/portal.json)

    def values(self) -> dict[str, Any]:
        """What this event says of the results: its own fields over the closing record's."""
        told = self.record.model_dump() if self.record else {}
        mine = self.model_dump(mode="json", exclude={"record", "event_id", "conference_id"})
        return {**told, **{k: v for k, v in mine.items() if v is not None}}
