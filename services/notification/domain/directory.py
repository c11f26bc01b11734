"""The notification directory: who belongs to which group, agency or host unit, and how to reach them.

Parsing is pure (a mapping in, a ``Directory`` out) so the TOML loader stays a thin adapter and the
rules are testable without files. Contacts are declared once and referenced by id, so a person who
belongs to two groups is still one recipient.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from services.notification.domain.triggers import Channel
from shared.errors import DomainError


@dataclass(frozen=True)
class Contact:
    """A person or office that can receive notices, with channels in order of preference."""

    id: str
    name: str
    channels: tuple[Channel, ...] = (Channel.EMAIL,)
    email: str | None = None
    phone: str | None = None
    webhook_url: str | None = None


@dataclass(frozen=True)
class Unit:
    """A local government unit: its host office, its heads and its participant groups."""

    id: str
    name: str
    host: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Agency:
    """A department or agency that answers opinions in writing."""

    id: str
    name: str
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Directory:
    """Everything the recipient resolver needs; contact ids are checked at load time."""

    contacts: Mapping[str, Contact]
    units: Mapping[str, Unit]
    agencies: Mapping[str, Agency]

    def contacts_of(self, ids: tuple[str, ...]) -> list[Contact]:
        return [self.contacts[i] for i in ids]


def _invalid(detail: str) -> DomainError:
    return DomainError("directory_invalid", f"Danh bạ thông báo không hợp lệ: {detail}; hãy sửa tệp danh bạ.")


def _channels(raw: Any, contact_id: str) -> tuple[Channel, ...]:
    try:
        return tuple(Channel(c) for c in raw)
    except (ValueError, TypeError):
        raise _invalid(f"liên hệ {contact_id} có kênh không được hỗ trợ {raw!r}") from None


def _ids(raw: Any, where: str, contacts: Mapping[str, Contact]) -> tuple[str, ...]:
    ids = tuple(str(i) for i in (raw or ()))
    missing = [i for i in ids if i not in contacts]
    if missing:
        raise _invalid(f"{where} tham chiếu liên hệ không tồn tại {', '.join(missing)}")
    return ids


def parse_directory(data: Mapping[str, Any]) -> Directory:
    """Build a ``Directory`` from its TOML/JSON shape; raises ``DomainError('directory_invalid')``."""
    contacts: dict[str, Contact] = {}
    for raw in data.get("contacts", []):
        if "id" not in raw or "name" not in raw:
            raise _invalid(f"một liên hệ thiếu id hoặc name ({raw!r})")
        cid = str(raw["id"])
        if cid in contacts:
            raise _invalid(f"liên hệ {cid} bị khai báo hai lần")
        contacts[cid] = Contact(
            id=cid,
            name=str(raw["name"]),
            channels=_channels(raw.get("channels", ["email"]), cid),
            email=raw.get("email"),
            phone=raw.get("phone"),
            webhook_url=raw.get("webhook_url"),
        )
    units = {
        uid: Unit(
            id=uid,
            name=str(raw.get("name", uid)),
            host=_ids(raw.get("host"), f"đơn vị {uid}", contacts),
            heads=_ids(raw.get("heads"), f"đơn vị {uid}", contacts),
            groups={
                g: _ids(members, f"nhóm {g} của đơn vị {uid}", contacts)
                for g, members in raw.get("groups", {}).items()
            },
        )
        for uid, raw in data.get("units", {}).items()
    }
    agencies = {
        aid: Agency(
            id=aid,
            name=str(raw.get("name", aid)),
            contacts=_ids(raw.get("contacts"), f"cơ quan {aid}", contacts),
        )
        for aid, raw in data.get("agencies", {}).items()
    }
    return Directory(contacts=contacts, units=units, agencies=agencies)
