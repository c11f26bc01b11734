"""Value objects and vocabularies of a conference, with the Vietnamese labels officials read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ConferenceState(StrEnum):
    PLANNED = "planned"
    ANNOUNCED = "announced"
    POSTPONED = "postponed"
    HELD = "held"
    CONCLUDED = "concluded"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    ConferenceState.PLANNED: "đã lên kế hoạch",
    ConferenceState.ANNOUNCED: "đã công bố",
    ConferenceState.POSTPONED: "tạm hoãn",
    ConferenceState.HELD: "đã tổ chức",
    ConferenceState.CONCLUDED: "đã có kết luận",
    ConferenceState.CLOSED: "đã đóng hồ sơ",
    ConferenceState.CANCELLED: "đã hủy",
}

# States in which the conference has taken place; what the seed's statistics count.
HELD_STATES = frozenset({ConferenceState.HELD, ConferenceState.CONCLUDED, ConferenceState.CLOSED})


class ConferenceFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"in_person": "trực tiếp", "online": "trực tuyến", "hybrid": "kết hợp"}[self.value]

    @property
    def needs_venue(self) -> bool:
        return self is not ConferenceFormat.ONLINE

    @property
    def needs_link(self) -> bool:
        return self is not ConferenceFormat.IN_PERSON


class ParticipantGroup(StrEnum):
    CADRES_PARTY_MEMBERS = "cadres_party_members"
    CITIZENS = "citizens"
    YOUTH_UNION_MEMBERS = "youth_union_members"
    WOMEN_UNION_MEMBERS = "women_union_members"
    FARMERS = "farmers"
    VETERANS = "veterans"
    WORKERS = "workers"
    ENTERPRISES = "enterprises"
    RELIGIOUS_DIGNITARIES = "religious_dignitaries"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    ParticipantGroup.CADRES_PARTY_MEMBERS: "cán bộ, đảng viên",
    ParticipantGroup.CITIZENS: "nhân dân",
    ParticipantGroup.YOUTH_UNION_MEMBERS: "đoàn viên, hội viên, thanh niên",
    ParticipantGroup.WOMEN_UNION_MEMBERS: "hội viên phụ nữ",
    ParticipantGroup.FARMERS: "nông dân",
    ParticipantGroup.VETERANS: "cựu chiến binh",
    ParticipantGroup.WORKERS: "công nhân, người lao động",
    ParticipantGroup.ENTERPRISES: "doanh nghiệp",
    ParticipantGroup.RELIGIOUS_DIGNITARIES: "chức sắc, chức việc tôn giáo",
}


class Trigger(StrEnum):
    ANNUAL_PROGRAMME = "annual_programme"
    VOTER_REQUEST = "voter_request"
    AD_HOC = "ad_hoc"

    @property
    def label(self) -> str:
        return {
            "annual_programme": "theo chương trình công tác năm",
            "voter_request": "theo yêu cầu của cử tri",
            "ad_hoc": "khi cần thiết",
        }[self.value]


@dataclass(frozen=True)
class Chair:
    """A head who chairs the conference: "Lê Thị Thủy", "Bí thư Tỉnh ủy"."""

    name: str
    title: str

    def to_doc(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Chair:
        return cls(name=str(doc["name"]), title=str(doc["title"]))


@dataclass(frozen=True)
class ClosingRecord:
    """What the conference produced, filled in when it is held and when it is concluded (Decidim)."""

    attendee_count: int | None = None
    opinion_count: int | None = None
    conclusion_summary: str | None = None
    conclusion_document: str | None = None  # number or link of the văn bản kết luận

    def to_doc(self) -> dict[str, Any]:
        return {
            "attendee_count": self.attendee_count,
            "opinion_count": self.opinion_count,
            "conclusion_summary": self.conclusion_summary,
            "conclusion_document": self.conclusion_document,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ClosingRecord:
        return cls(
            attendee_count=doc.get("attendee_count"),
            opinion_count=doc.get("opinion_count"),
            conclusion_summary=doc.get("conclusion_summary"),
            conclusion_document=doc.get("conclusion_document"),
        )
