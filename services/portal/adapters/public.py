"""The citizens' pages beyond one opinion: conferences coming up per unit, a search of published answers."""

from __future__ import annotations

from starlette.routing import Route

from services.portal.adapters.web import Web


def routes(web: Web) -> list[Route]:
    return []
