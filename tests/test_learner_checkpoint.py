"""A learner's checkpoint in the real sandbox: what it keeps (files in the home and /tmp, the
folder, variables, functions), what going back forgets, and what the walk replays after it
(the Python steps, the steps that used a service: memory and a database are in no file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.learn.workspace import Request
from extractor.learner import learner_plan
from extractor.model import Tutorial, tutorial_from_json
from extractor.options import RunOptions

DATA = Path(__file__).resolve().parent / "data" / "notebook"


@pytest.mark.docker
def test_a_checkpoint_brings_back_files_folder_variables_and_functions(tmp_path: Path) -> None:
    from extractor.learn.sandboxed import SandboxWorkspace

    t = tutorial_from_json(json.loads((DATA / "shell-state.json").read_text(encoding="utf-8")))
    said: list[str] = []
    ws = SandboxWorkspace(t, learner_plan(t), RunOptions(), said.append,
                          checkpoint_file=lambda p: tmp_path / f"ck-{p}.tar")
    try:
        made = ws.run(Request("shell", src="mkdir -p app/src && cd app && echo keep >src/a.txt && echo t >/tmp/t.txt"
                                          " && export APP=demo && greet() { echo \"hi $1\"; }"))
        assert made.exit_code == 0, made
        assert ws.checkpoint(1)
        after = ws.run(Request("shell", src="echo gone >later.txt && export APP=changed && cd src"))
        assert after.exit_code == 0, after
        ws.restore(1)
        seen = ws.run(Request("shell", src="pwd; ls -A; cat src/a.txt /tmp/t.txt; echo $APP; greet you"))
        assert seen.output.split("\n")[:-1] == ["/home/tutor/app", "src", "keep", "t", "demo", "hi you"], seen
        ws.restore(None)
        assert ws.run(Request("shell", src="pwd; ls -A")).output == "/home/tutor\n"
    finally:
        ws.close()
    assert not [m for m in said if m.startswith("no checkpoint")]


@pytest.mark.docker
def test_a_step_that_assumes_a_server_gets_it_started_first(tmp_path: Path) -> None:
    import io

    from test_reader_docker import sample

    from extractor.learner import open_session, step_through

    t = sample("services.html", tmp_path)
    plan = learner_plan(t)
    session = open_session(t, plan)
    out = io.StringIO()
    try:
        step_through(t, plan, session, lambda _prompt: "r", out)
    finally:
        session.close()
    text = out.getvalue()
    assert "could not start" not in text
    assert "  INSERT 0 2\n  ✓ exit 0; output matches the article" in text  # PostgreSQL, started before createdb
    assert "  (integer) 2\n  ✓ exit 0; output matches the article" in text  # Redis


def walk_back(t: Tutorial, said: list[str], tmp_path: Path) -> str:
    """Walk ``t`` in the sandbox with checkpoints, answering ``said``; the screen."""
    import io

    from extractor.learn.view import View
    from extractor.learn.walk import Walk
    from extractor.learner import open_session

    plan = learner_plan(t)
    session = open_session(t, plan, checkpoint_file=lambda p: tmp_path / f"ck-{p}.tar")
    out = io.StringIO()
    try:
        Walk(t, plan, session, lambda _p: said.pop(0) if said else "q", View(out)).run()
    finally:
        session.close()
    return out.getvalue()


@pytest.mark.docker
def test_going_back_replays_the_python_steps_before_the_checkpoint(tmp_path: Path) -> None:
    t = tutorial_from_json(json.loads((DATA / "python-session.json").read_text(encoding="utf-8")))
    # the steps up to `n = json.load(...)`; at `top_words(...)`, back: the checkpoint is the one
    # before `n = ...`, and the imports and sys.path of the Python steps before it are replayed
    text = walk_back(t, [""] * 11 + ["b", "", ""], tmp_path)
    after = text.split("↺ back to step 11: the checkpoint after step 10")[1]
    assert "[('the', 3), ('and', 2)]\n  ✓ exit 0; output matches the article" in after


@pytest.mark.docker
def test_going_back_replays_the_steps_that_used_a_service(tmp_path: Path) -> None:
    from test_reader_docker import sample

    t = sample("services.html", tmp_path)
    # pwd, .env, cat, createdb shop, CREATE TABLE; then back before CREATE TABLE: a fresh container
    # whose PostgreSQL starts empty, so createdb is replayed; the table, the rows and Redis follow
    text = walk_back(t, [""] * 5 + ["b"] + [""] * 5, tmp_path)
    after = text.split("↺ back to step 5: the checkpoint after step 4")[1]
    assert "does not exist" not in after and "could not start" not in after
    assert "  CREATE TABLE\n  ✓ exit 0; output matches the article" in after
    assert "  INSERT 0 2\n  ✓ exit 0; output matches the article" in after
    assert "  (integer) 2\n  ✓ exit 0; output matches the article" in after
