"""Every refusal of the assignment domain: a stable code and one Vietnamese sentence.

Kept in one place so the wording stays consistent and reviewers can read all of it at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from shared.errors import Conflict, DomainError, NotFound
from shared.timeutil import to_local

if TYPE_CHECKING:
    from services.assignment.domain.agencies import Agency


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _t(instant: dt.datetime) -> str:
    return to_local(instant).strftime("%d/%m/%Y %H:%M")


def unknown_agency(code: str) -> NotFound:
    return NotFound(
        "unknown_agency",
        f"Không tìm thấy cơ quan có mã «{code}»; hãy kiểm tra lại mã trong bảng phân công (routing.toml).",
    )


def unknown_opinion(opinion_id: str) -> NotFound:
    return NotFound(
        "unknown_opinion",
        f"Không tìm thấy ý kiến «{opinion_id}» ở khâu giao xử lý; hãy kiểm tra lại mã ý kiến.",
    )


def unknown_conference(conference_id: str) -> NotFound:
    return NotFound(
        "unknown_conference",
        f"Không có hội nghị «{conference_id}» hay ý kiến nào của nó ở khâu giao xử lý; "
        "hãy kiểm tra lại mã hội nghị.",
    )


def unknown_unit(code: str) -> NotFound:
    return NotFound(
        "unknown_unit",
        f"Không tìm thấy đơn vị hành chính có mã «{code}»; hãy kiểm tra lại mã đơn vị của hội nghị.",
    )


def not_assigned_agency(agency_code: str, holder: str | None) -> Conflict:
    held = f"cơ quan «{holder}» đang giữ" if holder else "ý kiến chưa được giao"
    return Conflict(
        "not_assigned_agency",
        f"Cơ quan «{agency_code}» không được giao ý kiến này ({held}); "
        "hãy kiểm tra mã theo dõi hoặc đề nghị lãnh đạo giao lại.",
    )


def opinion_closed(status: str) -> Conflict:
    return Conflict(
        "opinion_closed",
        f"Ý kiến đã kết thúc xử lý (trạng thái «{status}») nên không thể thay đổi; "
        "nếu cần xử lý lại, hãy tiếp nhận thành một ý kiến mới.",
    )


def wrong_status(action: str, status: str) -> Conflict:
    return Conflict(
        "invalid_transition",
        f"Không thể {action} khi ý kiến đang ở trạng thái «{status}»; hãy xem lịch sử xử lý rồi thử lại.",
    )


def missing_text(what: str) -> DomainError:
    return DomainError("missing_text", f"Thiếu {what}; hãy nhập nội dung rồi gửi lại.")


def same_agency(code: str) -> Conflict:
    return Conflict(
        "same_agency",
        f"Ý kiến đang do cơ quan «{code}» giữ; hãy chọn một cơ quan khác để giao lại.",
    )


def extension_not_later(new: dt.date, deadline: dt.date) -> DomainError:
    return DomainError(
        "extension_not_later",
        f"Ngày gia hạn {_d(new)} không sau hạn hiện tại {_d(deadline)}; hãy chọn một ngày muộn hơn.",
    )


def extension_too_long(new: dt.date, latest: dt.date, days: int) -> DomainError:
    return DomainError(
        "extension_too_long",
        f"Ngày gia hạn {_d(new)} vượt quá giới hạn {days} ngày làm việc (muộn nhất {_d(latest)}); "
        "hãy chọn ngày sớm hơn.",
    )


def too_many_extensions(limit: int) -> DomainError:
    return DomainError(
        "too_many_extensions",
        f"Ý kiến đã được gia hạn tối đa {limit} lần; hãy trả lời hoặc đề nghị giao lại cho cơ quan khác.",
    )


def no_pending_request(what: str) -> Conflict:
    return Conflict(
        "no_pending_request",
        f"Không có đề nghị {what} nào đang chờ quyết định; hãy kiểm tra lại ý kiến.",
    )


def request_pending(what: str) -> Conflict:
    return Conflict(
        "request_pending",
        f"Đã có một đề nghị {what} đang chờ quyết định; hãy chờ lãnh đạo phê duyệt hoặc từ chối.",
    )


def rating_out_of_range(stars: int) -> DomainError:
    return DomainError(
        "rating_out_of_range",
        f"Mức đánh giá {stars} không hợp lệ; hãy chọn một số nguyên từ 1 đến 5.",
    )


def rating_before_publication() -> Conflict:
    return Conflict(
        "rating_before_publication",
        "Câu trả lời chưa được công bố nên chưa thể đánh giá; hãy chờ đến khi câu trả lời được công bố.",
    )


def already_rated() -> Conflict:
    return Conflict(
        "already_rated",
        "Câu trả lời này đã được đánh giá; mỗi ý kiến chỉ đánh giá một lần, "
        "hãy liên hệ cơ quan nếu cần góp ý thêm.",
    )


def not_in_triage(status: str) -> Conflict:
    return Conflict(
        "not_in_triage",
        f"Ý kiến không nằm trong hàng chờ phân loại (trạng thái «{status}»); hãy dùng chức năng giao lại.",
    )


def invalid_period(text: str) -> DomainError:
    return DomainError(
        "invalid_period",
        f"Kỳ báo cáo «{text}» không hợp lệ; hãy dùng dạng 2026-11, 2026-Q3, 2026-H1, 2026-9M hoặc 2026.",
    )


def naive_datetime(name: str) -> DomainError:
    return DomainError(
        "naive_datetime",
        f"Thời điểm «{name}» thiếu múi giờ; hãy gửi thời điểm kèm múi giờ (UTC).",
    )


def agency_not_in_force(agency: Agency, day: dt.date) -> DomainError:
    if agency.valid_to is not None and day > agency.valid_to:
        validity = f"chỉ hoạt động đến ngày {_d(agency.valid_to)}"
    elif agency.valid_from is not None:
        validity = f"chỉ hoạt động từ ngày {_d(agency.valid_from)}"
    else:  # not reached: an agency without dates is always in force
        validity = "không hoạt động"
    return DomainError(
        "agency_not_in_force",
        f"Cơ quan «{agency.name}» ({agency.code}) {validity}, không nhận được ý kiến ngày {_d(day)}; "
        "hãy chọn một cơ quan đang hoạt động vào ngày đó trong bảng phân công (routing.toml).",
    )


def effective_in_future(at: dt.datetime) -> DomainError:
    return DomainError(
        "effective_in_future",
        f"Thời điểm thực hiện {_t(at)} (giờ Việt Nam) còn ở tương lai; "
        "hãy bỏ trống (mặc định là bây giờ) hoặc nhập thời điểm đã diễn ra.",
    )


def effective_before_receipt(at: dt.datetime, received_at: dt.datetime) -> DomainError:
    return DomainError(
        "effective_before_receipt",
        f"Thời điểm thực hiện {_t(at)} sớm hơn lúc ý kiến được tiếp nhận ({_t(received_at)}, giờ Việt Nam); "
        "hãy nhập thời điểm từ lúc tiếp nhận trở đi.",
    )


def effective_before_last_action(at: dt.datetime, last: dt.datetime) -> DomainError:
    return DomainError(
        "effective_before_last_action",
        f"Thời điểm thực hiện {_t(at)} sớm hơn thao tác gần nhất trong lịch sử xử lý "
        f"({_t(last)}, giờ Việt Nam); "
        f"hãy nhập thời điểm từ {_t(last)} trở đi để lịch sử không bị đảo ngược.",
    )
