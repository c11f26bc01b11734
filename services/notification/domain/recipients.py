"""Turn a trigger and its event data into recipients, one channel each.

``event_data`` is the notification service's own view of the triggering event, filled by the
handler from the contracts. Keys read here: ``unit_id``, ``participant_groups`` (optional, all groups
of the unit when absent), ``agency_id``, ``escalated`` (overdue notices also reach the unit's heads),
``opinion_id`` and ``citizen`` (``name``, ``email``, ``phone``, ``channels``, ``consent``, ``id``).

Nothing here raises for bad data: an unreachable recipient comes back with ``failure`` set, so the
handler records a failed delivery instead of crashing the consumer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from services.notification.domain.directory import Contact, Directory
from services.notification.domain.triggers import AUDIENCE, Audience, Channel, Trigger

NO_USABLE_ADDRESS = "no_usable_address"
NOT_IN_DIRECTORY = "recipient_not_in_directory"

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
# Vietnamese numbers: 0xxxxxxxxx or +84xxxxxxxxx (9-10 digits after the prefix).
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
_URL = re.compile(r"^https?://[^\s]+$")
DEFAULT_CITIZEN_CHANNELS = (Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True)
class Recipient:
    """One addressee on one channel; ``failure`` is a reason code when nobody can be reached."""

    id: str
    name: str
    channel: Channel | None
    address: str | None
    failure: str | None = None

    @property
    def reachable(self) -> bool:
        return self.failure is None


def usable_address(contact: Contact, channel: Channel) -> str | None:
    """The contact's address on ``channel`` if it is well formed, else ``None``."""
    if channel is Channel.EMAIL:
        value, pattern = contact.email, _EMAIL
    elif channel is Channel.SMS:
        value = contact.phone.replace(" ", "").replace(".", "") if contact.phone else None
        pattern = _PHONE
    elif channel is Channel.WEBHOOK:
        value, pattern = contact.webhook_url, _URL
    else:
        # The log channel writes locally, so everyone is reachable there under their id.
        return f"log:{contact.id}"
    return value if value and pattern.match(value) else None


def pick(contact: Contact, available: Collection[Channel], fallback: Channel | None = None) -> Recipient:
    """The first preferred channel that is both configured and has a usable address, else ``fallback``."""
    candidates = [*contact.channels, fallback] if fallback is not None else list(contact.channels)
    for channel in candidates:
        if channel in available:
            address = usable_address(contact, channel)
            if address is not None:
                return Recipient(contact.id, contact.name, channel, address)
    first = contact.channels[0] if contact.channels else None
    return Recipient(contact.id, contact.name, first, None, NO_USABLE_ADDRESS)


def _citizen(event_data: Mapping[str, Any]) -> list[Contact]:
    raw = event_data.get("citizen")
    # Without consent the citizen asked not to be contacted: no notice and no failure either.
    if not isinstance(raw, Mapping) or raw.get("consent") is not True:
        return []
    try:
        channels = tuple(Channel(c) for c in raw.get("channels", DEFAULT_CITIZEN_CHANNELS))
    except ValueError:
        channels = DEFAULT_CITIZEN_CHANNELS
    cid = str(raw.get("id") or f"citizen:{event_data.get('opinion_id', 'unknown')}")
    return [
        Contact(
            id=cid,
            name=str(raw.get("name") or "Công dân"),
            channels=channels,
            email=raw.get("email"),
            phone=raw.get("phone"),
        )
    ]


def _missing(kind: str, key: Any) -> Recipient:
    return Recipient(f"{kind}:{key}", str(key), None, None, NOT_IN_DIRECTORY)


def _contacts(
    audience: Audience, event_data: Mapping[str, Any], directory: Directory
) -> tuple[list[Contact], list[Recipient]]:
    if audience is Audience.CITIZEN:
        return _citizen(event_data), []
    if audience in (Audience.AGENCY, Audience.AGENCY_THEN_HEAD):
        agency = directory.agencies.get(str(event_data.get("agency_id")))
        if agency is None:
            return [], [_missing("agency", event_data.get("agency_id"))]
        found = directory.contacts_of(agency.contacts)
        if audience is Audience.AGENCY or not event_data.get("escalated"):
            return found, []
        unit = directory.units.get(str(event_data.get("unit_id")))
        if unit is None:
            return found, [_missing("unit", event_data.get("unit_id"))]
        return found + directory.contacts_of(unit.heads), []
    unit = directory.units.get(str(event_data.get("unit_id")))
    if unit is None:
        return [], [_missing("unit", event_data.get("unit_id"))]
    if audience is Audience.HOST_UNIT:
        return directory.contacts_of(unit.host), []
    wanted = event_data.get("participant_groups") or list(unit.groups)
    found, failures = [], []
    for group in wanted:
        if group in unit.groups:
            found += directory.contacts_of(unit.groups[group])
        else:
            failures.append(_missing(f"group:{unit.id}", group))
    return found, failures


def resolve_recipients(
    trigger: Trigger,
    event_data: Mapping[str, Any],
    directory: Directory,
    available: Collection[Channel] = tuple(Channel),
    fallback: Channel | None = None,
) -> list[Recipient]:
    """Everyone ``trigger`` concerns, each once, on their first usable configured channel.

    ``fallback`` (the embedded default passes ``Channel.LOG``) catches contacts whose preferred
    channels are not configured; production leaves it ``None`` so a missing address stays visible.
    """
    contacts, failures = _contacts(AUDIENCE[trigger], event_data, directory)
    seen: set[str] = set()
    result: list[Recipient] = []
    for contact in contacts:
        if contact.id not in seen:
            seen.add(contact.id)
            result.append(pick(contact, available, fallback))
    return result + failures
