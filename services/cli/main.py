"""The ``dialogue`` command: run the services and operate them (messages in Vietnamese)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from services.cli.agency import assignment_app, conclusion_app
from services.cli.asyncapi import asyncapi as asyncapi_command
from services.cli.client import CommandFailed, refuse
from services.cli.client import run as run_quietly
from services.cli.conference import conference_app
from services.cli.conference_queries import conference_queries_app
from services.cli.notifications import notifications_app
from services.cli.opinion import opinion_app
from services.cli.portal_users import portal_app
from services.cli.report import report_app
from services.cli.stack import StackError, stack_from_env
from services.cli.units import units as units_command
from services.cli.usage import VietnameseGroup, translate_help
from shared import refusals
from shared.settings import SERVICES

translate_help()
app = typer.Typer(
    cls=VietnameseGroup,
    help="Nền tảng hội nghị đối thoại: chạy và vận hành các dịch vụ.",
    no_args_is_help=True,
    add_completion=False,
)
conference_app.add_typer(conference_queries_app)
app.add_typer(conference_app, name="conference")
app.add_typer(opinion_app, name="opinion")
app.add_typer(assignment_app, name="assignment")
app.add_typer(conclusion_app, name="conclusion")
app.add_typer(notifications_app, name="notifications")
app.add_typer(report_app, name="report")
app.add_typer(portal_app, name="portal")
app.command(name="asyncapi")(asyncapi_command)
app.command(name="units")(units_command)
console = Console()


@app.command()
def run(
    service: Annotated[str, typer.Argument(help=" | ".join(SERVICES))],
) -> None:
    """Chạy một dịch vụ (dùng trong container)."""
    from services.cli.runner import serve

    if service not in SERVICES:
        refuse(console, refusals.invalid_value("service", SERVICES), 2)
    status = asyncio.run(serve(service))
    if status:
        raise typer.Exit(status)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A stop signal arrived (SIGINT, SIGTERM or SIGHUP): the stack is taken down, then the command ends.

    A ``KeyboardInterrupt``: asyncio lets only that (and ``SystemExit``) out of a callback or a task
    step. Any other exception raised by the signal handler while the demo's event loop runs a
    callback (a socket read, a future's done-callback) goes to the loop's exception handler, and the
    signal would be lost.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP stop ``dialogue up`` as Ctrl-C does (by default they would kill it at once)."""

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, stop)


def _ignore_signals() -> None:
    """While the stack stops, a second signal must not interrupt the stopping (children would stay)."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Phát lại kịch bản hội nghị Đồng Du sau khi khởi động.")] = False,
    once: Annotated[bool, typer.Option(help="Thoát sau khi in tóm tắt (dùng cho script).")] = False,
    data_dir: Annotated[Path, typer.Option(help="Thư mục dữ liệu (NATS, SQLite, nhật ký).")] = Path("var"),
) -> None:
    """Chạy toàn bộ hệ thống cục bộ: NATS nhúng, bốn dịch vụ và cổng thông tin (dừng bằng Ctrl-C, SIGTERM hoặc SIGHUP)."""
    stack = stack_from_env(data_dir)
    _stop_on_signals()
    try:
        try:
            stack.start()
        except StackError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        table = Table(title="Hệ thống đã sẵn sàng")
        table.add_column("Dịch vụ")
        table.add_column("Số liệu (Prometheus)")
        for name, port in stack.http_ports.items():
            table.add_row(name, f"http://127.0.0.1:{port}/metrics")
        table.add_row(
            "nats-server", f"{stack.nats_url} (giám sát http://127.0.0.1:{stack.nats_monitor_port})"
        )
        console.print(table)
        console.print(
            f"Cổng thông tin cho người dân (tra cứu, đánh giá, Open311): [bold]{stack.portal_url}[/bold]"
        )
        if demo:
            try:
                _print_demo(stack.nats_url, stack.data_dir)
            except (StackError, CommandFailed) as exc:
                console.print(f"[red]{exc}[/red]")
                raise typer.Exit(1) from exc
        if once:
            return
        console.print("Nhấn Ctrl-C để dừng.")
        while all(child.poll() is None for child in stack.children.values()):
            time.sleep(0.5)
        console.print("[red]Một dịch vụ đã dừng bất thường; xem log trong thư mục dữ liệu.[/red]")
        raise typer.Exit(1)
    except (KeyboardInterrupt, Stopped) as exc:
        name = exc.args[0] if isinstance(exc, Stopped) else "SIGINT"
        console.print(f"Đang dừng ({name})...")
    finally:
        _ignore_signals()
        stack.stop()


@app.command()
def demo(
    output_dir: Annotated[Path, typer.Option(help="Thư mục ghi văn bản kết luận (DOCX, Markdown).")] = Path(
        "."
    ),
    source_user: Annotated[
        str | None, typer.Option(help="Người dùng NATS của hệ thống gửi ý kiến (trong triển khai: external).")
    ] = None,
    source_password_file: Annotated[
        Path | None,
        typer.Option(help="Tệp mật khẩu của người dùng đó (ví dụ secrets/nats_external_password)."),
    ] = None,
) -> None:
    """Phát lại kịch bản hội nghị Đồng Du trên hệ thống đang chạy (kết nối theo DIALOGUE_NATS_*)."""
    from services.cli.client import operator_settings

    operator = operator_settings()
    source = None
    if source_user:
        source = operator.model_copy(
            update={
                "nats_user": source_user,
                "nats_password_file": source_password_file,
                "nats_password": None,
            }
        )
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        _print_demo(operator.nats_url, output_dir, operator=operator, source=source)
    except (StackError, CommandFailed) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    except OSError as exc:
        console.print(
            f"[red]Không ghi được vào thư mục {output_dir} ({exc.strerror}); chọn --output-dir khác.[/red]"
        )
        raise typer.Exit(1) from exc


def _print_demo(nats_url: str, data_dir: Path, **logins: Any) -> None:
    from collections import Counter

    from services.cli.agency_render import STATUS, holder_of, status_of
    from services.cli.demo import run_demo
    from services.cli.timefmt import vn_date, vn_time

    run = run_quietly(run_demo(nats_url, data_dir, **logins))
    seed, current = run.seed, run.current
    console.print(f"[bold]Hội nghị {seed.conference_id}[/bold] — trạng thái: {seed.conference_state}")
    console.print(
        f"Tiếp nhận {len(seed.accepted)} ý kiến qua cổng thông tin, {len(seed.rejected)} bị từ chối; "
        f"{seed.topics_sentence}."
    )
    by_status = Counter(STATUS.get(a["status"], a["status"]) for a in seed.assignments)
    console.print(
        "Xử lý: " + "; ".join(f"{name}: {count}" for name, count in sorted(by_status.items())) + "."
    )
    _print_notices(seed.notifications, data_dir / "notifications.log")
    console.print(f"Văn bản kết luận: {seed.conclusion_docx} và {seed.conclusion_markdown}.")
    console.print()
    console.print(f"[bold]Hội nghị {current.conference_id}[/bold] — trạng thái: {current.conference_state}")
    console.print(
        f"Dời lịch từ {vn_time(current.starts_at.isoformat())} sang {vn_time(current.moved_to.isoformat())}; "
        f"tiếp nhận {len(current.accepted)} ý kiến gửi trước, {len(current.rejected)} bị từ chối."
    )
    for row in current.assignments:
        line = f"  • {row['tracking_code']}: {status_of(row)}, {holder_of(row)}"
        if row.get("deadline"):
            line += f", hạn {vn_date(row['deadline'])}"
        if row["tracking_code"] in current.reclassified:
            line += " (đã phân loại lại)"
        console.print(line)
    _print_notices(current.notifications, data_dir / "notifications.log")
    seed_done = seed.accepted and not seed.rejected and len(seed.assignments) >= len(seed.accepted)
    current_done = (
        current.accepted and not current.rejected and len(current.assignments) >= len(current.accepted)
    )
    if not (seed_done and current_done):
        raise StackError("Kịch bản chưa hoàn tất qua cả bốn dịch vụ; xem log trong thư mục dữ liệu.")
    for notices in (seed.notifications, current.notifications):
        if not notices or any(n.get("status") != "sent" for n in notices):
            raise StackError("Có thông báo chưa gửi được; xem `dialogue notifications list --status failed`.")


def _print_notices(notices: list[dict[str, Any]], log_file: Path, shown: int = 2) -> None:
    """How many of the conference's notices went out, by kind, and the last few from the log channel."""
    import json
    from collections import Counter

    sent = [n for n in notices if n.get("status") == "sent"]
    console.print(f"{len(sent)}/{len(notices)} thông báo đã gửi.")
    kinds = Counter(str(n.get("trigger")) for n in notices)
    console.print("  theo loại: " + "; ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items())))
    if not log_file.exists():
        return
    ids = {n["id"] for n in notices}
    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    for notice in [n for n in lines if n.get("delivery_id") in ids][-shown:]:
        text = " ".join(str(notice.get("text", "")).split())
        console.print(f"  • {notice.get('recipient')}: {text[:160]}{'…' if len(text) > 160 else ''}")


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()


if __name__ == "__main__":
    main()
