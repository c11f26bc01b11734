"""The MongoDB adapter against a real server's failures (SecantusDB, ``tests/mongo_server.py``).

Faults are armed on the server with ``configureFailPoint`` for one ``appName``, the store's own, so
the other tests sharing the session's server never see them. Credentials are checked against a
second server started with ``--auth``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from shared.errors import StartupError, TransientError
from shared.ports import free_port
from shared.storage import DocumentStore, Index, open_store
from tests.mongo_server import MongoTestServer, unique_prefix

pytestmark = pytest.mark.service


class FailPoints:
    """Arms ``failCommand`` for one application name and disarms it afterwards."""

    def __init__(self, base_url: str, app: str) -> None:
        self.client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(base_url)
        self.app = app

    async def arm(self, commands: list[str], **data: Any) -> None:
        # alwaysOn: the driver retries a retryable read or write once, and the retry must fail too.
        await self.client.admin.command(
            {"configureFailPoint": "failCommand", "mode": "alwaysOn",
             "data": {"failCommands": commands, "appName": self.app, **data}}
        )  # fmt: skip

    async def disarm(self) -> None:
        await self.client.admin.command({"configureFailPoint": "failCommand", "mode": "off"})
        await self.client.close()


@pytest.fixture
async def faults(mongo_server: str) -> AsyncIterator[tuple[DocumentStore, FailPoints]]:
    """A store named by its own appName, with the fail points that target only it."""
    app = unique_prefix()
    # A short bound, so a blocked command fails fast as it would after the default 10 s.
    store = await open_store(f"{mongo_server}{app}_{{database}}?appName={app}&timeoutMS=500", "faults")
    points = FailPoints(mongo_server, app)
    await store.insert("things", {"_id": "a", "version": 1, "n": 1})
    yield store, points
    await points.disarm()
    await store.close()


async def test_a_write_the_majority_did_not_confirm_in_time_is_transient(
    faults: tuple[DocumentStore, FailPoints],
) -> None:
    store, points = faults
    timed_out = {"code": 64, "codeName": "WriteConcernFailed", "errmsg": "waiting for replication timed out",
                 "errInfo": {"wtimeout": True}}  # fmt: skip
    await points.arm(["insert", "update"], writeConcernError=timed_out)
    with pytest.raises(TransientError):
        await store.insert("things", {"_id": "b", "version": 1})
    with pytest.raises(TransientError):
        await store.save("things", {"_id": "a", "version": 2, "n": 2})
    with pytest.raises(TransientError):
        await store.update_where("things", "a", {"n": 1}, {"n": 3})


async def test_a_primary_that_stepped_down_is_transient(faults: tuple[DocumentStore, FailPoints]) -> None:
    store, points = faults
    await points.arm(["insert", "find"], errorCode=10107)  # NotWritablePrimary, as during an election
    with pytest.raises(TransientError):
        await store.insert("things", {"_id": "a", "version": 1, "n": 5})
    with pytest.raises(TransientError):
        await store.get("things", "a")


async def test_a_connection_closed_in_the_middle_of_a_command_is_transient(
    faults: tuple[DocumentStore, FailPoints],
) -> None:
    store, points = faults
    await points.arm(["find", "update"], closeConnection=True)
    with pytest.raises(TransientError):
        await store.find("things", {"n": 1})
    with pytest.raises(TransientError):
        await store.update_where("things", "a", {"n": 1}, {"n": 2})


async def test_a_command_past_the_stores_time_bound_is_transient(
    faults: tuple[DocumentStore, FailPoints],
) -> None:
    store, points = faults
    # The server holds the command four times longer than the store's bound (timeoutMS=500).
    await points.arm(["insert", "aggregate"], blockConnection=True, blockTimeMS=2000)
    with pytest.raises(TransientError):
        await store.insert("things", {"_id": "c", "version": 1})
    with pytest.raises(TransientError):
        await store.count("things")


async def test_a_server_that_cannot_be_reached_is_transient_not_a_configuration_error() -> None:
    nobody = free_port()  # claimed by this process and bound by nothing: connections are refused
    with pytest.raises(TransientError):
        await open_store(f"mongodb://127.0.0.1:{nobody}/?timeoutMS=300", "dialogue_intake")


async def test_a_database_placeholder_in_the_url_path_names_each_services_database(mongo_server: str) -> None:
    prefix = unique_prefix()
    for service in ("intake", "assignment"):
        store = await open_store(f"{mongo_server}{prefix}_{{database}}", f"dialogue_{service}")
        await store.insert("things", {"_id": service, "version": 1})
        await store.close()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_server)
    try:
        names = [n for n in await client.list_database_names() if n.startswith(prefix)]
        assert sorted(names) == [f"{prefix}_dialogue_assignment", f"{prefix}_dialogue_intake"]
        assert await client[f"{prefix}_dialogue_intake"]["things"].find_one({}) == {
            "_id": "intake",
            "version": 1,
        }
    finally:
        await client.close()


@pytest.fixture(scope="module")
def auth_server() -> Iterator[str]:
    """A server that requires SCRAM authentication, with the user ``intake`` (password ``right``)
    allowed to read and write ``dialogue_intake`` only; yields its base URL without credentials."""
    import pymongo

    setup = MongoTestServer().start()
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(setup.url)
    client.admin.command(
        "createUser", "intake", pwd="right", roles=[{"role": "readWrite", "db": "dialogue_intake"}]
    )
    client.close()
    setup.stop()
    server = MongoTestServer(storage=setup.storage, auth=True).start()  # the same data, now with --auth
    yield server.url
    server.stop()
    setup.cleanup()


def with_user(base_url: str, user: str, password: str) -> str:
    return base_url.replace("mongodb://", f"mongodb://{user}:{password}@") + "?authSource=admin"


@pytest.mark.parametrize("setting", ["DIALOGUE_STORE_URL", "DIALOGUE_STORE_URL_FILE"])
async def test_a_password_the_server_refuses_stops_the_service_naming_the_setting(
    auth_server: str, setting: str
) -> None:
    with pytest.raises(StartupError) as refused:
        await open_store(with_user(auth_server, "intake", "wrong"), "dialogue_intake", setting=setting)
    assert refused.value.setting == setting
    assert setting in refused.value.message
    assert "wrong" not in refused.value.message


async def test_the_right_password_opens_the_services_database(auth_server: str) -> None:
    store = await open_store(with_user(auth_server, "intake", "right"), "dialogue_intake")
    try:
        await store.ensure_indexes("opinions", [Index(("tracking_code",), unique=True)])
        await store.insert("opinions", {"_id": "op-1", "version": 1, "tracking_code": "DD-1"})
        assert await store.get("opinions", "op-1") == {"_id": "op-1", "version": 1, "tracking_code": "DD-1"}
    finally:
        await store.close()


@pytest.mark.parametrize(("user", "database"), [(None, "dialogue_intake"), ("intake", "dialogue_assignment")])
async def test_a_user_without_rights_on_the_database_stops_the_service_at_its_indexes(
    auth_server: str, user: str | None, database: str
) -> None:
    url = auth_server if user is None else with_user(auth_server, user, "right")
    store = await open_store(url, database)  # ping needs no rights: the first real command tells
    try:
        with pytest.raises(StartupError) as refused:
            await store.ensure_indexes("opinions", [Index(("tracking_code",), unique=True)])
        assert refused.value.setting == "DIALOGUE_STORE_URL"
        assert database in refused.value.message
    finally:
        await store.close()
