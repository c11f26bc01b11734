"""Settings of the scheduling service (environment prefix ``DIALOGUE_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from services.scheduling.domain import SchedulingRules
from shared.settings import ServiceSettings


class SchedulingSettings(ServiceSettings):
    """``DIALOGUE_SCHEDULING_RULES`` is JSON, e.g. ``{"notice": {"days": 7}, "yearly_minimum": {"commune": 1}}``."""

    service: str = "scheduling"
    units_file: Path | None = Field(default=None, description="Unit tree TOML; default: the shipped one.")
    scheduling_rules: dict[str, Any] = Field(default_factory=dict)
    sweep_interval_seconds: float = Field(default=60.0, gt=0)
    # A reminder found later than this after its moment is stale (service was down, or back-recorded).
    reminder_grace_hours: float = Field(default=24.0, gt=0)

    def rules(self) -> SchedulingRules:
        return SchedulingRules.from_doc(self.scheduling_rules)

    @classmethod
    def from_base(cls, settings: ServiceSettings) -> SchedulingSettings:
        """Scheduling settings on top of generic ones (what ``dialogue run`` passes)."""
        if isinstance(settings, SchedulingSettings):
            return settings
        return cls(**settings.model_dump(exclude_unset=True))
