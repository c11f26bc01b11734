"""Fixtures for the notification unit tests: a small directory and a fixed instant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.notification.domain.directory import Directory, parse_directory

DIRECTORY_DATA: dict[str, Any] = {
    "contacts": [
        {"id": "host", "name": "Văn phòng xã", "channels": ["email"], "email": "vp@xa.example"},
        {"id": "head", "name": "Chủ tịch xã", "channels": ["sms", "email"], "phone": "0912345678"},
        {"id": "youth", "name": "Đoàn Thanh niên", "channels": ["email", "sms"], "email": "dtn@xa.example"},
        {"id": "elders", "name": "Hội Người cao tuổi", "channels": ["email"], "email": "not-an-address"},
        {"id": "mttq", "name": "MTTQ xã", "channels": ["sms", "email"], "email": "mttq@xa.example"},
        {"id": "portal", "name": "Cổng tỉnh", "channels": ["webhook"], "webhook_url": "http://127.0.0.1/h"},
        {"id": "agency-clerk", "name": "Văn thư Sở", "channels": ["email"], "email": "vt@so.example"},
    ],
    "units": {
        "dong-du": {
            "name": "xã Đồng Du",
            "host": ["host"],
            "heads": ["head"],
            "groups": {
                "thanh-nien": ["youth", "mttq"],
                "nhan-dan": ["mttq", "elders", "portal"],
            },
        }
    },
    "agencies": {"so-xd": {"name": "Sở Xây dựng", "contacts": ["agency-clerk"]}},
}


@pytest.fixture
def directory() -> Directory:
    return parse_directory(DIRECTORY_DATA)


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
