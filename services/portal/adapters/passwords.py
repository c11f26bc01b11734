"""Officials' passwords hashed with Argon2id (argon2-cffi, its recommended parameters).

Hashing takes tens of milliseconds of CPU and 64 MiB: the routes and handlers call it in a worker
thread, so the event loop keeps serving pages meanwhile.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    """Hash a password, verify one against its hash, and spend the same time on an unknown user."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        # Verified against when the username is unknown, so the answer takes as long as for a real one.
        self._dummy = self.hasher.hash("not-a-password-of-anyone")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, stored: str | None, password: str) -> bool:
        """Whether ``password`` matches ``stored``; with no hash, a dummy is verified and False answered."""
        if stored is None:
            await asyncio.to_thread(self._verify, self._dummy, password)
            return False
        return await asyncio.to_thread(self._verify, stored, password)
