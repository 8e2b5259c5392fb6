"""Shared test helpers: paths to sample data and the seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


def seed_labels() -> dict:
    """labels.yaml: the hand-made ground truth (from ../shared, else the bundled copy)."""
    import yaml

    path = SEEDS / "labels.yaml"
    if not path.exists():
        path = DATA / "labels.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
