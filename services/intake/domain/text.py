"""Vietnamese text helpers: canonical storage form and a folded form for matching."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "normalise", "tokens"]

# Why a table for đ: it is a separate letter, not d plus a combining mark, so NFD leaves it intact.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """NFC form with surrounding whitespace removed: what is stored and shown."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """Lower-case, diacritics stripped (đ→d), punctuation collapsed to single spaces.

    A citizen typing "ho tro phu cap" on a phone without a Vietnamese keyboard must match the
    same rules as "hỗ trợ phụ cấp".
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    folded = fold(text)
    return tuple(folded.split()) if folded else ()
