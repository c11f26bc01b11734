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
from services.scheduling.deps import Deps, build_deps
from services.scheduling.domain import ReminderPolicy
from services.scheduling.metrics import SchedulingMetrics
from services.scheduling.settings import SchedulingSettings
from shared.contracts import scheduling as scheduling_contracts
from shared.contracts import scheduling_commands as cmds
from shared.contracts.registry import events_of
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage.port import DocumentStore
from shared.subjects import Scheduling
from shared.timeutil import utcnow
from shared.wiring import Route, route

log = logging.getLogger(__name__)


# verb on ``scheduling.cmd.<verb>`` → its payload contract and the handler or query answering it
COMMANDS: dict[str, Route[Deps, Any]] = {
    "plan": route(cmds.PlanConference, handlers.plan),
    "announce": route(cmds.AnnounceConference, handlers.announce),
    "reschedule": route(cmds.RescheduleConference, handlers.reschedule),
    "postpone": route(cmds.PostponeConference, handlers.postpone),
    "hold": route(cmds.HoldConference, handlers.hold),
    "conclude": route(cmds.ConcludeConference, handlers.conclude),
    "close": route(cmds.CloseConference, handlers.close),
    "cancel": route(cmds.CancelConference, handlers.cancel),
    "show": route(cmds.ShowConference, queries.show),
    "list": route(cmds.ListConferences, queries.list_conferences),
    "compliance": route(cmds.CheckCompliance, queries.compliance),
    "report": route(cmds.ReportConferences, queries.report),
    "units": route(cmds.ListUnits, queries.units),
}


def build(settings: ServiceSettings | None = None, clock: Callable[[], dt.datetime] = utcnow) -> ServiceHost:
    """Wire the scheduling service (nothing connects until ``host.start()``)."""
    config = SchedulingSettings.from_base(settings or SchedulingSettings())
    host = ServiceHost(config, owned_streams=["SCHEDULING"], outbox=[CONFERENCES])
    host.emits(*events_of(scheduling_contracts))
    units = load_units(config.config_file("units.toml", config.units_file))
    reminders = ReminderPolicy(grace=dt.timedelta(hours=config.reminder_grace_hours))
    metrics = SchedulingMetrics(host.registry)
    rules = config.rules()

    async def start(store: DocumentStore) -> Deps:
        return await build_deps(store, units, rules, reminders, metrics, clock)

    deps = host.provide(start)
    host.commands(Scheduling.CMD, deps, COMMANDS)

    @host.every(config.sweep_interval_seconds)
    async def sweep_reminders() -> None:
        sent = await host.uow.commit_each(await handlers.remind(deps()), "a reminder claim")
        if sent:
            log.info("published %d reminder(s)", len(sent))
        await deps().metrics.refresh(deps().conferences, clock())

    return host
