"""The secretariat's and heads' pages beyond the inbox: the unit's dashboard and conference calendar."""

from __future__ import annotations

from starlette.routing import Route

from services.portal.adapters.login import Guard
from services.portal.adapters.web import Web


def routes(web: Web, guard: Guard) -> list[Route]:
    return []
