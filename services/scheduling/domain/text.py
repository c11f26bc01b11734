"""Text helpers shared by the scheduling rules: name matching and dates shown to officials."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from shared.timeutil import to_local

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


# Combining tone marks (grave, acute, tilde, hook, dot below); horn, breve and circumflex are letters.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _canonical_syllable(word: str) -> str:
    # "Thủy" and "Thuỷ" are the same name in the old and new tone placement; moving the tone mark
    # to the end of the syllable makes both spell the same key.
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    return "".join(ch for ch in decomposed if ch not in _TONES) + tones


def normalise(name: str) -> str:
    """A key for comparing names typed by different people.

    Diacritics are kept on purpose: Vietnamese names differ only by them ("Hà" and "Hạ").
    Case, punctuation, spacing, Unicode composition and tone-mark placement are ignored.
    """
    text = unicodedata.normalize("NFC", name).casefold()
    text = _PUNCTUATION.sub(" ", text)
    return " ".join(_canonical_syllable(word) for word in text.split())


def vn_date(day: dt.date) -> str:
    """A date the way Vietnamese documents write it: 14/04/2024."""
    return day.strftime("%d/%m/%Y")


def vn_datetime(instant: dt.datetime) -> str:
    """An instant shown in Vietnam's time zone: 08:00 ngày 14/04/2024."""
    local = to_local(instant)
    return f"{local:%H:%M} ngày {vn_date(local.date())}"


def require_aware(instant: dt.datetime, what: str) -> None:
    """Naive datetimes are a programming error (the CLI always attaches Asia/Ho_Chi_Minh)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must be timezone aware")
