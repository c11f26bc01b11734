"""``scheduling.cmd.units``: the unit tree the CLI prints (`dialogue units`), from the tree's data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from services.scheduling import queries
from services.scheduling.app import COMMANDS
from services.scheduling.domain import UnitTree
from shared.contracts.scheduling_commands import ListUnits
from shared.errors import DomainError, NotFound
from tests.unit.scheduling.handler_fixtures import Bed

pytestmark = pytest.mark.unit

TREE = {
    "levels": {
        "province": {"label": "cấp tỉnh", "rank": 1},
        "district": {"label": "cấp huyện", "rank": 2, "valid_to": dt.date(2025, 6, 30)},
        "commune": {"label": "cấp xã", "rank": 3},
    },
    "units": [
        {"code": "nb", "name": "tỉnh Ninh Bình", "level": "province", "valid_from": dt.date(1992, 1, 1)},
        {"code": "bl", "name": "huyện Bình Lục", "level": "district", "parent": "nb",
         "valid_from": dt.date(1997, 1, 1), "valid_to": dt.date(2025, 6, 30)},
        {"code": "dd", "name": "xã Đồng Du", "level": "commune", "parent": "bl",
         "valid_from": dt.date(1997, 1, 1), "valid_to": dt.date(2025, 6, 30), "merged_into": "blx"},
        {"code": "blx", "name": "xã Bình Lục", "level": "commune", "parent": "nb",
         "valid_from": dt.date(2025, 7, 1)},
    ],
}  # fmt: skip


def bed() -> Bed:
    test_bed = Bed()
    test_bed.deps = dataclasses.replace(test_bed.deps, units=UnitTree.from_doc(TREE))
    return test_bed


async def test_the_tree_comes_depth_first_with_levels_in_rank_order() -> None:
    data = await queries.units(bed().deps, ListUnits())
    assert [level["code"] for level in data["levels"]] == ["province", "district", "commune"]
    assert [(u["code"], u["depth"]) for u in data["units"]] == [("nb", 0), ("bl", 1), ("dd", 2), ("blx", 1)]
    dong_du = data["units"][2]
    assert dong_du["level_label"] == "cấp xã"
    assert (dong_du["valid_to"], dong_du["merged_into"]) == ("2025-06-30", "blx")


async def test_on_a_day_only_the_units_of_that_day_remain() -> None:
    today = await queries.units(bed().deps, ListUnits(on=dt.date(2026, 12, 1)))
    assert [u["code"] for u in today["units"]] == ["nb", "blx"]
    before = await queries.units(bed().deps, ListUnits(on=dt.date(2023, 5, 1), level="commune"))
    assert [u["code"] for u in before["units"]] == ["dd"]


async def test_under_a_unit_only_its_branch() -> None:
    data = await queries.units(bed().deps, ListUnits(under="bl"))
    assert [u["code"] for u in data["units"]] == ["bl", "dd"]
    with pytest.raises(NotFound) as unknown:
        await queries.units(bed().deps, ListUnits(under="khong-co"))
    assert unknown.value.code == "unknown_unit"


async def test_an_unknown_level_is_refused_with_the_levels_the_tree_has() -> None:
    with pytest.raises(DomainError) as refused:
        await queries.units(bed().deps, ListUnits(level="ward"))
    assert refused.value.code == "invalid_value"
    assert "province, district, commune" in str(refused.value)


def test_the_units_query_answers_on_scheduling_cmd_units() -> None:
    assert (COMMANDS["units"].payload, COMMANDS["units"].handler) == (ListUnits, queries.units)
