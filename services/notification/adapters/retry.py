"""In-process retries: exponential backoff with jitter, only for transient channel errors.

A permanent error (4xx HTTP, 5xx SMTP, template problems) is raised at once: retrying cannot fix it
and would only delay the failure record. When the attempts run out the last transient error is raised
and the handler schedules a later round through the ledger (``domain.schedule``).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from services.notification.domain.errors import TransientChannelError
from services.notification.domain.messages import ChannelAdapter, Message, SendResult


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    initial_wait: float = 0.5
    max_wait: float = 10.0
    jitter: float = 0.5


async def send_with_retry(
    channel: ChannelAdapter,
    message: Message,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> SendResult:
    """Send, retrying ``TransientChannelError`` per ``policy``; the result records the attempts."""
    try:  # the usual case, a first attempt that goes through, without building a retry loop
        return (await channel.send(message)).with_attempts(1)
    except TransientChannelError:
        if policy.max_attempts <= 1:
            raise
    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.max_attempts - 1),
        # Spelled as exponential + random rather than wait_exponential_jitter, whose arguments were
        # renamed in tenacity 9.2 while pyproject still allows 8.x. The first retry waits
        # ``initial_wait``, as if the attempt above had been tenacity's first.
        wait=wait_exponential(multiplier=policy.initial_wait * 2, max=policy.max_wait)
        + wait_random(0, policy.jitter),
        retry=retry_if_exception_type(TransientChannelError),
        reraise=True,
        sleep=sleep,
    )
    await sleep(min(policy.initial_wait, policy.max_wait) + random.uniform(0, policy.jitter))
    async for attempt in retrying:
        with attempt:
            result = await channel.send(message)
        if attempt.retry_state.outcome is not None and not attempt.retry_state.outcome.failed:
            return result.with_attempts(attempt.retry_state.attempt_number + 1)
    raise AssertionError("unreachable: tenacity either returns or reraises")  # pragma: no cover
