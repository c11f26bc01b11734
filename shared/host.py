"""ServiceHost: everything a service process needs around its handlers.

It owns the FastStream NATS broker (with the Prometheus and reliability middlewares), the service's
document store, its JetStream streams, the ops HTTP server and the publish path. Services register
thin subscribers through ``host.consumer`` (durable JetStream pull consumers with the ack policy of
``shared.reliability``) and ``host.command`` (core request/reply for operators).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import typing
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.message import NatsMessage
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.nats.security import NatsCredentials, NatsSecurity, NatsUserPassword
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.client import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError
from pydantic import BaseModel, SkipValidation, ValidationError

from shared import refusals
from shared.consumer_lag import ConsumerLag
from shared.contracts.base import CommandResult, Event
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError, StartupError, TransientError
from shared.http import OpsServer
from shared.metrics import CommonMetrics, new_registry
from shared.nats_sync import settle
from shared.reliability import ReliableConsumer, classify_bad_payload, raw_body, tolerant_decoder
from shared.settings import ServiceSettings
from shared.startup import (
    PermissionWatch,
    check_nats_login,
    check_writable,
    credentials,
    open_configured_store,
    step,
)
from shared.storage import DocumentStore
from shared.subjects import ACK_WAIT, STREAMS, DeadLetter, StreamSpec, stream_for
from shared.tracing import telemetry_middleware, tracer_provider_for
from shared.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
M = TypeVar("M", bound=BaseModel)
PUBLISH_TIMEOUT = 10.0  # seconds JetStream has to acknowledge the events of one handler


class ServiceHost:
    """Runtime of one service: broker, store, streams, metrics and health."""

    def __init__(
        self,
        settings: ServiceSettings,
        owned_streams: Sequence[str],
        tracer_provider: TracerProvider | None = None,
        outbox: Sequence[str] = (),
    ) -> None:
        self.settings = settings
        self.name = settings.service
        self.registry = new_registry()
        self.metrics = CommonMetrics(self.registry)
        self.consumer_lag = ConsumerLag(self.registry, self.name)
        self.lag_consumers: list[tuple[str, str]] = []  # (stream, durable) of every consumer
        self.owned = [s for s in STREAMS if s.name in owned_streams or s.name == "DEADLETTER"]
        self.policy = ReliableConsumer(self.name, self.publish_rejection, self._count_rejection)
        self.policy.on_retry = lambda subject: self.metrics.retried.labels(self.name, subject).inc()
        tracer = tracer_provider or tracer_provider_for(settings)
        # With tracing on, events go through FastStream's publish, which writes the trace context
        # into their headers; otherwise straight to nats-py (see ``publish``).
        self._traced = tracer is not None
        self._jetstream: JetStreamContext | None = None
        self._published: dict[str, Any] = {}
        self.watch = PermissionWatch(settings.nats_user)
        self.broker = NatsBroker(
            settings.nats_servers(),
            security=self._security(),
            name=f"dialogue-{self.name}",
            inbox_prefix=settings.inbox_prefix(),
            error_cb=self.watch.on_error,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            middlewares=self._middlewares(tracer),
            graceful_timeout=15.0,
            logger=logging.getLogger(f"faststream.{self.name}"),
        )
        self._store: DocumentStore | None = None
        self.ops = OpsServer(settings.http_host, settings.resolved_http_port(), self.registry, self.readiness)
        self.on_start: list[Callable[[DocumentStore], Awaitable[None]]] = []
        # Directories the service writes to, checked at start-up: (setting, path).
        self.writable: list[tuple[str, Path]] = []
        self._starting: str | None = "starting"  # what start-up waits for; None once ready
        self.periodic: list[tuple[float, Callable[[], Awaitable[None]]]] = []
        self.periodic.append((settings.consumer_lag_seconds, self._refresh_consumer_lag))
        self._tasks: list[asyncio.Task[None]] = []
        # Every handler's outcome is committed here; ``outbox`` names the collections it sweeps.
        self.uow = UnitOfWork(lambda: self.store, self.publish, set(outbox))
        self.periodic.append((settings.outbox_sweep_seconds, self.sweep_outbox))

    def _middlewares(self, tracer_provider: TracerProvider | None) -> list[Any]:
        # Telemetry outermost, so a message's span covers the metrics and the ack policy too.
        chain: list[Any] = [] if tracer_provider is None else [telemetry_middleware(tracer_provider)]
        return [*chain, NatsPrometheusMiddleware(registry=self.registry, app_name=self.name), self.policy]

    # -- wiring ---------------------------------------------------------------------------------

    def _security(self) -> NatsSecurity | None:
        tls = self.settings.nats_tls_context()
        password = credentials(self.settings)[1]
        if self.settings.nats_creds:
            return NatsCredentials(str(self.settings.nats_creds), ssl_context=tls)
        if self.settings.nats_user and password:
            return NatsUserPassword(self.settings.nats_user, password, ssl_context=tls)
        return NatsSecurity(ssl_context=tls) if tls else None

    @property
    def store(self) -> DocumentStore:
        if self._store is None:
            raise TransientError("the store is not open yet")
        return self._store

    def consumer(self, subject: str, purpose: str, *, batch_size: int = 16) -> Callable[[F], F]:
        """Register a durable JetStream pull consumer named ``<service>-<purpose>``."""
        spec = stream_for(subject)
        durable = f"{self.name}-{purpose}"
        self.lag_consumers.append((spec.name, durable))
        config = consumer_config(durable)

        def decorate(func: F) -> F:
            handler, decoder = _validating_json(self._committing(func))
            self.broker.subscriber(
                subject,
                stream=JStream(spec.name, declare=False),
                durable=durable,
                config=config,
                pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
                # FastStream passes its own default ("_INBOX.") to nats-py, over the connection's.
                inbox_prefix=f"{self.settings.inbox_prefix()}.".encode(),
                ack_policy=AckPolicy.MANUAL,
                decoder=decoder,
                title=f"{durable}:{subject}",
            )(handler)
            return func

        return decorate

    def _committing(self, func: F) -> F:
        """``func`` with its returned ``Outcome`` committed by the unit of work (signature kept)."""

        @functools.wraps(func)
        async def run(*args: Any, **kwargs: Any) -> Any:
            return await self.uow.run(functools.partial(func, *args, **kwargs), func.__name__)

        return typing.cast(F, run)

    def current_message(self) -> NatsMessage:
        """The JetStream message being handled, from FastStream's context.

        Use this instead of a ``msg: NatsMessage`` handler parameter: FastStream resolves that
        annotation with a synchronous function, which fast-depends runs in a worker thread, one
        thread hop per message (11 % of intake's samples in the benchmark's profile).
        """
        message = self.broker.context.get_local("message")
        if not isinstance(message, NatsMessage):
            raise RuntimeError("current_message() called outside a JetStream consumer")
        return message

    def command(
        self, context_cmd: str, verb: str, payload: type[BaseModel] | None = None
    ) -> Callable[[F], F]:
        """Register an operator command on core NATS ``<context>.cmd.<verb>`` (queue group per service).

        With ``payload`` (a contract of ``shared.contracts``), the handler receives the validated
        model, a refused payload is answered with the reason code and sentence of
        ``shared.refusals``, and the AsyncAPI document shows the payload's schema. The handler may
        return an ``Outcome``: the host commits it and answers its reply.
        """
        subject = f"{context_cmd}.{verb}"

        def decorate(func: F) -> F:
            async def answer(call: Callable[[], Awaitable[Any]]) -> CommandResult:
                try:
                    result = await self.uow.run(call, subject)
                except DomainError as exc:
                    return CommandResult(ok=False, code=exc.code, message=exc.message)
                except TransientError as exc:
                    log.warning("command %s failed transiently: %s", subject, exc)
                    return CommandResult(
                        ok=False,
                        code="temporarily_unavailable",
                        message="Hệ thống tạm thời bận; vui lòng thử lại sau ít phút.",
                    )
                return result if isinstance(result, CommandResult) else CommandResult(ok=True, data=result)

            if payload is None:

                @functools.wraps(func)
                async def untyped(*args: Any, **kwargs: Any) -> CommandResult:
                    return await answer(functools.partial(func, *args, **kwargs))

                self.broker.subscriber(subject, queue=self.name, decoder=tolerant_decoder, title=subject)(
                    untyped
                )
                return func
            model = payload

            async def typed(body: Any) -> CommandResult:
                async def call() -> Any:
                    return await func(command_payload(model, body))

                return await answer(call)

            typed.__name__ = func.__name__
            typed.__doc__ = func.__doc__
            typed.__annotations__ = {"body": SkipValidation[model], "return": CommandResult}  # type: ignore[misc,valid-type]
            self.broker.subscriber(subject, queue=self.name, decoder=raw_body, title=subject)(typed)
            return func

        return decorate

    def emits(self, *event_types: type[Event], subject: str | None = None) -> None:
        """Declare what this service publishes, so its AsyncAPI document shows it (no runtime effect)."""
        for event_type in event_types:
            channel = subject or str(getattr(event_type, "SUBJECT", ""))
            self.broker.publisher(
                channel,
                title=f"{channel}:{event_type.__name__}",
                description=(event_type.__doc__ or "").strip(),
                schema=event_type,
            )

    # -- publishing -----------------------------------------------------------------------------

    async def publish(self, events: Sequence[Event]) -> None:
        """Publish events to their streams; each carries its event id as Nats-Msg-Id.

        The messages go out in order and their PubAcks are awaited together (one round trip instead
        of one per event); this returns only when JetStream stored every one, and raises the first
        failure otherwise, so the caller's ack still follows stored events only.

        Without tracing the events go to nats-py's ``publish_async`` directly, with the headers
        FastStream would write (``correlation_id``, ``content-type``): FastStream's publish path
        (command objects, middleware chain, one request future and timer per event) was a fifth of
        intake's time in the benchmark, for five events per opinion.
        """
        if not events:
            return
        if self._traced:
            outcomes = await asyncio.gather(*(self._publish_one(e) for e in events), return_exceptions=True)
        else:
            outcomes = await self._publish_direct(events)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def _publish_direct(self, events: Sequence[Event]) -> list[Any]:
        if self._jetstream is None:
            self._jetstream = self.broker.connection.jetstream()
        acks: list[asyncio.Future[Any]] = []
        streams: list[str] = []
        for event in events:
            subject = event.routing_subject()
            streams.append(stream_for(subject).name)
            headers = {
                "Nats-Msg-Id": event.event_id,
                "content-type": "application/json",
                "correlation_id": event.correlation_id,
            }
            acks.append(
                await self._jetstream.publish_async(
                    subject, event.to_json(), stream=streams[-1], headers=headers
                )
            )
        try:
            outcomes = await asyncio.wait_for(asyncio.gather(*acks, return_exceptions=True), PUBLISH_TIMEOUT)
        except TimeoutError as exc:
            raise TransientError(f"JetStream did not acknowledge {len(acks)} event(s) in time") from exc
        for stream, outcome in zip(streams, outcomes, strict=True):
            if not isinstance(outcome, BaseException):
                self._count_published(stream)
        return outcomes

    def _count_published(self, stream: str) -> None:
        child = self._published.get(stream)
        if child is None:
            child = self._published[stream] = self.metrics.published.labels(self.name, stream)
        child.inc()

    async def _publish_one(self, event: Event) -> None:
        subject = event.routing_subject()
        stream = stream_for(subject).name
        await self.broker.publish(
            event.to_json(),
            subject,
            headers={"Nats-Msg-Id": event.event_id, "content-type": "application/json"},
            correlation_id=event.correlation_id,
            stream=stream,
            timeout=PUBLISH_TIMEOUT,
        )
        self._count_published(stream)

    async def publish_rejection(self, rejection: MessageRejected) -> None:
        subject = DeadLetter.subject(self.name, rejection.reason)
        await self.broker.publish(
            rejection.to_json(),
            subject,
            headers={"Nats-Msg-Id": rejection.event_id},
            stream="DEADLETTER",
            timeout=10.0,
        )

    def _count_rejection(self, reason: str) -> None:
        self.metrics.rejected.labels(self.name, reason).inc()

    # -- lifecycle ------------------------------------------------------------------------------

    async def ensure_streams(self) -> None:
        js = self.broker.connection.jetstream()
        for spec in self.owned:
            config = stream_config(spec, self.settings.stream_replicas)
            try:
                await step(
                    self.watch, f"creating stream {spec.name}", functools.partial(js.add_stream, config)
                )
            except BadRequestError:
                await step(
                    self.watch, f"updating stream {spec.name}", functools.partial(js.update_stream, config)
                )

    async def wait_for_streams(self) -> None:
        """Wait until the streams this service consumes exist (their owners create them)."""
        js = self.broker.connection.jetstream()
        for name in sorted({stream for stream, _ in self.lag_consumers}):
            waited = 0
            while True:
                try:
                    await step(
                        self.watch, f"reading stream {name}'s info", functools.partial(js.stream_info, name)
                    )
                    break
                except NotFoundError:
                    self._starting = f"waiting for stream {name}, which its owning service creates"
                    if waited % 20 == 0:
                        log.info("waiting for stream %s to be created by its owner", name)
                    waited += 1
                    await asyncio.sleep(0.5)

    async def readiness(self) -> dict[str, str]:
        """Each check and "ok", or the sentence saying what is not ready."""
        if self._starting is not None:
            self.metrics.ready.labels(self.name).set(0)
            return {"start-up": self._starting}
        nats = "ok" if await self.broker.ping(timeout=0.1) else "not connected to NATS (reconnecting)"
        try:
            await self.store.ping()
            store = "ok"
        except Exception as exc:
            store = f"store unreachable: {exc}"
        self.metrics.ready.labels(self.name).set(1 if nats == store == "ok" else 0)
        return {"nats": nats, "store": store}

    async def start(self) -> None:
        """Start everything; a configuration problem raises ``StartupError`` with the setting to fix."""
        self._starting = "starting"
        await self._start_ops()
        for setting, directory in self.writable:
            check_writable(setting, directory)
        self._starting = "opening the store"
        self._store = await open_configured_store(self.settings)
        for hook in self.on_start:
            await hook(self._store)
        self._starting = "logging in to NATS"
        await check_nats_login(self.settings, self._waiting)
        await self.broker.connect()
        self._jetstream = None  # a restarted host has a new connection
        self._starting = "creating this service's streams"
        await self._retry_until_ready(self.ensure_streams)
        await self.wait_for_streams()
        self._starting = "binding consumers and command subscriptions"
        await step(self.watch, "binding its consumers and commands", self.broker.start)
        # Every command subscription reached the server (a message to our own inbox came back).
        await step(
            self.watch, "checking its subscriptions", functools.partial(settle, self.broker.connection)
        )
        for interval, job in self.periodic:
            self._tasks.append(asyncio.create_task(self._every(interval, job)))
        self._starting = None
        log.info("%s ready: metrics on http://%s:%d/metrics", self.name, self.ops.host, self.ops.port)

    async def _refresh_consumer_lag(self) -> None:
        """Publish this service's durable consumers' lag (dialogue_consumer_pending, _ack_pending)."""
        if self.lag_consumers:
            await self.consumer_lag.refresh(self.broker.connection.jetstream(), self.lag_consumers)

    async def sweep_outbox(self) -> None:
        """Re-publish what was saved and never confirmed by JetStream (the unit of work's sweep)."""
        await self.uow.sweep()

    def _waiting(self, what: str) -> None:
        self._starting = what

    async def _start_ops(self) -> None:
        try:
            await self.ops.start()
        except OSError as exc:
            raise StartupError(
                "DIALOGUE_HTTP_PORT",
                f"Cannot listen on {self.ops.host}:{self.ops.port} for /metrics, /healthz and /readyz "
                f"({exc.strerror or exc}); free the port or set DIALOGUE_HTTP_PORT (and DIALOGUE_HTTP_HOST).",
            ) from exc

    def every(
        self, seconds: float
    ) -> Callable[[Callable[[], Awaitable[None]]], Callable[[], Awaitable[None]]]:
        """Run a job periodically while the service runs (sweeps); failures are logged, never fatal."""

        def decorate(job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
            self.periodic.append((seconds, job))
            return job

        return decorate

    async def _every(self, interval: float, job: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                await job()
            except Exception:
                log.exception("periodic job %s failed; it runs again in %.0fs", job.__name__, interval)
            await asyncio.sleep(interval)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.ops.stop()
        await self.broker.stop()
        if self._store is not None:
            await self._store.close()
            self._store = None

    async def _retry_until_ready(self, action: Callable[[], Awaitable[None]], attempts: int = 30) -> None:
        # JetStream may still be electing a leader right after a cluster starts.
        for attempt in range(attempts):
            try:
                await action()
                return
            except (TimeoutError, NotFoundError, BadRequestError) as exc:
                if attempt == attempts - 1:
                    raise
                log.info("waiting for JetStream (%s)", exc)
                await asyncio.sleep(0.5)


def _skips_validation(annotation: Any) -> bool:
    """Whether an annotation is ``SkipValidation[...]`` (``Annotated`` with pydantic's marker)."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return False
    marks = getattr(annotation, "__metadata__", ())
    return any(isinstance(mark, SkipValidation) for mark in marks)  # type: ignore[misc]


def _validating_json(func: Callable[..., Awaitable[Any]]) -> tuple[Callable[..., Awaitable[Any]], Any]:
    """A handler taking one event model, fed by pydantic straight from the message's JSON bytes.

    FastStream would decode the JSON into a dict and validate it through fast-depends' wrapper
    model; ``model_validate_json`` on the bytes does the same check in one pass (pydantic-core). The
    parameter keeps the model as its annotation (``SkipValidation``), so the AsyncAPI document still
    shows the payload's schema. A handler whose parameter is already ``SkipValidation[...]`` gets
    the raw bytes undecoded; other handlers are registered as they are, with FastStream's decoder.
    """
    hints = typing.get_type_hints(func, include_extras=True)  # SkipValidation[...] stays Annotated
    params = [p for p in inspect.signature(func).parameters.values() if p.name != "return"]
    model = hints.get(params[0].name) if len(params) == 1 else None
    if _skips_validation(model):
        return func, raw_body  # the handler reads and checks the raw bytes itself (intake's submissions)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return func, tolerant_decoder
    event_model: type[BaseModel] = model

    async def handler(body: Any) -> Any:
        try:
            event = event_model.model_validate_json(body)
        except ValidationError as exc:
            code, sentence = classify_bad_payload(body, exc, skip_parameter=False)
            raise DomainError(code, sentence) from None
        return await func(event)

    handler.__name__ = func.__name__
    handler.__qualname__ = func.__qualname__
    handler.__doc__ = func.__doc__
    handler.__annotations__ = {"body": SkipValidation[event_model], "return": Any}  # type: ignore[misc,valid-type]
    return handler, raw_body


def command_payload(model: type[M], body: Any) -> M:
    """A command's raw JSON body as ``model`` (an empty body is an empty object), or its refusal."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    if not raw.strip():
        return refusals.parse(model, {})
    return refusals.parse_json(model, raw)


def consumer_config(durable: str) -> ConsumerConfig:
    """The durable pull consumer every service binds to (also used by the benchmark's relays)."""
    return ConsumerConfig(
        durable_name=durable,
        ack_policy=JsAckPolicy.EXPLICIT,
        ack_wait=ACK_WAIT.total_seconds(),
        max_deliver=-1,  # the reliability middleware dead-letters after MAX_DELIVER itself
        deliver_policy=DeliverPolicy.ALL,
        max_ack_pending=1000,
    )


def stream_config(spec: StreamSpec, replicas: int) -> StreamConfig:
    return StreamConfig(
        name=spec.name,
        description=spec.description,
        subjects=list(spec.subjects),
        storage=StorageType.FILE,
        num_replicas=max(1, replicas),
        max_age=spec.max_age.total_seconds(),
        duplicate_window=spec.duplicate_window.total_seconds(),
    )
