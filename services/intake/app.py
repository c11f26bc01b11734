"""Intake service entrypoint: thin subscribers over the handlers."""

from __future__ import annotations

from typing import Any

from faststream.nats import NatsMessage

from services.intake import handlers
from shared.contracts.scheduling import ConferencePlanned
from shared.errors import TransientError
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake, Scheduling, cmd
from shared.timeutil import utcnow


def build(settings: ServiceSettings | None = None) -> ServiceHost:
    """Wire the intake service (nothing connects until ``host.start()``)."""
    settings = settings or ServiceSettings(service="intake")
    host = ServiceHost(settings, owned_streams=["INTAKE"])

    async def lookup_conference(conference_id: str) -> dict[str, Any] | None:
        known = await host.store.get(handlers.CONFERENCES, conference_id)
        if known is not None:
            return known
        # The projection may lag behind scheduling by a few milliseconds: ask the owner.
        try:
            reply = await host.broker.request(
                {"conference_id": conference_id}, cmd(Scheduling.CMD, "show"), timeout=5
            )
        except Exception as exc:
            raise TransientError(f"scheduling did not answer: {exc}") from exc
        answer = await reply.decode()
        if isinstance(answer, dict) and answer.get("ok"):
            data = answer["data"]
            return {"_id": conference_id, "level": data.get("level"), "unit_code": data.get("unit_code")}
        return None

    @host.consumer(Scheduling.CONFERENCE_PLANNED, "conferences")
    async def on_conference_planned(event: ConferencePlanned) -> None:
        await handlers.record_conference(host.store, event)

    @host.consumer(Intake.SUBMIT_ALL, "submissions")
    async def on_submission(msg: NatsMessage) -> None:
        source = msg.raw_message.subject.split(".", 2)[2]
        result = await handlers.submit_external(host.store, source, msg.body, utcnow(), lookup_conference)
        await host.publish(result.events)
        if result.rejection is not None:
            await host.publish_rejection(result.rejection)
            host.metrics.rejected.labels("intake", result.rejection.reason).inc()

    return host
