"""The one publish path of a service: events and rejections, stored by JetStream before it returns.

Every message carries its event id as ``Nats-Msg-Id`` (JetStream drops a re-publish inside the
duplicate window), goes to the stream that stores its subject, and counts in
``dialogue_events_published_total`` once JetStream acknowledged it.

Without tracing the messages go to nats-py's ``publish_async`` directly, with the headers FastStream
would write (``correlation_id``, ``content-type``): FastStream's publish path (command objects,
middleware chain, one request future and timer per event) was a fifth of intake's time in the
benchmark, for five events per opinion. With tracing on they go through FastStream's publish, whose
telemetry middleware opens the producer span and writes the trace context into the headers.

A PubAck that says JetStream cannot store the message *yet* (503 "temporarily unavailable", or 409
``duplicate message id is in process``: a clustered stream still proposing an earlier publish of the
same id, as the outbox sweep and an in-flight unit of work both do) fails the publish with a
``TransientError``: the events stay in the outbox, the message is redelivered and the same ids are
re-published, which the duplicate window answers once the first publish is stored. Any other
refusal (no stream, a wrong stream) is raised as it is, so its traceback is logged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Any

from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.client import JetStreamContext
from nats.js.errors import APIError, ServiceUnavailableError

from shared.contracts.base import Event
from shared.errors import TransientError
from shared.metrics import CommonMetrics
from shared.subjects import stream_for

PUBLISH_TIMEOUT = 10.0  # seconds JetStream has to acknowledge the messages of one publish

# nats-server's JSStreamDuplicateMessageConflict: a clustered stream is still proposing an earlier
# publish with the same Nats-Msg-Id, so it can confirm neither that one nor this one yet.
DUPLICATE_IN_PROCESS = 10158


class Publisher:
    """Publishes (subject, message) pairs of one service and awaits their PubAcks together."""

    def __init__(self, broker: NatsBroker, service: str, metrics: CommonMetrics, traced: bool) -> None:
        self.broker = broker
        self.service = service
        self.metrics = metrics
        self.traced = traced
        self._jetstream: tuple[Client, JetStreamContext] | None = None  # per connection
        self._published: dict[str, Any] = {}  # the counter's child per stream

    async def publish(self, messages: Sequence[tuple[str, Event]]) -> None:
        """Publish in order and await every PubAck in one round trip.

        Returns only when JetStream stored every message, and raises the first failure otherwise
        (after counting what was stored), so the caller's ack still follows stored events only.
        """
        if not messages:
            return
        streams = [stream_for(subject).name for subject, _ in messages]
        acks = [
            await self._send(subject, stream, m)
            for (subject, m), stream in zip(messages, streams, strict=True)
        ]
        try:
            outcomes = await asyncio.wait_for(asyncio.gather(*acks, return_exceptions=True), PUBLISH_TIMEOUT)
        except TimeoutError as exc:
            raise TransientError(f"JetStream did not acknowledge {len(acks)} message(s) in time") from exc
        for stream, outcome in zip(streams, outcomes, strict=True):
            if not isinstance(outcome, BaseException):
                self._count(stream)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise _as_transient(outcome)

    async def _send(self, subject: str, stream: str, message: Event) -> Awaitable[Any]:
        """Send one message; the awaitable is its PubAck."""
        if self.traced:
            return asyncio.ensure_future(
                self.broker.publish(
                    message.to_json(),
                    subject,
                    headers={"Nats-Msg-Id": message.event_id, "content-type": "application/json"},
                    correlation_id=message.correlation_id,
                    stream=stream,
                    timeout=PUBLISH_TIMEOUT,
                )
            )
        headers = {
            "Nats-Msg-Id": message.event_id,
            "content-type": "application/json",
            "correlation_id": message.correlation_id,
        }
        return await self._js().publish_async(subject, message.to_json(), stream=stream, headers=headers)

    def _js(self) -> JetStreamContext:
        # One context per connection: publish_async's PubAck inbox belongs to the context.
        connection = self.broker.connection
        if self._jetstream is None or self._jetstream[0] is not connection:
            self._jetstream = (connection, settling_error_replies(connection.jetstream()))
        return self._jetstream[1]

    def _count(self, stream: str) -> None:
        child = self._published.get(stream)
        if child is None:
            child = self._published[stream] = self.metrics.published.labels(self.service, stream)
        child.inc()


def _as_transient(failure: BaseException) -> BaseException:
    """A refusal that a cluster gives while it cannot store the message yet becomes retryable."""
    if isinstance(failure, ServiceUnavailableError) or (
        isinstance(failure, APIError) and failure.err_code == DUPLICATE_IN_PROCESS
    ):
        error = TransientError(
            f"JetStream did not store the message yet ({failure}); it will be published again"
        )
        error.__cause__ = failure
        return error
    return failure


def settling_error_replies(js: JetStreamContext) -> JetStreamContext:
    """Make ``publish_async`` fail its future when JetStream answers with an error.

    nats-py 2.14's ``JetStreamContext._handle_async_reply`` calls ``APIError.from_error``, which
    *raises* the error instead of returning it, so an error PubAck (409 ``duplicate message id is in
    process`` on a three-node cluster) escapes the reply subscription's callback: nats-py hands it to
    the connection's error callback, where FastStream logs "Connection broken" with its traceback,
    and the future is never settled, so the publish only fails at ``PUBLISH_TIMEOUT``. This wraps
    that callback (the subscription takes it on the first ``publish_async``) and sets what it raised
    on the reply's future, whose key is the last token of the reply subject, as nats-py files it.
    Anything else (a fake context in unit tests) is returned unchanged.
    """
    if not isinstance(js, JetStreamContext):
        return js
    handle = js._handle_async_reply

    async def settle(msg: Msg) -> None:
        try:
            await handle(msg)
        except Exception as exc:
            future = js._publish_async_futures.get(msg.subject.rsplit(".", 1)[-1])
            if future is not None and not future.done():  # nats-py too drops a reply no one awaits
                future.set_exception(exc)

    js._handle_async_reply = settle  # type: ignore[method-assign]
    return js


def declare(broker: NatsBroker, event_types: Sequence[type[Event]], subject: str | None = None) -> None:
    """Document what a service publishes in its AsyncAPI document (no runtime effect).

    A type without a ``SUBJECT`` (an abstract base) has no channel: it needs ``subject``.
    """
    for event_type in event_types:
        channel = subject or getattr(event_type, "SUBJECT", None)
        if not isinstance(channel, str) or not channel:
            raise TypeError(f"{event_type.__name__} has no SUBJECT; pass subject= to document it")
        broker.publisher(
            channel,
            title=f"{channel}:{event_type.__name__}",
            description=(event_type.__doc__ or "").strip(),
            schema=event_type,
        )
