"""``dialogue notifications ...`` (notification)."""

from __future__ import annotations

import typer

notifications_app = typer.Typer(help="Thông báo đã gửi, lỗi gửi và gửi lại.", no_args_is_help=True)
