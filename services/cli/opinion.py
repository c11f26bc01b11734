"""``dialogue opinion ...`` and ``dialogue report opinions`` (intake)."""

from __future__ import annotations

import typer

opinion_app = typer.Typer(help="Ý kiến, kiến nghị của nhân dân: tiếp nhận, tra cứu, phân loại.", no_args_is_help=True)
