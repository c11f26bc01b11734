"""The AsyncAPI documents in docs/asyncapi/ are what FastStream generates from the code, and intake's
document tells other systems what to publish on ``intake.submit.<source>``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import typer
from typer.testing import CliRunner

from services.cli.asyncapi import PLACEHOLDER_SECRET, asyncapi, generate
from shared.contracts.intake import SubmitOpinion
from shared.settings import SERVICES

pytestmark = pytest.mark.unit

DOCS = Path(__file__).resolve().parents[2] / "docs" / "asyncapi"
REGENERATE = "regenerate with `.venv/bin/dialogue asyncapi` and commit docs/asyncapi/"


def committed(service: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCS / f"{service}.json").read_text(encoding="utf-8"))
    return data


def committed_text(service: str) -> str:
    return (DOCS / f"{service}.json").read_text(encoding="utf-8")


def resolve(document: dict[str, Any], ref: str) -> dict[str, Any]:
    """Follow a local ``#/a/b`` reference (FastStream percent-encodes ``>`` in message keys)."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[unquote(part)]
    assert isinstance(node, dict)
    return node


def channel_for(document: dict[str, Any], address: str) -> dict[str, Any]:
    channels: list[dict[str, Any]] = [c for c in document["channels"].values() if c["address"] == address]
    assert len(channels) == 1, f"{len(channels)} channels with address {address}"
    return channels[0]


def payload_of(document: dict[str, Any], channel: dict[str, Any]) -> dict[str, Any]:
    [message_ref] = channel["messages"].values()
    payload = resolve(document, message_ref["$ref"])["payload"]
    return resolve(document, payload["$ref"]) if "$ref" in payload else payload


@pytest.mark.parametrize("service", SERVICES)
def test_the_committed_asyncapi_document_is_what_the_code_generates(service: str) -> None:
    path = DOCS / f"{service}.json"

    assert path.exists(), f"{path} is missing; {REGENERATE}"
    assert path.read_text(encoding="utf-8") == generate(service), f"{path} is out of date; {REGENERATE}"


def test_docs_asyncapi_holds_one_document_per_service_and_nothing_stale() -> None:
    assert {path.stem for path in DOCS.glob("*.json")} == set(SERVICES)


def test_generation_is_stable_and_names_no_deployment_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    before = generate("intake")
    monkeypatch.setenv("DIALOGUE_NATS_URL", "nats://nats.example.gov.vn:4222")
    monkeypatch.setenv("DIALOGUE_NATS_USER", "intake")
    monkeypatch.setenv("DIALOGUE_NATS_PASSWORD", "s3cretPassw0rd")

    after = generate("intake")

    assert after == before
    assert "s3cretPassw0rd" not in after
    assert "nats.example.gov.vn" not in after


def test_every_service_documents_its_commands_and_consumed_events() -> None:
    expected = {
        "scheduling": {"scheduling.cmd.plan", "scheduling.cmd.announce", "scheduling.cmd.conclude"},
        "intake": {
            "intake.submit.>",
            "scheduling.conference.>",
            "intake.cmd.submit",
        },
        "assignment": {"intake.opinion.classified", "assignment.cmd.answer", "assignment.cmd.publish"},
        "notification": {"assignment.opinion.assigned"},
        "portal": {
            "portal.cmd.user-add",
            "portal.cmd.user-disable",
            "portal.cmd.user-reset",
            "portal.cmd.track",
            "intake.opinion.received",
            "intake.opinion.classified",
            "intake.opinion.reclassified",
            "assignment.opinion.>",
            "notification.delivery.sent",
            "scheduling.conference.>",
        },
    }
    assert set(expected) == set(SERVICES)
    for service, addresses in expected.items():
        document = committed(service)
        assert document["asyncapi"] == "3.0.0"
        assert addresses <= {channel["address"] for channel in document["channels"].values()}, service


@pytest.mark.parametrize("service", SERVICES)
def test_every_channel_has_an_address_and_no_abstract_event_base_has_one(service: str) -> None:
    document = json.loads(generate(service))

    addresses = [channel["address"] for channel in document["channels"].values()]

    assert all(addresses), f"{service} documents a channel without an address"
    assert not any(key.startswith(":") for key in document["channels"]), service
    titles = {key.rsplit(":", 1)[-1] for key in document["channels"]}
    assert not titles & {"ConferenceEvent", "AssignmentEvent"}, service


def test_a_consumed_event_channel_carries_its_contract_schema_with_descriptions() -> None:
    document = committed("assignment")

    payload = payload_of(document, channel_for(document, "intake.opinion.classified"))

    assert payload["title"] == "OpinionClassified"
    assert payload["additionalProperties"] is False
    assert all(prop.get("description") for prop in payload["properties"].values())


def test_the_conference_snapshot_channel_documents_what_every_conference_event_carries() -> None:
    document = committed("intake")

    payload = payload_of(document, channel_for(document, "scheduling.conference.>"))

    assert payload["title"] == "ConferenceSnapshot"
    assert {"conference_id", "unit_code", "level", "conference_version"} <= set(payload["properties"])
    assert all(prop.get("description") for prop in payload["properties"].values())


def test_intake_documents_the_submission_channel_with_every_submit_opinion_field() -> None:
    document = committed("intake")
    channel = channel_for(document, "intake.submit.>")

    payload = payload_of(document, channel)

    assert payload.get("title") == "SubmitOpinion"
    for name, field in SubmitOpinion.model_fields.items():
        assert name in payload["properties"], name
        assert payload["properties"][name]["description"] == field.description
    assert {"external_id", "content", "submitter"} <= set(payload["required"])


def test_the_asyncapi_command_writes_one_file_per_service(tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(asyncapi)

    result = CliRunner().invoke(app, ["--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(f"{s}.json" for s in SERVICES)
    assert (tmp_path / "intake.json").read_text(encoding="utf-8") == generate("intake")


def test_the_portal_document_names_no_rating_secret_and_sends_no_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIALOGUE_RATING_LINK_SECRET", "an-operators-rating-secret-0123")

    document = generate("portal")

    assert "an-operators-rating-secret-0123" not in document
    assert PLACEHOLDER_SECRET not in document
    assert document == committed_text("portal")
    # The portal owns no stream: every channel it documents is one it receives on.
    operations = json.loads(document)["operations"].values()
    assert {operation["action"] for operation in operations} == {"receive"}
