"""The benchmark's baseline: a bare Starlette + Jinja2 app rendering a tracking page from memory.

Run as ``python -m bench.portal_bare <port> <context.json>``: one process, uvicorn with the portal's own
settings (asyncio loop, no access log), the portal's own templates (so the page is the same size,
byte for byte), the page's context read once from a file. No store, no throttle, no middleware.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jinja2
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

TEMPLATES = Path(__file__).resolve().parents[1] / "services" / "portal" / "data" / "templates"


def app(context: dict[str, object]) -> Starlette:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    template = env.get_template("tracking.html.j2")

    async def page(request: Request) -> Response:
        return HTMLResponse(template.render(**context))

    return Starlette(routes=[Route("/tra-cuu/{code}", page)])


def main() -> None:
    port, context_file = int(sys.argv[1]), Path(sys.argv[2])
    context = json.loads(context_file.read_text(encoding="utf-8"))
    uvicorn.run(
        app(context), host="127.0.0.1", port=port, loop="asyncio", log_level="warning", access_log=False,
        server_header=False, date_header=False,
    )  # fmt: skip


if __name__ == "__main__":
    main()
