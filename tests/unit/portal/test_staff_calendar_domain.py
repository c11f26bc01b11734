"""The secretariat's calendar as pure pieces: scheduling's listing said in words, the plan form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.portal.domain import conference_calendar as cal
from shared.errors import DomainError

pytestmark = pytest.mark.unit


def listing(**changes: Any) -> dict[str, Any]:
    row = {"conference_id": "nb-2026-1", "title": "Hội nghị đối thoại", "unit_code": "ninh-binh", "state": "held",
           "state_label": "đã tổ chức", "starts_at": "2026-11-10T01:00:00+00:00", "conclusion_due": "2026-11-20",
           "conclusion_late": False}  # fmt: skip
    return {**row, **changes}


def test_the_calendar_says_each_conference_s_checks_in_words_for_the_unit_only() -> None:
    rows = [
        listing(conclusion_late=True),
        listing(conference_id="nb-2026-0", starts_at="2026-03-01T01:00:00+00:00", state="planned",
                state_label="đã lên kế hoạch", conclusion_due=None),
        listing(conference_id="khac", unit_code="xa-khac"),
        listing(conference_id="nb-2026-2", state="concluded", conclusion_late=True, starts_at="2026-11-11T01:00:00+00:00"),
    ]  # fmt: skip

    entries = cal.calendar(rows, "ninh-binh")

    assert [e.conference_id for e in entries] == ["nb-2026-0", "nb-2026-1", "nb-2026-2"]
    assert entries[0].checks == [
        "Chưa thông báo công khai thời gian, địa điểm, nội dung và cách thức tham gia."
    ]
    assert entries[1].checks == ["Quá hạn ban hành văn bản kết luận: hạn 20/11/2026."]
    assert entries[1].when == "08:00 ngày 10/11/2026"
    assert entries[2].checks == ["Văn bản kết luận ban hành sau hạn 20/11/2026."]
    assert cal.calendar([listing(conclusion_late=False)], "ninh-binh")[0].checks == [
        "Hạn ban hành văn bản kết luận: 20/11/2026."
    ]


def test_compliance_names_what_the_unit_still_lacks_or_says_nothing_is_missing() -> None:
    gaps = [{"unit_code": "ninh-binh", "required": 1, "held": 0, "missing": 1}]

    assert cal.compliance(gaps, "ninh-binh", 2026) == (
        False, "Năm 2026, đơn vị mới tổ chức 0 trên 1 hội nghị đối thoại tối thiểu; còn thiếu 1.")  # fmt: skip
    assert cal.compliance(gaps, "xa-khac", 2026)[0] is True


def test_the_plan_form_becomes_plan_conference_s_fields_in_vietnam_time() -> None:
    form = {"ten": "Đối thoại với thanh niên", "ngay": "2026-12-20", "bat-dau": "08:00", "ket-thuc": "11:30",
            "chu-tri": "Lê Thị Thủy", "chuc-danh": "Bí thư Tỉnh ủy", "hinh-thuc": "gi-do", "dia-diem": " Hội trường ",
            "noi-dung": "Việc làm\n\n An ninh mạng "}  # fmt: skip

    fields = cal.plan_fields(form, ["youth_union_members", "khong-co"], "ninh-binh")

    assert fields["starts_at"] == dt.datetime(2026, 12, 20, 8, 0)
    assert fields["ends_at"] == dt.datetime(2026, 12, 20, 11, 30)
    assert fields["participant_groups"] == ["youth_union_members"]
    assert fields["format"] == "in_person"
    assert fields["venue"] == "Hội trường"
    assert fields["agenda_topics"] == ["Việc làm", "An ninh mạng"]
    assert fields["chairs"] == [{"name": "Lê Thị Thủy", "title": "Bí thư Tỉnh ủy"}]


@pytest.mark.parametrize(
    ("changes", "groups", "code"),
    [
        ({"ten": " "}, ["citizens"], "plan_incomplete"),
        ({}, [], "plan_incomplete"),
        ({"ngay": "20/12/2026"}, ["citizens"], "plan_incomplete"),
        ({"ket-thuc": "07:00"}, ["citizens"], "plan_times"),
    ],
)
def test_an_incomplete_plan_form_is_refused_with_a_sentence(
    changes: dict[str, str], groups: list[str], code: str
) -> None:
    form = {"ten": "Đối thoại", "ngay": "2026-12-20", "bat-dau": "08:00", "ket-thuc": "11:00",
            "chu-tri": "Lê Thị Thủy", "chuc-danh": "Bí thư Tỉnh ủy", **changes}  # fmt: skip

    with pytest.raises(DomainError) as refused:
        cal.plan_fields(form, groups, "ninh-binh")

    assert refused.value.code == code
    assert refused.value.message.endswith(".")
