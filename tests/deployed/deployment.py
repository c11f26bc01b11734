"""What the files under deploy/ (and the Dockerfile) say each process gets, read from those files.

Nothing here is a copy of the deployment: the compose file, ``.env.example``, the Dockerfile's runtime
stage and the NATS configuration are parsed as they are. Only what cannot exist on this machine is
substituted: container host names become loopback addresses and ports chosen here, container paths
(secrets, volumes, the working directory, the image's virtualenv) become directories of the test.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE_DIR = DEPLOY / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
WEB_PORT = "DIALOGUE_PORTAL_WEB_PORT"  # the portal's pages, a second port substituted like the ops one
IMAGE_VENV = "/opt/venv"
BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z0-9_]+)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines, as compose reads ``.env`` (comments and blank lines skipped)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ``${VAR:-default}``, ``${VAR}``, ``$VAR`` and ``$$``."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(3)
        return variables.get(name) or (match.group(2) or "")

    return _VARIABLE.sub(one, value)


def _interpolated(node: Any, variables: dict[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, variables)
    if isinstance(node, list):
        return [_interpolated(item, variables) for item in node]
    if isinstance(node, dict):
        return {key: _interpolated(item, variables) for key, item in node.items()}
    return node


def compose(variables: dict[str, str] | None = None) -> dict[str, Any]:
    """docker-compose.yml with its anchors merged and variables from ``.env.example`` (an operator's
    ``cp .env.example .env``), overridden by ``variables``."""
    values = {**env_file(COMPOSE_DIR / ".env.example"), **(variables or {})}
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return dict(_interpolated(loaded, values))


@dataclass(frozen=True)
class Image:
    """The runtime stage of the Dockerfile: environment, working directory, entrypoint."""

    env: dict[str, str]
    workdir: str
    entrypoint: list[str]


def image() -> Image:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    stage = text[text.rindex("\nFROM ") :]
    env: dict[str, str] = {"PATH": BASE_PATH}
    workdir, entrypoint = "/", []
    for line in stage.splitlines():
        instruction, _, rest = line.strip().partition(" ")
        if instruction == "ENV":
            for pair in shlex.split(rest):
                key, value = pair.split("=", 1)
                env[key] = interpolate(value, env)
        elif instruction == "WORKDIR":
            workdir = rest.strip()
        elif instruction == "ENTRYPOINT":
            entrypoint = list(yaml.safe_load(rest))
    return Image(env, workdir, entrypoint)


@dataclass
class ProcessSpec:
    """One service as the container configuration describes it, mapped onto this machine."""

    name: str
    argv: list[str]
    env: dict[str, str]
    workdir: Path
    writable: list[Path] = field(default_factory=list)
    tmpfs: list[str] = field(default_factory=list)
    read_only: bool = False
    http_port: int = 0
    paths: dict[str, str] = field(default_factory=dict)  # container path -> local path
    web_port: int = 0  # the portal's pages (0: the service serves none)

    def local(self, value: str) -> str:
        """A value as the container would see it (a path under a mount), on this machine."""
        return _mapped(value, self.paths, {})


def _mapped(value: str, paths: dict[str, str], hosts: dict[str, str]) -> str:
    for container, host in sorted(paths.items(), key=lambda item: -len(item[0])):
        if value == container or value.startswith(container + "/") or value.startswith(container + ":"):
            value = host + value[len(container) :]
            break
    for address, local in hosts.items():
        value = value.replace(f"//{address}", f"//{local}")
    return value


def compose_service(
    spec: dict[str, Any],
    name: str,
    *,
    root: Path,
    secrets_dir: Path,
    hosts: dict[str, str],
    http_port: int,
    binds: dict[str, Path] | None = None,
    web_port: int = 0,
) -> ProcessSpec:
    """The compose service ``name`` as a process: its image's and compose's environment, its
    secrets, volumes and tmpfs mounts, its read-only root, its command."""
    service = spec["services"][name]
    built = image()
    paths = {IMAGE_VENV: sys.prefix}
    for secret in service.get("secrets", []):
        secret_name = secret if isinstance(secret, str) else secret["source"]
        source = Path(spec["secrets"][secret_name]["file"]).name
        paths[f"/run/secrets/{secret_name}"] = str(secrets_dir / source)
    writable: list[Path] = []
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        if source.startswith((".", "/")):
            local = (binds or {}).get(target) or (COMPOSE_DIR / source).resolve()
        else:  # a named volume: shared by the services that mount it, writable unless ":ro"
            local = root / "volumes" / source
            local.mkdir(parents=True, exist_ok=True)
            if "ro" not in mode:
                writable.append(local)
        paths[target] = str(local)
    workdir = root / "workdir" / name
    workdir.mkdir(parents=True, exist_ok=True)
    paths[service.get("working_dir") or built.workdir] = str(workdir)
    env = {key: _mapped(value, paths, hosts) for key, value in built.env.items()}
    for key, value in (service.get("environment") or {}).items():
        env[key] = _mapped(str(value), paths, hosts)
    env["HOME"] = str(workdir)
    env["DIALOGUE_HTTP_PORT"] = str(http_port)
    if WEB_PORT in env:
        env[WEB_PORT] = str(web_port)
    command = service.get("command") or []
    argv = [*(service.get("entrypoint") or built.entrypoint), *command]
    argv[0] = str(Path(sys.prefix) / "bin" / argv[0])
    return ProcessSpec(
        name=name,
        argv=argv,
        env=env,
        workdir=workdir,
        writable=writable,
        tmpfs=[str(entry).split(":")[0] for entry in service.get("tmpfs", [])],
        read_only=bool(service.get("read_only")),
        http_port=http_port,
        paths=paths,
        web_port=web_port if WEB_PORT in env else 0,
    )


def render_nats_config(
    source: Path, target_dir: Path, *, client_port: int, monitor_port: int, store_dir: Path, accounts: Path,
    cluster_port: int | None = None, routes: list[str] | None = None,
) -> Path:  # fmt: skip
    """A NATS configuration of deploy/ with only its listen addresses, routes and store directory
    made local; the accounts file it includes is placed beside it unchanged."""
    text = source.read_text(encoding="utf-8")
    replacements = {
        r"^listen: 0\.0\.0\.0:4222$": f"listen: 127.0.0.1:{client_port}",
        r"^http: 0\.0\.0\.0:8222$": f"http: 127.0.0.1:{monitor_port}",
        r"^(\s*)store_dir: /data/jetstream$": rf"\g<1>store_dir: {store_dir}",
    }
    if cluster_port is not None:
        replacements[r"^(\s*)listen: 0\.0\.0\.0:6222$"] = rf"\g<1>listen: 127.0.0.1:{cluster_port}"
    for pattern, replacement in replacements.items():
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        assert count == 1, f"{source} no longer has a line matching {pattern}"
    if routes is not None:
        text, count = re.subn(
            r"routes: \[[^\]]*\]", "routes: [\n    " + "\n    ".join(routes) + "\n  ]", text, flags=re.DOTALL
        )
        assert count == 1, f"{source} no longer lists its cluster routes"
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "accounts.conf").write_text(accounts.read_text(encoding="utf-8"), encoding="utf-8")
    rendered = target_dir / source.name
    rendered.write_text(text, encoding="utf-8")
    return rendered


K8S = DEPLOY / "k8s"


def _kustomize_literals(path: Path, name: str) -> dict[str, str]:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for generator in config.get("configMapGenerator", []):
        if generator["name"] == name:
            return dict(item.split("=", 1) for item in generator.get("literals", []))
    return {}


def k8s_config(name: str, overlay: str | None = "multi-node") -> dict[str, str]:
    """A ConfigMap generated by the base kustomization, merged with the overlay's literals."""
    values = _kustomize_literals(K8S / "base" / "kustomization.yaml", name)
    if overlay:
        values.update(_kustomize_literals(K8S / "overlays" / overlay / "kustomization.yaml", name))
    return values


def k8s_service(
    name: str,
    *,
    root: Path,
    secret_file: Any,
    nats_url: str,
    http_port: int,
    overlay: str | None = "multi-node",
    web_port: int = 0,
) -> ProcessSpec:
    """The Kubernetes Deployment of ``name`` (base manifest, ConfigMaps of base and overlay) as a
    process: its env and envFrom, its Secret, emptyDir and ConfigMap mounts, its read-only root.
    ``secret_file(secret, key)`` gives the local file holding that key of that Secret."""
    documents = list(
        yaml.safe_load_all((K8S / "base" / "services" / f"{name}.yaml").read_text(encoding="utf-8"))
    )
    deployment = next(doc for doc in documents if doc["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    built = image()
    paths = {IMAGE_VENV: sys.prefix}
    writable: list[Path] = []
    tmpfs: list[str] = []
    for mount in container.get("volumeMounts", []):
        volume, target = volumes[mount["name"]], mount["mountPath"]
        if "secret" in volume:
            for item in volume["secret"]["items"]:
                paths[f"{target}/{item['path']}"] = str(
                    secret_file(volume["secret"]["secretName"], item["key"])
                )
        elif "emptyDir" in volume:
            if target == "/tmp":
                tmpfs.append(target)
                continue
            local = root / "volumes" / f"{name}-{mount['name']}"
            local.mkdir(parents=True, exist_ok=True)
            writable.append(local)
            paths[target] = str(local)
        elif "configMap" in volume:
            local = root / "configmaps" / volume["configMap"]["name"]
            local.mkdir(parents=True, exist_ok=True)
            paths[target] = str(local)
    workdir = root / "workdir" / name
    workdir.mkdir(parents=True, exist_ok=True)
    paths[built.workdir] = str(workdir)
    env = {key: _mapped(value, paths, {}) for key, value in built.env.items()}
    for source in container.get("envFrom", []):
        if "configMapRef" not in source:
            assert source["secretRef"].get("optional"), source  # optional channel secrets: none here
            continue
        for key, value in k8s_config(source["configMapRef"]["name"], overlay).items():
            env[key] = _mapped(value, paths, {})
    for variable in container.get("env", []):
        env[variable["name"]] = _mapped(str(variable["value"]), paths, {})
    env.update(HOME=str(workdir), DIALOGUE_HTTP_PORT=str(http_port), DIALOGUE_NATS_URL=nats_url)
    if WEB_PORT in env:
        env[WEB_PORT] = str(web_port)
    argv = [*built.entrypoint, *container.get("args", [])]
    argv[0] = str(Path(sys.prefix) / "bin" / argv[0])
    read_only = bool(container.get("securityContext", {}).get("readOnlyRootFilesystem"))
    served = web_port if WEB_PORT in env else 0
    return ProcessSpec(name, argv, env, workdir, writable, tmpfs, read_only, http_port, paths, served)
