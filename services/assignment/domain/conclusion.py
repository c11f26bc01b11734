"""The conclusion notice of a conference (thông báo kết luận), as data both renderers share.

Wording and layout rules live here once (Decree 30/2020/NĐ-CP): the date line pads days below 10
and months below 3 with a zero, the issuing body is upper case, dispositions are one sentence each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from services.assignment.domain.assignment import Assignment
from services.assignment.domain.fields import field_label
from services.assignment.domain.routing import Outcome
from services.assignment.domain.values import Status


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
    return field_label(item.field)


def grouped(items: Iterable[ConclusionItem]) -> list[tuple[str, list[ConclusionItem]]]:
    """Sections in the order of SECTION_TITLES, empty ones left out."""
    listed = list(items)
    return [
        (title, [i for i in listed if i.outcome is outcome])
        for outcome, title in SECTION_TITLES.items()
        if any(i.outcome is outcome for i in listed)
    ]


_OUTCOME_OF_STATUS = {
    Status.ANSWERED_DIRECTLY: Outcome.ANSWERED_DIRECTLY,
    Status.TRANSFERRED: Outcome.TRANSFERRED,
    Status.TRIAGE: Outcome.TRIAGE,
}


def item_from_assignment(assignment: Assignment) -> ConclusionItem:
    """The conclusion line of an assignment, whatever state it reached since."""
    opinion = assignment.opinion
    outcome = _OUTCOME_OF_STATUS.get(assignment.status, Outcome.ASSIGNED)
    return ConclusionItem(
        tracking_code=opinion.tracking_code,
        summary=opinion.summary,
        submitter=opinion.submitter,
        field=opinion.field,
        outcome=outcome,
        direct_answer=(assignment.direct_answer or {}).get("text", ""),
        agency_name=assignment.agency.name if assignment.agency else "",
        deadline=assignment.deadline,
        transfer_body=assignment.transfer.body if assignment.transfer else "",
    )
