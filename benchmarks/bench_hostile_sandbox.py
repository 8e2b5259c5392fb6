"""The figures of the hostile suite, measured: the README's "The sandbox" section quotes them.

Runs the same hostile snippet articles as tests/test_hostile_sandbox.py (one run, two articles
at a time, next to a well-behaved sample article) and the malformed inputs of
tests/test_hostile_inputs.py (one ``extract`` with the bundled example feed), and prints one
JSON object: how many hostile snippets, how many did not end with their expected verdict, how
many escapes (a host listener reached, the host canary changed, a file written on the host),
leftovers (containers, host processes), the worst time past a step's limit, the bytes of
container log on the host, how many malformed inputs and how many articles were lost.
Needs the Docker engine and the sandbox images (``make test`` or ``make demo`` first).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_hostile_inputs import CASES, GOOD_FEED, GOOD_SLUGS, INPUTS, _generate_big  # noqa: E402
from test_hostile_sandbox import run_suite  # noqa: E402

from extractor.sandbox import images  # noqa: E402


def snippets() -> dict[str, object]:
    engine = images.client()
    images.ensure_all(engine, say=lambda _m: None)
    canary = Path("/tmp") / f"tutorcheck-canary-{uuid.uuid4().hex[:8]}"
    canary.write_text("untouched\n", encoding="utf-8")
    try:
        out = run_suite(engine, canary)
    finally:
        canary.unlink(missing_ok=True)
    f = out.findings
    escapes = (out.reached["gateway (filtered)"] + out.reached["own address (filtered)"]
               + (not out.canary_intact) + len(out.files_left))
    return {
        "hostile_snippets": f.hostile, "articles": len(out.articles), "wrong_verdicts_or_bounds": len(f.problems),
        "problems": f.problems, "escapes": escapes, "leftover_containers": len(out.containers_left),
        "leftover_host_processes": len(out.processes_left), "worst_s_past_a_limit": round(f.worst_overrun_s, 2),
        "worst": f.worst, "container_log_bytes_on_host": sum(int(s["log_bytes"]) for s in out.logs),
        "log_drivers": sorted({str(s["log_driver"]) for s in out.logs}),
        "well_behaved_article": out.results[out.sample_slug].status, "run_s": round(out.took_s, 1),
    }


def malformed() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs"
        shutil.copytree(INPUTS, inputs)
        _generate_big(inputs)
        out = Path(tmp) / "out"
        done = subprocess.run([sys.executable, "-m", "extractor.cli", "extract", str(inputs), str(GOOD_FEED),
                               "-o", str(out)], capture_output=True, text=True, timeout=600, cwd=ROOT)
        index = {a["slug"] for a in json.loads((out / "index.json").read_text(encoding="utf-8"))["articles"]}
    expected = set(GOOD_SLUGS) | {e.slug for e in CASES.values() if e.slug}
    return {"malformed_inputs": len(CASES), "articles_expected": len(expected),
            "articles_lost": sorted(expected - index), "traceback": "Traceback" in done.stderr,
            "exit_status": done.returncode}


def main() -> None:
    result: dict[str, object] = {"benchmark": "hostile_sandbox", **snippets(), **malformed()}
    result["targets"] = {
        "at_least_40_snippets": int(str(result["hostile_snippets"])) >= 40,
        "no_escape_no_leftover": result["escapes"] == 0 and result["leftover_containers"] == 0
        and result["leftover_host_processes"] == 0,
        "within_limit_plus_1s": float(str(result["worst_s_past_a_limit"])) <= 1.0,
        "no_host_log": result["container_log_bytes_on_host"] == 0,
        "at_least_20_malformed": int(str(result["malformed_inputs"])) >= 20,
        "no_article_lost": result["articles_lost"] == [],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
