"""Tracking codes as citizens type them (``DT-7K3M-9QX2``), checked as intake issues them.

The format and its check are ``shared.tracking_codes``; the portal checks a typed code before it
reads anything, so a mistyped code (``invalid_tracking_code``) is told apart from an unknown one.
"""

from __future__ import annotations

from shared import tracking_codes
from shared.errors import DomainError

canonical = tracking_codes.canonical
malformed = tracking_codes.invalid


def unknown(code: str) -> DomainError:
    return DomainError(
        "unknown_tracking_code",
        f"Không tìm thấy ý kiến có mã {code}; mã có thể chưa được ghi nhận, vui lòng kiểm tra lại "
        "hoặc thử lại sau ít phút.",
    )
