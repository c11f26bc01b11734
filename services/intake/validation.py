"""Bad input at the edge: raw bytes to a JSON object, and pydantic errors to one refusal.

The handler decodes with the wire contract (pydantic); when that fails, ``reason_for_validation_error``
turns ``ValidationError.errors()`` into the same codes and Vietnamese sentences the domain uses, so a
sender gets one reason whichever layer caught the problem. Only the first error is reported: fixing
one thing at a time is what senders do, and it keeps the reason code a single metric label.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from services.intake.domain import refusals
from shared.errors import DomainError

__all__ = ["MAX_PAYLOAD_BYTES", "decode_payload", "reason_for_validation_error"]

# Content is capped at 10,000 characters (≤ 40 kB in UTF-8); the rest of a submission is small.
MAX_PAYLOAD_BYTES = 64 * 1024

_EXPECTED = {
    "string": "chuỗi ký tự",
    "int": "số nguyên",
    "bool": "giá trị đúng/sai (true/false)",
    "list": "danh sách",
    "dict": "đối tượng JSON",
    "model": "đối tượng JSON",
    "model_attributes": "đối tượng JSON",
    "datetime": "thời điểm ISO 8601 có múi giờ",
    "enum": "một giá trị trong danh sách cho phép",
}


def decode_payload(raw: bytes, max_bytes: int = MAX_PAYLOAD_BYTES) -> Any:
    """The JSON value in ``raw``, or the refusal a sender can act on."""
    if len(raw) > max_bytes:
        raise refusals.payload_too_large(len(raw), max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise refusals.invalid_utf8() from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise refusals.invalid_json(exc.pos) from None
    except RecursionError:  # nested deeper than the parser's recursion limit: not JSON we can read
        raise refusals.invalid_json() from None


def _path(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "dữ liệu"


def reason_for_validation_error(errors: Sequence[Mapping[str, Any]]) -> DomainError:
    """One code and one Vietnamese sentence for pydantic's ``ValidationError.errors()``."""
    if not errors:
        return refusals.not_an_object()
    first = errors[0]
    kind = str(first.get("type", ""))
    loc = tuple(first.get("loc", ()))
    path = _path(loc)
    ctx: Mapping[str, Any] = first.get("ctx") or {}
    value = first.get("input")
    is_content = loc == ("content",)
    if kind == "json_invalid":
        return refusals.invalid_json()
    if kind == "string_unicode":
        return refusals.invalid_utf8()
    if kind == "missing":
        return refusals.missing_field(path)
    if kind == "extra_forbidden":
        return refusals.unknown_field(path)
    if loc == ("schema_version",) and kind in {"less_than_equal", "greater_than_equal", "int_parsing"}:
        return refusals.unsupported_version(value)
    if kind == "string_too_short":
        return refusals.empty_content() if is_content else refusals.empty_text(path)
    if kind == "string_too_long":
        limit = int(ctx.get("max_length", 0))
        if is_content and isinstance(value, str):
            return refusals.content_too_long(len(value), limit)
        return refusals.text_too_long(path, limit)
    if kind == "enum":
        allowed = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ").split(", ")
        return refusals.invalid_value(path, allowed)
    if kind.startswith("datetime") or kind in {"timezone_aware", "date_from_datetime_parsing"}:
        return refusals.invalid_datetime(path)
    for prefix, expected in _EXPECTED.items():
        if kind in {f"{prefix}_type", f"{prefix}_parsing"}:
            return refusals.wrong_type(path, expected)
    return DomainError(
        "invalid_payload",
        f"Trường “{refusals.quote(path)}” không hợp lệ; vui lòng kiểm tra lại theo mẫu dữ liệu phiên bản 1.",
    )
