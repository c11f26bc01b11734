"""Notification service entrypoint: thin subscribers over the handlers, operator commands, the sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from services.notification import commands, handlers, service
from services.notification import wiring as wire
from services.notification.adapters.directory_loader import DEFAULT_DIRECTORY, load_directory
from services.notification.adapters.repository import ensure_indexes
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.domain.triggers import Trigger
from services.notification.metrics import NotificationMetrics
from services.notification.service import Deps
from services.notification.settings import NotificationSettings
from shared.contracts.assignment import AnswerPublished, DeadlineApproaching, OpinionAssigned, OpinionOverdue
from shared.contracts.base import CommandResult
from shared.contracts.intake import AcknowledgementDue
from shared.contracts.notification import NotificationFailed, NotificationSent
from shared.contracts.scheduling import ConclusionReminderDue, ConferenceAnnounced, ConferenceReminderDue
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Intake, Notification, Scheduling
from shared.timeutil import utcnow

Clock = Callable[[], dt.datetime]


def build(settings: ServiceSettings | None = None, *, clock: Clock = utcnow) -> ServiceHost:
    """Wire the notification service (nothing connects until ``host.start()``).

    Templates are rendered once here with their samples, so a broken override stops the start-up.
    """
    settings = NotificationSettings(**(settings.model_dump() if settings else {}))
    host = ServiceHost(settings, owned_streams=["NOTIFICATION"])
    host.emits(NotificationSent, NotificationFailed)
    catalog = TemplateCatalog(settings.config_file("templates", settings.notification_templates_dir))
    catalog.validate()
    directory = load_directory(
        settings.config_file("directory.toml", settings.notification_directory_file) or DEFAULT_DIRECTORY
    )
    host.writable.append(("DIALOGUE_DATA_DIR", settings.data_dir))  # the log channel's notices
    metrics = NotificationMetrics(host.registry)
    holder: dict[str, Deps] = {}

    def deps() -> Deps:
        if "deps" not in holder:
            holder["deps"] = Deps(
                store=host.store,
                renderer=catalog,
                directory=directory,
                channels=wire.channels(settings),
                metrics=metrics,
                publish=host.publish,
                clock=clock,
                fallback=wire.fallback(settings),
                retry=wire.retry_policy(settings),
                schedule=wire.retry_schedule(settings),
                grace=dt.timedelta(seconds=settings.notification_sending_grace_seconds),
                public_url=settings.notification_public_url,
                survey_days=settings.notification_survey_days,
            )
        return holder["deps"]

    async def on_start(store: Any) -> None:
        holder.pop("deps", None)  # a restarted host opens a new store
        await ensure_indexes(store)

    host.on_start.append(on_start)

    @host.consumer(Scheduling.CONFERENCE_ANNOUNCED, "conference-announced")
    async def on_announced(event: ConferenceAnnounced) -> None:
        await handlers.conference_participants(deps(), event, Trigger.CONFERENCE_ANNOUNCED)

    @host.consumer(Scheduling.CONFERENCE_REMINDER_DUE, "conference-reminder")
    async def on_reminder(event: ConferenceReminderDue) -> None:
        await handlers.conference_participants(deps(), event, Trigger.CONFERENCE_REMINDER_48H)

    @host.consumer(Scheduling.CONCLUSION_REMINDER_DUE, "conclusion-reminder")
    async def on_conclusion_reminder(event: ConclusionReminderDue) -> None:
        await handlers.conclusion_reminder(deps(), event)

    @host.consumer(Intake.OPINION_ACKNOWLEDGEMENT_DUE, "acknowledgement")
    async def on_acknowledgement(event: AcknowledgementDue) -> None:
        await handlers.opinion_acknowledged(deps(), event)

    @host.consumer(Assignment.OPINION_ASSIGNED, "assigned")
    async def on_assigned(event: OpinionAssigned) -> None:
        await handlers.opinion_assigned(deps(), event)

    @host.consumer(Assignment.DEADLINE_APPROACHING, "deadline-approaching")
    async def on_deadline(event: DeadlineApproaching) -> None:
        await handlers.deadline_approaching(deps(), event)

    @host.consumer(Assignment.OPINION_OVERDUE, "overdue")
    async def on_overdue(event: OpinionOverdue) -> None:
        await handlers.opinion_overdue(deps(), event)

    @host.consumer(Assignment.ANSWER_PUBLISHED, "answer-published")
    async def on_published(event: AnswerPublished) -> None:
        await handlers.answer_published(deps(), event)

    for verb, command in {
        "list": commands.list_deliveries,
        "show": commands.show,
        "resend": commands.resend,
    }.items():
        _register(host, verb, command, deps)

    @host.every(settings.notification_sweep_seconds)
    async def sweep_deliveries() -> None:
        await service.sweep(deps())

    return host


def _register(
    host: ServiceHost,
    verb: str,
    command: Callable[[Deps, dict[str, Any]], Awaitable[Any]],
    deps: Callable[[], Deps],
) -> None:
    @host.command(Notification.CMD, verb)
    async def run(body: dict[str, Any]) -> CommandResult:
        return CommandResult(ok=True, data=await command(deps(), body))

    run.__name__ = f"notification_{verb}"
