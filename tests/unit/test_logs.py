"""Under DIALOGUE_LOG_FORMAT=json every line a service writes is one JSON object, whoever logs it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import faststream.nats  # noqa: F401  (FastStream installs its own logger handler at import)
import pytest

from shared.logs import configure_logging

pytestmark = pytest.mark.unit


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    fast = logging.getLogger("faststream")
    saved = (root.handlers[:], root.level, fast.handlers[:], fast.propagate, fast.level)
    yield
    root.handlers[:], root.level = saved[0], saved[1]
    fast.handlers[:], fast.propagate, fast.level = saved[2], saved[3], saved[4]


@pytest.mark.parametrize("logger", ["faststream", "faststream.access.nats", "nats.aio.client", "shared.host"])
def test_every_logger_writes_json_lines(
    logger: str, capfd: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging("intake", "INFO", "json")
    logging.getLogger(logger).warning("connection to 127.0.0.1 broken, reconnecting")

    lines = [line for line in capfd.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    entry = json.loads(lines[0])
    assert (entry["service"], entry["level"], entry["logger"]) == ("intake", "warning", logger)
