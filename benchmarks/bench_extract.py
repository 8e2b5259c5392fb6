"""Extraction throughput: `tutorcheck extract` end to end against the floor of feedparser +
beautifulsoup4 merely parsing the same input; peak memory at growing corpus sizes.

Prints one JSON object. Usage: python benchmarks/bench_extract.py [--sizes 100,1000,5000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, write_corpus  # noqa: E402

FLOOR = """
import sys, feedparser
from bs4 import BeautifulSoup
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob('*.xml')):
    for entry in feedparser.parse(path.read_bytes(), sanitize_html=False).entries:
        body = (entry.get('content') or [{}])[0].get('value') or entry.get('summary', '')
        BeautifulSoup(body, 'lxml')
"""


def measure(argv: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) of the largest process in the child's tree, and CPU seconds
    (user + system) of the whole tree: workers are counted, not hidden."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv[:3]} failed: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    args = parser.parse_args()
    python = sys.executable
    tutorcheck = str(Path(python).parent / "tutorcheck")
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            write_corpus(corpus, size)
            floor_s, floor_kib, floor_cpu = measure([python, "-c", FLOOR, str(corpus)])
            extract_s, extract_kib, extract_cpu = measure(
                [tutorcheck, "extract", str(corpus), "-o", str(Path(tmp) / "out")]
            )
        results.append({
            "articles": size,
            "floor_s": round(floor_s, 3),
            "extract_s": round(extract_s, 3),
            "ratio": round(extract_s / floor_s, 2),
            "floor_cpu_s": round(floor_cpu, 3),
            "extract_cpu_s": round(extract_cpu, 3),
            "cpu_ratio": round(extract_cpu / floor_cpu, 2),
            "floor_peak_mib": round(floor_kib / 1024, 1),
            "extract_peak_mib": round(extract_kib / 1024, 1),
            "extract_articles_per_s": round(size / extract_s, 1),
        })
    print(json.dumps({
        "benchmark": "extract",
        "date": time.strftime("%Y-%m-%d"),
        "target": {"ratio_max": 1.5, "memory": "flat as the corpus grows"},
        "note": "ratio is wall time (extract uses worker processes on the available cores); cpu_ratio "
                "counts every process's CPU; peak is the largest single process",
        "root": str(ROOT),
        "runs": results,
    }, indent=2))


if __name__ == "__main__":
    main()
