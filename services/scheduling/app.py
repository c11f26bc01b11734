"""Scheduling service entrypoint: thin subscribers over the handlers."""

from __future__ import annotations

from typing import Any

from services.scheduling import handlers
from shared.contracts.base import CommandResult
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Scheduling
from shared.timeutil import utcnow


def build(settings: ServiceSettings | None = None) -> ServiceHost:
    """Wire the scheduling service (nothing connects until ``host.start()``)."""
    settings = settings or ServiceSettings(service="scheduling")
    host = ServiceHost(settings, owned_streams=["SCHEDULING"])

    @host.command(Scheduling.CMD, "plan")
    async def plan(body: dict[str, Any]) -> CommandResult:
        event = await handlers.plan_conference(host.store, body, utcnow())
        await host.publish([event])
        return CommandResult(
            ok=True, message="Đã lập kế hoạch hội nghị.", data={"conference_id": event.conference_id}
        )

    @host.command(Scheduling.CMD, "show")
    async def show(body: dict[str, Any]) -> CommandResult:
        return CommandResult(
            ok=True, data=await handlers.show_conference(host.store, str(body.get("conference_id")))
        )

    return host
