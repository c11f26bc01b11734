"""The sentences operators read when a scheduling command succeeds."""

from __future__ import annotations

from services.scheduling.domain import Conference

_DONE = {
    "plan": "Đã lập kế hoạch hội nghị '{title}' (mã {id}).",
    "announce": "Đã công bố hội nghị '{title}' (mã {id}).",
    "reschedule": "Đã đổi lịch hội nghị '{title}' (mã {id}).",
    "postpone": "Đã tạm hoãn hội nghị '{title}' (mã {id}).",
    "hold": "Đã ghi nhận hội nghị '{title}' (mã {id}) đã được tổ chức.",
    "conclude": "Đã ghi nhận kết luận của hội nghị '{title}' (mã {id}).",
    "close": "Đã đóng hồ sơ hội nghị '{title}' (mã {id}).",
    "cancel": "Đã hủy hội nghị '{title}' (mã {id}).",
}


def done_message(verb: str, conference: Conference) -> str:
    return _DONE[verb].format(title=conference.title, id=conference.id)
