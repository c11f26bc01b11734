"""Failures of a channel or of rendering, each with a stable snake_case reason code."""

from __future__ import annotations

from shared.errors import DomainError, TransientError


class TransientChannelError(TransientError):
    """The channel may accept the notice later (timeout, 4xx SMTP, 5xx/429 HTTP): retry."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"TransientChannelError({self.code!r}, {self.message!r})"


class PermanentChannelError(DomainError):
    """The channel refused the notice for good (5xx SMTP, 4xx HTTP): record, never retry."""


class TemplateRenderError(DomainError):
    """A template could not be rendered for one notice; the delivery fails permanently."""


class TemplateCatalogError(DomainError):
    """One or more templates are broken; raised at start-up and lists every broken template."""

    def __init__(self, problems: list[str]) -> None:
        message = "Mẫu thông báo bị lỗi, cần sửa trước khi khởi động: " + "; ".join(problems) + "."
        super().__init__("template_invalid", message)
        self.problems = problems
