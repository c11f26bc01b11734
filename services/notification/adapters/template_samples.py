"""Sample render context per trigger: the contract between the handler and the templates.

``TemplateCatalog.validate`` renders every template with these at start-up, so a template that uses a
variable the handler does not provide fails then, not at the first send. Values are JSON-compatible
(instants as ISO 8601 strings with offset) because the ledger stores the context for retries.
"""

from __future__ import annotations

from typing import Any

from services.notification.domain.triggers import Trigger

_CONFERENCE = {
    "title": "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân xã Đồng Du năm 2026",
    "host_name": "Đảng ủy, Ủy ban nhân dân xã Đồng Du",
    "starts_at": "2026-12-05T01:00:00+00:00",
    "held_at": "2026-12-05T01:00:00+00:00",
    "place": "Hội trường Nhà văn hóa trung tâm xã Đồng Du",
    "content": "Lắng nghe, giải đáp ý kiến, kiến nghị của Nhân dân về phát triển kinh tế - xã hội của xã",
    "participation": "trực tiếp tại hội trường; ý kiến có thể gửi trước qua Văn phòng Ủy ban nhân dân xã",
}
_OPINION = {
    "tracking_code": "DD-2026-0016",
    "summary": "Đề nghị hỗ trợ xây dựng, sửa chữa nhà văn hóa thôn sau sáp nhập",
    "field": "Văn hóa",
    "received_at": "2026-12-05T02:30:00+00:00",
    "deadline": "2026-12-18",
    "handled_by": "Sở Văn hóa, Thể thao và Du lịch",
    "transferred": False,
}
_BASE: dict[str, Any] = {"recipient_name": "Ông Nguyễn Văn An", "unit_name": "xã Đồng Du"}

SAMPLES: dict[Trigger, dict[str, Any]] = {
    Trigger.CONFERENCE_ANNOUNCED: {**_BASE, "conference": _CONFERENCE},
    Trigger.CONFERENCE_REMINDER_48H: {**_BASE, "conference": _CONFERENCE},
    Trigger.CONFERENCE_RESCHEDULED: {
        **_BASE,
        "conference": _CONFERENCE,
        "previous_starts_at": "2026-11-28T01:00:00+00:00",
    },
    Trigger.CONFERENCE_POSTPONED: {
        **_BASE,
        "conference": _CONFERENCE,
        "reason": "Trùng lịch kỳ họp Hội đồng nhân dân tỉnh",
    },
    Trigger.CONFERENCE_CANCELLED: {
        **_BASE,
        "conference": _CONFERENCE,
        "reason": "Nội dung đối thoại đã được giải quyết tại kỳ họp Hội đồng nhân dân xã",
    },
    Trigger.OPINION_ACKNOWLEDGED: {**_BASE, "opinion": _OPINION, "acknowledged_on": "2026-12-07"},
    Trigger.OPINION_ASSIGNED: {
        **_BASE,
        "opinion": _OPINION,
        "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
        "conference": _CONFERENCE,
        "transfer_note": "",
    },
    Trigger.OPINION_WITHDRAWN: {
        **_BASE,
        "opinion": _OPINION,
        "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
        "previous_agency_name": "Sở Xây dựng",
        "reason": "Phân loại lại sang lĩnh vực Văn hóa, di tích",
        "conference": _CONFERENCE,
    },
    Trigger.ANSWER_RETURNED: {
        **_BASE,
        "opinion": _OPINION,
        "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
        "reason": "Chưa nêu rõ thời gian và nguồn kinh phí sửa chữa nhà văn hóa thôn",
        "conference": _CONFERENCE,
    },
    Trigger.DEADLINE_APPROACHING: {
        **_BASE,
        "opinion": _OPINION,
        "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
        "days_left": 2,
    },
    Trigger.OPINION_OVERDUE: {
        **_BASE,
        "opinion": _OPINION,
        "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
        "days_overdue": 3,
    },
    Trigger.ANSWER_PUBLISHED: {
        **_BASE,
        "opinion": _OPINION,
        "answer": {
            "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
            "summary": "Năm 2027 tỉnh bố trí kinh phí sửa chữa 05 nhà văn hóa thôn của xã Đồng Du",
            "published_at": "2026-12-16T03:00:00+00:00",
            "url": "https://doithoai.example/tra-cuu/DD-2026-0016",
        },
    },
    Trigger.SATISFACTION_SURVEY: {
        **_BASE,
        "opinion": _OPINION,
        "survey_url": "https://doithoai.example/danh-gia/DD-2026-0016",
        "survey_closes_on": "2027-01-15",
    },
    Trigger.CONCLUSION_REMINDER_3D: {
        **_BASE,
        "conference": _CONFERENCE,
        "days_since": 3,
        "results_due": "2026-12-15",
    },
    Trigger.CONCLUSION_REMINDER_7D: {
        **_BASE,
        "conference": _CONFERENCE,
        "days_since": 7,
        "results_due": "2026-12-15",
    },
}
