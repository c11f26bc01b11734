"""The portal keeps an idle keep-alive connection open longer than the clients in front of it do.

With uvicorn's default of 5 s, a request sent on a connection the server was closing at that moment
failed: httpx raised ``ReadError`` in a test whose client waited for a slow CLI step, and a reverse
proxy that keeps its upstream connections 60 s would answer 502.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from services.portal.adapters.web import KEEP_ALIVE_SECONDS
from shared.settings import ServiceSettings
from tests.service.portal.support import running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(120)]
REQUEST = b"GET /tra-cuu HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
IDLE_SECONDS = 6  # past uvicorn's default keep-alive of 5 s


async def answer(reader: asyncio.StreamReader) -> bytes:
    """One HTTP/1.1 answer's status line, its body read to its Content-Length (empty at EOF)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    await reader.readexactly(length)
    return head.split(b"\r\n", 1)[0]


async def test_a_connection_idle_longer_than_uvicorn_s_default_still_carries_the_next_request(
    settings_for: Callable[[str], ServiceSettings],
) -> None:
    assert KEEP_ALIVE_SECONDS > IDLE_SECONDS
    async with running_portal(settings_for) as run:
        reader, writer = await asyncio.open_connection("127.0.0.1", run.portal.web_server.port)
        try:
            writer.write(REQUEST)
            first = await answer(reader)
            await asyncio.sleep(IDLE_SECONDS)
            writer.write(REQUEST)
            second = await answer(reader)
        finally:
            writer.close()

    assert first == b"HTTP/1.1 200 OK"
    assert second == b"HTTP/1.1 200 OK"
