"""Plain-JSON encoding of domain dataclasses, driven by their type hints.

The storage port stores JSON documents and events travel as JSON, so every datetime becomes an ISO
string with its offset and every enum its value; decoding reads the annotations back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from enum import Enum
from functools import cache
from typing import Any


def encode(value: Any) -> Any:
    """``value`` as JSON-compatible data."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if hasattr(value, "to_doc"):
        return value.to_doc()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def decode(annotation: Any, raw: Any) -> Any:
    """``raw`` JSON data converted to the type ``annotation`` names."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if raw is None:
            return None
        (inner,) = [a for a in typing.get_args(annotation) if a is not type(None)]
        return decode(inner, raw)
    if origin is tuple:
        inner = typing.get_args(annotation)[0]
        return tuple(decode(inner, v) for v in raw)
    if annotation is dt.datetime:
        return dt.datetime.fromisoformat(raw)
    if annotation is dt.date:
        return dt.date.fromisoformat(raw)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation(raw)
    if hasattr(annotation, "from_doc"):
        return annotation.from_doc(raw)
    if annotation is float:
        return float(raw)
    return raw


@cache
def hints(cls: type) -> dict[str, Any]:
    """Resolved field annotations of a dataclass (cached: resolving them is slow)."""
    return typing.get_type_hints(cls)


def decode_fields(cls: type, doc: typing.Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``cls`` read from ``doc``; missing optional fields take their default."""
    annotations = hints(cls)
    return {
        f.name: decode(annotations[f.name], doc[f.name])
        for f in dataclasses.fields(cls)
        if f.init and f.name in doc
    }
