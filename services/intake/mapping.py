"""Domain events of intake → the contracts other services read (``shared/contracts/intake.py``).

The domain's deterministic ids become the ``event_id`` (the Nats-Msg-Id), and the opinion id the
``correlation_id``, so a redelivered submission re-publishes byte-identical events.
"""

from __future__ import annotations

from typing import Any

from services.intake import domain as d
from shared.contracts import intake as c
from shared.contracts.base import Event
from shared.privacy import redact

__all__ = ["Conference", "to_contract", "to_contracts"]

Conference = dict[str, Any]


def _received(e: d.OpinionReceived) -> c.OpinionReceived:
    return c.OpinionReceived(
        event_id=e.event_id, occurred_at=e.occurred_at, correlation_id=e.opinion_id,
        opinion_id=e.opinion_id, tracking_code=e.tracking_code, kind=c.OpinionKind(e.kind),
        channel=c.Channel(e.channel), conference_id=e.conference_id, content=e.content,
        received_at=e.received_at, unit_code=e.unit_id, source=e.source, external_id=e.external_id,
        submitter_name=e.submitter_name, submitter_role=e.submitter_role, residence=e.residence,
        attachments=list(e.attachments), acknowledgement_due=e.acknowledgement_due,
    )  # fmt: skip


def _classified(e: d.OpinionClassified, summary: str, conference: Conference | None) -> c.OpinionClassified:
    return c.OpinionClassified(
        event_id=e.event_id, occurred_at=e.occurred_at, correlation_id=e.opinion_id,
        opinion_id=e.opinion_id, tracking_code=e.tracking_code, field=e.field, kind=c.OpinionKind(e.kind),
        conference_id=e.conference_id, level=(conference or {}).get("level"),
        unit_code=e.unit_id or (conference or {}).get("unit_code"), summary=summary,
        received_at=e.received_at,
    )  # fmt: skip


def _reclassified(
    e: d.OpinionReclassified, summary: str, conference: Conference | None
) -> c.OpinionReclassified:
    return c.OpinionReclassified(
        event_id=e.event_id, occurred_at=e.occurred_at, correlation_id=e.opinion_id,
        opinion_id=e.opinion_id, tracking_code=e.tracking_code, field=e.field,
        previous_field=e.previous_field, kind=c.OpinionKind(e.kind), conference_id=e.conference_id,
        level=(conference or {}).get("level"), unit_code=e.unit_id or (conference or {}).get("unit_code"),
        summary=summary, by=e.by, reason=e.reason, received_at=e.received_at,
    )  # fmt: skip


def _grouped(e: d.OpinionGrouped, tracking_code: str) -> c.OpinionGrouped:
    return c.OpinionGrouped(
        event_id=e.event_id, occurred_at=e.occurred_at, correlation_id=e.opinion_id,
        opinion_id=e.opinion_id, tracking_code=tracking_code, conference_id=e.conference_id,
        field=e.field, group_id=e.group_id, previous_group_id=e.previous_group_id,
    )  # fmt: skip


def _acknowledgement(e: d.AcknowledgementDue) -> c.AcknowledgementDue:
    return c.AcknowledgementDue(
        event_id=e.event_id, occurred_at=e.occurred_at, correlation_id=e.opinion_id,
        opinion_id=e.opinion_id, tracking_code=e.tracking_code, kind=c.OpinionKind(e.kind),
        conference_id=e.conference_id, unit_code=e.unit_id, submitter_name=e.submitter_name,
        residence=e.residence, received_at=e.received_at, due_on=e.due_on, rule=e.rule,
        contact_email=e.contact_email, contact_phone=e.contact_phone,
    )  # fmt: skip


def rejected(e: d.OpinionRejected, correlation_id: str) -> c.OpinionRejected:
    """The contract of a refusal (no opinion exists, so the caller chooses the correlation id)."""
    return c.OpinionRejected(
        event_id=e.event_id, occurred_at=e.occurred_at, correlation_id=correlation_id,
        source=e.source, external_id=e.external_id, reason=e.reason, message=e.message,
        payload_ref=e.payload_ref,
    )  # fmt: skip


def to_contract(event: d.DomainEvent, opinion: d.Opinion, conference: Conference | None) -> Event:
    """The contract of one domain event of ``opinion``."""
    summary = redact(opinion.content)
    if isinstance(event, d.OpinionReceived):
        return _received(event)
    if isinstance(event, d.OpinionClassified):
        return _classified(event, summary, conference)
    if isinstance(event, d.OpinionReclassified):
        return _reclassified(event, summary, conference)
    if isinstance(event, d.OpinionGrouped):
        return _grouped(event, opinion.tracking_code)
    if isinstance(event, d.AcknowledgementDue):
        return _acknowledgement(event)
    if isinstance(event, d.OpinionRejected):
        return rejected(event, event.event_id)
    raise TypeError(f"no contract for {type(event).__name__}")


def to_contracts(
    events: list[d.DomainEvent], opinion: d.Opinion, conference: Conference | None
) -> list[Event]:
    return [to_contract(event, opinion, conference) for event in events]
