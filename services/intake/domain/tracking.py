"""Identifiers citizens and other systems rely on: opinion ids and tracking codes.

Both are derived, never random, so a redelivered submission maps to the same opinion and the same
code. The tracking code is read over the phone: Crockford base32 (no I, L, O, U), grouped in fours,
with a Luhn mod 32 check character that catches every single-character slip and most swaps.
"""

from __future__ import annotations

import hashlib

from shared.errors import DomainError
from shared.ids import derived_id

__all__ = ["ALPHABET", "opinion_id_for", "tracking_code_for", "validate_tracking_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "DT"
_PAYLOAD = 7
# Crockford decoding: letters people confuse with digits are read as those digits.
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def opinion_id_for(source: str, external_id: str) -> str:
    """The opinion id of a submission: the same (source, external id) always gives the same id."""
    return derived_id("opinion", source, external_id)


def _check_char(payload: str) -> str:
    """Luhn mod 32 over the payload characters."""
    total = 0
    factor = 2
    for ch in reversed(payload):
        addend = factor * _INDEX[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def tracking_code_for(opinion_id: str, attempt: int = 0) -> str:
    """The tracking code of an opinion, e.g. ``DT-7K3M-9QX2``.

    ``attempt`` > 0 derives an alternative code when the store reports that the first one is taken
    (35 bits: collisions are rare but possible across a province's years of opinions).
    """
    seed = opinion_id if attempt == 0 else f"{opinion_id}#{attempt}"
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    payload = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(_PAYLOAD))
    body = payload + _check_char(payload)
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def _invalid(code: str) -> DomainError:
    return DomainError(
        "invalid_tracking_code",
        f"Mã theo dõi “{code}” không hợp lệ; vui lòng kiểm tra lại mã gồm 8 ký tự "
        "sau chữ DT, ví dụ DT-7K3M-9QX2.",
    )


def validate_tracking_code(code: str) -> str:
    """The canonical form of a code typed or dictated by a citizen; refuses a wrong check character."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(compact) == len(PREFIX) + _PAYLOAD + 1 and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    compact = compact.translate(_CONFUSABLE)
    if len(compact) != _PAYLOAD + 1 or any(ch not in _INDEX for ch in compact):
        raise _invalid(code)
    if _check_char(compact[:_PAYLOAD]) != compact[_PAYLOAD]:
        raise _invalid(code)
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"
