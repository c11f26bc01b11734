"""Tracking codes as citizens type them (``DT-7K3M-9QX2``): the same format intake issues.

The check is the one printed on every acknowledgement: ``DT``, seven Crockford base-32 characters
and a Luhn mod 32 check character. The portal checks it before it reads anything, so a mistyped code
is told apart from an unknown one.
"""

from __future__ import annotations

from shared.errors import DomainError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "DT"
_PAYLOAD = 7
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
MAX_INPUT = 40


def _check_char(payload: str) -> str:
    total = 0
    factor = 2
    for ch in reversed(payload):
        addend = factor * _INDEX[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def malformed(code: str) -> DomainError:
    shown = code[:MAX_INPUT]
    return DomainError(
        "invalid_tracking_code",
        f"Mã theo dõi “{shown}” không đúng dạng; mã gồm chữ DT và 8 ký tự, ví dụ DT-7K3M-9QX2, "
        "vui lòng kiểm tra lại.",
    )


def unknown(code: str) -> DomainError:
    return DomainError(
        "unknown_tracking_code",
        f"Không tìm thấy ý kiến có mã {code}; mã có thể chưa được ghi nhận, vui lòng kiểm tra lại "
        "hoặc thử lại sau ít phút.",
    )


def canonical(code: str) -> str:
    """The canonical form of a typed code, or the refusal ``invalid_tracking_code``."""
    if len(code) > MAX_INPUT:
        raise malformed(code)
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(compact) == len(PREFIX) + _PAYLOAD + 1 and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    compact = compact.translate(_CONFUSABLE)
    if len(compact) != _PAYLOAD + 1 or any(ch not in _INDEX for ch in compact):
        raise malformed(code)
    if _check_char(compact[:_PAYLOAD]) != compact[_PAYLOAD]:
        raise malformed(code)
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"
