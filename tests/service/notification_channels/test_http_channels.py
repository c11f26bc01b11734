from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from notification_servers import HttpServer, Received, free_port

from services.notification.adapters.channels.provider import ProviderChannel, ProviderSettings
from services.notification.adapters.channels.signing import verify_signature
from services.notification.adapters.channels.webhook import WebhookChannel, WebhookSettings
from services.notification.adapters.ratelimit import RateLimitedChannel, TokenBucket
from services.notification.adapters.retry import RetryPolicy, send_with_retry
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.adapters.template_samples import SAMPLES
from services.notification.domain.errors import PermanentChannelError, TransientChannelError
from services.notification.domain.messages import Message
from services.notification.domain.triggers import Channel, Trigger

pytestmark = pytest.mark.service

SECRET = "khóa-bí-mật-dùng-chung"
QUICK = RetryPolicy(max_attempts=4, initial_wait=0.01, max_wait=0.05, jitter=0.01)


def message(channel: Channel, to: str, key: str) -> Message:
    trigger = Trigger.OPINION_ACKNOWLEDGED
    content = TemplateCatalog().render(trigger, channel, SAMPLES[trigger])
    return Message(key, key, trigger, channel, to, "Ông Nguyễn Văn An", content)


def verifying(request: Received) -> tuple[int, bytes]:
    """A receiver as another system would write it: refuse anything not signed with the secret."""
    ok = verify_signature(
        SECRET,
        request.headers["X-Dialogue-Timestamp"],
        request.body,
        request.headers["X-Dialogue-Signature"],
        tolerance=60,
    )
    return (200, b"{}") if ok else (401, b'{"error": "bad signature"}')


OPEN: list[WebhookChannel | ProviderChannel] = []


@pytest.fixture(autouse=True)
async def close_clients() -> AsyncIterator[None]:
    yield
    while OPEN:
        await OPEN.pop().aclose()


def webhook(secret: str = SECRET, timeout: float = 5.0) -> WebhookChannel:
    channel = WebhookChannel(WebhookSettings(secret=secret, timeout=timeout))
    OPEN.append(channel)
    return channel


async def test_webhook_is_signed_and_accepted_by_a_verifying_receiver(http_server: HttpServer) -> None:
    http_server.default = verifying
    notice = message(Channel.WEBHOOK, http_server.url, "wh-key-1")
    result = await webhook().send(notice)
    [request] = http_server.received
    assert result.detail == "HTTP 200"
    assert request.headers["Idempotency-Key"] == "wh-key-1"
    assert abs(int(request.headers["X-Dialogue-Timestamp"]) - time.time()) < 60
    body = request.json()
    assert body["id"] == "wh-key-1"
    assert body["trigger"] == "opinion_acknowledged"
    assert body["data"]["opinion"]["tracking_code"] == "DD-2026-0016"
    assert "tiếp nhận ý kiến mã số DD-2026-0016" in body["text"]
    assert body["text"].startswith("Xác nhận ngày ")  # the acknowledgement is dated


async def test_webhook_with_a_wrong_secret_is_rejected_permanently(http_server: HttpServer) -> None:
    http_server.default = verifying
    with pytest.raises(PermanentChannelError) as failed:
        await webhook(secret="khóa-sai").send(message(Channel.WEBHOOK, http_server.url, "wh-key-2"))
    assert failed.value.code == "rejected"


@pytest.mark.parametrize(("status", "code"), [(503, "server_error"), (429, "rate_limited")])
async def test_webhook_5xx_and_429_are_transient(http_server: HttpServer, status: int, code: str) -> None:
    http_server.default = lambda _r: (status, b"{}")
    with pytest.raises(TransientChannelError) as failed:
        await webhook().send(message(Channel.WEBHOOK, http_server.url, "wh-key-3"))
    assert failed.value.code == code


async def test_a_hanging_webhook_endpoint_is_a_transient_timeout(http_server: HttpServer) -> None:
    http_server.default = http_server.hang
    with pytest.raises(TransientChannelError) as failed:
        await webhook(timeout=0.3).send(message(Channel.WEBHOOK, http_server.url, "wh-key-4"))
    assert failed.value.code == "timeout"


def provider(url: str, timeout: float = 5.0) -> ProviderChannel:
    channel = ProviderChannel(
        ProviderSettings(endpoint=url, api_key="khoa-api", api_key_header="X-Api-Key", timeout=timeout)
    )
    OPEN.append(channel)
    return channel


async def test_provider_recovers_after_failing_on_purpose(http_server: HttpServer) -> None:
    http_server.behaviours = [lambda _r: (503, b"busy")] * 2
    notice = message(Channel.SMS, "0912345678", "sms-key-1")
    result = await send_with_retry(provider(http_server.url), notice, QUICK)
    assert (result.attempts, result.provider_id) == (3, "ok-1")
    assert len(http_server.received) == 3
    bodies = [r.json() for r in http_server.received]
    assert {b["idempotency_key"] for b in bodies} == {"sms-key-1"}
    assert bodies[0]["to"] == "0912345678"
    assert bodies[0]["text"].startswith("Xã Đồng Du xác nhận ngày ")  # dated, as the notice is
    assert "đã tiếp nhận ý kiến" in bodies[0]["text"]
    assert http_server.received[0].headers["X-Api-Key"] == "khoa-api"


async def test_provider_gives_up_after_the_configured_attempts(http_server: HttpServer) -> None:
    http_server.default = lambda _r: (502, b"down")
    with pytest.raises(TransientChannelError) as failed:
        await send_with_retry(provider(http_server.url), message(Channel.SMS, "0912345678", "sms-2"), QUICK)
    assert failed.value.code == "server_error"
    assert len(http_server.received) == QUICK.max_attempts


async def test_provider_400_is_permanent_and_not_retried(http_server: HttpServer) -> None:
    http_server.default = lambda _r: (400, b'{"error": "invalid number"}')
    with pytest.raises(PermanentChannelError) as failed:
        await send_with_retry(provider(http_server.url), message(Channel.SMS, "0912345678", "sms-3"), QUICK)
    assert failed.value.code == "rejected"
    assert len(http_server.received) == 1


async def test_a_hanging_provider_is_a_transient_timeout(http_server: HttpServer) -> None:
    http_server.default = http_server.hang
    with pytest.raises(TransientChannelError) as failed:
        await provider(http_server.url, timeout=0.3).send(message(Channel.SMS, "0912345678", "sms-4"))
    assert failed.value.code == "timeout"


async def test_an_unreachable_provider_is_transient() -> None:
    with pytest.raises(TransientChannelError) as failed:
        await provider(f"http://127.0.0.1:{free_port()}/sms").send(
            message(Channel.SMS, "0912345678", "sms-5")
        )
    assert failed.value.code == "connection_failed"


async def test_rate_limited_provider_spends_a_token_per_wire_attempt(http_server: HttpServer) -> None:
    http_server.behaviours = [lambda _r: (503, b"busy")]
    bucket = TokenBucket(rate=1000.0, capacity=5)
    limited = RateLimitedChannel(provider(http_server.url), bucket)
    await send_with_retry(limited, message(Channel.SMS, "0912345678", "sms-6"), QUICK)
    assert len(http_server.received) == 2


async def test_provider_accepts_a_non_json_reply(http_server: HttpServer) -> None:
    http_server.default = lambda _r: (202, b"accepted")
    result = await provider(http_server.url).send(message(Channel.SMS, "0912345678", "sms-7"))
    assert (result.provider_id, result.detail) == (None, "HTTP 202")
