"""Rejections: what a consumer refused, why, and the raw payload, on ``deadletter.<service>.<reason>``."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from shared.contracts.base import Event


class MessageRejected(Event):
    """A message a consumer refused for good; kept with its raw payload for operators."""

    SUBJECT: ClassVar[str] = "deadletter"

    service: str = Field(description="Service that refused the message.")
    subject: str = Field(description="Subject the message arrived on.")
    reason: str = Field(description="Machine-readable reason code, e.g. invalid_payload, unknown_conference.")
    message: str = Field(description="One sentence: what was wrong and how to fix it.")
    raw_payload: str = Field(description="The payload as received (UTF-8 text, or base64 when not UTF-8).")
    raw_encoding: str = Field(default="utf-8", description="'utf-8' or 'base64'.")
    original_msg_id: str | None = Field(default=None, description="Nats-Msg-Id of the refused message.")
    deliveries: int = Field(default=1, description="How many times it had been delivered.")
