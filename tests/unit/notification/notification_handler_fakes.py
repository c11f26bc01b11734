"""Hand-written fakes for the notification handler tests: a scripted channel, a clock, the deps."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from services.notification import handlers
from services.notification.adapters.repository import NotificationRepository
from services.notification.adapters.retry import RetryPolicy
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.deps import Deps
from services.notification.domain.directory import Directory
from services.notification.domain.messages import Message, SendResult
from services.notification.domain.triggers import Channel
from services.notification.metrics import NotificationMetrics
from shared.contracts.base import Event
from shared.errors import TransientError
from shared.unit_of_work import UnitOfWork
from tests.fakes import InMemoryStore


class FakeChannel:
    """Records every message; raises the scripted errors first, one per attempt."""

    def __init__(self, channel: Channel, errors: Sequence[Exception] = ()) -> None:
        self.channel = channel
        self.errors = list(errors)
        self.sent: list[Message] = []
        self.attempts = 0
        # Called with each message as it goes on the wire (a test looks at the ledger at that moment).
        self.on_wire: Callable[[Message], None] | None = None

    async def send(self, message: Message) -> SendResult:
        self.attempts += 1
        if self.on_wire is not None:
            self.on_wire(message)
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(message)
        return SendResult(provider_id=f"fake-{len(self.sent)}")


@dataclass
class Clock:
    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class World:
    deps: Deps
    store: InMemoryStore
    email: FakeChannel
    log: FakeChannel
    clock: Clock
    uow: UnitOfWork
    published: list[Event] = field(default_factory=list)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    async def apply(self, handler: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        """Run a handler with the deps and commit its outcome, as the host does."""
        return await self.uow.run(functools.partial(handler, self.deps, *args))

    async def sweep(self) -> int:
        return await handlers.sweep(self.deps, self.uow.run)

    def sample(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0


def make_world(
    directory: Directory,
    now: dt.datetime,
    *,
    email_errors: Sequence[Exception] = (),
    fallback: Channel | None = Channel.LOG,
    templates: Path | None = None,
    publish_failures: int = 0,
) -> World:
    store, registry, published = InMemoryStore(), CollectorRegistry(), []
    email, log = FakeChannel(Channel.EMAIL, email_errors), FakeChannel(Channel.LOG)
    clock = Clock(now)

    failures = [TransientError("NATS is not reachable")] * publish_failures

    async def publish(events: Sequence[Event]) -> None:
        if events and failures:
            raise failures.pop()
        published.extend(events)

    deps = Deps(
        repo=NotificationRepository(store),
        renderer=TemplateCatalog(templates),
        directory=directory,
        channels={Channel.EMAIL: email, Channel.LOG: log},
        metrics=NotificationMetrics(registry),
        clock=clock,
        fallback=fallback,
        retry=RetryPolicy(max_attempts=2, initial_wait=0, max_wait=0, jitter=0),
        grace=dt.timedelta(minutes=2),
        jitter=lambda: 0.0,
    )
    uow = UnitOfWork(lambda: store, publish)
    return World(deps, store, email, log, clock, uow, published, registry)
