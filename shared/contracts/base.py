"""Base classes for every message that crosses a service boundary.

Every event and command is a frozen pydantic model that forbids unknown fields, so a typo in another
system's payload is refused with a reason instead of being silently dropped. The field descriptions
are the documentation other systems read (they end up in the AsyncAPI documents).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.ids import derived_id, new_id
from shared.timeutil import utcnow

__all__ = ["Command", "CommandResult", "Event", "Message", "Value", "derived_id", "new_id"]


class Message(BaseModel):
    """Fields common to events and commands."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)

    event_id: str = Field(
        default_factory=new_id,
        min_length=1,
        max_length=100,
        description="Unique id of this message; also its Nats-Msg-Id, so re-publishing it is a no-op.",
    )
    occurred_at: AwareDatetime = Field(
        default_factory=utcnow, description="When it happened, timezone-aware (UTC on the wire)."
    )
    schema_version: int = Field(
        default=1,
        ge=1,
        le=1,
        description="Schema version of this payload; this release reads version 1 only.",
    )
    correlation_id: str = Field(
        default_factory=new_id,
        min_length=1,
        max_length=100,
        description="Id shared by every message of one business flow (one opinion's path), for tracing.",
    )

    def to_json(self) -> bytes:
        """Serialise as JSON bytes ."""
        return self.model_dump_json().encode()

    @property
    def occurred_utc(self) -> dt.datetime:
        return self.occurred_at.astimezone(dt.UTC)


class Event(Message):
    """Something that happened; past tense, published on the owner's stream."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def routing_subject(self) -> str:
        """The subject it is published on (the class's ``SUBJECT`` unless overridden)."""
        subject = getattr(type(self), "SUBJECT", None)
        if not isinstance(subject, str):
            raise TypeError(f"{type(self).__name__} has no SUBJECT")
        return subject


class Command(Message):
    """Something asked of a service; imperative."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CommandResult(BaseModel):
    """The answer to every request/reply command: success with data, or a reason and a sentence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ok: bool = Field(description="True when the command was carried out (or had already been).")
    code: str = Field(default="ok", description="Machine-readable reason code; 'ok' on success.")
    message: str = Field(default="", description="One sentence for the person who sent the command.")
    data: dict[str, Any] | list[Any] | None = Field(default=None, description="Result payload.")


class Value(BaseModel):
    """A nested value object inside a message (no id of its own)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
