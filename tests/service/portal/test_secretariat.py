"""The secretariat's desk over real HTTP, with the real intake and scheduling: an opinion recorded at
its unit's conference, the conference announced and held, another unit's conference refused."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from nats.aio.client import Client

from services.intake.app import build as build_intake
from services.intake.settings import IntakeSettings
from services.scheduling.app import build as build_scheduling
from services.scheduling.settings import SchedulingSettings
from shared.settings import ServiceSettings
from tests.service.portal.console_bed import add_user, browser, csrf, login
from tests.service.portal.support import eventually, running_portal
from tests.service.portal.test_staff_reports import PLAN, SCHEDULING_NOW, SECRETARIAT, words

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]
CALENDAR = "/van-phong/lich-hoi-nghi"
OTHER = {**SECRETARIAT, "username": "vp.ninh-binh", "scope": "ninh-binh"}
ELSEWHERE = {"chu-tri": "Trần Văn Bình", "dia-diem": "Hội trường Tỉnh ủy Ninh Bình"}  # not double-booked
CONTENT = "Đề nghị xã sớm sửa chữa nhà văn hóa thôn An Bài sau khi sáp nhập thôn."


def services(settings_for: Callable[[str], ServiceSettings], now: list[dt.datetime]) -> dict[str, Any]:
    """The real intake, and the real scheduling on a clock the test moves."""
    scheduling = build_scheduling(
        SchedulingSettings(**settings_for("scheduling").model_dump()), clock=lambda: now[0]
    )
    intake = build_intake(IntakeSettings(**settings_for("intake").model_dump()))
    return {"scheduling": scheduling, "intake": intake}


async def listed(nc: Client, unit: str | None = None) -> list[dict[str, Any]]:
    query = {"unit": unit} if unit else {}
    reply = await nc.request("scheduling.cmd.list", json.dumps(query).encode(), timeout=10)
    rows: list[dict[str, Any]] = json.loads(reply.data)["data"]
    return rows


async def plan(http: httpx.AsyncClient, nc: Client, unit: str, title: str, **changes: str) -> str:
    """Plan a conference through the calendar's form; scheduling's id of it."""
    page = await http.get(CALENDAR, params={"nam": "2026"})
    planned = await http.post(
        f"{CALENDAR}/lap-ke-hoach", data={**PLAN, "ten": title, **changes, "csrf": csrf(page.text)}
    )
    assert planned.status_code == 303, planned.text
    return next(str(r["conference_id"]) for r in await listed(nc, unit) if r["title"] == title)


def opinion_form(conference_id: str, token: str, **changes: str) -> dict[str, str]:
    return {"csrf": token, "hoi-nghi": conference_id, "loai": "recommendation", "kenh": "written_petition",
            "noi-dung": CONTENT, "ho-ten": "Nguyễn Văn An", "doi-tuong": "citizen",
            "noi-cu-tru": "thôn An Bài 1, xã Bình Lục", **changes}  # fmt: skip


async def test_the_secretariat_records_an_opinion_once_and_its_tracking_page_shows_it(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    now = [SCHEDULING_NOW]
    async with running_portal(settings_for, services=services(settings_for, now)) as run:
        await add_user(nats_client, SECRETARIAT)
        await add_user(nats_client, OTHER)
        async with browser(run) as secretariat, browser(run) as other:
            await login(secretariat, SECRETARIAT["username"])
            await login(other, OTHER["username"])
            mine = await plan(secretariat, nats_client, "binh-luc-xa", "Đối thoại với nhân dân xã Bình Lục")
            theirs = await plan(
                other, nats_client, "ninh-binh", "Đối thoại với nhân dân tỉnh Ninh Bình", **ELSEWHERE
            )
            page = await secretariat.get("/van-phong/ghi-y-kien", params={"hoi-nghi": mine})
            token = csrf(page.text)

            async def recorded() -> httpx.Response | None:  # intake learns of the conference from its event
                answer = await secretariat.post("/van-phong/ghi-y-kien", data=opinion_form(mine, token))
                return answer if "unknown_conference" not in answer.text else None

            first = await eventually(recorded)
            again = await secretariat.post("/van-phong/ghi-y-kien", data=opinion_form(mine, token))
            blank = await secretariat.post(
                "/van-phong/ghi-y-kien", data=opinion_form(mine, token, **{"noi-dung": " "})
            )
            no_consent = await secretariat.post(
                "/van-phong/ghi-y-kien", data=opinion_form(mine, token, **{"dien-thoai": "0912345678"})
            )
            no_token = await secretariat.post("/van-phong/ghi-y-kien", data=opinion_form(mine, ""))
            other_unit = await secretariat.post("/van-phong/ghi-y-kien", data=opinion_form(theirs, token))
            other_form = await secretariat.get("/van-phong/ghi-y-kien", params={"hoi-nghi": theirs})
            calendar = await secretariat.get(CALENDAR, params={"nam": "2026"})
        code = first.text.split('<strong class="code">', 1)[1].split("<", 1)[0]

        async def public() -> httpx.Response | None:
            shown = await run.http.get(f"/tra-cuu/{code}")
            # the received and classified events reach the read model by two consumers, in either order
            return shown if shown.status_code == 200 and CONTENT in words(shown.text) else None

        tracking = await eventually(public)
        reply = await nats_client.request(
            "intake.cmd.list", json.dumps({"conference_id": mine}).encode(), timeout=10
        )
        opinions = json.loads(reply.data)["data"]

    assert 'href="/van-phong/ghi-y-kien"' in page.text  # the secretariat's navigation
    assert f'<option value="{mine}" selected>' in page.text
    assert theirs not in page.text  # only the unit's own conferences are offered
    assert first.status_code == 200
    assert code.startswith("DT-")
    assert again.status_code == 200
    assert code in again.text
    assert "đã tiếp nhận trước đó" in again.text
    assert [o["tracking_code"] for o in opinions] == [code]  # the double submit is one opinion
    assert opinions[0]["submitter_name"] == "Nguyễn Văn An"
    assert CONTENT in words(tracking.text)
    assert "Kiến nghị" in tracking.text
    assert blank.status_code == 400
    assert "empty_content" in blank.text
    assert "Nội dung ý kiến đang để trống; vui lòng nhập nội dung trước khi gửi." in blank.text  # intake's
    assert no_consent.status_code == 400
    assert "consent_required" in no_consent.text
    assert no_token.status_code == 403
    assert "csrf_refused" in no_token.text
    assert (other_unit.status_code, other_form.status_code) == (403, 403)
    assert "not_your_unit" in other_unit.text
    assert "not_your_unit" in other_form.text
    assert f'href="/van-phong/ghi-y-kien?hoi-nghi={mine}"' in calendar.text


async def test_the_secretariat_announces_then_holds_its_conference_and_scheduling_s_refusals_are_shown(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    now = [SCHEDULING_NOW]
    async with running_portal(settings_for, services=services(settings_for, now)) as run:
        await add_user(nats_client, SECRETARIAT)
        await add_user(nats_client, OTHER)
        async with browser(run) as secretariat, browser(run) as other:
            await login(secretariat, SECRETARIAT["username"])
            await login(other, OTHER["username"])
            mine = await plan(secretariat, nats_client, "binh-luc-xa", "Đối thoại với thanh niên xã Bình Lục")
            theirs = await plan(
                other, nats_client, "ninh-binh", "Đối thoại với thanh niên tỉnh Ninh Bình", **ELSEWHERE
            )
            planned = await secretariat.get(CALENDAR, params={"nam": "2026"})
            token = csrf(planned.text)
            not_mine = await secretariat.post(f"{CALENDAR}/{theirs}/cong-bo", data={"csrf": token})
            no_token = await secretariat.post(f"{CALENDAR}/{mine}/cong-bo", data={})
            announced = await secretariat.post(f"{CALENDAR}/{mine}/cong-bo", data={"csrf": token})
            after_announce = await secretariat.get(CALENDAR, params={"nam": "2026"})
            counts = {"csrf": csrf(after_announce.text), "so-nguoi": "120", "so-y-kien": "10"}
            too_early = await secretariat.post(f"{CALENDAR}/{mine}/to-chuc", data=counts)
            bad_counts = await secretariat.post(
                f"{CALENDAR}/{mine}/to-chuc", data={**counts, "so-nguoi": "-3"}
            )
            now[0] = dt.datetime(2026, 12, 20, 6, 0, tzinfo=dt.UTC)  # 13:00 in Vietnam, after it ended
            held = await secretariat.post(f"{CALENDAR}/{mine}/to-chuc", data=counts)
            announce_again = await secretariat.post(
                f"{CALENDAR}/{mine}/cong-bo", data={"csrf": csrf((await secretariat.get(CALENDAR)).text)}
            )
            after_hold = await secretariat.get(CALENDAR, params={"nam": "2026"})
        rows = {r["conference_id"]: r for r in await listed(nats_client)}

    assert f'action="{CALENDAR}/{mine}/cong-bo"' in planned.text
    assert f'action="{CALENDAR}/{mine}/to-chuc"' not in planned.text
    assert (not_mine.status_code, "not_your_unit" in not_mine.text) == (403, True)
    assert rows[theirs]["state"] == "planned"  # another unit's conference was not announced
    assert (no_token.status_code, "csrf_refused" in no_token.text) == (403, True)
    assert announced.status_code == 303
    assert announced.headers["location"] == f"{CALENDAR}?nam=2026"
    assert "đã công bố" in words(after_announce.text)
    assert f'action="{CALENDAR}/{mine}/to-chuc"' in after_announce.text
    assert f'action="{CALENDAR}/{mine}/cong-bo"' not in after_announce.text
    assert too_early.status_code == 409
    assert "not_held_yet" in too_early.text
    assert "chưa đến giờ; hãy ghi nhận sau khi hội nghị đã được tổ chức." in words(
        too_early.text
    )  # scheduling's
    assert (bad_counts.status_code, "count_invalid" in bad_counts.text) == (400, True)
    assert held.status_code == 303
    assert announce_again.status_code == 409  # scheduling refuses announcing a held conference
    assert "illegal_transition" in announce_again.text
    assert (
        "Không thể công bố hội nghị đang ở trạng thái &#39;đã tổ chức&#39;" in announce_again.text
    )  # scheduling's
    assert "đã tổ chức" in words(after_hold.text)
    assert rows[mine]["state"] == "held"


async def conference_events(nc: Client, conference_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The events stored on the SCHEDULING stream for ``conference_id``, in order."""
    sub = await nc.jetstream().pull_subscribe("scheduling.conference.>", durable=None, stream="SCHEDULING")
    found: list[tuple[str, dict[str, Any]]] = []
    try:
        while True:
            found += [(m.subject, json.loads(m.data)) for m in await sub.fetch(100, timeout=1)]
    except TimeoutError:
        pass
    await sub.unsubscribe()
    return [(subject, event) for subject, event in found if event["conference_id"] == conference_id]


async def test_the_planned_announced_and_held_events_name_the_secretariat_account_that_sent_them(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    now = [SCHEDULING_NOW]
    async with running_portal(settings_for, services=services(settings_for, now)) as run:
        await add_user(nats_client, SECRETARIAT)
        async with browser(run) as secretariat:
            await login(secretariat, SECRETARIAT["username"])
            mine = await plan(secretariat, nats_client, "binh-luc-xa", "Đối thoại về việc làm xã Bình Lục")
            page = await secretariat.get(CALENDAR, params={"nam": "2026"})
            announced = await secretariat.post(f"{CALENDAR}/{mine}/cong-bo", data={"csrf": csrf(page.text)})
            now[0] = dt.datetime(2026, 12, 20, 6, 0, tzinfo=dt.UTC)  # 13:00 in Vietnam, after it ended
            page = await secretariat.get(CALENDAR, params={"nam": "2026"})
            counts = {"csrf": csrf(page.text), "so-nguoi": "80", "so-y-kien": "6"}
            held = await secretariat.post(f"{CALENDAR}/{mine}/to-chuc", data=counts)
        events = dict(await conference_events(nats_client, mine))

    assert (announced.status_code, held.status_code) == (303, 303)
    account = f"{SECRETARIAT['display_name']} ({SECRETARIAT['username']})"  # "Đỗ Thị Thu (thu.vp)"
    assert events["scheduling.conference.planned"]["by"] == account
    assert events["scheduling.conference.announced"]["by"] == account
    assert events["scheduling.conference.held"]["by"] == account
