"""Scheduling's query payloads refuse what no programme can mean, before any work is done."""

from __future__ import annotations

import pytest

from shared import refusals
from shared.contracts.scheduling_commands import CheckCompliance, ListConferences
from shared.errors import DomainError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("model", "body", "bound"),
    [
        (CheckCompliance, {"year": 99999}, "đến 2100"),
        (CheckCompliance, {"year": 1999}, "từ 2000"),
        (ListConferences, {"year": 99999}, "đến 2100"),
    ],
)
def test_a_year_outside_any_programme_is_refused_with_its_bound(
    model: type, body: dict[str, int], bound: str
) -> None:
    with pytest.raises(DomainError) as refused:
        refusals.parse(model, body)

    assert refused.value.code == "invalid_value"
    assert bound in refused.value.message


def test_a_programme_year_is_accepted() -> None:
    assert refusals.parse(CheckCompliance, {"year": 2026}).year == 2026
