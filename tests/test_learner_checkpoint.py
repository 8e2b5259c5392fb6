"""A learner's checkpoint in the real sandbox: what it keeps (files in the home and /tmp, the
folder, variables, functions; the Python steps, replayed) and what going back forgets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.learn.workspace import Request
from extractor.learner import learner_plan
from extractor.model import tutorial_from_json

DATA = Path(__file__).resolve().parent / "data" / "notebook"


@pytest.mark.docker
def test_a_checkpoint_brings_back_files_folder_variables_functions_and_python(tmp_path: Path) -> None:
    from extractor.learn.sandboxed import SandboxWorkspace

    t = tutorial_from_json(json.loads((DATA / "shell-state.json").read_text(encoding="utf-8")))
    said: list[str] = []
    ws = SandboxWorkspace(t, learner_plan(t, False), False, said.append,
                          checkpoint_file=lambda p: tmp_path / f"ck-{p}.tar")
    try:
        made = ws.run(Request("shell", src="mkdir -p app/src && cd app && echo keep >src/a.txt && echo t >/tmp/t.txt"
                                          " && export APP=demo && greet() { echo \"hi $1\"; }"))
        assert made.exit_code == 0, made
        assert ws.run(Request("python", src="y = 41")).exit_code == 0
        assert ws.checkpoint(1)
        after = ws.run(Request("shell", src="echo gone >later.txt && export APP=changed && cd src"))
        assert after.exit_code == 0, after
        ws.restore(1, (Request("python", src="y = 41"),))
        seen = ws.run(Request("shell", src="pwd; ls -A; cat src/a.txt /tmp/t.txt; echo $APP; greet you"))
        assert seen.output.split("\n")[:-1] == ["/home/tutor/app", "src", "keep", "t", "demo", "hi you"], seen
        assert ws.run(Request("python", src="y + 1")).output == "42\n"
        ws.restore(None, ())
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
    plan = learner_plan(t, False)
    session = open_session(t, plan, allow_network=False)
    out = io.StringIO()
    try:
        step_through(t, plan, session, lambda _prompt: "r", out)
    finally:
        session.close()
    text = out.getvalue()
    assert "could not start" not in text
    assert "  INSERT 0 2\n  ✓ exit 0; output matches the article" in text  # PostgreSQL, started before createdb
    assert "  (integer) 2\n  ✓ exit 0; output matches the article" in text  # Redis
