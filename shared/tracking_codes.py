"""Tracking codes (``DT-7K3M-9QX2``): the format intake issues and every reader checks.

The code is read over the phone: ``DT``, seven Crockford base-32 characters (no I, L, O, U) grouped
in fours, and a Luhn mod 32 check character that catches every single-character slip and most
swaps. Intake derives it from the opinion id (never random, so a redelivered submission gets the
same code); the portal and intake check a typed one before they read anything, so a mistyped code
is told apart from an unknown one.
"""

from __future__ import annotations

import hashlib

from shared.errors import DomainError

__all__ = ["ALPHABET", "MAX_INPUT", "PREFIX", "canonical", "check_char", "for_opinion", "invalid"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "DT"
PAYLOAD = 7
MAX_INPUT = 40  # longer input is not a code someone typed
# Crockford decoding: letters people confuse with digits are read as those digits.
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def check_char(payload: str) -> str:
    """Luhn mod 32 over the payload characters."""
    total = 0
    factor = 2
    for ch in reversed(payload):
        addend = factor * _INDEX[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def for_opinion(opinion_id: str, attempt: int = 0) -> str:
    """The tracking code of an opinion, e.g. ``DT-7K3M-9QX2``.

    ``attempt`` > 0 derives an alternative code when the store reports that the first one is taken
    (35 bits: collisions are rare but possible across a province's years of opinions).
    """
    seed = opinion_id if attempt == 0 else f"{opinion_id}#{attempt}"
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    payload = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(PAYLOAD))
    body = payload + check_char(payload)
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def invalid(code: str) -> DomainError:
    """The refusal of a code that cannot be one (wrong length, characters or check character)."""
    return DomainError(
        "invalid_tracking_code",
        f"Mã theo dõi “{code[:MAX_INPUT]}” không hợp lệ (không đúng dạng); mã gồm chữ DT và 8 ký tự, "
        "ví dụ DT-7K3M-9QX2, vui lòng kiểm tra lại.",
    )


def canonical(code: str) -> str:
    """The canonical form of a code typed or dictated by a citizen; refuses a wrong check character."""
    if len(code) > MAX_INPUT:
        raise invalid(code)
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(compact) == len(PREFIX) + PAYLOAD + 1 and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    compact = compact.translate(_CONFUSABLE)
    if len(compact) != PAYLOAD + 1 or any(ch not in _INDEX for ch in compact):
        raise invalid(code)
    if check_char(compact[:PAYLOAD]) != compact[PAYLOAD]:
        raise invalid(code)
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"
