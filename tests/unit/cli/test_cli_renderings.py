"""What the CLI prints from the services' replies: the opinion's path, transfers, triage, satisfaction."""

from __future__ import annotations

import csv
import io

import pytest
from rich.console import Console

from services.cli.agency_render import print_detail, print_report, print_rows, report_csv
from services.cli.opinion import print_track

pytestmark = pytest.mark.unit


def printed(render: object, *args: object) -> str:
    console = Console(record=True, width=240, color_system=None)
    render(console, *args)  # type: ignore[operator]
    return console.export_text()


TRACK = {
    "tracking_code": "DT-7K3M-9QX2", "kind": "Kiến nghị", "status": "Đã có kết quả", "status_code": "closed",
    "field": "Giao thông", "submitter": "Nguyễn V. T.", "received": "08:00 ngày 05/12/2026",
    "content": "Sửa tuyến đường liên thôn; gọi [đã ẩn].", "agency": "Sở Xây dựng tỉnh Ninh Bình", "deadline": "",
    "conference_id": "hn-2026-binh-luc", "conference_title": "Hội nghị đối thoại xã Bình Lục",
    "timeline": [
        {"at": "08:00 ngày 05/12/2026", "at_iso": "2026-12-05T01:00:00+00:00", "step": "received",
         "text": "Ý kiến đã được tiếp nhận và cấp mã theo dõi."},
        {"at": "09:30 ngày 05/12/2026", "at_iso": "2026-12-05T02:30:00+00:00", "step": "assigned",
         "text": "Giao Sở Xây dựng tỉnh Ninh Bình trả lời, hạn trả lời 04/01/2027."},
        {"at": "10:00 ngày 20/12/2026", "at_iso": "2026-12-20T03:00:00+00:00", "step": "published",
         "text": "Đã công bố văn bản trả lời số 125/SXD ngày 19/12/2026."},
    ],
    "answer": {"text": "Tuyến đường được sửa trong quý I.", "document_number": "125/SXD",
               "document_date": "19/12/2026", "at": "10:00 ngày 20/12/2026", "direct": False},
    "rated": False, "page": "/tra-cuu/DT-7K3M-9QX2",
}  # fmt: skip


def test_track_prints_the_portal_s_path_in_vietnam_time_with_the_published_answer() -> None:
    text = printed(print_track, TRACK)

    assert text.startswith("DT-7K3M-9QX2 — Kiến nghị: Đã có kết quả")
    assert "Người gửi: Nguyễn V. T." in text
    assert "Nêu tại: Hội nghị đối thoại xã Bình Lục" in text
    assert "Nội dung: Sửa tuyến đường liên thôn; gọi [đã ẩn]." in text  # not swallowed as markup
    assert "Quá trình xử lý" in text
    assert "09:30 ngày 05/12/2026" in text
    assert "Giao Sở Xây dựng tỉnh Ninh Bình trả lời, hạn trả lời 04/01/2027." in text
    assert (
        "Nội dung trả lời đã công bố (văn bản số 125/SXD ngày 19/12/2026): Tuyến đường được sửa trong quý I."
        in text
    )
    assert "Hạn trả lời" not in text.split("Quá trình")[0]  # closed: no deadline left to show
    assert "published" not in text  # step codes are for scripts, not for citizens


def test_track_of_an_opinion_just_received_prints_its_status_and_first_step_only() -> None:
    just = {**TRACK, "status": "Đang xử lý", "status_code": "open", "field": "Đang phân loại", "agency": None,
            "timeline": TRACK["timeline"][:1], "answer": None, "conference_id": None, "conference_title": None}  # fmt: skip
    text = printed(print_track, just)
    assert text.startswith("DT-7K3M-9QX2 — Kiến nghị: Đang xử lý")
    assert "Ý kiến đã được tiếp nhận và cấp mã theo dõi." in text
    assert "Cơ quan trả lời" not in text
    assert "Nêu tại" not in text
    assert "Nội dung trả lời" not in text


ROW = {
    "tracking_code": "DD-0001", "opinion_id": "op-1", "status": "assigned", "field": "planning",
    "agency_name": "Sở Nội vụ tỉnh Ninh Bình", "deadline": "2027-01-04", "overdue": False,
    "summary": "Quy hoạch đất ở", "transfer_level": "province", "transfer_body": "Sở Nội vụ tỉnh Ninh Bình",
}  # fmt: skip


def test_a_transferred_opinion_shows_its_receiving_agency_and_the_level() -> None:
    text = printed(print_rows, "Danh sách", [ROW])
    assert "Đã giao (chuyển cấp tỉnh)" in text
    assert "Sở Nội vụ tỉnh Ninh Bình" in text


def test_an_opinion_in_triage_says_why_in_words() -> None:
    row = {**ROW, "status": "triage", "agency_name": None, "transfer_level": None, "transfer_body": None,
           "triage_reason": "no_competent_agency"}  # fmt: skip
    text = printed(print_rows, "Danh sách", [row])
    assert "cấp có thẩm quyền chưa có cơ quan cho lĩnh vực này" in text
    assert "no_competent_agency" not in text


def test_the_detail_of_a_transfer_names_the_receiving_agency() -> None:
    text = printed(print_detail, {**ROW, "history": []})
    assert "Cơ quan: Sở Nội vụ tỉnh Ninh Bình" in text


REPORT = {
    "period": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31",
    "rows": [{"agency_code": "nb-snv", "agency_name": "Sở Nội vụ", "assigned": 3, "answered_on_time": 2,
              "answered_late": 1, "open_overdue": 0, "median_working_days": 6, "p90_working_days": 13.2,
              "max_working_days": 15.0, "on_time_rate_text": "66,7%", "ratings": 3, "average_rating": 4.33,
              "average_rating_text": "4,3/5 (3 lượt)"}],
    "total": {"agency_code": "", "agency_name": "", "assigned": 3, "answered_on_time": 2, "answered_late": 1,
              "open_overdue": 0, "median_working_days": 6, "p90_working_days": 13.2, "max_working_days": 15.0,
              "on_time_rate_text": "66,7%", "ratings": 3, "average_rating_text": "4,3/5 (3 lượt)"},
}  # fmt: skip
TWO_AGENCIES = {
    **REPORT,
    "rows": [REPORT["rows"][0], {**REPORT["rows"][0], "agency_code": "nb-syt", "agency_name": "Sở Y tế",
                                 "median_working_days": 2.0, "p90_working_days": 2.8, "max_working_days": 3.0}],
    "total": {**REPORT["total"], "median_working_days": 4.5, "p90_working_days": 11.7, "max_working_days": 15.0},
}  # fmt: skip


def test_the_agency_report_shows_p90_and_the_maximum_beside_the_median_in_the_table_and_the_csv() -> None:
    # wide enough for one text line per table row
    wide = Console(record=True, width=400, color_system=None, file=io.StringIO())
    print_report(wide, TWO_AGENCIES)
    lines = wide.export_text().splitlines()
    csv_lines = list(csv.reader(io.StringIO(report_csv(TWO_AGENCIES))))

    assert "Trung vị ngày làm việc ┃ Phân vị 90 ngày làm việc ┃ Tối đa ngày làm việc" in "\n".join(lines)
    (total,) = [line for line in lines if "Tổng cộng" in line]
    assert [cell.strip() for cell in total.split("│")][7:10] == ["4,5", "11,7", "15"]  # decimal comma
    assert csv_lines[0][6:9] == ["Trung vị ngày làm việc", "Phân vị 90 ngày làm việc", "Tối đa ngày làm việc"]
    assert [line[6:9] for line in csv_lines[1:]] == [["6", "13.2", "15.0"], ["2.0", "2.8", "3.0"]]
    assert [line[1] for line in csv_lines[1:]] == ["Sở Nội vụ", "Sở Y tế"]  # no total: column sums stay right


def test_the_agency_report_has_the_satisfaction_columns_in_the_table_and_the_csv() -> None:
    text = printed(print_report, REPORT)
    assert "Mức độ hài lòng" in text
    assert "4,3/5 (3 lượt)" in text
    csv_text = report_csv(REPORT)
    assert csv_text.splitlines()[0].endswith("Số lượt đánh giá,Mức độ hài lòng")
    assert csv_text.splitlines()[1].endswith('3,"4,3/5 (3 lượt)"')  # the decimal comma is quoted


def test_the_conference_report_names_every_late_conclusion() -> None:
    from services.cli.conference_queries import print_conference_report

    data = {
        "date_from": "2026-12-01", "date_to": "2026-12-31", "summary": "1 hội nghị: cấp xã 1",
        "rows": [{"level": "commune", "level_label": "cấp xã", "state": "held", "state_label": "Đã tổ chức",
                  "count": 1}],
        "conclusions_late": [{"conference_id": "c-1", "title": "Hội nghị đối thoại xã Bình Lục",
                              "conclusion_due": "2026-12-19"}],
    }  # fmt: skip
    text = printed(print_conference_report, data)
    assert "1 hội nghị có thông báo kết luận trễ hạn" in text
    assert "Hội nghị đối thoại xã Bình Lục (c-1), hạn 19/12/2026" in text
    assert "01/12/2026" in text  # the period in Vietnamese dates (the title wraps to the table)
