"""Open311's XML format, the one the specification requires beside the optional JSON.

The JSON is the specification's "Spark convention" mapping of this XML, so one answer gives both:
``services`` of ``service``, ``service_requests`` of ``request``, ``errors`` of ``error``; a null is
an empty element, a boolean ``true``/``false``. UTF-8 with the XML declaration, no namespace.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

ROOTS = {"services": "service", "service_requests": "request", "errors": "error"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def to_xml(root: str, rows: list[dict[str, Any]]) -> bytes:
    """``rows`` as the specification's XML document ``<root><item>…</item></root>``."""
    item = ROOTS[root]
    parts = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    for row in rows:
        fields = "".join(
            f"<{name}/>" if value is None else f"<{name}>{_text(value)}</{name}>"
            for name, value in row.items()
        )
        parts.append(f"<{item}>{fields}</{item}>")
    parts.append(f"</{root}>")
    return "\n".join(parts).encode()
