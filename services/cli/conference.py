"""``dialogue conference ...`` and ``dialogue report conferences`` (scheduling).

Dates are typed in Asia/Ho_Chi_Minh ("2026-12-05 08:00"); every command gets a fresh command id
unless ``--command-id`` repeats one (a repeat replays the first answer instead of acting twice).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import uuid
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from services.cli.client import send_or_exit
from services.cli.report import report_app
from shared.subjects import Scheduling, cmd
from shared.timeutil import VN_TZ

conference_app = typer.Typer(
    help="Hội nghị đối thoại: lập kế hoạch, công bố, tổ chức, kết luận.", no_args_is_help=True
)
console = Console()

Id = Annotated[str, typer.Argument(help="Mã hội nghị.")]
At = Annotated[
    str | None, typer.Option("--at", help="Thời điểm thực hiện thực tế (giờ Việt Nam), mặc định là bây giờ.")
]
CommandId = Annotated[str | None, typer.Option(help="Mã lệnh; gửi lại cùng mã thì không thực hiện hai lần.")]
Override = Annotated[bool, typer.Option(help="Chấp nhận trùng lịch người chủ trì hoặc địa điểm.")]


def _when(text: str, option: str) -> str:
    """A Vietnam-time date or datetime as ISO with its offset."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        console.print(f"[red]{option} '{text}' không đúng dạng; hãy nhập như 2026-12-05 08:00.[/red]")
        raise typer.Exit(2) from None
    return (value if value.tzinfo else value.replace(tzinfo=VN_TZ)).isoformat()


def _send(verb: str, payload: dict[str, Any]) -> Any:
    return send_or_exit(cmd(Scheduling.CMD, verb), payload, console)


def _act(verb: str, conference_id: str | None, at: str | None, command_id: str | None, **fields: Any) -> None:
    payload: dict[str, Any] = {"command_id": command_id or f"cli-{verb}-{uuid.uuid4()}", **fields}
    if conference_id is not None:
        payload["conference_id"] = conference_id
    if at:
        payload["effective_at"] = _when(at, "--at")
    data = _send(verb, payload)
    state = data.get("state_label", data.get("state"))
    console.print(f"[green]Xong:[/green] hội nghị {data['conference_id']} ({data['title']}) — {state}.")


def _chair(text: str) -> dict[str, str]:
    name, sep, title = text.partition("|")
    if not sep:
        console.print(f"[red]Người chủ trì '{text}' cần dạng 'Họ tên|Chức vụ'.[/red]")
        raise typer.Exit(2)
    return {"name": name.strip(), "title": title.strip()}


@conference_app.command()
def plan(
    title: Annotated[str, typer.Option(help="Tên hội nghị.")],
    unit: Annotated[str, typer.Option(help="Mã đơn vị chủ trì, ví dụ binh-luc-xa.")],
    start: Annotated[str, typer.Option(help="Bắt đầu (giờ Việt Nam), ví dụ '2026-12-05 08:00'.")],
    end: Annotated[str, typer.Option(help="Kết thúc (giờ Việt Nam).")],
    chair: Annotated[list[str], typer.Option(help="Người chủ trì 'Họ tên|Chức vụ' (lặp lại được).")],
    group: Annotated[
        list[str], typer.Option(help="Đối tượng: cadres_party_members, citizens, youth_union_members...")
    ],
    venue: Annotated[str | None, typer.Option(help="Địa điểm (trực tiếp, kết hợp).")] = None,
    link: Annotated[str | None, typer.Option(help="Đường dẫn (trực tuyến, kết hợp).")] = None,
    format: Annotated[str, typer.Option(help="in_person | online | hybrid.")] = "in_person",
    co_organiser: Annotated[list[str] | None, typer.Option(help="Đơn vị phối hợp (lặp lại được).")] = None,
    topic: Annotated[list[str] | None, typer.Option(help="Nội dung, chủ đề (lặp lại được).")] = None,
    trigger: Annotated[
        str, typer.Option(help="annual_programme | voter_request | ad_hoc.")
    ] = "annual_programme",
    voter_percent: Annotated[float | None, typer.Option(help="Tỷ lệ cử tri đề nghị (%).")] = None,
    expected: Annotated[int | None, typer.Option(help="Số người dự kiến tham dự.")] = None,
    conference_id: Annotated[str | None, typer.Option("--id", help="Mã hội nghị (mặc định tự sinh).")] = None,
    override: Override = False,
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Lập kế hoạch một hội nghị đối thoại."""
    _act("plan", conference_id, at, command_id, title=title, unit_code=unit,
         starts_at=_when(start, "--start"), ends_at=_when(end, "--end"), chairs=[_chair(c) for c in chair],
         participant_groups=group, venue=venue, link=link, format=format, co_organisers=co_organiser or [],
         agenda_topics=topic or [], trigger=trigger, voter_request_percent=voter_percent,
         expected_attendance=expected, override=override)  # fmt: skip


@conference_app.command()
def announce(conference_id: Id, at: At = None, command_id: CommandId = None) -> None:
    """Công bố hội nghị (ít nhất 7 ngày trước ngày diễn ra)."""
    _act("announce", conference_id, at, command_id)


@conference_app.command()
def reschedule(
    conference_id: Id,
    start: Annotated[str, typer.Option(help="Bắt đầu mới (giờ Việt Nam).")],
    end: Annotated[str, typer.Option(help="Kết thúc mới (giờ Việt Nam).")],
    override: Override = False,
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Đổi lịch hội nghị (cũng dùng để đưa hội nghị tạm hoãn trở lại)."""
    _act("reschedule", conference_id, at, command_id, starts_at=_when(start, "--start"),
         ends_at=_when(end, "--end"), override=override)  # fmt: skip


@conference_app.command()
def postpone(
    conference_id: Id, reason: Annotated[str, typer.Option(help="Lý do tạm hoãn.")], at: At = None,
    command_id: CommandId = None,
) -> None:  # fmt: skip
    """Tạm hoãn hội nghị."""
    _act("postpone", conference_id, at, command_id, reason=reason)


@conference_app.command()
def cancel(
    conference_id: Id, reason: Annotated[str, typer.Option(help="Lý do hủy.")], at: At = None,
    command_id: CommandId = None,
) -> None:  # fmt: skip
    """Hủy hội nghị."""
    _act("cancel", conference_id, at, command_id, reason=reason)


@conference_app.command()
def hold(
    conference_id: Id,
    attendees: Annotated[int, typer.Option(help="Số người tham dự.")],
    opinions: Annotated[int, typer.Option(help="Số ý kiến, kiến nghị.")],
    held_at: Annotated[str | None, typer.Option(help="Thời điểm tổ chức; mặc định giờ bắt đầu.")] = None,
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Ghi nhận hội nghị đã được tổ chức."""
    extra = {"held_at": _when(held_at, "--held-at")} if held_at else {}
    _act("hold", conference_id, at, command_id, attendee_count=attendees, opinion_count=opinions, **extra)


@conference_app.command()
def conclude(
    conference_id: Id,
    summary: Annotated[str, typer.Option(help="Tóm tắt kết luận của người chủ trì.")],
    document: Annotated[str, typer.Option(help="Số hoặc đường dẫn văn bản kết luận.")],
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Ghi nhận văn bản kết luận (hạn 10 ngày sau hội nghị)."""
    _act("conclude", conference_id, at, command_id, summary=summary, document=document)


@conference_app.command()
def close(conference_id: Id, at: At = None, command_id: CommandId = None) -> None:
    """Đóng hồ sơ hội nghị."""
    _act("close", conference_id, at, command_id)


def _local(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if iso else ""


@conference_app.command("list")
def list_(
    unit: Annotated[str | None, typer.Option(help="Mã đơn vị.")] = None,
    level: Annotated[str | None, typer.Option(help="province | district | commune.")] = None,
    state: Annotated[str | None, typer.Option(help="planned, announced, held, concluded, closed...")] = None,
    year: Annotated[int | None, typer.Option(help="Năm chương trình.")] = None,
) -> None:
    """Danh sách hội nghị."""
    rows = _send("list", {"unit": unit, "level": level, "state": state, "year": year})
    table = Table(title=f"{len(rows)} hội nghị")
    for column in ("Mã", "Tên", "Đơn vị", "Bắt đầu", "Trạng thái", "Hạn kết luận"):
        table.add_column(column)
    for r in rows:
        due = (r["conclusion_due"] or "") + (" (trễ)" if r["conclusion_late"] else "")
        table.add_row(
            r["conference_id"], r["title"], r["unit_name"], _local(r["starts_at"]), r["state_label"], due
        )
    console.print(table)


@conference_app.command()
def show(conference_id: Id) -> None:
    """Chi tiết một hội nghị."""
    data = _send("show", {"conference_id": conference_id})
    table = Table(title=f"Hội nghị {conference_id}", show_header=False)
    table.add_column("Trường")
    table.add_column("Giá trị")
    for key in ("title", "unit_name", "level", "state_label", "format", "venue", "link", "conclusion_due"):
        table.add_row(key, str(data.get(key) or ""))
    table.add_row("starts_at", _local(data["starts_at"]))
    table.add_row("ends_at", _local(data["ends_at"]))
    table.add_row("chairs", "; ".join(f"{c['name']} ({c['title']})" for c in data["chairs"]))
    table.add_row("participant_groups", ", ".join(data["participant_groups"]))
    table.add_row("record", ", ".join(f"{k}: {v}" for k, v in data["record"].items() if v is not None))
    table.add_row("allowed_actions", ", ".join(data["allowed_actions"]))
    console.print(table)


@conference_app.command()
def compliance(year: Annotated[int, typer.Option(help="Năm cần kiểm tra.")]) -> None:
    """Đơn vị chưa tổ chức đủ số hội nghị tối thiểu trong năm."""
    gaps = _send("compliance", {"year": year})
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
    data = _send("report", {"from": date_from, "to": date_to, "level": level})
    if output == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["level", "state", "count"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(data["rows"])
        return
    console.print(data["summary"])
    table = Table(title=f"Hội nghị từ {date_from} đến {date_to}")
    for column in ("Cấp", "Trạng thái", "Số lượng"):
        table.add_column(column)
    for row in data["rows"]:
        table.add_row(
            row.get("level_label", row["level"]), row.get("state_label", row["state"]), str(row["count"])
        )
    console.print(table)
