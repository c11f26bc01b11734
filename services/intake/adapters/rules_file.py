"""Loads the classification rules from the TOML file under ``data/``."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from services.intake.domain.classification import FieldRule, RuleSet

__all__ = ["DATA_DIR", "load_rules"]

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
