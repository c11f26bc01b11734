"""Payloads of the operator commands on ``assignment.cmd.<verb>`` (request/reply, JSON).

Every state-changing command carries a ``command_id`` chosen by the sender (the CLI generates one):
sending it again changes nothing and answers the same. ``opinion_id`` also accepts a tracking code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.errors import DomainError

R = TypeVar("R", bound="Request")


class Request(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpinionRequest(Request):
    opinion_id: str = Field(min_length=1, max_length=100, description="Opinion id or tracking code.")


class Change(OpinionRequest):
    command_id: str = Field(min_length=1, max_length=200, description="Sender's id; a resend is a no-op.")
    by: str = Field(default="", max_length=200, description="Who gives the command (head, secretariat).")


class AnswerDirectly(Change):
    answer: str = Field(description="The leader's answer at the conference.")
    answered_by: str = Field(description="Who answered, e.g. 'Chủ tịch UBND tỉnh'.")


class Assign(Change):
    agency_code: str = Field(description="Agency that must answer.")
    reason: str = Field(default="", description="Why (for reassign).")


class AgencyAction(Change):
    agency_code: str = Field(description="The agency acting; it must hold the opinion.")
    reason: str = Field(default="", description="Reason (request-reassignment).")


class SubmitAnswer(Change):
    agency_code: str = Field(description="The agency answering; it must hold the opinion.")
    document_number: str = Field(description="Number of the answer document.")
    document_date: dt.date = Field(description="Date of the answer document, YYYY-MM-DD.")
    summary: str = Field(description="Summary of the answer.")
    attachment_ref: str | None = Field(default=None, description="Reference of the signed document.")


class HeadDecision(Change):
    reason: str = Field(default="", description="Reason (return, refuse-extension).")


class RequestExtension(Change):
    agency_code: str = Field(description="The agency asking; it must hold the opinion.")
    new_deadline: dt.date = Field(description="Deadline asked for, YYYY-MM-DD.")
    reason: str = Field(description="Why more time is needed.")


class Rate(Change):
    stars: int = Field(description="1 to 5.")
    comment: str = Field(default="", max_length=2000, description="The citizen's comment.")


class ListFilter(Request):
    agency_code: str | None = None
    status: str | None = None
    overdue: bool = False
    conference_id: str | None = None
    limit: int = Field(default=200, ge=1, le=5000)


class ReportRequest(Request):
    period: str = Field(description="2026-11, 2026-Q3, 2026-H1, 2026-9M or 2026.")
    as_of: dt.date | None = Field(default=None, description="Judge 'open and overdue' at this date.")


class ConclusionRequest(Request):
    conference_id: str = Field(min_length=1)


def parse(cls: type[R], body: Any) -> R:
    """Validate a command payload; a bad one is refused with one Vietnamese sentence."""
    try:
        return cls.model_validate(body if body is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "nội dung"
        raise DomainError(
            "invalid_command",
            f"Lệnh thiếu hoặc sai trường «{where}» ({first.get('type')}); hãy sửa rồi gửi lại.",
        ) from exc
