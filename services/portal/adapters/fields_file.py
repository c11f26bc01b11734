"""The fields (lĩnh vực) Open311 lists as services, from the province's fields file.

The file is the one intake classifies with (``fields.toml``): the setting
``DIALOGUE_INTAKE_FIELDS_FILE`` or the config directory's copy when the province ships its own, else
the file the platform ships. It is read as data, never imported: the portal knows no intake code.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from services.portal.domain.open311 import FieldService
from shared.contracts.fields import FIELD_NAMES

SHIPPED = Path(__file__).resolve().parents[2] / "intake" / "data" / "fields.toml"
MAX_KEYWORDS = 8


def load_services(path: Path | None) -> list[FieldService]:
    """Every field of the file as a service; without a readable file, the platform's field names."""
    source = path or SHIPPED
    if not source.is_file():
        return [FieldService(code, name) for code, name in FIELD_NAMES.items() if code != "unclassified"]
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    return [
        FieldService(
            str(f["code"]), str(f["name"]), tuple(str(p) for p in f.get("phrases", [])[:MAX_KEYWORDS])
        )
        for f in data.get("field", [])
    ]
