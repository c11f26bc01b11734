"""Intake at the wire: a submission read once with its contract, and domain events as contracts.

``read_submission`` validates the raw bytes with the published contract (``SubmitOpinion``) in one
pass, strictly (a JSON ``"yes"`` is not a boolean), with ``shared.refusals`` turning the first error
into a reason code and a Vietnamese sentence; ``reading`` is intake's own reading of a few errors
(content, a null where a value is required, the schema version). What the contract cannot state is
checked by the domain. Domain events become contracts through ``shared.contract_mapping``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Collection, Iterable
from typing import Any

from pydantic import ValidationError

from services.intake import domain as d
from services.intake.domain import refusals as own
from shared import refusals
from shared.conference_snapshot import ConferenceSnapshot
from shared.contract_mapping import to_contract
from shared.contracts import intake as c
from shared.contracts.base import Event
from shared.contracts.intake_commands import SubmitDeskOpinion
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError
from shared.ids import derived_id
from shared.privacy import redact
from shared.subjects import DeadLetter, Intake

__all__ = ["accepted", "command_for", "read_submission", "reading", "refusal", "to_contracts"]

_RAW_LIMIT = 64 * 1024  # raw bytes kept on the dead-letter record (NATS caps a message at 1 MB)
_UNREAD = frozenset({"unknown_source", "payload_too_large"})  # refused before the payload is read


def reading(kind: str, loc: tuple[Any, ...], details: refusals.ErrorDetails) -> DomainError | None:
    """Intake's own words for some of pydantic's errors (``shared.refusals.Special``)."""
    value = details.get("input")
    if loc == ():
        return refusals.not_an_object()
    if loc == ("schema_version",):
        return refusals.unsupported_version(value)
    if loc == ("content",) and kind == "string_too_short":
        return own.empty_content()
    if loc == ("content",) and kind == "string_too_long" and isinstance(value, str):
        return own.content_too_long(len(value), int((details.get("ctx") or {}).get("max_length", 0)))
    if value is None and kind.endswith("_type"):  # null where a value is required: it is missing
        return refusals.missing_field(".".join(str(part) for part in loc))
    return None


def _text(value: str, path: str) -> str:
    text = d.normalise(value)
    if not text:
        raise refusals.empty_text(path)
    return text


def _submitter(submitter: c.Submitter) -> d.Submitter:
    roles = [role.value for role in d.SubmitterRole]
    if submitter.role not in roles:
        raise refusals.invalid_value("submitter.role", roles)
    return d.Submitter(
        name=_text(submitter.name, "submitter.name"),
        role=d.SubmitterRole(submitter.role),
        residence=d.normalise(submitter.residence),
        phone=d.check_phone(submitter.phone),
        email=d.check_email(submitter.email),
        consent_to_contact=submitter.consent_to_contact,
    )


def command_for(
    model: c.SubmitOpinion | SubmitDeskOpinion, source: str, max_content: int = d.DEFAULT_MAX_CONTENT
) -> d.SubmitOpinion:
    """The domain command of a validated submission, or the first rule of intake's it breaks."""
    external_id = _text(model.external_id, "external_id")
    content = d.check_content(model.content, max_content)
    submitter = _submitter(model.submitter)
    if any(not item.strip() for item in model.attachments):
        raise refusals.wrong_type("attachments", "danh sách chuỗi ký tự không rỗng")
    conference_id = d.normalise(model.conference_id) if model.conference_id else None
    return d.SubmitOpinion(
        source=source,
        external_id=external_id,
        kind=d.OpinionKind(model.kind.value),
        content=content,
        submitter=submitter,
        channel=d.Channel(model.channel.value),
        conference_id=conference_id or None,
        attachments=tuple(item.strip() for item in model.attachments),
        received_at=model.received_at.astimezone(dt.UTC) if model.received_at else None,
    )


def read_submission(
    raw: bytes, source: str, known_sources: Collection[str], max_content: int = d.DEFAULT_MAX_CONTENT
) -> d.SubmitOpinion:
    """The command a message of ``intake.submit.<source>`` stands for, or the first reason to refuse it."""
    d.require_source(source, known_sources)
    if len(raw) > refusals.MAX_PAYLOAD_BYTES:
        raise refusals.payload_too_large(len(raw), refusals.MAX_PAYLOAD_BYTES)
    try:
        model = c.SubmitOpinion.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise refusals.explain_bytes(raw, exc.errors(), reading) from None
    return command_for(model, source, max_content)


def to_contracts(
    events: Iterable[d.DomainEvent], opinion: d.Opinion, conference: ConferenceSnapshot | None
) -> list[Event]:
    """The contracts of ``opinion``'s domain events; the conference adds its level (and unit)."""
    extra: dict[str, Any] = {
        "correlation_id": opinion.id,
        "tracking_code": opinion.tracking_code,
        "summary": redact(opinion.content),
        "level": conference.level if conference else None,
    }
    if opinion.unit_id is None and conference is not None:
        extra["unit_code"] = conference.unit_code
    return [to_contract(event, c, **extra) for event in events]


def accepted(source: str, key: str, opinion: d.Opinion, duplicate: bool) -> c.SubmissionOutcome:
    """The positive outcome of one message (its id derives from the message's delivery ``key``)."""
    said = "đã được tiếp nhận trước đó" if duplicate else "đã được tiếp nhận"
    return c.SubmissionOutcome(
        event_id=derived_id(opinion.id, "SubmissionOutcome", key),
        correlation_id=opinion.id,
        source=source,
        external_id=opinion.external_id,
        accepted=True,
        opinion_id=opinion.id,
        tracking_code=opinion.tracking_code,
        message=f"Ý kiến {said} với mã theo dõi {opinion.tracking_code}; dùng mã này để tra cứu kết quả.",
    )


def _raw_text(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8")[:_RAW_LIMIT], "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(raw[:_RAW_LIMIT]).decode("ascii"), "base64"


def _external_id(raw: bytes) -> str | None:
    """The sender's id in a refused payload, when it can be read at all (to address the outcome)."""
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    value = payload.get("external_id") if isinstance(payload, dict) else None
    return value[:200] if isinstance(value, str) and value.strip() else None


def refusal(
    error: DomainError,
    *,
    source: str,
    raw: bytes,
    key: str,
    at: dt.datetime,
    msg_id: str | None = None,
    deliveries: int = 1,
) -> tuple[list[Event], MessageRejected]:
    """The rejection event and negative outcome of one refused message, and its dead-letter record."""
    external_id = None if error.code in _UNREAD else _external_id(raw)
    record_id = derived_id("intake-rejection", source, key)
    payload_ref = f"{DeadLetter.subject('intake', error.code)}#{record_id}"
    event = d.rejection_for(error, source=source, external_id=external_id, payload_ref=payload_ref, at=at)
    correlation = d.opinion_id_for(source, external_id) if external_id else record_id
    outcome = c.SubmissionOutcome(
        event_id=derived_id(record_id, "SubmissionOutcome"),
        correlation_id=correlation,
        source=source,
        external_id=external_id,
        accepted=False,
        reason=error.code,
        message=error.message,
    )
    text, encoding = _raw_text(raw)
    dead_letter = MessageRejected(
        event_id=record_id,
        correlation_id=correlation,
        service="intake",
        subject=Intake.submit(source),
        reason=error.code,
        message=error.message,
        raw_payload=text,
        raw_encoding=encoding,
        original_msg_id=msg_id,
        deliveries=deliveries,
    )
    return [to_contract(event, c, correlation_id=correlation), outcome], dead_letter
