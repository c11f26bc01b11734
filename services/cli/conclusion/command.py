"""``dialogue conclusion render`` and the demo: ask the three services, check, render.

The notice is made from scheduling's record of the conference (its state: no notice before it is
held; the day it was held and concluded; the head's summary), assignment's ``conclusion`` reply
(what became of each opinion) and intake's opinions of the conference (submitters, topics).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from nats.aio.client import Client
from rich.console import Console

from services.cli.client import CommandFailed, connect, refuse, request, show_refusal
from services.cli.conclusion.docx import render_docx
from services.cli.conclusion.markdown import render_markdown
from services.cli.conclusion.notice import ConclusionItem, ConferenceInfo
from services.cli.conclusion.reply import check_held, info_of, items_of
from shared.contracts import assignment_commands as ac
from shared.contracts import intake_commands as ic
from shared.contracts import scheduling_commands as sc
from shared.errors import DomainError
from shared.subjects import Assignment, Intake, Scheduling, cmd

OPINION_LIMIT = 500  # intake's ``list`` answers at most this many rows


@dataclass(frozen=True)
class Options:
    """What the operator chooses about the notice (all optional)."""

    number: str | None = None
    issued_on: dt.date | None = None
    issuing_body: str | None = None
    chair: int = 0  # which of the conference's chairs concludes (0: the first)
    office_chief: str = ""
    recipients: Sequence[str] = ()


async def gather(
    nc: Client, conference_id: str, options: Options
) -> tuple[ConferenceInfo, list[ConclusionItem]]:
    """The notice's data; ``DomainError`` if the conference was not held, ``CommandFailed`` if refused."""
    shown: dict[str, Any] = await request(
        nc, cmd(Scheduling.CMD, "show"), sc.ShowConference(conference_id=conference_id)
    )
    check_held(conference_id, shown)
    data = await request(
        nc, cmd(Assignment.CMD, "conclusion"), ac.ShowConclusion(conference_id=conference_id)
    )
    opinions = await request(
        nc, cmd(Intake.CMD, "list"), ic.ListOpinions(conference_id=conference_id, limit=OPINION_LIMIT)
    )
    items = items_of(data, opinions or [])
    info = info_of(
        data,
        options.number,
        options.issued_on,
        options.issuing_body,
        shown=shown,
        items=items,
        chair=options.chair,
        office_chief=options.office_chief,
        recipients=options.recipients,
    )
    return info, items


def write(info: ConferenceInfo, items: list[ConclusionItem], docx: Path, markdown: Path | None) -> None:
    """The DOCX and, if asked, the Markdown of the notice."""
    docx.parent.mkdir(parents=True, exist_ok=True)
    render_docx(info, items, docx)
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(render_markdown(info, items), encoding="utf-8")


def issue_date(console: Console, text: str | None) -> dt.date | None:
    """The operator's ``--date``, or its refusal (exit 2, a usage error)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        refuse(console, DomainError("invalid_date", f"Ngày ban hành '{text}' phải có dạng YYYY-MM-DD."), 2)


def gather_or_exit(
    console: Console, conference_id: str, options: Options
) -> tuple[ConferenceInfo, list[ConclusionItem]]:
    """``gather`` for one CLI command: a refusal is printed as its sentence and exits with code 1."""

    async def go() -> tuple[ConferenceInfo, list[ConclusionItem]]:
        nc = await connect()
        try:
            return await gather(nc, conference_id, options)
        finally:
            await nc.drain()

    try:
        return asyncio.run(go())
    except (CommandFailed, DomainError) as exc:
        show_refusal(console, exc)
        raise typer.Exit(1) from exc
