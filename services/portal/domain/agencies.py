"""The agencies that answer a unit's opinions, learned from assignment's events (one record per unit).

The dashboard of a head or of the secretariat shows the agencies of its unit, and a head reassigning
an opinion is offered them. The portal knows no routing table: it keeps, per host unit, each agency
an opinion of the unit was assigned to, with the name assignment's latest event gave it. A hand-over
to the competent level is not counted: that body is not the unit's agency. The record changes only
when an agency is new to the unit or renamed, so a redelivered or replayed event changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

Doc = dict[str, Any]


def learned(
    previous: Doc | None, unit_code: str, agency_code: str, agency_name: str, at: dt.datetime
) -> Doc | None:
    """The unit's record with the agency added or renamed, or None when it already says so."""
    agencies: dict[str, dict[str, str]] = {
        k: dict(v) for k, v in (previous or {}).get("agencies", {}).items()
    }
    when = at.astimezone(dt.UTC).isoformat()
    known = agencies.get(agency_code)
    if known is not None and (known["name"] == agency_name or known["at"] > when):
        return None
    agencies[agency_code] = {"name": agency_name or agency_code, "at": when}
    doc: Doc = {k: v for k, v in (previous or {}).items() if k != "version"}
    return {**doc, "_id": unit_code, "agencies": agencies}


def names(doc: Doc | None) -> dict[str, str]:
    """Code → name of the unit's agencies, by code."""
    agencies = (doc or {}).get("agencies", {})
    return {code: str(agencies[code]["name"]) for code in sorted(agencies)}
