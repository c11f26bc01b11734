"""The ports the portal's handlers, queries and routes need, built once when the host opens its store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from services.portal.adapters.passwords import Passwords
from services.portal.adapters.repository import PortalRepository
from services.portal.domain.open311 import FieldService
from services.portal.domain.throttle import LoginLimit, Throttle
from services.portal.metrics import PortalMetrics
from shared.storage import DocumentStore
from shared.timeutil import utcnow


class PasswordHashing(Protocol):
    """Argon2 in production (``adapters.passwords``); unit tests hand in a fake."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, stored: str | None, password: str) -> bool: ...


@dataclass(frozen=True)
class Deps:
    """Tests build one over a store of their own (``metrics`` left out: nothing is counted)."""

    store: DocumentStore
    services: list[FieldService] = field(default_factory=list)
    metrics: PortalMetrics | None = None
    clock: Callable[[], dt.datetime] = utcnow
    passwords: PasswordHashing = field(default_factory=Passwords)
    repo: PortalRepository = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "repo", PortalRepository(self.store))


@dataclass(frozen=True)
class WebConfig:
    """What the routes need beside ``Deps``: secrets, keys and limits (read once at build)."""

    rating_secret: bytes
    csrf_secret: bytes
    open311_keys: dict[str, str]
    throttle: Throttle
    secure_cookies: bool = False
    command_timeout: float = 10.0
    session_secret: bytes = b""
    session_seconds: int = 8 * 3600
    login_limit: LoginLimit | None = None
    due_soon_days: int = 3
