"""A real MongoDB-compatible server for the tests: SecantusDB, started from ``.venv-mongo``.

``scripts/install-mongo-test-server.sh`` installs it there (GPL-2.0, so only ever a separate process,
never a dependency of the project). The server is a one-member replica set named ``secantus``, as
production MongoDB is a replica set, so ``w="majority"`` and retryable writes take their real paths.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pymongo import MongoClient
from pymongo.errors import PyMongoError

from shared.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
BINARY = ROOT / ".venv-mongo" / "bin" / "secantusd-py"
INSTALL_HINT = "run scripts/install-mongo-test-server.sh to install the MongoDB test server (SecantusDB)"


def require_binary() -> Path:
    """The server's executable, or skip the test with a sentence saying how to install it."""
    if not BINARY.exists():
        pytest.skip(f"{BINARY.relative_to(ROOT)} is missing: {INSTALL_HINT}")
    return BINARY


def unique_prefix() -> str:
    """A database name prefix no other test uses, so tests never see each other's data."""
    return f"t{uuid.uuid4().hex[:10]}"


@dataclass
class MongoTestServer:
    """A SecantusDB child process on a loopback port, with its data in a temporary directory.

    ``storage`` may be given to restart a server on the data of a previous one (users, documents).
    """

    storage: Path | None = None
    auth: bool = False
    test_commands: bool = False  # configureFailPoint: arms server-side faults for one appName
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 30.0) -> MongoTestServer:
        """Start the server and return once it answers ``ping``; a port clash retries on a fresh one."""
        binary = require_binary()
        if self.storage is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="mongo-test-")
            self.storage = Path(self._tmp.name) / "data"
        # An empty config file given explicitly: the server then reads no secantusd.toml from the
        # working directory, the home directory or /etc, so every setting is one of these flags.
        config = self.storage.parent / "secantusd.toml"
        config.touch()
        log = self.storage.parent / "secantusd.log"
        for _ in range(5):
            self.port = free_port()
            args = [str(binary), "--config", str(config), "--host", "127.0.0.1", "--port", str(self.port),
                    "--storage-path", str(self.storage), "--log-level", "WARNING", "--cache-size", "256M"]  # fmt: skip
            args += ["--auth"] if self.auth else []
            args += ["--enable-test-commands"] if self.test_commands else []
            with log.open("ab") as out:
                self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
            if self._wait_until_it_answers(timeout):
                return self
            text = log.read_text(errors="replace")
            self.stop()
            if "address already in use" not in text.lower():
                raise RuntimeError(f"secantusd-py did not start on 127.0.0.1:{self.port}:\n{text[-3000:]}")
        raise RuntimeError(f"secantusd-py found no free port after 5 attempts:\n{log.read_text()[-3000:]}")

    def _wait_until_it_answers(self, timeout: float) -> bool:
        # directConnection: the answer to wait for is this process's, before any replica-set discovery.
        client: MongoClient[dict[str, object]] = MongoClient(
            "127.0.0.1", self.port, directConnection=True, serverSelectionTimeoutMS=250
        )
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.process is None or self.process.poll() is not None:
                    return False
                try:
                    client.admin.command("ping")
                    return True
                except PyMongoError:
                    time.sleep(0.05)
        finally:
            client.close()
        raise TimeoutError(f"secantusd-py on 127.0.0.1:{self.port} did not answer ping in {timeout}s")

    def stop(self) -> None:
        """Stop the process (its data stays until ``cleanup``, so a restart can reopen it)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # it closes its store and exits (about 2 s after a client)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        """Stop the server and remove the temporary data directory it created."""
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def database_url(base_url: str, prefix: str) -> str:
    """A store URL giving each service the database ``<prefix>_dialogue_<service>`` on that server."""
    return f"{base_url.rstrip('/')}/{prefix}_{{database}}"
