"""Under DIALOGUE_LOG_FORMAT=json every line a service writes is one JSON object, whoever logs it."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import faststream.nats  # noqa: F401  (FastStream installs its own logger handler at import)
import pytest

from shared.logs import configure_logging

pytestmark = pytest.mark.unit


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    fast = [logging.getLogger(name) for name in ("faststream", "faststream.access.nats")]
    saved = (root.handlers[:], root.level, [(f.handlers[:], f.propagate, f.level) for f in fast])
    yield
    root.handlers[:], root.level = saved[0], saved[1]
    for logger, (handlers, propagate, level) in zip(fast, saved[2], strict=True):
        logger.handlers[:], logger.propagate, logger.level = handlers, propagate, level


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


def test_a_faststream_logger_left_with_its_own_handler_still_writes_json_lines(
    capfd: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    # What FastStream does to the access logger of a broker built without a logger of ours once it
    # connects (faststream/_internal/logger/logging.py, get_logger): a text handler to stdout and no
    # propagation. A test that started such a broker earlier in the session left it so, and then
    # this logger's lines bypassed the JSON format. Configuring the service's logs must take it over.
    access = logging.getLogger("faststream.access.nats")
    access.addHandler(logging.StreamHandler(sys.stdout))
    access.propagate = False
    configure_logging("intake", "INFO", "json")
    logging.getLogger("faststream.access.nats").warning("connection to 127.0.0.1 broken, reconnecting")

    captured = capfd.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, (lines, captured.out)
    assert json.loads(lines[0])["logger"] == "faststream.access.nats"
    assert "reconnecting" not in captured.out
