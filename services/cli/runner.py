"""Run one service in this process until SIGTERM or SIGINT, then drain and exit cleanly."""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal

from shared.host import ServiceHost
from shared.logs import configure_logging
from shared.settings import SERVICES, ServiceSettings

log = logging.getLogger(__name__)


def build_service(name: str, settings: ServiceSettings | None = None) -> ServiceHost:
    """Import ``services.<name>.app`` and build its host."""
    if name not in SERVICES:
        raise ValueError(f"unknown service {name!r}; choose one of {', '.join(SERVICES)}")
    module = importlib.import_module(f"services.{name}.app")
    settings = settings or ServiceSettings(service=name)
    host: ServiceHost = module.build(settings.model_copy(update={"service": name}))
    return host


async def serve(name: str) -> None:
    settings = ServiceSettings(service=name)
    configure_logging(name, settings.log_level, settings.log_format)
    host = build_service(name, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await host.start()
    await stop.wait()
    log.info("%s draining subscriptions and stopping", name)
    await host.stop()
