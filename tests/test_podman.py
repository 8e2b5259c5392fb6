"""The sandbox on a second engine: Podman's Docker-compatible service, reached through
``DOCKER_HOST`` as any remote engine would be. Skipped only where Podman cannot start here,
and then the reason is printed (as a warning in the summary), never silently."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA

from extractor.cli import main

pytestmark = pytest.mark.docker
START_TIMEOUT_S = 30


def _cannot(why: str) -> None:
    warnings.warn(f"Podman test skipped: {why}", stacklevel=2)
    pytest.skip(f"Podman cannot start here: {why}")


@pytest.fixture(scope="module")
def podman_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Podman API service on a private socket (stopped afterwards), holding the toolbox image."""
    import docker

    from extractor.sandbox import images

    podman = shutil.which("podman")
    if podman is None:
        _cannot("no podman binary (Debian: apt-get install podman catatonit; `make test` does)")
    assert podman is not None
    sock = tmp_path_factory.mktemp("podman") / "api.sock"
    host = f"unix://{sock}"
    service = subprocess.Popen([podman, "system", "service", "--time=0", host],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        client = None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and service.poll() is None:
            try:
                client = docker.DockerClient(base_url=host, timeout=60)
                client.ping()
                break
            except docker.errors.DockerException:
                client = None
                time.sleep(0.5)
        if client is None:
            service.kill()
            _cannot(f"`podman system service` did not answer: {(service.communicate()[1] or '').strip()[-500:]}")
        assert client is not None
        pin = images.ensure_toolbox(images.client(), say=lambda _m: None)  # on the Docker engine
        if subprocess.run([podman, "image", "exists", pin], check=False).returncode != 0:
            save = subprocess.Popen(["docker", "save", pin], stdout=subprocess.PIPE)
            subprocess.run([podman, "load"], stdin=save.stdout, capture_output=True, check=True, timeout=600)
            assert save.wait(timeout=60) == 0
        yield host
    finally:
        if service.poll() is None:
            service.terminate()
            service.wait(timeout=30)


def test_the_sample_passes_on_podman_as_on_docker(podman_host: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.sandbox import images
    from extractor.sandbox.engines import dialect_of

    monkeypatch.setenv("DOCKER_HOST", podman_host)
    assert dialect_of(images.client()).name == "podman"
    out = tmp_path / "results.json"
    assert main(["check", str(DATA / "docs"), "--no-cache", "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    statuses = {s["status"] for a in results["articles"] for s in a["steps"]}
    assert statuses == {"passed"} and results["summary"]["steps"] > 20
