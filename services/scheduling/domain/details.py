"""What a secretariat enters when it plans a conference, and the checks on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from services.scheduling.domain.codec import decode_fields, encode
from services.scheduling.domain.rules import SchedulingRules
from services.scheduling.domain.text import require_aware
from services.scheduling.domain.values import Chair, ConferenceFormat, ParticipantGroup, Trigger
from shared.errors import DomainError
from shared.timeutil import local_date


@dataclass(frozen=True, kw_only=True)
class ConferenceDetails:
    """The plan of one conference; start and end are aware datetimes (entered in Vietnam time)."""

    title: str
    unit_code: str
    chairs: tuple[Chair, ...]
    start: dt.datetime
    end: dt.datetime
    format: ConferenceFormat
    participant_groups: tuple[ParticipantGroup, ...]
    venue: str | None = None
    link: str | None = None
    co_organisers: tuple[str, ...] = ()
    agenda_topics: tuple[str, ...] = ()
    trigger: Trigger = Trigger.ANNUAL_PROGRAMME
    voter_request_percent: float | None = None
    expected_attendance: int | None = None
    programme_year: int | None = None  # None: the Vietnam year of the start

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "end")

    def with_times(self, start: dt.datetime, end: dt.datetime) -> ConferenceDetails:
        return replace(self, start=start, end=end)

    def year(self) -> int:
        return self.programme_year if self.programme_year is not None else local_date(self.start).year

    def to_doc(self) -> dict[str, Any]:
        return {name: encode(getattr(self, name)) for name in self.__dataclass_fields__}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ConferenceDetails:
        return cls(**decode_fields(cls, doc))


def _refuse(code: str, message: str) -> DomainError:
    return DomainError(code, message)


def validate_details(details: ConferenceDetails, rules: SchedulingRules) -> None:
    """Refuse an incomplete or inconsistent plan with one sentence saying what to fix."""
    if not details.title.strip():
        raise _refuse("title_missing", "Hội nghị chưa có tên; hãy nhập tên hội nghị.")
    if not details.chairs:
        raise _refuse(
            "chair_missing",
            "Hội nghị chưa có người chủ trì; hãy nhập ít nhất một người đứng đầu cấp ủy hoặc chính quyền.",
        )
    for chair in details.chairs:
        if not chair.name.strip() or not chair.title.strip():
            raise _refuse(
                "chair_incomplete",
                "Mỗi người chủ trì cần có cả họ tên và chức vụ; hãy nhập đủ hai thông tin.",
            )
    _validate_place(details)
    if details.end <= details.start:
        raise _refuse(
            "end_before_start", "Thời gian kết thúc phải sau thời gian bắt đầu; hãy sửa lại giờ kết thúc."
        )
    if not details.participant_groups:
        raise _refuse(
            "participants_missing",
            "Hội nghị chưa có đối tượng tham dự; hãy chọn ít nhất một nhóm (ví dụ: nhân dân).",
        )
    _validate_trigger(details, rules)
    if details.expected_attendance is not None and details.expected_attendance < 1:
        raise _refuse(
            "attendance_invalid", "Số người dự kiến tham dự phải là số dương; hãy sửa hoặc để trống."
        )


def _validate_place(details: ConferenceDetails) -> None:
    fmt = details.format
    if fmt.needs_venue and not (details.venue or "").strip():
        raise _refuse(
            "venue_missing", f"Hội nghị hình thức {fmt.label} cần có địa điểm; hãy nhập địa điểm tổ chức."
        )
    if fmt.needs_link and not (details.link or "").strip():
        raise _refuse(
            "link_missing", f"Hội nghị hình thức {fmt.label} cần có đường dẫn tham dự; hãy nhập đường dẫn."
        )


def _validate_trigger(details: ConferenceDetails, rules: SchedulingRules) -> None:
    percent = details.voter_request_percent
    if details.trigger is Trigger.VOTER_REQUEST:
        threshold = rules.voter_request_threshold_percent
        if percent is None or not threshold <= percent <= 100:
            raise _refuse(
                "voter_request_below_threshold",
                f"Hội nghị theo yêu cầu của cử tri cần ít nhất {threshold:g}% cử tri đề nghị; "
                "hãy nhập tỷ lệ cử tri đã đề nghị (từ "
                f"{threshold:g} đến 100) hoặc chọn căn cứ tổ chức khác.",
            )
    elif percent is not None:
        raise _refuse(
            "voter_request_percent_unexpected",
            "Tỷ lệ cử tri đề nghị chỉ dùng cho hội nghị theo yêu cầu của cử tri; hãy để trống trường này.",
        )
