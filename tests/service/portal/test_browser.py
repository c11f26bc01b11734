"""A citizen's visit and the officials' answer path in a real headless Chromium (Debian's ``chromium``).

Playwright's own browser download cannot work here: the test launches the system's Chromium by its
path, and skips with a sentence when it is not installed (scripts/install-test-tools.sh installs it).
Screenshots of each page are saved in the test's temporary directory (docs/screenshots/ keeps a copy
of the agency's inbox, of the tracking page with the published answer, of the head's queue with an
extension request and of the unit's dashboard, for the README).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client

from shared.settings import ServiceSettings
from shared.timeutil import local_date, utcnow
from tests.service.portal.console_bed import (
    AGENCY,
    HEAD,
    OFFICER,
    PASSWORD,
    add_user,
    another_opinion_held_by,
    ticking_assignment,
)
from tests.service.portal.rating_bed import CONFERENCE, WHEN, assignment, classified, command, opinion_at
from tests.service.portal.support import code_for, eventually, rating_link, received, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Debian's chromium is not installed (scripts/install-test-tools.sh installs it as root)")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def log_in(page: Any, base: str, username: str, lands: str) -> None:
    """Log ``username`` in through the form and wait for the page the role lands on."""
    await page.goto(f"{base}/dang-nhap")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url(f"{base}{lands}")


async def reload_until(page: Any, url: str, text: str) -> None:
    """Reload ``url`` until it shows ``text`` (the read model catches up with the events)."""

    async def shown() -> bool:
        await page.goto(url)
        return text in await page.content()

    await eventually(shown)


async def test_a_citizen_looks_up_the_code_reads_the_answer_and_rates_it_in_a_browser(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, tmp_path: Path
) -> None:
    executable = chromium()
    playwright_api = pytest.importorskip(
        "playwright.async_api", reason="the playwright package is not installed"
    )
    code = code_for("browser")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    async with running_portal(settings_for, services={"assignment": assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-browser", code, publish=True)
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                page = await browser.new_page(viewport={"width": 390, "height": 844})  # a phone
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

                await page.goto(f"{run.url}/")
                await page.screenshot(path=shots / "1-tra-cuu.png", full_page=True)
                await page.get_by_label("Mã theo dõi").fill(code.lower())
                await page.keyboard.press("Enter")
                await page.wait_for_url(f"{run.url}/tra-cuu/{code}")
                await page.screenshot(path=shots / "2-y-kien.png", full_page=True)
                timeline = await page.locator("ol.timeline li").all_inner_texts()
                answer = await page.locator("blockquote.answer").inner_text()
                link = await page.get_by_role("link", name="Hội nghị đối thoại tỉnh").get_attribute("href")

                await page.goto(f"{run.url}{rating_link(code)}")
                await page.screenshot(path=shots / "3-danh-gia.png", full_page=True)
                await page.get_by_label("4 sao: Hài lòng").check()
                await page.get_by_label("Ý kiến thêm", exact=False).fill("Cảm ơn sở đã trả lời.")
                await page.get_by_role("button", name="Gửi đánh giá").click()
                await page.wait_for_load_state()
                await page.screenshot(path=shots / "4-da-danh-gia.png", full_page=True)
                thanks = await page.locator("h1").inner_text()
            finally:
                await browser.close()

    assert len(timeline) >= 4
    assert "Giao Sở Giáo dục và Đào tạo tỉnh Hà Nam trả lời" in timeline[1]
    assert answer == "Sở sẽ sửa trường trong quý I."
    assert link == f"/hoi-nghi/{CONFERENCE}"
    assert thanks == "Cảm ơn ông/bà đã đánh giá"
    assert errors == []  # the CSP blocks nothing the pages need
    assert sorted(p.name for p in shots.iterdir()) == [
        "1-tra-cuu.png",
        "2-y-kien.png",
        "3-danh-gia.png",
        "4-da-danh-gia.png",
    ]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_an_officer_answers_a_head_returns_it_the_officer_answers_again_and_the_head_publishes_in_a_browser(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, tmp_path: Path
) -> None:
    executable = chromium()
    playwright_api = pytest.importorskip(
        "playwright.async_api", reason="the playwright package is not installed"
    )
    code = code_for("browser-console")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    today = local_date(utcnow())  # the portal's today: Vietnam's date, a day ahead of UTC's at night
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-browser-console", code, publish=False)
        for n, (days, summary) in enumerate([(2, "Đề nghị lắp đèn chiếu sáng cổng trường."),
                                             (20, "Đề nghị bổ sung giáo viên tiếng Anh cho trường tiểu học.")]):  # fmt: skip
            await another_opinion_held_by(nats_client, AGENCY, f"op-browser-more-{n}", code_for(f"browser-more-{n}"),
                                          deadline=today + dt.timedelta(days=days), summary=summary,
                                          agency_name="Sở Giáo dục và Đào tạo tỉnh Hà Nam")  # fmt: skip
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                officer = await (
                    await browser.new_context(viewport={"width": 1024, "height": 768})
                ).new_page()
                head = await (await browser.new_context(viewport={"width": 1024, "height": 768})).new_page()
                citizen = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()
                errors: list[str] = []
                for page in (officer, head, citizen):
                    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

                async def answer(number: str, summary: str) -> None:
                    await officer.goto(f"{run.url}/can-bo/y-kien/{code}")
                    await officer.get_by_label("Số văn bản").fill(number)
                    await officer.get_by_label("Ngày văn bản").fill("2025-03-12")
                    await officer.get_by_label("Tóm tắt nội dung trả lời").fill(summary)
                    await officer.get_by_role("button", name="Gửi trả lời").click()
                    await officer.wait_for_url(f"{run.url}/can-bo/y-kien/{code}")

                await log_in(officer, run.url, OFFICER["username"], "/can-bo/hop-thu")
                await reload_until(officer, f"{run.url}/can-bo/hop-thu", "giáo viên tiếng Anh")
                await officer.screenshot(path=shots / "5-hop-thu-co-quan.png", full_page=True)
                inbox = await officer.locator("table.queue tbody tr").all_inner_texts()
                inbox_heading = await officer.locator("h1").inner_text()
                await officer.get_by_role("link", name=code).click()
                await answer("1/SGD", "Sở sẽ xem xét.")
                answered = await officer.locator("dl.facts").inner_text()

                await log_in(head, run.url, HEAD["username"], "/lanh-dao/duyet")
                await reload_until(head, f"{run.url}/lanh-dao/duyet", code)
                await head.get_by_role("link", name=code).click()
                await head.get_by_label("Lý do trả lại", exact=False).fill("Cần nêu thời gian sửa trường.")
                await head.get_by_role("button", name="Trả lại").click()
                await head.wait_for_url(f"{run.url}/lanh-dao/y-kien/{code}")

                await answer("2/SGD", "Sở sẽ sửa trường trong quý I.")
                await reload_until(head, f"{run.url}/lanh-dao/y-kien/{code}", "Sở sẽ sửa trường trong quý I.")
                await head.get_by_role("button", name="Công bố câu trả lời").click()
                await head.wait_for_url(f"{run.url}/lanh-dao/y-kien/{code}")
                history = await head.locator("ol.timeline li").all_inner_texts()

                await reload_until(citizen, f"{run.url}/tra-cuu/{code}", "Nội dung trả lời đã công bố")
                await citizen.screenshot(path=shots / "6-tra-cuu-da-cong-bo.png", full_page=True)
                published = await citizen.locator("blockquote.answer").inner_text()
            finally:
                await browser.close()

    assert len(inbox) == 3
    assert inbox_heading == "Hộp thư của Sở Giáo dục và Đào tạo tỉnh Hà Nam"
    assert "Quá hạn" in inbox[0]  # the opinion of March 2025, first: its deadline is the earliest
    assert "Sắp đến hạn (còn 2 ngày)" in inbox[1]
    assert "Đã trả lời, chờ lãnh đạo duyệt" in answered
    assert any(
        "Trả lại câu trả lời — Phạm Văn Hùng (hung.ubnd)" in h and "Cần nêu thời gian" in h for h in history
    )
    assert any("Công bố — Phạm Văn Hùng (hung.ubnd)" in h for h in history)
    assert published == "Sở sẽ sửa trường trong quý I."
    assert errors == []
    assert {"5-hop-thu-co-quan.png", "6-tra-cuu-da-cong-bo.png"} <= {p.name for p in shots.iterdir()}


async def more_opinions(run: Any, nc: Client) -> None:
    """Opinions of other fields routed by the real assignment, some answered: the dashboard has rows."""
    opinions = [("health_insurance", "Đề nghị cấp thẻ BHYT cho phó bí thư chi bộ.", True),
                ("culture_relics", "Đề nghị tu bổ đình làng đã xuống cấp.", False),
                ("education", "Đề nghị bổ sung thiết bị dạy học.", True)]  # fmt: skip
    for n, (field, summary, answered) in enumerate(opinions):
        opinion_id, code = f"op-browser-board-{n}", code_for(f"browser-board-{n}")
        event = classified(opinion_id, code).model_copy(update={"field": field, "summary": summary})
        await run.hosts["intake"].publish([received(opinion_id, code, conference_id=CONFERENCE, received_at=WHEN,
                                                    content=summary), event])  # fmt: skip

        async def routed(opinion_id: str = opinion_id) -> bool:
            return bool((await command(nc, "show", {"opinion_id": opinion_id})).get("ok"))

        await eventually(routed)
        if answered:
            agency = (await command(nc, "show", {"opinion_id": opinion_id}))["data"]["agency_code"]
            answer = {"opinion_id": opinion_id, "agency_code": agency, "document_number": f"{n}/TL",
                      "document_date": "2025-03-12", "summary": "Đã xem xét.", "command_id": f"{code}-answer"}  # fmt: skip
            assert (await command(nc, "answer", answer))["ok"]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_an_officer_asks_for_an_extension_and_the_head_approves_it_then_reads_the_dashboard_in_a_browser(
    settings_for: Callable[[str], ServiceSettings], nats_client: Client, tmp_path: Path
) -> None:
    executable = chromium()
    playwright_api = pytest.importorskip(
        "playwright.async_api", reason="the playwright package is not installed"
    )
    code, opinion = code_for("browser-extension"), "op-browser-extension"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, opinion, code, publish=False)
        await more_opinions(run, nats_client)
        deadline = dt.date.fromisoformat(
            (await command(nats_client, "show", {"opinion_id": opinion}))["data"]["deadline"]
        )
        asked = deadline + dt.timedelta(days=7)
        await add_user(nats_client, OFFICER)
        await add_user(nats_client, HEAD)
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                officer = await (
                    await browser.new_context(viewport={"width": 1024, "height": 768})
                ).new_page()
                head = await (await browser.new_context(viewport={"width": 1024, "height": 768})).new_page()
                errors: list[str] = []
                for page in (officer, head):
                    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

                await log_in(officer, run.url, OFFICER["username"], "/can-bo/hop-thu")
                await reload_until(officer, f"{run.url}/can-bo/hop-thu", code)
                await officer.get_by_role("link", name=code).click()
                await officer.get_by_label("Hạn trả lời đề nghị").fill(asked.isoformat())
                await officer.get_by_label("Lý do cần thêm thời gian").fill(
                    "Cần khảo sát hiện trạng các phòng học."
                )
                await officer.get_by_role("button", name="Gửi đề nghị gia hạn").click()
                await officer.wait_for_url(f"{run.url}/can-bo/y-kien/{code}")
                await officer.screenshot(path=shots / "7-de-nghi-gia-han.png", full_page=True)
                asking = await officer.locator("dl.facts").inner_text()

                await log_in(head, run.url, HEAD["username"], "/lanh-dao/duyet")
                await reload_until(head, f"{run.url}/lanh-dao/duyet", "Đề nghị gia hạn đến")
                await head.screenshot(path=shots / "8-lanh-dao-cho-xu-ly.png", full_page=True)
                requests = await head.locator("table.requests tbody tr").all_inner_texts()
                await head.locator("table.requests").get_by_role("link", name=code).click()
                await head.get_by_role(
                    "button", name=f"Đồng ý gia hạn đến {asked.strftime('%d/%m/%Y')}"
                ).click()
                await head.wait_for_url(f"{run.url}/lanh-dao/y-kien/{code}")
                history = await head.locator("ol.timeline li").all_inner_texts()
                new_deadline = f"<dt>Hạn trả lời</dt><dd>{asked.strftime('%d/%m/%Y')}"
                await reload_until(officer, f"{run.url}/can-bo/y-kien/{code}", new_deadline)
                extended = await officer.locator("dl.facts").inner_text()

                await head.get_by_role("link", name="Bảng theo dõi").click()
                await head.get_by_label("Kỳ báo cáo").select_option("2025")
                await head.get_by_role("button", name="Xem").click()
                await head.wait_for_url(f"{run.url}/can-bo/bang-dieu-khien?ky=2025")
                # The read model names the unit's agencies once it has every opinion's assignment.
                await reload_until(head, head.url, "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Nam")
                await head.screenshot(path=shots / "9-bang-dieu-khien.png", full_page=True)
                board = await head.locator("table.board tbody tr").all_inner_texts()
            finally:
                await browser.close()

    assert f"Đến {asked.strftime('%d/%m/%Y')}" in asking
    assert "chờ lãnh đạo quyết định" in asking
    assert len(requests) == 1
    assert f"Đề nghị gia hạn đến {asked.strftime('%d/%m/%Y')}" in requests[0]
    assert any("Đồng ý gia hạn — Phạm Văn Hùng (hung.ubnd)" in h for h in history)
    assert "Đề nghị gia hạn" not in extended
    assert [row.split("\t")[0] for row in board] == [
        "Bảo hiểm xã hội tỉnh Hà Nam", "Sở Giáo dục và Đào tạo tỉnh Hà Nam", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Nam"
    ]  # fmt: skip
    assert errors == []
    assert {"7-de-nghi-gia-han.png", "8-lanh-dao-cho-xu-ly.png", "9-bang-dieu-khien.png"} <= {
        p.name for p in shots.iterdir()
    }
