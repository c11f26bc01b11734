"""A tiny asyncio HTTP server for /metrics, /healthz and /readyz (no web framework needed)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from shared.errors import StartupError

log = logging.getLogger(__name__)

# Each check and "ok", or a sentence saying what is not ready.
ReadinessCheck = Callable[[], Awaitable[dict[str, str]]]


class OpsServer:
    """Serves the operational endpoints of one service."""

    def __init__(self, host: str, port: int, registry: CollectorRegistry, readiness: ReadinessCheck) -> None:
        self.host = host
        self.port = port
        self.registry = registry
        self.readiness = readiness
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen; a port that cannot be had is a ``StartupError`` naming the setting to change."""
        try:
            self._server = await asyncio.start_server(self._handle, self.host, self.port)
        except OSError as exc:
            raise StartupError(
                "DIALOGUE_HTTP_PORT",
                f"Cannot listen on {self.host}:{self.port} for /metrics, /healthz and /readyz "
                f"({exc.strerror or exc}); free the port or set DIALOGUE_HTTP_PORT (and DIALOGUE_HTTP_HOST).",
            ) from exc

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = await asyncio.wait_for(reader.readline(), timeout=5)
            while (await asyncio.wait_for(reader.readline(), timeout=5)) not in (b"\r\n", b"\n", b""):
                pass
            parts = request_line.decode("latin-1").split()
            path = parts[1].split("?")[0] if len(parts) > 1 else "/"
            status, ctype, body = await self._route(parts[0] if parts else "", path)
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n"
            )
            writer.write(head.encode("latin-1") + body)
            await writer.drain()
        except (TimeoutError, ConnectionError, UnicodeDecodeError):
            pass
        finally:
            writer.close()

    async def _route(self, method: str, path: str) -> tuple[str, str, bytes]:
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", "text/plain", b"method not allowed\n"
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, generate_latest(self.registry)
        if path == "/healthz":
            return "200 OK", "application/json", b'{"status":"alive"}\n'
        if path == "/readyz":
            try:
                checks = await asyncio.wait_for(self.readiness(), timeout=3)
            except Exception as exc:  # a failing check means "not ready", never a crash
                log.warning("readiness check failed: %s", exc)
                checks = {"check": f"the readiness check failed: {exc}"}
            ok = all(value == "ok" for value in checks.values())
            body = json.dumps({"ready": ok, "checks": checks}).encode() + b"\n"
            return ("200 OK" if ok else "503 Service Unavailable"), "application/json", body
        return "404 Not Found", "text/plain", b"not found\n"
