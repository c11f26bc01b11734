"""deploy/compose: `docker compose config` accepts the file, and every file and secret it names exists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from services.portal.settings import PortalSettings

pytestmark = pytest.mark.service

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (dev extras: pyyaml, kubernetes-validate)")

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "deploy" / "compose"
SERVICES = ("scheduling", "intake", "assignment", "notification", "portal")


def compose_command() -> list[str]:
    if shutil.which("docker") is None and shutil.which("docker-compose") is None:
        pytest.skip("no docker client on PATH: `docker compose config` cannot run here")
    if shutil.which("docker") is not None:
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose") is not None:
        return ["docker-compose"]
    pytest.skip(
        "the docker client has no compose plugin and docker-compose is not installed "
        "(Debian: `apt-get install -y docker-compose`)"
    )


def compose_file() -> dict:
    return yaml.safe_load((COMPOSE / "docker-compose.yml").read_text())


def test_docker_compose_config_accepts_the_compose_file() -> None:
    command = [
        *compose_command(),
        "--env-file",
        str(COMPOSE / ".env.example"),
        "-f",
        str(COMPOSE / "docker-compose.yml"),
        "config",
    ]

    result = subprocess.run(command, cwd=COMPOSE, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stdout + result.stderr
    rendered = yaml.safe_load(result.stdout)
    assert set(SERVICES) <= set(rendered["services"])
    assert rendered["services"]["intake"]["environment"]["DIALOGUE_NATS_USER"] == "intake"


def test_every_file_the_compose_file_mounts_exists_in_the_repository() -> None:
    missing = []
    for name, service in compose_file()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith(".") and not (COMPOSE / source).resolve().exists():
                missing.append(f"{name}: {source}")

    assert missing == []


def test_every_secret_has_an_example_and_nothing_secret_is_in_the_environment() -> None:
    compose = compose_file()
    secrets = compose["secrets"]
    examples = {path.name for path in (COMPOSE / "secrets.example").iterdir()}
    used = {secret for service in compose["services"].values() for secret in service.get("secrets", [])}

    assert {Path(secret["file"]).name for secret in secrets.values()} == examples
    assert used == set(secrets)
    for service in SERVICES:
        environment = compose["services"][service]["environment"]
        assert "DIALOGUE_NATS_PASSWORD" not in environment
        assert "DIALOGUE_STORE_URL" not in environment
        assert environment["DIALOGUE_NATS_PASSWORD_FILE"] == f"/run/secrets/nats_{service}_password"
        assert environment["DIALOGUE_STORE_URL_FILE"] == f"/run/secrets/{service}_store_url"


def test_the_example_store_urls_use_each_services_own_database_with_majority_writes() -> None:
    for service in SERVICES:
        url = (COMPOSE / "secrets.example" / f"{service}_store_url").read_text().strip()
        password = (COMPOSE / "secrets.example" / f"mongo_{service}_password").read_text().strip()

        assert url.startswith(f"mongodb://{service}:{password}@mongo:27017/dialogue_{service}?")
        assert "replicaSet=rs0" in url
        assert "w=majority" in url
        assert f"authSource=dialogue_{service}" in url


def test_make_secrets_creates_every_secret_the_compose_file_needs(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed; make-secrets.sh needs it")
    shutil.copy(COMPOSE / "make-secrets.sh", tmp_path / "make-secrets.sh")

    subprocess.run(["sh", str(tmp_path / "make-secrets.sh")], check=True, capture_output=True, timeout=60)
    first = {path.name: path.read_text() for path in (tmp_path / "secrets").iterdir()}
    subprocess.run(["sh", str(tmp_path / "make-secrets.sh")], check=True, capture_output=True, timeout=60)
    second = {path.name: path.read_text() for path in (tmp_path / "secrets").iterdir()}

    expected = {Path(secret["file"]).name for secret in compose_file()["secrets"].values()}
    assert set(first) == expected
    assert first == second, "a second run must keep the existing secrets"
    for service in SERVICES:
        assert f":{first[f'mongo_{service}_password']}@" in first[f"{service}_store_url"]
    assert len(first["rating_link_secret"]) >= 32
    generated = tmp_path / "secrets" / "portal_open311_keys"
    assert PortalSettings(portal_open311_keys_file=generated).open311_keys() == {}
    for name, value in first.items():
        if name.endswith("_password"):
            assert value.isalnum()
            assert not value.isdigit()
            assert len(value) >= 24


def test_the_compose_file_runs_every_deployed_service_and_the_data_volume_of_each() -> None:
    from shared.settings import DEFAULT_HTTP_PORTS
    from shared.settings import SERVICES as DEPLOYED

    compose = compose_file()

    assert set(DEPLOYED) == set(SERVICES)
    for service in SERVICES:
        spec = compose["services"][service]
        assert spec["command"] == [service]
        assert spec["read_only"] is True
        assert "/tmp" in spec["tmpfs"]
        assert spec["environment"]["DIALOGUE_NATS_USER"] == service
        assert spec["environment"]["DIALOGUE_HTTP_PORT"] == str(DEFAULT_HTTP_PORTS[service])
        assert f"{service}-data:/var/lib/dialogue/data" in spec["volumes"]


def test_the_portal_serves_its_pages_on_a_published_port_and_shares_the_rating_secret_with_notification() -> (
    None
):
    compose = compose_file()
    portal, notification = compose["services"]["portal"], compose["services"]["notification"]
    env = portal["environment"]

    assert env["DIALOGUE_PORTAL_WEB_HOST"] == "0.0.0.0"
    assert portal["ports"] == [f"${{PORTAL_PORT:-8080}}:{env['DIALOGUE_PORTAL_WEB_PORT']}"]
    for service in (portal, notification):
        assert "rating_link_secret" in service["secrets"]
        assert service["environment"]["DIALOGUE_RATING_LINK_SECRET_FILE"] == "/run/secrets/rating_link_secret"
        assert "DIALOGUE_RATING_LINK_SECRET" not in service["environment"]
    assert (
        notification["environment"]["DIALOGUE_NOTIFICATION_PUBLIC_URL"]
        == "${PORTAL_PUBLIC_URL:-http://localhost:8080}"
    )
    assert "mongo_portal_password" in compose["services"]["mongo-init"]["secrets"]
    assert '"portal"' in (COMPOSE / "mongo" / "init-replica-set-and-users.js").read_text()


def test_the_example_open311_keys_file_shows_the_format_and_holds_no_key() -> None:
    example = COMPOSE / "secrets.example" / "portal_open311_keys"

    assert "=" in example.read_text()  # it shows the format
    assert PortalSettings(portal_open311_keys_file=example).open311_keys() == {}
