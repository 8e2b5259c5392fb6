"""The labelled tutorials against their labels, on the real engine: a regression of the verdicts
fails CI. Each label set is scored (extractor.fidelity) and held to the floor recorded beside it
(``floor.json``: the figures measured when it was last raised, on purpose): precision, recall and
skip reasons may not drop below it, false passes may not rise above it (0 once met).

The verdict cache (.tutorcheck-cache) keeps a second run fast; it is keyed by the page, the
sandbox and the code that judges, so a change to either runs the page again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from extractor.fidelity.run import fidelity

pytestmark = pytest.mark.docker

LABEL_SETS = [p for p in (DATA / "fidelity" / "labels.yaml", ROOT / "tests" / "corpus" / "labels.yaml") if p.is_file()]
FLOOR_KEYS = ("precision", "recall", "false_passes", "skip_reasons_matching")


@pytest.mark.parametrize("labels", LABEL_SETS, ids=[p.parent.name for p in LABEL_SETS])
def test_verdicts_are_no_worse_than_the_recorded_floor(labels: Path) -> None:
    report = fidelity(labels, jobs=2, cache_dir=ROOT / ".tutorcheck-cache")
    measured = {k: report[k] for k in FLOOR_KEYS}
    floor_path = labels.parent / "floor.json"
    if not floor_path.is_file():
        pytest.fail(f"{floor_path} is missing; record the measured floor there: {json.dumps(measured)}")
    floor = json.loads(floor_path.read_text(encoding="utf-8"))
    offending = {k: v[:5] for k, v in report["offending"].items()}
    assert report["false_passes"] <= floor["false_passes"], offending.get("false_passes")
    assert report["precision"] >= floor["precision"], offending.get("false_alarms")
    assert report["recall"] >= floor["recall"], offending.get("missed_failures")
    assert report["skip_reasons_matching"] >= floor["skip_reasons_matching"], offending.get("skip_reason_mismatches")
    assert report["pages"] == floor.get("pages", report["pages"]), "pages were added or lost: raise the floor"
    # the labelled steps tutorcheck reads as steps at all (a block read as text has none to judge)
    assert report["counts"]["matched_steps"] >= floor.get("matched_steps", 0), offending.get("unmatched_labelled")
    if floor["precision"] >= 0.9 and floor["recall"] >= 0.9 and floor["false_passes"] == 0:
        # once the targets were met, each judged generator must keep meeting them too
        missed = {g: [k for k, ok in met.items() if not ok]
                  for g, met in report["targets"]["met"]["by_generator"].items() if not all(met.values())}
        assert not missed, f"targets no longer met per generator: {missed}; {offending}"
