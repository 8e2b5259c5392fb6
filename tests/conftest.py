"""Shared test helpers: paths to sample data and the seeds."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extractor.sandbox import images
from extractor.sandbox.images import toolbox_tag

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
FEEDS = ROOT / "feeds"

# The generated check.sh files build on the moving tutorcheck/toolbox tag, which the last checkout
# to build its images points at (several may share one engine): the tests' own check.sh runs build
# on this checkout's toolbox instead.
os.environ.setdefault("TUTORCHECK_TOOLBOX", toolbox_tag())


@pytest.fixture
def data_dir() -> Path:
    return DATA


def engine_with(ensure: Callable[..., object], what: str) -> Any:
    """The engine client once ``ensure`` has made ``what``; a missing engine or image is a test
    failure, never a skip (the sandbox's tests use the real engine)."""
    try:
        c = images.client()
        ensure(c, say=lambda _m: None)
    except Exception as e:  # noqa: BLE001 - any engine problem is a test failure, never a skip
        pytest.fail(f"these tests need a Docker engine and {what}: {e}")
    return c


@pytest.fixture(scope="module")
def engine() -> Any:
    """The engine with the sandbox images, for the tests that run steps in it."""
    return engine_with(images.ensure_all, "the sandbox images")


def seed_labels() -> dict:
    """labels.yaml: the hand-made ground truth (from ../shared, else the bundled copy)."""
    import yaml

    path = SEEDS / "labels.yaml"
    if not path.exists():
        path = DATA / "labels.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
