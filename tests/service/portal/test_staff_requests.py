"""Extension and transfer requests over real HTTP, with the real assignment service on a real nats-server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
import pytest
from nats.aio.client import Client

from shared.settings import ServiceSettings
from tests.service.portal.console_bed import (
    HEAD,
    OFFICER,
    OTHER_OFFICER,
    add_user,
    browser,
    csrf,
    login,
    ticking_assignment,
)
from tests.service.portal.rating_bed import command, opinion_at
from tests.service.portal.support import code_for, eventually, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]


async def text_once(client: httpx.AsyncClient, url: str, wanted: str, present: bool = True) -> str:
    """The page at ``url`` once ``wanted`` is in it (or, with ``present=False``, once it is gone)."""

    async def shown() -> str | None:
        text = (await client.get(url)).text
        return text if (wanted in text) is present else None

    found: str = await eventually(shown)
    return found


async def test_an_officer_asks_for_an_extension_the_head_sees_it_in_the_queue_and_approves_it(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code, opinion = code_for("staff-extension"), "op-staff-extension"
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, opinion, code, publish=False)
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        deadline = dt.date.fromisoformat(
            (await command(nats_client, "show", {"opinion_id": opinion}))["data"]["deadline"]
        )
        asked_for = deadline + dt.timedelta(days=7)
        async with browser(run) as officer, browser(run) as head:
            await login(officer, OFFICER["username"])
            await login(head, HEAD["username"])
            page = await officer.get(f"/can-bo/y-kien/{code}")
            url = f"/can-bo/y-kien/{code}/gia-han"
            not_later = await officer.post(url, data={"csrf": csrf(page.text), "han-moi": deadline.isoformat(),
                                                      "ly-do-gia-han": "Cần khảo sát."})  # fmt: skip
            incomplete = await officer.post(
                url, data={"csrf": csrf(page.text), "han-moi": "", "ly-do-gia-han": " "}
            )
            asked = await officer.post(url, data={"csrf": csrf(page.text), "han-moi": asked_for.isoformat(),
                                                  "ly-do-gia-han": "Cần khảo sát hiện trạng trường."})  # fmt: skip
            twice = await officer.post(url, data={"csrf": csrf(page.text), "han-moi": asked_for.isoformat(),
                                                  "ly-do-gia-han": "Cần khảo sát hiện trạng trường."})  # fmt: skip
            after_asking = await officer.get(f"/can-bo/y-kien/{code}")
            inbox = await text_once(officer, "/can-bo/hop-thu", "Đã đề nghị gia hạn đến")
            queue = await text_once(head, "/lanh-dao/duyet", "Đề nghị gia hạn đến")
            review = await head.get(f"/lanh-dao/y-kien/{code}")
            approved = await head.post(
                f"/lanh-dao/y-kien/{code}/dong-y-gia-han", data={"csrf": csrf(review.text)}
            )
            again = await head.post(
                f"/lanh-dao/y-kien/{code}/dong-y-gia-han",
                data={"csrf": csrf((await head.get("/lanh-dao/duyet")).text)},
            )
            cleared = await text_once(head, "/lanh-dao/duyet", "Đề nghị gia hạn đến", present=False)
        shown = (await command(nats_client, "show", {"opinion_id": opinion}))["data"]

    assert not_later.status_code == 409  # assignment's rule, in assignment's sentence
    assert "không sau hạn hiện tại" in not_later.text
    assert "extension_not_later" in not_later.text
    assert incomplete.status_code == 400
    assert "extension_incomplete" in incomplete.text
    assert (asked.status_code, twice.status_code) == (303, 303)  # a double submit is one request
    assert 'id="han-moi"' in page.text
    assert 'id="han-moi"' not in after_asking.text  # one request at a time
    assert "Cần khảo sát hiện trạng trường." in after_asking.text
    assert f"Đã đề nghị gia hạn đến {asked_for.strftime('%d/%m/%Y')}, chờ lãnh đạo quyết định" in inbox
    assert code in queue
    assert f"Đề nghị gia hạn đến {asked_for.strftime('%d/%m/%Y')}" in queue
    assert "Cần khảo sát hiện trạng trường." in review.text
    assert approved.status_code == 303
    assert again.status_code == 409
    assert "Không có đề nghị gia hạn nào đang chờ quyết định" in again.text
    assert "Không có đề nghị gia hạn hay giao cơ quan khác nào đang chờ quyết định." in cleared
    assert shown["deadline"] == asked_for.isoformat()
    assert shown["pending_extension"] is None
    actions = [h["action"] for h in shown["history"]]
    assert actions.count("request_extension") == 1
    by = {h["action"]: h["by"] for h in shown["history"]}
    assert by["approve_extension"] == "Phạm Văn Hùng (hung.ubnd)"


async def test_the_head_refuses_an_extension_with_a_reason_and_reassigns_an_opinion_the_agency_asked_to_hand_on(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code, opinion = code_for("staff-transfer"), "op-staff-transfer"
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, opinion, code, publish=False)
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        deadline = dt.date.fromisoformat(
            (await command(nats_client, "show", {"opinion_id": opinion}))["data"]["deadline"]
        )
        async with browser(run) as officer, browser(run) as head:
            await login(officer, OFFICER["username"])
            await login(head, HEAD["username"])
            page = await officer.get(f"/can-bo/y-kien/{code}")
            await officer.post(f"/can-bo/y-kien/{code}/gia-han", data={
                "csrf": csrf(page.text), "han-moi": (deadline + dt.timedelta(days=3)).isoformat(),
                "ly-do-gia-han": "Chờ ý kiến của Bộ."})  # fmt: skip
            await text_once(head, "/lanh-dao/duyet", "Đề nghị gia hạn đến")
            review = await head.get(f"/lanh-dao/y-kien/{code}")
            refuse = f"/lanh-dao/y-kien/{code}/tu-choi-gia-han"
            no_reason = await head.post(refuse, data={"csrf": csrf(review.text), "ly-do-tu-choi": ""})
            refused = await head.post(
                refuse, data={"csrf": csrf(review.text), "ly-do-tu-choi": "Đủ thời gian."}
            )
            page = await officer.get(f"/can-bo/y-kien/{code}")
            no_transfer_reason = await officer.post(f"/can-bo/y-kien/{code}/de-nghi-chuyen",
                                                    data={"csrf": csrf(page.text), "ly-do-chuyen": ""})  # fmt: skip
            transfer = await officer.post(f"/can-bo/y-kien/{code}/de-nghi-chuyen", data={
                "csrf": csrf(page.text), "ly-do-chuyen": "Việc làm sau học nghề thuộc Sở Nội vụ."})  # fmt: skip
            queue = await text_once(head, "/lanh-dao/duyet", "Đề nghị giao cơ quan khác")
            review = await head.get(f"/lanh-dao/y-kien/{code}")
            reassign = f"/lanh-dao/y-kien/{code}/giao-lai"
            no_agency = await head.post(reassign, data={"csrf": csrf(review.text), "co-quan": " "})
            same = await head.post(reassign, data={"csrf": csrf(review.text), "co-quan": "hn-sgddt"})
            moved = await head.post(reassign, data={"csrf": csrf(review.text), "co-quan": "HN-SNV",
                                                     "ly-do-giao-lai": "Theo đề nghị của Sở Giáo dục."})  # fmt: skip
            await text_once(head, "/lanh-dao/duyet", "Đề nghị giao cơ quan khác", present=False)
            inbox = await text_once(officer, "/can-bo/hop-thu", code, present=False)
            gone = await officer.get(f"/can-bo/y-kien/{code}")
        shown = (await command(nats_client, "show", {"opinion_id": opinion}))["data"]

    assert no_reason.status_code == 400
    assert "reason_required" in no_reason.text
    assert refused.status_code == 303
    assert no_transfer_reason.status_code == 400
    assert transfer.status_code == 303
    assert code in queue
    assert "Việc làm sau học nghề thuộc Sở Nội vụ." in review.text
    assert 'id="co-quan"' in review.text
    assert no_agency.status_code == 400
    assert same.status_code == 409
    assert "same_agency" in same.text
    assert moved.status_code == 303
    assert code not in inbox
    assert gone.status_code == 403  # the opinion is Sở Nội vụ's now
    assert shown["agency_code"] == "hn-snv"
    assert shown["pending_reassignment"] is None
    history = {h["action"]: h for h in shown["history"]}
    assert history["refuse_extension"]["details"]["reason"] == "Đủ thời gian."
    assert history["refuse_extension"]["by"] == "Phạm Văn Hùng (hung.ubnd)"
    assert history["request_reassignment"]["by"] == "Trần Thị Lan (lan.sgddt)"
    assert history["reassign"]["by"] == "Phạm Văn Hùng (hung.ubnd)"


async def test_every_request_and_decision_form_is_refused_outside_its_scope_without_its_token_or_a_login(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client
) -> None:
    code, opinion = code_for("staff-scope"), "op-staff-scope"
    officer_forms = {"gia-han": {"han-moi": "2025-05-01", "ly-do-gia-han": "Cần thêm thời gian."},
                     "de-nghi-chuyen": {"ly-do-chuyen": "Không thuộc thẩm quyền."}}  # fmt: skip
    head_forms = {
        "dong-y-gia-han": {},
        "tu-choi-gia-han": {"ly-do-tu-choi": "Không."},
        "giao-lai": {"co-quan": "hn-snv"},
    }
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, opinion, code, publish=False)
        for account in (OFFICER, OTHER_OFFICER, HEAD, {**HEAD, "username": "tam.xa", "scope": "xa-dong-du"}):
            await add_user(nats_client, account)
        anonymous = [
            (await run.http.post(f"/can-bo/y-kien/{code}/{verb}", data=form)).status_code
            for verb, form in officer_forms.items()
        ]
        async with (
            browser(run) as mine,
            browser(run) as theirs,
            browser(run) as head,
            browser(run) as other_head,
        ):
            for client, name in ((mine, OFFICER), (theirs, OTHER_OFFICER), (head, HEAD)):
                await login(client, name["username"])
            await login(other_head, "tam.xa")
            their_token = csrf((await theirs.get("/can-bo/hop-thu")).text)
            other_head_token = csrf((await other_head.get("/lanh-dao/duyet")).text)
            out_of_scope = [await theirs.post(f"/can-bo/y-kien/{code}/{verb}", data={**form, "csrf": their_token})
                            for verb, form in officer_forms.items()]  # fmt: skip
            out_of_scope += [await other_head.post(f"/lanh-dao/y-kien/{code}/{verb}", data={**form, "csrf": other_head_token})
                             for verb, form in head_forms.items()]  # fmt: skip
            no_token = [
                await mine.post(f"/can-bo/y-kien/{code}/{verb}", data=form)
                for verb, form in officer_forms.items()
            ]
            no_token += [
                await head.post(f"/lanh-dao/y-kien/{code}/{verb}", data=form)
                for verb, form in head_forms.items()
            ]
            head_token = csrf((await head.get("/lanh-dao/duyet")).text)
            others_token = await mine.post(f"/can-bo/y-kien/{code}/gia-han", data={**officer_forms["gia-han"],
                                                                                  "csrf": head_token})  # fmt: skip
            wrong_role = await mine.post(f"/lanh-dao/y-kien/{code}/giao-lai", data={"co-quan": "hn-snv",
                                                                                   "csrf": their_token})  # fmt: skip
        shown = (await command(nats_client, "show", {"opinion_id": opinion}))["data"]

    assert anonymous == [401, 401]
    reasons = ["not_your_agency", "not_your_agency", "not_your_unit", "not_your_unit", "not_your_unit"]
    assert [(r.status_code, reason in r.text) for r, reason in zip(out_of_scope, reasons, strict=True)] == [
        (403, True)
    ] * 5
    for refused in [*no_token, others_token]:
        assert refused.status_code == 403, refused.text
        assert "csrf_refused" in refused.text
    assert wrong_role.status_code == 403
    assert "forbidden" in wrong_role.text
    assert shown["status"] == "assigned"
    assert shown["agency_code"] == "hn-sgddt"
    assert (shown["pending_extension"], shown["pending_reassignment"]) == (None, None)
    assert all(h["action"] not in ("request_extension", "request_reassignment") for h in shown["history"])
