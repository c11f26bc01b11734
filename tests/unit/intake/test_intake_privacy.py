from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.privacy import mask_id_number, mask_phone, redact

pytestmark = pytest.mark.unit

_digit = st.sampled_from("0123456789")
_sep = st.sampled_from(["", " ", ".", "-"])
# Text around a number: Vietnamese letters, punctuation and spaces, but no digit that would make the
# number longer than what it is.
_words = st.text(st.sampled_from("abcđơưăâêôáàảãạ ĐÊ:,;()/\n"), max_size=30)


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """A Vietnamese phone number as written, and its digits."""
    prefix = draw(st.sampled_from(["0", "+84", "84", "+84 ", "0"]))
    first = draw(st.sampled_from("123456789"))
    rest = draw(st.lists(_digit, min_size=8, max_size=9))
    written = prefix + first
    for digit in rest:
        written += draw(_sep) + digit
    return written, "".join(ch for ch in written if ch.isdigit())


ids = st.one_of(
    st.text("0123456789", min_size=12, max_size=12), st.text("0123456789", min_size=9, max_size=9)
)


@given(_words, phones(), _words)
def test_a_redacted_text_never_contains_the_phone_number(
    before: str, phone: tuple[str, str], after: str
) -> None:
    written, digits = phone
    out = redact(before + written + after)
    assert written not in out
    assert digits not in "".join(ch for ch in out if ch.isdigit() or ch == "*")
    assert out.startswith(before)
    assert out.endswith(after)


@given(_words, ids, _words)
def test_a_redacted_text_never_contains_the_id_number(before: str, number: str, after: str) -> None:
    assert number not in redact(f"{before}{number}{after}")


@given(_words, phones(), ids)
def test_redacting_twice_changes_nothing_more(text: str, phone: tuple[str, str], number: str) -> None:
    once = redact(f"{text} {phone[0]} CCCD {number}")
    assert redact(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SĐT 0912.345.678 nhé", "SĐT ****.***.678 nhé"),
        ("Gọi +84 912 345 678", "Gọi +** *** *** 678"),
        ("CCCD 035090001234, CMND 012345678", "CCCD *********234, CMND ******678"),
        ("Máy bàn 024 3825 1234", "Máy bàn *** **** *234"),
    ],
)
def test_phone_and_id_numbers_keep_only_their_last_three_digits(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hỗ trợ 100.000.000 đồng",
        "Năm 2024, thôn An Bài 1",
        "Hội nghị ngày 14/4/2024 lúc 08:30",
        "Mã DT-7K3M-9QX2",
    ],
)
def test_amounts_dates_and_tracking_codes_are_left_readable(text: str) -> None:
    assert redact(text) == text


def test_masking_helpers_hide_all_but_the_last_three_digits() -> None:
    assert mask_phone("0912345678") == "*******678"
    assert mask_id_number("035090001234") == "*********234"
    assert mask_id_number("012345678") == "******678"


def test_a_number_too_short_to_show_a_tail_is_masked_entirely() -> None:
    assert mask_phone("123") == "***"
