"""An SMS/Zalo-style HTTP provider: JSON ``{to, text, idempotency_key}`` with an API key header."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

from services.notification.adapters.channels.http_errors import post_classified
from services.notification.adapters.channels.signing import IDEMPOTENCY_HEADER
from services.notification.domain.messages import Message, SendResult
from services.notification.domain.triggers import Channel


@dataclass(frozen=True)
class ProviderSettings:
    endpoint: str
    api_key: str
    api_key_header: str = "X-API-Key"
    timeout: float = 10.0
    sender: str | None = None


class ProviderChannel:
    channel = Channel.SMS

    def __init__(self, settings: ProviderSettings, client: httpx.AsyncClient | None = None) -> None:
        self._settings = settings
        self._client = client or httpx.AsyncClient(timeout=settings.timeout, follow_redirects=False)

    async def send(self, message: Message) -> SendResult:
        document: dict[str, str] = {
            "to": message.to,
            "text": message.content.text,
            "idempotency_key": message.key,
        }
        if self._settings.sender:
            document["sender"] = self._settings.sender
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            self._settings.api_key_header: self._settings.api_key,
            IDEMPOTENCY_HEADER: message.key,
        }
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        response = await post_classified(self._client, self._settings.endpoint, body, headers)
        provider_id: str | None = None
        try:
            reply = response.json()
            if isinstance(reply, dict) and reply.get("id") is not None:
                provider_id = str(reply["id"])
        except ValueError:
            pass  # The provider accepted the message; an unparsable reply must not turn that into a failure.
        return SendResult(provider_id=provider_id, detail=f"HTTP {response.status_code}")

    async def aclose(self) -> None:
        await self._client.aclose()
