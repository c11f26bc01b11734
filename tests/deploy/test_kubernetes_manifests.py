"""deploy/k8s: the rendered base and multi-node overlay validate offline against the Kubernetes schemas
(kubernetes-validate ships them), and hold the properties the operator's guide promises."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.service

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (dev extras: pyyaml, kubernetes-validate)")

kubernetes_validate = pytest.importorskip(
    "kubernetes_validate",
    reason="kubernetes-validate is not installed (`pip install kubernetes-validate`; it is in the dev extras)",
)

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAY = K8S / "overlays" / "multi-node"
SERVICES = ("scheduling", "intake", "assignment", "notification", "portal")
KUBERNETES_VERSION = "1.30.0"


@functools.cache
def rendered(directory: Path) -> str:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the kustomization cannot be rendered (`kubectl kustomize`)")
    result = subprocess.run(
        [kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def kustomize(directory: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(rendered(directory)) if doc]


def by_kind_and_name(resources: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in resources}


def validate(resource: dict[str, Any]) -> None:
    kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("directory", [BASE, OVERLAY], ids=["base", "multi-node"])
def test_every_rendered_manifest_validates_against_the_kubernetes_schemas(directory: Path) -> None:
    resources = kustomize(directory)

    for resource in resources:
        validate(resource)
    assert len(resources) >= 25


def test_the_secrets_example_validates_against_the_kubernetes_schemas() -> None:
    secrets = [doc for doc in yaml.safe_load_all((K8S / "secrets.example.yaml").read_text()) if doc]

    for secret in secrets:
        validate(secret)
    assert {secret["metadata"]["name"] for secret in secrets} >= {
        "dialogue-nats-passwords",
        "dialogue-mongo",
        "dialogue-store-urls",
        "dialogue-rating-link",
        "dialogue-portal-open311-keys",
    }


def referenced_secret_keys(resource: dict[str, Any]) -> set[tuple[str, str]]:
    """(Secret, key) pairs a workload reads, from env secretKeyRefs and secret volumes' items."""
    pod = resource["spec"]["template"]["spec"]
    found = set()
    for container in pod.get("containers", []) + pod.get("initContainers", []):
        for variable in container.get("env", []):
            ref = variable.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                found.add((ref["name"], ref["key"]))
    for volume in pod.get("volumes", []):
        for item in volume.get("secret", {}).get("items", []):
            found.add((volume["secret"]["secretName"], item["key"]))
    return found


def test_every_secret_key_the_workloads_read_is_in_the_secrets_example() -> None:
    secrets = [doc for doc in yaml.safe_load_all((K8S / "secrets.example.yaml").read_text()) if doc]
    example = {(secret["metadata"]["name"], key) for secret in secrets for key in secret["stringData"]}
    workloads = [doc for doc in kustomize(OVERLAY) if doc["kind"] in ("Deployment", "StatefulSet", "Job")]

    read = {pair for workload in workloads for pair in referenced_secret_keys(workload)}

    assert read - example == set()
    assert {("dialogue-store-urls", "portal"), ("dialogue-mongo", "portal-password")} <= read
    assert ("dialogue-rating-link", "secret") in read


def test_the_schema_check_rejects_a_broken_manifest() -> None:
    broken = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "two"},
    }

    with pytest.raises(kubernetes_validate.ValidationError):
        validate(broken)


def test_the_multi_node_overlay_runs_three_nats_and_mongo_members_and_three_stream_replicas() -> None:
    resources = by_kind_and_name(kustomize(OVERLAY))
    config_maps = {name: doc for (kind, name), doc in resources.items() if kind == "ConfigMap"}
    [dialogue_config] = [doc for name, doc in config_maps.items() if name.startswith("dialogue-config")]
    [nats_config] = [doc for name, doc in config_maps.items() if name.startswith("nats-config")]
    [mongo_config] = [doc for name, doc in config_maps.items() if name.startswith("mongo-init-config")]

    assert resources[("StatefulSet", "nats")]["spec"]["replicas"] == 3
    assert resources[("StatefulSet", "mongo")]["spec"]["replicas"] == 3
    assert dialogue_config["data"]["DIALOGUE_STREAM_REPLICAS"] == "3"
    assert "nats-2.nats-headless:6222" in nats_config["data"]["nats.conf"]
    assert len(mongo_config["data"]["MONGO_MEMBERS"].split(",")) == 3
    for service in SERVICES:
        assert resources[("Deployment", service)]["spec"]["replicas"] >= 2


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_deployment_has_probes_resources_and_runs_as_non_root(service: str) -> None:
    resources = by_kind_and_name(kustomize(OVERLAY))
    pod = resources[("Deployment", service)]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    env = {item["name"]: item for item in container["env"]}

    assert container["args"] == [service]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert env["DIALOGUE_NATS_USER"]["value"] == service
    assert "DIALOGUE_NATS_PASSWORD" not in env
    assert "DIALOGUE_STORE_URL" not in env
    assert any(
        source["configMapRef"]["name"].startswith("dialogue-config")
        for source in container["envFrom"]
        if "configMapRef" in source
    )
    assert ("PodDisruptionBudget", service) in resources
    assert ("Service", service) in resources


def test_the_portal_serves_its_pages_and_metrics_and_shares_the_rating_secret_with_notification() -> None:
    resources = by_kind_and_name(kustomize(OVERLAY))
    service = resources[("Service", "portal")]
    pod = resources[("Deployment", "portal")]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}

    assert {port["name"]: port["port"] for port in service["spec"]["ports"]} == {"web": 8080, "http": 8105}
    assert ports == {"web": int(env["DIALOGUE_PORTAL_WEB_PORT"]), "http": int(env["DIALOGUE_HTTP_PORT"])}
    assert env["DIALOGUE_PORTAL_WEB_HOST"] == "0.0.0.0"
    assert pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"] is True
    assert resources[("Deployment", "portal")]["spec"]["template"]["metadata"]["annotations"][
        "prometheus.io/port"
    ] == str(ports["http"])
    for name in ("portal", "notification"):
        spec = resources[("Deployment", name)]["spec"]["template"]["spec"]
        [mounted] = [
            v for v in spec["volumes"] if v.get("secret", {}).get("secretName") == "dialogue-rating-link"
        ]
        [mount] = [m for m in spec["containers"][0]["volumeMounts"] if m["name"] == mounted["name"]]
        [item] = mounted["secret"]["items"]
        variables = {item["name"]: item["value"] for item in spec["containers"][0]["env"]}
        assert variables["DIALOGUE_RATING_LINK_SECRET_FILE"] == f"{mount['mountPath']}/{item['path']}", name
    [config] = [
        doc
        for (kind, name), doc in resources.items()
        if kind == "ConfigMap" and name.startswith("dialogue-config")
    ]
    assert config["data"]["DIALOGUE_NOTIFICATION_PUBLIC_URL"].startswith("https://")


def test_every_workload_is_covered_by_a_pod_disruption_budget() -> None:
    resources = kustomize(OVERLAY)
    budgets = [
        doc["spec"]["selector"]["matchLabels"] for doc in resources if doc["kind"] == "PodDisruptionBudget"
    ]
    workloads = [doc for doc in resources if doc["kind"] in ("Deployment", "StatefulSet")]

    for workload in workloads:
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert any(budget.items() <= labels.items() for budget in budgets), workload["metadata"]["name"]


@pytest.mark.parametrize(
    ("copy", "original"),
    [
        (BASE / "nats" / "accounts.conf", REPO / "deploy" / "nats" / "accounts.conf"),
        (BASE / "nats" / "nats.conf", REPO / "deploy" / "nats" / "nats-server.conf"),
        (OVERLAY / "nats.conf", REPO / "deploy" / "nats" / "nats-cluster.conf"),
        (
            BASE / "mongo" / "init-replica-set-and-users.js",
            REPO / "deploy" / "compose" / "mongo" / "init-replica-set-and-users.js",
        ),
    ],
    ids=["accounts", "nats-single", "nats-cluster", "mongo-init"],
)
def test_kustomizes_copies_of_the_shared_configuration_are_identical(copy: Path, original: Path) -> None:
    # Kustomize only loads files under the kustomization's directory, hence the copies.
    assert copy.read_text() == original.read_text(), f"copy {original} to {copy}"


def test_every_base_manifest_file_validates_on_its_own() -> None:
    # Independent of kubectl: the files the base lists, before Kustomize touches them.
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())

    for resource_file in kustomization["resources"]:
        for resource in yaml.safe_load_all((BASE / resource_file).read_text()):
            validate(resource)
