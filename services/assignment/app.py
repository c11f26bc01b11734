"""Assignment service entrypoint: thin subscribers over the handlers."""

from __future__ import annotations

from services.assignment import handlers
from shared.contracts.intake import OpinionClassified
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake
from shared.timeutil import utcnow


def build(settings: ServiceSettings | None = None) -> ServiceHost:
    """Wire the assignment service (nothing connects until ``host.start()``)."""
    settings = settings or ServiceSettings(service="assignment")
    host = ServiceHost(settings, owned_streams=["ASSIGNMENT"])

    @host.consumer(Intake.OPINION_CLASSIFIED, "classified")
    async def on_classified(event: OpinionClassified) -> None:
        await host.publish(await handlers.route_opinion(host.store, event, utcnow()))

    return host
