"""Assignment service entrypoint: thin subscribers over the handlers, commands and the sweep."""

from __future__ import annotations

from typing import Any

from services.assignment import commands, handlers, queries
from services.assignment.adapters.repository import ensure_indexes
from services.assignment.adapters.routing_file import load_routing
from services.assignment.metrics import AssignmentMetrics
from services.assignment.service import Clock, Deps
from services.assignment.settings import AssignmentSettings
from shared.contracts import assignment as assignment_contracts
from shared.contracts.intake import OpinionClassified
from shared.contracts.registry import events_of
from shared.contracts.scheduling import ConferencePlanned
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake, Scheduling
from shared.timeutil import utcnow

QUERIES = {
    "list": queries.list_assignments, "show": queries.show, "triage": queries.triage,
    "report": queries.report, "conclusion": queries.conclusion,
}  # fmt: skip


def build(settings: ServiceSettings | None = None, *, clock: Clock = utcnow) -> ServiceHost:
    """Wire the assignment service (nothing connects until ``host.start()``).

    ``clock`` is the time source of routing, commands and the sweep; tests pass one they control.
    """
    settings = AssignmentSettings(**(settings.model_dump() if settings else {}))
    host = ServiceHost(settings, owned_streams=["ASSIGNMENT"])
    host.emits(*[e for e in events_of(assignment_contracts) if e.__name__ != "SubmissionOutcome"])
    config = load_routing(settings.config_file("routing.toml", settings.routing_file))
    metrics = AssignmentMetrics(host.registry)
    holder: dict[str, Deps] = {}

    def deps() -> Deps:
        if "deps" not in holder:
            holder["deps"] = Deps(host.store, config, metrics, host.publish, clock)
        return holder["deps"]

    async def on_start(store: Any) -> None:
        holder.pop("deps", None)  # a restarted host opens a new store
        await ensure_indexes(store)

    host.on_start.append(on_start)

    @host.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> None:
        await handlers.route_opinion(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_PLANNED, "conferences")
    async def on_conference_planned(event: ConferencePlanned) -> None:
        await handlers.record_conference(deps(), event)

    for verb, handler in {**commands.VERBS, **QUERIES}.items():
        _register(host, verb, handler, deps)

    @host.every(settings.sweep_interval_seconds)
    async def sweep_deadlines() -> None:
        await handlers.sweep(deps())

    return host


def _register(host: ServiceHost, verb: str, handler: Any, deps: Any) -> None:
    async def command(body: Any) -> Any:
        return await handler(deps(), body)

    command.__name__ = f"cmd_{verb.replace('-', '_')}"
    host.command(Assignment.CMD, verb)(command)
