"""Scheduling contracts: conference lifecycle events and operator commands."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from shared.contracts.base import Event, Value
from shared.subjects import Scheduling


class Chair(Value):
    """A head chairing the conference."""

    name: str = Field(min_length=1, max_length=200, description="Full name, e.g. 'Lê Thị Thủy'.")
    title: str = Field(min_length=1, max_length=300, description="Title, e.g. 'Bí thư Tỉnh ủy'.")


class ConferencePlanned(Event):
    """A conference was put into a unit's programme."""

    SUBJECT: ClassVar[str] = Scheduling.CONFERENCE_PLANNED

    conference_id: str = Field(description="Conference id, unique across the platform.")
    title: str = Field(description="Title of the conference.")
    unit_code: str = Field(description="Host administrative unit code.")
    unit_name: str = Field(default="", description="Host unit name, e.g. 'xã Đồng Du'.")
    level: str = Field(description="Administrative level of the host unit: province, district, commune...")
    starts_at: AwareDatetime = Field(description="Start time.")
    ends_at: AwareDatetime = Field(description="End time.")
    chairs: list[Chair] = Field(default_factory=list, description="The heads chairing it.")
    participant_groups: list[str] = Field(default_factory=list, description="Target participant groups.")
    venue: str | None = Field(default=None, description="Venue for in-person or hybrid conferences.")
