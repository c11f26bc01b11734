"""What a channel adapter receives and returns, and the port every channel implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from services.notification.domain.ledger import Delivery
from services.notification.domain.triggers import Channel, Trigger


@dataclass(frozen=True)
class Rendered:
    """Content of one notice: ``subject``/``html`` for e-mail, ``payload`` for webhooks."""

    text: str
    subject: str | None = None
    html: str | None = None
    payload: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Message:
    """One notice ready for the wire; ``key`` is the idempotency key / Message-ID seed."""

    delivery_id: str
    key: str
    trigger: Trigger
    channel: Channel
    to: str
    recipient_name: str
    content: Rendered


@dataclass(frozen=True)
class SendResult:
    """What the channel reported; ``attempts`` counts in-process tries (set by the retry wrapper)."""

    provider_id: str | None = None
    detail: str = ""
    attempts: int = 1
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_attempts(self, attempts: int) -> SendResult:
        return replace(self, attempts=attempts)


class ChannelAdapter(Protocol):
    """Every channel: raise ``TransientChannelError`` or ``PermanentChannelError`` with a reason code."""

    channel: Channel

    async def send(self, message: Message) -> SendResult: ...


def message_for(delivery: Delivery, content: Rendered) -> Message:
    """The wire message of a delivery that is in ``sending``."""
    if delivery.channel is None or delivery.address is None:
        raise ValueError("an unreachable delivery has no message")
    return Message(
        delivery_id=delivery.id,
        key=delivery.idempotency_key,
        trigger=delivery.trigger,
        channel=delivery.channel,
        to=delivery.address,
        recipient_name=delivery.recipient_name,
        content=content,
    )
