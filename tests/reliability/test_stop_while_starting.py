"""A service told to stop while its start-up still waits stops at once, cleanly.

Assignment waits at start-up for the streams it consumes (SCHEDULING, INTAKE), which their owners
create. Started alone it waits for ever; SIGTERM then (what ``docker stop`` or Kubernetes sends) must
end it within seconds with status 0, not after the orchestrator's grace period with a SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
import urllib.request
from typing import Any

import pytest
from reliability_harness import Stack

pytestmark = [pytest.mark.reliability, pytest.mark.timeout(120)]


def start_up_state(stack: Stack, name: str) -> str:
    """What ``/readyz`` says start-up waits for ('' while it does not answer)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{stack.http_ports[name]}/readyz", timeout=2) as r:
            body = r.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
    except OSError:
        return ""
    checks: dict[str, Any] = json.loads(body)["checks"]
    return str(checks.get("start-up", ""))


async def test_a_service_waiting_for_a_stream_stops_at_once_on_sigterm(make_stack: Any) -> None:
    stack: Stack = make_stack()
    stack.start_nats()
    stack.start("assignment")
    deadline = time.monotonic() + 60
    while "waiting for stream" not in start_up_state(stack, "assignment"):
        assert stack.alive("assignment"), stack.log_tail("assignment")
        assert time.monotonic() < deadline, stack.log_tail("assignment")
        await asyncio.sleep(0.2)

    child = stack.children["assignment"]
    child.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    try:
        returncode = await asyncio.to_thread(child.wait, 10)
    except subprocess.TimeoutExpired:
        child.kill()
        raise AssertionError(
            f"assignment ignored SIGTERM while starting:\n{stack.log_tail('assignment')}"
        ) from None

    assert returncode == 0, stack.log_tail("assignment")
    assert time.monotonic() - stopped < 10
    assert "Traceback" not in (stack.root / "assignment.log").read_text(errors="replace")
