"""A citizen's visit and the officials' answer path in a real headless Chromium (Debian's ``chromium``).

Playwright's own browser download cannot work here: the test launches the system's Chromium by its
path, and skips with a sentence when it is not installed (scripts/install-test-tools.sh installs it).
Screenshots of each page are saved in the test's temporary directory (docs/screenshots/ keeps a copy
of the agency's inbox and of the tracking page with the published answer, for the README).
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
from tests.service.portal.console_bed import (
    AGENCY,
    HEAD,
    OFFICER,
    PASSWORD,
    add_user,
    another_opinion_held_by,
    ticking_assignment,
)
from tests.service.portal.rating_bed import CONFERENCE, assignment, opinion_at
from tests.service.portal.support import code_for, eventually, rating_link, running_portal

pytestmark = [pytest.mark.service, pytest.mark.timeout(180)]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Debian's chromium is not installed (scripts/install-test-tools.sh installs it as root)")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
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
    today = dt.date.today()
    async with running_portal(settings_for, services={"assignment": ticking_assignment(settings_for)}) as run:
        await opinion_at(run, nats_client, "op-browser-console", code, publish=False)
        for n, (days, summary) in enumerate([(2, "Đề nghị lắp đèn chiếu sáng cổng trường."),
                                             (20, "Đề nghị bổ sung giáo viên tiếng Anh cho trường tiểu học.")]):  # fmt: skip
            await another_opinion_held_by(nats_client, AGENCY, f"op-browser-more-{n}", code_for(f"browser-more-{n}"),
                                          deadline=today + dt.timedelta(days=days), summary=summary)  # fmt: skip
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

                async def log_in(page: Any, username: str, lands: str) -> None:
                    await page.goto(f"{run.url}/dang-nhap")
                    await page.get_by_label("Tên đăng nhập").fill(username)
                    await page.get_by_label("Mật khẩu").fill(PASSWORD)
                    await page.get_by_role("button", name="Đăng nhập").click()
                    await page.wait_for_url(f"{run.url}{lands}")

                async def reload_until(page: Any, url: str, text: str) -> None:
                    async def shown() -> bool:
                        await page.goto(url)
                        return text in await page.content()

                    await eventually(shown)

                async def answer(number: str, summary: str) -> None:
                    await officer.goto(f"{run.url}/can-bo/y-kien/{code}")
                    await officer.get_by_label("Số văn bản").fill(number)
                    await officer.get_by_label("Ngày văn bản").fill("2025-03-12")
                    await officer.get_by_label("Tóm tắt nội dung trả lời").fill(summary)
                    await officer.get_by_role("button", name="Gửi trả lời").click()
                    await officer.wait_for_url(f"{run.url}/can-bo/y-kien/{code}")

                await log_in(officer, OFFICER["username"], "/can-bo/hop-thu")
                await reload_until(officer, f"{run.url}/can-bo/hop-thu", "giáo viên tiếng Anh")
                await officer.screenshot(path=shots / "5-hop-thu-co-quan.png", full_page=True)
                inbox = await officer.locator("table.queue tbody tr").all_inner_texts()
                await officer.get_by_role("link", name=code).click()
                await answer("1/SGD", "Sở sẽ xem xét.")
                answered = await officer.locator("dl.facts").inner_text()

                await log_in(head, HEAD["username"], "/lanh-dao/duyet")
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
