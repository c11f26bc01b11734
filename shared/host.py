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
import logging
import ssl
import typing
from collections.abc import Awaitable, Callable, Sequence
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

from shared.contracts.base import CommandResult, Event
from shared.contracts.rejections import MessageRejected
from shared.errors import DomainError, TransientError
from shared.http import OpsServer
from shared.metrics import CommonMetrics, new_registry
from shared.nats_sync import settle
from shared.reliability import ReliableConsumer, classify_bad_payload, raw_body, tolerant_decoder
from shared.settings import ServiceSettings
from shared.storage import DocumentStore, open_store
from shared.subjects import ACK_WAIT, STREAMS, DeadLetter, StreamSpec, stream_for
from shared.tracing import telemetry_middleware, tracer_provider_for

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
PUBLISH_TIMEOUT = 10.0  # seconds JetStream has to acknowledge the events of one handler


class ServiceHost:
    """Runtime of one service: broker, store, streams, metrics and health."""

    def __init__(
        self,
        settings: ServiceSettings,
        owned_streams: Sequence[str],
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        self.settings = settings
        self.name = settings.service
        self.registry = new_registry()
        self.metrics = CommonMetrics(self.registry)
        self.owned = [s for s in STREAMS if s.name in owned_streams or s.name == "DEADLETTER"]
        self.policy = ReliableConsumer(self.name, self.publish_rejection, self._count_rejection)
        self.policy.on_retry = lambda subject: self.metrics.retried.labels(self.name, subject).inc()
        tracer = tracer_provider or tracer_provider_for(settings)
        # With tracing on, events go through FastStream's publish, which writes the trace context
        # into their headers; otherwise straight to nats-py (see ``publish``).
        self._traced = tracer is not None
        self._jetstream: JetStreamContext | None = None
        self._published: dict[str, Any] = {}
        self.broker = NatsBroker(
            settings.nats_servers(),
            security=self._security(),
            name=f"dialogue-{self.name}",
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            middlewares=self._middlewares(tracer),
            graceful_timeout=15.0,
            logger=logging.getLogger(f"faststream.{self.name}"),
        )
        self.consumed: set[str] = set()
        self._store: DocumentStore | None = None
        self.ops = OpsServer(settings.http_host, settings.resolved_http_port(), self.registry, self.readiness)
        self.on_start: list[Callable[[DocumentStore], Awaitable[None]]] = []
        self.periodic: list[tuple[float, Callable[[], Awaitable[None]]]] = []
        self._tasks: list[asyncio.Task[None]] = []

    def _middlewares(self, tracer_provider: TracerProvider | None) -> list[Any]:
        # Telemetry outermost, so a message's span covers the metrics and the ack policy too.
        chain: list[Any] = [] if tracer_provider is None else [telemetry_middleware(tracer_provider)]
        return [*chain, NatsPrometheusMiddleware(registry=self.registry, app_name=self.name), self.policy]

    # -- wiring ---------------------------------------------------------------------------------

    def _tls(self) -> ssl.SSLContext | None:
        if not self.settings.nats_tls_ca:
            return None
        ctx = ssl.create_default_context(cafile=str(self.settings.nats_tls_ca))
        if self.settings.nats_tls_cert and self.settings.nats_tls_key:
            ctx.load_cert_chain(str(self.settings.nats_tls_cert), str(self.settings.nats_tls_key))
        return ctx

    def _security(self) -> NatsSecurity | None:
        tls = self._tls()
        password = self.settings.nats_password_value()
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
        self.consumed.add(spec.name)
        durable = f"{self.name}-{purpose}"
        config = consumer_config(durable)

        def decorate(func: F) -> F:
            handler, decoder = _validating_json(func)
            self.broker.subscriber(
                subject,
                stream=JStream(spec.name, declare=False),
                durable=durable,
                config=config,
                pull_sub=PullSub(batch_size=batch_size, timeout=1.0),
                ack_policy=AckPolicy.MANUAL,
                decoder=decoder,
                title=f"{durable}:{subject}",
            )(handler)
            return func

        return decorate

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

    def command(self, context_cmd: str, verb: str) -> Callable[[F], F]:
        """Register an operator command on core NATS ``<context>.cmd.<verb>`` (queue group per service)."""
        subject = f"{context_cmd}.{verb}"

        def decorate(func: F) -> F:
            @functools.wraps(func)
            async def wrapper(*args: Any, **kwargs: Any) -> CommandResult:
                try:
                    result = await func(*args, **kwargs)
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

            self.broker.subscriber(subject, queue=self.name, decoder=tolerant_decoder, title=subject)(wrapper)
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
                await js.add_stream(config)
            except BadRequestError:
                await js.update_stream(config)

    async def wait_for_streams(self, timeout: float = 120.0) -> None:
        """Wait until the streams this service consumes exist (their owners create them)."""
        js = self.broker.connection.jetstream()
        deadline = asyncio.get_running_loop().time() + timeout
        for name in sorted(self.consumed):
            while True:
                try:
                    await js.stream_info(name)
                    break
                except NotFoundError:
                    if asyncio.get_running_loop().time() > deadline:
                        raise
                    log.info("waiting for stream %s to be created by its owner", name)
                    await asyncio.sleep(0.5)

    async def readiness(self) -> dict[str, bool]:
        nats_ok = bool(self.broker._connection and self.broker.connection.is_connected)
        try:
            await self.store.ping()
            store_ok = True
        except Exception:
            store_ok = False
        self.metrics.ready.labels(self.name).set(1 if nats_ok and store_ok else 0)
        return {"nats": nats_ok, "store": store_ok}

    async def start(self) -> None:
        self._store = await open_store(self.settings.resolved_store_url(), self.settings.database)
        for hook in self.on_start:
            await hook(self._store)
        await self.broker.connect()
        self._jetstream = None  # a restarted host has a new connection
        await self._retry_until_ready(self.ensure_streams)
        await self.wait_for_streams()
        await self.broker.start()
        await settle(self.broker.connection)  # every command subscription reached the server
        await self.ops.start()
        for interval, job in self.periodic:
            self._tasks.append(asyncio.create_task(self._every(interval, job)))
        log.info("%s ready: metrics on http://%s:%d/metrics", self.name, self.ops.host, self.ops.port)

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

    async def _retry_until_ready(self, step: Callable[[], Awaitable[None]], attempts: int = 30) -> None:
        # JetStream may still be electing a leader right after a cluster starts.
        for attempt in range(attempts):
            try:
                await step()
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
