"""The three shipped data files, read by the services' own loaders, agree with one another.

Every unit valid on a date in ``units.toml`` must be routable for every field in ``routing.toml`` and
reachable by every notice that addresses a unit in ``directory.toml``; every agency must have a
directory contact. A unit or agency that one file knows and another does not would otherwise show up
in production as an opinion stuck in triage or a notice failed with ``recipient_not_in_directory``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

import pytest
from prometheus_client import CollectorRegistry

from services.assignment.adapters.routing_file import load_routing
from services.assignment.domain.agencies import Agency
from services.assignment.domain.fields import Field, OpinionKind
from services.assignment.domain.routing import Outcome, RoutingDecision, route
from services.assignment.domain.values import OpinionRef
from services.notification import handlers
from services.notification.adapters.directory_loader import load_directory
from services.notification.adapters.repository import NotificationRepository
from services.notification.adapters.template_catalog import TemplateCatalog
from services.notification.deps import Deps
from services.notification.domain.messages import Message, SendResult
from services.notification.domain.recipients import Recipient, resolve_recipients
from services.notification.domain.triggers import Channel, Trigger
from services.notification.metrics import NotificationMetrics
from services.scheduling.adapters.units_file import load_units
from services.scheduling.domain.values import ParticipantGroup
from shared.contracts.base import Event
from shared.contracts.notification import NotificationFailed, NotificationSent
from shared.contracts.scheduling import ConclusionReminderDue, ConferenceAnnounced
from shared.timeutil import VN_TZ
from shared.unit_of_work import UnitOfWork
from shared.workdays import WorkCalendar
from tests.fakes import InMemoryStore

pytestmark = pytest.mark.unit

UNITS = load_units()
ROUTING = load_routing()
DIRECTORY = load_directory()

# The first day of the two-tier government and a day well after it.
CURRENT_DAYS = (dt.date(2025, 7, 1), dt.date(2026, 12, 1))
# The seed's conference: the provincial heads of Hà Nam at Đồng Du commune, before the reform.
HISTORICAL_DAY = dt.date(2023, 12, 20)
HISTORICAL_UNITS = ("ha-nam", "dong-du")

# A deployment reaches people by e-mail, SMS and webhook; the log channel would hide a bad address.
REAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WEBHOOK)
UNIT_TRIGGERS = (
    Trigger.CONFERENCE_ANNOUNCED,
    Trigger.CONFERENCE_REMINDER_48H,
    Trigger.CONCLUSION_REMINDER_3D,
    Trigger.CONCLUSION_REMINDER_7D,
)
FIELDS = [f for f in Field if f is not Field.UNCLASSIFIED]
# Names of provincial departments merged away in 2025: no agency of a current unit may carry them.
ABOLISHED_NAMES = (
    "Tài nguyên và Môi trường",
    "Nông nghiệp và Phát triển nông thôn",
    "Lao động - Thương binh và Xã hội",
    "Kế hoạch và Đầu tư",
    "Giao thông vận tải",
    "Thông tin và Truyền thông",
)


def _unit_cases() -> list[object]:
    cases: list[object] = [
        pytest.param(day, unit.code, id=f"{unit.code}@{day}")
        for day in CURRENT_DAYS
        for unit in UNITS.active_on(day)
    ]
    cases += [pytest.param(HISTORICAL_DAY, code, id=f"{code}@{HISTORICAL_DAY}") for code in HISTORICAL_UNITS]
    return cases


def _in_force(agency: Agency, day: dt.date) -> bool:
    unit = UNITS.find(agency.unit)
    return unit is not None and unit.active_on(day)


def _problem(decision: RoutingDecision, day: dt.date) -> str | None:
    """Why ``decision`` does not reach an agency in force on ``day`` (None when it does)."""
    if decision.outcome is Outcome.ASSIGNED and decision.agency is not None:
        agency = decision.agency
        return None if _in_force(agency, day) else f"giao {agency.code}, đơn vị {agency.unit} hết hiệu lực"
    if decision.outcome is Outcome.TRANSFERRED and decision.transfer is not None:
        target = decision.transfer
        if target.agency_code is not None:
            agency = ROUTING.table.agency(target.agency_code)
            return None if _in_force(agency, day) else f"chuyển {agency.code}, đơn vị hết hiệu lực"
        # A body outside the administrative tree (a ministry) is named by the transfer rule itself.
        if target.unit_code is None and target.level not in UNITS.levels:
            return None
        return f"chuyển cấp {target.level} ({target.unit_code}) nhưng không có cơ quan nhận"
    return f"{decision.outcome} ({decision.triage_reason})"


def _unreachable(found: Sequence[Recipient]) -> list[str]:
    if not found:
        return ["không ai nhận"]
    return [f"{r.id}: {r.failure}" for r in found if not r.reachable]


def test_the_shipped_tree_has_a_province_and_communes_today_and_the_seed_units_in_2023() -> None:
    for day in CURRENT_DAYS:
        levels = {u.level for u in UNITS.active_on(day)}
        assert levels == {"province", "commune"}, day
    assert all(UNITS.get(code).active_on(HISTORICAL_DAY) for code in HISTORICAL_UNITS)


@pytest.mark.parametrize(("day", "code"), _unit_cases())
def test_the_unit_is_in_the_routing_table_with_the_same_level_and_parent(day: dt.date, code: str) -> None:
    unit = UNITS.get(code)
    assert ROUTING.table.has_unit(code), f"routing.toml thiếu đơn vị {code}"
    routed = ROUTING.table.unit(code)
    assert (routed.level, routed.parent) == (unit.level, unit.parent_code)


@pytest.mark.parametrize(("day", "code"), _unit_cases())
def test_every_field_of_an_opinion_of_the_unit_reaches_an_agency_in_force(day: dt.date, code: str) -> None:
    unit = UNITS.get(code)
    at = dt.datetime.combine(day, dt.time(9), tzinfo=VN_TZ)
    calendar = WorkCalendar()
    problems = []
    for field in FIELDS:
        for kind in OpinionKind:
            opinion = OpinionRef(
                opinion_id=f"shipped-{code}-{field}-{kind}",
                tracking_code="DT-0000-0000",
                field=field.value,
                kind=kind.value,
                level=unit.level,
                unit_code=code,
                received_at=at,
            )
            problem = _problem(route(opinion, ROUTING.table, ROUTING.policy, calendar, at), day)
            if problem is not None:
                problems.append(f"{field}/{kind}: {problem}")
    assert problems == []


@pytest.mark.parametrize(("day", "code"), _unit_cases())
def test_every_notice_that_addresses_the_unit_reaches_someone(day: dt.date, code: str) -> None:
    unit = DIRECTORY.units.get(code)
    assert unit is not None, f"directory.toml thiếu đơn vị {code}"
    problems: dict[str, list[str]] = {}
    # No group named means every group of the unit; each group scheduling offers must be known too.
    for groups in ([], *([g.value] for g in ParticipantGroup)):
        for trigger in UNIT_TRIGGERS:
            data = {"unit_id": code, "participant_groups": groups}
            found = resolve_recipients(trigger, data, DIRECTORY, REAL_CHANNELS, None)
            if wrong := _unreachable(found):
                problems[f"{trigger}/{groups}"] = wrong
    # An overdue opinion escalated to the heads of the unit that raised it.
    agency = ROUTING.table.agencies_of(code)[0]
    escalated = {"agency_id": agency.code, "unit_id": code, "escalated": True}
    found = resolve_recipients(Trigger.OPINION_OVERDUE, escalated, DIRECTORY, REAL_CHANNELS, None)
    if wrong := _unreachable(found):
        problems[Trigger.OPINION_OVERDUE] = wrong
    assert problems == {}
    assert unit.heads, f"đơn vị {code} không có người đứng đầu"
    assert set(unit.heads) <= {r.id for r in found}


@pytest.mark.parametrize("code", [a.code for a in ROUTING.table.agencies])
def test_every_agency_reaches_a_directory_contact_at_its_routing_address(code: str) -> None:
    agency = ROUTING.table.agency(code)
    assert code in DIRECTORY.agencies, f"directory.toml thiếu cơ quan {code}"
    found = resolve_recipients(Trigger.OPINION_ASSIGNED, {"agency_id": code}, DIRECTORY, REAL_CHANNELS, None)
    assert _unreachable(found) == []
    contacts = DIRECTORY.contacts_of(DIRECTORY.agencies[code].contacts)
    assert agency.email in {c.email for c in contacts}


def test_every_directory_agency_is_an_agency_of_the_routing_table() -> None:
    # Notices are keyed by the agency code of the assignment event: any other key is never used.
    assert set(DIRECTORY.agencies) - {a.code for a in ROUTING.table.agencies} == set()


@pytest.mark.parametrize("code", [a.code for a in ROUTING.table.agencies])
def test_every_agency_is_named_after_its_unit_with_the_names_in_force(code: str) -> None:
    agency = ROUTING.table.agency(code)
    unit = UNITS.get(agency.unit)
    place = unit.name.removeprefix(unit.kind).strip()
    assert place in agency.name
    if unit.active_on(CURRENT_DAYS[-1]):
        assert [n for n in ABOLISHED_NAMES if n in agency.name] == []


def test_every_shipped_address_is_on_a_reserved_example_domain() -> None:
    emails = [a.email for a in ROUTING.table.agencies]
    emails += [c.email for c in DIRECTORY.contacts.values() if c.email]
    hooks = [c.webhook_url for c in DIRECTORY.contacts.values() if c.webhook_url]
    assert [e for e in emails if not e.endswith(".example")] == []
    assert [h for h in hooks if not h.split("/")[2].endswith(".example")] == []


class _Channel:
    """Accepts every message, as a configured e-mail, SMS or webhook channel that works."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.sent: list[Message] = []

    async def send(self, message: Message) -> SendResult:
        self.sent.append(message)
        return SendResult(provider_id=f"shipped-{len(self.sent)}")


def _deps(published: list[Event], now: dt.datetime) -> tuple[Deps, UnitOfWork]:
    async def publish(events: Sequence[Event]) -> None:
        published.extend(events)

    store = InMemoryStore()
    deps = Deps(
        repo=NotificationRepository(store),
        renderer=TemplateCatalog(),
        directory=DIRECTORY,
        channels={channel: _Channel(channel) for channel in REAL_CHANNELS},
        metrics=NotificationMetrics(CollectorRegistry()),
        clock=lambda: now,
        fallback=None,
    )
    return deps, UnitOfWork(lambda: store, publish)


@pytest.mark.parametrize("code", [u.code for u in UNITS.active_on(CURRENT_DAYS[-1])])
async def test_the_notification_handlers_send_a_current_units_conference_notices(code: str) -> None:
    unit = UNITS.get(code)
    now = dt.datetime(2026, 12, 1, 9, tzinfo=VN_TZ)
    starts = now + dt.timedelta(days=10)
    conference = {
        "conference_id": f"shipped-{code}", "title": f"Hội nghị đối thoại {unit.name} năm 2026",
        "unit_code": code, "unit_name": unit.name, "level": unit.level, "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3), "venue": f"Hội trường {unit.name}",
        "participant_groups": [g.value for g in ParticipantGroup], "occurred_at": now,
    }  # fmt: skip
    published: list[Event] = []
    deps, uow = _deps(published, now)

    announced = ConferenceAnnounced(event_id=f"shipped-announced-{code}", announced_at=now, **conference)
    await uow.run(functools.partial(handlers.conference_announced, deps, announced))
    held = starts + dt.timedelta(hours=3)
    reminder = ConclusionReminderDue(
        event_id=f"shipped-conclusion-{code}", held_at=held, conclusion_due=held.date() + dt.timedelta(days=10),
        days_after=3, **{**conference, "occurred_at": held + dt.timedelta(days=3)},
    )  # fmt: skip
    await uow.run(functools.partial(handlers.conclusion_reminder, deps, reminder))

    failed = [(e.trigger, e.recipient, e.reason) for e in published if isinstance(e, NotificationFailed)]
    sent = {e.trigger for e in published if isinstance(e, NotificationSent)}
    assert failed == []
    assert sent == {Trigger.CONFERENCE_ANNOUNCED.value, Trigger.CONCLUSION_REMINDER_3D.value}


def test_the_shared_field_names_are_those_of_intakes_shipped_rules() -> None:
    """Notification and the CLI name fields from shared.contracts.fields; intake's file is the source."""
    import tomllib
    from pathlib import Path

    from shared.contracts.fields import FIELD_NAMES

    rules = Path(__file__).resolve().parents[2] / "services/intake/data/fields.toml"
    shipped = tomllib.loads(rules.read_text(encoding="utf-8"))
    from services.intake.domain.classification import UNCLASSIFIED, UNCLASSIFIED_NAME

    named = {f["code"]: f["name"] for f in shipped["field"]} | {UNCLASSIFIED: UNCLASSIFIED_NAME}
    assert named == FIELD_NAMES
