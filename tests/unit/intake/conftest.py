"""Fixtures of the intake unit tests: the shipped rules and the seed's two conferences."""

from __future__ import annotations

import pytest

from services.cli.demo_data import DemoConference, load_demo
from services.intake.adapters.rules_file import load_rules
from services.intake.domain import RuleSet


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def dong_du() -> DemoConference:
    return load_demo("dong_du")


@pytest.fixture(scope="session")
def duy_tien() -> DemoConference:
    return load_demo("duy_tien")
