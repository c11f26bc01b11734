"""A stop signal reaches `dialogue up` whatever its event loop (the demo's replay) is running.

The signal handler raises ``Stopped``. asyncio lets only ``KeyboardInterrupt`` and ``SystemExit``
out of a callback or a task step; anything else raised there goes to the loop's exception handler,
and `make run` then kept running after SIGTERM until the caller killed it.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator

import pytest

from services.cli.client import run
from services.cli.main import STOP_SIGNALS, Stopped, _stop_on_signals


@pytest.fixture
def stop_handlers() -> Iterator[None]:
    saved = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    _stop_on_signals()
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


async def signalled_in_a_callback(sig: signal.Signals) -> str:
    asyncio.get_running_loop().call_soon(signal.raise_signal, sig)
    await asyncio.sleep(2)
    return "the replay went on"


async def signalled_in_a_task(sig: signal.Signals) -> str:
    async def reader() -> None:
        signal.raise_signal(sig)
        await asyncio.sleep(2)

    background = asyncio.create_task(reader())
    await asyncio.sleep(2)
    background.cancel()
    return "the replay went on"


@pytest.mark.usefixtures("stop_handlers")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
@pytest.mark.parametrize("where", [signalled_in_a_callback, signalled_in_a_task], ids=["callback", "task"])
def test_a_stop_signal_during_the_event_loop_stops_the_command(where, sig: signal.Signals) -> None:
    with pytest.raises(Stopped) as stopped:
        run(where(sig))
    assert stopped.value.signum == sig
    assert str(stopped.value) == sig.name
