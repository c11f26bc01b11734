"""The ack policy of every JetStream consumer, chosen once and on purpose.

- success → ack, after the handler's outgoing events have been stored by JetStream;
- invalid payload or a refused reference (``ValidationError``, ``DomainError``) → the message can
  never succeed: it is terminated (no redelivery) and recorded on ``deadletter.<service>.<reason>``
  with its raw payload, a reason code and a sentence, and counted;
- transient trouble (store down, NATS timeout, optimistic-lock conflict) → nack with an exponential
  delay, so the message comes back when the trouble has likely passed;
- an unexpected exception (a bug) → treated as transient up to ``MAX_DELIVER`` deliveries, then
  dead-lettered with reason ``retries_exhausted``: nothing is dropped silently.

A consumer's messages are settled one by one by ``ReliableConsumer.settle``, which
``shared.batch_consumer`` calls for each message of a fetched batch. Operator commands (core NATS
request/reply) have no ack: this module's middleware only answers a payload they cannot parse.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from faststream import BaseMiddleware
from nats.aio.msg import Msg
from pydantic import ValidationError

from shared import refusals
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError, TransientError
from shared.logs import correlation_id
from shared.storage.port import ConcurrencyConflict
from shared.subjects import MAX_DELIVER

if TYPE_CHECKING:
    from faststream.message import StreamMessage

log = logging.getLogger(__name__)

TRANSIENT: tuple[type[BaseException], ...] = (
    TransientError,
    ConcurrencyConflict,
    TimeoutError,
    ConnectionError,
)


def retry_delay(deliveries: int) -> float:
    """Seconds before the next delivery: 0.5 s doubling up to 60 s."""
    return float(min(60.0, 0.5 * 2 ** max(0, deliveries - 1)))


def deliveries_of(raw: Any) -> int:
    try:
        return int(raw.metadata.num_delivered)
    except Exception:
        return 1


async def tolerant_decoder(msg: StreamMessage[Any], original_decoder: Callable[..., Awaitable[Any]]) -> Any:
    """FastStream's decoder, except that a body it cannot decode (labelled JSON but not JSON, nested
    too deeply) is handed on as raw bytes: validation then fails and the policy answers with a
    reason, instead of the decoder's exception escaping the handler and leaving the sender without one."""
    try:
        return await original_decoder(msg)
    except (ValueError, RecursionError):
        return msg.body


async def raw_body(msg: StreamMessage[Any], original_decoder: Callable[..., Awaitable[Any]]) -> Any:
    """No decoding at all: for handlers that validate the raw JSON bytes with pydantic themselves."""
    return msg.body


def classify_bad_payload(
    data: bytes, exc: ValidationError, *, skip_parameter: bool = True
) -> tuple[str, str]:
    """Say what is wrong with a payload FastStream could not turn into the handler's model.

    ``skip_parameter``: the error locations start with the handler's parameter name (FastStream's
    validation), not with a field of the payload (a model validated directly).
    """
    errors = exc.errors()
    if skip_parameter:
        errors = [{**e, "loc": tuple(e.get("loc", ()))[1:]} for e in errors]
    try:
        refusal = refusals.explain_bytes(data, errors, max_bytes=None)  # NATS already bounds the size
    except DomainError as undecodable:
        refusal = undecodable
    return refusal.code, refusal.message


Publish = Callable[[MessageRejected], Awaitable[None]]
# The processing statuses of FastStream's Prometheus metrics (``ProcessingStatus``).
ACKED, NACKED, REJECTED = "acked", "nacked", "rejected"


def rejection_for(service: str, raw: Any, code: str, sentence: str, deliveries: int) -> MessageRejected:
    data: bytes = getattr(raw, "data", b"") or b""
    headers = dict(getattr(raw, "headers", None) or {})
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(data).decode("ascii"), "base64"
    return MessageRejected(
        service=service,
        subject=str(getattr(raw, "subject", "")),
        reason=code,
        message=sentence,
        raw_payload=text[:1_000_000],
        raw_encoding=encoding,
        original_msg_id=headers.get("Nats-Msg-Id"),
        deliveries=deliveries,
    )


class ReliabilityMiddleware(BaseMiddleware):
    """The FastStream middleware applying ``policy`` to each message (built per message by FastStream)."""

    __slots__ = ("policy",)

    def __init__(self, msg: Any, /, *, context: Any, policy: ReliableConsumer) -> None:
        super().__init__(msg, context=context)
        self.policy = policy

    async def consume_scope(self, call_next: Callable[..., Awaitable[Any]], msg: StreamMessage[Any]) -> Any:
        return await self.policy.consume(call_next, msg)


class ReliableConsumer:
    """The policy above; passed in a broker's ``middlewares``, it builds a ``ReliabilityMiddleware``."""

    def __init__(self, service: str, publish_rejection: Publish, on_rejected: Callable[[str], None]) -> None:
        self.service = service
        self.publish_rejection = publish_rejection
        self.on_rejected = on_rejected
        self.on_retry: Callable[[str], None] = lambda subject: None

    def __call__(self, msg: Any, /, *, context: Any) -> ReliabilityMiddleware:
        return ReliabilityMiddleware(msg, context=context, policy=self)

    async def reject(self, raw: Msg, code: str, sentence: str) -> str:
        """Dead-letter ``raw`` with its reason and terminate it (no redelivery)."""
        rejection = rejection_for(self.service, raw, code, sentence, deliveries_of(raw))
        await self.publish_rejection(rejection)
        self.on_rejected(code)
        log.warning("rejected message on %s: %s (%s)", rejection.subject, sentence, code)
        await raw.term()
        return REJECTED

    async def answer_request(self, call_next: Callable[..., Awaitable[Any]], msg: StreamMessage[Any]) -> Any:
        """Core request/reply (operator commands): a payload that cannot even be parsed still gets
        an answer with a reason code and a sentence, instead of leaving the requester to time out."""
        raw = msg.raw_message
        try:
            return await call_next(msg)
        except ValidationError as exc:
            code, sentence = classify_bad_payload(getattr(raw, "data", b"") or b"", exc)
            self.on_rejected(code)
            reply = getattr(raw, "reply", "") or ""
            if reply:
                answer = {"ok": False, "code": code, "message": sentence, "data": None}
                await raw.respond(json.dumps(answer, ensure_ascii=False).encode())
            return None

    async def consume(self, call_next: Callable[..., Awaitable[Any]], msg: StreamMessage[Any]) -> Any:
        """FastStream's middleware path, which only operator commands take: a JetStream consumer's
        messages are settled one by one by ``shared.batch_consumer`` (``settle``)."""
        return await self.answer_request(call_next, msg)

    async def settle(self, call: Callable[[], Awaitable[Any]], raw: Msg) -> str:
        """Run ``call`` (the handler of ``raw``) and ack, nack or dead-letter ``raw`` as the policy
        says; the status FastStream's metrics give it ("acked", "nacked", "rejected")."""
        headers = raw.headers or {}
        correlation_id.set(headers.get("correlation_id", ""))
        try:
            await call()
        except ValidationError as exc:
            code, sentence = classify_bad_payload(raw.data or b"", exc, skip_parameter=False)
            return await self.reject(raw, code, sentence)
        except DomainError as exc:
            return await self.reject(raw, exc.code, exc.message)
        except Exception as exc:
            deliveries = deliveries_of(raw)
            if not isinstance(exc, TRANSIENT):
                log.exception("handler failed on %s (delivery %d)", raw.subject, deliveries)
            if deliveries >= MAX_DELIVER:
                sentence = f"Message could not be processed after {deliveries} attempts: {exc}"
                return await self.reject(raw, "retries_exhausted", sentence)
            self.on_retry(raw.subject)
            await raw.nak(delay=retry_delay(deliveries))
            return NACKED
        await raw.ack()
        return ACKED
