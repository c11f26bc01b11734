"""Rich tables and CSV for the assignment commands (Vietnamese headings)."""

from __future__ import annotations

import csv
import io
from typing import Any

from rich.console import Console
from rich.table import Table

from services.cli.timefmt import vn_date, vn_time

STATUS = {
    "triage": "Chờ phân loại",
    "assigned": "Đã giao",
    "accepted": "Đã tiếp nhận",
    "answered": "Đã trả lời",
    "returned": "Bị trả lại",
    "published": "Đã công bố",
    "answered_directly": "Trả lời tại hội nghị",
    "transferred": "Chuyển cấp có thẩm quyền",
}
ACTIONS = {
    "route": "giao tự động",
    "assign": "giao",
    "reassign": "giao lại",
    "accept": "tiếp nhận",
    "request_reassignment": "đề nghị giao lại",
    "submit_answer": "gửi văn bản trả lời",
    "return_answer": "trả lại",
    "reclassify": "phân loại lại",
    "reroute": "giao lại theo lĩnh vực mới",
    "publish": "công bố",
    "answer_directly": "trả lời tại hội nghị",
    "transfer": "chuyển cấp có thẩm quyền",
    "request_extension": "đề nghị gia hạn",
    "approve_extension": "đồng ý gia hạn",
    "refuse_extension": "không đồng ý gia hạn",
    "rate": "đánh giá",
    "triage": "chờ phân loại",
}
TRIAGE_REASONS = {
    "unclassified": "chưa phân loại lĩnh vực",
    "no_agency_for_field": "chưa có cơ quan cho lĩnh vực này",
    "unknown_unit": "không rõ đơn vị hành chính",
    "no_competent_agency": "cấp có thẩm quyền chưa có cơ quan cho lĩnh vực này",
}
TRANSFER_LEVELS = {
    "province": "cấp tỉnh",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "national": "trung ương",
}
REPORT_COLUMNS = [
    ("agency_code", "Mã cơ quan"),
    ("agency_name", "Cơ quan"),
    ("assigned", "Được giao"),
    ("answered_on_time", "Trả lời đúng hạn"),
    ("answered_late", "Trả lời quá hạn"),
    ("open_overdue", "Chưa trả lời, quá hạn"),
    ("median_working_days", "Trung vị ngày làm việc"),
    ("p90_working_days", "Phân vị 90 ngày làm việc"),
    ("max_working_days", "Tối đa ngày làm việc"),
    ("on_time_rate_text", "Tỷ lệ đúng hạn"),
    ("ratings", "Số lượt đánh giá"),
    ("average_rating_text", "Mức độ hài lòng"),
]


def status_of(r: dict[str, Any]) -> str:
    """The status in words; an opinion handed over to the competent level says so."""
    status = STATUS.get(r["status"], r["status"])
    if r.get("transfer_level") and r["status"] != "transferred":
        level = TRANSFER_LEVELS.get(r["transfer_level"], r["transfer_level"])
        status += f" (chuyển {level})"
    return str(status)


def holder_of(r: dict[str, Any]) -> str:
    """Who holds the opinion: its agency, the body it was transferred to, or why it waits in triage."""
    if r.get("agency_name"):
        return str(r["agency_name"])
    if r.get("transfer_body"):
        return str(r["transfer_body"])
    reason = str(r.get("triage_reason") or "")
    return TRIAGE_REASONS.get(reason, reason)


def print_rows(console: Console, title: str, rows: list[dict[str, Any]]) -> None:
    table = Table(title=title)
    for heading in ("Mã theo dõi", "Trạng thái", "Lĩnh vực", "Cơ quan", "Hạn", "Tóm tắt"):
        table.add_column(heading)
    for r in rows:
        deadline = vn_date(r.get("deadline")) + (" [red](quá hạn)[/red]" if r.get("overdue") else "")
        table.add_row(
            r["tracking_code"],
            status_of(r),
            r["field"],
            holder_of(r),
            deadline,
            r["summary"][:80],
        )
    console.print(table)
    console.print(f"{len(rows)} ý kiến.")


def print_detail(console: Console, d: dict[str, Any]) -> None:
    console.print(f"[bold]{d['tracking_code']}[/bold] ({d['opinion_id']}) — {status_of(d)}")
    console.print(d["summary"])
    console.print(f"Cơ quan: {holder_of(d) or '—'}; hạn: {vn_date(d.get('deadline'))}")
    if d.get("answer"):
        console.print(f"Văn bản trả lời {d['answer']['document_number']}: {d['answer']['summary']}")
    if d.get("direct_answer"):
        console.print(f"Trả lời tại hội nghị: {d['direct_answer']['text']}")
    if d.get("rating"):
        console.print(f"Đánh giá: {d['rating']['stars']}/5 {d['rating']['comment']}")
    table = Table(title="Lịch sử xử lý")
    for heading in ("Thời điểm (giờ Việt Nam)", "Thao tác", "Người thực hiện", "Trạng thái"):
        table.add_column(heading)
    for h in d.get("history", []):
        action = ACTIONS.get(h["action"], h["action"])
        table.add_row(vn_time(h["at"]), action, h["by"], STATUS.get(h["status"], h["status"]))
    console.print(table)


def _cell(value: Any) -> str:
    """A table cell as a clerk reads it: working days with the Vietnamese decimal comma (4,5)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _cells(row: dict[str, Any]) -> list[str]:
    return [_cell(row.get(k)) for k, _ in REPORT_COLUMNS]


def print_report(console: Console, data: dict[str, Any]) -> None:
    """One line per agency, then assignment's total (its percentiles pool the agencies' answers)."""
    table = Table(
        title=f"Kết quả trả lời theo cơ quan, kỳ {data['period']} ({vn_date(data['start'])} – {vn_date(data['end'])})"
    )
    for _, heading in REPORT_COLUMNS:
        table.add_column(heading)
    rows = data["rows"]
    for i, row in enumerate(rows):
        table.add_row(*_cells(row), end_section=i == len(rows) - 1)
    if rows and data.get("total"):
        table.add_row(*_cells({**data["total"], "agency_code": "", "agency_name": "Tổng cộng"}))
    console.print(table)


def report_csv(data: dict[str, Any]) -> str:
    """One line per agency and no total line, so that a spreadsheet's sums of the columns stay right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _, heading in REPORT_COLUMNS])
    for row in data["rows"]:
        writer.writerow(["" if row.get(k) is None else row[k] for k, _ in REPORT_COLUMNS])
    return out.getvalue()
