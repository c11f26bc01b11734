"""A per-client limit on look-ups: at most ``limit`` in any ``window`` seconds (sliding window)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MAX_CLIENTS = 10_000  # beyond it the oldest clients are forgotten: memory stays bounded under a flood


@dataclass
class Throttle:
    limit: int
    window: float = 60.0
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def allow(self, client: str, now: float) -> bool:
        """Count one look-up by ``client`` at ``now`` (monotonic seconds); False when over the limit."""
        hits = self._hits.pop(client, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        allowed = len(hits) < self.limit
        if allowed:
            hits.append(now)
        self._hits[client] = hits  # re-inserted: the dict's order is the least recently seen first
        while len(self._hits) > MAX_CLIENTS:
            self._hits.pop(next(iter(self._hits)))
        return allowed
