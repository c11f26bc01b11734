from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.domain import opinion_id_for, tracking_code_for, validate_tracking_code
from services.intake.domain.tracking import ALPHABET
from shared.errors import DomainError

pytestmark = pytest.mark.unit

CODE = re.compile(rf"DT-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def test_the_same_submission_always_gets_the_same_opinion_id() -> None:
    assert opinion_id_for("cong-thong-tin", "PA-2024-001") == opinion_id_for("cong-thong-tin", "PA-2024-001")


def test_the_same_external_id_from_two_sources_gives_two_opinions() -> None:
    assert opinion_id_for("hotline", "001") != opinion_id_for("cong-thong-tin", "001")


def test_source_and_external_id_cannot_be_shifted_into_each_other() -> None:
    assert opinion_id_for("ab", "c") != opinion_id_for("a", "bc")


@given(st.uuids().map(str))
def test_a_tracking_code_is_short_grouped_and_free_of_confusable_letters(opinion_id: str) -> None:
    code = tracking_code_for(opinion_id)
    assert CODE.fullmatch(code)
    assert not set(code[3:].replace("-", "")) & set("ILOU")


@given(st.uuids().map(str))
def test_a_tracking_code_is_derived_from_the_opinion_id(opinion_id: str) -> None:
    assert tracking_code_for(opinion_id) == tracking_code_for(opinion_id)
    assert validate_tracking_code(tracking_code_for(opinion_id)) == tracking_code_for(opinion_id)


def test_a_retry_after_a_collision_gets_another_valid_code() -> None:
    first = tracking_code_for("op-1")
    second = tracking_code_for("op-1", attempt=1)
    assert first != second
    assert validate_tracking_code(second) == second


@given(st.uuids().map(str))
def test_a_code_dictated_in_lower_case_without_dashes_or_prefix_is_accepted(opinion_id: str) -> None:
    code = tracking_code_for(opinion_id)
    assert validate_tracking_code(code.lower().replace("-", " ")) == code
    assert validate_tracking_code(code[3:].replace("-", "")) == code


def test_letters_mistaken_for_digits_are_read_as_the_digits() -> None:
    code = next(
        c for c in (tracking_code_for(f"op-{i}") for i in range(500)) if "0" in c[3:] and "1" in c[3:]
    )
    typed = code.replace("0", "O").replace("1", "l")
    assert validate_tracking_code(typed) == code


@given(st.uuids().map(str), st.integers(min_value=0, max_value=7), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_caught_by_the_check_character(
    opinion_id: str, position: int, replacement: str
) -> None:
    body = tracking_code_for(opinion_id)[3:].replace("-", "")
    if body[position] == replacement:
        return
    typed = body[:position] + replacement + body[position + 1 :]
    with pytest.raises(DomainError) as caught:
        validate_tracking_code(typed)
    assert caught.value.code == "invalid_tracking_code"


@pytest.mark.parametrize("typed", ["", "DT-", "DT-7K3M", "DT-7K3M-9QX2-AB", "DT-ĐK3M-9QX2", "DT-UUUU-UUUU"])
def test_malformed_codes_are_refused_with_a_vietnamese_sentence(typed: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_tracking_code(typed)
    assert caught.value.code == "invalid_tracking_code"
    assert "Mã theo dõi" in caught.value.message
