"""Shared test helpers: paths to sample data and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
FEEDS = ROOT / "feeds"


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
