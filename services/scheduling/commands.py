"""The payloads of the operator commands on ``scheduling.cmd.<verb>``, checked before any work.

Times without an offset are read as Asia/Ho_Chi_Minh. ``effective_at`` is when the action really
happened (the secretariat often records after the fact); it may not lie in the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.errors import DomainError
from shared.timeutil import VN_TZ

# A little slack for clocks: the CLI stamps "now" on one machine, the service checks on another.
CLOCK_SKEW = dt.timedelta(minutes=2)

_FIELD_LABELS = {
    "command_id": "mã lệnh",
    "conference_id": "mã hội nghị",
    "title": "tên hội nghị",
    "unit_code": "mã đơn vị",
    "starts_at": "thời gian bắt đầu",
    "ends_at": "thời gian kết thúc",
    "chairs": "người chủ trì",
    "participant_groups": "đối tượng tham dự",
    "effective_at": "thời điểm thực hiện",
}


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return value


class CommandPayload(BaseModel):
    """Fields every scheduling command carries."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    command_id: str = Field(min_length=1, max_length=200, description="Idempotency key; repeats replay.")
    effective_at: dt.datetime | None = Field(
        default=None, description="When it really happened; default now."
    )

    @field_validator("effective_at")
    @classmethod
    def _effective_local(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _local(value)

    def effective(self, now: dt.datetime) -> dt.datetime:
        """``effective_at``, refused when in the future; ``now`` when absent."""
        if self.effective_at is None:
            return now
        if self.effective_at > now + CLOCK_SKEW:
            raise DomainError(
                "effective_at_in_future",
                "Thời điểm thực hiện không được ở tương lai; hãy bỏ trống (mặc định là bây giờ) "
                "hoặc nhập thời điểm đã diễn ra.",
            )
        return self.effective_at


class ConferenceCommand(CommandPayload):
    conference_id: str = Field(min_length=1, max_length=100, description="The conference.")


class ChairPayload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str


class PlanConference(CommandPayload):
    conference_id: str | None = Field(
        default=None, max_length=100, description="Default: derived from command_id."
    )
    title: str
    unit_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    chairs: list[ChairPayload]
    participant_groups: list[str]
    format: str = "in_person"
    venue: str | None = None
    link: str | None = None
    co_organisers: list[str] = Field(default_factory=list)
    agenda_topics: list[str] = Field(default_factory=list)
    trigger: str = "annual_programme"
    voter_request_percent: float | None = None
    expected_attendance: int | None = None
    programme_year: int | None = None
    override: bool = False

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _times_local(cls, value: dt.datetime) -> dt.datetime | None:
        return _local(value)


class RescheduleConference(ConferenceCommand):
    starts_at: dt.datetime
    ends_at: dt.datetime
    override: bool = False

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _times_local(cls, value: dt.datetime) -> dt.datetime | None:
        return _local(value)


class WithReason(ConferenceCommand):
    reason: str


class HoldConference(ConferenceCommand):
    attendee_count: int
    opinion_count: int
    held_at: dt.datetime | None = None

    @field_validator("held_at")
    @classmethod
    def _held_local(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _local(value)


class ConcludeConference(ConferenceCommand):
    summary: str
    document: str


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: Any) -> M:
    """``body`` as ``model``, or one Vietnamese sentence saying which field is wrong."""
    try:
        return model.model_validate(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        label = _FIELD_LABELS.get(loc.split(".")[0], loc)
        kind = str(first.get("type", ""))
        if kind == "missing":
            raise DomainError(
                "missing_field", f"Thiếu trường '{loc}' ({label}); hãy bổ sung rồi gửi lại."
            ) from exc
        if kind == "extra_forbidden":
            raise DomainError(
                "unknown_field", f"Trường '{loc}' không được hỗ trợ; hãy bỏ trường này."
            ) from exc
        raise DomainError(
            "invalid_field", f"Trường '{loc}' ({label}) không hợp lệ: {first.get('msg', kind)}; hãy sửa lại."
        ) from exc
