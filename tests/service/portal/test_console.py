"""The officials' console over real HTTP, with the real assignment service on a real nats-server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nats.aio.client import Client

from services.portal.adapters import login as login_page
from shared.settings import ServiceSettings
from tests.service.portal.console_bed import (
    AGENCY,
    HEAD,
    OFFICER,
    OTHER_AGENCY,
    OTHER_OFFICER,
    PASSWORD,
    add_user,
    another_opinion_held_by,
    browser,
    csrf,
    login,
    portal_command,
    ticking_assignment,
)
from tests.service.portal.rating_bed import command, opinion_at
from tests.service.portal.support import EMAIL, ID_NUMBER, PHONE, code_for, eventually, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]


async def test_an_official_logs_in_with_the_right_password_only_and_the_store_keeps_an_argon2_hash(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for) as run:
        added = await add_user(nats_client, OFFICER)
        again = await portal_command(nats_client, "user-add", {**OFFICER, "password": PASSWORD})
        short = await portal_command(
            nats_client, "user-add", {**OFFICER, "username": "x.y", "password": "ngan"}
        )
        wrong = await login(run.http, OFFICER["username"], "khong-phai-mat-khau")
        unknown = await login(run.http, "khong.co.ai", PASSWORD)
        right = await login(run.http, OFFICER["username"])
        home = await run.http.get("/can-bo")
        stored = await run.portal.store.get("accounts", OFFICER["username"])
        await add_user(nats_client, {"username": "qt", "display_name": "Quản trị viên", "role": "admin"})
        async with browser(run) as admin:
            await login(admin, "qt")
            admin_home = await admin.get("/can-bo")
            admin_inbox = await admin.get("/can-bo/hop-thu")

    assert added["data"] == {"username": "lan.sgddt", "display_name": "Trần Thị Lan", "role": "agency_officer",
                             "scope": AGENCY, "disabled": False}  # fmt: skip
    assert (again["ok"], again["code"]) == (False, "account_exists")
    assert not short["ok"]
    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert login_page.WRONG in wrong.text
    assert login_page.WRONG in unknown.text
    assert right.status_code == 303
    assert right.headers["location"] == "/can-bo"
    cookie = right.headers["set-cookie"].lower()
    assert "dt_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "max-age=" in cookie
    assert home.status_code == 303
    assert home.headers["location"] == "/can-bo/hop-thu"
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in str(stored)
    assert admin_home.status_code == 200
    assert "Xin chào Quản trị viên" in admin_home.text
    assert admin_inbox.status_code == 403  # the inbox is an agency officer's


async def test_failed_logins_from_one_address_are_throttled_with_a_sentence_and_429(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for, portal_login_failures=3) as run:
        await add_user(nats_client, OFFICER)
        failures = [(await login(run.http, f"doan.{n}", "sai-mat-khau-roi")).status_code for n in range(3)]
        throttled = await login(run.http, OFFICER["username"])  # the right password, but too late
        metrics = (await run.http.get(f"http://127.0.0.1:{run.portal.ops.port}/metrics")).text

    assert failures == [401, 401, 401]
    assert throttled.status_code == 429
    assert login_page.THROTTLED.format(minutes=15) in throttled.text
    assert "dt_session" not in throttled.headers.get("set-cookie", "")
    assert 'dialogue_portal_logins_failed_total{reason="throttled"} 1.0' in metrics
    assert 'dialogue_portal_logins_failed_total{reason="wrong_credentials"} 3.0' in metrics


async def test_a_disabled_account_cannot_log_in_and_its_open_session_stops_working(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    async with running_portal(settings_for) as run:
        await add_user(nats_client, OFFICER)
        await login(run.http, OFFICER["username"])
        before = await run.http.get("/can-bo/hop-thu")
        disabled = await portal_command(nats_client, "user-disable", {"username": OFFICER["username"]})
        after = await run.http.get("/can-bo/hop-thu")
        refused = await login(run.http, OFFICER["username"])
        unknown = await portal_command(nats_client, "user-disable", {"username": "khong.co.ai"})

    assert before.status_code == 200
    assert disabled["ok"]
    assert disabled["data"]["disabled"] is True
    assert after.status_code == 303
    assert after.headers["location"] == "/dang-nhap"
    assert refused.status_code == 403
    assert login_page.DISABLED in refused.text
    assert (unknown["ok"], unknown["code"]) == (False, "unknown_account")


async def test_an_officer_sees_only_its_agency_and_gets_403_on_another_agency_s_opinion_by_url_and_by_form(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code, other_code = code_for("console-scope"), code_for("console-scope-other")
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-console-scope", code, publish=False)
        await another_opinion_held_by(nats_client, OTHER_AGENCY, "op-console-other", other_code)
        await eventually(lambda: run.portal.store.get("opinions", "op-console-other"))
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, OTHER_OFFICER)
        async with browser(run) as mine, browser(run) as theirs:
            await login(mine, OFFICER["username"])
            await login(theirs, OTHER_OFFICER["username"])
            my_inbox = await mine.get("/can-bo/hop-thu")
            their_inbox = await theirs.get("/can-bo/hop-thu")
            by_url = await theirs.get(f"/can-bo/y-kien/{code}")
            by_form = await theirs.post(
                f"/can-bo/y-kien/{code}/tra-loi",
                data={
                    "csrf": csrf(their_inbox.text),
                    "so": "9/PKT",
                    "ngay": "2025-03-12",
                    "tom-tat": "Không.",
                },
            )
            head_page = await theirs.get("/lanh-dao/duyet")  # an officer is not a head
            mine_page = await mine.get(f"/can-bo/y-kien/{code}")
        await add_user(nats_client, {**HEAD, "username": "tam.xa", "scope": "xa-dong-du"})
        async with browser(run) as other_head:
            await login(other_head, "tam.xa")
            head_token = csrf((await other_head.get("/lanh-dao/duyet")).text)
            head_by_url = await other_head.get(f"/lanh-dao/y-kien/{code}")
            head_by_form = await other_head.post(
                f"/lanh-dao/y-kien/{code}/cong-bo", data={"csrf": head_token}
            )
        shown = await command(nats_client, "show", {"opinion_id": "op-console-scope"})

    assert my_inbox.status_code == 200
    assert code in my_inbox.text
    assert other_code not in my_inbox.text
    assert other_code in their_inbox.text
    assert code not in their_inbox.text
    assert "Quá hạn" in my_inbox.text  # the deadline of March 2025 is long past: said in words
    assert by_url.status_code == 403
    assert "not_your_agency" in by_url.text
    assert by_form.status_code == 403
    assert "not_your_agency" in by_form.text
    assert shown["data"]["status"] == "assigned"  # the other agency's answer never reached assignment
    assert head_page.status_code == 403
    assert head_by_url.status_code == 403
    assert "not_your_unit" in head_by_url.text
    assert head_by_form.status_code == 403
    assert "not_your_unit" in head_by_form.text
    assert mine_page.status_code == 200
    assert 'for="tom-tat"' in mine_page.text


async def test_every_console_form_is_refused_without_its_token_and_without_a_login(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("console-csrf")
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-console-csrf", code, publish=False)
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        answer = {"so": "1/SGD", "ngay": "2025-03-12", "tom-tat": "Sở sẽ sửa trường."}
        anonymous_page = await run.http.get("/can-bo/hop-thu")
        anonymous_form = await run.http.post(f"/can-bo/y-kien/{code}/tra-loi", data=answer)
        login_without_token = await run.http.post(
            "/dang-nhap", data={"ten": OFFICER["username"], "mat-khau": PASSWORD}
        )
        async with browser(run) as officer, browser(run) as head:
            await login(officer, OFFICER["username"])
            await login(head, HEAD["username"])
            head_token = csrf((await head.get("/lanh-dao/duyet")).text)
            no_token = await officer.post(f"/can-bo/y-kien/{code}/tra-loi", data=answer)
            others_token = await officer.post(
                f"/can-bo/y-kien/{code}/tra-loi", data={**answer, "csrf": head_token}
            )
            no_token_return = await head.post(f"/lanh-dao/y-kien/{code}/tra-lai", data={"ly-do": "Chưa rõ."})
            no_token_publish = await head.post(f"/lanh-dao/y-kien/{code}/cong-bo")
            no_token_logout = await head.post("/dang-xuat")
        shown = await command(nats_client, "show", {"opinion_id": "op-console-csrf"})

    assert anonymous_page.status_code == 303
    assert anonymous_page.headers["location"] == "/dang-nhap"
    assert anonymous_form.status_code == 401
    assert "not_logged_in" in anonymous_form.text
    assert login_without_token.status_code == 403
    for refused in (no_token, others_token, no_token_return, no_token_publish, no_token_logout):
        assert refused.status_code == 403, refused.text
        assert "csrf_refused" in refused.text
    assert shown["data"]["status"] == "assigned"


async def test_the_officer_answers_the_head_returns_it_the_officer_answers_again_and_the_head_publishes(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code = code_for("console-path")
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-console-path", code, publish=False)
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        async with browser(run) as officer, browser(run) as head:
            await login(officer, OFFICER["username"])
            await login(head, HEAD["username"])
            page = await officer.get(f"/can-bo/y-kien/{code}")
            first = {"csrf": csrf(page.text), "so": "1/SGD", "ngay": "2025-03-12", "tom-tat": "Bản nháp."}
            sent = await officer.post(f"/can-bo/y-kien/{code}/tra-loi", data=first)
            twice = await officer.post(f"/can-bo/y-kien/{code}/tra-loi", data=first)  # a double submit

            async def queued() -> bool:
                return code in (await head.get("/lanh-dao/duyet")).text

            await eventually(queued)
            review = await head.get(f"/lanh-dao/y-kien/{code}")
            returned = await head.post(f"/lanh-dao/y-kien/{code}/tra-lai",
                                       data={"csrf": csrf(review.text), "ly-do": "Cần nêu thời gian sửa."})  # fmt: skip
            publish_too_early = await head.post(
                f"/lanh-dao/y-kien/{code}/cong-bo", data={"csrf": csrf(review.text)}
            )
            page = await officer.get(f"/can-bo/y-kien/{code}")
            second = {"csrf": csrf(page.text), "so": "2/SGD", "ngay": "2025-03-13",
                      "tom-tat": "Sở sẽ sửa trường trong quý I."}  # fmt: skip
            await officer.post(f"/can-bo/y-kien/{code}/tra-loi", data=second)

            async def queued_again() -> bool:
                return "Sở sẽ sửa trường trong quý I." in (await head.get(f"/lanh-dao/y-kien/{code}")).text

            await eventually(queued_again)
            review = await head.get(f"/lanh-dao/y-kien/{code}")
            published = await head.post(f"/lanh-dao/y-kien/{code}/cong-bo", data={"csrf": csrf(review.text)})
            after = await head.get(f"/lanh-dao/y-kien/{code}")

        async def public() -> str | None:
            page = await run.http.get(f"/tra-cuu/{code}")
            return page.text if "step published" in page.text else None

        tracking = await eventually(public)
        shown = await command(nats_client, "show", {"opinion_id": "op-console-path"})
        login_form = (await run.http.get("/dang-nhap")).text

    assert page.status_code == 200
    assert "Cần nêu thời gian sửa." in page.text
    assert (sent.status_code, twice.status_code) == (303, 303)
    assert review.status_code == 200
    assert returned.status_code == 303
    assert publish_too_early.status_code == 409  # assignment's own sentence: nothing to publish now
    assert published.status_code == 303
    assert "Đã công bố" in after.text
    history = shown["data"]["history"]
    assert [h["action"] for h in history].count("submit_answer") == 2  # the double submit was one
    by = {h["action"]: h["by"] for h in history}
    assert by["return_answer"] == "Phạm Văn Hùng (hung.ubnd)"
    assert by["publish"] == "Phạm Văn Hùng (hung.ubnd)"
    assert "Sở sẽ sửa trường trong quý I." in tracking
    for page_text in (tracking, login_form):
        assert PHONE not in page_text
        assert EMAIL not in page_text
        assert ID_NUMBER not in page_text
