"""Fidelity of the verdicts: tutorcheck checks the labelled third-party corpus (tests/corpus/,
labels.yaml beside it) in the sandbox, and its step verdicts are scored against what a careful
reader concluded (extractor.fidelity): precision and recall of ``failed``, false passes, skip
reasons in the labelled class, overall and per generator, with the steps that miss.

The bundled feeds (feeds/) are checked too: their article and step verdicts are reported, so a
change that makes them worse shows here. Without tests/corpus/labels.yaml the test pages of
tests/data/fidelity/ are scored instead (``labels`` in the JSON says which).

Prints one JSON object. Usage: python benchmarks/bench_fidelity.py [--labels FILE] [--jobs 2] [--no-cache]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, emit, preflight, r3  # noqa: E402

NAME = "bench_fidelity"
CORPUS_LABELS = ROOT / "tests" / "corpus" / "labels.yaml"
TEST_LABELS = ROOT / "tests" / "data" / "fidelity" / "labels.yaml"
FEEDS = ROOT / "feeds"


def feeds_verdicts(jobs: int, cache_dir: Path | None) -> dict[str, Any]:
    """Article and step verdicts of the bundled feeds, as ``tutorcheck check feeds`` gives them."""
    from extractor.harness import CheckSetup, Plans, run_check, sandbox_fingerprint, sandbox_runner
    from extractor.options import RunOptions
    from extractor.reports import ReportPaths
    from extractor.targets import load_targets

    tutorials, errors = load_targets([str(FEEDS)])
    options = RunOptions()
    setup = CheckSetup(jobs=jobs, cache_dir=cache_dir, reports=ReportPaths(), options_key=options.cache_key())
    plans = Plans(options)
    results, _ = run_check(tutorials, sandbox_runner(options, plans), setup, sandbox_fingerprint(plans))
    steps = Counter(str(s.status) for r in results for s in r.steps)
    return {"articles": {r.slug: str(r.status) for r in results}, "steps": dict(sorted(steps.items())),
            "failed_steps": [{"article": r.slug, "block": s.block, "step": s.step, "command": s.command[:120],
                              "status": str(s.status), "reason": s.reason[:200]}
                             for r in results for s in r.steps if str(s.status) in ("failed", "timeout", "blocked")],
            "input_errors": [str(e) for e in errors]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=Path, default=None, help="a labels.yaml (default: tests/corpus/labels.yaml)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-cache", action="store_true", help="run every page again (default: verdict cache)")
    args = parser.parse_args()
    labels = args.labels or (CORPUS_LABELS if CORPUS_LABELS.is_file() else TEST_LABELS)
    preflight(NAME)
    from extractor.check_command import cleanup_on_exit
    from extractor.fidelity.run import fidelity

    with tempfile.TemporaryDirectory(prefix="tutorcheck-fidelity-") as tmp:
        cache_dir = Path(tmp) if args.no_cache else ROOT / ".tutorcheck-cache"
        t0 = time.perf_counter()
        with cleanup_on_exit():
            report = fidelity(labels, jobs=args.jobs, cache_dir=cache_dir)
            feeds = feeds_verdicts(args.jobs, cache_dir)
        elapsed = time.perf_counter() - t0
    shown = labels.resolve().relative_to(ROOT) if labels.resolve().is_relative_to(ROOT) else labels
    emit({"benchmark": NAME, "labels": str(shown), **report, "bundled_feeds": feeds,
          "met": report["targets"]["all_met"], "seconds": r3(elapsed),
          "cache": "none (--no-cache)" if args.no_cache else ".tutorcheck-cache (unchanged pages are not run again)"})


if __name__ == "__main__":
    main()
