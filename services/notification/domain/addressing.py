"""Who receives a notice, on top of ``recipients``: the event's own addresses and the projections.

The directory is the first source; an agency missing from it is still reached at the address its
assignment event carries, and an overdue opinion's head at the head's address. Citizens are reached
only through the contact they consented to give with their opinion (kept by opinion id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.notification.domain.directory import Contact, Directory
from services.notification.domain.recipients import Recipient, pick, resolve_recipients
from services.notification.domain.triggers import Channel, Trigger


@dataclass(frozen=True)
class Reach:
    """The directory, the configured channels and the fallback: everything addressing reads."""

    directory: Directory
    available: tuple[Channel, ...]
    fallback: Channel | None

    def resolve(self, trigger: Trigger, data: Mapping[str, Any]) -> list[Recipient]:
        return resolve_recipients(trigger, data, self.directory, self.available, self.fallback)

    def unit_name(self, unit_code: str | None, known: str = "") -> str:
        if known:
            return known
        unit = self.directory.units.get(unit_code or "")
        return unit.name if unit else (unit_code or "địa phương")

    def agency_name(self, code: str) -> str:
        agency = self.directory.agencies.get(code)
        return agency.name if agency else code

    def agency(
        self, trigger: Trigger, code: str | None, name: str | None, email: str | None
    ) -> list[Recipient]:
        """The agency's directory contacts, else the address its event carries, else a recorded failure."""
        if code in self.directory.agencies or not email:
            return self.resolve(trigger, {"agency_id": code})
        # The address of an agency is its clerk's office (văn thư), which registers incoming documents.
        contact = Contact(
            id=f"agency:{code}", name=f"Văn thư {name or code}", channels=(Channel.EMAIL,), email=email
        )
        return [pick(contact, self.available, self.fallback)]

    def head(
        self,
        unit_code: str | None,
        agency_code: str | None,
        name: str | None,
        title: str | None,
        email: str | None,
        agency_addresses: set[str],
    ) -> list[Recipient]:
        """The head an overdue opinion escalates to: the event's head, else the unit's heads."""
        if email and email not in agency_addresses:
            label = " ".join(p for p in (title, name) if p) or "Thủ trưởng cơ quan"
            contact = Contact(id=f"head:{agency_code}", name=label, channels=(Channel.EMAIL,), email=email)
            return [pick(contact, self.available, self.fallback)]
        unit = self.directory.units.get(unit_code or "")
        if unit is None or email:
            return []
        return [pick(c, self.available, self.fallback) for c in self.directory.contacts_of(unit.heads)]

    def citizen(
        self, trigger: Trigger, opinion_id: str, citizen: Mapping[str, Any] | None
    ) -> list[Recipient]:
        """The consenting citizen of an opinion, or nobody (no consent, or intake sent no contact)."""
        if citizen is None:
            return []
        return self.resolve(trigger, {"opinion_id": opinion_id, "citizen": citizen})


def citizen_data(opinion_id: str, name: str, email: str | None, phone: str | None) -> dict[str, Any]:
    return {"id": f"citizen:{opinion_id}", "name": name, "email": email, "phone": phone, "consent": True}
