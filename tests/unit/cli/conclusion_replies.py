"""The three replies a conclusion notice is made from, as the services answer them (shared by tests)."""

from __future__ import annotations

from typing import Any

CONFERENCE_ID = "nb-2026-gia-vien"
HEADS = [
    {"name": "Đặng Quốc Khánh", "title": "Bí thư Tỉnh ủy"},
    {"name": "Phạm Quang Ngọc", "title": "Chủ tịch UBND tỉnh"},
]


def conference(chairs: list[dict[str, str]] | None = None, **changes: Any) -> dict[str, Any]:
    """Assignment's ``conclusion`` reply's conference (its snapshot of the conference)."""
    return {
        "conference_id": CONFERENCE_ID,
        "title": "hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền tỉnh với nhân dân xã Gia Viễn",
        "unit_code": "ninh-binh",
        "unit_name": "tỉnh Ninh Bình",
        "level": "province",
        "starts_at": "2026-11-20T08:00:00+07:00",
        "ends_at": "2026-11-20T11:30:00+07:00",
        "chairs": HEADS if chairs is None else chairs,
        "venue": "Hội trường UBND xã Gia Viễn",
    } | changes


def row(code: str, outcome: str, **changes: Any) -> dict[str, Any]:
    """One item of assignment's ``conclusion`` reply."""
    return {
        "tracking_code": code,
        "summary": f"Nội dung ý kiến {code}.",
        "submitter": "",
        "field": "education",
        "outcome": outcome,
        "direct_answer": "",
        "agency_name": "",
        "deadline": None,
        "transfer_body": "",
    } | changes


ITEMS = [
    row("GV-0001", "answered_directly", field="culture_relics", direct_answer="Tỉnh hỗ trợ 200 triệu đồng xây nhà văn hóa."),
    row("GV-0002", "answered_directly", field="culture_relics", direct_answer="Tỉnh hỗ trợ 200 triệu đồng xây nhà văn hóa."),
    row("GV-0003", "answered_directly", field="culture_relics", direct_answer="Đình làng Gia Viễn được tu bổ trong năm 2027."),
    row("GV-0004", "answered_directly", field="agriculture", direct_answer="Tỉnh có chính sách hỗ trợ nhà màng."),
    row("GV-0005", "assigned", agency_name="Sở Giáo dục và Đào tạo tỉnh Ninh Bình", deadline="2026-12-18"),
    row("GV-0006", "assigned", field="land", agency_name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
        deadline="2026-12-11"),
    row("GV-0007", "assigned", field="land", agency_name="Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
        deadline="2026-12-11"),
    row("GV-0008", "transferred", field="health_insurance", transfer_body="Bảo hiểm xã hội Việt Nam"),
]  # fmt: skip

# Intake's ``list`` rows for the conference: who raised each opinion, and its topic.
OPINIONS = [
    {"tracking_code": "GV-0001", "submitter_name": "Ông Đinh Văn Hùng", "topic_group_id": "op-1"},
    {"tracking_code": "GV-0002", "submitter_name": "Bà Trần Thị Mai", "topic_group_id": "op-1"},
    {"tracking_code": "GV-0003", "submitter_name": "Ông Lê Văn Tám", "topic_group_id": "op-3"},
    {"tracking_code": "GV-0004", "submitter_name": "Bà Vũ Thị Hoa", "topic_group_id": "op-4"},
    {"tracking_code": "GV-0005", "submitter_name": "Ông Phạm Văn Sơn", "topic_group_id": "op-5"},
    {"tracking_code": "GV-0006", "submitter_name": "Ông Nguyễn Văn Bình", "topic_group_id": "op-6"},
    {"tracking_code": "GV-0007", "submitter_name": "Bà Hoàng Thị Lan", "topic_group_id": "op-6"},
    {"tracking_code": "GV-0008", "submitter_name": "Ông Trịnh Văn Đức", "topic_group_id": None},
]

SUMMARY = "Giao các sở trả lời bằng văn bản trước ngày 31/12/2026; ưu tiên đất đai và giáo dục"


def shown(state: str = "concluded", **changes: Any) -> dict[str, Any]:
    """Scheduling's ``show`` reply (the keys the notice reads)."""
    return {
        **conference(),
        "state": state,
        "held_at": "2026-11-20T11:30:00+07:00" if state in ("held", "concluded", "closed") else None,
        "concluded_at": "2026-11-27T09:00:00+07:00" if state in ("concluded", "closed") else None,
        "record": {"conclusion_summary": SUMMARY if state in ("concluded", "closed") else None},
    } | changes


def reply(chairs: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"conference": conference(chairs), "items": ITEMS}
