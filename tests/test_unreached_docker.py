"""Steps that reach for the network without the plan foreseeing it, for real (Docker engine).

The sample (tests/data/offline-reach.html) looks a host up, asks the name servers (a step its
author gives an output rule), probes a port, and runs a fetcher it writes whose host is only in
a constant; then a step uses what the fetcher would have saved, and two steps need no network
(one shows a wrong count). With no network, ``tutorcheck check`` skips the first four, naming
the host when the output names it, blocks the step after the fetcher naming it, and still fails
the wrong count; check.sh, which carries the same rule, skips the same four and fails the wrong
count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor.pipeline import load_tutorials
from extractor.sandbox.runner import RunOptions, check_tutorial
from extractor.vocab import NeedKind

pytestmark = pytest.mark.docker
PAGE = Path(__file__).resolve().parent / "data" / "offline-reach.html"
HOST = "mirror.widgetworks.net"
NAMED = f"needs the network: it tried to reach {HOST} (run with --allow-network)"


def test_with_no_network_a_step_that_reaches_out_is_skipped_naming_the_host(engine: Any, tmp_path: Path) -> None:
    tutorials, errors = load_tutorials([PAGE])
    assert not errors and len(tutorials) == 1
    result = check_tutorial(tutorials[0], RunOptions(step_timeout=30))
    ran = {s.command: s for s in result.steps if s.action != "static"}
    for command in (f"getent hosts {HOST}", f"dig +short {HOST}", f"nc -z -w2 {HOST} 443 && echo reachable"):
        assert (ran[command].status, ran[command].reason, ran[command].need) == ("skipped", NAMED, NeedKind.NETWORK)
    fetcher = ran["python3 grab.py notes.txt"]
    assert (fetcher.status, fetcher.need) == ("skipped", NeedKind.NETWORK)
    assert fetcher.reason.startswith("needs the network") and "name resolution" in fetcher.output
    after = ran["wc -l < notes.txt"]
    assert after.status == "blocked" and "(`python3 grab.py notes.txt`) was skipped" in after.reason
    assert ran["sort -r words.txt"].status == "passed"
    assert ran["wc -l < words.txt"].status == "failed"  # no sign of the network: the tutorial is wrong
    assert result.status == "failed"

    out = tmp_path / "out"
    cli = Path(sys.executable).parent / "tutorcheck"
    subprocess.run([str(cli), "extract", str(PAGE), "-o", str(out)], check=True, capture_output=True, timeout=300)
    script = next(out.glob("*/check.sh"))
    done = subprocess.run(["bash", str(script)], text=True, capture_output=True, timeout=600)
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"SKIP     block 0 step 0: getent hosts {HOST} -- {NAMED}" in lines
    assert f"SKIP     block 1 step 0: dig +short {HOST} -- {NAMED}" in lines
    assert any(line.startswith("SKIP     block 4 step 0: python3 grab.py notes.txt -- needs the network")
               for line in lines)
    assert any(line.startswith("FAIL     block 7 step 0: wc -l < words.txt") for line in lines)
