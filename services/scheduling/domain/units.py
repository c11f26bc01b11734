"""Administrative units as a configurable tree.

Levels are data, not an enum: the district level was abolished on 1 July 2025 and provinces merged,
yet historical conferences keep the level and the unit they had. A unit is valid over a date range
and may name the unit it was merged into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from services.scheduling.domain.text import vn_date
from shared.errors import DomainError, NotFound


@dataclass(frozen=True)
class Level:
    """A tier of local government; ``rank`` grows downwards (province 1, commune 3)."""

    code: str
    label: str
    rank: int
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Unit:
    """One administrative unit over the period it existed."""

    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None = None
    merged_into: str | None = None
    kind: str = ""  # what people call it: "thị xã", "phường"...; the level says how it is governed

    def active_on(self, day: dt.date) -> bool:
        """True when the unit existed on ``day`` (both ends inclusive)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _invalid(reason: str) -> DomainError:
    return DomainError("invalid_unit_tree", f"Danh mục đơn vị hành chính không hợp lệ: {reason}.")


class UnitTree:
    """Lookup, parents, children and validity of administrative units."""

    def __init__(self, levels: Iterable[Level], units: Iterable[Unit]) -> None:
        self._levels = {level.code: level for level in levels}
        self._units: dict[str, Unit] = {}
        for unit in units:
            if unit.code in self._units:
                raise _invalid(f"mã đơn vị '{unit.code}' bị trùng, hãy đặt mã khác")
            self._units[unit.code] = unit
        self._children: dict[str, list[Unit]] = {}
        for unit in self._units.values():
            self._check(unit)
            if unit.parent_code is not None:
                self._children.setdefault(unit.parent_code, []).append(unit)

    def _check(self, unit: Unit) -> None:
        where = f"đơn vị '{unit.code}'"
        if unit.level not in self._levels:
            raise _invalid(f"{where} có cấp '{unit.level}' chưa được khai báo trong mục levels")
        if unit.valid_to is not None and unit.valid_to < unit.valid_from:
            raise _invalid(f"{where} có ngày kết thúc trước ngày bắt đầu hiệu lực")
        level_end = self._levels[unit.level].valid_to
        if level_end is not None and (unit.valid_to is None or unit.valid_to > level_end):
            raise _invalid(f"{where} phải kết thúc hiệu lực trước khi cấp '{unit.level}' bị bãi bỏ")
        for ref in (unit.parent_code, unit.merged_into):
            if ref is not None and ref not in self._units:
                raise _invalid(f"{where} tham chiếu mã '{ref}' không có trong danh mục")
        if unit.parent_code is not None:
            parent = self._units[unit.parent_code]
            if self._levels[parent.level].rank >= self._levels[unit.level].rank:
                raise _invalid(f"{where} phải thuộc một đơn vị cấp trên, không phải '{parent.code}'")

    @property
    def levels(self) -> Mapping[str, Level]:
        return dict(self._levels)

    def __iter__(self) -> Any:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def find(self, code: str) -> Unit | None:
        return self._units.get(code)

    def get(self, code: str) -> Unit:
        """The unit with ``code``; refused with a sentence when unknown."""
        unit = self._units.get(code)
        if unit is None:
            raise NotFound(
                "unknown_unit",
                f"Không tìm thấy đơn vị hành chính có mã '{code}'; "
                "hãy kiểm tra lại mã trong danh mục đơn vị.",
            )
        return unit

    def level(self, code: str) -> Level:
        """The level of the unit ``code``."""
        return self._levels[self.get(code).level]

    def children(self, code: str, on: dt.date | None = None) -> list[Unit]:
        """Direct children of ``code``, only those active ``on`` a date when one is given."""
        self.get(code)
        kids = self._children.get(code, [])
        return [u for u in kids if on is None or u.active_on(on)]

    def ancestors(self, code: str) -> list[Unit]:
        """Parent first, root last."""
        chain: list[Unit] = []
        unit = self.get(code)
        while unit.parent_code is not None:
            unit = self._units[unit.parent_code]
            if unit in chain:
                raise _invalid(f"quan hệ cấp trên của '{code}' bị vòng lặp")
            chain.append(unit)
        return chain

    def active_on(self, day: dt.date, level: str | None = None) -> list[Unit]:
        """Units that existed on ``day``, optionally of one level, sorted by code."""
        return sorted(
            (u for u in self._units.values() if u.active_on(day) and (level is None or u.level == level)),
            key=lambda u: u.code,
        )

    def successor(self, code: str) -> Unit | None:
        """The unit that finally absorbed ``code`` through a chain of mergers, if any."""
        unit = self.get(code)
        seen = {unit.code}
        while unit.merged_into is not None:
            unit = self._units[unit.merged_into]
            if unit.code in seen:
                raise _invalid(f"chuỗi sáp nhập của '{code}' bị vòng lặp")
            seen.add(unit.code)
        return None if unit.code == code else unit

    def require_active(self, code: str, on: dt.date) -> Unit:
        """The unit ``code``, refused when it did not exist on ``on``."""
        unit = self.get(code)
        if unit.active_on(on):
            return unit
        successor = self.successor(code)
        hint = (
            f"đã sáp nhập vào '{successor.name}' (mã {successor.code})"
            if successor is not None
            else "không còn tồn tại hoặc chưa được thành lập"
        )
        raise DomainError(
            "unit_inactive",
            f"Đơn vị '{unit.name}' không hoạt động vào ngày {vn_date(on)} ({hint}); "
            "hãy chọn đơn vị đang hoạt động vào ngày diễn ra hội nghị.",
        )

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> UnitTree:
        """Build from the data file's shape: ``levels`` (a table per code) and ``units`` (a list)."""
        try:
            levels = [
                Level(
                    code=code,
                    label=str(raw["label"]),
                    rank=int(raw["rank"]),
                    valid_to=_opt_date(raw, "valid_to"),
                )
                for code, raw in doc["levels"].items()
            ]
            units = [
                Unit(
                    code=str(raw["code"]),
                    name=str(raw["name"]),
                    level=str(raw["level"]),
                    parent_code=raw.get("parent"),
                    valid_from=_as_date(raw["valid_from"]),
                    valid_to=_opt_date(raw, "valid_to"),
                    merged_into=raw.get("merged_into"),
                    kind=str(raw.get("kind", "")),
                )
                for raw in doc["units"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise _invalid(f"thiếu hoặc sai trường {exc}, hãy sửa tệp dữ liệu theo mẫu units.toml") from exc
        return cls(levels, units)


def _as_date(value: object) -> dt.date:
    # TOML gives real dates; JSON and settings give ISO strings.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _opt_date(raw: Mapping[str, Any], key: str) -> dt.date | None:
    value = raw.get(key)
    return None if value is None else _as_date(value)
