from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from services.notification.adapters.channels.logfile import LogFileChannel
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.adapters.template_samples import SAMPLES
from services.notification.domain.messages import Message
from services.notification.domain.triggers import Channel, Trigger

pytestmark = pytest.mark.service

AT = dt.datetime(2026, 11, 27, 1, 0, tzinfo=dt.UTC)


def notice(key: str) -> Message:
    trigger = Trigger.CONFERENCE_ANNOUNCED
    content = TemplateCatalog().render(trigger, Channel.LOG, SAMPLES[trigger])
    return Message(key, key, trigger, Channel.LOG, "log:mttq", "Ủy ban MTTQ xã Đồng Du", content)


async def test_each_notice_is_one_readable_json_line(tmp_path: Path) -> None:
    path = tmp_path / "var" / "notifications.log"
    channel = LogFileChannel(path, clock=lambda: AT)
    await asyncio.gather(*(channel.send(notice(f"k-{i}")) for i in range(20)))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20
    records = [json.loads(line) for line in lines]
    assert {r["key"] for r in records} == {f"k-{i}" for i in range(20)}
    first = records[0]
    assert first["at"] == "2026-11-27T01:00:00+00:00"
    assert first["trigger"] == "conference_announced"
    assert "Thông báo tổ chức hội nghị đối thoại tại xã Đồng Du" in first["text"]
    assert "Thông báo" in lines[0]  # stored as UTF-8, not \\u escapes
