"""Assignment contracts: routing, deadlines, answers."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import AwareDatetime, Field

from shared.contracts.base import Event
from shared.subjects import Assignment


class OpinionAssigned(Event):
    """An opinion was assigned to an agency for a written answer by a deadline."""

    SUBJECT: ClassVar[str] = Assignment.OPINION_ASSIGNED

    opinion_id: str = Field(description="Platform id of the opinion.")
    tracking_code: str = Field(description="Short code the citizen quotes.")
    agency_code: str = Field(description="Agency that must answer.")
    agency_name: str = Field(description="Agency's Vietnamese name.")
    agency_email: str | None = Field(default=None, description="Agency's contact address.")
    field: str = Field(description="Field code.")
    level: str | None = Field(default=None, description="Level of the conference's host unit.")
    deadline: dt.date = Field(description="Date the written answer is due (Vietnamese calendar).")
    summary: str = Field(description="The opinion text.")
    received_at: AwareDatetime = Field(description="When intake received the opinion.")
    assigned_at: AwareDatetime = Field(description="When it was assigned.")
