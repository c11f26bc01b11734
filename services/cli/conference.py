"""``dialogue conference plan|announce|...|close``: the scheduling commands that change a conference.

Dates are typed in Asia/Ho_Chi_Minh ("2026-12-05 08:00"); every command gets a fresh command id
unless ``--command-id`` repeats one (a repeat replays the first answer instead of acting twice).
``--by`` names the operator, as in ``dialogue assignment``: the events say who did it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.console import Console

from services.cli.client import Payload, build, refuse, send_or_exit
from shared import refusals
from shared.contracts import scheduling_commands as sc
from shared.ids import new_id
from shared.subjects import Scheduling, cmd
from shared.timeutil import VN_TZ

conference_app = typer.Typer(
    help="Hội nghị đối thoại: lập kế hoạch, công bố, tổ chức, kết luận.", no_args_is_help=True
)
console = Console()

Id = Annotated[str, typer.Argument(help="Mã hội nghị.")]
At = Annotated[
    str | None, typer.Option("--at", help="Thời điểm thực hiện thực tế (giờ Việt Nam), mặc định là bây giờ.")
]
CommandId = Annotated[str | None, typer.Option(help="Mã lệnh; gửi lại cùng mã thì không thực hiện hai lần.")]
By = Annotated[str, typer.Option("--by", help="Người ra lệnh (lãnh đạo, văn phòng).")]
Override = Annotated[bool, typer.Option(help="Chấp nhận trùng lịch người chủ trì hoặc địa điểm.")]


def _when(text: str, option: str) -> dt.datetime:
    """A Vietnam-time date or datetime, refused in the option's own words when it is not one."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        refuse(console, refusals.wrong_type(option, "thời điểm dạng 2026-12-05 08:00 (giờ Việt Nam)"), 2)
    return value if value.tzinfo else value.replace(tzinfo=VN_TZ)


def _stamp(verb: str, command_id: str | None, at: str | None, by: str) -> dict[str, Any]:
    """The fields every change carries: a fresh command id unless repeated, when it really happened, who."""
    return {
        "command_id": command_id or f"cli-{verb}-{new_id()}",
        "effective_at": _when(at, "--at") if at else None,
        "by": by,
    }


def send(verb: str, payload: Payload) -> Any:
    return send_or_exit(cmd(Scheduling.CMD, verb), payload, console)


def _act(verb: str, command: sc.SchedulingCommand) -> None:
    data = send(verb, command)
    state = data.get("state_label", data.get("state"))
    console.print(f"[green]Xong:[/green] hội nghị {data['conference_id']} ({data['title']}) — {state}.")


def _chair(text: str) -> sc.ChairInput:
    name, sep, title = text.partition("|")
    if not sep:
        refuse(console, refusals.wrong_type("--chair", "dạng 'Họ tên|Chức vụ'"), 2)
    return build(sc.ChairInput, name=name.strip(), title=title.strip())


@conference_app.command()
def plan(
    title: Annotated[str, typer.Option(help="Tên hội nghị.")],
    unit: Annotated[str, typer.Option(help="Mã đơn vị chủ trì, ví dụ binh-luc-xa.")],
    start: Annotated[str, typer.Option(help="Bắt đầu (giờ Việt Nam), ví dụ '2026-12-05 08:00'.")],
    end: Annotated[str, typer.Option(help="Kết thúc (giờ Việt Nam).")],
    chair: Annotated[list[str], typer.Option(help="Người chủ trì 'Họ tên|Chức vụ' (lặp lại được).")],
    group: Annotated[
        list[str], typer.Option(help="Đối tượng: cadres_party_members, citizens, youth_union_members...")
    ],
    venue: Annotated[str | None, typer.Option(help="Địa điểm (trực tiếp, kết hợp).")] = None,
    link: Annotated[str | None, typer.Option(help="Đường dẫn (trực tuyến, kết hợp).")] = None,
    format: Annotated[str, typer.Option(help="in_person | online | hybrid.")] = "in_person",
    co_organiser: Annotated[list[str] | None, typer.Option(help="Đơn vị phối hợp (lặp lại được).")] = None,
    topic: Annotated[list[str] | None, typer.Option(help="Nội dung, chủ đề (lặp lại được).")] = None,
    trigger: Annotated[
        str, typer.Option(help="annual_programme | voter_request | ad_hoc.")
    ] = "annual_programme",
    voter_percent: Annotated[float | None, typer.Option(help="Tỷ lệ cử tri đề nghị (%).")] = None,
    expected: Annotated[int | None, typer.Option(help="Số người dự kiến tham dự.")] = None,
    conference_id: Annotated[str | None, typer.Option("--id", help="Mã hội nghị (mặc định tự sinh).")] = None,
    override: Override = False,
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Lập kế hoạch một hội nghị đối thoại."""
    plan = build(
        sc.PlanConference,
        **_stamp("plan", command_id, at, by),
        conference_id=conference_id,
        title=title,
        unit_code=unit,
        starts_at=_when(start, "--start"),
        ends_at=_when(end, "--end"),
        chairs=[_chair(c) for c in chair],
        participant_groups=group,
        venue=venue,
        link=link,
        format=format,
        co_organisers=co_organiser or [],
        agenda_topics=topic or [],
        trigger=trigger,
        voter_request_percent=voter_percent,
        expected_attendance=expected,
        override=override,
    )
    _act("plan", plan)


@conference_app.command()
def announce(conference_id: Id, by: By = "", at: At = None, command_id: CommandId = None) -> None:
    """Công bố hội nghị (ít nhất 7 ngày trước ngày diễn ra)."""
    _act(
        "announce",
        build(sc.AnnounceConference, **_stamp("announce", command_id, at, by), conference_id=conference_id),
    )


@conference_app.command()
def reschedule(
    conference_id: Id,
    start: Annotated[str, typer.Option(help="Bắt đầu mới (giờ Việt Nam).")],
    end: Annotated[str, typer.Option(help="Kết thúc mới (giờ Việt Nam).")],
    override: Override = False,
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Đổi lịch hội nghị (cũng dùng để đưa hội nghị tạm hoãn trở lại)."""
    _act(
        "reschedule",
        build(
            sc.RescheduleConference,
            **_stamp("reschedule", command_id, at, by),
            conference_id=conference_id,
            starts_at=_when(start, "--start"),
            ends_at=_when(end, "--end"),
            override=override,
        ),
    )


@conference_app.command()
def postpone(
    conference_id: Id,
    reason: Annotated[str, typer.Option(help="Lý do tạm hoãn.")],
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Tạm hoãn hội nghị."""
    _act(
        "postpone",
        build(
            sc.PostponeConference,
            **_stamp("postpone", command_id, at, by),
            conference_id=conference_id,
            reason=reason,
        ),
    )


@conference_app.command()
def cancel(
    conference_id: Id,
    reason: Annotated[str, typer.Option(help="Lý do hủy.")],
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Hủy hội nghị."""
    _act(
        "cancel",
        build(
            sc.CancelConference,
            **_stamp("cancel", command_id, at, by),
            conference_id=conference_id,
            reason=reason,
        ),
    )


@conference_app.command()
def hold(
    conference_id: Id,
    attendees: Annotated[int, typer.Option(help="Số người tham dự.")],
    opinions: Annotated[int, typer.Option(help="Số ý kiến, kiến nghị.")],
    held_at: Annotated[str | None, typer.Option(help="Thời điểm tổ chức; mặc định giờ bắt đầu.")] = None,
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Ghi nhận hội nghị đã được tổ chức."""
    _act(
        "hold",
        build(
            sc.HoldConference,
            **_stamp("hold", command_id, at, by),
            conference_id=conference_id,
            attendee_count=attendees,
            opinion_count=opinions,
            held_at=_when(held_at, "--held-at") if held_at else None,
        ),
    )


@conference_app.command()
def conclude(
    conference_id: Id,
    summary: Annotated[str, typer.Option(help="Tóm tắt kết luận của người chủ trì.")],
    document: Annotated[str, typer.Option(help="Số hoặc đường dẫn văn bản kết luận.")],
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Ghi nhận văn bản kết luận (hạn 10 ngày sau hội nghị)."""
    _act(
        "conclude",
        build(
            sc.ConcludeConference,
            **_stamp("conclude", command_id, at, by),
            conference_id=conference_id,
            summary=summary,
            document=document,
        ),
    )


@conference_app.command()
def close(conference_id: Id, by: By = "", at: At = None, command_id: CommandId = None) -> None:
    """Đóng hồ sơ hội nghị."""
    _act(
        "close", build(sc.CloseConference, **_stamp("close", command_id, at, by), conference_id=conference_id)
    )
