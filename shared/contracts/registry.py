"""Find an event class by name, to store outgoing events with an aggregate and re-publish them."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from types import ModuleType
from typing import Any

from shared.contracts.base import Event


@lru_cache(maxsize=1)
def _all_event_classes() -> dict[str, type[Event]]:
    # Importing the modules registers their subclasses.
    from shared.contracts import assignment, intake, notification, rejections, scheduling  # noqa: F401

    found: dict[str, type[Event]] = {}
    pending: list[type[Event]] = [Event]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            found[sub.__name__] = sub
            pending.append(sub)
    return found


def dump_events(events: Iterable[Event]) -> list[dict[str, Any]]:
    """Events as JSON-compatible dicts tagged with their type."""
    return [{"type": type(e).__name__, "data": e.model_dump(mode="json")} for e in events]


def load_events(stored: Iterable[dict[str, Any]]) -> list[Event]:
    """The events ``dump_events`` stored, with their original ids and timestamps."""
    classes = _all_event_classes()
    return [classes[item["type"]].model_validate(item["data"]) for item in stored]


def events_of(module: ModuleType) -> list[type[Event]]:
    """Every concrete event class a contracts module defines (one with a ``SUBJECT``), in definition
    order, for AsyncAPI docs; abstract bases such as ``ConferenceEvent`` have no channel of their own."""
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, Event)
        and obj.__module__ == module.__name__
        and isinstance(getattr(obj, "SUBJECT", None), str)
    ]
