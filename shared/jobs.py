"""The periodic jobs of a service (sweeps, lag gauges): each in its own task; a failure is logged and
the job runs again at its next interval, so one bad sweep never stops the service."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[object]]


class Jobs:
    def __init__(self) -> None:
        self.scheduled: list[tuple[float, Job]] = []
        self._tasks: list[asyncio.Task[None]] = []

    def every(self, seconds: float) -> Callable[[Job], Job]:
        """Decorator: run the job every ``seconds`` once the service is started (first run at once)."""

        def decorate(job: Job) -> Job:
            self.scheduled.append((seconds, job))
            return job

        return decorate

    def start(self) -> None:
        self._tasks += [asyncio.create_task(self._every(interval, job)) for interval, job in self.scheduled]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _every(self, interval: float, job: Job) -> None:
        while True:
            try:
                await job()
            except Exception:
                name = getattr(job, "__name__", repr(job))
                log.exception("periodic job %s failed; it runs again in %.0fs", name, interval)
            await asyncio.sleep(interval)
