"""The one translator from bad input to a refusal: a stable reason code and one Vietnamese sentence.

Every service, the host's decoders and the CLI use it, so a sender hears the same reason whichever
layer caught the problem: a JSON body that is not JSON, a field missing from an event or a command,
a value of the wrong type. Only the first error is reported: fixing one thing at a time is what
senders do, and it keeps the reason code a single metric label. Sentences quote sender-supplied
values through ``quote``, which masks phone and ID numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.errors import DomainError
from shared.privacy import redact

M = TypeVar("M", bound=BaseModel)
ErrorDetails = Mapping[str, Any]
# A service's own reading of one pydantic error (e.g. intake's content length); None: the generic one.
Special = Callable[[str, tuple[Any, ...], ErrorDetails], DomainError | None]

MAX_PAYLOAD_BYTES = 64 * 1024  # NATS caps a message at 1 MB; the largest contract is ~40 kB
_QUOTE_LIMIT = 60
_EXPECTED = {
    "string": "chuỗi ký tự",
    "int": "số nguyên",
    "float": "số",
    "decimal": "số",
    "bool": "giá trị đúng/sai (true/false)",
    "list": "danh sách",
    "tuple": "danh sách",
    "dict": "đối tượng JSON",
    "model": "đối tượng JSON",
    "model_attributes": "đối tượng JSON",
    "datetime": "thời điểm ISO 8601 có múi giờ",
    "date": "ngày dạng YYYY-MM-DD",
    "enum": "một giá trị trong danh sách cho phép",
}


def quote(value: object) -> str:
    """A sender-supplied value fit to quote: short, and with any phone or ID number masked."""
    text = redact(str(value))
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"


def vn_number(value: int) -> str:
    """1234567 → 1.234.567 (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def invalid_utf8() -> DomainError:
    return DomainError(
        "invalid_utf8",
        "Dữ liệu gửi đến không phải văn bản UTF-8 hợp lệ; vui lòng mã hóa nội dung bằng UTF-8 rồi gửi lại.",
    )


def invalid_json(position: int | None = None) -> DomainError:
    where = f" (lỗi ở vị trí {position})" if position is not None else ""
    return DomainError(
        "invalid_json",
        f"Dữ liệu gửi đến không phải JSON hợp lệ{where}; vui lòng kiểm tra cú pháp rồi gửi lại.",
    )


def payload_too_large(size: int, limit: int) -> DomainError:
    return DomainError(
        "payload_too_large",
        f"Dữ liệu gửi đến có {vn_number(size)} byte, vượt giới hạn {vn_number(limit)} byte; "
        "vui lòng rút gọn nội dung hoặc gửi tệp đính kèm dưới dạng đường dẫn.",
    )


def not_an_object(path: str = "") -> DomainError:
    what = f"Trường “{quote(path)}”" if path else "Dữ liệu gửi đến"
    return DomainError(
        "wrong_type", f"{what} phải là một đối tượng JSON; vui lòng gửi theo mẫu dữ liệu phiên bản 1."
    )


def missing_field(path: str) -> DomainError:
    return DomainError(
        "missing_field", f"Thiếu trường bắt buộc “{quote(path)}”; vui lòng bổ sung trường này rồi gửi lại."
    )


def wrong_type(path: str, expected: str) -> DomainError:
    return DomainError(
        "wrong_type", f"Trường “{quote(path)}” phải là {expected}; vui lòng sửa kiểu dữ liệu rồi gửi lại."
    )


def unknown_field(path: str) -> DomainError:
    return DomainError(
        "unknown_field",
        f"Trường “{quote(path)}” không có trong mẫu dữ liệu phiên bản 1; vui lòng bỏ trường này hoặc "
        "kiểm tra lại tên trường.",
    )


def invalid_value(path: str, allowed: Iterable[str] = ()) -> DomainError:
    choices = list(allowed)
    hint = (
        f"hãy dùng một trong các giá trị: {', '.join(choices)}." if choices else "vui lòng sửa lại rồi gửi."
    )
    return DomainError("invalid_value", f"Giá trị của trường “{quote(path)}” không hợp lệ; {hint}")


def invalid_datetime(path: str) -> DomainError:
    return DomainError(
        "invalid_value",
        f"Trường “{quote(path)}” phải là thời điểm theo ISO 8601 có múi giờ; vui lòng sửa lại theo "
        "dạng 2024-04-14T08:30:00+07:00 rồi gửi.",
    )


def unsupported_version(version: object) -> DomainError:
    return DomainError(
        "unsupported_version",
        f"Phiên bản mẫu dữ liệu “{quote(version)}” không được hỗ trợ; vui lòng gửi theo phiên bản 1.",
    )


def text_too_long(path: str, limit: int) -> DomainError:
    return DomainError(
        "wrong_type",
        f"Trường “{quote(path)}” dài quá {vn_number(limit)} ký tự; vui lòng rút gọn rồi gửi lại.",
    )


def empty_text(path: str) -> DomainError:
    return DomainError(
        "missing_field", f"Trường “{quote(path)}” đang để trống; vui lòng điền giá trị rồi gửi lại."
    )


def out_of_range(path: str, details: ErrorDetails) -> DomainError:
    bounds = {k: v for k, v in (details.get("ctx") or {}).items() if k in {"ge", "gt", "le", "lt"}}
    words = {"ge": "từ", "gt": "lớn hơn", "le": "đến", "lt": "nhỏ hơn"}
    limits = " ".join(f"{words[k]} {v}" for k, v in bounds.items())
    return DomainError(
        "invalid_value",
        f"Giá trị của trường “{quote(path)}” nằm ngoài khoảng cho phép{' (' + limits + ')' if limits else ''}; "
        "vui lòng sửa lại rồi gửi.",
    )


def decode_json(raw: bytes, max_bytes: int | None = MAX_PAYLOAD_BYTES) -> Any:
    """The JSON value in ``raw``, or the refusal a sender can act on (``max_bytes`` None: any size)."""
    if max_bytes is not None and len(raw) > max_bytes:
        raise payload_too_large(len(raw), max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_utf8() from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise invalid_json(exc.pos) from None
    except RecursionError:  # nested deeper than the parser's recursion limit: not JSON we can read
        raise invalid_json() from None


def _path(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "dữ liệu"


def explain(errors: Sequence[ErrorDetails], special: Special | None = None) -> DomainError:
    """One code and one Vietnamese sentence for pydantic's ``ValidationError.errors()``."""
    if not errors:
        return not_an_object()
    first = errors[0]
    kind = str(first.get("type", ""))
    loc = tuple(first.get("loc", ()))
    if special is not None and (own := special(kind, loc, first)) is not None:
        return own
    path = _path(loc)
    ctx: Mapping[str, Any] = first.get("ctx") or {}
    value = first.get("input")
    if kind == "json_invalid":
        return invalid_json()
    if kind in {"string_unicode", "invalid_utf8"}:
        return invalid_utf8()
    if kind == "missing":
        return missing_field(path)
    if kind == "extra_forbidden":
        return unknown_field(path)
    if loc == ("schema_version",) and kind in {"less_than_equal", "greater_than_equal", "int_parsing"}:
        return unsupported_version(value)
    if kind == "string_too_short":
        return empty_text(path)
    if kind == "string_too_long":
        return text_too_long(path, int(ctx.get("max_length", 0)))
    if kind in {"enum", "literal_error"}:
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ").split(", ")
        return invalid_value(path, [a for a in allowed if a])
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return out_of_range(path, first)
    if kind.startswith("date_") and not kind.startswith("datetime"):
        return wrong_type(path, _EXPECTED["date"])
    if kind.startswith("datetime") or kind == "timezone_aware":
        return invalid_datetime(path)
    for prefix, expected in _EXPECTED.items():
        if kind in {f"{prefix}_type", f"{prefix}_parsing"}:
            return wrong_type(path, expected)
    return DomainError(
        "invalid_payload",
        f"Trường “{quote(path)}” không hợp lệ; vui lòng kiểm tra lại theo mẫu dữ liệu phiên bản 1.",
    )


def explain_bytes(
    raw: bytes,
    errors: Sequence[ErrorDetails],
    special: Special | None = None,
    max_bytes: int | None = MAX_PAYLOAD_BYTES,
) -> DomainError:
    """The refusal of a raw payload a model refused: undecodable bytes first, then the model's error.

    A payload that is not UTF-8 JSON (or larger than ``max_bytes``) raises its refusal; otherwise the
    refusal of the model's first error is returned.
    """
    decode_json(raw, max_bytes)
    return explain(errors, special)


def parse(model: type[M], body: Any, special: Special | None = None) -> M:
    """``body`` (a decoded JSON value, or None for an empty request) as ``model``, or its refusal."""
    try:
        return model.model_validate(body if body is not None else {})
    except ValidationError as exc:
        raise explain(exc.errors(), special) from None


def parse_json(model: type[M], raw: bytes, special: Special | None = None) -> M:
    """Raw JSON bytes as ``model`` in one pass (pydantic-core), or the refusal a sender can act on."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise explain_bytes(raw, exc.errors(), special) from None
