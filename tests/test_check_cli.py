"""`tutorcheck check` from feeds, end to end on the real engine: the runnable examples pass
every step; a copy with one wrong recorded output and one misspelt command fails exactly
those two, with diffs; the seeds give every step a verdict and no cluster step passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, FEEDS

from extractor.cli import main

pytestmark = pytest.mark.docker


def _check(tmp_path: Path, *sources: str) -> tuple[int, dict]:
    out = tmp_path / "results.json"
    code = main(["check", *sources, "--json", str(out), "--cache-dir", str(tmp_path / "cache")])
    return code, json.loads(out.read_text())


def test_runnable_examples_pass_every_step(tmp_path: Path) -> None:
    code, results = _check(tmp_path, str(FEEDS / "tutorcheck-examples.atom.xml"))
    assert code == 0
    statuses = {(a["slug"], s["block"], s["step"]): s["status"] for a in results["articles"] for s in a["steps"]}
    assert len(statuses) >= 40
    assert set(statuses.values()) == {"passed"}


def test_planted_mistakes_fail_exactly_those_two_steps(tmp_path: Path) -> None:
    code, results = _check(tmp_path, str(DATA / "feeds-broken"))
    assert code == 1
    bad = [(a["slug"], s) for a in results["articles"] for s in a["steps"] if s["status"] != "passed"]
    assert [(s["block"], s["step"], s["command"], s["status"]) for _, s in bad] == [
        (1, 1, "wc -l < notes/todo.txt", "failed"),
        (1, 2, "srot notes/todo.txt", "failed"),
    ]
    wrong_output, typo = (s for _, s in bad)
    assert "-4\n+3" in wrong_output["diff"] and wrong_output["match"] == "mismatch"
    assert typo["exit_code"] == 127 and "command not found" in typo["reason"]
    assert "srot: command not found" in typo["output"]


def test_seeds_give_every_step_a_verdict_and_never_pass_a_cluster_step(tmp_path: Path) -> None:
    seeds = [str(FEEDS / "devto-zhangjintao.rss.xml"), str(FEEDS / "hashnode-moelove.rss.xml")]
    code, results = _check(tmp_path, *seeds)
    assert code == 1  # the Markdown autolink in the Kong article is a real defect
    steps = [s for a in results["articles"] for s in a["steps"]]
    assert all(s["status"] in {"passed", "failed", "skipped", "error", "timeout"} for s in steps)
    assert all(s["reason"] for s in steps if s["status"] != "passed")
    ran = [s for s in steps if s["action"] in {"shell", "python", "script"} and s["status"] == "passed"]
    assert not any("kubectl" in s["command"] or "helm" in s["command"] for s in ran)
    events = next(a for a in results["articles"] if a["slug"] == "thoroughly-understand-events-in-kubernetes")
    assert events["status"] == "skipped"
    reasons = {s["reason"] for s in steps if s["status"] == "skipped"}
    assert "needs a Kubernetes cluster" in reasons
