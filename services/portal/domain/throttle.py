"""Per-client limits: look-ups (at most ``limit`` in any ``window`` seconds), failed logins."""

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


@dataclass
class LoginLimit:
    """Failed logins counted per username and per client address over a sliding ``window``.

    After ``limit`` failures on either key, logins with it are refused until the oldest failure
    leaves the window; a success clears the username's count (never the address's: an attacker
    holding one account must not wipe the count of the addresses it guesses others from).
    """

    limit: int
    window: float = 900.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._failures.pop(key, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if hits:
            self._failures[key] = hits
        while len(self._failures) > MAX_CLIENTS:
            self._failures.pop(next(iter(self._failures)))
        return hits

    def blocked(self, keys: list[str], now: float) -> bool:
        return any(len(self._recent(key, now)) >= self.limit for key in keys)

    def failed(self, keys: list[str], now: float) -> None:
        for key in keys:
            hits = self._recent(key, now)
            hits.append(now)
            self._failures[key] = hits

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
