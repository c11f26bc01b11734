"""Intake service entrypoint: thin subscribers and commands over the handlers and queries."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import SkipValidation

from services.intake import handlers, queries
from services.intake.adapters.repository import ensure_indexes
from services.intake.deps import Deps, build_deps, load_configured_rules
from services.intake.handlers import Submitted
from services.intake.metrics import IntakeMetrics
from services.intake.settings import IntakeSettings
from shared import conference_snapshot, outbox
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts import intake as intake_contracts
from shared.contracts.intake import SubmissionOutcome, SubmitOpinion
from shared.contracts.intake_commands import (
    ListOpinions,
    ReclassifyOpinion,
    ReportOpinions,
    ShowOpinion,
    SubmitDeskOpinion,
)
from shared.contracts.registry import events_of
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage import DocumentStore
from shared.subjects import Intake, Scheduling
from shared.timeutil import utcnow
from shared.unit_of_work import Outcome
from shared.wiring import Route, route

log = logging.getLogger(__name__)


# verb on ``intake.cmd.<verb>`` → its payload contract and the handler or query answering it; the
# desk's ``submit`` is registered apart: like a submission from another system, its opinion is in
# flight in the conference's topics until its outcome is committed (adapters/topics_cache.py).
SNAPSHOTS = "conference-snapshots"  # the consumer of conference events
COMMANDS: dict[str, Route[Deps, Any]] = {
    "reclassify": route(ReclassifyOpinion, handlers.reclassify),
    "list": route(ListOpinions, queries.list_opinions),
    "show": route(ShowOpinion, queries.show),
    "report": route(ReportOpinions, queries.report_reply),
}


def build(settings: ServiceSettings | None = None) -> ServiceHost:
    """Wire the intake service (nothing connects until ``host.start()``)."""
    config = IntakeSettings.from_base(settings or ServiceSettings(service="intake"))
    host = ServiceHost(config, owned_streams=["INTAKE"], outbox=["opinions"])
    host.emits(*[e for e in events_of(intake_contracts) if e.__name__ != "SubmissionOutcome"])
    host.emits(SubmissionOutcome, subject=Intake.outcome("{source}"))
    metrics = IntakeMetrics(host.registry)
    rules = load_configured_rules(config)  # a broken rules file stops the build, not the first message

    async def snapshots_in_flight() -> bool:
        """Whether a conference event is still on its way to intake (see ``deps``)."""
        return await host.subscriptions.in_flight(Scheduling.CONFERENCE_ALL, SNAPSHOTS)

    async def start(store: DocumentStore) -> Deps:
        await ensure_indexes(store)
        await store.ensure_indexes(conference_snapshot.COLLECTION, [outbox.INDEX])
        return build_deps(store, config, rules, metrics, snapshots_in_flight)

    deps = host.provide(start)
    host.commands(Intake.CMD, deps, COMMANDS)

    async def settle(result: Submitted) -> None:
        """Record a refused message on the dead-letter stream, and count it (new opinions count themselves)."""
        if result.rejection is not None:
            await host.publish_rejection(result.rejection)
            host.metrics.rejected.labels("intake", result.rejection.reason).inc()
            log.info("submission refused: %s", result.rejection.reason)

    @host.consumer(Scheduling.CONFERENCE_ALL, SNAPSHOTS)
    async def on_conference(event: ConferenceSnapshot) -> Outcome[None]:
        return await handlers.keep_conference(deps(), event)

    @host.consumer(Intake.SUBMIT_ALL, "submissions")
    async def on_submission(body: SkipValidation[SubmitOpinion]) -> None:
        # The annotation documents the command in AsyncAPI; the handler validates the raw bytes, so a
        # refused submission still gets its outcome on intake.outcome.<source>. What the handler
        # reserves in the conference's topics is confirmed by the commit of its batch, or failed
        # when the scope closes without it (see adapters/topics_cache.py).
        raw = host.current_message()
        meta = raw.metadata
        async with deps().topics.reservations(host.uow.open_batch) as reserved:
            result: Submitted = await host.uow.run(
                lambda: handlers.submit_external(
                    deps(),
                    reserved,
                    raw.subject.split(".", 2)[2],
                    raw.data,
                    now=utcnow(),
                    key=f"{meta.stream}:{meta.sequence.stream}",
                    msg_id=(raw.headers or {}).get("Nats-Msg-Id"),
                    deliveries=meta.num_delivered,
                ),
                "submission",
                batched=True,
            )
        await settle(result)

    @host.command(Intake.CMD, "submit", payload=SubmitDeskOpinion)
    async def submit(body: SubmitDeskOpinion) -> Any:
        async with deps().topics.reservations(host.uow.open_batch) as reserved:
            result: Submitted = await host.uow.run(
                lambda: handlers.submit_desk(deps(), reserved, body, utcnow()),
                "intake.cmd.submit",
                batched=True,  # committed with the batch its opinion was decided in (open_batch)
            )
        await settle(result)
        return result.view

    return host
