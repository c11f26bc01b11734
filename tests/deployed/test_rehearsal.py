"""The rehearsal: the stack as deploy/ configures it runs the Đồng Du scenario end to end, and the
portal serves what went through the pipeline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.deployed.deployment import COMPOSE_DIR, REPO, compose, env_file
from tests.deployed.stack import TEST_SECONDS, Service, Stack, wait_for

pytestmark = pytest.mark.deployed


@pytest.mark.timeout(TEST_SECONDS)
def test_the_dong_du_scenario_runs_on_the_stack_as_deployed(stack: Stack) -> None:
    stack.start()

    result = stack.demo()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "16 ý kiến" in result.stdout
    # Another system, with nothing but nats-py and the external user's credentials in the URL.
    password = stack.password_file("external").read_text()
    url = stack.nats_url.replace("nats://", f"nats://external:{password}@")
    example = subprocess.run(
        [sys.executable, str(REPO / "examples" / "publish_opinion.py"), url, "cong-thong-tin-tinh"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert example.returncode == 0, example.stdout + example.stderr
    assert "DT-" in example.stdout
    assert stack.nats is not None
    assert stack.nats.violations() == []
    for name, service in stack.services.items():
        assert service.tracebacks() == [], name
    log = stack.root / "volumes" / "notification-data" / "notifications.log"
    notices = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(notices) > 16
    assert_the_portal_serves_the_opinions_and_their_rating_links(stack, result.stdout, notices)


def rating_links(notices: list[dict[str, Any]]) -> list[str]:
    """The signed rating links of the satisfaction surveys notification sent (``…/danh-gia/<code>?…``)."""
    texts = [json.dumps(n, ensure_ascii=False) for n in notices if n["trigger"] == "satisfaction_survey"]
    return [link for text in texts for link in re.findall(r"https?://[^\s\"]+/danh-gia/[^\s\"]+", text)]


def assert_the_portal_serves_the_opinions_and_their_rating_links(
    stack: Stack, demo_output: str, notices: list[dict[str, Any]]
) -> None:
    portal = stack.services["portal"]
    # An opinion of today's conference, assigned by assignment: the CLI prints its agency.
    match = re.search(r"(DT-[0-9A-Z]{4}-[0-9A-Z]{4}): Đã giao, ([^,]+),", " ".join(demo_output.split()))
    assert match, demo_output
    code, agency = match.groups()

    def tracked() -> bool:
        status, body = portal.page(f"/tra-cuu/{code}")
        return status == 200 and agency in body

    wait_for(f"the portal's tracking page of {code} naming {agency}", tracked, 60, portal)
    status, body = portal.page(f"/tra-cuu/{code}")
    assert status == 200
    assert code in body
    assert 'lang="vi"' in body
    an_officer_of_the_agency_finds_the_opinion_in_the_inbox(stack, code, agency)

    # The survey links are signed by notification with the secret the portal verifies them with,
    # and start with the portal's public address the compose environment gives notification.
    public = compose()["services"]["notification"]["environment"]["DIALOGUE_NOTIFICATION_PUBLIC_URL"]
    assert public == env_file(COMPOSE_DIR / ".env.example")["PORTAL_PUBLIC_URL"]
    links = rating_links(notices)
    assert links, "no satisfaction survey carried a rating link"
    assert all(link.startswith(f"{public}/danh-gia/") for link in links), links
    assert "link to the tracking page only" not in stack.services["notification"].log.read_text()
    rate_through_the_link(portal, links)


def an_officer_of_the_agency_finds_the_opinion_in_the_inbox(stack: Stack, code: str, agency: str) -> None:
    """The operator adds the account through the compose ``cli`` (``portal.cmd.user-add``, answered by
    the portal under its user); the officer logs in on the portal's web port and opens the inbox."""
    routing = tomllib.loads((REPO / "services" / "assignment" / "data" / "routing.toml").read_text("utf-8"))
    [agency_code] = [entry["code"] for entry in routing["agencies"] if entry["name"] == agency]
    password = "Mat-khau-Binh-Luc-2026"
    workdir = stack.root / "workdir" / "cli"  # the cli container's /tmp
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "mat-khau.txt").write_text(password + "\n", encoding="utf-8")

    added = stack.cli(
        "portal", "user", "add", "lan.vhxh", "--name", "Trần Thị Lan", "--role", "agency_officer",
        "--scope", agency_code, "--password-file", "/tmp/mat-khau.txt",
    )  # fmt: skip

    assert added.returncode == 0, added.stdout + added.stderr
    portal = stack.services["portal"]
    with httpx.Client(base_url=portal.web_url, timeout=10) as client:
        form = client.get("/dang-nhap")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert form.status_code == 200, form.text
        assert token, form.text
        logged_in = client.post(
            "/dang-nhap", data={"csrf": token.group(1), "ten": "lan.vhxh", "mat-khau": password}
        )
        assert logged_in.status_code == 303, logged_in.text
        inbox = client.get("/can-bo/hop-thu")
        assert inbox.status_code == 200, inbox.text
        assert code in inbox.text


def rate_through_the_link(portal: Service, links: list[str]) -> None:
    """Open a survey's rating link on the portal and send 5 stars, which the portal asks assignment to
    record under its own NATS user. The demo rated one of the answers already, so not every link
    opens a form; a link whose signature was changed is refused."""
    with httpx.Client(base_url=portal.web_url, timeout=10) as client:
        paths = [f"{urlsplit(link).path}?{urlsplit(link).query}" for link in links]
        forms: dict[str, httpx.Response] = {}

        def some_form_open() -> bool:
            forms.update({path: client.get(path) for path in paths})
            return any(form.status_code == 200 for form in forms.values())

        wait_for("a rating form the portal opens from a survey's link", some_form_open, 60, portal)
        path = next(path for path, form in forms.items() if form.status_code == 200)
        form = client.get(path)  # its own CSRF cookie: each form sets one, the last one opened wins
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, form.text
        query = dict(part.split("=", 1) for part in urlsplit(path).query.split("&"))
        fields = {"csrf": token.group(1), "het": query["het"], "ky": query["ky"], "sao": "5"}
        rated = client.post(urlsplit(path).path, data=fields)
        assert rated.status_code == 200, rated.text
        again = client.get(path)
        assert again.status_code == 409, again.text  # one rating per opinion
        assert "rating_link_used" in again.text
        forged = client.get(path.replace(f"ky={query['ky']}", f"ky={query['ky'][::-1]}"))
        assert forged.status_code == 403, forged.text


@pytest.mark.timeout(TEST_SECONDS)
def test_a_data_file_mounted_in_the_config_folder_replaces_the_shipped_one(sqlite_stack: Stack) -> None:
    shipped = REPO / "services" / "notification" / "data" / "directory.toml"
    replaced = shipped.read_text(encoding="utf-8").replace(
        'name = "Các chi bộ, cán bộ, đảng viên xã Đồng Du"', 'name = "Chi bộ xã Đồng Du (tệp thay thế)"'
    )
    assert "(tệp thay thế)" in replaced
    config = sqlite_stack.root / "config"
    config.mkdir()
    (config / "directory.toml").write_text(replaced, encoding="utf-8")
    sqlite_stack.binds["/etc/dialogue"] = config  # compose: ./config:/etc/dialogue:ro
    sqlite_stack.start()

    result = sqlite_stack.demo()

    assert result.returncode == 0, result.stdout + result.stderr
    log = sqlite_stack.root / "volumes" / "notification-data" / "notifications.log"
    recipients = {json.loads(line)["recipient"] for line in log.read_text(encoding="utf-8").splitlines()}
    assert "Chi bộ xã Đồng Du (tệp thay thế)" in recipients
    assert "Các chi bộ, cán bộ, đảng viên xã Đồng Du" not in recipients
