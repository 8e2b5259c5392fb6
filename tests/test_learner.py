"""Learner mode: the plan without a terminal, and the run/skip/quit walk over a real bash session.

The walk is tested with a plain local bash process as its session (the sandbox's own session
is tested by the sandbox's tests); it exercises ordering, answers, state and the Python replay.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from extractor.errors import UsageError
from extractor.learner import Ran, Request, learner_plan, load_tutorial, request_for, step_through, verdict_line
from extractor.model import Tutorial, tutorial_from_json
from extractor.plan import Action, Plan
from extractor.vocab import ActionKind

DATA = Path(__file__).resolve().parent / "data" / "notebook"


def sample(name: str) -> Tutorial:
    return tutorial_from_json(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


def plan_steps(t: Tutorial) -> Plan:
    return learner_plan(t)


def units(plan: Plan) -> list[Action]:
    return [a for a in plan.actions if a.kind != ActionKind.STATIC]


class LocalBash:
    """One bash process in a temp dir; each command's output read up to a marker line.

    Serves ``shell`` and ``write`` requests; Python steps are the sandbox's (see the docker test).
    """

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(["bash", "--noprofile", "--norc"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.cwd = cwd

    def run(self, request: Request) -> Ran:
        if request.op == "write":
            return self.shell(f"mkdir -p \"$(dirname {request.path})\" && cat > {request.path} <<'TC_EOF'\n"
                              f"{request.data}TC_EOF")
        if request.op == "shell":
            return self.shell(request.src)
        return Ran(None, "", "no Python in this session")

    def shell(self, command: str) -> Ran:
        assert self.proc.stdin and self.proc.stdout
        script = self.cwd / f".step-{uuid.uuid4().hex}.sh"
        script.write_text(command + "\n")
        mark = uuid.uuid4().hex
        self.proc.stdin.write(f"source {script} </dev/null\necho {mark} $?\n")
        self.proc.stdin.flush()
        out = []
        for line in self.proc.stdout:
            if line.startswith(mark):
                script.unlink()
                return Ran(int(line.split()[1]), "".join(out))
            out.append(line)
        return Ran(None, "".join(out), "the shell exited")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def bash(tmp_path: Path):
    session = LocalBash(tmp_path)
    yield session
    session.close()


def answers(*said: str):
    queue = list(said)
    return lambda prompt: queue.pop(0) if queue else "q"


def test_when_all_run_then_state_carries_and_outputs_match(bash: LocalBash, tmp_path: Path) -> None:
    t = sample("shell-state")
    out = io.StringIO()
    assert step_through(t, plan_steps(t), bash, answers(*[""] * 20), out) == 0
    text = out.getvalue()
    assert text.count("output matches the article") == 6
    assert "differs" not in text and "✗" not in text
    assert "not run: needs a Kubernetes cluster" in text
    assert (tmp_path / "workspace" / "conf" / "app.env").read_text().startswith("NAME=demo\n")
    assert text.rstrip().endswith("done: 10 run, 4 skipped")


def test_when_skip_and_quit_then_stops_there(bash: LocalBash, tmp_path: Path) -> None:
    t = sample("shell-state")
    out = io.StringIO()
    assert step_through(t, plan_steps(t), bash, answers("r", "s", "x", "q"), out) == 0
    text = out.getvalue()
    assert "please answer r, s or q" in text
    assert text.rstrip().endswith("stopped: 1 run, 1 skipped")
    assert (tmp_path / "workspace").is_dir()


def test_requests_name_the_op() -> None:
    plan = units(plan_steps(sample("python-session")))
    assert request_for(plan[0]) == Request("write", path="wordcount.py", data=plan[0].source)
    assert request_for(plan[1]) == Request("shell", src="mkdir -p words && cd words")
    assert [request_for(p).op for p in plan if p.block == 3] == ["python"] * 7


def test_verdict_names_exit_and_match() -> None:
    plan = units(plan_steps(sample("shell-state")))
    echo = next(p for p in plan if p.command == 'echo "$GREETING"')
    assert verdict_line(Ran(0, "hello from the workspace  \n"), echo).startswith("✓ exit 0; output matches the article")
    assert verdict_line(Ran(1, "bye\n"), echo).startswith("✗ exit 1; output differs from the article:\n")
    assert verdict_line(Ran(None, "", "timeout"), echo) == "✗ did not finish: timeout"
    python = next(p for p in units(plan_steps(sample("python-session"))) if p.expected_output == "'2'\n")
    assert verdict_line(Ran(0, "'2'\n"), python) == "✓ exit 0; output matches the article"


@pytest.mark.docker
def test_when_stepping_in_the_sandbox_then_shell_python_and_files_share_state() -> None:
    from extractor.learner import open_session

    t = sample("python-session")
    session = open_session(t, plan_steps(t))
    out = io.StringIO()
    try:
        assert step_through(t, plan_steps(t), session, answers(*[""] * 20), out) == 0
    finally:
        session.close()
    text = out.getvalue()
    # cwd and files are shared by the shell, the writes and the Python session:
    assert "[('the', 3), ('and', 2)]\n  ✓ exit 0; output matches the article" in text
    assert "A\n  B\n  C\n  ✓ exit 0; output matches the article" in text
    assert "cat 1\n  ✓ exit 0; output matches the article" in text
    # the sandbox's Python session does not see the shell's exports (unlike the notebook's helper)
    assert text.count("✗") == 1 and "KeyError: 'WORDS_TOP'" in text
    assert "not run: needs the network" in text
    assert text.rstrip().endswith("done: 14 run, 1 skipped")


def test_when_stdin_is_not_a_terminal_then_plan_and_exit_0(tmp_path: Path) -> None:
    folder = tmp_path / "shell-state-sample"
    folder.mkdir()
    (folder / "tutorial.json").write_text((DATA / "shell-state.json").read_text(encoding="utf-8"))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "step", str(folder)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Shell state that carries")
    assert "$ mkdir -p workspace/notes && cd workspace" in done.stdout
    assert "14 steps, 10 would run, 4 not run" in done.stdout
    assert "stdin is not a terminal" in done.stderr


def test_when_path_has_no_tutorial_then_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no tutorial.json"):
        load_tutorial(tmp_path)
    (tmp_path / "tutorial.json").write_text("{}")
    with pytest.raises(UsageError, match="not a tutorial.json"):
        load_tutorial(tmp_path)


@pytest.mark.docker
def test_when_yes_then_every_runnable_step_runs_without_a_terminal(tmp_path: Path, capsys, monkeypatch) -> None:
    from extractor.learner import step_command

    folder = tmp_path / "shell-state-sample"
    folder.mkdir()
    (folder / "tutorial.json").write_text((DATA / "shell-state.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    assert step_command(folder, yes=True) == 0
    text = capsys.readouterr().out
    assert "✗" not in text
    assert text.count("output matches the article") == 6
    assert text.rstrip().endswith("done: 10 run, 4 skipped")


def test_verdict_of_an_exception_the_article_shows() -> None:
    tb = "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nValueError: bad\n"
    p = Action(ActionKind.PYTHON, 0, 0, "int('x')", source="int('x')", lang="python", expected_output=tb)
    assert verdict_line(Ran(1, tb), p) == "✓ raised the exception the article shows"
    other = "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nKeyError: 'x'\n"
    assert "differs from the article" in verdict_line(Ran(1, other), p)


def test_when_edited_then_the_edit_runs_and_is_compared_with_the_article(bash: LocalBash) -> None:
    t = sample("shell-state")
    out = io.StringIO()
    edits = []

    def edit(text: str) -> str:
        edits.append(text)
        return text.replace("workspace", "sandbox")

    # run the mkdir/cd step, edit the export, run the echo that shows it, then quit
    assert step_through(t, plan_steps(t), bash, answers("", "e", "", "q"), out, edit=edit) == 0
    text = out.getvalue()
    assert edits == ['export GREETING="hello from the workspace"']
    assert "(your edit ran; compared with what the article shows)" in text
    assert "✓ exit 0; output differs from the article:\n" in text
    assert "-hello from the workspace" in text and "+hello from the sandbox" in text
    assert "of the steps run: 0 matched the article, 1 differed, 0 failed, 2 ran with no output" in text
    assert text.rstrip().endswith("stopped: 3 run, 0 skipped")


def test_when_a_step_needs_something_then_skip_or_run_anyway(bash: LocalBash) -> None:
    t = sample("shell-state")
    out = io.StringIO()
    # the ten runnable steps; skip the cluster step, run the `cd notes` after it anyway, skip the
    # placeholder file, run the last echo anyway: it now runs in notes/, not where the article was
    said = [""] * 10 + ["", "a", "s", "?", "a"]
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return said.pop(0)

    assert step_through(t, plan_steps(t), bash, ask, out, ask_needs=True) == 0
    text = out.getvalue()
    # a local shell: no checkpoints, no terminal
    assert prompts[0] == "  [r]un (Enter) / [e]dit / [s]kip / [q]uit / ?  "
    assert prompts[10] == "  needs a Kubernetes cluster: [s]kip (Enter), or run [a]nyway / [e]dit / [q]uit / ?  "
    assert prompts[12].startswith("  a placeholder must be filled in: a value of your own: [s]kip (Enter)")
    assert "  a            run a step the sandbox would not run" in text  # the help, asked for with ?
    assert "+hello from the workspace from notes" in text
    assert text.rstrip().endswith("done: 12 run, 2 skipped")


def test_the_article_and_the_run_side_by_side_on_a_terminal() -> None:
    from rich.console import Console

    from extractor.learn.view import side_by_side

    out = io.StringIO()
    Console(file=out, force_terminal=True, width=60, color_system=None).print(
        side_by_side("one\ntwo\nthree\n", "one\n2\nthree\nfour\n"))
    rows = [line for line in out.getvalue().splitlines() if "│" in line or "┃" in line]
    assert any("the article shows" in r and "this run printed" in r for r in rows)
    assert any("two" in r and "2" in r for r in rows)
    assert any("four" in r and r.split("│")[1].strip() == "" for r in rows)


def test_every_option_of_step_has_help_text() -> None:
    import argparse

    from extractor import cli

    sub = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    actions = [a for a in sub.choices["step"]._actions  # a suppressed one is a spelling (--allow-network=private)
               if not isinstance(a, argparse._HelpAction) and a.help != argparse.SUPPRESS]
    assert {o for a in actions for o in a.option_strings} == {"--allow-network", "--allow-host", "--yes", "--restart"}
    assert all(a.help and len(a.help) > 20 for a in actions), [(a.dest, a.help) for a in actions]


def test_a_step_of_several_lines_is_edited_in_the_learners_editor(tmp_path: Path, monkeypatch) -> None:
    from extractor.learn.editing import edit

    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/milk/bread/' \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("VISUAL", str(editor))
    assert edit("cat <<EOF > notes.txt\nbuy milk\nEOF") == "cat <<EOF > notes.txt\nbuy bread\nEOF"


def test_when_a_step_needs_a_value_of_ones_own_then_edit_fills_it_in(bash: LocalBash, tmp_path: Path) -> None:
    t = sample("shell-state")
    out = io.StringIO()
    said = [""] * 10 + ["", "s", "e", "s"]  # the ten steps; skip the cluster ones; edit the placeholder file
    step_through(t, plan_steps(t), bash, answers(*said), out, edit=lambda text: text.replace("YOUR_TOKEN", "t0k3n"),
                 ask_needs=True)
    assert (tmp_path / "workspace" / "secret.yaml").read_text() == "token: t0k3n\n"
    assert "(your edit ran; compared with what the article shows)" in out.getvalue()
