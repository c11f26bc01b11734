from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from services.scheduling.adapters.units_file import load_units
from services.scheduling.domain import UnitTree
from shared.errors import DomainError, NotFound

from .factories import units

pytestmark = pytest.mark.unit

BEFORE_REFORM = dt.date(2024, 4, 14)
AFTER_REFORM = dt.date(2025, 7, 1)


def test_shipped_file_holds_the_units_the_seed_names() -> None:
    tree = load_units()
    names = {u.code: u.name for u in tree}
    assert names["ha-nam"] == "tỉnh Hà Nam"
    assert names["binh-luc"] == "huyện Bình Lục"
    assert names["dong-du"] == "xã Đồng Du"
    assert names["duy-tien"] == "thị xã Duy Tiên"
    assert tree.get("duy-tien").kind == "thị xã"
    assert tree.get("duy-tien").level == "district"


def test_dong_du_sits_under_binh_luc_under_ha_nam() -> None:
    assert [u.code for u in units().ancestors("dong-du")] == ["binh-luc", "ha-nam"]
    assert units().ancestors("ha-nam") == []


def test_ha_nam_is_kept_as_history_merged_into_ninh_binh() -> None:
    tree = units()
    ha_nam = tree.get("ha-nam")
    assert ha_nam.valid_to == dt.date(2025, 6, 30)
    assert ha_nam.merged_into == "ninh-binh"
    assert [u.code for u in tree.active_on(BEFORE_REFORM, "province")] == ["ha-nam"]
    assert [u.code for u in tree.active_on(AFTER_REFORM, "province")] == ["ninh-binh"]


def test_no_district_is_active_after_the_two_tier_reform() -> None:
    assert units().active_on(AFTER_REFORM, "district") == []
    assert len(units().active_on(BEFORE_REFORM, "district")) == 5
    assert units().levels["district"].valid_to == dt.date(2025, 6, 30)


def test_children_can_be_restricted_to_a_date() -> None:
    tree = units()
    assert "dong-du" in [u.code for u in tree.children("binh-luc")]
    assert tree.children("binh-luc", on=AFTER_REFORM) == []
    assert {u.code for u in tree.children("ninh-binh", on=AFTER_REFORM)} == {"binh-luc-xa", "binh-my"}


def test_dong_du_is_succeeded_by_binh_luc_commune() -> None:
    successor = units().successor("dong-du")
    assert successor is not None
    assert successor.name == "xã Bình Lục"
    assert units().successor("binh-my") is None


def test_unknown_unit_is_refused_with_a_vietnamese_sentence() -> None:
    with pytest.raises(NotFound) as refused:
        units().get("dong-dzu")
    assert refused.value.code == "unknown_unit"
    assert "Không tìm thấy đơn vị hành chính có mã 'dong-dzu'" in refused.value.message


def test_a_unit_that_no_longer_exists_is_refused_naming_its_successor() -> None:
    assert units().require_active("dong-du", BEFORE_REFORM).code == "dong-du"
    with pytest.raises(DomainError) as refused:
        units().require_active("dong-du", AFTER_REFORM)
    assert refused.value.code == "unit_inactive"
    assert "'xã Bình Lục' (mã binh-luc-xa)" in refused.value.message
    assert "01/07/2025" in refused.value.message


def _doc(*units: dict[str, object]) -> dict[str, object]:
    return {
        "levels": {
            "province": {"label": "cấp tỉnh", "rank": 1},
            "district": {"label": "cấp huyện", "rank": 2, "valid_to": "2025-06-30"},
            "commune": {"label": "cấp xã", "rank": 3},
        },
        "units": list(units),
    }


PROVINCE: dict[str, object] = {"code": "p", "name": "tỉnh P", "level": "province", "valid_from": "2000-01-01"}


@pytest.mark.parametrize(
    ("bad_unit", "fragment"),
    [
        ({**PROVINCE}, "bị trùng"),
        ({"code": "x", "name": "xã X", "level": "hamlet", "valid_from": "2000-01-01"}, "chưa được khai báo"),
        ({"code": "x", "name": "xã X", "level": "commune", "parent": "q", "valid_from": "2000-01-01"}, "'q'"),
        (
            {"code": "x", "name": "tỉnh X", "level": "province", "parent": "p", "valid_from": "2000-01-01"},
            "cấp trên",
        ),
        (
            {"code": "x", "name": "huyện X", "level": "district", "parent": "p", "valid_from": "2000-01-01"},
            "bãi bỏ",
        ),
        (
            {
                "code": "x",
                "name": "xã X",
                "level": "commune",
                "valid_from": "2000-01-01",
                "valid_to": "1999-01-01",
            },
            "trước",
        ),
        ({"code": "x", "name": "xã X", "level": "commune"}, "thiếu hoặc sai trường"),
    ],
)
def test_an_inconsistent_unit_file_is_refused(bad_unit: dict[str, object], fragment: str) -> None:
    with pytest.raises(DomainError) as refused:
        UnitTree.from_doc(_doc(PROVINCE, bad_unit))
    assert refused.value.code == "invalid_unit_tree"
    assert fragment in refused.value.message


def test_units_can_be_loaded_from_another_file(tmp_path: Path) -> None:
    path = tmp_path / "units.toml"
    path.write_text(
        '[levels.province]\nlabel = "cấp tỉnh"\nrank = 1\n'
        '[levels.commune]\nlabel = "cấp xã"\nrank = 2\n'
        '[[units]]\ncode = "p"\nname = "tỉnh P"\nlevel = "province"\nvalid_from = 2000-01-01\n'
        '[[units]]\ncode = "c"\nname = "xã C"\nlevel = "commune"\nparent = "p"\nvalid_from = 2000-01-01\n',
        encoding="utf-8",
    )
    tree = load_units(path)
    assert len(tree) == 2
    assert tree.level("c").label == "cấp xã"
