"""Toolchains offline, on the real engine: a build that fetches nothing runs without the
network, and the commands that would fetch are skipped saying so (tests/data/toolchains/).

One container per sample article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.pipeline import load_tutorials
from extractor.sandbox.runner import RunOptions, check_tutorial

pytestmark = pytest.mark.docker
DATA = Path(__file__).resolve().parent / "data" / "toolchains"


def verdicts(name: str) -> dict[str, tuple[str, str]]:
    """Each step's command → (status, reason) of the sample checked in the sandbox, offline."""
    tutorials, errors = load_tutorials([DATA / name])
    assert not errors and len(tutorials) == 1
    result = check_tutorial(tutorials[0], RunOptions(step_timeout=300))
    return {s.command: (str(s.status), s.reason) for s in result.steps if s.action != "static"}


def test_when_cargo_has_only_path_dependencies_then_it_builds_runs_and_tests_offline(engine: Any) -> None:
    found = verdicts("cargo-offline.md")
    assert {c: s for c, (s, _) in found.items() if c.startswith("cargo")} == {
        "cargo run": "passed",  # its status lines: the reader's folder, the reader's cargo's wording
        "cargo build -q": "passed", "cargo run -q": "passed", "cargo test -q -p words": "passed",
        "cargo update": "skipped"}
    assert found["cargo update"][1].startswith("needs the network")


def test_when_pip_builds_a_local_project_without_isolation_then_it_installs_offline(engine: Any) -> None:
    found = verdicts("pip-offline.md")
    assert found["pip install -q --no-build-isolation -e ."][0] == "passed"
    assert found["python -c 'import importlib.metadata as m; print(m.version(\"tally\"))'"][0] == "passed"  # installed
    status, reason = found["pip install -q -e ."]  # an isolated build fetches setuptools first
    assert (status, reason.startswith("needs the network")) == ("skipped", True)
