"""One submission (from another system or the conference desk): accepted once, or refused with a reason.

Idempotent by (source, external id): the opinion id derives from them, and the events produced at
intake are kept in the opinion's outbox, so a duplicate or a redelivery re-publishes the same event
ids and changes nothing. Every message also gets its own outcome (its id derives from the message's
delivery key, e.g. the stream sequence), so a sender that sends twice hears back twice.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from services.intake import domain as d
from services.intake import mapping
from services.intake.domain import refusals
from services.intake.handlers.context import IntakeContext
from services.intake.handlers.grouping import group_new, raced, remember
from services.intake.validation import decode_payload, reason_for_validation_error
from shared.contracts.base import Event, derived_id
from shared.contracts.intake import SubmissionOutcome, SubmitOpinion
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError, TransientError
from shared.storage.port import DuplicateKey
from shared.subjects import DeadLetter, Intake

_RAW_LIMIT = 64 * 1024  # raw bytes kept on the dead-letter record (NATS caps a message at 1 MB)
_CODE_ATTEMPTS = 4
_TRIES = 16  # tracking-code clashes plus replicas racing on a conference's sequence


@dataclass
class Submitted:
    """What became of one submission: the events to publish and, when refused, the dead letter."""

    accepted: bool
    events: list[Event] = field(default_factory=list)
    opinion: d.Opinion | None = None
    new: bool = False
    rejection: MessageRejected | None = None
    error: DomainError | None = None


class _Anything:
    """Every conference passes the domain's synchronous check; the async lookup follows it."""

    def __contains__(self, item: object) -> bool:
        return True


async def validated(
    ctx: IntakeContext, payload: Any, source: str, known_sources: frozenset[str]
) -> tuple[d.SubmitOpinion, dict[str, Any] | None]:
    """The command and its conference, or the first ``DomainError`` (``TransientError`` passes)."""
    if source not in known_sources:
        raise refusals.unknown_source(source)
    try:
        SubmitOpinion.model_validate(payload)  # the published wire contract first
    except ValidationError as exc:
        raise reason_for_validation_error(exc.errors()) from None
    command = d.validate_submission(
        payload, source=source, known_sources=known_sources, known_conferences=_Anything(),
        max_content=ctx.policy.max_content,
    )  # fmt: skip
    if command.conference_id is None:
        return command, None
    conference = await ctx.conferences(command.conference_id)
    if conference is None:
        raise refusals.unknown_conference(command.conference_id)
    return dataclasses.replace(command, unit_id=conference.get("unit_code")), conference


def _outcome(source: str, key: str, opinion: d.Opinion, duplicate: bool) -> SubmissionOutcome:
    said = "đã được tiếp nhận trước đó" if duplicate else "đã được tiếp nhận"
    return SubmissionOutcome(
        event_id=derived_id(opinion.id, "SubmissionOutcome", key), correlation_id=opinion.id,
        source=source, external_id=opinion.external_id, accepted=True, opinion_id=opinion.id,
        tracking_code=opinion.tracking_code,
        message=f"Ý kiến {said} với mã theo dõi {opinion.tracking_code}; dùng mã này để tra cứu kết quả.",
    )  # fmt: skip


async def record(
    ctx: IntakeContext, command: d.SubmitOpinion, conference: dict[str, Any] | None, now: dt.datetime
) -> Submitted:
    """Record a validated submission once; a known one answers with the events it produced then."""
    cause = command.command_id
    attempt = 0  # tracking codes tried
    for _ in range(_TRIES):
        existing = await ctx.repo.get(command.opinion_id)
        if existing is not None:
            events = existing.replay(cause) or mapping.to_contracts(
                existing.opinion.intake_events(), existing.opinion, conference
            )
            return Submitted(True, events, existing.opinion)
        if attempt >= _CODE_ATTEMPTS:
            break
        code = d.tracking_code_for(command.opinion_id, attempt)
        if await ctx.repo.by_tracking_code(code) is not None:
            attempt += 1  # 35-bit codes: another opinion holds this one, derive the next
            continue
        opinion, domain_events = d.receive_opinion(
            command, now=now, rules=ctx.rules, calendar=ctx.calendar, policy=ctx.policy, tracking_code=code
        )
        async with ctx.conference_lock(opinion.conference_id or ""):
            # Grouping reads the conference's recorded opinions: group and record as one step.
            grouped = await group_new(ctx, opinion, now)
            events = mapping.to_contracts(domain_events + grouped.events, opinion, conference)
            try:
                await ctx.repo.add(opinion, cause, events, grouped.seq)
            except DuplicateKey:
                # Another replica recorded an opinion of this conference meanwhile: group again. Else
                # the code was taken meanwhile (next code), or a concurrent delivery won (seen above).
                if not await raced(ctx, opinion.conference_id, grouped.seq):
                    attempt += 1
                continue
            remember(ctx, opinion, grouped.seq)
        return Submitted(True, events, opinion, new=True)
    raise TransientError(f"could not record opinion {command.opinion_id} yet (codes or sequence taken)")


def _raw_text(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8")[:_RAW_LIMIT], "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(raw[:_RAW_LIMIT]).decode("ascii"), "base64"


def refused(
    error: DomainError, *, source: str, raw: bytes, external_id: str | None, key: str, now: dt.datetime,
    msg_id: str | None = None, deliveries: int = 1,
) -> Submitted:  # fmt: skip
    """The rejection event, the negative outcome and the dead-letter record of one refused message."""
    record_id = derived_id("intake-rejection", source, key)
    payload_ref = f"{DeadLetter.subject('intake', error.code)}#{record_id}"
    domain_event = d.rejection_for(
        error, source=source, external_id=external_id, payload_ref=payload_ref, at=now
    )
    correlation = d.opinion_id_for(source, external_id) if external_id else record_id
    rejected = mapping.rejected(domain_event, correlation)
    outcome = SubmissionOutcome(
        event_id=derived_id(record_id, "SubmissionOutcome"), correlation_id=correlation, source=source,
        external_id=external_id, accepted=False, reason=error.code, message=error.message,
    )  # fmt: skip
    text, encoding = _raw_text(raw)
    dead_letter = MessageRejected(
        event_id=record_id, correlation_id=correlation, service="intake", subject=Intake.submit(source),
        reason=error.code, message=error.message, raw_payload=text, raw_encoding=encoding,
        original_msg_id=msg_id, deliveries=deliveries,
    )  # fmt: skip
    return Submitted(False, [rejected, outcome], rejection=dead_letter, error=error)


def _external_id(payload: Any) -> str | None:
    value = payload.get("external_id") if isinstance(payload, dict) else None
    return value[:200] if isinstance(value, str) and value.strip() else None


async def submit_external(
    ctx: IntakeContext, source: str, raw: bytes, *, key: str, now: dt.datetime,
    msg_id: str | None = None, deliveries: int = 1,
) -> Submitted:  # fmt: skip
    """Accept or refuse one message of ``intake.submit.<source>``; ``key`` identifies the message."""
    external_id: str | None = None
    try:
        if source not in ctx.known_sources:
            raise refusals.unknown_source(source)
        payload = decode_payload(raw, ctx.max_payload)
        external_id = _external_id(payload)
        command, conference = await validated(ctx, payload, source, ctx.known_sources)
        result = await record(ctx, command, conference, now)
    except DomainError as error:
        return refused(
            error, source=source, raw=raw, external_id=external_id, key=key, now=now, msg_id=msg_id,
            deliveries=deliveries,
        )  # fmt: skip
    assert result.opinion is not None
    result.events.append(_outcome(source, key, result.opinion, duplicate=not result.new))
    return result
