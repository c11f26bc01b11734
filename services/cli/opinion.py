"""``dialogue opinion ...`` and ``dialogue report opinions`` (intake; ``track`` asks the portal); phone and ID numbers masked."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from services.cli.client import FORMATS, Payload, build, one_of, send_or_exit
from services.cli.report import report_app
from services.cli.timefmt import vn_date, vn_time
from shared.contracts import intake_commands as ic
from shared.contracts.portal_commands import PORTAL_CMD
from shared.ids import new_id
from shared.privacy import mask_phone, redact
from shared.subjects import Intake

opinion_app = typer.Typer(
    help="Ý kiến, kiến nghị của nhân dân: tiếp nhận, tra cứu, phân loại.", no_args_is_help=True
)
console = Console()

Key = Annotated[str, typer.Argument(help="Mã ý kiến hoặc mã theo dõi (ví dụ DT-7K3M-9QX2).")]
STATUS = {"classified": "đã phân loại", "reclassified": "đã phân loại lại", "unclassified": "chờ phân loại"}
ACTIONS = {"classified": "phân loại", "reclassified": "phân loại lại", "grouped": "gộp nhóm vấn đề"}
KINDS = {"opinion": "ý kiến", "recommendation": "kiến nghị", "proposal": "đề xuất", "feedback": "phản ánh"}


def call(verb: str, payload: Payload) -> Any:
    """Send one command; a refusal is printed as the service's sentence and exits with code 1."""
    return send_or_exit(f"{Intake.CMD}.{verb}", payload, console)


@opinion_app.command()
def submit(
    content: Annotated[str, typer.Option("--content", help="Nội dung ý kiến (tiếng Việt).")],
    name: Annotated[str, typer.Option("--name", help="Họ tên người nêu ý kiến.")],
    conference: Annotated[
        str | None, typer.Option("--conference", help="Mã hội nghị, nếu nêu tại hội nghị.")
    ] = None,
    kind: Annotated[str, typer.Option(help="opinion | recommendation | proposal | feedback")] = "opinion",
    channel: Annotated[str, typer.Option(help="conference | written_petition | hotline")] = "conference",
    role: Annotated[
        str, typer.Option(help="cadre | party_member | citizen | youth_member | other")
    ] = "citizen",
    residence: Annotated[str, typer.Option(help="Nơi cư trú, ví dụ 'thôn An Bài 1, xã Đồng Du'.")] = "",
    phone: Annotated[str | None, typer.Option(help="Số điện thoại (chỉ lưu tại bộ phận tiếp nhận).")] = None,
    email: Annotated[str | None, typer.Option(help="Thư điện tử để nhận trả lời.")] = None,
    consent: Annotated[bool, typer.Option(help="Người nêu ý kiến đồng ý được liên hệ.")] = False,
    external_id: Annotated[
        str | None, typer.Option(help="Mã phiếu; gửi lại cùng mã không tạo ý kiến mới.")
    ] = None,
) -> None:
    """Tiếp nhận một ý kiến tại bàn tiếp nhận của hội nghị, đơn thư hoặc đường dây nóng."""
    # A dict, validated as part of the submission: a refusal then names "submitter.name" as intake's would.
    submitter = {"name": name, "role": role, "residence": residence, "consent_to_contact": consent}
    submitter |= {key: value for key, value in (("phone", phone), ("email", email)) if value}
    opinion = build(
        ic.SubmitDeskOpinion,
        external_id=external_id or f"desk-{new_id()}",
        kind=kind,
        content=content,
        submitter=submitter,
        channel=channel,
        conference_id=conference or None,
    )
    data = call("submit", opinion)
    again = " (đã tiếp nhận trước đó)" if data.get("duplicate") else ""
    console.print(
        f"[green]Đã tiếp nhận ý kiến{again}: mã theo dõi [bold]{data['tracking_code']}[/bold], "
        f"lĩnh vực “{data['field_name']}”, hạn thông báo tiếp nhận {vn_date(data['acknowledgement_due'])}.[/green]"
    )


@opinion_app.command("list")
def list_opinions(
    conference: Annotated[str | None, typer.Option("--conference", help="Mã hội nghị.")] = None,
    field: Annotated[str | None, typer.Option("--field", help="Mã lĩnh vực, ví dụ land.")] = None,
    status: Annotated[str | None, typer.Option(help="classified | reclassified | unclassified")] = None,
) -> None:
    """Danh sách ý kiến theo hội nghị, lĩnh vực, trạng thái."""
    query = build(
        ic.ListOpinions, conference_id=conference or None, field=field or None, status=status or None
    )
    rows = call("list", query)
    table = Table(title=f"{len(rows)} ý kiến")
    for column in ("Mã theo dõi", "Loại", "Lĩnh vực", "Trạng thái", "Người nêu", "Nội dung"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["tracking_code"],
            KINDS.get(row["kind"], row["kind"]),
            row["field_name"],
            STATUS.get(row["status"], row["status"]),
            row["submitter_name"],
            redact(row["content"])[:80],
        )
    console.print(table)


@opinion_app.command()
def show(key: Key) -> None:
    """Chi tiết một ý kiến và lịch sử phân loại."""
    data = call("show", build(ic.ShowOpinion, id=key))
    who = data["submitter"]
    table = Table(title=f"Ý kiến {data['tracking_code']}", show_header=False)
    table.add_column("Mục")
    table.add_column("Giá trị")
    rows = [
        ("Loại", KINDS.get(data["kind"], data["kind"])),
        ("Nội dung", redact(data["content"])),
        ("Người nêu", f"{who['name']} ({who['residence'] or 'không rõ nơi cư trú'})"),
        ("Điện thoại", mask_phone(who["phone"]) if who.get("phone") else "—"),
        ("Đồng ý liên hệ", "có" if who.get("consent_to_contact") else "không"),
        ("Hội nghị", data.get("conference_id") or "—"),
        ("Lĩnh vực", f"{data['field_name']} ({STATUS.get(data['status'], data['status'])})"),
        ("Nhóm vấn đề", data.get("topic_group_id") or "—"),
        ("Tiếp nhận lúc (giờ Việt Nam)", vn_time(data["received_at"])),
        (
            "Hạn thông báo tiếp nhận",
            f"{vn_date(data['acknowledgement_due'])} ({data['acknowledgement_rule']})",
        ),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)
    history = Table(title="Lịch sử")
    for column in ("Thời điểm", "Người thực hiện", "Thao tác", "Lĩnh vực / nhóm", "Lý do"):
        history.add_column(column)
    for entry in data["history"]:
        target = entry.get("field") or entry.get("group_id") or ""
        action = ACTIONS.get(entry["action"], entry["action"])
        by = "quy tắc tự động" if entry["by"] == "rules" else entry["by"]
        history.add_row(vn_time(entry["at"]), by, action, target, redact(entry["reason"]))
    console.print(history)


@opinion_app.command()
def reclassify(
    key: Key,
    field: Annotated[str, typer.Option("--field", help="Mã lĩnh vực mới.")],
    by: Annotated[str, typer.Option("--by", help="Người phân loại lại.")],
    reason: Annotated[str, typer.Option("--reason", help="Lý do phân loại lại.")],
    command_id: Annotated[str | None, typer.Option(help="Mã lệnh; gửi lại cùng mã không đổi gì.")] = None,
) -> None:
    """Chuyển ý kiến sang lĩnh vực khác (được ghi vào lịch sử)."""
    change = build(
        ic.ReclassifyOpinion,
        id=key,
        field=field,
        by=by,
        reason=reason,
        command_id=command_id or new_id(),
    )
    data = call("reclassify", change)
    console.print(
        f"[green]Ý kiến {data['tracking_code']} đã chuyển sang lĩnh vực “{data['field_name']}”.[/green]"
    )


@opinion_app.command()
def track(code: Annotated[str, typer.Argument(help="Mã theo dõi, ví dụ DT-7K3M-9QX2.")]) -> None:
    """Tra cứu tình trạng ý kiến theo mã theo dõi: đúng những gì trang tra cứu của cổng hiển thị."""
    # The portal answers from the read model its tracking page shows (/tra-cuu/<code>), so the
    # operator and the citizen see the same path; nothing personal is in it but the masked name.
    data = send_or_exit(f"{PORTAL_CMD}.track", build(ic.TrackOpinion, tracking_code=code), console)
    print_track(console, data)


def print_track(console: Console, data: dict[str, Any]) -> None:
    """The opinion's public status, facts, path and published answer, in Vietnamese."""
    console.print(
        f"[bold]{escape(data['tracking_code'])}[/bold] — {escape(data['kind'])}: {escape(data['status'])}"
    )
    facts = [
        ("Người gửi", data.get("submitter")),
        ("Ngày tiếp nhận", data.get("received")),
        ("Lĩnh vực", data.get("field")),
        ("Cơ quan trả lời", data.get("agency")),
        ("Hạn trả lời", data.get("deadline")),
        ("Nêu tại", data.get("conference_title") or data.get("conference_id")),
    ]
    for label, value in facts:
        if value:
            console.print(f"{label}: {escape(str(value))}")
    if data.get("content"):
        console.print(f"Nội dung: {escape(data['content'])}")
    if data.get("timeline"):
        table = Table(title="Quá trình xử lý")
        table.add_column("Thời gian (giờ Việt Nam)")
        table.add_column("Diễn biến")
        for step in data["timeline"]:
            table.add_row(escape(step["at"]), escape(step["text"]))
        console.print(table)
    answer = data.get("answer")
    if answer:
        where = "Trả lời tại hội nghị" if answer.get("direct") else "Nội dung trả lời đã công bố"
        number = answer.get("document_number")
        document = f" (văn bản số {number} ngày {answer.get('document_date')})" if number else ""
        console.print(escape(f"{where}{document}: {answer.get('text', '')}"))


def report_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nhom_van_de", "linh_vuc", "so_y_kien", "ma_theo_doi", "noi_dung_tieu_bieu"])
    for group in data["groups"]:
        writer.writerow(
            [
                group["group_id"],
                group["field_name"],
                group["opinions"],
                " ".join(group["tracking_codes"]),
                group["sample"],
            ]
        )
    return out.getvalue()


@report_app.command("opinions")
def report_opinions(
    conference: Annotated[str | None, typer.Option("--conference", help="Mã hội nghị.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Từ ngày (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Đến ngày (YYYY-MM-DD).")] = None,
    output: Annotated[str, typer.Option("--format", help="table | csv")] = "table",
) -> None:
    """Ý kiến theo lĩnh vực và nhóm vấn đề, của một hội nghị hoặc một khoảng thời gian."""
    one_of(console, "--format", output, FORMATS)
    # "from" and "to" are the contract's names on the wire (aliases), not Python keywords.
    period = {"conference_id": conference} if conference else {"from": start or "", "to": end or ""}
    data = call("report", build(ic.ReportOpinions.model_validate, period))
    if output == "csv":
        typer.echo(report_csv(data), nl=False)
        return
    table = Table(title=data["sentence"])
    for column in ("Lĩnh vực", "Số ý kiến", "Số nhóm vấn đề"):
        table.add_column(column)
    for row in data["fields"]:
        table.add_row(row["field_name"], str(row["opinions"]), str(row["topics"]))
    console.print(table)
