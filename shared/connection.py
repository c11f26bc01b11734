"""The NATS connection of one service: its FastStream broker, its credentials, and logging in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from faststream import BaseMiddleware
from faststream.nats import NatsBroker
from faststream.nats.prometheus import NatsPrometheusMiddleware
from faststream.nats.security import NatsCredentials, NatsSecurity, NatsUserPassword
from prometheus_client import CollectorRegistry

from shared.reliability import ReliableConsumer
from shared.settings import ServiceSettings
from shared.startup import PermissionWatch, check_nats_login, credentials
from shared.tracing import telemetry_middleware

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def security(settings: ServiceSettings) -> NatsSecurity | None:
    """A creds file, else user and password, each over TLS when configured; None for neither."""
    tls = settings.nats_tls_context()
    password = credentials(settings)[1]
    if settings.nats_creds:
        return NatsCredentials(str(settings.nats_creds), ssl_context=tls)
    if settings.nats_user and password:
        return NatsUserPassword(settings.nats_user, password, ssl_context=tls)
    return NatsSecurity(ssl_context=tls) if tls else None


def middlewares(
    service: str, registry: CollectorRegistry, policy: ReliableConsumer, tracer: TracerProvider | None
) -> list[Any]:
    """Telemetry outermost (a message's span covers the metrics and the ack policy too), then
    FastStream's Prometheus metrics, then the ack policy next to the handler.

    They apply to operator commands and to publishes through the broker; a consumer's fetched batch
    passes them untouched, and ``shared.batch_consumer`` gives each of its messages the same three.
    """
    chain: list[Any] = [] if tracer is None else [telemetry_middleware(tracer)]
    chain += [NatsPrometheusMiddleware(registry=registry, app_name=service), policy]
    return [per_message_only(m) for m in chain]


def per_message_only(middleware: Any) -> Any:
    """``middleware``, except for a fetched batch (a list of messages), which it lets through."""

    def build(msg: Any, /, *, context: Any) -> Any:
        if isinstance(msg, list):
            return BaseMiddleware(msg, context=context)
        return middleware(msg, context=context)

    return build


def new_broker(settings: ServiceSettings, watch: PermissionWatch, chain: list[Any]) -> NatsBroker:
    """The service's broker (nothing connects yet); it reconnects forever once connected."""
    return NatsBroker(
        settings.nats_servers(),
        security=security(settings),
        name=f"dialogue-{settings.service}",
        inbox_prefix=settings.inbox_prefix(),
        error_cb=watch.on_error,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        middlewares=chain,
        graceful_timeout=15.0,
        logger=logging.getLogger(f"faststream.{settings.service}"),
    )


async def log_in(broker: NatsBroker, settings: ServiceSettings, waiting: Callable[[str], None]) -> None:
    """Connect ``broker``, after one checked login: a refused login is a ``StartupError`` (the broker
    would retry it forever), an unreachable server is waited for (``waiting`` says so)."""
    await check_nats_login(settings, waiting)
    await broker.connect()
