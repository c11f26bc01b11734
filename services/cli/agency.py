"""``dialogue assignment ...``, ``dialogue conclusion ...`` and ``dialogue report agencies`` (assignment)."""

from __future__ import annotations

import typer

assignment_app = typer.Typer(help="Giao xử lý, trả lời, gia hạn, đánh giá.", no_args_is_help=True)
conclusion_app = typer.Typer(help="Văn bản kết luận hội nghị.", no_args_is_help=True)
