"""``dialogue assignment ...``, ``dialogue conclusion ...`` and ``dialogue report agencies`` (assignment)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from services.cli.agency_render import STATUS, print_detail, print_report, print_rows, report_csv
from services.cli.client import FORMATS, CommandFailed, Payload, ask, build, one_of, refuse, send_or_exit
from services.cli.conference import At, _when
from services.cli.report import report_app
from shared import ids
from shared.contracts import assignment_commands as ac
from shared.contracts import intake_commands as ic
from shared.errors import DomainError
from shared.subjects import Assignment, Intake

assignment_app = typer.Typer(help="Giao xử lý, trả lời, gia hạn, đánh giá.", no_args_is_help=True)
conclusion_app = typer.Typer(help="Văn bản kết luận hội nghị.", no_args_is_help=True)
console = Console()

Opinion = Annotated[str, typer.Argument(help="Mã ý kiến hoặc mã theo dõi.")]
AgencyOpt = Annotated[str, typer.Option("--agency", help="Mã cơ quan (xem routing.toml).")]
By = Annotated[str, typer.Option("--by", help="Người ra lệnh (lãnh đạo, văn phòng).")]
CommandId = Annotated[str | None, typer.Option("--command-id", help="Mã lệnh; gửi lại cùng mã không đổi gì.")]
Reason = Annotated[str, typer.Option(help="Lý do.")]


def call(verb: str, payload: Payload) -> Any:
    """Send one command; a refusal is printed as the service's sentence and exits with code 1."""
    return send_or_exit(f"{Assignment.CMD}.{verb}", payload, console)


def command_id_or_new(command_id: str | None) -> str:
    return command_id or ids.new_id()


def effective(at: str | None) -> dt.datetime | None:
    """``--at`` as the command's ``effective_at`` (Vietnam time, as ``dialogue conference`` reads it)."""
    return _when(at, "--at") if at else None


def change(verb: str, command: ac.ChangeAssignment) -> None:
    data = call(verb, command)
    note = " (lệnh đã thực hiện trước đó, không thay đổi gì)" if data.get("duplicate") else ""
    console.print(
        f"[green]Đã thực hiện[/green]: ý kiến {data.get('tracking_code', command.opinion_id)} — "
        f"trạng thái «{STATUS.get(data.get('status', ''), data.get('status'))}»{note}."
    )


@assignment_app.command("answer-directly")
def answer_directly(
    opinion: Opinion,
    answer: Annotated[str, typer.Option(help="Nội dung trả lời.")],
    answered_by: Annotated[str, typer.Option(help="Người trả lời.")],
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Ghi nhận trả lời trực tiếp tại hội nghị (kết thúc ý kiến)."""
    command = build(
        ac.AnswerDirectly,
        command_id=command_id_or_new(command_id),
        opinion_id=opinion,
        answer=answer,
        answered_by=answered_by,
        effective_at=effective(at),
    )
    # Assignment keeps an answer for an opinion it has not received yet (intake forwards it a moment
    # later); a code intake has never seen, though, is a typing mistake: refused before it is kept.
    try:
        ask(f"{Intake.CMD}.show", build(ic.ShowOpinion, id=opinion))
    except CommandFailed as exc:
        if exc.code in {"unknown_opinion", "invalid_tracking_code"}:
            refuse(console, DomainError(exc.code, str(exc)))
    data = call("answer-directly", command)
    if data.get("status") == "pending":
        console.print(
            f"[yellow]Bộ phận giao xử lý chưa nhận ý kiến {opinion}: câu trả lời đã được lưu và sẽ "
            "được ghi nhận khi ý kiến được chuyển tới; chưa kết thúc ý kiến. Kiểm tra lại bằng "
            f"'dialogue assignment show {opinion}'.[/yellow]"
        )
        return
    note = " (lệnh đã thực hiện trước đó, không thay đổi gì)" if data.get("duplicate") else ""
    console.print(
        f"[green]Đã thực hiện[/green]: ý kiến {data.get('tracking_code', opinion)} — "
        f"trạng thái «{STATUS.get(data.get('status', ''), data.get('status'))}»{note}."
    )


@assignment_app.command()
def assign(
    opinion: Opinion, agency: AgencyOpt, by: By = "", at: At = None, command_id: CommandId = None
) -> None:
    """Giao ý kiến trong hàng chờ phân loại cho một cơ quan."""
    change(
        "assign",
        build(
            ac.AssignOpinion,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            agency_code=agency,
            by=by,
            effective_at=effective(at),
        ),
    )


@assignment_app.command()
def reassign(
    opinion: Opinion,
    agency: AgencyOpt,
    reason: Reason = "",
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Giao lại ý kiến cho cơ quan khác (hạn mới)."""
    change(
        "reassign",
        build(
            ac.ReassignOpinion,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            agency_code=agency,
            reason=reason,
            by=by,
            effective_at=effective(at),
        ),
    )


@assignment_app.command()
def accept(opinion: Opinion, agency: AgencyOpt, at: At = None, command_id: CommandId = None) -> None:
    """Cơ quan tiếp nhận ý kiến được giao."""
    change(
        "accept",
        build(
            ac.AcceptOpinion,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            agency_code=agency,
            effective_at=effective(at),
        ),
    )


@assignment_app.command("request-reassignment")
def request_reassignment(
    opinion: Opinion, agency: AgencyOpt, reason: Reason, at: At = None, command_id: CommandId = None
) -> None:
    """Cơ quan đề nghị giao lại (không thuộc thẩm quyền)."""
    change(
        "request-reassignment",
        build(
            ac.RequestReassignment,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            agency_code=agency,
            reason=reason,
            effective_at=effective(at),
        ),
    )


@assignment_app.command()
def answer(
    opinion: Opinion,
    agency: AgencyOpt,
    number: Annotated[str, typer.Option(help="Số văn bản.")],
    summary: Annotated[str, typer.Option(help="Tóm tắt nội dung trả lời.")],
    date: Annotated[
        str, typer.Option(help="Ngày văn bản, YYYY-MM-DD; mặc định ngày của --at, hoặc hôm nay.")
    ] = "",
    attachment: Annotated[str | None, typer.Option(help="Tham chiếu tệp đính kèm.")] = None,
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Cơ quan gửi văn bản trả lời."""
    when = effective(at)
    change(
        "answer",
        build(
            ac.SubmitAnswer,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            agency_code=agency,
            document_number=number,
            summary=summary,
            document_date=date or (when.date() if when else dt.date.today()),
            attachment_ref=attachment,
            effective_at=when,
        ),
    )


@assignment_app.command("return")
def return_answer(
    opinion: Opinion,
    reason: Annotated[str, typer.Option(help="Lý do trả lại.")],
    by: By = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Lãnh đạo trả lại câu trả lời chưa đạt."""
    change(
        "return",
        build(
            ac.ReturnAnswer,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            reason=reason,
            by=by,
            effective_at=effective(at),
        ),
    )


@assignment_app.command()
def publish(opinion: Opinion, by: By = "", at: At = None, command_id: CommandId = None) -> None:
    """Lãnh đạo duyệt và công bố câu trả lời."""
    change(
        "publish",
        build(
            ac.PublishAnswer,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            by=by,
            effective_at=effective(at),
        ),
    )


@assignment_app.command("request-extension")
def request_extension(
    opinion: Opinion,
    agency: AgencyOpt,
    until: Annotated[str, typer.Option(help="Hạn mới, YYYY-MM-DD.")],
    reason: Reason,
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Cơ quan đề nghị gia hạn."""
    change(
        "request-extension",
        build(
            ac.RequestExtension,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            agency_code=agency,
            new_deadline=until,
            reason=reason,
            effective_at=effective(at),
        ),
    )


@assignment_app.command("approve-extension")
def approve_extension(opinion: Opinion, by: By = "", at: At = None, command_id: CommandId = None) -> None:
    """Lãnh đạo đồng ý gia hạn."""
    change(
        "approve-extension",
        build(
            ac.ApproveExtension,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            by=by,
            effective_at=effective(at),
        ),
    )


@assignment_app.command("refuse-extension")
def refuse_extension(
    opinion: Opinion, reason: Reason = "", by: By = "", at: At = None, command_id: CommandId = None
) -> None:
    """Lãnh đạo không đồng ý gia hạn."""
    change(
        "refuse-extension",
        build(
            ac.RefuseExtension,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            reason=reason,
            by=by,
            effective_at=effective(at),
        ),
    )


@assignment_app.command()
def rate(
    opinion: Opinion,
    stars: Annotated[int, typer.Option(help="Mức hài lòng 1–5.")],
    comment: Annotated[str, typer.Option(help="Góp ý.")] = "",
    at: At = None,
    command_id: CommandId = None,
) -> None:
    """Người dân đánh giá câu trả lời đã công bố."""
    change(
        "rate",
        build(
            ac.RateAnswer,
            command_id=command_id_or_new(command_id),
            opinion_id=opinion,
            stars=stars,
            comment=comment,
            effective_at=effective(at),
        ),
    )


@assignment_app.command("list")
def list_(
    agency: Annotated[str | None, typer.Option(help="Mã cơ quan.")] = None,
    status: Annotated[str | None, typer.Option(help=", ".join(STATUS))] = None,
    overdue: Annotated[bool, typer.Option(help="Chỉ ý kiến quá hạn.")] = False,
    conference: Annotated[str | None, typer.Option(help="Mã hội nghị.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=5000, help="Số dòng tối đa.")] = 200,
) -> None:
    """Danh sách ý kiến theo cơ quan, trạng thái, quá hạn."""
    one_of(console, "--status", status, STATUS)
    query = build(
        ac.ListAssignments,
        agency_code=agency,
        status=status,
        overdue=overdue,
        conference_id=conference,
        limit=limit,
    )
    print_rows(console, "Ý kiến được giao xử lý", call("list", query))


@assignment_app.command()
def show(opinion: Opinion) -> None:
    """Chi tiết và lịch sử xử lý một ý kiến."""
    print_detail(console, call("show", build(ac.ShowAssignment, opinion_id=opinion)))


@assignment_app.command()
def triage() -> None:
    """Hàng chờ phân loại (ý kiến chưa giao được tự động)."""
    print_rows(console, "Hàng chờ phân loại", call("triage", ac.ListTriage()))


@conclusion_app.command()
def render(
    conference: Annotated[str, typer.Argument(help="Mã hội nghị.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp DOCX.")],
    markdown: Annotated[Path | None, typer.Option("--markdown", help="Tệp Markdown.")] = None,
    number: Annotated[
        str | None, typer.Option(help="Số thông báo (125-TB/TU, 15/TB-UBND); mặc định để trống phần số.")
    ] = None,
    issuing_body: Annotated[
        str | None, typer.Option(help="Cơ quan ban hành; mặc định theo chức danh người kết luận.")
    ] = None,
    chair: Annotated[int, typer.Option(min=1, help="Người kết luận: thứ tự trong danh sách chủ trì.")] = 1,
    office_chief: Annotated[
        str | None, typer.Option(help="Chánh Văn phòng ký T/L Ban Thường vụ (thông báo ý kiến của Bí thư).")
    ] = None,
    recipient: Annotated[
        list[str] | None, typer.Option("--recipient", help="Nơi nhận thêm (ngoài các cơ quan được giao).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Ngày ban hành YYYY-MM-DD; mặc định ngày kết luận hội nghị.")
    ] = None,
) -> None:
    """Lập thông báo kết luận hội nghị (DOCX, Markdown) theo thể thức của cơ quan ban hành."""
    from services.cli.conclusion import command

    options = command.Options(
        number=number,
        issued_on=command.issue_date(console, date),
        issuing_body=issuing_body,
        chair=chair - 1,
        office_chief=office_chief or "",
        recipients=tuple(recipient or ()),
    )
    info, items = command.gather_or_exit(console, conference, options)
    command.write(info, items, output, markdown)
    console.print(f"Đã ghi văn bản kết luận ({len(items)} dòng) vào {output}.")
    if markdown:
        console.print(f"Đã ghi bản Markdown vào {markdown}.")


@report_app.command("agencies")
def agencies(
    period: Annotated[str, typer.Option(help="2026-11, 2026-Q3, 2026-H1, 2026-9M, 2026.")],
    format: Annotated[str, typer.Option("--format", help="table hoặc csv.")] = "table",
) -> None:
    """Báo cáo kết quả trả lời theo cơ quan và kỳ (Kết luận 215)."""
    one_of(console, "--format", format, FORMATS)
    data = call("report", build(ac.ReportAgencies, period=period))
    if format == "csv":
        typer.echo(report_csv(data), nl=False)
    else:
        print_report(console, data)
