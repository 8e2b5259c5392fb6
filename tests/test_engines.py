"""Engine dialects: the same policy said the way each engine understands it."""

from __future__ import annotations

from extractor.sandbox.engines import DOCKER, PODMAN, engine_name
from extractor.sandbox.policy import Policy


def test_engine_is_told_by_its_version_answer() -> None:
    assert engine_name({"Components": [{"Name": "Podman Engine"}], "Version": "4.3.1"}) == "podman"
    docker = {"Platform": {"Name": "Docker Engine - Community"}, "Components": [{"Name": "Engine"}]}
    assert engine_name(docker) == "docker"
    assert engine_name({}) == "docker"


def test_podman_gets_its_tmpfs_owner_and_an_explicit_nproc_limit() -> None:
    docker_kwargs, podman_kwargs = Policy().sdk_kwargs(DOCKER), Policy().sdk_kwargs(PODMAN)
    assert "uid=60999,gid=60999" in docker_kwargs["tmpfs"]["/home/tutor"]
    # Podman's tmpfs takes neither uid= nor nr_inodes: the launcher gives the home (CAP_CHOWN, dropped)
    assert "uid=" not in podman_kwargs["tmpfs"]["/home/tutor"] and "nr_inodes" not in podman_kwargs["tmpfs"]["/tmp"]
    assert "CHOWN" in podman_kwargs["cap_add"] and "CHOWN" not in docker_kwargs["cap_add"]
    assert "--own=/home/tutor" in Policy().entrypoint("driver", dialect=PODMAN)
    assert not any(a.startswith("--own") for a in Policy().entrypoint("driver"))
    assert [u["Name"] for u in podman_kwargs["ulimits"]] == ["nofile", "fsize", "nproc"]
    assert [u["Name"] for u in docker_kwargs["ulimits"]] == ["nofile", "fsize"]
    assert any(  # check.sh keeps Docker's flags
        "uid=60999,gid=60999" in a for a in Policy().cli_args())
