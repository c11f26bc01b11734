"""Intake service entrypoint: thin subscribers and commands over the handlers."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import SkipValidation

from services.intake import handlers
from services.intake.adapters.repository import OpinionRepository, ensure_indexes
from services.intake.adapters.rules_file import load_rules
from services.intake.domain import GroupingPolicy
from services.intake.handlers import IntakeContext, Submitted
from services.intake.handlers.context import KeyedLocks
from services.intake.handlers.topics_cache import TopicsCache
from services.intake.metrics import IntakeMetrics
from services.intake.settings import IntakeSettings
from shared.contracts import intake as intake_contracts
from shared.contracts.base import CommandResult
from shared.contracts.intake import SubmissionOutcome, SubmitOpinion
from shared.contracts.registry import events_of
from shared.contracts.scheduling import ConferencePlanned
from shared.errors import TransientError
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake, Scheduling, cmd
from shared.timeutil import utcnow
from shared.workdays import default_calendar

log = logging.getLogger(__name__)


def build(settings: ServiceSettings | None = None) -> ServiceHost:
    """Wire the intake service (nothing connects until ``host.start()``)."""
    config = IntakeSettings.from_base(settings or ServiceSettings(service="intake"))
    host = ServiceHost(config, owned_streams=["INTAKE"])
    host.emits(*[e for e in events_of(intake_contracts) if e.__name__ != "SubmissionOutcome"])
    host.emits(SubmissionOutcome, subject=Intake.outcome("{source}"))
    metrics = IntakeMetrics(host.registry)
    fields_file = config.config_file("fields.toml", config.intake_fields_file)
    rules = load_rules(fields_file) if fields_file else load_rules()

    async def ask_scheduling(conference_id: str) -> dict[str, Any] | None:
        try:
            reply = await host.broker.request(
                {"conference_id": conference_id}, cmd(Scheduling.CMD, "show"), timeout=5
            )
            answer = await reply.decode()
        except Exception as exc:
            raise TransientError(f"scheduling did not answer: {exc}") from exc
        if not isinstance(answer, dict) or answer.get("code") == "temporarily_unavailable":
            raise TransientError("scheduling could not look the conference up")
        data = answer.get("data")
        if not answer.get("ok") or not isinstance(data, dict):
            return None
        return {"level": data.get("level"), "unit_code": data.get("unit_code"), "title": data.get("title")}

    locks = KeyedLocks()  # one set per process, shared by every message's context
    topics = TopicsCache()
    known_conferences: dict[str, dict[str, Any]] = {}

    def context() -> IntakeContext:
        repo = OpinionRepository(host.store)
        return IntakeContext(
            repo=repo, rules=rules, calendar=default_calendar(), known_sources=config.known_sources(),
            conferences=handlers.with_projection(repo, ask_scheduling, known_conferences),
            grouping=GroupingPolicy(threshold=config.intake_grouping_threshold), conference_lock=locks, topics=topics,
        )  # fmt: skip

    async def settle(result: Submitted) -> None:
        """Publish what a submission produced; count a new opinion or a refusal."""
        await host.publish(result.events)
        if result.rejection is not None:
            await host.publish_rejection(result.rejection)
            host.metrics.rejected.labels("intake", result.rejection.reason).inc()
            log.info("submission refused: %s", result.rejection.reason)
        elif result.new and result.opinion is not None:
            metrics.recorded(result.opinion)

    host.on_start.append(ensure_indexes)

    @host.consumer(Scheduling.CONFERENCE_PLANNED, "conferences")
    async def on_conference_planned(event: ConferencePlanned) -> None:
        await handlers.record_conference(OpinionRepository(host.store), event)

    @host.consumer(Intake.SUBMIT_ALL, "submissions")
    async def on_submission(body: SkipValidation[SubmitOpinion]) -> None:
        # The annotation documents the command in AsyncAPI; validation happens in the handler on the
        # raw bytes, so a refused submission still gets its outcome on intake.outcome.<source>.
        msg = host.current_message()
        raw = msg.raw_message
        source = raw.subject.split(".", 2)[2]
        meta = raw.metadata
        result = await handlers.submit_external(
            context(), source, msg.body, key=f"{meta.stream}:{meta.sequence.stream}", now=utcnow(),
            msg_id=(raw.headers or {}).get("Nats-Msg-Id"), deliveries=meta.num_delivered,
        )  # fmt: skip
        await settle(result)

    @host.command(Intake.CMD, "submit")
    async def submit(body: dict[str, Any]) -> Any:
        result, data = await handlers.submit_desk(context(), body, utcnow())
        await settle(result)
        return data

    @host.command(Intake.CMD, "list")
    async def list_opinions(body: dict[str, Any]) -> Any:
        return await handlers.list_opinions(context(), body)

    @host.command(Intake.CMD, "show")
    async def show(body: dict[str, Any]) -> Any:
        return await handlers.show(context(), body)

    @host.command(Intake.CMD, "reclassify")
    async def reclassify(body: dict[str, Any]) -> Any:
        events, data = await handlers.reclassify(context(), body, utcnow())
        await host.publish(events)
        return data

    @host.command(Intake.CMD, "track")
    async def track(body: dict[str, Any]) -> Any:
        return await handlers.track(context(), body)

    @host.command(Intake.CMD, "report")
    async def report(body: dict[str, Any]) -> CommandResult:
        data = await handlers.report(context(), body)
        return CommandResult(ok=True, message=str(data["sentence"]), data=data)

    return host
