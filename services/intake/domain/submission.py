"""Turning an external submission (a dict decoded from JSON) into a ``SubmitOpinion``, or one refusal.

The first problem found is reported, in a fixed order (source, shape, unknown fields, missing fields,
types, values, conference), so the same bad payload always yields the same reason code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Container, Mapping
from typing import Any

from . import refusals
from .model import Channel, OpinionKind, SubmitOpinion, Submitter, SubmitterRole
from .text import normalise

__all__ = ["DEFAULT_MAX_CONTENT", "SCHEMA_VERSION", "check_content", "validate_submission"]

SCHEMA_VERSION = 1
DEFAULT_MAX_CONTENT = 10_000
_MAX_SHORT_TEXT = 500
# The same keys as the wire contract (shared/contracts/intake.py, SubmitOpinion v1) and its envelope.
_ENVELOPE = ("event_id", "occurred_at", "correlation_id")
_TOP = {
    "schema_version", *_ENVELOPE, "external_id", "kind", "content", "submitter", "conference_id",
    "channel", "attachments", "received_at",
}  # fmt: skip
_REQUIRED_TOP = ("external_id", "content", "submitter")
_SUBMITTER = {"name", "role", "residence", "phone", "email", "consent_to_contact"}
_REQUIRED_SUBMITTER = ("name",)
# Mobile 0 + 9 digits, landline 0 + 10 digits; +84 or 84 replaces the leading 0.
_PHONE = re.compile(r"(?:0|\+84|84)[1-9]\d{8,9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_content(text: str, limit: int = DEFAULT_MAX_CONTENT) -> str:
    """The content in NFC, refused when blank or longer than ``limit`` characters."""
    content = normalise(text)
    if not content:
        raise refusals.empty_content()
    if len(content) > limit:
        raise refusals.content_too_long(len(content), limit)
    return content


def _check_keys(doc: Mapping[str, Any], allowed: set[str], required: tuple[str, ...], prefix: str) -> None:
    for key in sorted(doc):
        if key not in allowed:
            raise refusals.unknown_field(prefix + key)
    for key in required:
        if doc.get(key) is None:
            raise refusals.missing_field(prefix + key)


def _text(doc: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise refusals.wrong_type(path, "chuỗi ký tự")
    text = normalise(value)
    if required and not text:
        raise refusals.empty_text(path)
    if len(text) > _MAX_SHORT_TEXT:
        raise refusals.text_too_long(path, _MAX_SHORT_TEXT)
    return text or None


def _choice(value: Any, path: str, allowed: type[OpinionKind] | type[Channel] | type[SubmitterRole]) -> str:
    if not isinstance(value, str):
        raise refusals.wrong_type(path, "chuỗi ký tự")
    if value not in {member.value for member in allowed}:
        raise refusals.invalid_value(path, [member.value for member in allowed])
    return value


def _submitter(value: Any) -> Submitter:
    if not isinstance(value, dict):
        raise refusals.not_an_object("submitter")
    _check_keys(value, _SUBMITTER, _REQUIRED_SUBMITTER, "submitter.")
    role = _choice(value.get("role", "citizen"), "submitter.role", SubmitterRole)
    phone = _text(value, "phone", "submitter.phone", required=False)
    if phone is not None:
        phone = re.sub(r"[ .\-()]", "", phone)
        if not _PHONE.fullmatch(phone):
            raise refusals.invalid_phone()
    email = _text(value, "email", "submitter.email", required=False)
    if email is not None and not _EMAIL.fullmatch(email):
        raise refusals.invalid_email()
    consent = value.get("consent_to_contact", False)
    if not isinstance(consent, bool):
        raise refusals.wrong_type("submitter.consent_to_contact", "giá trị đúng/sai (true/false)")
    return Submitter(
        name=_text(value, "name", "submitter.name") or "",
        role=SubmitterRole(role),
        residence=_text(value, "residence", "submitter.residence", required=False) or "",
        phone=phone,
        email=email,
        consent_to_contact=consent,
    )


def _received_at(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise refusals.wrong_type("received_at", "chuỗi ký tự")
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise refusals.invalid_datetime("received_at") from None
    if instant.tzinfo is None:
        raise refusals.invalid_datetime("received_at")
    return instant.astimezone(dt.UTC)


def _attachments(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise refusals.wrong_type("attachments", "danh sách chuỗi ký tự không rỗng")
    return tuple(item.strip() for item in value)


def validate_submission(
    payload: Any,
    *,
    source: str,
    known_sources: Collection[str],
    known_conferences: Container[str],
    max_content: int = DEFAULT_MAX_CONTENT,
) -> SubmitOpinion:
    """The command an external submission stands for, or the first reason it is refused."""
    if source not in known_sources:
        raise refusals.unknown_source(source)
    if not isinstance(payload, dict):
        raise refusals.not_an_object()
    version = payload.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise refusals.unsupported_version(version)
    _check_keys(payload, _TOP, _REQUIRED_TOP, "")
    for key in _ENVELOPE:
        _text(payload, key, key, required=False)
    external_id = _text(payload, "external_id", "external_id") or ""
    kind = _choice(payload.get("kind", OpinionKind.OPINION.value), "kind", OpinionKind)
    content_value = payload["content"]
    if not isinstance(content_value, str):
        raise refusals.wrong_type("content", "chuỗi ký tự")
    content = check_content(content_value, max_content)
    submitter = _submitter(payload["submitter"])
    channel = _choice(payload.get("channel", Channel.EXTERNAL_SYSTEM.value), "channel", Channel)
    conference_id = _text(payload, "conference_id", "conference_id", required=False)
    attachments = _attachments(payload.get("attachments"))
    received_at = _received_at(payload.get("received_at"))
    if conference_id is not None and conference_id not in known_conferences:
        raise refusals.unknown_conference(conference_id)
    return SubmitOpinion(
        source=source,
        external_id=external_id,
        kind=OpinionKind(kind),
        content=content,
        submitter=submitter,
        channel=Channel(channel),
        conference_id=conference_id,
        attachments=attachments,
        received_at=received_at,
    )
