"""The Vietnamese names of the field codes (lĩnh vực) that events and replies carry.

Events and replies carry a field's code ("land"); a notice or a document names it ("Đất đai"). The
names are those of intake's shipped field rules (``services/intake/data/fields.toml``; a test keeps
the two equal), so notification and the CLI name a field the same way without knowing intake.
"""

from __future__ import annotations

FIELD_NAMES: dict[str, str] = {
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


def field_name(code: str | None) -> str:
    """The field's Vietnamese name; an unknown code (a province's own field) is shown as it is."""
    return FIELD_NAMES.get(code or "", code or "")
