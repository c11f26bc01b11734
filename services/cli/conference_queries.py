"""``dialogue conference list|show|compliance`` and ``dialogue report conferences`` (scheduling queries)."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from services.cli.client import FORMATS, YEARS, build, one_of
from services.cli.conference import Id, console, send
from services.cli.report import report_app
from services.cli.timefmt import vn_date
from services.cli.units import check_level
from shared.contracts import scheduling_commands as sc
from shared.timeutil import VN_TZ

LEVELS = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
FORMATS_VN = {"in_person": "trực tiếp", "online": "trực tuyến", "hybrid": "kết hợp"}
GROUPS = {
    "cadres_party_members": "cán bộ, đảng viên",
    "citizens": "nhân dân",
    "youth_union_members": "đoàn viên thanh niên",
}
RECORD = {
    "attendee_count": "Số người tham dự",
    "opinion_count": "Số ý kiến, kiến nghị",
    "held_at": "Tổ chức lúc",
    "conclusion_summary": "Tóm tắt kết luận",
    "conclusion_document": "Văn bản kết luận",
    "concluded_at": "Kết luận lúc",
    "closed_at": "Đóng hồ sơ lúc",
    "postponed_reason": "Lý do tạm hoãn",
    "cancelled_reason": "Lý do hủy",
}
STAMPS = {
    "announced_at": "Công bố lúc",
    "held_at": "Tổ chức lúc",
    "concluded_at": "Kết luận lúc",
    "closed_at": "Đóng hồ sơ lúc",
    "cancelled_at": "Hủy lúc",
}
ACTIONS = {
    "announce": "công bố",
    "reschedule": "đổi lịch",
    "postpone": "tạm hoãn",
    "cancel": "hủy",
    "hold": "ghi nhận đã tổ chức",
    "conclude": "ghi nhận kết luận",
    "close": "đóng hồ sơ",
}

# Added to ``dialogue conference`` without a name of its own: its commands join the group's.
conference_queries_app = typer.Typer()


def _local(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if iso else ""


@conference_queries_app.command("list")
def list_(
    unit: Annotated[str | None, typer.Option(help="Mã đơn vị.")] = None,
    level: Annotated[str | None, typer.Option(help="province | district | commune.")] = None,
    state: Annotated[str | None, typer.Option(help="planned, announced, held, concluded, closed...")] = None,
    year: Annotated[int | None, typer.Option(**YEARS, help="Năm chương trình.")] = None,
) -> None:
    """Danh sách hội nghị."""
    check_level(console, level)
    rows = send("list", build(sc.ListConferences, unit=unit, level=level, state=state, year=year))
    table = Table(title=f"{len(rows)} hội nghị")
    for column in ("Mã", "Tên", "Đơn vị", "Bắt đầu", "Trạng thái", "Hạn kết luận"):
        table.add_column(column)
    for r in rows:
        due = vn_date(r["conclusion_due"]) + (" (trễ)" if r["conclusion_late"] else "")
        table.add_row(
            r["conference_id"], r["title"], r["unit_name"], _local(r["starts_at"]), r["state_label"], due
        )
    console.print(table)


@conference_queries_app.command()
def show(conference_id: Id) -> None:
    """Chi tiết một hội nghị."""
    data = send("show", build(sc.ShowConference, conference_id=conference_id))
    table = Table(title=f"Hội nghị {conference_id}", show_header=False)
    table.add_column("Mục")
    table.add_column("Giá trị")
    due = vn_date(data.get("conclusion_due")) + (" (trễ hạn)" if data.get("conclusion_late") else "")
    rows = [
        ("Tên hội nghị", data.get("title")),
        ("Đơn vị chủ trì", data.get("unit_name")),
        ("Cấp", data.get("level_label") or LEVELS.get(data.get("level") or "", data.get("level"))),
        ("Trạng thái", data.get("state_label")),
        ("Hình thức", FORMATS_VN.get(data.get("format") or "", data.get("format"))),
        ("Địa điểm", data.get("venue")),
        ("Đường dẫn trực tuyến", data.get("link")),
        ("Bắt đầu (giờ Việt Nam)", _local(data["starts_at"])),
        ("Kết thúc (giờ Việt Nam)", _local(data["ends_at"])),
        ("Người chủ trì", "; ".join(f"{c['name']} ({c['title']})" for c in data["chairs"])),
        ("Đối tượng tham dự", ", ".join(GROUPS.get(g, g) for g in data["participant_groups"])),
        ("Hạn văn bản kết luận", due),
        ("Đơn vị phối hợp", ", ".join(data.get("co_organisers") or [])),
        ("Nội dung, chủ đề", "; ".join(data.get("agenda_topics") or [])),
        ("Lý do tạm hoãn, hủy", data.get("reason")),
    ]
    for key, label in STAMPS.items():
        if data.get(key):
            rows.append((label, _local(data[key])))
    for key, value in data["record"].items():
        if value is not None:
            rows.append((RECORD.get(key, key), _local(value) if key.endswith("_at") else value))
    rows.append(("Thao tác tiếp theo", ", ".join(ACTIONS.get(a, a) for a in data["allowed_actions"])))
    for label, value in rows:
        table.add_row(label, str(value or "—"))
    console.print(table)


@conference_queries_app.command()
def compliance(year: Annotated[int, typer.Option(**YEARS, help="Năm cần kiểm tra.")]) -> None:
    """Đơn vị chưa tổ chức đủ số hội nghị tối thiểu trong năm."""
    gaps = send("compliance", build(sc.CheckCompliance, year=year))
    if not gaps:
        console.print(f"[green]Năm {year}: mọi đơn vị đã tổ chức đủ hội nghị đối thoại.[/green]")
        return
    table = Table(title=f"Năm {year}: {len(gaps)} đơn vị chưa đủ hội nghị đối thoại")
    for column in ("Mã", "Đơn vị", "Yêu cầu", "Đã tổ chức", "Còn thiếu"):
        table.add_column(column)
    for g in gaps:
        table.add_row(g["unit_code"], g["unit_name"], str(g["required"]), str(g["held"]), str(g["missing"]))
    console.print(table)


@report_app.command("conferences")
def report_conferences(
    date_from: Annotated[str, typer.Option("--from", help="Từ ngày (YYYY-MM-DD).")],
    date_to: Annotated[str, typer.Option("--to", help="Đến ngày (YYYY-MM-DD).")],
    level: Annotated[str | None, typer.Option(help="Chỉ một cấp: province | district | commune.")] = None,
    output: Annotated[str, typer.Option("--format", help="table | csv.")] = "table",
) -> None:
    """Số hội nghị theo cấp và trạng thái."""
    one_of(console, "--format", output, FORMATS)
    check_level(console, level)
    data = send("report", build(sc.ReportConferences, date_from=date_from, date_to=date_to, level=level))
    if output == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["level", "state", "count"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(data["rows"])
        return
    print_conference_report(console, data)


def print_conference_report(console: Console, data: dict[str, Any]) -> None:
    """Counts by level and state, then every conference whose conclusion notice is late."""
    console.print(data["summary"])
    table = Table(title=f"Hội nghị từ {vn_date(data['date_from'])} đến {vn_date(data['date_to'])}")
    for column in ("Cấp", "Trạng thái", "Số lượng"):
        table.add_column(column)
    for row in data["rows"]:
        table.add_row(
            row.get("level_label", row["level"]), row.get("state_label", row["state"]), str(row["count"])
        )
    console.print(table)
    late = data.get("conclusions_late") or []
    if late:
        console.print(f"[red]{len(late)} hội nghị có thông báo kết luận trễ hạn:[/red]")
        for c in late:
            console.print(f"  • {c['title']} ({c['conference_id']}), hạn {vn_date(c['conclusion_due'])}")
