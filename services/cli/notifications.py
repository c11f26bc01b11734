"""``dialogue notifications list|show|resend`` (notification)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from services.cli.client import Payload, build, send_or_exit
from services.cli.timefmt import vn_time
from shared.contracts import notification_commands as nc
from shared.privacy import redact
from shared.subjects import Notification

notifications_app = typer.Typer(help="Thông báo đã gửi, lỗi gửi và gửi lại.", no_args_is_help=True)
console = Console()

STATUS = {
    "intended": "Chờ gửi",
    "sending": "Đang gửi",
    "sent": "Đã gửi",
    "failed_transient": "Lỗi tạm thời, sẽ gửi lại",
    "failed_permanent": "Thất bại",
}
CHANNEL = {"email": "Thư điện tử", "sms": "Tin nhắn", "webhook": "Webhook", "log": "Nhật ký", None: "—"}
DeliveryId = Annotated[str, typer.Argument(help="Mã thông báo (cột 'Mã' của lệnh list).")]


def call(verb: str, payload: Payload) -> Any:
    """Send one command; a refusal is printed as the service's sentence and exits with code 1."""
    return send_or_exit(f"{Notification.CMD}.{verb}", payload, console)


def _status(row: dict[str, Any]) -> str:
    text = str(STATUS.get(row["status"], row["status"]))
    if row.get("failure_code"):
        text += f" ({row['failure_code']})"
    return text


def print_rows(rows: list[dict[str, Any]]) -> None:
    table = Table(title="Thông báo")
    for heading in (
        "Mã",
        "Sự kiện",
        "Kênh",
        "Người nhận",
        "Địa chỉ",
        "Trạng thái",
        "Lần thử",
        "Gửi lúc (giờ Việt Nam)",
    ):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            r["id"],
            r["trigger"],
            CHANNEL.get(r.get("channel"), str(r.get("channel"))),
            f"{r['recipient_name']} ({r['recipient_id']})",
            redact(r.get("address") or "—"),
            _status(r),
            str(r.get("attempts", 0)),
            vn_time(r.get("sent_at")),
        )
    console.print(table)
    console.print(f"{len(rows)} thông báo.")


@notifications_app.command("list")
def list_notifications(
    status: Annotated[
        str | None, typer.Option(help="failed, sent, intended, sending, failed_transient, failed_permanent.")
    ] = None,
    recipient: Annotated[str | None, typer.Option(help="Mã người nhận, ví dụ agency:hn-snv.")] = None,
    trigger: Annotated[str | None, typer.Option(help="Loại thông báo, ví dụ opinion_assigned.")] = None,
    conference: Annotated[
        str | None, typer.Option(help="Chỉ thông báo về hội nghị này và các ý kiến nêu tại đó.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Số dòng tối đa (1–1000).")] = 200,
) -> None:
    """Liệt kê thông báo (lọc theo trạng thái, người nhận, loại, hội nghị)."""
    query = build(
        nc.ListDeliveries,
        status=status,
        recipient=recipient,
        trigger=trigger,
        conference_id=conference,
        limit=limit,
    )
    print_rows(call("list", query))


@notifications_app.command("show")
def show(delivery_id: DeliveryId) -> None:
    """Xem chi tiết một thông báo và các lần gửi."""
    d = call("show", build(nc.ShowDelivery, delivery_id=delivery_id))
    print_rows([d])
    if d.get("failure_message"):
        console.print(f"Lý do: {redact(d['failure_message'])}")
    for h in d.get("history", []):
        console.print(
            f"Lần {h['number']}: {vn_time(h['started_at'])} — {h.get('outcome') or 'chưa có kết quả'}"
            f"{' (' + h['code'] + ')' if h.get('code') else ''}"
        )


@notifications_app.command("resend")
def resend(delivery_id: DeliveryId) -> None:
    """Gửi lại một thông báo (một thông báo mới, mã chống trùng mới)."""
    d = call("resend", build(nc.ResendDelivery, delivery_id=delivery_id))
    colour = "green" if d["status"] == "sent" else "yellow"
    console.print(f"[{colour}]{_status(d)}[/{colour}]: thông báo {d['id']} tới {d['recipient_name']}.")
