"""The demo conferences shipped with the CLI (``data/demo/*.toml``): two from the seed articles, one of today."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"


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
    reclassify_to: str = ""  # the field the secretariat moves it to, if it does
    reclassify_reason: str = ""


@dataclass(frozen=True)
class DemoConference:
    """A demo conference and the opinions raised at it (``held_on`` empty: not held yet)."""

    id: str
    name: str
    unit: str
    held_on: str
    opinions: tuple[DemoOpinion, ...]


def load_demo(name: str, directory: Path = DEMO_DIR) -> DemoConference:
    """The demo conference in ``<directory>/<name>.toml`` (``dong_du``, ``duy_tien`` or ``binh_luc``)."""
    with (directory / f"{name}.toml").open("rb") as handle:
        document = tomllib.load(handle)
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
