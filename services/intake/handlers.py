"""Intake handlers: record each submission once, classify it, and say what became of it."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from shared.contracts.base import Event, derived_id
from shared.contracts.intake import OpinionClassified, OpinionReceived, SubmissionOutcome, SubmitOpinion
from shared.contracts.rejections import MessageRejected, describe_validation_error
from shared.contracts.scheduling import ConferencePlanned
from shared.errors import DomainError
from shared.outbox import record, replay
from shared.storage import DocumentStore

OPINIONS = "opinions"
CONFERENCES = "conferences"


class ConferenceLookup(Protocol):
    async def __call__(self, conference_id: str) -> dict[str, Any] | None: ...


@dataclass
class SubmissionResult:
    events: list[Event] = field(default_factory=list)
    rejection: MessageRejected | None = None


def tracking_code_for(opinion_id: str) -> str:
    return "DT-" + opinion_id.replace("-", "")[:8].upper()


def classify(text: str) -> str:
    lowered = text.lower()
    for keyword, code in (("nhà văn hóa", "culture_relics"), ("đất", "land"), ("việc làm", "labour_jobs")):
        if keyword in lowered:
            return code
    return "unclassified"


async def record_conference(store: DocumentStore, event: ConferencePlanned) -> None:
    """Keep the projection of conferences intake needs to accept opinions."""
    await store.upsert(
        CONFERENCES,
        {"_id": event.conference_id, "version": 1, "level": event.level, "unit_code": event.unit_code,
         "title": event.title},
    )  # fmt: skip


def _reject(source: str, raw: bytes, external_id: str | None, code: str, sentence: str) -> SubmissionResult:
    cause = derived_id("submission", source, external_id or raw.hex()[:200])
    outcome = SubmissionOutcome(
        event_id=derived_id(cause, "SubmissionOutcome"), source=source, external_id=external_id,
        accepted=False, reason=code, message=sentence,
    )  # fmt: skip
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.hex(), "hex"
    rejection = MessageRejected(
        event_id=derived_id(cause, "MessageRejected"), service="intake", subject=f"intake.submit.{source}",
        reason=code, message=sentence, raw_payload=text[:1_000_000], raw_encoding=encoding,
    )  # fmt: skip
    return SubmissionResult(events=[outcome], rejection=rejection)


async def submit_external(
    store: DocumentStore, source: str, raw: bytes, now: dt.datetime, conferences: ConferenceLookup
) -> SubmissionResult:
    """Accept or reject one external submission; idempotent by (source, external id)."""
    try:
        payload = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _reject(
            source, raw, None, "invalid_utf8", "Payload is not valid UTF-8; send UTF-8 encoded JSON."
        )
    except json.JSONDecodeError as exc:
        return _reject(
            source, raw, None, "invalid_json", f"Payload is not valid JSON ({exc.msg}); send a JSON object."
        )
    external_id = payload.get("external_id") if isinstance(payload, dict) else None
    external_id = external_id if isinstance(external_id, str) else None
    try:
        command = SubmitOpinion.model_validate(payload)
    except ValidationError as exc:
        code, sentence = describe_validation_error(exc)
        return _reject(source, raw, external_id, code, sentence)
    opinion_id = derived_id("opinion", source, command.external_id)
    existing = await store.get(OPINIONS, opinion_id)
    done = replay(existing, opinion_id)
    if done is not None:
        return SubmissionResult(events=done)
    conference: dict[str, Any] | None = None
    if command.conference_id:
        conference = await conferences(command.conference_id)
        if conference is None:
            return _reject(
                source, raw, command.external_id, "unknown_conference",
                f"Conference '{command.conference_id}' does not exist; check the conference id.",
            )  # fmt: skip
    content = unicodedata.normalize("NFC", command.content)
    code = tracking_code_for(opinion_id)
    received_at = command.received_at or now
    field_code = classify(content)
    received = OpinionReceived(
        event_id=derived_id(opinion_id, "OpinionReceived"), correlation_id=opinion_id, opinion_id=opinion_id,
        tracking_code=code, kind=command.kind, channel=command.channel, conference_id=command.conference_id,
        content=content, received_at=received_at,
    )  # fmt: skip
    classified = OpinionClassified(
        event_id=derived_id(opinion_id, "OpinionClassified"), correlation_id=opinion_id, opinion_id=opinion_id,
        tracking_code=code, field=field_code, kind=command.kind, conference_id=command.conference_id,
        level=conference["level"] if conference else None, unit_code=conference["unit_code"] if conference else None,
        summary=content, received_at=received_at,
    )  # fmt: skip
    outcome = SubmissionOutcome(
        event_id=derived_id(opinion_id, "SubmissionOutcome"), correlation_id=opinion_id, source=source,
        external_id=command.external_id, accepted=True, opinion_id=opinion_id, tracking_code=code,
        message=f"Ý kiến đã được tiếp nhận với mã theo dõi {code}.",
    )  # fmt: skip
    events: list[Event] = [received, classified, outcome]
    doc: dict[str, Any] = {
        "_id": opinion_id, "version": 1, "source": source, "external_id": command.external_id,
        "tracking_code": code, "field": field_code, "content": content,
        "conference_id": command.conference_id, "received_at": received_at.isoformat(),
    }  # fmt: skip
    record(doc, opinion_id, events)
    await store.save(OPINIONS, doc)
    return SubmissionResult(events=events)


def unknown_conference_error(conference_id: str) -> DomainError:
    return DomainError(
        "unknown_conference", f"Không có hội nghị '{conference_id}'; kiểm tra lại mã hội nghị."
    )
