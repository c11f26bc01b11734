"""An opinion's record is dated by its receipt whichever of intake's events the portal applies first."""

from __future__ import annotations

import datetime as dt

import pytest

from services.portal.adapters import events
from services.portal.domain import open311
from services.portal.domain.opinion import record
from shared.contracts.intake import Channel, OpinionClassified, OpinionKind, OpinionReceived

pytestmark = pytest.mark.unit

RECEIVED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CLASSIFIED = RECEIVED + dt.timedelta(seconds=2)
NOW = RECEIVED + dt.timedelta(minutes=5)
COMMON = {"correlation_id": "op-dates", "opinion_id": "op-dates", "tracking_code": "DT-7K3M-9QX2",
          "kind": OpinionKind.RECOMMENDATION, "received_at": RECEIVED}  # fmt: skip


def classified_event() -> OpinionClassified:
    return OpinionClassified(
        event_id="op-dates-classified",
        occurred_at=CLASSIFIED,
        field="labour_jobs",
        summary="Đào tạo nghề.",
        **COMMON,
    )


def received_event() -> OpinionReceived:
    return OpinionReceived(
        event_id="op-dates-received", occurred_at=RECEIVED, channel=Channel.EXTERNAL_SYSTEM,
        content="Đề nghị mở lớp đào tạo nghề.", submitter_name="Nguyễn Văn Thành", **COMMON,
    )  # fmt: skip


def in_window(doc: dict[str, object]) -> bool:
    """Whether Open311's default window (the last 90 days) takes the record, as the store filter does."""
    start = open311.parse_query({}, NOW).where()["requested_at"]["$gte"]
    return isinstance(doc["requested_at"], str) and doc["requested_at"] >= start


def test_a_record_made_from_the_classification_alone_is_dated_by_the_receipt() -> None:
    doc = record("op-dates", None, events.classified(classified_event()))

    assert doc is not None
    assert doc["requested_at"] == RECEIVED.astimezone(dt.UTC).isoformat()
    assert in_window(doc)


def test_the_receipt_applied_after_the_classification_keeps_the_same_date() -> None:
    first = record("op-dates", None, events.classified(classified_event()))
    both = record("op-dates", first, events.received(received_event()))

    assert both is not None
    assert both["requested_at"] == RECEIVED.astimezone(dt.UTC).isoformat()
