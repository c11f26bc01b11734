"""The periodic jobs of a service (sweeps, lag gauges): each in its own task; a failure is logged and
the job runs again at its next interval, so one bad sweep never stops the service. A transient
failure (``TransientError``, e.g. JetStream not storing a re-published event yet) is a
warning without a traceback; anything else is logged with its traceback.

Stopping lets a job that is running finish (up to ``STOP_GRACE`` seconds) instead of cancelling it
in the middle: a sweep cancelled between JetStream's PubAck and the clearing of its outbox left
the events for the next start's sweep to publish again (deduplicated by JetStream, but one more
publication after every restart). A job still running after the grace is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from shared.errors import TransientError

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[object]]
STOP_GRACE = 5.0  # seconds a running job has to finish when the service stops


class Jobs:
    def __init__(self, stop_grace: float = STOP_GRACE) -> None:
        self.scheduled: list[tuple[float, Job]] = []
        self.stop_grace = stop_grace
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    def every(self, seconds: float) -> Callable[[Job], Job]:
        """Decorator: run the job every ``seconds`` once the service is started (first run at once)."""

        def decorate(job: Job) -> Job:
            self.scheduled.append((seconds, job))
            return job

        return decorate

    def start(self) -> None:
        self._stopping = asyncio.Event()
        self._tasks += [asyncio.create_task(self._every(interval, job)) for interval, job in self.scheduled]

    async def stop(self) -> None:
        self._stopping.set()
        if self._tasks:
            _, running = await asyncio.wait(self._tasks, timeout=self.stop_grace)
            for task in running:
                log.warning(
                    "a periodic job did not finish within %.0fs of the stop; cancelled", self.stop_grace
                )
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _every(self, interval: float, job: Job) -> None:
        while not self._stopping.is_set():
            name = getattr(job, "__name__", repr(job))
            try:
                await job()
            except TransientError as exc:
                log.warning(
                    "periodic job %s did not finish (%s); it runs again in %.0fs", name, exc, interval
                )
            except Exception:
                log.exception("periodic job %s failed; it runs again in %.0fs", name, interval)
            with contextlib.suppress(TimeoutError):  # the interval passed without a stop
                await asyncio.wait_for(self._stopping.wait(), timeout=interval)
