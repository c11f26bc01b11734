"""Identifiers citizens and other systems rely on: opinion ids, and the tracking codes derived from them.

Both are derived, never random, so a redelivered submission maps to the same opinion and the same
code. The code's format and check live in ``shared.tracking_codes`` (the portal reads them too).
"""

from __future__ import annotations

from shared import tracking_codes
from shared.ids import derived_id

__all__ = ["ALPHABET", "opinion_id_for", "tracking_code_for", "validate_tracking_code"]

ALPHABET = tracking_codes.ALPHABET
tracking_code_for = tracking_codes.for_opinion
validate_tracking_code = tracking_codes.canonical


def opinion_id_for(source: str, external_id: str) -> str:
    """The opinion id of a submission: the same (source, external id) always gives the same id."""
    return derived_id("opinion", source, external_id)
