"""Generated good and bad payloads thrown at a real nats-server: every message gets one outcome."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nats.aio.client import Client

from shared.host import ServiceHost
from shared.settings import ServiceSettings
from shared.subjects import Intake
from tests.service.intake.support import SOURCE, Outcomes, encode, running_intake, submission, wait_until

pytestmark = [pytest.mark.service, pytest.mark.timeout(300)]

_ids = itertools.count()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def good() -> st.SearchStrategy[tuple[bool, bytes]]:
    return st.builds(lambda: (True, encode(submission(f"prop-{next(_ids)}"))))


def mutated() -> st.SearchStrategy[tuple[bool, bytes]]:
    """A valid submission with one thing wrong: wrong type, unknown field, huge or nested value."""
    breakages: list[Callable[[dict[str, Any], Any], None]] = [
        lambda body, value: body.update(content=value if not isinstance(value, str) else [value]),
        lambda body, value: body.update(surprise=value),
        lambda body, value: body["submitter"].update(name={"nested": value}),
        lambda body, value: body.update(attachments=[value, ["nested"]]),
        lambda body, value: body.update(content="đất " * 3_000),
        lambda body, value: body.update(content="x" * 200_000),
        lambda body, value: body.pop("submitter"),
        lambda body, value: body.update(kind=7),
        lambda body, value: body.update(received_at="hôm qua"),
    ]

    def build(index: int, value: Any) -> tuple[bool, bytes]:
        body = submission(f"prop-bad-{next(_ids)}")
        breakages[index](body, value)
        return False, encode(body)

    return st.builds(build, st.integers(0, len(breakages) - 1), json_values)


payloads = st.one_of(
    good(),
    mutated(),
    st.binary(max_size=300).map(lambda raw: (False, raw)),
    st.binary(max_size=100).map(lambda raw: (False, b"\xff\xfe" + raw)),  # never valid UTF-8
    json_values.map(lambda value: (False, json.dumps(value).encode())),
)


@pytest.fixture
async def stack(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> AsyncIterator[tuple[ServiceHost, Outcomes]]:
    async with running_intake(settings_for, nats_client) as running:
        yield running


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(payloads, min_size=1, max_size=4))
async def test_accepted_plus_rejected_outcomes_equal_what_was_sent_and_the_consumer_keeps_going(
    stack: tuple[ServiceHost, Outcomes], nats_client: Client, batch: list[tuple[bool, bytes]]
) -> None:
    _, outcomes = stack
    js = nats_client.jetstream()  # type: ignore[attr-defined]
    before = len(outcomes.received)
    for _, raw in batch:
        await js.publish(Intake.submit(SOURCE), raw)
    await wait_until(lambda: len(outcomes.received) >= before + len(batch))
    new = outcomes.received[before:]
    assert len(new) == len(batch)
    assert sum(o["accepted"] for o in new) == sum(ok for ok, _ in batch)
    assert all(o["reason"] and o["message"] for o in new if not o["accepted"])
    assert all(o["tracking_code"] for o in new if o["accepted"])
