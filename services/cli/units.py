"""``dialogue units``: the administrative-unit tree scheduling knows (levels and units are data)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.tree import Tree

from services.cli.client import build, refuse, send_or_exit
from shared import refusals
from shared.contracts import scheduling_commands as sc
from shared.subjects import Scheduling, cmd
from shared.timeutil import VN_TZ

console = Console()


def fetch_units(console: Console, **query: Any) -> dict[str, Any]:
    """Scheduling's answer to ``units`` (the levels and the units), or its refusal and exit code 1."""
    data: dict[str, Any] = send_or_exit(cmd(Scheduling.CMD, "units"), build(sc.ListUnits, **query), console)
    return data


def check_level(console: Console, level: str | None) -> None:
    """Refuse a level the unit tree does not have, naming those it has (status 2, before the query)."""
    if level is None:
        return
    levels = [lv["code"] for lv in fetch_units(console)["levels"]]
    if level not in levels:
        refuse(console, refusals.invalid_value("--level", levels), 2)


def _vn(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def _label(unit: dict[str, Any], names: dict[str, str]) -> str:
    text = f"[bold]{unit['name']}[/bold] ({unit['code']}, {unit['level_label']})"
    if unit["valid_to"]:
        text += f" — đến {_vn(unit['valid_to'])}"
        if unit.get("merged_into"):
            text += f", sáp nhập vào {names.get(unit['merged_into'], unit['merged_into'])}"
    elif unit["valid_from"]:
        text += f" — từ {_vn(unit['valid_from'])}"
    return text


def units(
    level: Annotated[str | None, typer.Option(help="Chỉ một cấp, ví dụ commune.")] = None,
    under: Annotated[str | None, typer.Option(help="Chỉ đơn vị này và các đơn vị trực thuộc.")] = None,
    on: Annotated[str | None, typer.Option(help="Các đơn vị tồn tại vào ngày này (YYYY-MM-DD).")] = None,
    history: Annotated[
        bool, typer.Option("--all", help="Cả các đơn vị đã giải thể, sáp nhập (mặc định: hôm nay).")
    ] = False,
) -> None:
    """Cây đơn vị hành chính (mặc định: các đơn vị đang tồn tại hôm nay)."""
    check_level(console, level)
    if on is not None:
        try:
            dt.date.fromisoformat(on)
        except ValueError:
            refuse(console, refusals.wrong_type("--on", "ngày dạng YYYY-MM-DD"), 2)
    day = on if on is not None else (None if history else dt.datetime.now(VN_TZ).date().isoformat())
    data = fetch_units(console, level=level, under=under, on=day)
    rows = data["units"]
    when = "mọi thời kỳ" if day is None else f"ngày {_vn(day)}"
    if not rows:
        console.print(f"Không có đơn vị nào ({when}).")
        return
    names = {u["code"]: u["name"] for u in rows}
    tree = Tree(f"Đơn vị hành chính, {when}: {len(rows)} đơn vị")
    branches: dict[int, Tree] = {-1: tree}
    for unit in rows:
        parent = max((d for d in branches if d < unit["depth"]), default=-1)
        branches = {d: b for d, b in branches.items() if d <= parent}
        branches[unit["depth"]] = branches[parent].add(_label(unit, names))
    console.print(tree)
