"""Sandbox per-step overhead: a tutorial of 50 trivial steps (``true``) checked by tutorcheck
(``check_tutorial``: one container, one shell session, one JSON line per step) against the
same 50 steps run as one ``docker run`` each and as one ``docker exec`` each (in one container
started for them), same image, same policy (``Policy().cli_args()``), same run, interleaved
in rounds. The fixed cost per article (container start + teardown) comes from a 1-step
tutorial against the 50-step one.

Prints one JSON object. Usage: python benchmarks/bench_sandbox.py [--steps 50] [--rounds 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, fail, labels, median, preflight, r3, remove_own_containers  # noqa: E402

from extractor.model import CodeBlock, SourceRef, Step, Tutorial  # noqa: E402
from extractor.sandbox.policy import Policy  # noqa: E402
from extractor.sandbox.runner import RunOptions, check_tutorial  # noqa: E402

NAME = "bench_sandbox"
TARGETS = {"per_step_overhead_ms_max": 10.0, "vs_run_per_step_min": 25.0, "vs_exec_per_step_min": 6.0}


def trivial_tutorial(steps: int) -> Tutorial:
    """One shell session block of ``steps`` × ``$ true``, built in code (no extraction)."""
    block = CodeBlock(index=0, text="".join("$ true\n" for _ in range(steps)), label="console", lang="shell",
                      kind="session", prompt="$ ", steps=tuple(Step(command="true") for _ in range(steps)))
    return Tutorial(slug=f"bench-sandbox-{steps}-steps", title=f"{steps} trivial steps",
                    url="https://bench.tutorcheck.invalid/", source=SourceRef("benchmarks", "code"),
                    blocks=(block,))


def timed_check(tutorial: Tutorial, options: tuple[str, Policy]) -> float:
    t0 = time.perf_counter()
    image, policy = options
    result = check_tutorial(tutorial, RunOptions(), image=image, policy=policy)
    elapsed = time.perf_counter() - t0
    if result.status != "passed" or len(result.steps) != tutorial.step_count:
        raise fail(NAME, f"{tutorial.slug}: expected every step passed, got {result.status}: "
                         f"{[(s.status, s.reason) for s in result.steps if s.status != 'passed'][:3]}")
    return elapsed


def docker(*args: str) -> str:
    r = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise fail(NAME, f"docker {' '.join(args[:2])} failed: {r.stderr.strip()[:300]}")
    return r.stdout.strip()


def run_per_step(image: str, policy: list[str], steps: int) -> float:
    """``docker run --rm`` once per step: create, start, wait, remove."""
    t0 = time.perf_counter()
    for n in range(steps):
        docker("run", "--rm", *labels(f"bench-run-per-step-{n}"), *policy, image, "true")
    return time.perf_counter() - t0


def exec_per_step(image: str, policy: list[str], steps: int) -> tuple[float, float, float]:
    """One container kept alive, ``docker exec`` once per step; (start, steps, teardown) seconds."""
    t0 = time.perf_counter()
    cid = docker("run", "-d", *labels("bench-exec-per-step"), *policy, image, "sleep", "infinity")
    t1 = time.perf_counter()
    try:
        for _ in range(steps):
            docker("exec", cid, "true")
        t2 = time.perf_counter()
    finally:
        docker("rm", "-f", cid)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every method, interleaved")
    parser.add_argument("--repeats", type=int, default=3, help="tutorcheck runs of each tutorial per round")
    args = parser.parse_args()
    image = preflight(NAME)
    policy = Policy()
    options = (image, policy)
    cli_policy = policy.cli_args()
    one, many = trivial_tutorial(1), trivial_tutorial(args.steps)

    tc_one: list[float] = []
    tc_many: list[float] = []
    run_totals: list[float] = []
    exec_parts: list[tuple[float, float, float]] = []
    try:
        # warm-up, not counted: first container of the image, the CLI's own start-up, imports
        timed_check(one, options)
        docker("run", "--rm", *labels("bench-warmup"), *cli_policy, image, "true")
        for _ in range(args.rounds):
            for _ in range(args.repeats):
                tc_one.append(timed_check(one, options))
                tc_many.append(timed_check(many, options))
            run_totals.append(run_per_step(image, cli_policy, args.steps))
            exec_parts.append(exec_per_step(image, cli_policy, args.steps))
    finally:
        remove_own_containers()

    steps = args.steps
    t_one, t_many = median(tc_one), median(tc_many)
    per_step = (t_many - t_one) / (steps - 1)
    fixed = t_one - per_step
    run_total = median(run_totals)
    exec_start = median([p[0] for p in exec_parts])
    exec_steps = median([p[1] for p in exec_parts])
    exec_teardown = median([p[2] for p in exec_parts])
    exec_total = median([sum(p) for p in exec_parts])

    vs_run = run_total / t_many
    vs_exec = exec_total / t_many
    emit({
        "benchmark": "sandbox",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "measured": f"tutorcheck check_tutorial on a {steps}-step tutorial (`true` each) in one container "
                    f"vs the same {steps} steps as one `docker run --rm` each and as one `docker exec` each "
                    "(in one container started and removed for them); same image, same Policy (cli_args)",
        "against": ["docker run per step", "docker exec per step"],
        "image": image,
        "policy_cli_args": cli_policy,
        "steps": steps,
        "rounds": args.rounds,
        "raw_s": {
            "tutorcheck_1_step": [r3(x) for x in tc_one],
            f"tutorcheck_{steps}_steps": [r3(x) for x in tc_many],
            f"docker_run_{steps}_steps": [r3(x) for x in run_totals],
            f"docker_exec_{steps}_steps": [[r3(x) for x in p] for p in exec_parts],
        },
        "raw_note": "docker_exec entries are [container start, the steps, teardown]; medians below",
        "median_s": {
            "tutorcheck_article_1_step": r3(t_one),
            f"tutorcheck_article_{steps}_steps": r3(t_many),
            f"docker_run_{steps}_steps": r3(run_total),
            f"docker_exec_{steps}_steps_total": r3(exec_total),
            "docker_exec_start": r3(exec_start),
            f"docker_exec_{steps}_steps_only": r3(exec_steps),
            "docker_exec_teardown": r3(exec_teardown),
        },
        "per_step_ms": {
            "tutorcheck": round(per_step * 1000, 2),
            "docker_run": round(run_total / steps * 1000, 1),
            "docker_exec": round(exec_steps / steps * 1000, 1),
        },
        "fixed_cost_per_article_s": {
            "tutorcheck": r3(fixed),
            "docker_exec": r3(exec_start + exec_teardown),
            "note": "tutorcheck: the 1-step article minus one step's overhead (container create, attach, "
                    "start, driver ready, remove; plus the image check and reap every article does)",
        },
        "ratios": {
            "vs_run_per_step": round(vs_run, 1),
            "vs_exec_per_step": round(vs_exec, 1),
            "marginal_vs_run_per_step": round(run_total / steps / per_step, 1) if per_step > 0 else None,
            "marginal_vs_exec_per_step": round(exec_steps / steps / per_step, 1) if per_step > 0 else None,
            "note": "vs_*: whole article, the same steps end to end (each way's container start and teardown "
                    "included), how many times faster tutorcheck is; marginal_*: per-step cost alone",
        },
        "targets": {
            "per_step_overhead_ms": {"target": f"<= {TARGETS['per_step_overhead_ms_max']:g}",
                                     "value": round(per_step * 1000, 2),
                                     "met": per_step * 1000 <= TARGETS["per_step_overhead_ms_max"]},
            "vs_run_per_step": {"target": f">= {TARGETS['vs_run_per_step_min']:g}x", "value": round(vs_run, 1),
                                "met": vs_run >= TARGETS["vs_run_per_step_min"]},
            "vs_exec_per_step": {"target": f">= {TARGETS['vs_exec_per_step_min']:g}x", "value": round(vs_exec, 1),
                                 "met": vs_exec >= TARGETS["vs_exec_per_step_min"]},
        },
    })


if __name__ == "__main__":
    main()
