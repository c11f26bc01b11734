"""The conclusion notice of a conference (thông báo kết luận), as data both renderers share.

Wording and layout rules live here once (Decree 30/2020/NĐ-CP): the date line pads days below 10
and months below 3 with a zero, the issuing body is upper case, dispositions are one sentence each.
The CLI fills it from assignment's ``conclusion`` reply (``reply.py``); the codes it reads (outcome,
field) are the ones the reply carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """What became of an opinion, as the ``conclusion`` reply names it."""

    ANSWERED_DIRECTLY = "answered_directly"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    TRIAGE = "triage"


# The reply carries field codes; a notice names the field. Like the CLI's status labels, these are
# presentation words for codes the contracts define ("Field code (lĩnh vực)").
FIELD_LABELS: dict[str, str] = {
    "party_building": "Xây dựng Đảng",
    "organisation_staff": "Tổ chức bộ máy, cán bộ",
    "labour_jobs": "Lao động, việc làm",
    "land": "Đất đai",
    "planning": "Quy hoạch",
    "agriculture": "Nông nghiệp",
    "education": "Giáo dục",
    "health_insurance": "Bảo hiểm y tế",
    "culture_relics": "Văn hóa, di tích",
    "youth_military": "Thanh niên, nghĩa vụ quân sự",
    "cyber_security": "An ninh mạng",
    "transport": "Giao thông",
    "environment": "Môi trường",
    "social_policy": "Chính sách xã hội",
    "unclassified": "Chưa phân loại",
}


@dataclass(frozen=True)
class Person:
    name: str
    title: str


@dataclass(frozen=True)
class Signer:
    name: str
    position: str  # "CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"...
    on_behalf: str = ""  # "TM. ỦY BAN NHÂN DÂN"


@dataclass(frozen=True)
class ConferenceInfo:
    title: str
    unit_name: str
    level: str
    held_on: dt.date
    chairs: tuple[Person, ...]
    issuing_body: str
    document_number: str
    place: str
    issued_on: dt.date
    signer: Signer
    concluded_by: str
    venue: str = ""
    parent_body: str = ""
    recipients: tuple[str, ...] = ("Như trên", "Lưu: VT")


@dataclass(frozen=True)
class ConclusionItem:
    tracking_code: str
    summary: str
    submitter: str
    field: str
    outcome: Outcome
    direct_answer: str = ""
    agency_name: str = ""
    deadline: dt.date | None = None
    transfer_body: str = ""


SECTION_TITLES: dict[Outcome, str] = {
    Outcome.ANSWERED_DIRECTLY: "Các ý kiến đã được trả lời trực tiếp tại hội nghị",
    Outcome.ASSIGNED: "Các ý kiến giao cơ quan, đơn vị nghiên cứu, trả lời bằng văn bản",
    Outcome.TRANSFERRED: "Các ý kiến vượt thẩm quyền, chuyển cấp có thẩm quyền xem xét, giải quyết",
    Outcome.TRIAGE: "Các ý kiến đang được phân loại để giao cơ quan chủ trì",
}


def vn_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def date_line(place: str, day: dt.date) -> str:
    """ "Hà Nam, ngày 05 tháng 02 năm 2027": Decree 30 pads days < 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(document_number: str) -> str:
    return f"Số: {document_number}"


def subtitle(info: ConferenceInfo) -> str:
    return f"Kết luận của {info.concluded_by} tại {info.title}"


def introduction(info: ConferenceInfo) -> str:
    chairs = ", ".join(f"đồng chí {p.name}, {p.title}" for p in info.chairs)
    venue = f" tại {info.venue}" if info.venue else ""
    return (
        f"Ngày {vn_date(info.held_on)}{venue}, {chairs} đã chủ trì {info.title}. "
        f"Sau khi nghe ý kiến, kiến nghị, đề xuất của cán bộ, đảng viên và nhân dân {info.unit_name}, "
        f"{info.concluded_by} kết luận như sau:"
    )


CLOSING = (
    "Yêu cầu các cơ quan, đơn vị được giao khẩn trương nghiên cứu, giải quyết và trả lời bằng văn bản "
    "đúng thời hạn; kết quả gửi về cơ quan thường trực để tổng hợp, công khai cho nhân dân biết."
)


def disposition(item: ConclusionItem) -> str:
    """One sentence: what happens to the opinion."""
    if item.outcome is Outcome.ANSWERED_DIRECTLY:
        return f"Đã trả lời tại hội nghị: {item.direct_answer}"
    if item.outcome is Outcome.ASSIGNED:
        deadline = f", chậm nhất ngày {vn_date(item.deadline)}" if item.deadline else ""
        return f"Giao {item.agency_name} chủ trì nghiên cứu, trả lời bằng văn bản{deadline}."
    if item.outcome is Outcome.TRANSFERRED:
        return f"Chuyển {item.transfer_body} xem xét, giải quyết, trả lời theo thẩm quyền."
    return "Đang phân loại; cơ quan thường trực sẽ giao cơ quan chủ trì trả lời."


def field_name(item: ConclusionItem) -> str:
    """The Vietnamese name of the item's field (the code itself when unknown)."""
    return FIELD_LABELS.get(item.field, item.field)


def grouped(items: Iterable[ConclusionItem]) -> list[tuple[str, list[ConclusionItem]]]:
    """Sections in the order of SECTION_TITLES, empty ones left out."""
    listed = list(items)
    return [
        (title, [i for i in listed if i.outcome is outcome])
        for outcome, title in SECTION_TITLES.items()
        if any(i.outcome is outcome for i in listed)
    ]
