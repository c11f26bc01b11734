"""Per-conference locks held across a whole unit of work (decide, save, publish, cache update).

JetStream hands a consumer its fetched batch concurrently, and grouping must see the opinions of the
same conference that were recorded just before. The handler only learns the conference once it has
read the submission, and the host commits after the handler returns, so the subscriber opens a
``LockScope`` around ``host.uow.run(...)``; the handler takes the conference's lock in it, and the
scope releases it once the outcome is committed (or has failed). A re-run of the handler after a
conflict takes the same lock again, which is a no-op.
"""

from __future__ import annotations

import asyncio
from types import TracebackType


class KeyedLocks:
    """One asyncio lock per key, per process."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    def __call__(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    def scope(self) -> LockScope:
        return LockScope(self)


class LockScope:
    """The locks one message's handling holds; all released when the scope closes."""

    def __init__(self, locks: KeyedLocks) -> None:
        self._locks = locks
        self._held: dict[str, asyncio.Lock] = {}

    async def take(self, key: str) -> None:
        if key not in self._held:
            lock = self._locks(key)
            await lock.acquire()
            self._held[key] = lock

    async def __aenter__(self) -> LockScope:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for lock in self._held.values():
            lock.release()
        self._held.clear()
