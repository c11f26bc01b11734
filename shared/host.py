"""ServiceHost: everything a service process needs around its handlers.

It composes the NATS connection (``shared.connection``), the streams (``shared.streams``), the
consumers and commands (``shared.consumers``, acked by ``shared.reliability``), the one publish path
(``shared.publisher``) and the unit of work, and runs the store, the ops HTTP server and the jobs.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nats.aio.msg import Msg
from pydantic import BaseModel

from shared import connection, streams
from shared.consumer_lag import ConsumerLag
from shared.consumers import Subscriptions
from shared.contracts.base import Event
from shared.contracts.rejections import MessageRejected
from shared.errors import TransientError
from shared.http import OpsServer
from shared.jobs import Jobs
from shared.metrics import CommonMetrics, new_registry
from shared.nats_sync import settle
from shared.publisher import Publisher, declare
from shared.reliability import ReliableConsumer
from shared.settings import ServiceSettings
from shared.startup import PermissionWatch, check_writable, open_configured_store, step
from shared.storage import DocumentStore
from shared.subjects import DeadLetter
from shared.tracing import tracer_provider_for
from shared.unit_of_work import UnitOfWork
from shared.wiring import Provided, Route

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
D = TypeVar("D")


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
        self.owned = streams.owned(owned_streams)
        self.policy = ReliableConsumer(self.name, self.publish_rejection, self._count_rejection)
        self.policy.on_retry = lambda subject: self.metrics.retried.labels(self.name, subject).inc()
        tracer = tracer_provider or tracer_provider_for(settings)
        self.watch = PermissionWatch(settings.nats_user)
        chain = connection.middlewares(self.name, self.registry, self.policy, tracer)
        self.broker = connection.new_broker(settings, self.watch, chain)
        self.publisher = Publisher(self.broker, self.name, self.metrics, traced=tracer is not None)
        self._store: DocumentStore | None = None
        # Every handler's outcome is committed here; ``outbox`` names the collections it sweeps.
        self.uow = UnitOfWork(
            lambda: self.store,
            self.publish,
            set(outbox),
            batch_size=settings.batch_size if settings.batch_commit else 1,
            batch_wait=settings.batch_wait_ms / 1000,
            publish_in_context=tracer is not None,
            observe_batch=self.metrics.batch_size.labels(self.name).observe,
            sweep_min_age=settings.outbox_sweep_min_age_seconds,  # fresh events: still being published
        )
        self.subscriptions = Subscriptions(
            self.broker, settings, self.uow, self._count_rejection, self.policy, self.registry, tracer
        )
        self.lag_consumers = self.subscriptions.lag_consumers  # (stream, durable) of every consumer
        self.ops = OpsServer(settings.http_host, settings.resolved_http_port(), self.registry, self.readiness)
        self.on_start: list[Callable[[DocumentStore], Awaitable[None]]] = []
        # Directories the service writes to, checked at start-up: (setting, path).
        self.writable: list[tuple[str, Path]] = []
        self._starting: str | None = "starting"  # what start-up waits for; None once ready
        self.jobs = Jobs()
        self.every = self.jobs.every  # a service's sweeps, beside the host's own two:
        self.every(settings.consumer_lag_seconds)(self._refresh_consumer_lag)
        self.every(settings.outbox_sweep_seconds)(self.uow.sweep)  # what was saved and never confirmed

    @property
    def store(self) -> DocumentStore:
        if self._store is None:
            raise TransientError("the store is not open yet")
        return self._store

    def consumer(self, subject: str, purpose: str, *, batch_size: int | None = None) -> Callable[[F], F]:
        """Register a durable JetStream pull consumer named ``<service>-<purpose>``."""
        return self.subscriptions.consumer(subject, purpose, batch_size=batch_size)

    def command(
        self, context_cmd: str, verb: str, payload: type[BaseModel] | None = None
    ) -> Callable[[F], F]:
        """Register an operator command ``<context>.cmd.<verb>`` (see ``Subscriptions.command``)."""
        return self.subscriptions.command(context_cmd, verb, payload)

    def commands(self, context_cmd: str, deps: Callable[[], D], routes: Mapping[str, Route[D, Any]]) -> None:
        """Register a service's command table (see ``shared.wiring``)."""
        for verb, entry in routes.items():
            name = f"{self.name}_{verb.replace('-', '_')}"
            self.command(context_cmd, verb, payload=entry.payload)(entry.bind(name, deps))

    def provide(self, build: Callable[[DocumentStore], Awaitable[D]]) -> Provided[D]:
        """The service's ``Deps``, built by ``build`` at each start once the store is open."""
        provided = Provided(self.name, build)
        self.on_start.append(provided.start)
        return provided

    def emits(self, *event_types: type[Event], subject: str | None = None) -> None:
        """Declare what this service publishes, so its AsyncAPI document shows it (no runtime effect)."""
        declare(self.broker, event_types, subject)

    def current_message(self) -> Msg:
        """The JetStream message being handled (see ``Subscriptions.current_message``)."""
        return self.subscriptions.current_message()

    async def publish(self, events: Sequence[Event]) -> None:
        """Publish events on their subjects; returns once JetStream stored every one (see ``Publisher``)."""
        await self.publisher.publish([(event.routing_subject(), event) for event in events])

    async def publish_rejection(self, rejection: MessageRejected) -> None:
        """Record a refused message on ``deadletter.<service>.<reason>`` (the DEADLETTER stream)."""
        await self.publisher.publish([(DeadLetter.subject(self.name, rejection.reason), rejection)])

    def _count_rejection(self, reason: str) -> None:
        self.metrics.rejected.labels(self.name, reason).inc()

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
        await self.ops.start()
        for setting, directory in self.writable:
            check_writable(setting, directory)
        self._starting = "opening the store"
        self._store = await open_configured_store(self.settings)
        for hook in self.on_start:
            await hook(self._store)
        self._starting = "logging in to NATS"
        await connection.log_in(self.broker, self.settings, self._waiting)
        js = self.broker.connection.jetstream()
        self._starting = "creating this service's streams"
        await streams.ensure_streams(js, self.owned, self.settings.stream_replicas, self.watch)
        await streams.wait_for_streams(js, (s for s, _ in self.lag_consumers), self.watch, self._waiting)
        self._starting = "creating this service's durable consumers"
        await streams.ensure_consumers(js, self.subscriptions.bindings, self.watch, self._waiting)
        self._starting = "binding consumers and command subscriptions"
        await step(self.watch, "binding its consumers and commands", self.broker.start)
        # Every command subscription reached the server (a message to our own inbox came back).
        await step(
            self.watch, "checking its subscriptions", functools.partial(settle, self.broker.connection)
        )
        self.jobs.start()
        self._starting = None
        log.info("%s ready: metrics on http://%s:%d/metrics", self.name, self.ops.host, self.ops.port)

    def _waiting(self, what: str) -> None:
        self._starting = what

    async def _refresh_consumer_lag(self) -> None:
        """Publish this service's durable consumers' lag (dialogue_consumer_pending, _ack_pending)."""
        if self.lag_consumers:
            await self.consumer_lag.refresh(self.broker.connection.jetstream(), self.lag_consumers)

    async def stop(self) -> None:
        await self.jobs.stop()
        await self.ops.stop()
        await self.broker.stop()
        if self._store is not None:
            await self._store.close()
            self._store = None
