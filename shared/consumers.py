"""Registering a service's durable JetStream consumers and its operator commands on the broker.

Both kinds of handler may return an ``Outcome``: the unit of work commits it (save, publish, clear the
outbox) before the message is acked or the command answered.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import typing
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from pydantic import BaseModel, SkipValidation, ValidationError

from shared import refusals, streams
from shared.batch_consumer import (
    BatchHandler,
    ConsumeMetrics,
    ConsumeSpans,
    current_message,
    subscribe_batches,
)
from shared.contracts.base import CommandResult
from shared.errors import DomainError, TransientError
from shared.reliability import ReliableConsumer, raw_body, tolerant_decoder
from shared.settings import ServiceSettings
from shared.subjects import stream_for
from shared.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from prometheus_client import CollectorRegistry

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
M = TypeVar("M", bound=BaseModel)
Handler = Callable[..., Awaitable[Any]]
BUSY = "Hệ thống tạm thời bận; vui lòng thử lại sau ít phút."


class Subscriptions:
    """The consumers and commands of one service, registered on its broker."""

    def __init__(
        self,
        broker: NatsBroker,
        settings: ServiceSettings,
        uow: UnitOfWork,
        on_refused: Callable[[str], None],
        policy: ReliableConsumer,
        registry: CollectorRegistry,
        tracer: TracerProvider | None = None,
    ) -> None:
        self.broker = broker
        self.settings = settings
        self.uow = uow
        self.on_refused = on_refused  # counts a command payload refused with this reason code
        self.policy = policy  # settles each consumed message (``shared.reliability``)
        self.consume_metrics = ConsumeMetrics(registry, settings.service)
        self.spans = None if tracer is None else ConsumeSpans(tracer)  # a span per consumed message
        self.lag_consumers: list[tuple[str, str]] = []  # (stream, durable) of every consumer
        self.bindings: list[tuple[str, str, str]] = []  # (stream, durable, subject) of every consumer

    def consumer(self, subject: str, purpose: str, *, batch_size: int | None = None) -> Callable[[F], F]:
        """Register a durable JetStream pull consumer named ``<service>-<purpose>``.

        It fetches up to ``batch_size`` messages at a time (``DIALOGUE_BATCH_SIZE`` unless given)
        through FastStream's batch subscriber; ``shared.batch_consumer`` runs their handlers
        concurrently, each message with its own metrics, span and ack, and the unit of work commits
        their outcomes together (see ``shared.unit_of_work``). The handler takes one event model
        (validated from the message's bytes) or ``SkipValidation[...]`` (the raw bytes).
        """
        stream = stream_for(subject).name
        durable = f"{self.settings.service}-{purpose}"
        self.lag_consumers.append((stream, durable))
        self.bindings.append((stream, durable, subject))

        def decorate(func: F) -> F:
            handle, model = validating_json(self._committing(func))
            subscribe_batches(
                self.broker,
                subject,
                BatchHandler(handle, self.policy, self.consume_metrics, self.spans),
                model,
                stream=stream,
                durable=durable,
                batch_size=batch_size or self.settings.batch_size,
                inbox_prefix=self.settings.inbox_prefix(),
                name=func.__name__,
            )
            return func

        return decorate

    async def in_flight(self, subject: str, purpose: str) -> bool:
        """Whether this service's consumer ``purpose`` on ``subject`` still has messages to deliver
        or awaiting their ack (``streams.in_flight``)."""
        js = self.broker.connection.jetstream()
        return await streams.in_flight(js, stream_for(subject).name, f"{self.settings.service}-{purpose}")

    def current_message(self) -> Msg:
        """The JetStream message being handled (``shared.batch_consumer.current_message``)."""
        return current_message()

    def _committing(self, func: F) -> F:
        """``func`` with its returned ``Outcome`` committed by the unit of work (signature kept)."""

        @functools.wraps(func)
        async def run(*args: Any, **kwargs: Any) -> Any:
            return await self.uow.run(functools.partial(func, *args, **kwargs), func.__name__, batched=True)

        return typing.cast(F, run)

    def command(
        self, context_cmd: str, verb: str, payload: type[BaseModel] | None = None
    ) -> Callable[[F], F]:
        """Register an operator command on core NATS ``<context>.cmd.<verb>`` (queue group per service).

        With ``payload`` (a contract of ``shared.contracts``), the handler receives the validated
        model, a refused payload is answered with the reason code and sentence of
        ``shared.refusals``, and the AsyncAPI document shows the payload's schema. The handler may
        return an ``Outcome``: the unit of work commits it and the command answers its reply.
        """
        subject = f"{context_cmd}.{verb}"

        def decorate(func: F) -> F:
            if payload is None:
                handler, decoder = self._untyped(subject, func), tolerant_decoder
            else:
                handler, decoder = self._typed(subject, func, payload), raw_body
            self.broker.subscriber(subject, queue=self.settings.service, decoder=decoder, title=subject)(
                handler
            )
            return func

        return decorate

    def _untyped(self, subject: str, func: Handler) -> Handler:
        """``func`` as FastStream calls it (its own parameters and their validation), answered."""

        @functools.wraps(func)
        async def untyped(*args: Any, **kwargs: Any) -> CommandResult:
            return await self._answer(subject, functools.partial(func, *args, **kwargs))

        return untyped

    def _typed(self, subject: str, func: Handler, model: type[BaseModel]) -> Handler:
        """``func`` fed the raw body validated once as ``model``, answered."""

        async def typed(body: Any) -> CommandResult:
            try:
                command = command_payload(model, body)
            except DomainError as exc:  # like an untyped command's payload refused by the policy
                self.on_refused(exc.code)
                return CommandResult(ok=False, code=exc.code, message=exc.message)
            return await self._answer(subject, lambda: func(command))

        typed.__name__ = func.__name__
        typed.__doc__ = func.__doc__
        typed.__annotations__ = {"body": SkipValidation[model], "return": CommandResult}  # type: ignore[misc,valid-type]
        return typed

    async def _answer(self, subject: str, call: Callable[[], Awaitable[Any]]) -> CommandResult:
        """Run a command through the unit of work; a refusal or a transient failure is the answer."""
        try:
            result = await self.uow.run(call, subject)
        except DomainError as exc:
            return CommandResult(ok=False, code=exc.code, message=exc.message)
        except TransientError as exc:
            log.warning("command %s failed transiently: %s", subject, exc)
            return CommandResult(ok=False, code="temporarily_unavailable", message=BUSY)
        return result if isinstance(result, CommandResult) else CommandResult(ok=True, data=result)


def _skips_validation(annotation: Any) -> bool:
    """Whether an annotation is ``SkipValidation[...]`` (``Annotated`` with pydantic's marker)."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return False
    marks = getattr(annotation, "__metadata__", ())
    return any(isinstance(mark, SkipValidation) for mark in marks)  # type: ignore[misc]


def validating_json(func: Handler) -> tuple[Callable[[bytes], Awaitable[Any]], type[BaseModel]]:
    """A consumer's handler taking one event model, fed by pydantic straight from the JSON bytes,
    and that model (the AsyncAPI document shows its schema).

    ``model_validate_json`` on the bytes checks the payload in one pass (pydantic-core); a payload
    it refuses is a ``DomainError`` with the reason and sentence of ``shared.refusals``. A handler
    whose parameter is ``SkipValidation[Model]`` gets the raw bytes undecoded and checks them itself
    (intake's submissions, so a refused one still gets its outcome on ``intake.outcome.<source>``).
    """
    hints = typing.get_type_hints(func, include_extras=True)  # SkipValidation[...] stays Annotated
    params = [p for p in inspect.signature(func).parameters.values() if p.name != "return"]
    annotation = hints.get(params[0].name) if len(params) == 1 else None
    if _skips_validation(annotation):
        skipped = typing.get_args(annotation)[0]
        return func, skipped
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        raise TypeError(
            f"consumer {func.__name__} must take one parameter annotated with an event model "
            "or SkipValidation[model]"
        )
    event_model: type[BaseModel] = annotation

    async def handler(body: bytes) -> Any:
        try:
            event = event_model.model_validate_json(body)
        except ValidationError as exc:
            raise refusals.explain_bytes(body, exc.errors(), max_bytes=None) from None
        return await func(event)

    handler.__name__ = func.__name__
    handler.__qualname__ = func.__qualname__
    handler.__doc__ = func.__doc__
    return handler, event_model


def command_payload(model: type[M], body: Any) -> M:
    """A command's raw JSON body as ``model`` (an empty body is an empty object), or its refusal."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    if not raw.strip():
        return refusals.parse(model, {})
    return refusals.parse_json(model, raw)
