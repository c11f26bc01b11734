"""The head's conclusions over real HTTP, with the real scheduling: a held conference of its unit
concluded from the page (its due date and lateness as scheduling reports them), a conference not yet
held refused with scheduling's sentence, another unit's 403, a form without its token refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from nats.aio.client import Client

from services.scheduling.app import build as build_scheduling
from services.scheduling.settings import SchedulingSettings
from shared.settings import ServiceSettings
from tests.service.portal.console_bed import add_user, browser, csrf, login
from tests.service.portal.support import running_portal
from tests.service.portal.test_secretariat import CALENDAR, ELSEWHERE, OTHER, conference_events, listed, plan
from tests.service.portal.test_staff_reports import SCHEDULING_NOW, SECRETARIAT, words

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]
PAGE = "/lanh-dao/ket-luan"
HEAD = {"username": "nam.bithu", "display_name": "Lê Văn Nam", "role": "head", "scope": "binh-luc-xa"}
SUMMARY = "Giao UBND xã sửa chữa nhà văn hóa thôn An Bài trong quý I năm 2027."
LATER = {"ngay": "2026-12-27"}  # the unit's second conference, another day


async def test_the_head_concludes_its_unit_s_held_conference_and_scheduling_s_refusals_are_shown(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    now = [SCHEDULING_NOW]
    scheduling = build_scheduling(
        SchedulingSettings(**settings_for("scheduling").model_dump()), clock=lambda: now[0]
    )
    async with running_portal(settings_for, services={"scheduling": scheduling}) as run:
        for account in (SECRETARIAT, OTHER, HEAD):
            await add_user(nats_client, account)
        async with browser(run) as secretariat, browser(run) as other, browser(run) as head:
            await login(secretariat, SECRETARIAT["username"])
            await login(other, OTHER["username"])
            await login(head, HEAD["username"])
            held = await plan(secretariat, nats_client, "binh-luc-xa", "Đối thoại với thanh niên xã Bình Lục")
            pending = await plan(
                secretariat, nats_client, "binh-luc-xa", "Đối thoại với phụ nữ xã Bình Lục", **LATER
            )
            theirs = await plan(
                other, nats_client, "ninh-binh", "Đối thoại với thanh niên tỉnh Ninh Bình", **ELSEWHERE
            )
            token = csrf((await secretariat.get(CALENDAR)).text)
            assert (
                await secretariat.post(f"{CALENDAR}/{held}/cong-bo", data={"csrf": token})
            ).status_code == 303
            now[0] = dt.datetime(2026, 12, 20, 6, 0, tzinfo=dt.UTC)  # 13:00 in Vietnam, after it ended
            counts = {"csrf": token, "so-nguoi": "120", "so-y-kien": "10"}
            assert (await secretariat.post(f"{CALENDAR}/{held}/to-chuc", data=counts)).status_code == 303
            in_time = await head.get(PAGE)
            now[0] = dt.datetime(2026, 12, 31, 3, 0, tzinfo=dt.UTC)  # the day after the due date
            late = await head.get(PAGE)
            token = csrf(late.text)
            form = {"csrf": token, "tom-tat": SUMMARY, "van-ban": "15/TB-UBND"}
            no_token = await head.post(f"{PAGE}/{held}", data={**form, "csrf": ""})
            missing = await head.post(f"{PAGE}/{held}", data={**form, "van-ban": " "})
            not_mine = await head.post(f"{PAGE}/{theirs}", data=form)
            not_held = await head.post(f"{PAGE}/{pending}", data=form)
            concluded = await head.post(f"{PAGE}/{held}", data=form)
            again = await head.post(f"{PAGE}/{held}", data=form)  # the same form twice: one command
            after = await head.get(PAGE)
            calendar = await head.get(CALENDAR, params={"nam": "2026"})
            secretariat_page = await secretariat.get(PAGE)
        rows = {r["conference_id"]: r for r in await listed(nats_client)}
        concluded_by = [
            event["by"] for subject, event in await conference_events(nats_client, held)
            if subject == "scheduling.conference.concluded"
        ]  # fmt: skip

    assert 'href="/lanh-dao/ket-luan"' in in_time.text  # the head's navigation
    assert f'action="{PAGE}/{held}"' in in_time.text
    assert f'action="{PAGE}/{pending}"' not in in_time.text  # only a held conference awaits its conclusion
    assert theirs not in in_time.text
    assert "Hạn kết luận: 30/12/2026 · còn trong hạn" in words(in_time.text)
    assert "Hạn kết luận: 30/12/2026 · đã quá hạn" in words(late.text)
    assert (no_token.status_code, "csrf_refused" in no_token.text) == (403, True)
    assert missing.status_code == 400
    assert "Vui lòng nhập đủ tóm tắt kết luận và số hoặc đường dẫn văn bản kết luận." in words(missing.text)
    assert (not_mine.status_code, "not_your_unit" in not_mine.text) == (403, True)
    assert rows[theirs]["state"] == "planned"
    assert not_held.status_code == 409
    assert "illegal_transition" in not_held.text
    assert "Không thể ban hành kết luận hội nghị đang ở trạng thái 'đã lên kế hoạch'" in words(
        not_held.text
    )  # scheduling's
    assert rows[pending]["state"] == "planned"
    assert (concluded.status_code, concluded.headers["location"]) == (303, PAGE)
    assert again.status_code == 303  # scheduling replays the first answer to the same command id
    assert rows[held]["state"] == "concluded"
    assert rows[held]["conclusion_late"] is True
    assert concluded_by == [f"{HEAD['display_name']} ({HEAD['username']})"]  # the head who signed, once
    assert f'action="{PAGE}/{held}"' not in after.text
    assert "Không có hội nghị nào đang chờ kết luận." in words(after.text)
    assert "Đối thoại với thanh niên xã Bình Lục (mã" in words(after.text)
    assert "đã có kết luận · kết luận quá hạn (hạn 30/12/2026)" in words(after.text)
    assert "đã có kết luận" in words(calendar.text)
    assert secretariat_page.status_code == 403  # a head's page
