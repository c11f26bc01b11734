"""Structured logs (one JSON object per line) carrying the correlation id of the current message."""

from __future__ import annotations

import contextvars
import logging
import sys
from typing import Any

import orjson

from shared.privacy import redact

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            # Phone and ID numbers never reach the logs, whatever a message carried.
            "msg": redact(record.getMessage()),
        }
        cid = correlation_id.get()
        if cid:
            entry["correlation_id"] = cid
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update({k: redact(v) if isinstance(v, str) else v for k, v in extra.items()})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Route the root logger to stderr in the chosen format."""
    import time

    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        formatter: logging.Formatter = JsonFormatter(service)
        formatter.converter = time.gmtime
    else:
        formatter = logging.Formatter(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    noisy = ("faststream", "nats", "pymongo")
    for name in noisy:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # FastStream gives its loggers (``faststream``, and ``faststream.access.nats`` of a broker built
    # without a logger of ours) a coloured text handler of their own and stops propagation: their
    # lines (a broken connection, a handler's exception) then bypass the chosen format. Every such
    # logger that exists by now is handed back to the root's handler.
    existing = [n for n in logging.Logger.manager.loggerDict if n.split(".", 1)[0] in noisy]
    for name in {*noisy, *existing}:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
