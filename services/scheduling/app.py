"""Scheduling service entrypoint: thin request/reply commands and the reminder sweep over the handlers.

Every state-changing command returns an ``Outcome`` that the host commits (save with the outbox,
publish, reply); the host's outbox sweep re-publishes whatever was saved but not confirmed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from services.scheduling import handlers, queries
from services.scheduling.adapters.repository import CONFERENCES
from services.scheduling.adapters.units_file import load_units
from services.scheduling.deps import Wiring
from services.scheduling.domain import ReminderPolicy
from services.scheduling.metrics import SchedulingMetrics
from services.scheduling.settings import SchedulingSettings
from shared.contracts import scheduling as scheduling_contracts
from shared.contracts import scheduling_commands as cmds
from shared.contracts.registry import events_of
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage.port import ConcurrencyConflict
from shared.subjects import Scheduling
from shared.timeutil import utcnow

log = logging.getLogger(__name__)
Reply = handlers.Reply


def build(settings: ServiceSettings | None = None, clock: Callable[[], dt.datetime] = utcnow) -> ServiceHost:
    """Wire the scheduling service (nothing connects until ``host.start()``)."""
    config = SchedulingSettings.from_base(settings or SchedulingSettings())
    host = ServiceHost(config, owned_streams=["SCHEDULING"], outbox=[CONFERENCES])
    host.emits(*events_of(scheduling_contracts))
    deps = Wiring(
        units=load_units(config.config_file("units.toml", config.units_file)),
        rules=config.rules(),
        reminders=ReminderPolicy(grace=dt.timedelta(hours=config.reminder_grace_hours)),
        metrics=SchedulingMetrics(host.registry),
        clock=clock,
    )
    host.on_start.append(deps.start)

    @host.command(Scheduling.CMD, "plan", payload=cmds.PlanConference)
    async def plan(command: cmds.PlanConference) -> Reply:
        return await handlers.plan(deps(), command)

    @host.command(Scheduling.CMD, "announce", payload=cmds.AnnounceConference)
    async def announce(command: cmds.AnnounceConference) -> Reply:
        return await handlers.announce(deps(), command)

    @host.command(Scheduling.CMD, "reschedule", payload=cmds.RescheduleConference)
    async def reschedule(command: cmds.RescheduleConference) -> Reply:
        return await handlers.reschedule(deps(), command)

    @host.command(Scheduling.CMD, "postpone", payload=cmds.PostponeConference)
    async def postpone(command: cmds.PostponeConference) -> Reply:
        return await handlers.postpone(deps(), command)

    @host.command(Scheduling.CMD, "hold", payload=cmds.HoldConference)
    async def hold(command: cmds.HoldConference) -> Reply:
        return await handlers.hold(deps(), command)

    @host.command(Scheduling.CMD, "conclude", payload=cmds.ConcludeConference)
    async def conclude(command: cmds.ConcludeConference) -> Reply:
        return await handlers.conclude(deps(), command)

    @host.command(Scheduling.CMD, "close", payload=cmds.CloseConference)
    async def close(command: cmds.CloseConference) -> Reply:
        return await handlers.close(deps(), command)

    @host.command(Scheduling.CMD, "cancel", payload=cmds.CancelConference)
    async def cancel(command: cmds.CancelConference) -> Reply:
        return await handlers.cancel(deps(), command)

    @host.command(Scheduling.CMD, "show", payload=cmds.ShowConference)
    async def show(query: cmds.ShowConference) -> dict[str, Any]:
        return await queries.show(deps(), query)

    @host.command(Scheduling.CMD, "list", payload=cmds.ListConferences)
    async def list_conferences(query: cmds.ListConferences) -> list[dict[str, Any]]:
        return await queries.list_conferences(deps(), query)

    @host.command(Scheduling.CMD, "compliance", payload=cmds.CheckCompliance)
    async def compliance(query: cmds.CheckCompliance) -> list[dict[str, Any]]:
        return await queries.compliance(deps(), query)

    @host.command(Scheduling.CMD, "report", payload=cmds.ReportConferences)
    async def report(query: cmds.ReportConferences) -> dict[str, Any]:
        return await queries.report(deps(), query)

    @host.every(config.sweep_interval_seconds)
    async def sweep_reminders() -> None:
        claimed = 0
        for outcome in await handlers.remind(deps()):
            try:
                await host.uow.commit([outcome])
            except ConcurrencyConflict:
                continue  # another replica claimed it, or a command changed the conference: next sweep
            claimed += len(outcome.all_events)
        if claimed:
            log.info("published %d reminder(s)", claimed)
        await deps().metrics.refresh(deps().conferences, clock())

    return host
