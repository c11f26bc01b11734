"""Loads the classification rules and the demo conferences from the TOML files under ``data/``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.intake.domain.classification import FieldRule, RuleSet

__all__ = ["DATA_DIR", "DemoConference", "DemoOpinion", "load_demo", "load_rules"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_RULES = DATA_DIR / "fields.toml"


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_rules(path: Path = DEFAULT_RULES) -> RuleSet:
    """The field rules in ``path`` (the shipped ``fields.toml`` by default)."""
    document = _read(path)
    fields = tuple(
        FieldRule(
            code=str(entry["code"]),
            name=str(entry["name"]),
            phrases=tuple(str(phrase) for phrase in entry["phrases"]),
            priority=int(entry.get("priority", 0)),
        )
        for entry in document.get("field", [])
    )
    return RuleSet(fields)


@dataclass(frozen=True)
class DemoOpinion:
    """One opinion of a demo conference, with the field and topic the rules must find."""

    external_id: str
    kind: str
    name: str
    role: str
    residence: str
    content: str
    field: str
    topic: str


@dataclass(frozen=True)
class DemoConference:
    """A conference from the seed article and the opinions raised at it."""

    id: str
    name: str
    unit: str
    held_on: str
    opinions: tuple[DemoOpinion, ...]


def load_demo(name: str, directory: Path = DATA_DIR / "demo") -> DemoConference:
    """The demo conference in ``<directory>/<name>.toml`` (``dong_du`` or ``duy_tien``)."""
    document = _read(directory / f"{name}.toml")
    conference = document["conference"]
    opinions = tuple(
        DemoOpinion(**{key: str(value) for key, value in entry.items()}) for entry in document["opinion"]
    )
    return DemoConference(
        id=str(conference["id"]),
        name=str(conference["name"]),
        unit=str(conference["unit"]),
        held_on=str(conference["held_on"]),
        opinions=opinions,
    )
