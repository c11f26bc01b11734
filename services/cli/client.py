"""Operator-side NATS client: request/reply commands with clear errors.

Payloads are the command contracts of ``shared/contracts/<context>_commands.py``: the CLI builds the
model (``build``), so a mistyped field or a value the service would refuse is refused here, with the
same reason code and sentence (``shared.refusals``), before anything is sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine, Iterable
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
T = TypeVar("T")
Payload = BaseModel | dict[str, Any]


class CommandFailed(Exception):
    """A command was refused or could not be delivered; ``str()`` is the sentence to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


OPERATOR_INBOX = "_INBOX.operator"
CONNECT_TIMEOUT = 2.0  # a reachable server answers within milliseconds; a refused port fails at once  # the operator user may subscribe only to its own inboxes


def operator_settings() -> ServiceSettings:
    """The CLI's connection settings: ``DIALOGUE_NATS_*`` from the environment (user ``operator``)."""
    return ServiceSettings(service="operator")


async def _quiet(exc: Exception) -> None:
    """Connection errors become one sentence (``CommandFailed``), never a logged traceback."""


async def _quietly() -> None:
    """The disconnected and closed callbacks: nothing to say, the command's sentence says it."""


def _drop(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """asyncio's handler for errors nobody awaited (nats-py's reader tasks): the sentence says it all."""


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` for a CLI command: no "Task exception was never retrieved" traceback ever."""

    async def quietly() -> T:
        asyncio.get_running_loop().set_exception_handler(_drop)
        return await coroutine

    return asyncio.run(quietly())


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
            # One quick try and one retry: a clerk hears "NATS is down" within a second, not after
            # nats-py's 2 s back-off (max_reconnect_attempts=0 would mean "retry forever" there).
            connect_timeout=CONNECT_TIMEOUT,
            max_reconnect_attempts=1,
            reconnect_time_wait=0.05,
            allow_reconnect=False,
            error_cb=_quiet,  # nats-py's default logs a traceback; the sentence below says it all
            disconnected_cb=_quietly,
            closed_cb=_quietly,
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


def one_of(console: Console, option: str, value: str | None, allowed: Iterable[str]) -> None:
    """Refuse (status 2, a usage error) an enumerated option's value the CLI knows is not allowed."""
    choices = list(allowed)
    if value is not None and value not in choices:
        refuse(console, refusals.invalid_value(option, choices), 2)


FORMATS = ("table", "csv")
YEARS = {"min": 2000, "max": 2100}  # programme years a conference can have (typer checks the range)


# A contract's field as the operator typed it: a refusal the CLI finds names the option, not the field.
OPTION_OF = {
    "new_deadline": "--until",
    "document_date": "--date",
    "document_number": "--number",
    "summary": "--summary",
    "agency_code": "--agency",
    "answered_by": "--answered-by",
    "submitter.name": "--name",
    "submitter.role": "--role",
    "submitter.residence": "--residence",
    "submitter.phone": "--phone",
    "submitter.email": "--email",
    "submitter.consent_to_contact": "--consent",
    "external_id": "--external-id",
    "unit_code": "--unit",
    "starts_at": "--start",
    "ends_at": "--end",
    "participant_groups": "--group",
    "co_organisers": "--co-organiser",
    "agenda_topics": "--topic",
    "voter_request_percent": "--voter-percent",
    "expected_attendance": "--expected",
    "attendee_count": "--attendees",
    "opinion_count": "--opinions",
    "effective_at": "--at",
    "held_at": "--held-at",
    "date_from": "--from",
    "from": "--from",
    "date_to": "--to",
    "to": "--to",
    "tracking_code": "mã theo dõi",
    "opinion_id": "mã ý kiến",
    "command_id": "--command-id",
}


def as_option(errors: list[Any]) -> list[Any]:
    """pydantic's errors with each location renamed to the option it came from."""
    renamed = []
    for error in errors:
        path = ".".join(str(part) for part in error.get("loc", ()))
        option = OPTION_OF.get(path) or (f"--{path.replace('_', '-')}" if path and "." not in path else path)
        renamed.append({**error, "loc": (option,)})
    return renamed


def build(model: Callable[P, M], *args: P.args, **fields: P.kwargs) -> M:
    """The command contract from the operator's input, or its refusal printed and exit code 1."""
    try:
        return model(*args, **fields)
    except ValidationError as exc:
        refuse(Console(), refusals.explain(as_option(list(exc.errors()))))


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


def ask(subject: str, payload: Payload) -> Any:
    """One command from the CLI: its data, or ``CommandFailed`` with the sentence to show."""

    async def go() -> Any:
        nc = await connect()
        try:
            return await request(nc, subject, payload)
        finally:
            await nc.drain()

    return run(go())


def send_or_exit(subject: str, payload: Payload, console: Console) -> Any:
    """One command from the CLI: its data, or the service's sentence printed and exit code 1."""
    try:
        return ask(subject, payload)
    except CommandFailed as exc:
        show_refusal(console, exc)
        raise typer.Exit(1) from exc
