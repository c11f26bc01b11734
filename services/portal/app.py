"""Portal service entrypoint: consumers that keep its read models, and the web server over them.

The portal owns no stream and publishes no event: it reads INTAKE, ASSIGNMENT, SCHEDULING and
NOTIFICATION through durable consumers into its own store (``dialogue_portal``), and changes
anything only by sending the owning service's command (``assignment.cmd.rate``, the officials'
answer, return and publish, intake's submissions). It owns its officials' accounts, changed by its
own commands ``portal.cmd.user-add|user-disable|user-reset``. Its pages and Open311 API are served by uvicorn in this process
(``DIALOGUE_PORTAL_WEB_PORT``), beside the ops server of every service (/metrics, /healthz, /readyz).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from starlette.applications import Starlette

from services.portal import handlers, queries
from services.portal.adapters import console, events, login, open311_api, pages, public, staff
from services.portal.adapters.bus import Bus
from services.portal.adapters.fields_file import load_services
from services.portal.adapters.repository import Lanes, ensure_indexes
from services.portal.adapters.security import SecureHeaders
from services.portal.adapters.web import Web, WebServer, environment
from services.portal.deps import Deps, WebConfig
from services.portal.domain.throttle import LoginLimit, Throttle
from services.portal.metrics import PortalMetrics
from services.portal.settings import PortalSettings
from shared import rating_links
from shared.conference_snapshot import ConferenceSnapshot
from shared.contracts.intake import OpinionClassified, OpinionReceived, OpinionReclassified
from shared.contracts.intake_commands import TrackOpinion
from shared.contracts.portal_commands import PORTAL_CMD, AddUser, DisableUser, ResetPassword
from shared.errors import StartupError
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.storage import DocumentStore
from shared.subjects import Assignment, Intake, Notification, Scheduling
from shared.unit_of_work import Outcome
from shared.wiring import Route, route

log = logging.getLogger(__name__)

# verb on ``portal.cmd.<verb>`` → its payload contract and handler (``dialogue portal user ...``)
COMMANDS: dict[str, Route[Deps, Any]] = {
    "user-add": route(AddUser, handlers.add_user),
    "user-disable": route(DisableUser, handlers.disable_user),
    "user-reset": route(ResetPassword, handlers.reset_password),
    "track": route(TrackOpinion, queries.track),  # dialogue opinion track: the tracking page's own read
}


def derived(secret: bytes, purpose: bytes) -> bytes:
    """A key of its own per purpose, derived from the rating secret: every replica derives the same."""
    return hmac.new(secret, purpose, hashlib.sha256).digest()


class PortalHost(ServiceHost):
    """The service host with the web server started after it and stopped before it."""

    web_server: WebServer
    bus: Bus

    async def start(self) -> None:
        await super().start()
        await self.web_server.start()

    async def stop(self) -> None:
        await self.web_server.stop()
        await self.bus.close()
        await super().stop()

    async def readiness(self) -> dict[str, str]:
        checks = await super().readiness()
        if "start-up" not in checks:
            checks["web"] = "ok" if self.web_server.started else "the web server is not listening yet"
        return checks


def rating_secret(config: PortalSettings) -> bytes:
    try:
        return config.rating_secret()
    except rating_links.UnreadableSecret as exc:
        raise StartupError(rating_links.SECRET_FILE_ENV, f"The portal {exc}.") from exc
    except rating_links.MissingSecret as exc:
        raise StartupError(rating_links.SECRET_ENV, f"The portal cannot sign rating links: {exc}.") from exc


def build(settings: ServiceSettings | None = None) -> PortalHost:
    """Wire the portal (nothing connects until ``host.start()``)."""
    config = PortalSettings.from_base(settings or ServiceSettings(service="portal"))
    host = PortalHost(config, owned_streams=[])
    metrics = PortalMetrics(host.registry)
    services = load_services(config.config_file("fields.toml", config.intake_fields_file))

    async def start(store: DocumentStore) -> Deps:
        await ensure_indexes(store)
        return Deps(store=store, services=services, metrics=metrics)

    deps = host.provide(start)
    host.commands(PORTAL_CMD, deps, COMMANDS)

    # An opinion's events, whichever consumer brings them, go through its lane (``repository.Lanes``).
    lanes: Lanes[handlers.Told] = Lanes(
        lambda decide, what: host.uow.run(decide, what, batched=True),
        lambda opinion_id: deps().repo.opinion(opinion_id),
        lambda opinion_id, previous, told: handlers.apply_told(deps(), opinion_id, previous, told),
    )

    @host.consumer(Intake.OPINION_RECEIVED, "received")
    async def on_received(event: OpinionReceived) -> None:
        await lanes.apply(event.opinion_id, handlers.received(event))

    @host.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> None:
        await lanes.apply(event.opinion_id, handlers.classified(event))

    @host.consumer(Intake.OPINION_RECLASSIFIED, "reclassified")
    async def on_reclassified(event: OpinionReclassified) -> None:
        await lanes.apply(event.opinion_id, handlers.classified(event))

    @host.consumer(Assignment.OPINION_ALL, "assignment-progress")
    async def on_assignment(event: events.AssignmentStep) -> None:
        subject = host.current_message().subject
        await lanes.apply(event.opinion_id, handlers.assignment(subject, event))

    @host.consumer(Notification.DELIVERY_SENT, "acknowledgements")
    async def on_notice(event: events.NoticeSent) -> None:
        told = handlers.notice(event)
        if told is not None:  # a notice of another trigger is acked at once: nothing to record
            await lanes.apply(event.correlation_id, told)

    @host.consumer(Scheduling.CONFERENCE_ALL, "conference-snapshots")
    async def on_conference(event: ConferenceSnapshot) -> Outcome[None]:
        return await handlers.keep_conference(deps(), event)

    @host.consumer(Scheduling.CONFERENCE_ALL, "conference-results")
    async def on_conference_results(event: events.ConferenceResults) -> Outcome[None]:
        return await handlers.keep_results(deps(), event)

    secret = rating_secret(config)
    web_config = WebConfig(
        rating_secret=secret,
        # Derived from the rating secret: every replica accepts the forms and sessions any other one made.
        csrf_secret=derived(secret, b"portal-csrf"),
        session_secret=derived(secret, b"portal-session"),
        session_seconds=int(config.portal_session_hours * 3600),
        login_limit=LoginLimit(config.portal_login_failures, config.portal_login_window_seconds),
        due_soon_days=config.portal_due_soon_days,
        open311_keys=config.open311_keys(),
        throttle=Throttle(config.portal_lookups_per_minute),
        secure_cookies=config.portal_secure_cookies,
        command_timeout=config.portal_command_timeout_seconds,
    )
    host.bus = Bus(lambda: host.broker.connection, config.portal_command_timeout_seconds)
    web = Web(deps, web_config, host.bus, host.uow, metrics, environment())
    guard = login.Guard(web)
    app = Starlette(
        routes=[
            *pages.routes(web),
            *login.routes(web, guard),
            *console.routes(web, guard),
            *open311_api.routes(web),
            *staff.routes(web, guard),
            *public.routes(web),
        ],
        exception_handlers=pages.error_handlers(web),
    )
    host.web_server = WebServer(SecureHeaders(app, metrics), config.portal_web_host, config.portal_web_port)
    return host
