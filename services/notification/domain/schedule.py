"""When a delivery that failed transiently is tried again (the ledger-level retry, across restarts).

In-process retries (tenacity, seconds apart) absorb short blips; this schedule spaces out the later
rounds, minutes to an hour apart, so an SMTP server down for a while does not lose notices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class RetrySchedule:
    max_attempts: int = 6
    base: dt.timedelta = dt.timedelta(minutes=1)
    cap: dt.timedelta = dt.timedelta(hours=1)


def next_retry_at(
    schedule: RetrySchedule, attempts: int, now: dt.datetime, jitter: float
) -> dt.datetime | None:
    """Exponential backoff with equal jitter (half fixed, half random); ``jitter`` in [0, 1) is passed in to keep this pure."""
    if attempts >= schedule.max_attempts:
        return None
    ceiling = min(schedule.cap, schedule.base * (1 << max(attempts - 1, 0)))
    # Never retry sooner than half the ceiling, so a jitter of 0 does not hammer the server.
    return now + ceiling * (0.5 + 0.5 * jitter)
