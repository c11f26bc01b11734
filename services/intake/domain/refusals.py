"""Every refusal of intake: a stable code and one Vietnamese sentence saying what to fix.

Senders of other systems and officials read these sentences, and they end up in rejection events, so
they never echo a phone number, an ID number or an e-mail address.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import DomainError, NotFound
from shared.privacy import redact

_QUOTE_LIMIT = 60


def quote(value: object) -> str:
    """A sender-supplied value fit to quote: short, and with any phone or ID number masked."""
    text = redact(str(value))
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"


def _vn_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def invalid_utf8() -> DomainError:
    return DomainError(
        "invalid_utf8",
        "Dữ liệu gửi đến không phải văn bản UTF-8 hợp lệ; vui lòng mã hóa nội dung bằng UTF-8 rồi gửi lại.",
    )


def invalid_json(position: int | None = None) -> DomainError:
    where = f" (lỗi ở vị trí {position})" if position is not None else ""
    return DomainError(
        "invalid_json",
        f"Dữ liệu gửi đến không phải JSON hợp lệ{where}; vui lòng kiểm tra cú pháp rồi gửi lại.",
    )


def payload_too_large(size: int, limit: int) -> DomainError:
    return DomainError(
        "payload_too_large",
        f"Dữ liệu gửi đến có {_vn_number(size)} byte, vượt giới hạn {_vn_number(limit)} byte; "
        "vui lòng rút gọn nội dung hoặc gửi tệp đính kèm dưới dạng đường dẫn.",
    )


def not_an_object(path: str = "") -> DomainError:
    what = f"Trường “{quote(path)}”" if path else "Dữ liệu gửi đến"
    return DomainError(
        "wrong_type", f"{what} phải là một đối tượng JSON; vui lòng gửi theo mẫu dữ liệu phiên bản 1."
    )


def missing_field(path: str) -> DomainError:
    return DomainError(
        "missing_field", f"Thiếu trường bắt buộc “{quote(path)}”; vui lòng bổ sung trường này rồi gửi lại."
    )


def wrong_type(path: str, expected: str) -> DomainError:
    return DomainError(
        "wrong_type", f"Trường “{quote(path)}” phải là {expected}; vui lòng sửa kiểu dữ liệu rồi gửi lại."
    )


def unknown_field(path: str) -> DomainError:
    return DomainError(
        "unknown_field",
        f"Trường “{quote(path)}” không có trong mẫu dữ liệu phiên bản 1; vui lòng bỏ trường này hoặc "
        "kiểm tra lại tên trường.",
    )


def invalid_value(path: str, allowed: Iterable[str]) -> DomainError:
    return DomainError(
        "invalid_value",
        f"Giá trị của trường “{quote(path)}” không hợp lệ; hãy dùng một trong các giá trị: "
        f"{', '.join(allowed)}.",
    )


def invalid_datetime(path: str) -> DomainError:
    return DomainError(
        "invalid_value",
        f"Trường “{quote(path)}” phải là thời điểm theo ISO 8601 có múi giờ; vui lòng sửa lại theo "
        "dạng 2024-04-14T08:30:00+07:00 rồi gửi.",
    )


def unsupported_version(version: object) -> DomainError:
    return DomainError(
        "unsupported_version",
        f"Phiên bản mẫu dữ liệu “{quote(version)}” không được hỗ trợ; vui lòng gửi theo phiên bản 1.",
    )


def empty_content() -> DomainError:
    return DomainError(
        "empty_content", "Nội dung ý kiến đang để trống; vui lòng nhập nội dung trước khi gửi."
    )


def content_too_long(length: int, limit: int) -> DomainError:
    return DomainError(
        "content_too_long",
        f"Nội dung dài {_vn_number(length)} ký tự, vượt giới hạn {_vn_number(limit)} ký tự; vui lòng "
        "rút gọn hoặc gửi phần còn lại dưới dạng tệp đính kèm.",
    )


def text_too_long(path: str, limit: int) -> DomainError:
    return DomainError(
        "wrong_type",
        f"Trường “{quote(path)}” dài quá {_vn_number(limit)} ký tự; vui lòng rút gọn rồi gửi lại.",
    )


def empty_text(path: str) -> DomainError:
    return DomainError(
        "missing_field", f"Trường “{quote(path)}” đang để trống; vui lòng điền giá trị rồi gửi lại."
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
