"""Fault injection for the crash tests: kill this process at a named point, once per marker.

``DIALOGUE_FAILPOINT=<point>:<directory>`` makes the process SIGKILL itself the first time it
reaches ``<point>`` (no drain, no cleanup: what an OOM kill or a node loss does). The marker file
``<directory>/<point>-<service>`` records that it happened, so the restarted process runs on.
Unset (always, outside the tests), ``reached`` is one environment lookup.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

ENV = "DIALOGUE_FAILPOINT"
AFTER_SAVE = "after-save"  # the unit of work saved state and outbox, and has not published yet


def reached(point: str) -> None:
    """Die here if the failpoint ``point`` is armed and has not fired for this service yet."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, directory = spec.partition(":")
    if name != point or not directory:
        return
    marker = Path(directory) / f"{point}-{os.environ.get('DIALOGUE_SERVICE', 'service')}"
    try:
        marker.open("x").close()
    except FileExistsError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
