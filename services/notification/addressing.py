"""Who receives a notice, on top of ``domain.recipients``: the event's own addresses and projections.

The directory is the first source; an agency missing from it is still reached at the address its
assignment event carries, and an overdue opinion's head at the head's address. Citizens are reached
only through the contact they consented to give with their opinion (kept by opinion id).
"""

from __future__ import annotations

from typing import Any

from shared.storage import DocumentStore

from .adapters.repository import CONFERENCES, CONTACTS
from .domain.directory import Contact
from .domain.recipients import Recipient, pick, resolve_recipients
from .domain.triggers import Channel, Trigger
from .service import Deps


def unit_name(deps: Deps, unit_code: str | None, known: str = "") -> str:
    if known:
        return known
    unit = deps.directory.units.get(unit_code or "")
    return unit.name if unit else (unit_code or "địa phương")


def agency(
    deps: Deps, trigger: Trigger, code: str | None, name: str | None, email: str | None
) -> list[Recipient]:
    """The agency's directory contacts, else the address its event carries, else a recorded failure."""
    if code in deps.directory.agencies or not email:
        return resolve_recipients(trigger, {"agency_id": code}, deps.directory, deps.available, deps.fallback)
    # The address of an agency is its clerk's office (văn thư), which registers incoming documents.
    contact = Contact(
        id=f"agency:{code}", name=f"Văn thư {name or code}", channels=(Channel.EMAIL,), email=email
    )
    return [pick(contact, deps.available, deps.fallback)]


def head(
    deps: Deps,
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
        return [pick(contact, deps.available, deps.fallback)]
    unit = deps.directory.units.get(unit_code or "")
    if unit is None or email:
        return []
    return [pick(c, deps.available, deps.fallback) for c in deps.directory.contacts_of(unit.heads)]


def citizen_data(opinion_id: str, name: str, email: str | None, phone: str | None) -> dict[str, Any]:
    return {
        "id": f"citizen:{opinion_id}",
        "name": name,
        "email": email,
        "phone": phone,
        "consent": True,
    }


async def remember_citizen(store: DocumentStore, opinion_id: str, citizen: dict[str, Any]) -> None:
    await store.upsert(CONTACTS, {"_id": opinion_id, "version": 1, "citizen": citizen})


async def citizen(deps: Deps, trigger: Trigger, opinion_id: str) -> list[Recipient]:
    """The consenting citizen of an opinion, or nobody (no consent, or intake sent no contact)."""
    doc = await deps.store.get(CONTACTS, opinion_id)
    if doc is None:
        return []
    data = {"opinion_id": opinion_id, "citizen": doc["citizen"]}
    return resolve_recipients(trigger, data, deps.directory, deps.available, deps.fallback)


async def remember_conference(store: DocumentStore, conference_id: str, title: str, unit: str) -> None:
    await store.upsert(CONFERENCES, {"_id": conference_id, "version": 1, "title": title, "unit_name": unit})


async def conference_of(store: DocumentStore, conference_id: str | None) -> dict[str, Any]:
    doc = await store.get(CONFERENCES, conference_id) if conference_id else None
    return {"title": doc["title"], "unit_name": doc["unit_name"]} if doc else {"title": "", "unit_name": ""}
