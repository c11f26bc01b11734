"""The periodic jobs of a service (sweeps, lag gauges): each in its own task; a failure is logged and
the job runs again at its next interval, so one bad sweep never stops the service. A transient
failure (``TransientError``, e.g. JetStream not storing a re-published event yet) is a
warning without a traceback; anything else is logged with its traceback."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from shared.errors import TransientError

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
            name = getattr(job, "__name__", repr(job))
            try:
                await job()
            except TransientError as exc:
                log.warning(
                    "periodic job %s did not finish (%s); it runs again in %.0fs", name, exc, interval
                )
            except Exception:
                log.exception("periodic job %s failed; it runs again in %.0fs", name, interval)
            await asyncio.sleep(interval)
