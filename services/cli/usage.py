"""Click's and Typer's own errors (unknown option, missing value, bad number...) in Vietnamese.

Typer prints Click's English message in a red panel; the ``dialogue`` group's ``main`` runs Click
in non-standalone mode instead, so every ``ClickException`` comes back here and is printed as one
Vietnamese sentence with the reason code, exit status 2 for a usage error as Click's. The help
screens' panel titles are set in Vietnamese too (``translate_help``); Click's "Usage:" line stays.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from pydantic import ValidationError
from rich.console import Console
from typer import _click as click  # Typer 0.29 vendors Click; its errors are these classes
from typer import rich_utils
from typer._click import exceptions as ce
from typer.core import TyperGroup, TyperOption
from typer.exceptions import Abort

from shared import refusals
from shared.errors import DomainError


def translate_help() -> None:
    """Vietnamese titles for the help screens Typer draws with Rich."""
    rich_utils.ARGUMENTS_PANEL_TITLE = "Tham số"
    rich_utils.OPTIONS_PANEL_TITLE = "Tùy chọn"
    rich_utils.COMMANDS_PANEL_TITLE = "Lệnh"
    rich_utils.DEFAULT_STRING = "[mặc định: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[bắt buộc]"
    rich_utils.ENVVAR_STRING = "[biến môi trường: {}]"
    rich_utils.DEPRECATED_STRING = "(không dùng nữa) "
    rich_utils.ABORTED_TEXT = "Đã hủy."


def _name(param: click.Parameter | None, fallback: str = "") -> str:
    if param is None:
        return fallback or "tham số"
    if isinstance(param, TyperOption):
        longest = max(param.opts, key=len) if param.opts else f"--{param.name}"
        return longest
    return str(param.name or "tham số").lower()


def _help(param: click.Parameter | None) -> str:
    text = str(getattr(param, "help", "") or "").strip().rstrip(".")
    return f" ({text})" if text else ""


def _hint(ctx: click.Context | None) -> str:
    path = ctx.command_path if ctx is not None else "dialogue"
    return f"; xem '{path} --help'"


def refusal_of(exc: ce.ClickException) -> DomainError:
    """One reason code and one Vietnamese sentence for a Click error."""
    ctx = getattr(exc, "ctx", None)
    hint = _hint(ctx)
    if isinstance(exc, ce.NoSuchOption):
        guess = sorted(exc.possibilities or [])
        maybe = f"; có phải ý bạn là {', '.join(guess)}?" if guess else hint + "."
        return DomainError("unknown_option", f"Không có tùy chọn {exc.option_name}{maybe}")
    if isinstance(exc, ce.MissingParameter):
        param = exc.param
        if isinstance(param, TyperOption):
            return DomainError(
                "missing_option", f"Thiếu tùy chọn bắt buộc {_name(param)}{_help(param)}{hint}."
            )
        return DomainError("missing_argument", f"Thiếu tham số bắt buộc {_name(param)}{_help(param)}{hint}.")
    if isinstance(exc, ce.BadOptionUsage):
        if "requires" in exc.message:
            return DomainError("missing_value", f"Tùy chọn {exc.option_name} cần một giá trị đi kèm{hint}.")
        if "does not take a value" in exc.message:
            return DomainError("unexpected_value", f"Tùy chọn {exc.option_name} không nhận giá trị{hint}.")
        return DomainError("bad_option", f"Tùy chọn {exc.option_name} được dùng không đúng cách{hint}.")
    if isinstance(exc, ce.BadParameter):
        name = _name(exc.param, exc.param_hint if isinstance(exc.param_hint, str) else "")
        cause = exc.__cause__
        if isinstance(cause, ValidationError):  # Typer checks types and bounds with pydantic
            errors = [{**error, "loc": (name,)} for error in cause.errors()[:1]]
            return refusals.explain(errors)
        return refusals.invalid_value(name)
    if isinstance(exc, ce.FileError):
        return DomainError("file_error", f"Không mở được tệp {exc.ui_filename}{hint}.")
    if isinstance(exc, ce.UsageError):
        return _usage(exc, ctx, hint)
    return DomainError("cli_error", f"Lệnh không thực hiện được{hint}.")


def _usage(exc: ce.UsageError, ctx: click.Context | None, hint: str) -> DomainError:
    message = exc.message
    if extra := re.match(r"Got unexpected extra arguments? \((.*)\)", message):
        return DomainError("extra_argument", f"Thừa tham số: {refusals.quote(extra.group(1))}{hint}.")
    if command := re.match(r"No such command '([^']*)'", message):
        guess = re.search(r"Did you mean '([^']*)'", message)
        names = _commands(ctx)
        choices = (
            f"; có phải ý bạn là “{guess.group(1)}”?"
            if guess
            else (f"; các lệnh: {', '.join(names)}." if names else hint + ".")
        )
        return DomainError("unknown_command", f"Không có lệnh “{refusals.quote(command.group(1))}”{choices}")
    if message.startswith("Missing command"):
        names = _commands(ctx)
        return DomainError("missing_command", f"Thiếu tên lệnh; các lệnh: {', '.join(names)}.")
    return DomainError("usage_error", f"Lệnh được gõ không đúng cách{hint}.")


def _commands(ctx: click.Context | None) -> Sequence[str]:
    if ctx is None or not isinstance(ctx.command, TyperGroup):
        return []
    return [name for name in ctx.command.list_commands(ctx) if name]


def unexpected(exc: BaseException) -> DomainError:
    return DomainError(
        "internal_error",
        f"Lệnh gặp lỗi không mong đợi ({type(exc).__name__}); hãy báo cho bộ phận kỹ thuật "
        "(đặt DIALOGUE_DEBUG=1 để xem chi tiết).",
    )


def _fail(refusal: DomainError, status: int) -> NoReturn:
    Console(stderr=True).print(f"[red]{refusal}[/red] ({refusal.code})", highlight=False)
    sys.exit(status)


class VietnameseGroup(TyperGroup):
    """The root group: Click runs non-standalone so its errors reach ``refusal_of`` untranslated."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ce.NoArgsIsHelpError as exc:  # ``no_args_is_help``: the help screen, as Click shows it
            if not standalone_mode:
                raise
            exc.show()
            sys.exit(exc.exit_code)
        except ce.ClickException as exc:
            if not standalone_mode:
                raise
            _fail(refusal_of(exc), exc.exit_code)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: one sentence for the clerk, the traceback only on request
            if not standalone_mode or os.environ.get("DIALOGUE_DEBUG"):
                raise
            _fail(unexpected(exc), 1)
        except Abort:
            if not standalone_mode:
                raise
            _fail(DomainError("aborted", "Đã hủy lệnh."), 1)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)
