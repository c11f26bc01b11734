"""Operator-side NATS client: request/reply commands with clear errors.

Payloads are the command contracts of ``shared/contracts/<context>_commands.py``: the CLI builds the
model (``build``), so a mistyped field or a value the service would refuse is refused here, with the
same reason code and sentence (``shared.refusals``), before anything is sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn, ParamSpec, TypeVar

import nats
import typer
from nats.aio.client import Client
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from pydantic import BaseModel, ValidationError
from rich.console import Console

from shared import refusals
from shared.errors import DomainError
from shared.settings import ServiceSettings

P = ParamSpec("P")
M = TypeVar("M", bound=BaseModel)
Payload = BaseModel | dict[str, Any]


class CommandFailed(Exception):
    """A command was refused or could not be delivered; ``str()`` is the sentence to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


OPERATOR_INBOX = "_INBOX.operator"  # the operator user may subscribe only to its own inboxes


def operator_settings() -> ServiceSettings:
    """The CLI's connection settings: ``DIALOGUE_NATS_*`` from the environment (user ``operator``)."""
    return ServiceSettings(service="operator")


async def _quiet(exc: Exception) -> None:
    """Connection errors become one sentence (``CommandFailed``), never a logged traceback."""


async def connect(settings: ServiceSettings | None = None, *, inbox_prefix: str | None = None) -> Client:
    """Connect as the operator (or with ``settings``): user and password or creds file, TLS."""
    settings = settings or operator_settings()
    try:
        password = settings.nats_password_value()
    except OSError as exc:
        raise CommandFailed(
            "nats_password_unreadable",
            f"Không đọc được tệp mật khẩu NATS {settings.nats_password_file}; kiểm tra DIALOGUE_NATS_PASSWORD_FILE.",
        ) from exc
    try:
        return await nats.connect(
            settings.nats_servers(),
            user=settings.nats_user,
            password=password,
            user_credentials=str(settings.nats_creds) if settings.nats_creds else None,
            tls=settings.nats_tls_context(),
            inbox_prefix=inbox_prefix or settings.nats_inbox_prefix or OPERATOR_INBOX,
            connect_timeout=3,
            max_reconnect_attempts=2,
            allow_reconnect=False,
            error_cb=_quiet,  # nats-py's default logs a traceback; the sentence below says it all
        )
    except Exception as exc:
        if "authorization violation" in str(exc).lower():
            raise CommandFailed(
                "nats_login_refused",
                f"NATS tại {settings.nats_url} từ chối người dùng {settings.nats_user or '(không tên)'}; "
                "kiểm tra DIALOGUE_NATS_USER và DIALOGUE_NATS_PASSWORD_FILE.",
            ) from exc
        raise CommandFailed(
            "nats_unreachable",
            f"Không kết nối được NATS tại {settings.nats_url}; hãy chạy 'dialogue up' hoặc đặt DIALOGUE_NATS_URL.",
        ) from exc


def show_refusal(console: Console, refusal: CommandFailed | DomainError) -> None:
    """One refusal as the operator reads it: the sentence, then the reason code."""
    console.print(f"[red]{refusal}[/red] ({refusal.code})")


def refuse(console: Console, refusal: DomainError, status: int = 1) -> NoReturn:
    """Print a refusal the CLI itself found and exit (status 1, as for a service's refusal)."""
    show_refusal(console, refusal)
    raise typer.Exit(status)


def build(model: Callable[P, M], *args: P.args, **fields: P.kwargs) -> M:
    """The command contract from the operator's input, or its refusal printed and exit code 1."""
    try:
        return model(*args, **fields)
    except ValidationError as exc:
        refuse(Console(), refusals.explain(exc.errors()))


def encode(payload: Payload) -> bytes:
    """A contract as the service reads it (aliases, ISO dates, unset optional fields left out)."""
    if isinstance(payload, BaseModel):
        return payload.model_dump_json(by_alias=True, exclude_none=True).encode()
    return json.dumps(payload, default=str).encode()


async def request(nc: Client, subject: str, payload: Payload, timeout: float = 10.0) -> Any:
    """Send a command and return its data, or raise ``CommandFailed`` with the service's sentence."""
    try:
        reply = await nc.request(subject, encode(payload), timeout=timeout)
    except NoRespondersError as exc:
        service = subject.split(".", 1)[0]
        raise CommandFailed(
            "service_unavailable", f"Dịch vụ '{service}' chưa chạy; hãy khởi động nó rồi thử lại."
        ) from exc
    except NatsTimeout as exc:
        raise CommandFailed(
            "timeout", f"Dịch vụ không trả lời lệnh '{subject}' sau {timeout:.0f} giây; thử lại sau."
        ) from exc
    answer = json.loads(reply.data)
    if not answer.get("ok"):
        raise CommandFailed(answer.get("code", "error"), answer.get("message", "Lệnh bị từ chối."))
    return answer.get("data")


def send_or_exit(subject: str, payload: Payload, console: Console) -> Any:
    """One command from the CLI: its data, or the service's sentence printed and exit code 1."""
    import asyncio

    async def go() -> Any:
        nc = await connect()
        try:
            return await request(nc, subject, payload)
        finally:
            await nc.drain()

    try:
        return asyncio.run(go())
    except CommandFailed as exc:
        show_refusal(console, exc)
        raise typer.Exit(1) from exc
