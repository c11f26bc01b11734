"""Officials' passwords hashed with Argon2id (argon2-cffi, its recommended parameters).

Hashing takes tens of milliseconds of CPU and 64 MiB: the routes and handlers call it in a worker
thread, so the event loop keeps serving pages meanwhile. The workers are a pool of their own with
``HASHING_THREADS`` threads: a burst of logins queues there instead of holding 64 MiB per login at
once (four at the same moment took a process from 85 to 278 MB), and a request that gives up while
its hash runs cannot let another start beside it, as releasing an asyncio semaphore would.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import ARGON2_VERSION

T = TypeVar("T")
HASHING_THREADS = 2  # Argon2 calls at once per portal process (64 MiB each)


def unmatchable(hasher: PasswordHasher) -> str:
    """An encoded hash with ``hasher``'s parameters, a random salt and a random digest.

    Verifying a password against it costs what verifying against a real hash costs and always
    fails; building it hashes nothing. Hashing a dummy password at start-up touched the 64 MiB of
    memory cost once and left every portal's peak RSS (VmHWM) 64 MB higher for its whole life.
    """

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii").rstrip("=")

    return (
        f"$argon2{hasher.type.name.lower()}$v={ARGON2_VERSION}"
        f"$m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
        f"${b64(secrets.token_bytes(hasher.salt_len))}${b64(secrets.token_bytes(hasher.hash_len))}"
    )


class Passwords:
    """Hash a password, verify one against its hash, and spend the same time on an unknown user."""

    def __init__(self, hasher: PasswordHasher | None = None, threads: int = HASHING_THREADS) -> None:
        self.hasher = hasher or PasswordHasher()
        # Verified against when the username is unknown, so the answer takes as long as for a real one.
        self._dummy = unmatchable(self.hasher)
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")

    async def _in_pool(self, work: Callable[..., T], *args: str) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)

    async def hash(self, password: str) -> str:
        return await self._in_pool(self.hasher.hash, password)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; with no hash, a dummy is verified and False answered."""
        if stored is None:
            await self._in_pool(self._verify, self._dummy, password)
            return False
        return await self._in_pool(self._verify, stored, password)
