"""Run one service in this process until SIGTERM, SIGINT or SIGHUP, then drain and exit cleanly.

``dialogue run <service>`` (the image's entrypoint) and ``python -m services.cli.runner <service>``
both end here, for any of ``SERVICES``.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
import sys
import tomllib

from shared.errors import StartupError
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


EX_CONFIG = 78  # sysexits.h: a configuration error; restarting with the same settings will not help


async def serve(name: str) -> int:
    """Run the service until a signal; the exit status (78 when its configuration stops it)."""
    settings = ServiceSettings(service=name)
    configure_logging(name, settings.log_level, settings.log_format)
    try:
        host = build_service(name, settings)
    except StartupError as exc:
        log.error("%s cannot start: %s", name, exc.message, extra={"fields": {"setting": exc.setting}})
        return EX_CONFIG
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.error(
            "%s cannot start: a data file cannot be read (%s); check DIALOGUE_CONFIG_DIR and the *_FILE settings",
            name,
            exc,
        )
        return EX_CONFIG
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # SIGHUP: the terminal closed
        loop.add_signal_handler(sig, stop.set)
    # A signal while start-up still waits (for NATS, or for a stream its owner has not created yet)
    # stops the service at once instead of after start-up, which may never come.
    starting = asyncio.create_task(host.start())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        log.info("%s stopped before it was ready", name)
        starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
        await host.stop()
        return 0
    stopping.cancel()
    try:
        starting.result()
    except StartupError as exc:
        log.error("%s cannot start: %s", name, exc.message, extra={"fields": {"setting": exc.setting}})
        await host.stop()
        return EX_CONFIG
    await stop.wait()
    log.info("%s draining subscriptions and stopping", name)
    await host.stop()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SERVICES:
        print(f"usage: python -m services.cli.runner {{{'|'.join(SERVICES)}}}", file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(serve(sys.argv[1])))
