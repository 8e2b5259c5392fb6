"""The sandbox on the real Docker engine: one session per article, verdicts, the policy.

These tests need the engine (``make test`` starts one) and FAIL when it is missing.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from extractor.model import Tutorial, tutorial_from_json
from extractor.results import ArticleResult, StepResult
from extractor.sandbox import images
from extractor.sandbox.commands import sandbox_command
from extractor.sandbox.reaper import DEADLINE_LABEL, HOST_LABEL, LABEL, OWNER_LABEL, reap
from extractor.sandbox.runner import RunOptions, check_tutorial
from extractor.understand.facts import command_facts

pytestmark = pytest.mark.docker
DATA = Path(__file__).resolve().parent / "data" / "sandbox"


def load(slug: str) -> Tutorial:
    return tutorial_from_json(json.loads((DATA / f"{slug}.json").read_text(encoding="utf-8")))


def by_command(result: ArticleResult) -> dict[str, StepResult]:
    return {s.command: s for s in result.steps}


def assert_gone(c: Any, result: ArticleResult) -> None:
    cid = result.extra["container"]
    assert cid
    for _ in range(50):  # auto-remove finishes asynchronously after the kill
        if not c.api.containers(all=True, filters={"id": cid}):
            return
        time.sleep(0.1)
    pytest.fail(f"container {cid[:12]} was left behind")


def test_when_the_sample_runs_then_every_step_passes_with_state_carried(engine: Any) -> None:
    result = check_tutorial(load("sandbox-sample"), RunOptions(step_timeout=20))
    failures = [(s.id, s.command, s.status, s.reason, s.output) for s in result.steps if s.status != "passed"]
    assert failures == []
    assert result.status == "passed"
    steps = by_command(result)
    assert steps["pwd"].output == "/home/tutor/demo\n"  # cd persisted
    assert steps['echo "$GREETING world"'].match == "exact"  # export persisted
    assert steps["wc -l < notes.txt"].cwd == "/home/tutor/demo"  # heredoc file, then used
    assert steps["sh greet.sh tutor"].output == "hi from tutor\n"  # a file block, written then run
    assert steps["x"].output == "42\n"  # one interpreter for the >>> session
    assert steps["1/0"].match == "normalized"  # doctest rules for exceptions
    assert [s.status for s in result.steps if s.command.startswith("import os")] == ["passed"]
    assert_gone(engine, result)


def test_when_two_steps_are_wrong_then_exactly_those_two_fail_with_diffs(engine: Any) -> None:
    result = check_tutorial(load("sandbox-sample-broken"), RunOptions(step_timeout=20))
    failed = {s.command: s for s in result.steps if s.status == "failed"}
    assert sorted(failed) == ['echo "$GREETING world"', "ehco done"]
    assert "-goodbye world" in failed['echo "$GREETING world"'].diff
    assert "+hello world" in failed['echo "$GREETING world"'].diff
    assert "command not found" in failed["ehco done"].diff
    assert failed["ehco done"].exit_code == 127
    assert result.status == "failed"
    # a step that depends on the article's state still runs: the failed steps did run
    others = [s.status for s in result.steps if s.command not in failed]
    assert set(others) == {"passed"}
    assert_gone(engine, result)


def test_when_snippets_misbehave_then_each_ends_with_its_verdict_and_nothing_is_left(engine: Any) -> None:
    result = check_tutorial(load("sandbox-hostile"), RunOptions(step_timeout=4, article_timeout=120))
    steps = by_command(result)
    assert steps[":(){ :|:& };:"].status in ("failed", "timeout")
    assert steps["yes"].status == "timeout" and steps["yes"].truncated
    assert len(steps["yes"].output.encode()) <= 64 * 1024
    hog = steps["python3 -c 'a = b\"x\" * (2 * 1024 ** 3); print(len(a))'"]
    # killed at the memory limit; on a loaded machine the step limit may come first (still contained)
    assert (hog.status, hog.exit_code) in (("failed", 137), ("timeout", 137))
    assert steps["sleep infinity"].status == "timeout"
    net = [s for s in result.steps if s.command.startswith("curl")]
    # no network: the first ran and could not resolve its host (so it needs the network: extractor.unreached);
    # a declared need is skipped before it runs
    assert [s.status for s in net] == ["skipped", "skipped"]
    assert "Could not resolve host: deb.debian.org" in net[0].output
    assert net[0].reason == "needs the network: it tried to reach deb.debian.org (run with --allow-network)"
    assert "network" in net[1].reason and not net[1].output
    assert steps["echo owned > /etc/motd"].status == "failed"
    assert "Read-only file system" in steps["echo owned > /etc/motd"].output
    assert steps["read answer"].status == "failed"  # stdin is /dev/null: no step waits for input
    assert steps["echo still here"].status == "passed"  # the session survived all of it
    assert_gone(engine, result)


def test_when_the_article_time_runs_out_then_the_rest_is_skipped(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="slow", title="slow", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session",
                  steps=(Step("sleep 30"), Step("echo late", "late\n"))),))
    # 8 s, not less: on a loaded machine starting the container alone may take seconds
    result = check_tutorial(t, RunOptions(step_timeout=30, article_timeout=8))
    assert [s.status for s in result.steps] == ["timeout", "skipped"]
    assert_gone(engine, result)


def test_when_an_owner_died_then_its_container_is_reaped(engine: Any) -> None:
    labels = {LABEL: "1", OWNER_LABEL: "999999999", HOST_LABEL: socket.gethostname(),
              DEADLINE_LABEL: f"{time.time() + 3600:.0f}"}
    ct = engine.containers.create(images.toolbox_tag(), command=["sleep", "600"], labels=labels)
    ct.start()
    assert ct.short_id in reap(engine)
    for _ in range(50):
        if not engine.api.containers(all=True, filters={"id": ct.id}):
            return
        time.sleep(0.1)
    pytest.fail("the reaped container is still there")


def test_when_images_exist_then_build_is_a_no_op(engine: Any) -> None:
    before = engine.images.get(images.toolbox_tag()).id
    assert sandbox_command("build") == 0
    assert engine.images.get(images.toolbox_tag()).id == before
    assert engine.images.get(images.toolbox_tag()).labels[images.RECIPE_LABEL] == images.toolbox_recipe()
    assert os.path.exists(images.LOCK)


def write_check(tmp_path: Path, slug: str) -> Path:
    from extractor.pipeline import render_article

    t = load(slug)
    d = tmp_path / slug
    d.mkdir()
    (d / "check.sh").write_text(render_article(t).check_sh, encoding="utf-8")
    (d / "Dockerfile").write_text(render_article(t).dockerfile, encoding="utf-8")
    return d / "check.sh"


def test_when_check_sh_runs_the_sample_then_it_passes_and_the_broken_one_fails_two_steps(
        engine: Any, tmp_path: Path) -> None:
    import subprocess

    ok = subprocess.run(["bash", str(write_check(tmp_path, "sandbox-sample"))], capture_output=True, text=True,
                        timeout=120, env={**os.environ, "STEP_TIMEOUT": "20"})
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 failed, 0 timed out" in ok.stdout
    bad = subprocess.run(["bash", str(write_check(tmp_path, "sandbox-sample-broken"))], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "STEP_TIMEOUT": "20"})
    assert bad.returncode == 1
    fails = [ln for ln in bad.stdout.splitlines() if ln.startswith("FAIL")]
    assert len(fails) == 2 and "ehco done" in fails[1]
    assert "-goodbye world" in bad.stdout


def test_when_check_sh_compares_output_then_it_uses_tutorchecks_matching_rules(engine: Any, tmp_path: Path) -> None:
    import subprocess

    from extractor.model import CodeBlock, SourceRef, Step
    from extractor.pipeline import render_article

    t = Tutorial(slug="volatile", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step("python3 -c 'import uuid; print(uuid.uuid4())'", "2f1c9c2e-8a4b-4c1e-9d7a-1b2c3d4e5f60\n"),
            Step("date -u +%H:%M:%S", "01:02:03\n"),
            Step("echo 3", "4\n"))),))
    d = tmp_path / t.slug
    d.mkdir()
    (d / "check.sh").write_text(render_article(t).check_sh, encoding="utf-8")
    (d / "Dockerfile").write_text(render_article(t).dockerfile, encoding="utf-8")
    run = subprocess.run(["bash", str(d / "check.sh")], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "STEP_TIMEOUT": "20"})
    lines = [ln.split(":")[0] for ln in run.stdout.splitlines() if ln.startswith(("PASS", "FAIL"))]
    assert lines[:3] == ["PASS     block 0 step 0", "PASS     block 0 step 1", "FAIL     block 0 step 2"], run.stdout
    assert "-4" in run.stdout and "+3" in run.stdout and run.returncode == 1
    # the same verdicts as the runner's
    runner = check_tutorial(t, RunOptions(step_timeout=20))
    assert [s.status for s in runner.steps][:3] == ["passed", "passed", "failed"]


def test_when_a_step_names_a_tool_then_the_article_layer_installs_it(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="yq-layer", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step("printf 'a: 1\\n' > a.yaml"),
            Step("yq -r .a a.yaml", "1\n", needs=("tool:yq",)),
            Step("shasum -a 256 a.yaml | cut -c1-8", "37b128c5\n", needs=("tool:shasum",)))),))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [s.status for s in result.steps] == ["passed"] * 3
    assert result.image.startswith(images.ARTICLE_REPO + ":")
    assert engine.images.get(result.image).labels[images.KIND_LABEL] == "article"


def test_when_the_article_installs_a_package_then_the_layer_has_it_and_state_carries_on(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="install-step", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step("printf 'a: 1\\n' > a.yaml"),
            Step("sudo apt-get update && sudo apt-get install -y yq", None, needs=("network", "tool:sudo"),
                 facts=command_facts("sudo apt-get update && sudo apt-get install -y yq", ("network", "tool:sudo"))),
            Step("yq -r .a a.yaml", "1\n", needs=("state",)))),))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [(s.status, s.action) for s in result.steps] == [("passed", "shell"), ("skipped", "provided"),
                                                          ("passed", "shell")]
    assert "the sandbox image carries them" in result.steps[1].reason


def test_when_a_step_tries_to_kill_the_driver_then_it_cannot_and_the_session_goes_on(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="kill-driver", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session",
                  steps=(Step("kill -9 $PPID"), Step("echo after", "after\n"))),))
    result = check_tutorial(t, RunOptions(step_timeout=10))
    # the shell's parent is the launcher, another uid: the step fails, the session does not end
    assert [s.status for s in result.steps] == ["failed", "passed"]
    assert "Operation not permitted" in result.steps[0].output
    assert_gone(engine, result)


def test_when_the_owner_gets_sigterm_then_its_container_is_removed(engine: Any) -> None:
    import signal
    import subprocess
    import sys

    code = (
        "from extractor.model import *\n"
        "from extractor.sandbox.runner import RunOptions, check_tutorial\n"
        "t = Tutorial(slug='term', title='', url='', source=SourceRef('t', 'json'), blocks=(CodeBlock(\n"
        "    index=0, text='', lang='shell', kind='session', steps=(Step('sleep 60'),)),))\n"
        "check_tutorial(t, RunOptions(step_timeout=60))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    owner = {"label": [LABEL, f"{OWNER_LABEL}={proc.pid}"]}
    for _ in range(100):  # wait until its container runs
        if engine.api.containers(filters=owner):
            break
        time.sleep(0.1)
    assert engine.api.containers(filters=owner), "the run never started its container"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    for _ in range(50):
        if not engine.api.containers(all=True, filters=owner):
            return
        time.sleep(0.1)
    pytest.fail("the container outlived its owner's SIGTERM")


def test_when_a_step_serves_until_stopped_then_the_next_step_can_use_it(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="serve", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step("echo hello > index.html"),
            Step("python3 -m http.server 8765", "Serving HTTP on 0.0.0.0 port 8765 (http://0.0.0.0:8765/) ...\n",
                 facts=command_facts("python3 -m http.server 8765", ())),
            Step("curl -s http://localhost:8765/index.html", "hello\n"),
            Step("python3 -m http.server not-a-port", None, facts=command_facts("python3 -m http.server x", ())))),))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [s.status for s in result.steps] == ["passed", "passed", "passed", "failed"]
    assert result.steps[3].exit_code not in (0, None)  # a server that cannot start is a failure


def test_when_a_failure_is_explained_by_a_step_that_did_not_run_then_it_is_blocked_naming_it(engine: Any) -> None:
    from extractor.model import CodeBlock, SourceRef, Step

    t = Tutorial(slug="gap", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(
            Step("git clone https://example.invalid/repo.git", None, needs=("network",)),)),
        CodeBlock(index=1, text="", lang="shell", kind="session", steps=(
            Step("ls repo", "README.md\n"), Step("echo fine", "fine\n"), Step("srot notes.txt", None),
            Step("echo changed", "unchanged\n"))),))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [s.status for s in result.steps] == ["skipped", "blocked", "passed", "failed", "failed"]
    assert result.steps[1].reason.startswith(
        "blocked: block 0 step 0 (`git clone https://example.invalid/repo.git`) did not run (needs the network")
    assert "it would have made repo" in result.steps[1].reason
    assert result.steps[2].reason == ""
    # a misspelt program and a changed output are not the gap's doing
    assert "command not found" in result.steps[3].reason and "blocked" not in result.steps[3].reason
    assert result.status == "failed"


def test_env_values_reach_the_steps_but_not_the_containers_config(engine: Any) -> None:
    from extractor.sandbox.policy import Policy
    from extractor.sandbox.session import Session

    with Session(engine, images.toolbox_tag(), Policy(), lifetime_s=60, env={"API_TOKEN": "s3cret-value"}) as s:
        config = engine.api.inspect_container(s.container.id)["Config"]
        assert not any("s3cret-value" in e for e in config.get("Env") or [])
        assert "s3cret-value" not in json.dumps(config)
        shell = s.request({"op": "shell", "src": 'echo "${#API_TOKEN}"'}, 10)
        assert (shell.status, shell.output) == ("ok", "12\n")
        py = s.request({"op": "python", "src": "import os; os.environ['API_TOKEN'][:6]"}, 10)
        assert py.output.strip() == "'s3cret'"


def test_when_an_article_writes_a_file_in_the_home_then_it_lands_there_in_check_and_check_sh(
        engine: Any, tmp_path: Path) -> None:
    import subprocess

    from extractor.model import CodeBlock, SourceRef, Step
    from extractor.pipeline import render_article

    t = Tutorial(slug="home-file", title="", url="", source=SourceRef("test", "json"), blocks=(
        CodeBlock(index=0, text="", lang="shell", kind="session", steps=(Step("mkdir -p sub && cd sub"),)),
        CodeBlock(index=1, text="SHELF_JOBS=4\n", lang="text", kind="file", filename="~/.shelfrc"),
        CodeBlock(index=2, text="", lang="shell", kind="session", steps=(
            Step("cat ~/.shelfrc", "SHELF_JOBS=4\n"), Step("ls -A | wc -l", "0\n"))),))
    result = check_tutorial(t, RunOptions(step_timeout=20))
    assert [s.status for s in result.steps] == ["passed"] * 4, [(s.command, s.reason) for s in result.steps]
    d = tmp_path / t.slug
    d.mkdir()
    (d / "check.sh").write_text(render_article(t).check_sh, encoding="utf-8")
    (d / "Dockerfile").write_text(render_article(t).dockerfile, encoding="utf-8")
    run = subprocess.run(["bash", str(d / "check.sh")], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "STEP_TIMEOUT": "20"})
    assert run.returncode == 0 and "0 failed" in run.stdout, run.stdout + run.stderr
