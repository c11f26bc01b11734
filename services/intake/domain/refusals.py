"""Intake's own refusals: a stable code and one Vietnamese sentence saying what to fix.

The refusals of a payload's shape (missing field, wrong type...) are ``shared.refusals``'; these are
the readings only intake makes.

Senders of other systems and officials read these sentences, and they end up in rejection events, so
they never echo a phone number, an ID number or an e-mail address.
"""

from __future__ import annotations

import datetime as dt

from shared.errors import DomainError, NotFound
from shared.refusals import quote, vn_number
from shared.timeutil import to_local


def empty_content() -> DomainError:
    return DomainError(
        "empty_content", "Nội dung ý kiến đang để trống; vui lòng nhập nội dung trước khi gửi."
    )


def content_too_long(length: int, limit: int) -> DomainError:
    return DomainError(
        "content_too_long",
        f"Nội dung dài {vn_number(length)} ký tự, vượt giới hạn {vn_number(limit)} ký tự; vui lòng "
        "rút gọn hoặc gửi phần còn lại dưới dạng tệp đính kèm.",
    )


def invalid_phone() -> DomainError:
    return DomainError(
        "invalid_contact",
        "Số điện thoại liên hệ không đúng định dạng Việt Nam; vui lòng dùng dạng 0912345678 hoặc "
        "+84912345678.",
    )


def invalid_email() -> DomainError:
    return DomainError(
        "invalid_contact",
        "Địa chỉ thư điện tử liên hệ không hợp lệ; vui lòng kiểm tra lại theo dạng ten@tenmien.vn.",
    )


def unknown_source(source: str) -> DomainError:
    return NotFound(
        "unknown_source",
        f"Nguồn “{quote(source)}” chưa được đăng ký với hệ thống tiếp nhận; vui lòng liên hệ quản trị viên "
        "để đăng ký nguồn trước khi gửi.",
    )


def unknown_conference(conference_id: str) -> DomainError:
    return NotFound(
        "unknown_conference",
        f"Không tìm thấy hội nghị “{quote(conference_id)}”; vui lòng kiểm tra lại mã hội nghị hoặc bỏ trống "
        "trường này.",
    )


def received_in_future(received_at: dt.datetime, now: dt.datetime) -> DomainError:
    """No deadline may start before the opinion's receipt: a receipt in the future is a wrong clock."""
    at, clock = to_local(received_at), to_local(now)
    return DomainError(
        "received_in_future",
        f"Thời điểm tiếp nhận {at:%H:%M ngày %d/%m/%Y} muộn hơn hiện tại ({clock:%H:%M ngày %d/%m/%Y}); "
        "vui lòng kiểm tra lại thời điểm tiếp nhận và đồng hồ của máy gửi rồi gửi lại.",
    )
