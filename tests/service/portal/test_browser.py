"""A citizen's visit in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Playwright's own browser download cannot work here: the test launches the system's Chromium by its
path, and skips with a sentence when it is not installed (scripts/install-test-tools.sh installs it).
Screenshots of each page are saved in the test's temporary directory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from nats.aio.client import Client

from shared.settings import ServiceSettings
from tests.service.portal.rating_bed import CONFERENCE, assignment, opinion_at
from tests.service.portal.support import code_for, rating_link, running_portal

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
