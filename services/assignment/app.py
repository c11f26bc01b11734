"""Assignment service entrypoint: thin subscribers over the handlers and queries, and the sweep."""

from __future__ import annotations

import logging
from typing import Any

from services.assignment import handlers, queries
from services.assignment.adapters.repository import ASSIGNMENTS, ensure_indexes
from services.assignment.adapters.routing_file import load_routing
from services.assignment.deps import Clock, Deps
from services.assignment.metrics import AssignmentMetrics
from services.assignment.settings import AssignmentSettings
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts import assignment as assignment_contracts
from shared.contracts import assignment_commands as cmd
from shared.contracts.base import Event
from shared.contracts.intake import OpinionClassified, OpinionReclassified
from shared.contracts.registry import events_of
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage import DocumentStore
from shared.subjects import Assignment, Intake, Scheduling
from shared.timeutil import utcnow
from shared.unit_of_work import Outcome, UnitOfWork
from shared.wiring import Route, route

log = logging.getLogger(__name__)

# verb on ``assignment.cmd.<verb>`` → its payload contract and the handler or query answering it
COMMANDS: dict[str, Route[Deps, Any]] = {
    "answer-directly": route(cmd.AnswerDirectly, handlers.answer_directly),
    "assign": route(cmd.AssignOpinion, handlers.assign),
    "reassign": route(cmd.ReassignOpinion, handlers.reassign),
    "accept": route(cmd.AcceptOpinion, handlers.accept),
    "request-reassignment": route(cmd.RequestReassignment, handlers.request_reassignment),
    "answer": route(cmd.SubmitAnswer, handlers.answer),
    "return": route(cmd.ReturnAnswer, handlers.return_answer),
    "publish": route(cmd.PublishAnswer, handlers.publish),
    "request-extension": route(cmd.RequestExtension, handlers.request_extension),
    "approve-extension": route(cmd.ApproveExtension, handlers.approve_extension),
    "refuse-extension": route(cmd.RefuseExtension, handlers.refuse_extension),
    "rate": route(cmd.RateAnswer, handlers.rate),
    "list": route(cmd.ListAssignments, queries.list_assignments),
    "show": route(cmd.ShowAssignment, queries.show),
    "triage": route(cmd.ListTriage, queries.triage),
    "report": route(cmd.ReportAgencies, queries.report),
    "conclusion": route(cmd.ShowConclusion, queries.conclusion),
}


def build(settings: ServiceSettings | None = None, *, clock: Clock = utcnow) -> ServiceHost:
    """Wire the assignment service (nothing connects until ``host.start()``).

    ``clock`` is the time source of routing, commands and the sweep; tests pass one they control.
    """
    settings = AssignmentSettings(**(settings.model_dump() if settings else {}))
    host = ServiceHost(settings, owned_streams=["ASSIGNMENT"], outbox=[ASSIGNMENTS])
    host.emits(*events_of(assignment_contracts))
    config = load_routing(settings.config_file("routing.toml", settings.routing_file))
    metrics = AssignmentMetrics(host.registry)

    async def start(store: DocumentStore) -> Deps:
        await ensure_indexes(store)
        return Deps(store, config, metrics, clock)

    deps = host.provide(start)
    host.commands(Assignment.CMD, deps, COMMANDS)

    @host.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> Outcome[None]:
        return await handlers.route_opinion(deps(), event)

    @host.consumer(Intake.OPINION_RECLASSIFIED, "reclassified")
    async def on_reclassified(event: OpinionReclassified) -> Outcome[None]:
        return await handlers.reroute_opinion(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_ALL, "conference-snapshots")
    async def on_conference(event: ConferenceSnapshot) -> Outcome[None]:
        return await handlers.keep_conference(deps(), event)

    @host.every(settings.sweep_interval_seconds)
    async def sweep_deadlines() -> None:
        await sweep(deps(), host.uow)

    return host


async def sweep(deps: Deps, uow: UnitOfWork) -> list[Event]:
    """Commit the reminders and escalations due now, each on its own, then refresh the backlog gauges."""
    published = await uow.commit_each(await handlers.due_notices(deps), "a deadline notice")
    deps.metrics.set_backlog(*await queries.backlog(deps))
    return published
