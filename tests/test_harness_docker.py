"""`tutorcheck check` end to end, with the real sandbox runner and the real Docker engine:
reports written, a second run of unchanged input starts no container, ``--jobs 2`` and
``--shard`` give the verdicts of a serial run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from extractor.sandbox.reaper import LABEL, OWNER_LABEL

pytestmark = pytest.mark.docker

HARNESS = Path(__file__).resolve().parent / "data" / "harness"
TUTORCHECK = str(Path(sys.executable).parent / "tutorcheck")


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    shutil.copytree(HARNESS / "generated", tmp_path / "generated")
    return tmp_path / "generated"


def check(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int, float, float]:
    """Run `tutorcheck check`; also its pid and the (engine-clock) seconds it ran between."""
    start = time.time()
    proc = subprocess.Popen([TUTORCHECK, "check", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=900)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), proc.pid, start, time.time()


def containers_created_by(pid: int, since: float, until: float) -> int:
    """Containers the engine created for the sandbox process ``pid`` (its owner-pid label)."""
    import docker

    client = docker.from_env()
    events = client.events(since=int(since) - 1, until=int(until) + 2, decode=True,
                           filters={"type": "container", "event": "create", "label": LABEL})
    owned = [e for e in events if e.get("Actor", {}).get("Attributes", {}).get(OWNER_LABEL) == str(pid)]
    return len(owned)


def verdicts(report: dict[str, Any]) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    return sorted((a["slug"], a["status"], [(s["block"], s["step"], s["status"]) for s in a["steps"]])
                  for a in report["articles"])


def test_when_checked_then_json_junit_and_report_are_written_and_the_exit_status_is_1(generated: Path) -> None:
    out = generated.parent
    proc, _, _, _ = check(out, "generated", "--json", "out.json", "--junit", "junit.xml", "--report", "report.md")
    assert proc.returncode == 1, proc.stderr
    data = json.loads((out / "out.json").read_text(encoding="utf-8"))
    assert data["summary"] == {"articles": 2, "steps": 6, "passed": 4, "failed": 1, "skipped": 1, "blocked": 0,
                               "error": 0, "timeout": 0}
    sample = next(a for a in data["articles"] if a["slug"] == "harness-sample")
    assert [s["match"] for s in sample["steps"][:3]] == ["exact", "normalized", "mismatch"]
    root = ET.parse(out / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("6", "1", "1")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "$ echo Running" in report and "## Skipped by reason" in report
    assert "FAILED  harness-sample" in proc.stdout
    assert not (out / "out.json.partial.jsonl").exists()


def test_when_checked_twice_then_the_second_run_starts_no_container(generated: Path) -> None:
    cwd = generated.parent
    first, first_pid, start1, end1 = check(cwd, "generated", "--json", "first.json")
    assert first.returncode == 1, first.stderr
    assert containers_created_by(first_pid, start1, end1) > 0, "the first run must use the sandbox"
    second, second_pid, start2, end2 = check(cwd, "generated", "--json", "second.json")
    assert second.returncode == 1, second.stderr
    assert "(0 run, 2 cached)" in second.stderr
    assert containers_created_by(second_pid, start2, end2) == 0
    first_report = json.loads((cwd / "first.json").read_text(encoding="utf-8"))
    second_report = json.loads((cwd / "second.json").read_text(encoding="utf-8"))
    assert verdicts(second_report) == verdicts(first_report)
    assert all(a["cached"] for a in second_report["articles"])
    forced, _, _, _ = check(cwd, "generated", "--no-cache")
    assert "(2 run, 0 cached)" in forced.stderr


def test_when_run_with_two_jobs_or_in_shards_then_the_verdicts_equal_a_serial_run(generated: Path) -> None:
    cwd = generated.parent
    check(cwd, "generated", "--no-cache", "--json", "serial.json")
    check(cwd, "generated", "--no-cache", "--jobs", "2", "--json", "parallel.json")
    for k in (1, 2):
        check(cwd, "generated", "--no-cache", "--shard", f"{k}/2", "--json", f"shard{k}.json")
    serial = json.loads((cwd / "serial.json").read_text(encoding="utf-8"))
    parallel = json.loads((cwd / "parallel.json").read_text(encoding="utf-8"))
    shards = [json.loads((cwd / f"shard{k}.json").read_text(encoding="utf-8")) for k in (1, 2)]
    assert verdicts(parallel) == verdicts(serial)
    assert verdicts({"articles": shards[0]["articles"] + shards[1]["articles"]}) == verdicts(serial)


def test_when_a_target_is_missing_then_the_exit_status_is_2(tmp_path: Path) -> None:
    proc, _, _, _ = check(tmp_path, "no-such-dir")
    assert proc.returncode == 2
    assert "no-such-dir" in proc.stderr and proc.stderr.count("\n") == 1


def _wait_for(condition: Any, what: str, limit_s: float = 120.0) -> None:
    """Poll until ``condition()`` holds (a generous bound so a stuck run fails, not hangs)."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def test_when_interrupted_then_finished_verdicts_stay_and_no_container_is_left(tmp_path: Path) -> None:
    import signal

    import docker

    from extractor.model import CodeBlock, SourceRef, Step, Tutorial
    from extractor.writer import write_json

    def article(slug: str, command: str) -> Tutorial:
        block = CodeBlock(index=0, text=f"$ {command}\n", lang="shell", kind="session", steps=(Step(command),))
        return Tutorial(slug, slug, f"https://x.invalid/{slug}", SourceRef("test", "atom10"), blocks=(block,))

    quick, slow = article("a-quick", "echo quick"), article("b-slow", "sleep 300")
    for t in (quick, slow):
        write_json(tmp_path / "generated" / t.slug / "tutorial.json", t.to_json())
    write_json(tmp_path / "generated" / "index.json", {"schema": 1, "articles": [{"slug": "a-quick"},
                                                                                  {"slug": "b-slow"}]})
    proc = subprocess.Popen([TUTORCHECK, "check", "--jobs", "2", "--json", "out.json"], cwd=tmp_path, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    client = docker.from_env()

    def owned() -> list[Any]:
        return [c for c in client.containers.list(all=True, sparse=True, filters={"label": LABEL})
                if (c.attrs.get("Labels") or {}).get(OWNER_LABEL) == str(proc.pid)]

    partial = tmp_path / "out.json.partial.jsonl"
    try:
        _wait_for(lambda: partial.exists() and "a-quick" in partial.read_text(encoding="utf-8"), "a-quick's verdict")
        _wait_for(lambda: bool(owned()), "b-slow's container")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    verdicts = (tmp_path / "out.json").read_text(encoding="utf-8") if (tmp_path / "out.json").exists() else ""
    assert proc.returncode == 130, err + verdicts  # the verdicts say how b-slow ended when it was not the interrupt
    assert owned() == []
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [a["slug"] for a in report["articles"]] == ["a-quick"]
    assert [json.loads(line)["slug"] for line in partial.read_text(encoding="utf-8").splitlines()] == ["a-quick"]
    assert len(list((tmp_path / ".tutorcheck-cache").rglob("*.json"))) == 1  # b-slow's broken verdict is not kept


def test_when_a_feed_is_the_target_then_its_articles_are_extracted_and_checked(tmp_path: Path) -> None:
    feed = Path(__file__).resolve().parent.parent / "feeds" / "tutorcheck-examples.atom.xml"
    proc, _, _, _ = check(tmp_path, str(feed), "--json", "out.json", "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert report["summary"]["articles"] == 3
    assert report["summary"]["passed"] > 0
    assert len(proc.stdout.splitlines()) == 3  # one line per article
