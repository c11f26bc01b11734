"""Masking of phone numbers and ID numbers before text reaches logs, metrics, events or a terminal.

Recognised inside free text:
- Vietnamese phone numbers: ``0`` or ``+84``/``84`` then 9 or 10 digits, grouped by spaces, dots or
  dashes (``0912 345 678``, ``0912.345.678``, ``+84 912 345 678``, ``024 3825 1234``);
- citizen ID numbers: CCCD (12 digits) and the older CMND (9 digits), written without separators.

Only the last three digits stay visible, enough for an official to tell two contacts apart on the
phone with the citizen and too few to call or identify anyone. Digit runs of other lengths (amounts
like 100.000.000 đồng, dates, years) are left alone.
"""

from __future__ import annotations

import re

__all__ = ["mask_digits", "mask_id_number", "mask_phone", "redact"]

_VISIBLE = 3
_SEP = r"[ .\-]?"
# Why the lookarounds: a phone or ID glued to other digits is a different number; matching inside it
# would leave most of it readable.
_PHONE = rf"(?:\+84|84|0)[ .\-]?[1-9](?:{_SEP}\d){{8,9}}"
_ID = r"\d{12}|\d{9}"
_PATTERN = re.compile(rf"(?<!\d)(?:{_PHONE}|{_ID})(?!\d)")


def mask_digits(text: str, visible: int = _VISIBLE) -> str:
    """Every digit of ``text`` replaced by ``*`` except the last ``visible`` ones; layout kept."""
    total = sum(ch.isdigit() for ch in text)
    keep_from = total - visible if total > visible else total
    seen = 0
    out: list[str] = []
    for ch in text:
        if ch.isdigit():
            out.append(ch if seen >= keep_from else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``*******678``; short or odd inputs are masked entirely."""
    return mask_digits(phone)


def mask_id_number(number: str) -> str:
    """A CCCD (12 digits) or CMND (9 digits) with only its last three digits visible."""
    return mask_digits(number)


def redact(text: str) -> str:
    """``text`` with every phone number and ID number it contains masked."""
    return _PATTERN.sub(lambda match: mask_digits(match.group(0)), text)
