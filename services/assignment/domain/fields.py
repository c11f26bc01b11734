"""Fields (lĩnh vực), opinion kinds and levels shared by routing, deadlines and documents.

Levels stay plain strings: the administrative tree changed in 2025 (the district level was
abolished) and historical records keep the level they had, so the set of levels is data, not code.
"""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    """The field of an opinion; the codes are shared with intake's classifier."""

    PARTY_BUILDING = "party_building"
    ORGANISATION_STAFF = "organisation_staff"
    LABOUR_JOBS = "labour_jobs"
    LAND = "land"
    PLANNING = "planning"
    AGRICULTURE = "agriculture"
    EDUCATION = "education"
    HEALTH_INSURANCE = "health_insurance"
    CULTURE_RELICS = "culture_relics"
    YOUTH_MILITARY = "youth_military"
    CYBER_SECURITY = "cyber_security"
    TRANSPORT = "transport"
    ENVIRONMENT = "environment"
    SOCIAL_POLICY = "social_policy"
    UNCLASSIFIED = "unclassified"


FIELD_LABELS: dict[str, str] = {
    Field.PARTY_BUILDING: "Xây dựng Đảng",
    Field.ORGANISATION_STAFF: "Tổ chức bộ máy, cán bộ",
    Field.LABOUR_JOBS: "Lao động, việc làm",
    Field.LAND: "Đất đai",
    Field.PLANNING: "Quy hoạch",
    Field.AGRICULTURE: "Nông nghiệp",
    Field.EDUCATION: "Giáo dục",
    Field.HEALTH_INSURANCE: "Bảo hiểm y tế",
    Field.CULTURE_RELICS: "Văn hóa, di tích",
    Field.YOUTH_MILITARY: "Thanh niên, nghĩa vụ quân sự",
    Field.CYBER_SECURITY: "An ninh mạng",
    Field.TRANSPORT: "Giao thông",
    Field.ENVIRONMENT: "Môi trường",
    Field.SOCIAL_POLICY: "Chính sách xã hội",
    Field.UNCLASSIFIED: "Chưa phân loại",
}


class OpinionKind(StrEnum):
    """ý kiến, kiến nghị, đề xuất, phản ánh."""

    OPINION = "opinion"
    RECOMMENDATION = "recommendation"
    PROPOSAL = "proposal"
    FEEDBACK = "feedback"


ANY = "*"


def field_label(code: str) -> str:
    """The Vietnamese label of a field code (the code itself when unknown)."""
    return FIELD_LABELS.get(code, code)
