"""When a command takes effect: now, or the moment the secretariat says it really happened."""

from __future__ import annotations

import datetime as dt

from shared.errors import DomainError

# A little slack for clocks: the CLI stamps "now" on one machine, the service checks on another.
CLOCK_SKEW = dt.timedelta(minutes=2)


def effective_time(effective_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """``effective_at``, refused when in the future; ``now`` when absent."""
    if effective_at is None:
        return now
    if effective_at > now + CLOCK_SKEW:
        raise DomainError(
            "effective_at_in_future",
            "Thời điểm thực hiện không được ở tương lai; hãy bỏ trống (mặc định là bây giờ) "
            "hoặc nhập thời điểm đã diễn ra.",
        )
    return effective_at
