"""The one mapping from a domain event (a dataclass) to its published contract (a pydantic model).

A domain event and its contract share the class name and the field names; the domain stays free of
pydantic and the contract keeps the documentation. Fields the contract does not have are left out,
so a domain event may carry what only its service needs; ``extra`` adds or overrides fields the
domain does not know (the correlation id, names looked up in configuration).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from shared.contracts.base import Event


def contract_of(event: object, contracts: ModuleType) -> type[Event]:
    """The contract class in ``contracts`` named like ``event``'s class."""
    cls = getattr(contracts, type(event).__name__, None)
    if not (isinstance(cls, type) and issubclass(cls, Event)):
        raise LookupError(f"{contracts.__name__} has no contract for {type(event).__name__}")
    return cls


def to_contract(event: object, contracts: ModuleType, **extra: Any) -> Event:
    """``event`` as the contract of the same name, with ``extra`` fields added or overriding."""
    if not dataclasses.is_dataclass(event) or isinstance(event, type):
        raise TypeError(f"{type(event).__name__} is not a domain event (a dataclass instance)")
    contract = contract_of(event, contracts)
    known = contract.model_fields
    fields = {f.name: _plain(getattr(event, f.name)) for f in dataclasses.fields(event) if f.name in known}
    fields.update({k: v for k, v in extra.items() if k in known})
    return contract.model_validate(fields)


def _plain(value: Any) -> Any:
    """Nested domain values as the JSON-like data a contract validates: dataclasses, enums, tuples."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_contracts(events: Iterable[object], contracts: ModuleType, **extra: Any) -> list[Event]:
    return [to_contract(e, contracts, **extra) for e in events]
