"""The multi-node overlay on processes: three NATS nodes, services as their Deployments configure them."""

from __future__ import annotations

import pytest

from tests.deployed.deployment import k8s_config
from tests.deployed.stack import TEST_SECONDS, KubernetesStack

pytestmark = pytest.mark.deployed


@pytest.mark.timeout(TEST_SECONDS)
def test_the_scenario_runs_on_a_three_node_cluster_with_replicated_streams(
    kubernetes_stack: KubernetesStack,
) -> None:
    assert k8s_config("dialogue-config")["DIALOGUE_STREAM_REPLICAS"] == "3"
    kubernetes_stack.start()

    result = kubernetes_stack.demo()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "16 ý kiến" in result.stdout
    assert set(kubernetes_stack.stream_replicas().values()) == {3}
    assert kubernetes_stack.violations() == []
    for name, service in kubernetes_stack.services.items():
        assert service.tracebacks() == [], name
