"""The embedded default channel: one JSON line per notice in a file, and a short log record."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.notification.domain.errors import TransientChannelError
from services.notification.domain.messages import Message, SendResult
from services.notification.domain.triggers import Channel
from shared.timeutil import utcnow

DEFAULT_LOG_PATH = Path("var/notifications.log")
logger = logging.getLogger("services.notification.log_channel")


class LogFileChannel:
    channel = Channel.LOG

    def __init__(self, path: Path = DEFAULT_LOG_PATH, clock: Callable[[], Any] = utcnow) -> None:
        self._path = path
        self._clock = clock
        self._folder_made = False

    def _append(self, line: str) -> None:
        # On the loop's thread: appending one line costs less than a hop to a worker thread, and with
        # no await in between concurrent sends cannot interleave half lines.
        if not self._folder_made:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._folder_made = True
        with self._path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    async def send(self, message: Message) -> SendResult:
        record = {
            "at": self._clock().isoformat(),
            "delivery_id": message.delivery_id,
            "key": message.key,
            "trigger": message.trigger.value,
            "channel": message.channel.value,
            "to": message.to,
            "recipient": message.recipient_name,
            "subject": message.content.subject,
            "text": message.content.text.strip(),
        }
        line = json.dumps(record, ensure_ascii=False)
        try:
            self._append(line)
        except OSError as exc:
            self._folder_made = False
            raise TransientChannelError(
                "file_error", f"Không ghi được tệp nhật ký thông báo ({exc})."
            ) from exc
        # The notice itself is in the file; the log gets one short line (the subject, not the text).
        logger.info("notice %s to %s: %s", message.trigger.value, message.recipient_name, record["subject"])
        return SendResult(provider_id=message.key, detail=str(self._path))
