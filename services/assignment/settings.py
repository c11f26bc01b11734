"""Settings of the assignment service (environment prefix ``DIALOGUE_``)."""

from __future__ import annotations

from pathlib import Path

from shared.settings import ServiceSettings


class AssignmentSettings(ServiceSettings):
    """``DIALOGUE_SWEEP_INTERVAL_SECONDS`` and ``DIALOGUE_ROUTING_FILE`` on top of the common ones."""

    service: str = "assignment"
    sweep_interval_seconds: float = 60.0
    routing_file: Path | None = None
