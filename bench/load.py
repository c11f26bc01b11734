"""Offered load and what came out the other end: closed bursts and open loops at fixed rates."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

Publish = Callable[[str], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Phase:
    """One measured phase: ``offered`` is None for a closed burst."""

    label: str
    offered: float | None
    sent: int
    completed: int
    throughput: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


class Arrivals:
    """Publication and arrival times per key, fed by the subscription on the last hop."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.done: dict[str, float] = {}
        self._expected = 0
        self._all_in = asyncio.Event()

    def expect(self, count: int) -> None:
        self.sent.clear()
        self.done.clear()
        self._expected = count
        self._all_in.clear()

    def arrived(self, key: str) -> None:
        if key in self.sent and key not in self.done:
            self.done[key] = time.perf_counter()
            if len(self.done) >= self._expected:
                self._all_in.set()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_in.wait(), timeout)


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


def median_burst(phases: Sequence[Phase]) -> Phase:
    """The closed burst with the median throughput (the runs of one machine vary by ±10 %)."""
    bursts = sorted((p for p in phases if p.offered is None), key=lambda p: p.throughput)
    if not bursts:
        raise ValueError("no closed burst was measured")
    return bursts[(len(bursts) - 1) // 2]


def summarise(label: str, offered: float | None, arrivals: Arrivals) -> Phase:
    latencies = sorted((arrivals.done[k] - arrivals.sent[k]) * 1000 for k in arrivals.done)
    span = (max(arrivals.done.values()) - min(arrivals.sent.values())) if arrivals.done else 0.0
    return Phase(
        label, offered, len(arrivals.sent), len(arrivals.done),
        len(arrivals.done) / span if span > 0 else 0.0,
        _percentile(latencies, 0.50), _percentile(latencies, 0.95), _percentile(latencies, 0.99),
        latencies[-1] if latencies else float("nan"),
    )  # fmt: skip


async def burst(
    keys: Sequence[str], publish: Publish, arrivals: Arrivals, *, window: int, timeout: float
) -> None:
    """Closed loop: at most ``window`` publications awaiting their PubAck at any time."""
    arrivals.expect(len(keys))
    gate = asyncio.Semaphore(window)

    async def one(key: str) -> None:
        try:
            arrivals.sent[key] = time.perf_counter()
            await publish(key)
        finally:
            gate.release()

    tasks: list[asyncio.Task[None]] = []
    for key in keys:
        await gate.acquire()
        tasks.append(asyncio.create_task(one(key)))
    await asyncio.gather(*tasks)
    await arrivals.wait(timeout)


async def open_loop(
    keys: Sequence[str], publish: Publish, arrivals: Arrivals, *, rate: float, timeout: float
) -> None:
    """Open loop: publication ``i`` is due at ``i / rate`` seconds, whatever the system does meanwhile."""
    arrivals.expect(len(keys))
    start = time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    for i, key in enumerate(keys):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        arrivals.sent[key] = time.perf_counter()
        tasks.append(asyncio.create_task(publish(key)))
    await asyncio.gather(*tasks)
    await arrivals.wait(timeout)
