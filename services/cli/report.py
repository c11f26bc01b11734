"""``dialogue report ...``: each context adds its report command to this group."""

from __future__ import annotations

import typer

report_app = typer.Typer(help="Báo cáo thống kê (hội nghị, ý kiến, cơ quan).", no_args_is_help=True)
