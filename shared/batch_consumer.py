"""JetStream consumers fed in batches: FastStream fetches them, each message is handled on its own.

FastStream's per-message chain (parser, decoder, context, middlewares, fast-depends call) cost about
0.4 ms of CPU per consumed message in the benchmark's profile, more than most handlers. A consumer
is therefore FastStream's batch pull subscriber: one call per fetch, through the broker's
middlewares once, which let a batch through untouched (``connection.per_message_only``). Here each
message of the batch then gets, in a task of its own (its own log correlation, span and current
message), what FastStream's chain gave it before:

- FastStream's Prometheus consumer metrics, with the same names and labels (received, size, in
  process, processed by status, duration): the dashboard's and alerts' queries read them unchanged;
- with tracing on, a CONSUMER span ``<subject> process`` whose parent is the trace context the
  message carries, current while the handler runs, so the events it publishes are its children;
- the ack policy of ``shared.reliability`` on that message alone: ack after its outcome is
  committed, dead-letter or retry it without touching its neighbours.

The handlers of one fetch run concurrently, so the unit of work commits their outcomes together
(``shared.unit_of_work``), and a message is acked only once its own outcome is durable.

FastStream 0.7.8's batch subscriber keeps fetching until the batch is full or its timeout passed,
which holds every message of a partial batch for the whole timeout (one second here). nats-py's
``fetch`` already returns a partial batch as soon as the server has sent what it has, so
``fetch_available`` replaces that loop with one fetch per batch.
"""

from __future__ import annotations

import asyncio
import logging
import time
import types
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.prometheus.container import MetricsContainer
from faststream.prometheus.types import ProcessingStatus
from nats.aio.msg import Msg
from nats.errors import ConnectionClosedError
from nats.js.errors import ServiceUnavailableError
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, SkipValidation

from shared.reliability import ReliableConsumer
from shared.streams import consumer_config

if TYPE_CHECKING:
    from faststream.message import StreamMessage
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Span

log = logging.getLogger(__name__)
Handle = Callable[[bytes], Awaitable[Any]]
FETCH_RETRY = 1.0  # seconds before fetching again after an unexpected fetch failure
_current: ContextVar[Msg | None] = ContextVar("dialogue_current_message", default=None)


def current_message() -> Msg:
    """The JetStream message whose handler is running (raises outside a consumer's handler)."""
    message = _current.get()
    if message is None:
        raise RuntimeError("current_message() called outside a JetStream consumer")
    return message


@dataclass
class _Children:
    """The label children of FastStream's consumer metrics for one subject."""

    received: Any
    size: Any
    in_process: Any
    duration: Any
    processed: dict[str, Any] = field(default_factory=dict)


class ConsumeMetrics:
    """FastStream's Prometheus consumer metrics, recorded one message at a time.

    ``MetricsContainer`` takes the collectors FastStream's own middleware registered on the same
    registry (or registers them first), so both write the same series: ``app_name`` is the
    service, ``broker`` "nats", ``handler`` the message's subject, as FastStream labels them.
    """

    def __init__(self, registry: CollectorRegistry, app_name: str) -> None:
        self.metrics = MetricsContainer(registry, metrics_prefix="faststream", custom_label_names=())
        self.app_name = app_name
        self._of: dict[str, _Children] = {}

    def of(self, subject: str) -> _Children:
        children = self._of.get(subject)
        if children is None:
            labels = (self.app_name, "nats", subject)
            m = self.metrics
            children = self._of[subject] = _Children(
                received=m.received_messages_total.labels(*labels),
                size=m.received_messages_size_bytes.labels(*labels),
                in_process=m.received_messages_in_process.labels(*labels),
                duration=m.received_processed_messages_duration_seconds.labels(*labels),
            )
        return children

    def processed(self, subject: str, children: _Children, status: str) -> Any:
        child = children.processed.get(status)
        if child is None:
            labels = (self.app_name, "nats", subject, status)
            child = children.processed[status] = self.metrics.received_processed_messages_total.labels(
                *labels
            )
        return child

    def exception(self, subject: str, error: BaseException) -> None:
        labels = (self.app_name, "nats", subject, type(error).__name__)
        self.metrics.received_processed_messages_exceptions_total.labels(*labels).inc()


class ConsumeSpans:
    """A CONSUMER span per message, as FastStream's NATS telemetry middleware names and fills it."""

    def __init__(self, provider: TracerProvider) -> None:
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        self.tracer = provider.get_tracer("dialogue.consumers")
        self.propagator = TraceContextTextMapPropagator()

    def span(self, message: Msg) -> AbstractContextManager[Span]:
        from opentelemetry.trace import SpanKind

        headers = message.headers or {}
        return self.tracer.start_as_current_span(
            f"{message.subject} process",
            context=self.propagator.extract(headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.operation": "process",
                "messaging.message.id": headers.get("Nats-Msg-Id", ""),
                "messaging.message.conversation_id": headers.get("correlation_id", ""),
                "messaging.message.body.size": len(message.data),
                "messaging.destination_publish.name": message.subject,
            },
        )


class BatchHandler:
    """What FastStream calls with a fetched batch: each message handled, metered and settled alone."""

    def __init__(
        self,
        handle: Handle,
        policy: ReliableConsumer,
        metrics: ConsumeMetrics,
        spans: ConsumeSpans | None = None,
    ) -> None:
        self.handle = handle
        self.policy = policy
        self.metrics = metrics
        self.spans = spans

    async def __call__(self, messages: Sequence[Msg]) -> None:
        # One task per message (gather wraps each coroutine): its context is its own, and the
        # handlers that decide in the same loop turn are committed together.
        await asyncio.gather(*(self.one(m) for m in messages))

    async def one(self, message: Msg) -> None:
        subject = message.subject
        children = self.metrics.of(subject)
        children.received.inc()
        children.size.observe(len(message.data))
        children.in_process.inc()
        _current.set(message)
        started = time.perf_counter()
        status = ProcessingStatus.error.value
        try:
            with self.spans.span(message) if self.spans is not None else nullcontext():
                status = await self.policy.settle(lambda: self.handle(message.data), message)
        except Exception as exc:  # settling failed (the connection went): JetStream redelivers
            self.metrics.exception(subject, exc)
            log.warning("could not settle a message on %s: %s; it will be redelivered", subject, exc)
        finally:
            children.duration.observe(time.perf_counter() - started)
            children.in_process.dec()
            self.metrics.processed(subject, children, status).inc()


async def _fetch_available(self: Any) -> None:
    """The batch subscriber's consuming loop: one fetch per batch, whatever it brought."""
    batch, timeout = self.pull_sub.batch_size, self.pull_sub.timeout
    while self.running:
        try:
            messages = await self.subscription.fetch(batch=batch, timeout=timeout)
        except TimeoutError:
            continue  # nothing arrived within the timeout: ask again
        except (ConnectionClosedError, ServiceUnavailableError):
            await asyncio.sleep(FETCH_RETRY)  # unacked messages stay with JetStream
            continue
        except Exception as exc:
            log.warning("fetching from %s failed: %s; fetching again", self.subscription, exc)
            await asyncio.sleep(FETCH_RETRY)
            continue
        if messages and self.running:
            await self.consume(messages)


def fetch_available(subscriber: Any) -> None:
    """Make a FastStream batch pull subscriber fetch once per batch (see the module)."""
    subscriber._consume_pull = types.MethodType(_fetch_available, subscriber)


async def raw_batch(msg: StreamMessage[Any], original_decoder: Callable[..., Awaitable[Any]]) -> Any:
    """A fetched batch undecoded: its nats-py messages, each handled by ``BatchHandler``."""
    return msg.raw_message


def subscribe_batches(
    broker: NatsBroker,
    subject: str,
    on_batch: BatchHandler,
    model: type[BaseModel],
    *,
    stream: str,
    durable: str,
    batch_size: int,
    inbox_prefix: str,
    name: str,
) -> None:
    """Register ``on_batch`` as the durable ``durable``'s batch pull subscriber on ``subject``.

    ``model`` is what one message carries: the AsyncAPI document shows its schema, not an array.
    """

    async def handler(body: Any) -> None:
        await on_batch(body)

    handler.__name__ = handler.__qualname__ = name
    handler.__annotations__ = {"body": SkipValidation[model], "return": None}  # type: ignore[misc,valid-type]
    subscriber = broker.subscriber(
        subject,
        stream=JStream(stream, declare=False),
        durable=durable,
        config=consumer_config(durable),
        pull_sub=PullSub(batch_size=batch_size, timeout=1.0, batch=True),
        # FastStream passes its own default ("_INBOX.") to nats-py, over the connection's.
        inbox_prefix=f"{inbox_prefix}.".encode(),
        ack_policy=AckPolicy.MANUAL,  # each message is settled by ``on_batch``
        decoder=raw_batch,
        title=f"{durable}:{subject}",
    )
    subscriber(handler)
    fetch_available(subscriber)
