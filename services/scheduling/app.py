"""Scheduling service entrypoint: thin request/reply commands and periodic sweeps over the handlers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from services.scheduling import handlers, queries, reminders
from services.scheduling.adapters.repository import ConferenceRepository
from services.scheduling.adapters.units_file import load_units
from services.scheduling.messages import done_message
from services.scheduling.metrics import SchedulingMetrics
from services.scheduling.settings import SchedulingSettings
from shared.contracts import scheduling as scheduling_contracts
from shared.contracts.base import CommandResult
from shared.contracts.registry import events_of
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage import DocumentStore
from shared.subjects import Scheduling
from shared.timeutil import utcnow

log = logging.getLogger(__name__)


def build(settings: ServiceSettings | None = None, clock: Callable[[], dt.datetime] = utcnow) -> ServiceHost:
    """Wire the scheduling service (nothing connects until ``host.start()``)."""
    config = SchedulingSettings.from_base(settings or SchedulingSettings())
    host = ServiceHost(config, owned_streams=["SCHEDULING"])
    host.emits(*[e for e in events_of(scheduling_contracts) if e.__name__ != "SubmissionOutcome"])
    units = load_units(config.config_file("units.toml", config.units_file))
    rules = config.rules()
    policy = reminders.ReminderPolicy(grace=dt.timedelta(hours=config.reminder_grace_hours))
    metrics = SchedulingMetrics(host.registry)

    def repo() -> ConferenceRepository:
        return ConferenceRepository(host.store)

    def context() -> handlers.Scheduling:
        return handlers.Scheduling(repo(), units, rules)

    async def prepare(store: DocumentStore) -> None:
        await ConferenceRepository(store).ensure_indexes()

    host.on_start.append(prepare)

    def lifecycle(verb: str) -> None:
        handle = handlers.LIFECYCLE[verb]

        async def run(body: dict[str, Any]) -> CommandResult:
            outcome = await handle(context(), body, clock())
            await host.publish(outcome.events)
            if not outcome.replayed:
                await metrics.refresh(repo(), clock())
            data = queries.show_data(outcome.conference, clock())
            data["event_ids"] = [e.event_id for e in outcome.events]
            data["replayed"] = outcome.replayed
            return CommandResult(ok=True, message=done_message(verb, outcome.conference), data=data)

        run.__name__ = f"scheduling_{verb}"
        host.command(Scheduling.CMD, verb)(run)

    for verb in handlers.LIFECYCLE:
        lifecycle(verb)

    def query(verb: str, answer: Callable[[dict[str, Any]], Awaitable[Any]]) -> None:
        async def run(body: dict[str, Any]) -> CommandResult:
            return CommandResult(ok=True, data=await answer(body))

        run.__name__ = f"scheduling_{verb}"
        host.command(Scheduling.CMD, verb)(run)

    query("show", lambda body: queries.show(repo(), body, clock()))
    query("list", lambda body: queries.list_conferences(repo(), body, clock()))
    query("compliance", lambda body: queries.compliance(repo(), units, rules, body))
    query("report", lambda body: queries.report(repo(), units, body))

    @host.every(config.sweep_interval_seconds)
    async def sweep_reminders() -> None:
        count = await reminders.sweep(repo(), clock(), policy, host.publish)
        if count:
            log.info("published %d reminder(s)", count)
        await metrics.refresh(repo(), clock())

    return host
