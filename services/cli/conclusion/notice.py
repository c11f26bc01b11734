"""The conclusion notice of a conference (thông báo kết luận), as data both renderers share.

A notice is issued in the format of the body the chair heads: a Party committee's (Tỉnh ủy, Huyện
ủy, Đảng ủy) follows Hướng dẫn 36-HD/VPTW ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 125-TB/TU", the issuing body
with "*" under it, "T/M BAN THƯỜNG VỤ"); a People's Committee's follows Decree 30/2020/NĐ-CP ("CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 15/TB-UBND", "TM. ỦY BAN NHÂN DÂN"). Wording rules live here
once: the date line pads days below 10 and months below 3 with a zero, the issuing body is upper
case, dispositions are one sentence each, opinions of one topic are one line with their codes.
The CLI fills it from assignment's ``conclusion`` reply, scheduling's record of the conference and
intake's opinions (``reply.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from shared.contracts import fields


class Style(StrEnum):
    """Which body's document rules the notice follows."""

    PARTY = "party"  # Hướng dẫn 36-HD/VPTW
    STATE = "state"  # Decree 30/2020/NĐ-CP


class Outcome(StrEnum):
    """What became of an opinion, as the ``conclusion`` reply names it."""

    ANSWERED_DIRECTLY = "answered_directly"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    TRIAGE = "triage"


@dataclass(frozen=True)
class Person:
    name: str
    title: str


@dataclass(frozen=True)
class Signer:
    name: str
    position: str  # "CHỦ TỊCH", "BÍ THƯ", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG"...
    on_behalf: str = ""  # "TM. ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ", "T/L BAN THƯỜNG VỤ"


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
    style: Style = Style.STATE
    summary: str = ""  # the head's conclusion in a few sentences (``conference conclude --summary``)


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
    # The other opinions of the same topic (nhóm vấn đề) this line stands for: their codes, submitters.
    also_codes: tuple[str, ...] = ()
    also_submitters: tuple[str, ...] = ()
    topic: str = ""  # the topic id intake gave it (its first member's opinion id); "" when alone

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.tracking_code, *self.also_codes)

    @property
    def submitters(self) -> str:
        names = [n for n in (self.submitter, *self.also_submitters) if n]
        return ", ".join(dict.fromkeys(names))


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


def number_line(document_number: str, style: Style = Style.STATE) -> str:
    """ "Số: 15/TB-UBND" (Decree 30) or "Số 125-TB/TU" (Party documents: no colon)."""
    return f"Số {document_number}" if style is Style.PARTY else f"Số: {document_number}"


PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def codes_text(item: ConclusionItem) -> str:
    """ "DD-1" for one opinion; "DD-1, DD-2 (2 ý kiến)" for a topic raised by several people."""
    codes = ", ".join(item.codes)
    return f"{codes} ({len(item.codes)} ý kiến)" if item.also_codes else codes


def subtitle(info: ConferenceInfo) -> str:
    return f"Kết luận của {info.concluded_by} tại {info.title}"


def introduction(info: ConferenceInfo) -> str:
    chairs = ", ".join(f"đồng chí {p.name}, {p.title}" for p in info.chairs)
    venue = f" tại {info.venue}" if info.venue else ""
    return (
        f"Ngày {vn_date(info.held_on)}{venue}, {chairs} đã chủ trì {info.title}. "
        # The title names whom the heads met (a province's heads may meet one commune's people).
        "Sau khi nghe ý kiến, kiến nghị, đề xuất của cán bộ, đảng viên và nhân dân, "
        f"{info.concluded_by} kết luận như sau:"
    )


def summary_paragraph(info: ConferenceInfo) -> str:
    """The head's overall conclusion, as a sentence ending with a full stop; "" when none was given."""
    text = " ".join(info.summary.split())
    if not text:
        return ""
    return text if text.endswith((".", "!", "?", ":")) else f"{text}."


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
        # A transfer to an agency of the competent level runs a deadline there, printed as the agency's.
        deadline = f", chậm nhất ngày {vn_date(item.deadline)}" if item.deadline else ""
        return f"Chuyển {item.transfer_body} xem xét, giải quyết, trả lời theo thẩm quyền{deadline}."
    return "Đang phân loại; cơ quan thường trực sẽ giao cơ quan chủ trì trả lời."


KIND_WORDS = ("tỉnh ", "thành phố ", "huyện ", "quận ", "thị xã ", "xã ", "phường ", "thị trấn ", "đặc khu ")


def place_of(unit_name: str) -> str:
    """'tỉnh Hà Nam' → 'Hà Nam' (the place line of a notice names the place without its kind)."""
    for word in KIND_WORDS:
        if unit_name.lower().startswith(word):
            return unit_name[len(word) :]
    return unit_name


@dataclass(frozen=True)
class Issuer:
    """The body that issues the notice, its document rules, its number's suffix and who signs."""

    style: Style
    body: str  # "Tỉnh ủy Ninh Bình", "Ủy ban nhân dân tỉnh Ninh Bình"
    number_suffix: str  # "TB/TU" (written "125-TB/TU"), "TB-UBND" (written "15/TB-UBND")
    signer: Signer

    def blank_number(self) -> str:
        """The number left for the office to fill in: "     -TB/TU", "     /TB-UBND"."""
        return f"     -{self.number_suffix}" if self.style is Style.PARTY else f"     /{self.number_suffix}"


# A Party committee by its level: its name, the short form in its numbers.
_COMMITTEES = {"province": ("Tỉnh ủy", "TU"), "district": ("Huyện ủy", "HU"), "commune": ("Đảng ủy", "ĐU")}
_COMMITTEE_WORDS = (("thành ủy", "Thành ủy", "TU"), ("tỉnh ủy", "Tỉnh ủy", "TU"), ("huyện ủy", "Huyện ủy", "HU"),
                    ("quận ủy", "Quận ủy", "QU"), ("đảng ủy", "Đảng ủy", "ĐU"))  # fmt: skip


def issuer_for(unit_name: str, level: str, chair: Person, office_chief: str = "") -> Issuer:
    """The issuing body of the notice a chair concludes, chosen from the unit and the chair's title.

    A Party secretary (Bí thư, Phó Bí thư) concludes for the Party committee of the unit: Tỉnh ủy,
    Huyện ủy or Đảng ủy, signed "T/M BAN THƯỜNG VỤ" by the secretary, or "T/L BAN THƯỜNG VỤ / CHÁNH
    VĂN PHÒNG" by the committee's office chief (``office_chief``) for a notice of the secretary's
    conclusions. Anyone else (Chủ tịch, Phó Chủ tịch UBND) concludes for the People's Committee.
    """
    title = chair.title.lower()
    place = place_of(unit_name)
    if "bí thư" in title:
        named = next(((n, s) for word, n, s in _COMMITTEE_WORDS if word in title), None)
        name, short = named or _COMMITTEES.get(level, ("Đảng ủy", "ĐU"))
        body = f"{name} {unit_name}" if name == "Đảng ủy" else f"{name} {place}"
        position = "PHÓ BÍ THƯ" if "phó bí thư" in title else "BÍ THƯ"
        signer = (
            Signer(office_chief, "CHÁNH VĂN PHÒNG", "T/L BAN THƯỜNG VỤ")
            if office_chief
            else Signer(chair.name, position, "T/M BAN THƯỜNG VỤ")
        )
        return Issuer(Style.PARTY, body, f"TB/{short}", signer)
    position = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" if "phó chủ tịch" in title else "CHỦ TỊCH"
    return Issuer(
        Style.STATE,
        f"Ủy ban nhân dân {unit_name}",
        "TB-UBND",
        Signer(chair.name, position, "TM. ỦY BAN NHÂN DÂN"),
    )


def recipients_for(items: Iterable[ConclusionItem], extra: Iterable[str] = ()) -> tuple[str, ...]:
    """ "Nơi nhận": every agency given an opinion, every body one was transferred to, then ``extra``."""
    bodies: dict[str, None] = {}
    for item in items:
        if item.outcome is Outcome.ASSIGNED and item.agency_name:
            bodies[item.agency_name] = None
        if item.outcome is Outcome.TRANSFERRED and item.transfer_body:
            bodies[item.transfer_body] = None
    for name in extra:
        bodies[name] = None
    return (*bodies, "Lưu: VT")


def field_name(item: ConclusionItem) -> str:
    """The Vietnamese name of the item's field (the code itself when unknown)."""
    return fields.field_name(item.field)


def merge_topics(items: Iterable[ConclusionItem]) -> list[ConclusionItem]:
    """One line per topic: opinions of one topic with the same disposition are listed once.

    The first member (in the given order) stands for the topic, carrying the others' tracking codes
    and submitters; members the conference disposed of differently keep lines of their own.
    """
    lines: list[ConclusionItem] = []
    index: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item.topic, disposition(item))
        if not item.topic or key not in index:
            if item.topic:
                index[key] = len(lines)
            lines.append(item)
            continue
        first = lines[index[key]]
        lines[index[key]] = dataclasses.replace(
            first,
            also_codes=(*first.also_codes, *item.codes),
            also_submitters=(*first.also_submitters, *([item.submitter] if item.submitter else [])),
        )
    return lines


def grouped(items: Iterable[ConclusionItem]) -> list[tuple[str, list[ConclusionItem]]]:
    """Sections in the order of SECTION_TITLES, empty ones left out, each topic once."""
    listed = merge_topics(items)
    return [
        (title, [i for i in listed if i.outcome is outcome])
        for outcome, title in SECTION_TITLES.items()
        if any(i.outcome is outcome for i in listed)
    ]
