"""Signed JSON webhooks for other systems (provincial portal, hotlines, apps)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from services.notification.adapters.channels.http_errors import post_classified
from services.notification.adapters.channels.signing import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)
from services.notification.domain.errors import PermanentChannelError
from services.notification.domain.messages import Message, SendResult
from services.notification.domain.triggers import Channel


@dataclass(frozen=True)
class WebhookSettings:
    secret: str
    timeout: float = 10.0
    user_agent: str = "dialogue-notification/1"


def webhook_body(message: Message) -> bytes:
    """The exact bytes that are signed and sent; sorted keys make them reproducible."""
    if message.content.payload is None:
        raise PermanentChannelError(
            "payload_missing", "Thông báo webhook thiếu nội dung JSON; hãy báo quản trị."
        )
    document = {"id": message.key, "delivery_id": message.delivery_id, **message.content.payload}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class WebhookChannel:
    channel = Channel.WEBHOOK

    def __init__(
        self,
        settings: WebhookSettings,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._client = client or httpx.AsyncClient(timeout=settings.timeout, follow_redirects=False)
        self._clock = clock

    async def send(self, message: Message) -> SendResult:
        body = webhook_body(message)
        timestamp = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": self._settings.user_agent,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self._settings.secret, timestamp, body),
            IDEMPOTENCY_HEADER: message.key,
        }
        response = await post_classified(self._client, message.to, body, headers)
        return SendResult(
            provider_id=response.headers.get("X-Request-Id"), detail=f"HTTP {response.status_code}"
        )

    async def aclose(self) -> None:
        await self._client.aclose()
