"""Notification service entrypoint: thin subscribers over the handlers."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from services.notification import handlers
from shared.contracts.assignment import OpinionAssigned
from shared.contracts.base import CommandResult
from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Assignment, Notification
from shared.timeutil import utcnow

log = logging.getLogger(__name__)


class LogChannel:
    """Writes each notice as one JSON line to a file: the embedded default channel."""

    name = "log"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, recipient: str, subject: str, body: str, delivery_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"id": delivery_id, "to": recipient, "subject": subject, "body": body}
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        log.info("notice %s to %s: %s", delivery_id, recipient, subject)


def build(settings: ServiceSettings | None = None) -> ServiceHost:
    """Wire the notification service (nothing connects until ``host.start()``)."""
    settings = settings or ServiceSettings(service="notification")
    host = ServiceHost(settings, owned_streams=["NOTIFICATION"])
    channel = LogChannel(settings.data_dir / "notifications.log")

    @host.consumer(Assignment.OPINION_ASSIGNED, "assigned")
    async def on_assigned(event: OpinionAssigned) -> None:
        await host.publish(await handlers.notify_assignment(host.store, event, channel, utcnow()))

    @host.command(Notification.CMD, "list")
    async def list_notifications(body: dict[str, object]) -> CommandResult:
        docs = await host.store.find(handlers.DELIVERIES, order_by="_id")
        return CommandResult(ok=True, data=[{k: v for k, v in d.items() if k != "outbox"} for d in docs])

    return host
