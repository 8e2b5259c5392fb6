"""Parallel checking: 8 runnable articles (the example articles repeated under distinct titles,
each with an extra session whose steps take real time: two ``sleep 0.5`` and a small
computation) checked with ``--jobs 1`` against ``--jobs 2``, same run, rounds interleaved,
no cache. The machine's core count is reported; the target assumes 2.

Prints one JSON object. Usage: python benchmarks/bench_parallel.py [--articles 8] [--rounds 2]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    BYTECODE_NOTE,
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

NAME = "bench_parallel"
SPEEDUP_MIN = 1.7
N = 200000
WORK = (
    '<p>Now some steps that take a while:</p><pre class="language-console"><code class="language-console">'
    "$ sleep 0.5\n"
    f"$ python3 -c 'print(sum(i * i for i in range({N})))'\n"
    f"{sum(i * i for i in range(N))}\n"
    "$ sleep 0.5\n"
    "</code></pre>"
)


def timed_jobs(generated: Path, jobs: int, articles: int) -> tuple[float, int]:
    since = time.time()
    elapsed, pid, err = timed_check([str(generated), "--no-cache", "--jobs", str(jobs)])
    if f"({articles} run, 0 cached)" not in err:
        raise fail(NAME, f"--jobs {jobs} did not run every article: {err.strip()[-300:]}")
    return elapsed, containers_created(pid, since, time.time())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="--jobs 1 / --jobs 2 pairs, interleaved")
    args = parser.parse_args()
    preflight(NAME)
    warm_bytecode()
    runs: dict[int, list[float]] = {1: [], 2: []}
    containers: dict[int, list[int]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="tutorcheck-bench-") as name:
        tmp = Path(name)
        feed = example_copies(tmp, math.ceil(args.articles / 3), WORK, limit=args.articles)
        generated = tmp / "generated"
        tutorials = extract(feed, generated)
        if len(tutorials) != args.articles or not all("sleep 0.5" in [s.command for b in t.code_blocks
                                                                        for s in b.steps] for t in tutorials):
            raise fail(NAME, f"expected {args.articles} articles each with the timed steps, got {len(tutorials)}")
        images = ensure_article_images(tutorials)
        for n in range(args.rounds):
            for jobs in ((1, 2) if n % 2 == 0 else (2, 1)):
                elapsed, created = timed_jobs(generated, jobs, args.articles)
                runs[jobs].append(elapsed)
                containers[jobs].append(created)
    one, two = median(runs[1]), median(runs[2])
    speedup = one / two
    emit({
        "benchmark": "parallel",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "measured": f"`tutorcheck check DIR --no-cache --jobs 2` on {args.articles} runnable articles",
        "against": "the same with --jobs 1, same run (rounds interleaved, order alternating)",
        "cores": os.cpu_count(),
        "articles": args.articles,
        "steps": sum(t.step_count for t in tutorials),
        "timed_steps_per_article": ["sleep 0.5", f"python3 -c 'print(sum(i * i for i in range({N})))'",
                                    "sleep 0.5"],
        "images": images,
        "bytecode": BYTECODE_NOTE,
        "raw_s": {"jobs_1": [r3(x) for x in runs[1]], "jobs_2": [r3(x) for x in runs[2]]},
        "containers_created": {"jobs_1": containers[1], "jobs_2": containers[2]},
        "median_s": {"jobs_1": r3(one), "jobs_2": r3(two)},
        "ratios": {"speedup_jobs_2": round(speedup, 2)},
        "targets": {"speedup_jobs_2": {"target": f">= {SPEEDUP_MIN}x", "value": round(speedup, 2),
                                       "met": speedup >= SPEEDUP_MIN}},
    })


if __name__ == "__main__":
    main()
