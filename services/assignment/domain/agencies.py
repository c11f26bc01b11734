"""Units, agencies and transfer rules: the routing table read from ``data/routing.toml``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from services.assignment.domain import refusals
from services.assignment.domain.fields import ANY

# Slug prefixes of administrative kinds (xã, phường, thị trấn, huyện, thị xã, thành phố, tỉnh).
KIND_PREFIXES = ("xa-", "phuong-", "thi-tran-", "huyen-", "thi-xa-", "thanh-pho-", "tp-", "tinh-")


@dataclass(frozen=True)
class Unit:
    """A node of the administrative tree (province, historical district, commune...)."""

    code: str
    name: str
    level: str
    parent: str | None = None


@dataclass(frozen=True)
class Agency:
    """A department or office that answers opinions of the fields it handles, while it exists.

    ``valid_from`` and ``valid_to`` are inclusive Vietnamese dates (None: open). Departments merge
    and units end (Hà Nam on 30 June 2025): a record keeps the agency in force on its own date.
    """

    code: str
    name: str
    level: str
    unit: str
    head_name: str
    head_title: str
    email: str
    fields: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def in_force(self, on: dt.date) -> bool:
        """Whether the agency existed on ``on``."""
        started = self.valid_from is None or self.valid_from <= on
        return started and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class TransferRule:
    """Opinions of ``field`` raised at ``from_level`` are beyond that level's authority."""

    from_level: str
    field: str
    competent_level: str
    kind: str = ANY
    body: str | None = None
    note: str = ""

    def matches(self, level: str, field_code: str, kind: str) -> bool:
        return self.from_level == level and self.field in (field_code, ANY) and self.kind in (kind, ANY)


@dataclass(frozen=True)
class TransferTarget:
    """Where a transferred opinion goes: the competent level, its unit and the body named to the citizen."""

    level: str
    body: str
    unit_code: str | None = None
    agency_code: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RoutingTable:
    """Read-only lookup over units, agencies and transfer rules."""

    units: tuple[Unit, ...]
    agencies: tuple[Agency, ...]
    transfers: tuple[TransferRule, ...] = ()
    level_names: dict[str, str] = field(default_factory=dict)

    def unit(self, code: str) -> Unit:
        for unit in self.units:
            if unit.code == code:
                return unit
        raise refusals.unknown_unit(code)

    def has_unit(self, code: str) -> bool:
        return any(unit.code == code for unit in self.units)

    def resolve_unit(self, code: str, name: str = "") -> str | None:
        """The table's code for a unit another context names differently, or None.

        Scheduling may prefix the kind ("xa-dong-du") or only share the name ("xã Đồng Du").
        """
        if self.has_unit(code):
            return code
        for prefix in KIND_PREFIXES:
            if code.startswith(prefix) and self.has_unit(code[len(prefix) :]):
                return code[len(prefix) :]
        wanted = name.strip().casefold()
        matches = [u.code for u in self.units if wanted and u.name.casefold() == wanted]
        return matches[0] if len(matches) == 1 else None

    def find_agency(self, code: str) -> Agency | None:
        """The agency with ``code``, or None when the table has none."""
        return next((a for a in self.agencies if a.code == code), None)

    def agency(self, code: str) -> Agency:
        """The agency with ``code``; refuses an unknown code."""
        agency = self.find_agency(code)
        if agency is None:
            raise refusals.unknown_agency(code)
        return agency

    def agencies_of(self, unit_code: str, on: dt.date | None = None) -> list[Agency]:
        """The unit's agencies in file order; only those in force on ``on`` when it is given."""
        return [a for a in self.agencies if a.unit == unit_code and (on is None or a.in_force(on))]

    def handler_for(self, unit_code: str, field_code: str, on: dt.date) -> Agency | None:
        """The first agency of the unit in force on ``on`` that handles the field.

        File order is the priority: a predecessor listed before the department it merged into
        answers in its own time (Sở Lao động - Thương binh và Xã hội before Sở Nội vụ).
        """
        for agency in self.agencies_of(unit_code, on):
            if field_code in agency.fields:
                return agency
        return None

    def ancestors(self, unit_code: str) -> Iterable[Unit]:
        """The unit's parents, nearest first."""
        current = self.unit(unit_code)
        seen = {current.code}
        while current.parent and current.parent not in seen:
            current = self.unit(current.parent)
            seen.add(current.code)
            yield current

    def transfer_rule(self, level: str, field_code: str, kind: str) -> TransferRule | None:
        for rule in self.transfers:
            if rule.matches(level, field_code, kind):
                return rule
        return None

    def transfer_target(
        self, rule: TransferRule, unit_code: str, field_code: str, on: dt.date
    ) -> TransferTarget:
        """Resolve a rule against the tree: the ancestor at the competent level and its agency on ``on``."""
        for ancestor in self.ancestors(unit_code):
            if ancestor.level == rule.competent_level:
                agency = self.handler_for(ancestor.code, field_code, on)
                body = rule.body or (agency.name if agency else f"Ủy ban nhân dân {ancestor.name}")
                return TransferTarget(
                    level=rule.competent_level,
                    body=body,
                    unit_code=ancestor.code,
                    agency_code=agency.code if agency else None,
                    note=rule.note,
                )
        # The competent level may sit outside the configured tree (central ministries).
        level_name = self.level_names.get(rule.competent_level, rule.competent_level)
        return TransferTarget(
            level=rule.competent_level,
            body=rule.body or f"Cơ quan có thẩm quyền {level_name}",
            note=rule.note,
        )
