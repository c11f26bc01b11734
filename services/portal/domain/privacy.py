"""What a public page may show of a person: the submitter's name masked, no contact data anywhere."""

from __future__ import annotations

import re

from shared.privacy import redact

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HIDDEN = "[đã ẩn]"


def mask_name(name: str | None) -> str:
    """``Nguyễn Văn Thành`` → ``Nguyễn V. T.``: the family name, then initials."""
    words = (name or "").split()
    if not words:
        return "Người dân"
    if len(words) == 1:
        return f"{words[0][0]}."
    return " ".join([words[0], *(f"{w[0]}." for w in words[1:])])


def public_text(text: str | None) -> str:
    """Free text with every phone number, ID number and e-mail address hidden."""
    return _EMAIL.sub(HIDDEN, redact(text or ""))
