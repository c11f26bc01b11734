"""The portal's web server: a Starlette app served by uvicorn inside the service process.

uvicorn runs on a socket bound here (a port that cannot be had is a ``StartupError`` naming the
setting), without its own signal handlers: the service runner owns SIGTERM and stops the server.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import uvicorn
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp

from services.portal.adapters.bus import Bus
from services.portal.deps import Deps, WebConfig
from services.portal.metrics import PortalMetrics
from shared.errors import StartupError
from shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 75
TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "templates"


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # The templates ship with the release: no stat() of each file on every render to see if it changed.
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Web:
    """What every route reaches: the read side, the bus, the unit of work, the templates."""

    deps: Callable[[], Deps]
    config: WebConfig
    bus: Bus
    uow: UnitOfWork
    metrics: PortalMetrics | None
    templates: jinja2.Environment

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        body = self.templates.get_template(name).render(**context)
        return HTMLResponse(body, status_code=status)

    def sentence(
        self, title: str, message: str, status: int, reason: str | None = None, **more: Any
    ) -> HTMLResponse:
        """A page of one Vietnamese sentence (and the reason code), for every refusal."""
        return self.page("message.html.j2", status, title=title, message=message, reason=reason, **more)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


Handler = Callable[[Request], Awaitable[Response]]


class WebServer:
    """uvicorn on ``host:port``, started and stopped with the service."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._socket: socket.socket | None = None

    @property
    def started(self) -> bool:
        return self._server is not None and self._server.started

    async def start(self) -> None:
        try:
            sock = socket.create_server((self.host, self.port), reuse_port=False)
        except OSError as exc:
            raise StartupError(
                "DIALOGUE_PORTAL_WEB_PORT",
                f"Cannot listen on {self.host}:{self.port} for the portal's pages ({exc.strerror or exc}); "
                "free the port or set DIALOGUE_PORTAL_WEB_PORT (and DIALOGUE_PORTAL_WEB_HOST).",
            ) from exc
        # asyncio turns Nagle off only on sockets whose proto is IPPROTO_TCP, and create_server's is 0:
        # without this, each keep-alive response waited ~40 ms for the client's delayed ACK. Linux
        # gives every accepted connection the listening socket's TCP_NODELAY.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        # An idle keep-alive connection is kept longer than the clients and reverse proxies in front
        # keep theirs (nginx: 60 s): with uvicorn's 5 s, a request sent on a connection the server was
        # closing at that moment failed (a proxy's 502, httpx's ReadError in a test after a slow step).
        config = uvicorn.Config(
            self.app, lifespan="off", log_config=None, access_log=False, server_header=False,
            date_header=False, timeout_graceful_shutdown=5, timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )  # fmt: skip
        config.load()
        server = uvicorn.Server(config)
        server.lifespan = config.lifespan_class(config)
        await server.startup(sockets=[sock])
        self._server, self._socket = server, sock
        log.info("portal pages on http://%s:%d/", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.should_exit = True
            await asyncio.wait_for(server.shutdown(sockets=[self._socket] if self._socket else None), 10)
        if self._socket is not None:
            self._socket.close()
            self._socket = None
