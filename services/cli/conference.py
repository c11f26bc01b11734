"""``dialogue conference ...`` and ``dialogue report conferences`` (scheduling)."""

from __future__ import annotations

import typer

conference_app = typer.Typer(help="Hội nghị đối thoại: lập kế hoạch, công bố, tổ chức, kết luận.", no_args_is_help=True)
