"""``dialogue portal user add|disable|reset``: the officials' accounts of the portal (it owns them).

Each is a ``portal.cmd.user-*`` command answered by the running portal, which stores only the
password's Argon2 hash. The password is read with a hidden prompt (asked twice) or from a file
(``--password-file``, its first line), never from the command line and never printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from services.cli.client import Payload, build, refuse, send_or_exit
from shared.contracts import portal_commands as pc
from shared.errors import DomainError

portal_app = typer.Typer(help="Cổng thông tin: tài khoản cán bộ.", no_args_is_help=True)
user_app = typer.Typer(help="Thêm, khóa, đặt lại mật khẩu tài khoản cán bộ.", no_args_is_help=True)
portal_app.add_typer(user_app, name="user")
console = Console()

Username = Annotated[str, typer.Argument(help="Tên đăng nhập (chữ thường, số, . _ -).")]
PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file", help="Tệp chứa mật khẩu (dòng đầu); mặc định hỏi mật khẩu, không hiện khi gõ."
    ),
]
ROLES = ", ".join(r.value for r in pc.Role)


def call(verb: str, payload: Payload) -> Any:
    return send_or_exit(f"{pc.PORTAL_CMD}.{verb}", payload, console)


def password(path: Path | None) -> str:
    """The password from ``path`` (first line) or a hidden prompt asked twice."""
    if path is None:
        try:
            value = str(typer.prompt("Mật khẩu", hide_input=True))
            again = str(typer.prompt("Nhập lại mật khẩu", hide_input=True))
        except typer.Abort:
            refuse(
                console,
                DomainError(
                    "password_not_typed", "Chưa nhập mật khẩu; vui lòng chạy lại lệnh và nhập mật khẩu."
                ),
            )
        if value != again:
            refuse(
                console,
                DomainError(
                    "passwords_differ", "Hai lần nhập mật khẩu không giống nhau; vui lòng chạy lại lệnh."
                ),
            )
    else:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            refuse(console, DomainError("password_file_unreadable",
                                        f"Không đọc được tệp mật khẩu {path} ({exc.strerror}); kiểm tra đường dẫn."))  # fmt: skip
        value = lines[0] if lines else ""
    if len(value) < pc.MIN_PASSWORD:
        refuse(console, DomainError("password_too_short",
                                    f"Mật khẩu cần ít nhất {pc.MIN_PASSWORD} ký tự; vui lòng chọn mật khẩu dài hơn."))  # fmt: skip
    return value


@user_app.command("add")
def add(
    username: Username,
    name: Annotated[str, typer.Option("--name", help="Họ và tên hiển thị, ghi vào mỗi thao tác.")],
    role: Annotated[str, typer.Option("--role", help=ROLES)],
    scope: Annotated[
        str, typer.Option("--scope", help="Mã đơn vị (secretariat, head) hoặc mã cơ quan (agency_officer).")
    ] = "",
    password_file: PasswordFile = None,
) -> None:
    """Thêm tài khoản cán bộ."""
    if role not in {r.value for r in pc.Role}:
        refuse(
            console, DomainError("invalid_role", f"Vai trò '{role}' không có; chọn một trong: {ROLES}."), 2
        )
    secret = password(password_file)
    command = build(pc.AddUser, username=username, display_name=name, role=pc.Role(role), scope=scope,
                    password=secret)  # fmt: skip
    data = call("user-add", command)
    console.print(f"[green]Đã thêm tài khoản[/green] {data['username']} ({data['display_name']}, {data['role']}"
                  f"{', ' + data['scope'] if data.get('scope') else ''}).")  # fmt: skip


@user_app.command("disable")
def disable(username: Username) -> None:
    """Khóa tài khoản: không đăng nhập được nữa, các phiên đang mở hết hiệu lực."""
    data = call("user-disable", build(pc.DisableUser, username=username))
    console.print(
        f"[green]Đã khóa tài khoản[/green] {data['username']}; các phiên đăng nhập của tài khoản đã hết hiệu lực."
    )


@user_app.command("reset")
def reset(username: Username, password_file: PasswordFile = None) -> None:
    """Đặt lại mật khẩu: các phiên đang mở hết hiệu lực."""
    secret = password(password_file)
    data = call("user-reset", build(pc.ResetPassword, username=username, password=secret))
    console.print(
        f"[green]Đã đặt lại mật khẩu[/green] cho tài khoản {data['username']}; các phiên cũ đã hết hiệu lực."
    )
