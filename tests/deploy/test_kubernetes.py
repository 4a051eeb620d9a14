"""deploy/k8s: every manifest valid against Kubernetes' own JSON schemas (kubernetes-validate,
strict: an unknown or misspelt key fails) for the oldest and newest versions we claim, and
the pieces wired to each other and to the gateway: the ConfigMap's config is accepted by
gateway.settings with the Secret's values in the environment, the probes ask the port and
path the gateway serves, the Service, HPA and PodDisruptionBudget find the Deployment."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gateway.app import create_app
from gateway.settings import Settings, parse_settings

ROOT = Path(__file__).parents[2]
K8S = ROOT / "deploy" / "k8s"
KUSTOMIZATION: dict[str, Any] = yaml.safe_load((K8S / "kustomization.yaml").read_text())
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
DOCS: list[tuple[str, dict[str, Any]]] = [
    (path.name, doc)
    for path in MANIFESTS
    for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
    if doc
]
# The oldest Kubernetes we claim (README "Deploy"), and the newest kubernetes-validate knows.
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]


def one(kind: str) -> dict[str, Any]:
    found = [doc for _, doc in DOCS if doc["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("name", "doc"), DOCS, ids=[f"{n}:{d['kind']}" for n, d in DOCS])
def test_a_manifest_matches_the_kubernetes_schema(
    name: str, doc: dict[str, Any], version: str
) -> None:
    kubernetes_validate.validate(doc, version, strict=True)


def test_the_kustomization_lists_every_manifest() -> None:
    assert sorted(KUSTOMIZATION["resources"]) == [p.name for p in MANIFESTS]
    kinds = {d["kind"] for _, d in DOCS}
    assert {"Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler"} <= kinds


def test_kustomize_builds_it() -> None:
    if shutil.which("kubectl") is None:
        pytest.skip(
            "kubectl is not installed (CI has none; every manifest is still checked against "
            "Kubernetes' schemas above): install kubectl to also build the kustomization"
        )
    done = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    built = [d for d in yaml.safe_load_all(done.stdout) if d]
    assert len(built) == len(DOCS)
    (image,) = KUSTOMIZATION["images"]
    (deployment,) = [d for d in built if d["kind"] == "Deployment"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == f"{image['newName']}:{image['newTag']}"


def container() -> dict[str, Any]:
    only: dict[str, Any]
    (only,) = one("Deployment")["spec"]["template"]["spec"]["containers"]
    return only


def config_in_the_pod() -> tuple[str, dict[str, str]]:
    """The config file's text, found as the pod finds it, and the environment it gets."""
    pod = one("Deployment")["spec"]["template"]["spec"]
    env_vars = {e["name"]: e for e in container()["env"]}
    config_path = Path(env_vars["TEAMGRAPH_CONFIG"]["value"])
    (mount,) = [
        m for m in container()["volumeMounts"] if Path(m["mountPath"]) == config_path.parent
    ]
    (volume,) = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    config_map = one("ConfigMap")
    assert volume["configMap"]["name"] == config_map["metadata"]["name"]
    text: str = config_map["data"][config_path.name]
    secret = one("Secret")
    env: dict[str, str] = {}
    for name, var in env_vars.items():
        if "value" in var:
            env[name] = var["value"]
            continue
        ref = var["valueFrom"]["secretKeyRef"]
        assert ref["name"] == secret["metadata"]["name"], name
        env[name] = secret["stringData"][ref["key"]]  # a key the Secret lacks fails here
    return text, env


def settings_in_the_pod() -> Settings:
    text, env = config_in_the_pod()
    return parse_settings(tomllib.loads(text), env=env, source="the ConfigMap's config")


def test_the_configmap_config_is_valid_with_the_secret_in_the_environment() -> None:
    text, _ = config_in_the_pod()
    # Every ${NAME} comes from the Secret: no secret is written in the ConfigMap.
    secret_keys = set(one("Secret")["stringData"])
    assert set(re.findall(r"\$\{(\w+)\}", text)) <= secret_keys
    settings = settings_in_the_pod()
    assert all(
        getattr(settings.backends, s) is not None for s in type(settings.backends).model_fields
    )
    # Replicas share one Redis: the cache and idempotency keys agree whichever pod answers.
    assert settings.cache.backend == "redis"


def test_the_probes_ask_the_gateways_port_and_health_path() -> None:
    settings = settings_in_the_pod()
    (port,) = container()["ports"]
    assert port["containerPort"] == settings.server.port
    assert settings.server.host == "0.0.0.0"
    served = {getattr(route, "path", None) for route in create_app(settings).routes}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container()[probe]["httpGet"]
        assert get["port"] == port["name"], probe
        assert get["path"] in served, probe


def test_the_pod_runs_as_the_images_user_on_a_read_only_root() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    uid, gid = re.findall(r"^USER (\d+):(\d+)$", dockerfile, flags=re.M)[-1]
    pod = one("Deployment")["spec"]["template"]["spec"]["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert (pod["runAsUser"], pod["runAsGroup"]) == (int(uid), int(gid))
    security = container()["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert "/tmp" in {m["mountPath"] for m in container()["volumeMounts"]}
    assert {"cpu", "memory"} <= set(container()["resources"]["requests"])  # the HPA needs cpu


def test_the_service_hpa_and_budget_find_the_deployment() -> None:
    deployment = one("Deployment")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = one("Service")
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == container()["ports"][0]["name"]
    hpa = one("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert hpa["spec"]["minReplicas"] == deployment["spec"]["replicas"] == 2
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    budget = one("PodDisruptionBudget")
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
