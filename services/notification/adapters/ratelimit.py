"""A per-channel async token bucket, and a channel wrapper that waits for a token before sending.

Hand-written (about 40 lines) rather than ``aiolimiter``: the bucket takes an injected clock and
sleep, so its tests are exact and instant instead of timing-based, and it adds no dependency.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from services.notification.domain.messages import ChannelAdapter, Message, SendResult
from services.notification.domain.triggers import Channel

# Float refills can land a hair below one token; without a tolerance the loop would sleep for
# intervals too small to move the clock and spin forever.
_EPSILON = 1e-9


class TokenBucket:
    """``rate`` tokens per second, bursts up to ``capacity``; waiters are served in arrival order."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        # The lock makes waiters queue, so a burst of sends cannot all wake and overdraw the bucket.
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        async with self._lock:
            self._refill()
            while self._tokens < 1 - _EPSILON:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens = max(0.0, self._tokens - 1)


class RateLimitedChannel:
    """Wraps a channel so every wire attempt, retries included, spends one token."""

    def __init__(self, inner: ChannelAdapter, bucket: TokenBucket) -> None:
        self._inner = inner
        self._bucket = bucket
        self.channel: Channel = inner.channel

    async def send(self, message: Message) -> SendResult:
        await self._bucket.acquire()
        return await self._inner.send(message)
