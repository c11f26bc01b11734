"""Operator commands always get an answer, even to a payload that cannot be parsed."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from nats.aio.client import Client

from services.cli.runner import build_service
from shared.settings import ServiceSettings

pytestmark = pytest.mark.service


@pytest.mark.parametrize(
    ("payload", "code"),
    [(b"\xff\xfe", "invalid_utf8"), (b"{not json", "invalid_json"), (b"[1, 2]", "wrong_type")],
)
async def test_an_unparseable_command_is_answered_with_a_reason_instead_of_a_timeout(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, payload: bytes, code: str
) -> None:
    host = build_service("scheduling", settings_for("scheduling"))
    await host.start()
    try:
        reply = await nats_client.request("scheduling.cmd.show", payload, timeout=5)
        answer = json.loads(reply.data)
        assert answer["ok"] is False
        assert answer["code"] == code
        assert answer["message"]
        rejected = host.registry.get_sample_value(
            "dialogue_messages_rejected_total", {"service": "scheduling", "reason": code}
        )
        assert rejected == 1.0
    finally:
        await host.stop()
