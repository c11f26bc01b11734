"""An idle system logs nothing at error level: pull consumers whose fetch times out are not failures.

nats-py 2.15+ raises ``asyncio.TimeoutError`` from an idle pull where FastStream 0.7.8 suppresses only
``nats.errors.TimeoutError``, and then logs ``Task-N raised an exception, retrying`` with a traceback
every second per consumer; the pin in pyproject.toml (``nats-py<2.15``) keeps the two in agreement.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from reliability_harness import Stack

from shared.settings import STREAM_OWNERS as SERVICES  # the four the harness runs, not the portal

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(120)]


async def test_idle_consumers_log_no_error_and_no_traceback(make_stack: Any) -> None:
    stack: Stack = make_stack()
    await stack.start_all()
    await asyncio.sleep(6)  # every pull consumer's 1 s fetch times out several times meanwhile

    for name in SERVICES:
        log = (stack.root / f"{name}.log").read_text(errors="replace")
        assert " ERROR " not in log, f"{name}:\n{stack.log_tail(name)}"
        assert "Traceback" not in log, f"{name}:\n{stack.log_tail(name)}"
