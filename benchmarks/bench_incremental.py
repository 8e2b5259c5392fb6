"""Incremental checking: the second ``tutorcheck check`` of unchanged input against the first,
with a fresh ``--cache-dir`` in a temp dir. Inputs: the runnable example feed extracted as it
is, and the same articles repeated (distinct titles) to a larger set. Containers created are
counted from the engine's event log (``docker events``, filtered on the check process's pid
label), so "no container started" is observed, not assumed.

Prints one JSON object. Usage: python benchmarks/bench_incremental.py [--copies 8] [--rounds 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    BYTECODE_NOTE,
    EXAMPLES_FEED,
    child_env,
    containers_created,
    emit,
    ensure_article_images,
    example_copies,
    extract,
    fail,
    median,
    preflight,
    r3,
    timed_check,
    warm_bytecode,
)

NAME = "bench_incremental"
RATIO_MAX = 0.05


def run_pair(generated: Path, cache: Path, articles: int) -> dict[str, float | int]:
    """First and second check of the same DIR with the same fresh cache dir."""
    args = [str(generated), "--cache-dir", str(cache)]
    since = time.time()
    first_s, first_pid, first_err = timed_check(args)
    mid = time.time()
    second_s, second_pid, second_err = timed_check(args)
    until = time.time()
    if f"({articles} run, 0 cached)" not in first_err:
        raise fail(NAME, f"first run did not run every article: {first_err.strip()[-300:]}")
    if f"(0 run, {articles} cached)" not in second_err:
        raise fail(NAME, f"second run did not take every verdict from the cache: {second_err.strip()[-300:]}")
    return {
        "first_s": first_s,
        "second_s": second_s,
        "first_containers": containers_created(first_pid, since, mid),
        "second_containers": containers_created(second_pid, mid, until),
    }


def measure(name: str, feed: Path, tmp: Path, rounds: int) -> dict[str, object]:
    generated = tmp / f"{name}-generated"
    tutorials = extract(feed, generated)
    images = ensure_article_images(tutorials)  # image builds are set-up, not the first run's time
    runs = [run_pair(generated, tmp / f"{name}-cache-{n}", len(tutorials)) for n in range(rounds)]
    first = median([float(r["first_s"]) for r in runs])
    second = median([float(r["second_s"]) for r in runs])
    ratio = second / first
    second_containers = max(int(r["second_containers"]) for r in runs)
    return {
        "input": name,
        "articles": len(tutorials),
        "steps": sum(t.step_count for t in tutorials),
        "images": images,
        "raw": [{k: (r3(v) if isinstance(v, float) else v) for k, v in r.items()} for r in runs],
        "first_s": r3(first),
        "second_s": r3(second),
        "ratio_second_to_first": round(ratio, 4),
        "targets": {
            "no_container_started": {"target": "0 containers created by the second run",
                                     "value": second_containers, "met": second_containers == 0},
            "second_run_time": {"target": f"<= {RATIO_MAX:.0%} of the first", "value": f"{ratio:.1%}",
                                "met": ratio <= RATIO_MAX},
        },
    }


def process_floor(repeats: int = 5) -> dict[str, float]:
    """What any ``tutorcheck`` process pays before it looks at one article, for scale: the bare
    interpreter, and the interpreter importing the check command's module (median seconds)."""
    def once(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=child_env(), check=True)
        return time.perf_counter() - t0

    return {"python_start_s": r3(median([once("pass") for _ in range(repeats)])),
            "python_import_harness_s": r3(median([once("import extractor.harness") for _ in range(repeats)]))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=8, help="repeats of the example articles for the larger input")
    parser.add_argument("--rounds", type=int, default=2, help="first+second pairs per input, each with a fresh cache")
    args = parser.parse_args()
    preflight(NAME)
    warm_bytecode()
    with tempfile.TemporaryDirectory(prefix="tutorcheck-bench-") as name:
        tmp = Path(name)
        inputs = [
            measure("examples", EXAMPLES_FEED, tmp, args.rounds),
            measure(f"examples-x{args.copies}", example_copies(tmp, args.copies), tmp, args.rounds),
        ]
    emit({
        "benchmark": "incremental",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "measured": "second `tutorcheck check DIR --cache-dir FRESH` of unchanged input vs the first, same run; "
                    "containers created per run counted from `docker events` (label tutorcheck.owner=<pid>)",
        "against": "the first run of the same input",
        "bytecode": BYTECODE_NOTE,
        "process_floor": process_floor(),
        "inputs": inputs,
        "met": all(t["met"] for i in inputs for t in i["targets"].values()),  # type: ignore[attr-defined]
    })


if __name__ == "__main__":
    main()
