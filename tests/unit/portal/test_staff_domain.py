"""The staff pages' pure pieces: pending requests in the read model, the dashboard, the calendar."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from services.portal.domain import conference_calendar as cal
from services.portal.domain.casefile import case_file
from services.portal.domain.dashboard import dashboard, periods, rate_text
from services.portal.domain.inbox import agency_name, unit_agencies
from services.portal.domain.opinion import Recorded, record
from services.portal.domain.requests import mark, pending, request_queue, with_mark
from shared.errors import DomainError

pytestmark = pytest.mark.unit
T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 1)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def event(token: str, minutes: int, asked: dt.date | None = None) -> Recorded:
    subject = f"assignment.opinion.{token}"
    facts = {"tracking_code": "DT-ABC", "unit_code": "ninh-binh", "agency_code": "nb-sgddt"}
    return Recorded(
        f"{token}-{minutes}",
        at(minutes),
        facts,
        None,
        mark(subject, f"{token}-{minutes}", at(minutes), asked),
    )


def apply_all(events: list[Recorded]) -> dict[str, Any]:
    doc: dict[str, Any] | None = None
    for e in events:
        doc = record("op-1", doc, e) or doc
    assert doc is not None
    return doc


def test_an_extension_request_is_pending_until_the_head_decides_in_whatever_order_the_events_arrive() -> None:
    asked = dt.date(2026, 12, 20)
    path = [event("assigned", 0), event("extension-requested", 5, asked), event("deadline-extended", 9)]
    results = {
        (d["pending_extension"], d["pending_reassignment"]) for order in itertools.permutations(path)
        if (d := apply_all(list(order)))
    }  # fmt: skip
    waiting = apply_all(path[:2])

    assert results == {(None, False)}
    assert waiting["pending_extension"] == "2026-12-20"
    assert waiting["pending_since"] == at(5).isoformat()


def test_a_refusal_an_answer_or_a_reassignment_ends_the_requests_it_concerns() -> None:
    asked = dt.date(2026, 12, 20)
    both = [event("extension-requested", 1, asked), event("reassignment-requested", 2)]

    refused = apply_all([*both, event("extension-refused", 3)])
    answered = apply_all([*both, event("answer-submitted", 3)])
    reassigned = apply_all([*both, event("assigned", 3)])
    accepted = apply_all([*both, event("accepted", 3)])

    assert (refused["pending_extension"], refused["pending_reassignment"]) == (None, True)
    assert (answered["pending_extension"], answered["pending_reassignment"]) == (None, False)
    assert (reassigned["pending_extension"], reassigned["pending_reassignment"]) == (None, False)
    assert (accepted["pending_extension"], accepted["pending_reassignment"]) == ("2026-12-20", True)
    assert accepted["pending_since"] == at(1).isoformat()


def test_a_redelivered_request_changes_nothing_and_a_tie_is_decided_for_the_decision() -> None:
    requested = event("extension-requested", 5, dt.date(2026, 12, 20))
    doc = apply_all([requested])

    assert record("op-1", doc, requested) is None
    same_instant = with_mark([], mark("assignment.opinion.deadline-extended", "x", at(5)))
    same_instant = with_mark([m.to_doc() for m in same_instant], requested.request)
    assert pending(same_instant)["pending_extension"] is None
    assert mark("assignment.opinion.deadline-approaching", "y", at(1)) is None


def test_the_head_s_list_has_one_row_per_open_request_of_its_unit_oldest_first() -> None:
    def doc(code: str, unit: str, since: str, **pending_fields: Any) -> dict[str, Any]:
        return {"_id": code, "tracking_code": code, "unit_code": unit, "status": "open", "deadline": "2026-12-03",
                "agency_name": "Sở Giáo dục và Đào tạo", "pending_since": since,
                "facts": {"content": f"Ý kiến {code}"}, **pending_fields}  # fmt: skip

    docs = [
        doc("B", "ninh-binh", "2026-11-21", pending_extension="2026-12-20", pending_reassignment=True),
        doc("A", "ninh-binh", "2026-11-22", pending_reassignment=True),
        doc("C", "xa-khac", "2026-11-01", pending_reassignment=True),
        {**doc("D", "ninh-binh", "2026-11-01", pending_reassignment=True), "status": "closed"},
    ]

    rows = request_queue(docs, "ninh-binh", TODAY, 3)

    assert [(r.code, r.kind) for r in rows] == [
        ("B", "extension"),
        ("B", "reassignment"),
        ("A", "reassignment"),
    ]
    assert rows[0].asked == dt.date(2026, 12, 20)
    assert rows[0].kind_name == "Đề nghị gia hạn"
    assert rows[0].urgency_text == "Sắp đến hạn (còn 2 ngày)"


def test_the_inbox_names_its_agency_from_the_latest_event_and_a_unit_s_agencies_leave_transfers_out() -> None:
    docs = [
        {
            "agency_code": "hn-sgddt",
            "agency_name": "Sở Giáo dục và Đào tạo tỉnh Hà Nam",
            "updated_at": "2025-03-01",
        },
        {"agency_code": "hn-sgddt", "agency_name": "Sở GD&ĐT (tên mới)", "updated_at": "2025-04-01"},
        {
            "agency_code": "tw-bo",
            "agency_name": "Bộ Giáo dục",
            "stage": "transferred",
            "updated_at": "2025-05-01",
        },
    ]

    assert agency_name(docs, "hn-sgddt") == "Sở GD&ĐT (tên mới)"
    assert agency_name([], "nb-sgddt") == "nb-sgddt"
    assert unit_agencies(docs) == {"hn-sgddt": "Sở GD&ĐT (tên mới)"}


def test_the_case_file_shows_the_pending_extension_with_the_date_asked_and_the_reason() -> None:
    data = {"opinion_id": "op-1", "tracking_code": "DT-ABC", "status": "accepted", "deadline": "2026-12-10",
            "pending_extension": {"reason": "Cần khảo sát", "requested_at": T0.isoformat(), "new_deadline": "2026-12-20"},
            "pending_reassignment": None, "history": []}  # fmt: skip

    found = case_file(data, TODAY, 3)

    assert found.extension is not None
    assert (found.extension.asked, found.extension.asked_iso, found.extension.reason) == (
        "20/12/2026", "2026-12-20", "Cần khảo sát")  # fmt: skip
    assert found.reassignment is None
    assert not found.may_ask_extension
    assert found.may_ask_reassignment
    assert found.deadline_iso == "2026-12-10"


REPORT = {
    "period": "2026", "start": "2026-01-01", "end": "2026-12-31", "as_of": "2026-12-01",
    "rows": [
        {"agency_code": "nb-sgddt", "agency_name": "Sở Giáo dục và Đào tạo", "assigned": 4, "answered_on_time": 2,
         "answered_late": 1, "open_overdue": 1, "median_working_days": 6.5, "on_time_rate_text": "50.0%",
         "ratings": 2, "average_rating_text": "4.5/5 (2 lượt)"},
        {"agency_code": "nb-syt", "agency_name": "Sở Y tế", "assigned": 1, "answered_on_time": 1, "answered_late": 0,
         "open_overdue": 0, "median_working_days": 3.0, "on_time_rate_text": "100.0%", "ratings": 0,
         "average_rating_text": "—"},
        {"agency_code": "xa-khac", "agency_name": "Phòng Kinh tế xã khác", "assigned": 9, "answered_on_time": 0,
         "answered_late": 0, "open_overdue": 9, "median_working_days": None, "on_time_rate_text": "0.0%",
         "ratings": 0, "average_rating_text": "—"},
    ],
}  # fmt: skip


def test_the_dashboard_keeps_assignment_s_numbers_for_the_scope_only_and_adds_them_up_with_the_same_formula() -> (
    None
):
    board = dashboard(REPORT, ["nb-sgddt", "nb-syt"], {"nb-sgddt": 3})
    alone = dashboard(REPORT, ["nb-sgddt"])

    assert [x.code for x in board.lines] == ["nb-sgddt", "nb-syt"]
    first = board.lines[0]
    assert (first.on_time, first.late, first.open_overdue, first.rate_text, first.median_text) == (
        2, 1, 1, "50.0%", "6,5")  # fmt: skip
    assert first.open_now == 3
    assert board.lines[1].open_now is None
    assert board.total is not None
    assert (board.total.assigned, board.total.on_time, board.total.open_overdue) == (5, 3, 1)
    assert board.total.rate_text == "60.0%"  # 3 on time ÷ (4 answered + 1 open and overdue)
    assert alone.total is None
    assert rate_text(0, 0, 0) == "—"
    assert board.as_of == dt.date(2026, 12, 1)


def test_the_dashboard_offers_this_month_quarter_and_year_in_the_report_s_period_codes() -> None:
    offered = dict(periods(dt.date(2026, 11, 5)))

    assert offered["2026-11"] == "Tháng 11/2026"
    assert offered["2026-Q4"] == "Quý IV/2026"
    assert offered["2026"] == "Năm 2026"
    assert "2025" in offered


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
