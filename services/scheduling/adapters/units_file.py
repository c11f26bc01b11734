"""Loads the administrative-unit tree from a TOML data file (the shipped one by default)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from services.scheduling.domain.units import UnitTree

SHIPPED_UNITS = "units.toml"


def load_units(path: Path | str | None = None) -> UnitTree:
    """The unit tree from ``path``, or from the data file shipped with the service."""
    if path is None:
        text = resources.files("services.scheduling.data").joinpath(SHIPPED_UNITS).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return UnitTree.from_doc(tomllib.loads(text))
