"""Real local servers for the channel tests: an aiosmtpd SMTP server and a stdlib HTTP server.

Both bind to 127.0.0.1 on a free port chosen per test, so tests never touch the network and can run
in parallel.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from shared.ports import free_port


class CollectingHandler:
    """Stores every accepted message; answers RCPT/DATA with scripted replies when given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        self.envelopes.append(envelope)
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    handler: CollectingHandler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = CollectingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, handler)
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


# A behaviour gets the request and returns (status, reply body); it may block to simulate a hang.
Behaviour = Callable[[Received], tuple[int, bytes]]


@dataclass
class HttpServer:
    url: str
    received: list[Received] = field(default_factory=list)
    behaviours: list[Behaviour] = field(default_factory=list)
    default: Behaviour = lambda _request: (200, b'{"id": "ok-1"}')
    release: threading.Event = field(default_factory=threading.Event)

    def respond(self, request: Received) -> tuple[int, bytes]:
        self.received.append(request)
        behaviour = self.behaviours.pop(0) if self.behaviours else self.default
        return behaviour(request)

    def hang(self, _request: Received) -> tuple[int, bytes]:
        self.release.wait(timeout=30)
        return 200, b"{}"


def _handler_for(server: HttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
            status, reply = server.respond(request)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    port = free_port()
    server = HttpServer(url=f"http://127.0.0.1:{port}/hook")
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(server))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
