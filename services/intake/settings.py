"""Settings of the intake service (environment prefix ``DIALOGUE_``)."""

from __future__ import annotations

from pathlib import Path

from shared.settings import ServiceSettings

DEFAULT_SOURCES = "demo-portal,cong-thong-tin-tinh,hotline,ung-dung"
DESK_SOURCE = "desk"


class IntakeSettings(ServiceSettings):
    """What intake adds: the systems allowed to publish on ``intake.submit.<source>``."""

    intake_sources: str = DEFAULT_SOURCES
    intake_grouping_threshold: float = 75.0
    intake_fields_file: Path | None = None  # the fields and their keywords; default: the shipped fields.toml

    def known_sources(self) -> frozenset[str]:
        """Sources accepted on ``intake.submit.<source>`` (``DIALOGUE_INTAKE_SOURCES``, comma-separated)."""
        return frozenset(s.strip() for s in self.intake_sources.split(",") if s.strip())

    @classmethod
    def from_base(cls, settings: ServiceSettings) -> IntakeSettings:
        """Intake settings carrying the common settings already resolved (env fills the rest)."""
        if isinstance(settings, IntakeSettings):
            return settings
        return cls(**settings.model_dump())
