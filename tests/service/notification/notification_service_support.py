"""Real local servers and helpers for the notification service tests (loopback only, free ports)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from nats.aio.client import Client

from shared.nats_sync import settle
from shared.ports import free_port
from shared.streams import stream_config
from shared.subjects import STREAMS

DIRECTORY = """
[[contacts]]
id = "vt-so-xd"
name = "Văn thư Sở Xây dựng"
channels = ["email"]
email = "vanthu@sxd.example"

[[contacts]]
id = "vt-so-tt"
name = "Văn thư Sở Thông tin"
channels = ["sms"]
phone = "0912345678"

[[contacts]]
id = "vp-dong-du"
name = "Văn phòng xã Đồng Du"
channels = ["email"]
email = "vanphong@dongdu.example"

[[contacts]]
id = "mttq-dong-du"
name = "Ban Thường trực Ủy ban MTTQ xã Đồng Du"
channels = ["email"]
email = "mttq@dongdu.example"

[units.dong-du]
name = "xã Đồng Du"
host = ["vp-dong-du"]

[units.dong-du.groups]
citizens = ["mttq-dong-du"]

[agencies.so-xd]
name = "Sở Xây dựng"
contacts = ["vt-so-xd"]

[agencies.so-tt]
name = "Sở Thông tin"
contacts = ["vt-so-tt"]
"""


class SmtpHandler:
    """Keeps every message whose DATA completed; can hold DATA to simulate a crash mid-send.

    ``hang_first`` holds the first DATA until ``release``; ``hang_all`` holds every DATA that arrives
    before ``release``. A held DATA is refused on release: its sender is gone, nothing is delivered.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.hang_first = False
        self.hang_all = False
        self.hung = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        first = self.hang_first and not self.hung.is_set()
        if first or (self.hang_all and not self.release.is_set()):
            self.hung.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted"  # the sender is gone: nothing is delivered
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@dataclass
class Smtp:
    port: int
    handler: SmtpHandler


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    handler, port = SmtpHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Smtp(port, handler)
    finally:
        handler.release.set()
        controller.stop()


@dataclass
class Provider:
    """A local SMS provider answering with the scripted statuses, then 200."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)


@pytest.fixture
def provider() -> Iterator[Provider]:
    port = free_port()
    state = Provider(url=f"http://127.0.0.1:{port}/sms")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append((dict(self.headers.items()), json.loads(body)))
            status = state.statuses.pop(0) if state.statuses else 200
            reply = json.dumps({"id": f"sms-{len(state.received)}"}).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def write_directory(tmp_path: Path) -> Path:
    path = tmp_path / "directory.toml"
    path.write_text(DIRECTORY, encoding="utf-8")
    return path


async def create_upstream_streams(nc: Client) -> None:
    """The streams the other services own; the notification host waits for them at start."""
    js = nc.jetstream()
    for spec in STREAMS:
        if spec.name in ("SCHEDULING", "INTAKE", "ASSIGNMENT"):
            await js.add_stream(stream_config(spec, 1))


async def collect_outcomes(nc: Client) -> list[dict[str, Any]]:
    """Subscribe to delivery outcomes; the returned list fills as they are published."""
    seen: list[dict[str, Any]] = []

    async def on_message(msg: Any) -> None:
        seen.append({"subject": msg.subject, **json.loads(msg.data)})

    await nc.subscribe("notification.delivery.>", cb=on_message)
    await settle(nc)
    return seen


async def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.05)


def notification_settings(base: Any, directory: Path, **over: Any) -> Any:
    """Settings for an in-process notification host: fast sweep, short grace, no log fallback."""
    from services.notification.settings import NotificationSettings

    fields = {
        **base.model_dump(),
        "service": "notification",
        "notification_directory_file": directory,
        "notification_fallback_channel": "",
        "notification_sweep_seconds": 0.5,
        "notification_sending_grace_seconds": 2.0,
        "notification_retry_initial_seconds": 0.05,
        "notification_retry_max_seconds": 0.1,
        **over,
    }
    return NotificationSettings(**fields)
