"""Start-up checks that turn a wrong configuration into one sentence naming the setting to fix.

A service that cannot start because of its configuration (a wrong or unreadable secret, a NATS user
without a right it needs, a read-only path, a store that refuses it) raises ``StartupError``; the
runner prints the sentence and exits with status 78 instead of a traceback or an endless
``TimeoutError`` loop, and ``/readyz`` says what start-up was waiting for meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import nats
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout

from shared.errors import StartupError
from shared.settings import ServiceSettings
from shared.storage import DocumentStore, open_store

log = logging.getLogger(__name__)
T = TypeVar("T")
PERMISSION_MARK = "permissions violation"
AUTH_MARKS = ("authorization violation", "authentication", "user authentication expired")


def credentials(settings: ServiceSettings) -> tuple[str | None, str | None]:
    """The NATS user and password, or a ``StartupError`` naming the secret that cannot be read."""
    try:
        return settings.nats_user, settings.nats_password_value()
    except OSError as exc:
        raise StartupError(
            "DIALOGUE_NATS_PASSWORD_FILE",
            f"The NATS password file {settings.nats_password_file} cannot be read ({exc.strerror}); "
            "mount the secret there or correct DIALOGUE_NATS_PASSWORD_FILE.",
        ) from exc


def store_url(settings: ServiceSettings) -> str:
    """The store URL, or a ``StartupError`` naming the secret that cannot be read."""
    try:
        return settings.resolved_store_url()
    except OSError as exc:
        raise StartupError(
            "DIALOGUE_STORE_URL_FILE",
            f"The store URL file {settings.store_url_file} cannot be read ({exc.strerror}); "
            "mount the secret there or correct DIALOGUE_STORE_URL_FILE.",
        ) from exc


class PermissionWatch:
    """Collects what the NATS server reports on a connection: permission violations above all."""

    def __init__(self, user: str | None) -> None:
        self.user = user or "(no user)"
        self.violations: list[str] = []

    async def on_error(self, exc: Exception) -> None:
        text = str(exc)
        if PERMISSION_MARK in text.lower():
            self.violations.append(text)
            log.error("NATS refused an operation of user %s: %s", self.user, text)
        else:
            log.warning("NATS error: %s", text)

    def refusal(self, doing: str) -> StartupError | None:
        """A ``StartupError`` for the last violation, if the server reported one."""
        if not self.violations:
            return None
        return StartupError(
            "DIALOGUE_NATS_USER",
            f"NATS refused user {self.user} while {doing} ({self.violations[-1]}); give that user the "
            "right in the server's accounts configuration (deploy/nats/accounts.conf) or set "
            "DIALOGUE_NATS_USER to a user that has it.",
        )


async def step(watch: PermissionWatch, doing: str, action: Callable[[], Awaitable[T]]) -> T:
    """Run one start-up step; a timeout after the server refused a right becomes a ``StartupError``."""
    try:
        return await action()
    except (TimeoutError, NatsTimeout, NoRespondersError) as exc:
        await asyncio.sleep(0.2)  # the server's -ERR may arrive just after the timeout
        refusal = watch.refusal(doing)
        if refusal is not None:
            raise refusal from exc
        raise


async def _quiet(exc: Exception) -> None:
    """nats-py's default error callback logs a traceback; this check reports errors itself."""


async def check_nats_login(settings: ServiceSettings, wait: Callable[[str], None]) -> None:
    """Log in once with the service's credentials before the broker does.

    A refused login is a ``StartupError`` (the broker would retry it forever); an unreachable server
    is waited for, since NATS may simply be starting (``wait`` records what start-up waits for).
    """
    user, password = credentials(settings)
    delay = 0.5
    while True:
        try:
            nc = await nats.connect(
                settings.nats_servers(),
                user=user,
                password=password,
                user_credentials=str(settings.nats_creds) if settings.nats_creds else None,
                tls=settings.nats_tls_context(),
                inbox_prefix=settings.inbox_prefix(),
                allow_reconnect=False,
                connect_timeout=5,
                max_reconnect_attempts=0,
                error_cb=_quiet,  # the refusal is reported below, in one sentence
            )
        except Exception as exc:
            text = str(exc).lower()
            if any(mark in text for mark in AUTH_MARKS):
                raise StartupError(
                    "DIALOGUE_NATS_PASSWORD_FILE",
                    f"NATS at {settings.nats_url} refused user {user or '(no user)'}: the password "
                    "(DIALOGUE_NATS_PASSWORD_FILE or DIALOGUE_NATS_PASSWORD) or the user "
                    "(DIALOGUE_NATS_USER) does not match the server's accounts.",
                ) from exc
            wait(f"waiting for NATS at {settings.nats_url} ({exc or type(exc).__name__})")
            log.warning("NATS at %s not reachable yet (%s); retrying in %.0fs", settings.nats_url, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
            continue
        await nc.close()
        return


async def open_configured_store(settings: ServiceSettings) -> DocumentStore:
    """The service's store; a URL that cannot be used is a ``StartupError`` naming its setting."""
    setting = "DIALOGUE_STORE_URL_FILE" if settings.store_url_file else "DIALOGUE_STORE_URL"
    url = store_url(settings)
    try:
        return await open_store(url, settings.database, setting=setting)
    except StartupError:
        raise
    except ValueError as exc:
        raise StartupError(
            setting,
            f"The store URL is not usable ({exc}); set {setting} to sqlite:///path or mongodb://host/.",
        ) from exc
    except (OSError, sqlite3.Error) as exc:
        raise StartupError(
            setting,
            f"The SQLite store cannot be opened ({exc}); point {setting} at a file on a writable volume.",
        ) from exc


def check_writable(setting: str, directory: Path) -> None:
    """The service writes files under ``directory``: it must exist (or be creatable) and be writable."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise StartupError(
            setting,
            f"{directory.resolve()} is not writable ({exc.strerror or exc}); point {setting} at a "
            "writable volume (the containers' root filesystem is read-only).",
        ) from exc
