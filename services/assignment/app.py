"""Assignment service entrypoint: thin subscribers over the handlers and queries, and the sweep."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

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
from shared.contracts.intake import OpinionClassified
from shared.contracts.registry import events_of
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage import DocumentStore
from shared.storage.port import ConcurrencyConflict
from shared.subjects import Assignment, Intake, Scheduling
from shared.timeutil import utcnow
from shared.unit_of_work import Outcome, UnitOfWork

log = logging.getLogger(__name__)
Handler = Callable[[Deps, Any], Awaitable[Any]]

# verb on ``assignment.cmd.<verb>`` → (payload contract, handler or query)
COMMANDS: dict[str, tuple[type[BaseModel], Handler]] = {
    "answer-directly": (cmd.AnswerDirectly, handlers.answer_directly),
    "assign": (cmd.AssignOpinion, handlers.assign),
    "reassign": (cmd.ReassignOpinion, handlers.reassign),
    "accept": (cmd.AcceptOpinion, handlers.accept),
    "request-reassignment": (cmd.RequestReassignment, handlers.request_reassignment),
    "answer": (cmd.SubmitAnswer, handlers.answer),
    "return": (cmd.ReturnAnswer, handlers.return_answer),
    "publish": (cmd.PublishAnswer, handlers.publish),
    "request-extension": (cmd.RequestExtension, handlers.request_extension),
    "approve-extension": (cmd.ApproveExtension, handlers.approve_extension),
    "refuse-extension": (cmd.RefuseExtension, handlers.refuse_extension),
    "rate": (cmd.RateAnswer, handlers.rate),
    "list": (cmd.ListAssignments, queries.list_assignments),
    "show": (cmd.ShowAssignment, queries.show),
    "triage": (cmd.ListTriage, queries.triage),
    "report": (cmd.ReportAgencies, queries.report),
    "conclusion": (cmd.ShowConclusion, queries.conclusion),
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
    built: list[Deps] = []

    async def on_start(store: DocumentStore) -> None:
        built[:] = [Deps(store, config, metrics, clock)]  # a restarted host opens a new store
        await ensure_indexes(store)

    host.on_start.append(on_start)

    def deps() -> Deps:
        return built[0]

    @host.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> Outcome[None]:
        return await handlers.route_opinion(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_ALL, "conference-snapshots")
    async def on_conference(event: ConferenceSnapshot) -> Outcome[None]:
        return await handlers.keep_conference(deps(), event)

    for verb, (payload, handler) in COMMANDS.items():
        host.command(Assignment.CMD, verb, payload=payload)(_command(verb, handler, deps))

    @host.every(settings.sweep_interval_seconds)
    async def sweep_deadlines() -> None:
        await sweep(deps(), host.uow)

    return host


def _command(verb: str, handler: Handler, deps: Callable[[], Deps]) -> Callable[[Any], Awaitable[Any]]:
    async def command(payload: Any) -> Any:
        return await handler(deps(), payload)

    command.__name__ = f"cmd_{verb.replace('-', '_')}"
    return command


async def sweep(deps: Deps, uow: UnitOfWork) -> list[Event]:
    """Commit the reminders and escalations due now, each on its own, then refresh the backlog gauges.

    A save that lost to another replica or a command is skipped: the next sweep looks again.
    """
    published: list[Event] = []
    for outcome in await handlers.due_notices(deps):
        try:
            await uow.commit([outcome])
        except ConcurrencyConflict:
            log.info("another replica or command changed an assignment; the next sweep looks again")
            continue
        published += outcome.all_events
    deps.metrics.set_backlog(*await queries.backlog(deps))
    return published
