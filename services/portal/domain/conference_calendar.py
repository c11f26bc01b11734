"""The secretariat's conference calendar: scheduling's listing and compliance, and the plan form.

The conferences and their states are scheduling's reply to ``ListConferences``; the legal checks
are scheduling's too: whether each conclusion is late (``conclusion_due``, ``conclusion_late``) and
whether the unit held its yearly minimum (``CheckCompliance``). The page only says them in words.
The plan form is read here into ``PlanConference``'s fields; what the form cannot say (a chair
double-booked, a unit not in force, a start in the past) scheduling refuses with its sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.errors import DomainError
from shared.timeutil import to_local

GROUPS = {
    "citizens": "Nhân dân",
    "cadres_party_members": "Cán bộ, đảng viên",
    "youth_union_members": "Đoàn viên, hội viên, thanh niên",
    "women_union_members": "Hội viên phụ nữ",
    "farmers": "Nông dân",
    "veterans": "Cựu chiến binh",
    "workers": "Công nhân, người lao động",
    "enterprises": "Doanh nghiệp",
    "religious_dignitaries": "Chức sắc, chức việc tôn giáo",
}
FORMATS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "hybrid": "Kết hợp trực tiếp và trực tuyến"}
PLAN_MISSING = (
    "Vui lòng nhập đủ tên hội nghị, ngày, giờ bắt đầu và kết thúc, họ tên và chức danh người chủ trì, "
    "và chọn ít nhất một thành phần tham dự."
)
TIMES_WRONG = "Giờ kết thúc phải sau giờ bắt đầu; vui lòng kiểm tra lại."


@dataclass(frozen=True)
class Entry:
    conference_id: str
    title: str
    when: str
    starts_iso: str
    state: str
    state_label: str
    checks: list[str]
    late: bool


def _vn(instant: dt.datetime) -> str:
    return to_local(instant).strftime("%H:%M ngày %d/%m/%Y")


def _checks(row: dict[str, Any]) -> list[str]:
    state = str(row.get("state", ""))
    due = dt.date.fromisoformat(str(row["conclusion_due"])[:10]) if row.get("conclusion_due") else None
    checks: list[str] = []
    if state == "planned":
        checks.append("Chưa thông báo công khai thời gian, địa điểm, nội dung và cách thức tham gia.")
    if due is not None and row.get("conclusion_late"):
        done = state in ("concluded", "closed")
        checks.append(("Văn bản kết luận ban hành sau hạn " if done else "Quá hạn ban hành văn bản kết luận: hạn ")
                      + due.strftime("%d/%m/%Y") + ".")  # fmt: skip
    elif due is not None and state == "held":
        checks.append(f"Hạn ban hành văn bản kết luận: {due.strftime('%d/%m/%Y')}.")
    return checks


def calendar(rows: Sequence[dict[str, Any]], unit_code: str) -> list[Entry]:
    """The unit's conferences, earliest first, each with its state and the checks said in words."""
    entries = []
    for row in rows:
        if row.get("unit_code") != unit_code:
            continue
        starts = dt.datetime.fromisoformat(str(row["starts_at"]))
        entries.append(Entry(
            str(row["conference_id"]), str(row.get("title") or ""), _vn(starts), starts.isoformat(),
            str(row.get("state", "")), str(row.get("state_label") or row.get("state") or ""), _checks(row),
            bool(row.get("conclusion_late")),
        ))  # fmt: skip
    return sorted(entries, key=lambda e: (e.starts_iso, e.conference_id))


def compliance(gaps: Sequence[dict[str, Any]], unit_code: str, year: int) -> tuple[bool, str]:
    """Whether scheduling counts the unit short of its yearly minimum, and the sentence to show."""
    for gap in gaps:
        if gap.get("unit_code") == unit_code:
            return False, (
                f"Năm {year}, đơn vị mới tổ chức {gap.get('held', 0)} trên {gap.get('required', 0)} hội nghị "
                f"đối thoại tối thiểu; còn thiếu {gap.get('missing', 0)}."
            )
    return True, f"Năm {year}, đơn vị không thiếu hội nghị đối thoại so với số tối thiểu phải tổ chức."


def _time(day: dt.date, text: str) -> dt.datetime | None:
    try:
        return dt.datetime.combine(day, dt.time.fromisoformat(text.strip()))
    except ValueError:
        return None


def plan_fields(form: Mapping[str, str], groups: Sequence[str], unit_code: str) -> dict[str, Any]:
    """``PlanConference``'s fields from the form (Vietnam times without an offset), or the refusal."""
    title = form.get("ten", "").strip()
    chair, chair_title = form.get("chu-tri", "").strip(), form.get("chuc-danh", "").strip()
    chosen = [g for g in groups if g in GROUPS]
    try:
        day = dt.date.fromisoformat(form.get("ngay", "").strip())
    except ValueError:
        day = None
    starts = _time(day, form.get("bat-dau", "")) if day else None
    ends = _time(day, form.get("ket-thuc", "")) if day else None
    if not title or not chair or not chair_title or not chosen or starts is None or ends is None:
        raise DomainError("plan_incomplete", PLAN_MISSING)
    if ends <= starts:
        raise DomainError("plan_times", TIMES_WRONG)
    kind = form.get("hinh-thuc", "in_person")
    topics = [t.strip()[:300] for t in form.get("noi-dung", "").splitlines() if t.strip()][:20]
    return {
        "title": title[:300], "unit_code": unit_code, "starts_at": starts, "ends_at": ends,
        "chairs": [{"name": chair[:200], "title": chair_title[:300]}], "participant_groups": chosen,
        "format": kind if kind in FORMATS else "in_person", "venue": form.get("dia-diem", "").strip()[:300] or None,
        "link": form.get("duong-dan", "").strip()[:500] or None, "agenda_topics": topics,
        "programme_year": starts.year,
    }  # fmt: skip
