"""How every service's ``app.py`` wires itself: its ``Deps`` built once per start, its command table.

- ``host.provide(build)`` returns a ``Provided``: call it for the service's ``Deps``. The host builds
  them in its start-up, once it has opened the store (a restarted host opens a new store, so new
  ``Deps``); before that, a call is a transient error (the message is retried), never a crash.
- ``host.commands(Context.CMD, deps, COMMANDS)`` registers a table ``verb → route(Payload, handler)``
  on ``<context>.cmd.<verb>``: each handler or query is called as ``handler(deps(), payload)``. The
  table is the service's command surface at a glance, and mypy checks each handler takes its payload.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from shared.errors import TransientError
from shared.storage.port import DocumentStore

D = TypeVar("D")
M = TypeVar("M", bound=BaseModel)


class Provided(Generic[D]):
    """A service's dependencies, built by ``build`` each time the host starts with its store."""

    def __init__(self, service: str, build: Callable[[DocumentStore], Awaitable[D]]) -> None:
        self.service = service
        self.build = build
        self.built: D | None = None

    async def start(self, store: DocumentStore) -> None:
        self.built = await self.build(store)

    def __call__(self) -> D:
        if self.built is None:
            raise TransientError(f"{self.service} has not opened its store yet")
        return self.built


@dataclass(frozen=True)
class Route(Generic[D, M]):
    """One operator command: its payload contract and the handler (or query) that answers it."""

    payload: type[M]
    handler: Callable[[D, M], Awaitable[Any]]

    def bind(self, name: str, deps: Callable[[], D]) -> Callable[[M], Awaitable[Any]]:
        async def answer(payload: M) -> Any:
            return await self.handler(deps(), payload)

        answer.__name__ = answer.__qualname__ = name
        return answer


def route(payload: type[M], handler: Callable[[D, M], Awaitable[Any]]) -> Route[D, M]:
    """``verb: route(Payload, handler)`` in a service's command table."""
    return Route(payload, handler)
