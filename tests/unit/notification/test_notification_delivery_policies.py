from __future__ import annotations

import asyncio

import pytest

from services.notification.adapters.channels.signing import sign, verify_signature
from services.notification.adapters.ratelimit import RateLimitedChannel, TokenBucket
from services.notification.adapters.retry import RetryPolicy, send_with_retry
from services.notification.domain.errors import PermanentChannelError, TransientChannelError
from services.notification.domain.messages import Message, Rendered, SendResult
from services.notification.domain.triggers import Channel, Trigger

pytestmark = pytest.mark.unit

MESSAGE = Message(
    "d-1", "d-1", Trigger.OPINION_ASSIGNED, Channel.SMS, "0912345678", "Sở", Rendered("Nội dung")
)


class FakeClock:
    """A monotonic clock whose sleeps advance time instantly."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


FAST = RetryPolicy(max_attempts=4, initial_wait=1.0, max_wait=8.0, jitter=0.5)


class ScriptedChannel:
    """Raises the scripted errors in order, then succeeds."""

    channel = Channel.SMS

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send(self, message: Message) -> SendResult:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return SendResult(provider_id="p-1")


def transient() -> TransientChannelError:
    return TransientChannelError("server_error", "503")


async def test_transient_errors_are_retried_with_growing_jittered_waits(clock: FakeClock) -> None:
    channel = ScriptedChannel(transient(), transient(), transient())
    result = await send_with_retry(channel, MESSAGE, FAST, sleep=clock.sleep)
    assert (channel.calls, result.attempts, result.provider_id) == (4, 4, "p-1")
    assert len(clock.sleeps) == 3
    for n, waited in enumerate(clock.sleeps):
        base = min(FAST.initial_wait * 2**n, FAST.max_wait)
        assert base <= waited <= base + FAST.jitter


async def test_a_permanent_error_is_not_retried(clock: FakeClock) -> None:
    channel = ScriptedChannel(PermanentChannelError("rejected", "400"))
    with pytest.raises(PermanentChannelError):
        await send_with_retry(channel, MESSAGE, FAST, sleep=clock.sleep)
    assert (channel.calls, clock.sleeps) == (1, [])


async def test_exhausted_retries_raise_the_last_transient_error(clock: FakeClock) -> None:
    channel = ScriptedChannel(*(TransientChannelError("timeout", str(i)) for i in range(5)))
    with pytest.raises(TransientChannelError) as failed:
        await send_with_retry(channel, MESSAGE, FAST, sleep=clock.sleep)
    assert (channel.calls, failed.value.message) == (4, "3")


async def test_unexpected_errors_are_not_retried(clock: FakeClock) -> None:
    channel = ScriptedChannel(RuntimeError("bug"))
    with pytest.raises(RuntimeError):
        await send_with_retry(channel, MESSAGE, FAST, sleep=clock.sleep)
    assert channel.calls == 1


async def test_bucket_allows_a_burst_then_paces_at_the_rate(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=2.0, capacity=3, clock=clock, sleep=clock.sleep)
    start = clock.now
    for _ in range(3):
        await bucket.acquire()
    assert clock.now == start
    for _ in range(4):
        await bucket.acquire()
    assert clock.now - start == pytest.approx(2.0)


async def test_bucket_refills_while_idle_but_not_beyond_capacity(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=1.0, capacity=2, clock=clock, sleep=clock.sleep)
    await bucket.acquire()
    await bucket.acquire()
    clock.now += 60
    start = clock.now
    for _ in range(3):
        await bucket.acquire()
    assert clock.now - start == pytest.approx(1.0)


async def test_concurrent_senders_share_one_bucket(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=10.0, capacity=1, clock=clock, sleep=clock.sleep)
    channel = ScriptedChannel()
    limited = RateLimitedChannel(channel, bucket)
    start = clock.now
    await asyncio.gather(*(limited.send(MESSAGE) for _ in range(5)))
    assert channel.calls == 5
    assert clock.now - start == pytest.approx(0.4)
    assert limited.channel is Channel.SMS


def test_bucket_refuses_a_non_positive_rate() -> None:
    with pytest.raises(ValueError, match="rate"):
        TokenBucket(rate=0)


def test_signature_verifies_and_detects_tampering_and_replay() -> None:
    body = '{"text":"Thông báo"}'.encode()
    signature = sign("bí-mật", 1_800_000_000, body)
    assert len(signature) == 64
    assert verify_signature("bí-mật", "1800000000", body, signature, tolerance=300, now=1_800_000_100)
    assert not verify_signature("bí-mật", "1800000000", body + b" ", signature, now=1_800_000_100)
    assert not verify_signature("khác", "1800000000", body, signature, now=1_800_000_100)
    assert not verify_signature("bí-mật", "1800000000", body, signature, tolerance=300, now=1_800_000_301)
    assert not verify_signature("bí-mật", "not-a-number", body, signature)


def test_signature_covers_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"s", b"42.{}", hashlib.sha256).hexdigest()
    assert sign("s", 42, "{}") == expected


async def test_a_first_attempt_that_goes_through_waits_for_nothing(clock: FakeClock) -> None:
    channel = ScriptedChannel()
    result = await send_with_retry(channel, MESSAGE, FAST, sleep=clock.sleep)
    assert (channel.calls, result.attempts, clock.sleeps) == (1, 1, [])


async def test_a_single_attempt_policy_raises_the_first_transient_error(clock: FakeClock) -> None:
    channel = ScriptedChannel(transient())
    with pytest.raises(TransientChannelError):
        await send_with_retry(channel, MESSAGE, RetryPolicy(max_attempts=1), sleep=clock.sleep)
    assert (channel.calls, clock.sleeps) == (1, [])
