"""Stopping a service lets a periodic job that is running finish, up to a grace, then cancels it.

A sweep cancelled between JetStream's PubAck and the clearing of its outbox left its events for the
next start to publish again: `test_the_48_hour_reminder_is_published_once_across_a_restart` saw the
reminder twice on the wire (the same id, so JetStream stored it once) when the test stopped the
service as soon as the reminder appeared.
"""

from __future__ import annotations

import asyncio

import pytest

from shared.jobs import Jobs

pytestmark = pytest.mark.unit


async def test_a_running_job_finishes_before_stop_returns_and_does_not_run_again() -> None:
    jobs = Jobs(stop_grace=30)
    started, release = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    @jobs.every(0.01)
    async def sweep() -> None:
        runs.append("started")
        started.set()
        await release.wait()  # between the PubAck and the outbox's clearing, say
        runs.append("finished")

    jobs.start()
    await started.wait()
    stopping = asyncio.create_task(jobs.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # it waits for the running sweep
    release.set()
    await stopping

    assert runs == ["started", "finished"]


async def test_a_job_still_running_after_the_grace_is_cancelled() -> None:
    jobs = Jobs(stop_grace=0.1)
    started = asyncio.Event()
    cancelled: list[bool] = []

    @jobs.every(1)
    async def stuck() -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # a store that never answers
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    jobs.start()
    await started.wait()
    await jobs.stop()

    assert cancelled == [True]


async def test_an_idle_job_stops_at_once_instead_of_waiting_for_its_interval() -> None:
    jobs = Jobs(stop_grace=30)
    runs: list[int] = []

    @jobs.every(3600)
    async def hourly() -> None:
        runs.append(1)

    jobs.start()
    await asyncio.sleep(0.05)
    await asyncio.wait_for(jobs.stop(), timeout=10)  # not an hour, nor the grace

    assert runs == [1]
