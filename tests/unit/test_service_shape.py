"""One service shape: every service has the same rooms, and none reaches into another's.

The names and their roles are the README's "Architecture" section; this test keeps them true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("scheduling", "intake", "assignment", "notification", "portal")
ROOMS = {
    "__init__.py", "app.py", "deps.py", "handlers.py", "queries.py", "settings.py", "metrics.py",
    "domain", "adapters", "data",
}  # fmt: skip
# A handler or the domain may name the storage port's types, never a store, a broker or the host.
IO = ("faststream", "nats", "pymongo", "aiosqlite", "sqlite3", "shared.storage.sqlite", "shared.storage.mongo",
      "shared.storage.factory", "shared.host", "shared.publisher", "shared.connection", "shared.consumers",
      "shared.streams")  # fmt: skip


def top_level(service: str) -> set[str]:
    return {p.name for p in (ROOT / "services" / service).iterdir() if p.name != "__pycache__"}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names; relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


def modules(service: str, under: str = "") -> list[Path]:
    return sorted((ROOT / "services" / service / under).rglob("*.py"))


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_rooms(service: str) -> None:
    assert top_level(service) == ROOMS


@pytest.mark.parametrize("service", [*SERVICES, "cli"])
def test_no_service_imports_another_services_modules(service: str) -> None:
    own = f"services.{service}"
    foreign = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules(service)
        for name in imports(path)
        if name.startswith("services.") and not (name == own or name.startswith(own + "."))
    }
    assert foreign == set()


@pytest.mark.parametrize("service", SERVICES)
def test_handlers_and_domain_do_no_io_of_their_own(service: str) -> None:
    paths = [ROOT / "services" / service / "handlers.py", *modules(service, "domain")]
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in paths
        for name in imports(path)
        if name == "shared.storage" or any(name == p or name.startswith(p + ".") for p in IO)
    }
    assert offending == set()


@pytest.mark.parametrize("service", SERVICES)
def test_the_domain_has_no_import_circle(service: str) -> None:
    package = f"services.{service}.domain"
    graph = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): {
            name for name in imports(path) if name.startswith(package + ".")
        }
        for path in modules(service, "domain")
    }
    # A module imported from "package" itself (the __init__) re-exports; circles run through modules.
    graph = {k: {v for v in vs if v in graph and v != k} for k, vs in graph.items() if k != package}

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return [*path, start]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    circles = [c for c in (circle_from(m) for m in sorted(graph)) if c]
    assert circles == []


def test_the_host_is_small_and_its_pieces_live_in_their_own_modules() -> None:
    host = ROOT / "shared" / "host.py"
    assert len(host.read_text(encoding="utf-8").splitlines()) < 200
    for piece in ("connection", "streams", "consumers", "publisher", "unit_of_work", "outbox"):
        assert (ROOT / "shared" / f"{piece}.py").is_file(), piece


def test_there_is_one_outbox_implementation() -> None:
    writers = {
        str(path.relative_to(ROOT))
        for service in SERVICES
        for path in modules(service)
        if any(word in path.read_text(encoding="utf-8") for word in ("unpublished", "mark_published"))
    }
    assert writers == set()
