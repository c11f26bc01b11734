"""What intake itself requires of a submission, beyond its wire contract.

The contract (``shared/contracts/intake.py``) checks the shape once; these are the rules it cannot
state: a registered source, content that is not blank once normalised and within intake's limit, a
Vietnamese phone number and a plausible e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from services.intake.domain import refusals
from services.intake.domain.text import normalise

__all__ = ["DEFAULT_MAX_CONTENT", "check_content", "check_email", "check_phone", "require_source"]

DEFAULT_MAX_CONTENT = 10_000
# Mobile 0 + 9 digits, landline 0 + 10 digits; +84 or 84 replaces the leading 0.
_PHONE = re.compile(r"(?:0|\+84|84)[1-9]\d{8,9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def require_source(source: str, known_sources: Collection[str]) -> str:
    """``source`` when it is registered; otherwise the refusal (checked before anything else)."""
    if source not in known_sources:
        raise refusals.unknown_source(source)
    return source


def check_content(text: str, limit: int = DEFAULT_MAX_CONTENT) -> str:
    """The content in NFC, refused when blank or longer than ``limit`` characters."""
    content = normalise(text)
    if not content:
        raise refusals.empty_content()
    if len(content) > limit:
        raise refusals.content_too_long(len(content), limit)
    return content


def check_phone(phone: str | None) -> str | None:
    """The phone number without separators, refused unless it is a Vietnamese number."""
    if phone is None or not normalise(phone):
        return None
    compact = re.sub(r"[ .\-()]", "", normalise(phone))
    if not _PHONE.fullmatch(compact):
        raise refusals.invalid_phone()
    return compact


def check_email(email: str | None) -> str | None:
    """The e-mail address, refused unless it looks like one."""
    if email is None or not normalise(email):
        return None
    address = normalise(email)
    if not _EMAIL.fullmatch(address):
        raise refusals.invalid_email()
    return address
