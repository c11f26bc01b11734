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
app.command(name="asyncapi")(asyncapi_command)
app.command(name="units")(units_command)
console = Console()


@app.command()
def run(
    service: Annotated[str, typer.Argument(help="scheduling | intake | assignment | notification")],
) -> None:
    """Chạy một dịch vụ (dùng trong container)."""
    from services.cli.runner import serve

    if service not in SERVICES:
        refuse(console, refusals.invalid_value("service", SERVICES), 2)
    status = asyncio.run(serve(service))
    if status:
        raise typer.Exit(status)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(BaseException):
    """A stop signal arrived (SIGINT, SIGTERM or SIGHUP): the stack is taken down, then the command ends."""

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
    """Chạy toàn bộ hệ thống cục bộ: NATS nhúng và bốn dịch vụ (dừng bằng Ctrl-C, SIGTERM hoặc SIGHUP)."""
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

    from services.cli.agency_render import STATUS
    from services.cli.demo import run_demo

    summary = run_quietly(run_demo(nats_url, data_dir, **logins))
    console.print(f"[bold]Hội nghị {summary.conference_id}[/bold] — trạng thái: {summary.conference_state}")
    console.print(
        f"Tiếp nhận {len(summary.accepted)} ý kiến qua cổng thông tin, {len(summary.rejected)} bị từ chối; "
        f"{summary.topics_sentence}."
    )
    by_status = Counter(STATUS.get(a["status"], a["status"]) for a in summary.assignments)
    console.print(
        "Xử lý: " + "; ".join(f"{name}: {count}" for name, count in sorted(by_status.items())) + "."
    )
    sent = [n for n in summary.notifications if n.get("status") == "sent"]
    console.print(f"{len(sent)}/{len(summary.notifications)} thông báo đã gửi.")
    _print_notices(data_dir / "notifications.log")
    console.print(f"Văn bản kết luận: {summary.conclusion_docx} và {summary.conclusion_markdown}.")
    if not summary.accepted or summary.rejected or len(summary.assignments) < len(summary.accepted):
        raise StackError("Kịch bản chưa hoàn tất qua cả bốn dịch vụ; xem log trong thư mục dữ liệu.")
    if not summary.notifications:
        raise StackError("Dịch vụ thông báo chưa gửi thông báo nào; xem log trong thư mục dữ liệu.")


def _print_notices(log_file: Path, shown: int = 3) -> None:
    """A few notices from the log channel, and how many of each kind."""
    import json
    from collections import Counter

    if not log_file.exists():
        return
    notices = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = Counter(str(n.get("trigger")) for n in notices)
    console.print("  theo loại: " + "; ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items())))
    for notice in notices[-shown:]:
        text = " ".join(str(notice.get("text", "")).split())
        console.print(f"  • {notice.get('recipient')}: {text[:160]}{'…' if len(text) > 160 else ''}")


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()


if __name__ == "__main__":
    main()
