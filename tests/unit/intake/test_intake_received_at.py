"""A receipt in the future is refused, so no deadline starts before the opinion was received."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.contracts.intake import OpinionRejected, SubmissionOutcome
from shared.errors import DomainError
from tests.unit.intake.intake_handler_support import (
    NOW,
    make_context,
    payload,
    raw,
    submit_desk,
    submit_external,
)

pytestmark = pytest.mark.unit


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat()


async def test_a_submission_received_tomorrow_is_refused_with_its_reason_and_no_opinion() -> None:
    ctx = make_context()
    body = payload("dd-future", received_at=_iso(NOW + dt.timedelta(days=1)))

    result = await submit_external(ctx, "demo-portal", raw(body), key="s:future", now=NOW)

    assert not result.accepted
    rejected, outcome = result.events
    assert isinstance(rejected, OpinionRejected)
    assert isinstance(outcome, SubmissionOutcome)
    assert rejected.reason == outcome.reason == "received_in_future"
    # One sentence, with both instants in Vietnam time (NOW is 09:00 on 20/12/2023 there).
    assert outcome.message == (
        "Thời điểm tiếp nhận 09:00 ngày 21/12/2023 muộn hơn hiện tại (09:00 ngày 20/12/2023); "
        "vui lòng kiểm tra lại thời điểm tiếp nhận và đồng hồ của máy gửi rồi gửi lại."
    )
    assert await ctx.repo.count() == 0


async def test_a_sender_clock_a_minute_ahead_is_tolerated() -> None:
    ctx = make_context()
    body = payload("dd-skew", received_at=_iso(NOW + dt.timedelta(minutes=1)))

    result = await submit_external(ctx, "demo-portal", raw(body), key="s:skew", now=NOW)

    assert result.accepted
    assert result.opinion is not None
    assert result.opinion.received_at == NOW + dt.timedelta(minutes=1)


async def test_a_desk_entry_received_in_the_future_is_refused() -> None:
    ctx = make_context()
    body = {
        "external_id": "desk-future",
        "content": "Đề nghị sửa đường liên thôn An Bài.",
        "submitter": {"name": "Nguyễn Văn Bình"},
        "channel": "hotline",
        "received_at": _iso(NOW + dt.timedelta(hours=2)),
    }

    with pytest.raises(DomainError) as refused:
        await submit_desk(ctx, body, NOW)

    assert refused.value.code == "received_in_future"
    assert await ctx.repo.count() == 0
