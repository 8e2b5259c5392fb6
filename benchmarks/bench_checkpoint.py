"""What a learner's checkpoint costs (``tutorcheck step``: one after every step that ran).

A checkpoint is the sandbox's writable folders as a tar streamed to the host by ``docker exec``
plus the shell's state (extractor/sandbox/checkpoint.py); ``docker commit`` would see none of
it (read-only root, tmpfs work folders). Measured on the toolbox image under the sandbox
policy, for three homes: the empty start, a small tutorial's (a dozen files), and a heavier
one (a project of 400 files, 8 MB, e.g. a virtualenv or a cloned repository):

- ``save_ms``: the shell-state step plus the tar, written to disk (what each step adds);
- ``restore_ms``: what ``back`` / ``jump`` / resuming cost: a fresh container, the tar streamed
  in, the shell state sourced;
- ``disk_kb``: the checkpoint's file.

Prints one JSON object. Usage: python benchmarks/bench_checkpoint.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, fail, preflight, r3  # noqa: E402

from extractor.sandbox import checkpoint, images  # noqa: E402
from extractor.sandbox.policy import Policy  # noqa: E402
from extractor.sandbox.session import Session  # noqa: E402

NAME = "bench_checkpoint"
TARGETS = {"save_ms_small_max": 1000.0, "restore_ms_small_max": 5000.0}
HOMES = {
    "empty": "true",
    "small": "mkdir -p app/src && cd app && for i in $(seq 12); do printf 'line %s\\n' $(seq 50) >src/f$i.txt; done "
             "&& export APP=demo && greet() { echo hi; }",
    "project_8mb": "mkdir -p proj && cd proj && for d in $(seq 20); do mkdir -p pkg$d; for f in $(seq 20); do "
                   "head -c 20000 /dev/urandom >pkg$d/m$f.bin; done; done",
}


def session(image: str) -> Session:
    s = Session(images.client(), image, Policy(), lifetime_s=600, name_hint="bench-checkpoint")
    s.start()
    return s


def measure(image: str, setup: str, rounds: int, folder: Path) -> dict[str, float]:
    saves, restores, size = [], [], 0
    s = session(image)
    try:
        answer = s.request({"op": "shell", "src": setup}, 120)
        if answer.exit_code != 0:
            raise fail(NAME, f"setting up the home failed: {answer.output[-300:]}")
        for k in range(rounds):
            cost = checkpoint.save(s, folder / f"ck-{k}.tar")
            saves.append(cost.seconds)
            size = cost.bytes
        for _ in range(rounds):
            t0 = time.perf_counter()
            fresh = session(image)
            try:
                checkpoint.restore(fresh, folder / "ck-0.tar")
                restores.append(time.perf_counter() - t0)
                check = fresh.request({"op": "shell", "src": "ls | wc -l"}, 60)
                if check.exit_code != 0:
                    raise fail(NAME, "the restored session does not answer")
            finally:
                fresh.close()
    finally:
        s.close()
    return {"save_ms": r3(statistics.median(saves) * 1000), "restore_ms": r3(statistics.median(restores) * 1000),
            "disk_kb": r3(size / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    image = preflight(NAME)
    with tempfile.TemporaryDirectory(prefix="tc-bench-ck-") as tmp:
        results = {name: measure(image, setup, args.rounds, Path(tmp) / name) for name, setup in HOMES.items()}
    small = results["small"]
    met = small["save_ms"] <= TARGETS["save_ms_small_max"] and small["restore_ms"] <= TARGETS["restore_ms_small_max"]
    emit({"benchmark": NAME, "rounds": args.rounds, "image": image, **results, "targets": TARGETS, "met": met,
          "note": "restore includes starting a fresh container; docker commit cannot see the tmpfs work folders"})


if __name__ == "__main__":
    main()
