"""Load the routing table and deadline policy from TOML (default: the packaged demo data).

The file is checked whole before anything uses it: an operator who mistypes a field or unit code
learns it at start-up, in one sentence, not when the first opinion is misrouted.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from services.assignment.domain.agencies import Agency, RoutingTable, TransferRule, Unit
from services.assignment.domain.deadlines import DeadlinePolicy, DeadlineRule
from services.assignment.domain.fields import ANY, Field, OpinionKind
from shared.errors import DomainError
from shared.workdays import DayType

_FIELDS = {f.value for f in Field}
_KINDS = {k.value for k in OpinionKind}


@dataclass(frozen=True)
class RoutingConfig:
    table: RoutingTable
    policy: DeadlinePolicy


def _invalid(source: str, what: str) -> DomainError:
    return DomainError(
        "invalid_routing_file",
        f"Tệp phân công «{source}» không hợp lệ: {what}; hãy sửa tệp rồi khởi động lại.",
    )


def default_path() -> Path:
    return Path(str(resources.files("services.assignment.data").joinpath("routing.toml")))


def load_routing(path: Path | None = None) -> RoutingConfig:
    """Read and validate ``path`` (the packaged ``routing.toml`` when None)."""
    source = path or default_path()
    with source.open("rb") as handle:
        raw = tomllib.load(handle)
    return parse_routing(raw, str(source))


def _rule(raw: dict[str, Any], source: str) -> DeadlineRule:
    field = raw.get("field", ANY)
    kind = raw.get("kind", ANY)
    if field != ANY and field not in _FIELDS:
        raise _invalid(source, f"lĩnh vực «{field}» trong quy tắc thời hạn không tồn tại")
    if kind != ANY and kind not in _KINDS:
        raise _invalid(source, f"loại ý kiến «{kind}» trong quy tắc thời hạn không tồn tại")
    days = int(raw.get("days", 15))
    if days <= 0:
        raise _invalid(source, f"số ngày {days} của quy tắc thời hạn phải lớn hơn 0")
    try:
        day_type = DayType(raw.get("day_type", DayType.WORKING.value))
    except ValueError:
        raise _invalid(source, f"loại ngày «{raw.get('day_type')}» phải là working hoặc calendar") from None
    return DeadlineRule(field, kind, days, day_type)


def _policy(raw: dict[str, Any], source: str) -> DeadlinePolicy:
    return DeadlinePolicy(
        rules=tuple(_rule(r, source) for r in raw.get("rules", [])),
        default=_rule(raw.get("default", {}), source),
        reminder_days=int(raw.get("reminder_working_days", 3)),
        max_extension_days=int(raw.get("max_extension_working_days", 15)),
        max_extensions=int(raw.get("max_extensions", 2)),
    )


def _day(raw: dict[str, Any], key: str, source: str) -> dt.date | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _invalid(
            source,
            f"{key} «{value}» của cơ quan «{raw['code']}» phải là một ngày dạng 2025-07-01 (không ngoặc kép)",
        )
    return value


def _agency(a: dict[str, Any], source: str) -> Agency:
    """One ``[[agencies]]`` entry, with its validity dates checked."""
    valid_from, valid_to = _day(a, "valid_from", source), _day(a, "valid_to", source)
    if valid_from is not None and valid_to is not None and valid_from > valid_to:
        raise _invalid(
            source,
            f"cơ quan «{a['code']}» có valid_from {valid_from.isoformat()} "
            f"sau valid_to {valid_to.isoformat()}",
        )
    person = (a["head_name"], a["head_title"], a["email"])
    fields = tuple(a.get("fields", []))
    return Agency(a["code"], a["name"], a["level"], a["unit"], *person, fields, valid_from, valid_to)


def parse_routing(raw: dict[str, Any], source: str = "routing.toml") -> RoutingConfig:
    """Build the routing config from parsed TOML, refusing dangling codes."""
    levels: dict[str, str] = dict(raw.get("levels", {}))
    units = tuple(Unit(u["code"], u["name"], u["level"], u.get("parent")) for u in raw.get("units", []))
    unit_codes = {u.code for u in units}
    for unit in units:
        if unit.level not in levels:
            raise _invalid(
                source, f"cấp «{unit.level}» của đơn vị «{unit.code}» chưa khai báo trong [levels]"
            )
        if unit.parent and unit.parent not in unit_codes:
            raise _invalid(source, f"đơn vị cha «{unit.parent}» của «{unit.code}» không tồn tại")
    agencies: list[Agency] = []
    for a in raw.get("agencies", []):
        if a["unit"] not in unit_codes:
            raise _invalid(source, f"đơn vị «{a['unit']}» của cơ quan «{a['code']}» không tồn tại")
        unknown = set(a.get("fields", [])) - _FIELDS
        if unknown:
            raise _invalid(source, f"lĩnh vực {sorted(unknown)} của cơ quan «{a['code']}» không tồn tại")
        agencies.append(_agency(a, source))
    codes = [a.code for a in agencies]
    if len(codes) != len(set(codes)):
        raise _invalid(source, "có mã cơ quan bị trùng")
    transfers = tuple(
        TransferRule(
            t["from_level"],
            t["field"],
            t["competent_level"],
            t.get("kind", ANY),
            t.get("body"),
            t.get("note", ""),
        )
        for t in raw.get("transfers", [])
    )
    for rule in transfers:
        if rule.field != ANY and rule.field not in _FIELDS:
            raise _invalid(source, f"lĩnh vực «{rule.field}» trong quy tắc chuyển không tồn tại")
    table = RoutingTable(units, tuple(agencies), transfers, levels)
    return RoutingConfig(table, _policy(raw.get("policy", {}), source))
