"""The secretariat's desk: an opinion raised at a conference, and the conference's announce and hold.

The opinion form is read here into intake's ``SubmitDeskOpinion`` fields (what the form cannot
say, such as blank or over-long content, intake refuses with its sentence); the hold form into
``HoldConference``'s counts and time. Scheduling decides the rest (the legal notice before the
start, a hold before the start, which state allows which step) and answers with its sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from shared.errors import DomainError

KINDS = {"opinion": "Ý kiến", "recommendation": "Kiến nghị", "proposal": "Đề xuất", "feedback": "Phản ánh"}
CHANNELS = {"conference": "Nêu tại hội nghị", "written_petition": "Đơn thư", "hotline": "Đường dây nóng"}
ROLES = {
    "citizen": "Người dân",
    "cadre": "Cán bộ",
    "party_member": "Đảng viên",
    "youth_member": "Đoàn viên, thanh niên",
    "other": "Khác",
}
OPINION_MISSING = "Vui lòng nhập họ tên người nêu ý kiến và chọn hội nghị của đơn vị nơi ý kiến được nêu."
CHOICE_WRONG = "Loại ý kiến, kênh tiếp nhận hoặc đối tượng không có trong danh sách; vui lòng chọn lại."
CONTACT_WITHOUT_CONSENT = (
    "Chỉ ghi số điện thoại hoặc thư điện tử khi người nêu ý kiến đồng ý được liên hệ; "
    "vui lòng đánh dấu ô đồng ý hoặc xóa thông tin liên hệ."
)
COUNTS_WRONG = "Vui lòng nhập số người tham dự và số ý kiến là số nguyên không âm."
HELD_WRONG = "Ngày và giờ tổ chức phải có dạng năm-tháng-ngày và giờ:phút; để trống nếu đúng giờ bắt đầu."


def opinion_fields(form: Mapping[str, str]) -> dict[str, Any]:
    """``SubmitDeskOpinion``'s fields (except ``external_id``) from the form, or the refusal."""
    name, conference = form.get("ho-ten", "").strip(), form.get("hoi-nghi", "").strip()
    if not name or not conference:
        raise DomainError("opinion_incomplete", OPINION_MISSING)
    kind, channel = form.get("loai", "opinion"), form.get("kenh", "conference")
    role = form.get("doi-tuong", "citizen")
    if kind not in KINDS or channel not in CHANNELS or role not in ROLES:
        raise DomainError("choice_unknown", CHOICE_WRONG)
    phone, email = form.get("dien-thoai", "").strip(), form.get("thu-dien-tu", "").strip()
    consent = form.get("dong-y") == "co"
    if (phone or email) and not consent:
        raise DomainError("consent_required", CONTACT_WITHOUT_CONSENT)
    submitter: dict[str, Any] = {"name": name[:200], "role": role, "consent_to_contact": consent,
                                 "residence": form.get("noi-cu-tru", "").strip()[:300]}  # fmt: skip
    submitter |= {key: value for key, value in (("phone", phone[:30]), ("email", email[:200])) if value}
    # The content goes as typed (only cut far beyond intake's limit): intake refuses blank or
    # over-long content with its own sentence.
    content = form.get("noi-dung", "")[:20_000]
    return {"kind": kind, "content": content, "submitter": submitter, "channel": channel,
            "conference_id": conference[:100]}  # fmt: skip


def _count(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise DomainError("count_invalid", COUNTS_WRONG) from None
    if value < 0:
        raise DomainError("count_invalid", COUNTS_WRONG)
    return value


def hold_fields(form: Mapping[str, str]) -> dict[str, Any]:
    """``HoldConference``'s counts and (Vietnam, without an offset) time from the form, or the refusal."""
    fields: dict[str, Any] = {
        "attendee_count": _count(form.get("so-nguoi", "")),
        "opinion_count": _count(form.get("so-y-kien", "")),
    }
    day, time = form.get("ngay-to-chuc", "").strip(), form.get("gio-to-chuc", "").strip()
    if day or time:
        try:
            fields["held_at"] = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time))
        except ValueError:
            raise DomainError("held_at_invalid", HELD_WRONG) from None
    return fields
