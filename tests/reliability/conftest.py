"""Fixtures of the fault tests live in ``reliability_harness`` (a unique module name)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from reliability_harness import SmtpSink, Stack, smtp_server


@pytest.fixture
def smtp() -> object:
    with smtp_server() as running:
        yield running


@pytest.fixture
async def make_stack(tmp_path: Path, smtp: tuple[SmtpSink, int]) -> AsyncIterator[Callable[..., Stack]]:
    """Build stacks against the test's SMTP server; every one is stopped at the end of the test."""
    stacks: list[Stack] = []

    def make(nodes: int = 1) -> Stack:
        stack = Stack(root=tmp_path / f"stack-{len(stacks)}", smtp_port=smtp[1], nodes=nodes)
        stack.root.mkdir(parents=True)
        stacks.append(stack)
        return stack

    try:
        yield make
    finally:
        for stack in stacks:
            stack.stop()
