"""Notification service entrypoint: thin subscribers over the handlers, operator commands, the sweep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from services.notification import handlers, queries
from services.notification.adapters.directory_loader import DEFAULT_DIRECTORY, load_directory
from services.notification.adapters.repository import COLLECTIONS
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.deps import Deps, build_deps
from services.notification.metrics import NotificationMetrics
from services.notification.settings import NotificationSettings
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.assignment import (
    AnswerPublished,
    AnswerReturned,
    DeadlineApproaching,
    OpinionAssigned,
    OpinionOverdue,
    OpinionTransferred,
    OpinionTriageQueued,
)
from shared.contracts.intake import AcknowledgementDue
from shared.contracts.notification import NotificationFailed, NotificationSent
from shared.contracts.notification_commands import ListDeliveries, ResendDelivery, ShowDelivery
from shared.contracts.scheduling import (
    ConclusionReminderDue,
    ConferenceAnnounced,
    ConferenceCancelled,
    ConferencePostponed,
    ConferenceReminderDue,
    ConferenceRescheduled,
)
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage.port import DocumentStore
from shared.subjects import Assignment, Intake, Notification, Scheduling
from shared.timeutil import utcnow
from shared.unit_of_work import Outcome
from shared.wiring import Route, route

Clock = Callable[[], dt.datetime]


# verb on ``notification.cmd.<verb>`` → its payload contract and the handler or query answering it
COMMANDS: dict[str, Route[Deps, Any]] = {
    "list": route(ListDeliveries, queries.list_deliveries),
    "show": route(ShowDelivery, queries.show),
    "resend": route(ResendDelivery, handlers.resend),
}


ACKNOWLEDGEMENTS = "acknowledgement"  # the consumer of AcknowledgementDue (the citizens' contacts)


def build(settings: ServiceSettings | None = None, *, clock: Clock = utcnow) -> ServiceHost:
    """Wire the notification service (nothing connects until ``host.start()``).

    Templates are rendered once here with their samples, so a broken override stops the start-up.
    """
    settings = NotificationSettings(**(settings.model_dump() if settings else {}))
    host = ServiceHost(settings, owned_streams=["NOTIFICATION"], outbox=COLLECTIONS)
    host.emits(NotificationSent, NotificationFailed)
    catalog = TemplateCatalog(settings.config_file("templates", settings.notification_templates_dir))
    catalog.validate()
    directory = load_directory(
        settings.config_file("directory.toml", settings.notification_directory_file) or DEFAULT_DIRECTORY
    )
    host.writable.append(("DIALOGUE_DATA_DIR", settings.data_dir))  # the log channel's notices
    metrics = NotificationMetrics(host.registry)

    async def contacts_in_flight() -> bool:
        """Whether an AcknowledgementDue is still on its way to this service (see ``deps``)."""
        return await host.subscriptions.in_flight(Intake.OPINION_ACKNOWLEDGEMENT_DUE, ACKNOWLEDGEMENTS)

    async def start(store: DocumentStore) -> Deps:
        deps = replace(
            build_deps(settings, store, catalog, directory, metrics, clock),
            contacts_in_flight=contacts_in_flight,
        )
        await deps.repo.ensure_indexes()
        return deps

    deps = host.provide(start)
    host.commands(Notification.CMD, deps, COMMANDS)

    @host.consumer(Scheduling.CONFERENCE_ALL, "conference-snapshots")
    async def on_conference(event: ConferenceSnapshot) -> Outcome[None]:
        return await handlers.keep_conference(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_ANNOUNCED, "conference-announced")
    async def on_announced(event: ConferenceAnnounced) -> Outcome[None]:
        return await handlers.conference_announced(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_RESCHEDULED, "conference-rescheduled")
    async def on_rescheduled(event: ConferenceRescheduled) -> Outcome[None]:
        return await handlers.conference_rescheduled(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_POSTPONED, "conference-postponed")
    async def on_postponed(event: ConferencePostponed) -> Outcome[None]:
        return await handlers.conference_postponed(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_CANCELLED, "conference-cancelled")
    async def on_cancelled(event: ConferenceCancelled) -> Outcome[None]:
        return await handlers.conference_cancelled(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_REMINDER_DUE, "conference-reminder")
    async def on_reminder(event: ConferenceReminderDue) -> Outcome[None]:
        return await handlers.conference_reminder(deps(), event)

    @host.consumer(Scheduling.CONCLUSION_REMINDER_DUE, "conclusion-reminder")
    async def on_conclusion_reminder(event: ConclusionReminderDue) -> Outcome[None]:
        return await handlers.conclusion_reminder(deps(), event)

    @host.consumer(Intake.OPINION_ACKNOWLEDGEMENT_DUE, ACKNOWLEDGEMENTS)
    async def on_acknowledgement(event: AcknowledgementDue) -> Outcome[None]:
        return await handlers.acknowledgement_due(deps(), event)

    @host.consumer(Assignment.OPINION_ASSIGNED, "assigned")
    async def on_assigned(event: OpinionAssigned) -> Outcome[None]:
        return await handlers.opinion_assigned(deps(), event)

    @host.consumer(Assignment.OPINION_TRANSFERRED, "transferred")
    async def on_transferred(event: OpinionTransferred) -> Outcome[None]:
        return await handlers.opinion_transferred(deps(), event)

    @host.consumer(Assignment.OPINION_TRIAGE_QUEUED, "triage-queued")
    async def on_triage_queued(event: OpinionTriageQueued) -> Outcome[None]:
        return await handlers.opinion_triage_queued(deps(), event)

    @host.consumer(Assignment.DEADLINE_APPROACHING, "deadline-approaching")
    async def on_deadline(event: DeadlineApproaching) -> Outcome[None]:
        return await handlers.deadline_approaching(deps(), event)

    @host.consumer(Assignment.OPINION_OVERDUE, "overdue")
    async def on_overdue(event: OpinionOverdue) -> Outcome[None]:
        return await handlers.opinion_overdue(deps(), event)

    @host.consumer(Assignment.ANSWER_RETURNED, "answer-returned")
    async def on_returned(event: AnswerReturned) -> Outcome[None]:
        return await handlers.answer_returned(deps(), event)

    @host.consumer(Assignment.ANSWER_PUBLISHED, "answer-published")
    async def on_published(event: AnswerPublished) -> Outcome[None]:
        deliveries = host.current_message().metadata.num_delivered or 1
        return await handlers.answer_published(deps(), event, deliveries)

    @host.every(settings.notification_sweep_seconds)
    async def sweep_deliveries() -> None:
        await handlers.sweep(deps(), host.uow.run)

    return host
