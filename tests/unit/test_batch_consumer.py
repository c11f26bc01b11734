"""A fetched batch: each message handled, metered and settled on its own, and no fetch held back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from shared.batch_consumer import BatchHandler, ConsumeMetrics, _fetch_available, current_message
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError, TransientError
from shared.reliability import ReliableConsumer


@dataclass
class FakeMsg:
    """The part of nats-py's ``Msg`` a consumer touches; records how it was settled."""

    subject: str
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)
    reply: str = "$JS.ACK.STREAM.durable.1.1.1.0.0"
    settled: list[str] = field(default_factory=list)
    metadata: Any = field(default_factory=lambda: SimpleNamespace(num_delivered=1))

    async def ack(self) -> None:
        self.settled.append("ack")

    async def nak(self, delay: float | None = None) -> None:
        self.settled.append(f"nak {delay}")

    async def term(self) -> None:
        self.settled.append("term")


def value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, {"app_name": "assignment", "broker": "nats", **labels}) or 0.0


async def test_each_message_of_a_batch_is_settled_and_counted_alone() -> None:
    registry = CollectorRegistry()
    rejected: list[MessageRejected] = []

    async def publish_rejection(rejection: MessageRejected) -> None:
        rejected.append(rejection)

    policy = ReliableConsumer("assignment", publish_rejection, lambda reason: None)
    seen: dict[bytes, Any] = {}

    async def handle(body: bytes) -> None:
        await asyncio.sleep(0)  # the others run meanwhile: each keeps its own current message
        seen[body] = current_message()
        if body == b"refused":
            raise DomainError("unknown_field", "Lĩnh vực không có trong danh mục.")
        if body == b"busy":
            raise TransientError("store down")

    messages = [FakeMsg("intake.opinion.classified", body) for body in (b"fine", b"refused", b"busy")]
    await BatchHandler(handle, policy, ConsumeMetrics(registry, "assignment"))(messages)  # type: ignore[arg-type]

    assert [m.settled for m in messages] == [["ack"], ["term"], ["nak 0.5"]]
    assert {body: m.data for body, m in seen.items()} == {m.data: m.data for m in messages}
    assert [r.reason for r in rejected] == ["unknown_field"]
    handler = {"handler": "intake.opinion.classified"}
    assert value(registry, "faststream_received_messages_total", **handler) == 3
    for status in ("acked", "rejected", "nacked"):
        processed = value(registry, "faststream_received_processed_messages_total", **handler, status=status)
        assert processed == 1, status
    assert value(registry, "faststream_received_messages_in_process", **handler) == 0
    with pytest.raises(RuntimeError):
        current_message()  # the handlers' tasks kept theirs to themselves


async def test_a_partial_batch_is_handled_without_waiting_for_the_fetch_timeout() -> None:
    """FastStream 0.7.8's own loop fetches again until the batch is full or the timeout passed; ours
    hands on what one fetch brought."""
    calls: list[tuple[str, Any]] = []
    first = [FakeMsg("intake.opinion.classified", b"only one")]

    class Subscription:
        async def fetch(self, batch: int, timeout: float) -> list[FakeMsg]:
            calls.append(("fetch", batch))
            if len(calls) == 1:
                return first
            subscriber.running = False
            raise TimeoutError

    async def consume(messages: list[FakeMsg]) -> None:
        calls.append(("consume", messages))

    subscriber = SimpleNamespace(
        running=True,
        pull_sub=SimpleNamespace(batch_size=50, timeout=30.0),
        subscription=Subscription(),
        consume=consume,
    )
    await _fetch_available(subscriber)
    assert calls == [("fetch", 50), ("consume", first), ("fetch", 50)]
