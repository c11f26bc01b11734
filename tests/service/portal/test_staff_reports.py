"""The dashboard and the conference calendar over real HTTP, with the real assignment and scheduling."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from nats.aio.client import Client

from services.assignment.app import build as build_assignment
from services.assignment.settings import AssignmentSettings
from services.scheduling.app import build as build_scheduling
from services.scheduling.settings import SchedulingSettings
from shared.settings import ServiceSettings
from tests.service.portal.console_bed import (
    HEAD,
    OFFICER,
    OTHER_AGENCY,
    PASSWORD,
    add_user,
    browser,
    csrf,
    login,
    ticking_assignment,
)
from tests.service.portal.rating_bed import CONFERENCE, WHEN, classified, command, opinion_at
from tests.service.portal.support import code_for, eventually, received, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]
SECRETARIAT = {
    "username": "thu.vp",
    "display_name": "Đỗ Thị Thu",
    "role": "secretariat",
    "scope": "binh-luc-xa",
}
SCHEDULING_NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def words(page: str) -> str:
    """The page's text without tags, spaces collapsed (a table row reads as one line)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}".replace(".", ",")


def report_line(row: dict[str, Any], open_now: int = 1, name: str = "") -> str:
    """What the dashboard's row says for assignment's report row, column by column."""
    overdue = (
        f"{row['open_overdue']} (quá hạn)" if row["open_overdue"] and not name else str(row["open_overdue"])
    )
    return " ".join([
        name or row["agency_name"], str(row["assigned"]), str(row["answered_on_time"]), str(row["answered_late"]),
        overdue, str(open_now), days(row["median_working_days"]), days(row["p90_working_days"]),
        days(row["max_working_days"]), row["on_time_rate_text"], row["average_rating_text"],
    ])  # fmt: skip


async def test_the_dashboard_shows_assignment_s_report_for_the_official_s_scope_and_refuses_another(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("staff-board")
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-staff-board", code, publish=False)
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        async with browser(run) as officer, browser(run) as head:
            await login(officer, OFFICER["username"])
            await login(head, HEAD["username"])
            inbox = await officer.get("/can-bo/hop-thu")
            mine = await officer.get("/can-bo/bang-dieu-khien", params={"ky": "2025"})
            unit = await head.get("/can-bo/bang-dieu-khien", params={"ky": "2025"})
            default = await head.get("/can-bo/bang-dieu-khien")
            wrong_period = await head.get("/can-bo/bang-dieu-khien", params={"ky": "2025-Q7"})
            refused = [
                await officer.get("/can-bo/bang-dieu-khien", params={"co-quan": OTHER_AGENCY}),
                await officer.get("/can-bo/bang-dieu-khien", params={"don-vi": "ha-nam"}),
                await head.get("/can-bo/bang-dieu-khien", params={"don-vi": "xa-dong-du"}),
                await head.get("/can-bo/bang-dieu-khien", params={"co-quan": OTHER_AGENCY}),
            ]
            calendar_for_officer = await officer.get("/van-phong/lich-hoi-nghi")
        anonymous = await run.http.get("/can-bo/bang-dieu-khien")
        as_of = re.search(r"tính đến ngày (\d\d)/(\d\d)/(\d{4})", mine.text)
        assert as_of is not None
        day = dt.date(int(as_of[3]), int(as_of[2]), int(as_of[1])).isoformat()
        report = await command(nats_client, "report", {"period": "2025", "as_of": day})

    assert "<h1>Hộp thư của Sở Giáo dục và Đào tạo tỉnh Hà Nam</h1>" in inbox.text  # the name, not hn-sgddt
    row = next(r for r in report["data"]["rows"] if r["agency_code"] == "hn-sgddt")
    assert row["open_overdue"] == 1  # the March 2025 deadline is long past: the row is not all zeros
    assert report_line(row) in words(mine.text)
    assert report_line(row) in words(unit.text)
    assert "Kỳ 2025 : từ 01/01/2025 đến 31/12/2025" in words(mine.text)
    assert default.status_code == 200
    assert re.search(
        r'<option value="(\d{4})" selected>Năm \1</option>', default.text
    )  # this year by default
    assert wrong_period.status_code == 400
    assert "invalid_period" in wrong_period.text
    reasons = ["not_your_agency", "not_your_unit", "not_your_unit", "not_your_agency"]
    assert [(r.status_code, reason in r.text) for r, reason in zip(refused, reasons, strict=True)] == [
        (403, True)
    ] * 4
    assert calendar_for_officer.status_code == 403
    assert anonymous.status_code == 303


async def test_the_dashboard_shows_assignment_s_latency_percentiles_per_agency_and_assignment_s_unit_total(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    now, ticks = [WHEN + dt.timedelta(hours=1)], itertools.count()
    settings = AssignmentSettings(**settings_for("assignment").model_dump())
    service = build_assignment(settings, clock=lambda: now[0] + dt.timedelta(seconds=next(ticks)))
    school, insurance = code_for("staff-board-p90-school"), code_for("staff-board-p90-insurance")
    async with running_portal(settings_for, services={"assignment": service}) as run:
        await opinion_at(run, nats_client, "op-board-p90-school", school, publish=False)
        await run.hosts["intake"].publish([
            received("op-board-p90-insurance", insurance, conference_id=CONFERENCE, received_at=WHEN),
            classified("op-board-p90-insurance", insurance).model_copy(update={"field": "health_insurance"}),
        ])  # fmt: skip

        async def routed() -> bool:
            page = await run.http.get(f"/tra-cuu/{insurance}")
            return page.status_code == 200 and "step assigned" in page.text

        await eventually(routed)
        for opinion, day in (("op-board-p90-school", 20), ("op-board-p90-insurance", 27)):  # March 2025
            now[0] = dt.datetime(2025, 3, day, 2, 0, tzinfo=dt.UTC)
            agency = (await command(nats_client, "show", {"opinion_id": opinion}))["data"]["agency_code"]
            answer = {"opinion_id": opinion, "agency_code": agency, "document_date": f"2025-03-{day}",
                      "summary": "Đã trả lời.", "command_id": f"{opinion}-a", "document_number": f"{day}/CQ"}  # fmt: skip
            assert (await command(nats_client, "answer", answer))["ok"]
        await add_user(nats_client, HEAD)
        async with browser(run) as head:
            await login(head, HEAD["username"])
            unit = await head.get("/can-bo/bang-dieu-khien", params={"ky": "2025"})
        as_of = re.search(r"tính đến ngày (\d\d)/(\d\d)/(\d{4})", unit.text)
        assert as_of is not None
        day_seen = dt.date(int(as_of[3]), int(as_of[2]), int(as_of[1])).isoformat()
        mine = ["hn-bhxh", "hn-sgddt"]
        report = await command(
            nats_client, "report", {"period": "2025", "as_of": day_seen, "agency_codes": mine}
        )

    rows, total = report["data"]["rows"], report["data"]["total"]
    assert [r["agency_code"] for r in rows] == mine
    assert [r["p90_working_days"] for r in rows] == [13.0, 8.0]  # one answer each: 13 and 8 working days
    latency = (total["median_working_days"], total["p90_working_days"], total["max_working_days"])
    assert latency == (10.5, 12.5, 13.0)  # 13 and 8 pooled, not the rows' numbers added up
    text = words(unit.text)
    for row in rows:  # answered, not yet published: each agency still holds its opinion
        assert report_line(row) in text
    assert report_line(total, open_now=2, name="Cả đơn vị") in text  # assignment's total, not recomputed
    assert "Cả đơn vị 2 2 0 0 2 10,5 12,5 13 100,0%" in text


def scheduling(settings_for: Callable[[str], ServiceSettings]) -> Any:
    settings = SchedulingSettings(**settings_for("scheduling").model_dump())
    return build_scheduling(settings, clock=lambda: SCHEDULING_NOW)


PLAN = {"ten": "Hội nghị đối thoại với thanh niên xã Bình Lục", "ngay": "2026-12-20", "bat-dau": "08:00",
        "ket-thuc": "11:00", "chu-tri": "Lê Văn Nam", "chuc-danh": "Bí thư Đảng ủy xã", "hinh-thuc": "in_person",
        "dia-diem": "Nhà văn hóa xã Bình Lục", "thanh-phan": ["youth_union_members", "citizens"],
        "noi-dung": "Việc làm cho thanh niên\nAn ninh mạng"}  # fmt: skip


async def test_the_secretariat_plans_a_conference_and_the_calendar_shows_it_with_scheduling_s_checks(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for, services={"scheduling": scheduling(settings_for)}) as run:
        await add_user(nats_client, SECRETARIAT)
        await add_user(nats_client, {**SECRETARIAT, "username": "vp.khac", "scope": "ninh-binh"})
        async with browser(run) as secretariat, browser(run) as other:
            landing = await login(secretariat, SECRETARIAT["username"], PASSWORD)
            home = await secretariat.get("/can-bo")
            before = await secretariat.get("/van-phong/lich-hoi-nghi", params={"nam": "2026"})
            token = csrf(before.text)
            url = "/van-phong/lich-hoi-nghi/lap-ke-hoach"
            past = await secretariat.post(url, data={**PLAN, "ngay": "2026-10-01", "csrf": token})
            incomplete = await secretariat.post(url, data={**PLAN, "thanh-phan": [], "csrf": token})
            planned = await secretariat.post(url, data={**PLAN, "csrf": token})
            twice = await secretariat.post(url, data={**PLAN, "csrf": token})
            no_token = await secretariat.post(url, data=PLAN)
            after = await secretariat.get("/van-phong/lich-hoi-nghi", params={"nam": "2026"})
            other_unit = await secretariat.get("/van-phong/lich-hoi-nghi", params={"don-vi": "ninh-binh"})
            await login(other, "vp.khac")
            theirs = await other.get("/van-phong/lich-hoi-nghi", params={"nam": "2026"})
            bad_year = await secretariat.get("/van-phong/lich-hoi-nghi", params={"nam": "hai-nghin"})
        listed = await nats_client.request("scheduling.cmd.list", b'{"unit": "binh-luc-xa"}', timeout=10)

    assert landing.status_code == 303
    assert 'href="/van-phong/lich-hoi-nghi"' in home.text
    assert "Năm 2026, đơn vị mới tổ chức 0 trên 1 hội nghị đối thoại tối thiểu; còn thiếu 1." in before.text
    assert "Chưa có hội nghị nào của đơn vị trong năm 2026." in before.text
    assert past.status_code == 409  # scheduling's own rule and sentence
    assert "start_in_past" in past.text
    assert "hãy chọn thời gian bắt đầu trong tương lai" in past.text
    assert incomplete.status_code == 400
    assert "plan_incomplete" in incomplete.text
    assert (planned.status_code, twice.status_code) == (303, 303)
    assert planned.headers["location"] == "/van-phong/lich-hoi-nghi?nam=2026"
    text = words(after.text)
    assert "Hội nghị đối thoại với thanh niên xã Bình Lục" in text
    assert "08:00 ngày 20/12/2026" in text
    assert "đã lên kế hoạch" in text
    assert "Chưa thông báo công khai thời gian, địa điểm, nội dung và cách thức tham gia." in text
    assert text.count("Hội nghị đối thoại với thanh niên xã Bình Lục") == 1  # the double submit was one plan
    assert no_token.status_code == 403
    assert "csrf_refused" in no_token.text
    assert other_unit.status_code == 403
    assert "not_your_unit" in other_unit.text
    assert "thanh niên xã Bình Lục" not in theirs.text  # another unit's calendar
    assert bad_year.status_code == 400
    assert '"ok":true' in listed.data.decode().replace(" ", "")
    assert listed.data.decode().count("Hội nghị đối thoại với thanh niên xã Bình Lục") == 1
